"""Strict JSON for everything the LRS accepts (RFC 8259, xAPI 1.0.3 Communication 1.5).

Python's `json.loads` is lenient where the LRS must not be: it takes `NaN` and `Infinity`
(not JSON, and every later read of the page that holds them would not be JSON either), turns
`1e400` into infinity, keeps lone surrogate escapes (which cannot be encoded as UTF-8 when the
statement is written back), and recurses until Python's stack runs out. `loads` refuses each of
those with a StatementValidationError naming the rule, which the HTTP layer answers with 400.
`dumps` writes what the LRS stores and hashes.
"""

import json
import math
import re

import orjson

from .errors import StatementValidationError

R_JSON = "RFC 8259 via xAPI 1.0.3 Communication 1.5: the content must be strict JSON"
R_NUMBER = "RFC 8259 section 6 via xAPI 1.0.3 Data 2.2: numbers must fit an IEEE 754 double"
R_STRING = "RFC 8259 section 8.2 via xAPI 1.0.3 Data 2.2: strings must be Unicode text"
R_NUL = "xAPI 1.0.3 Data 2.2 (this LRS): U+0000 is refused; PostgreSQL text cannot hold it"
R_DEPTH = "xAPI 1.0.3 Data 2.2 (this LRS): JSON nests at most {depth} levels"
# Deep enough for any statement (a SubStatement's context activity definition's extension
# still leaves 50 levels for the extension value); shallow enough to stay far from the stack.
MAX_DEPTH = 64


# A decoded string can hold NUL or a lone surrogate only through a \\u escape: the text is
# already Unicode (UTF-8 decoding refuses surrogates) and strict parsing refuses raw control
# characters. Text without such an escape needs no string check (an escaped backslash before
# "u0000" matches too, which only costs the full check).
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_LARGE = 2.0**63
_NOT_READ = object()


class _Refused(ValueError):
    def __init__(self, message: str, rule: str):
        super().__init__(message)
        self.message = message
        self.rule = rule


def _constant(name: str):
    raise _Refused(f"{name} is not a JSON value.", R_JSON)


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused(f"The number {text[:40]} is too large for a double.", R_NUMBER)
    return value


def _bad_string(text: str, *, allow_nul: bool) -> str | None:
    """What is wrong with a decoded string, or None."""
    if not allow_nul and "\x00" in text:
        return "nul"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "surrogate"
    return None


def _check_depth(value, depth: int, prop: str) -> bool:
    """Refuse containers nested deeper than MAX_DEPTH; recursion stops there. Returns whether
    a float of 2**63 or more in size appears (see `_fast_loads`).
    """
    if depth > MAX_DEPTH:
        raise StatementValidationError(
            f"The JSON nests deeper than {MAX_DEPTH} levels.", prop, R_DEPTH.format(depth=MAX_DEPTH)
        )
    large = False
    for child in value.values() if type(value) is dict else value:
        kind = type(child)
        if kind is dict or kind is list:
            large = _check_depth(child, depth + 1, prop) or large
        elif kind is float and not -_LARGE < child < _LARGE:
            large = True
    return large


def check_value(value, prop: str = "content", *, allow_nul: bool = False) -> None:
    """Refuse nesting deeper than MAX_DEPTH, lone surrogates and (unless allowed) NUL anywhere
    in keys or strings. Iterative, so a deep value cannot exhaust the stack here.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is str:
            strings = (item,)
        elif kind is dict or kind is list:
            if depth > MAX_DEPTH:
                raise StatementValidationError(
                    f"The JSON nests deeper than {MAX_DEPTH} levels.",
                    prop,
                    R_DEPTH.format(depth=MAX_DEPTH),
                )
            children = item.values() if kind is dict else item
            stack.extend((child, depth + 1) for child in children)
            strings = item.keys() if kind is dict else ()
        else:
            continue
        for text in strings:
            problem = _bad_string(text, allow_nul=allow_nul)
            if problem == "nul":
                raise StatementValidationError(
                    "A string holds the character U+0000 (NUL).", prop, R_NUL
                )
            if problem == "surrogate":
                raise StatementValidationError(
                    "A string holds a lone UTF-16 surrogate escape (\\ud800-\\udfff unpaired).",
                    prop,
                    R_STRING,
                )


def loads(raw: bytes | str, prop: str = "content", *, allow_nul: bool = False):
    """The JSON value of `raw`, or StatementValidationError naming the property and rule."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes | bytearray) else raw
    except UnicodeDecodeError as exc:
        raise StatementValidationError(f"The {prop} is not UTF-8: {exc}", prop, R_JSON) from exc
    value = _fast_loads(text, prop)
    if value is _NOT_READ:
        value = _strict_loads(text, prop)
        if type(value) is dict or type(value) is list:
            _check_depth(value, 1, prop)
    if _RISKY_ESCAPE.search(text):
        check_value(value, prop, allow_nul=allow_nul)
    return value


def _fast_loads(text: str, prop: str):
    """The value of `text` read by orjson (depth checked), or _NOT_READ for json to read.

    orjson reads JSON as json does (compared case by case: numbers, escapes, control
    characters, duplicate keys) and several times faster; what it refuses (NaN, infinities,
    lone surrogates, deep nesting) json reads again to name the rule. It reads integers beyond
    64 bits as floats, so a value with a float that large is read again by json, which keeps
    such integers exact.
    """
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _NOT_READ
    kind = type(value)
    if kind is dict or kind is list:
        large = _check_depth(value, 1, prop)
    else:
        large = kind is float and not -_LARGE < value < _LARGE
    return _NOT_READ if large else value


def _strict_loads(text: str, prop: str):
    """The value of `text` read by json, refusing what strict JSON refuses, rule named."""
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_float)
    except _Refused as exc:
        raise StatementValidationError(exc.message, prop, exc.rule) from exc
    except RecursionError as exc:
        raise StatementValidationError(
            f"The JSON nests deeper than {MAX_DEPTH} levels.",
            prop,
            R_DEPTH.format(depth=MAX_DEPTH),
        ) from exc
    except ValueError as exc:
        raise StatementValidationError(
            f"The {prop} is not valid JSON: {exc}", prop, R_JSON
        ) from exc


def dumps_bytes(value, *, sort_keys: bool = False) -> bytes:
    """Compact UTF-8 JSON of a value `loads` accepted (not ASCII-escaped).

    orjson writes it several times faster than json's C encoder, which is a tenth of the
    statement write path at thousands of statements a second. It refuses integers beyond 64
    bits, which JSON allows and `loads` keeps exactly: those values go through json.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except orjson.JSONEncodeError:
        text = json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False)
        return text.encode()


def dumps(value, *, sort_keys: bool = False) -> str:
    """`dumps_bytes` as text."""
    return dumps_bytes(value, sort_keys=sort_keys).decode()
