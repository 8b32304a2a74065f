"""Read and check a cmi5 course structure (cmi5 "Quartz" section 13) and its package (14).

`course_structure_parse` validates the XML against the published CourseStructure.xsd (lxml, with
DTDs, entities and network access off) and then checks what the schema cannot express: absolute
IRIs for every id, unique ids, RFC 1738 AU URLs without reserved launch parameters, relative
URLs only inside a zip and only to files it holds. Every value is trimmed and the defaults are
applied (moveOn NotApplicable, launchMethod AnyWindow). Every refusal raises `PackageError`
naming the rule of the specification it breaks.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
XSD_PATH = Path(__file__).with_name("CourseStructure.xsd")
# Launch parameters the LMS adds to an AU's URL (section 8.1): an AU's own query may not use them.
RESERVED_LAUNCH_PARAMETERS = ("endpoint", "fetch", "actor", "registration", "activityId")
MAX_XML_BYTES = 5 * 1024 * 1024
# RFC 1738: a URL is made of these characters only (unsafe ones like space must be escaped).
_URL_CHARACTERS = re.compile(r"^[A-Za-z0-9$\-_.+!*'(),;/?:@=&%~#\[\]]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")


class PackageError(Exception):
    """A package or course structure the LMS must refuse; `rule` names the requirement."""

    def __init__(self, message: str, rule: str):
        super().__init__(f"{message} ({rule})")
        self.message = message
        self.rule = rule


@dataclass
class Objective:
    id: str
    title: str
    description: str


@dataclass
class AssignableUnit:
    id: str
    title: str
    description: str
    url: str
    move_on: str = "NotApplicable"
    launch_method: str = "AnyWindow"
    mastery_score: Decimal | None = None
    activity_type: str = ""
    launch_parameters: str = ""
    entitlement_key: str = ""
    objectives: list[str] = field(default_factory=list)


@dataclass
class Block:
    id: str
    title: str
    description: str
    objectives: list[str] = field(default_factory=list)
    children: list = field(default_factory=list)  # Block and AssignableUnit, in order


@dataclass
class CourseStructure:
    id: str
    title: str
    description: str
    objectives: list[Objective]
    children: list  # Block and AssignableUnit, in order

    def assignable_units(self) -> list[AssignableUnit]:
        """Every AU in document order, however deeply nested in blocks."""
        found = []

        def walk(items):
            for item in items:
                if isinstance(item, Block):
                    walk(item.children)
                else:
                    found.append(item)

        walk(self.children)
        return found


@cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(XSD_PATH), parser))


def _parse_xml(data: bytes) -> etree._Element:
    if len(data) > MAX_XML_BYTES:
        raise PackageError("The course structure is larger than 5 MB.", "cmi5 13.2 (d)")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)  # noqa: S320 - entities, DTDs and network off
    except etree.XMLSyntaxError as error:
        raise PackageError(
            f"The file is neither a zip nor a well-formed XML course structure: {error.msg}",
            "cmi5 14.0.0.0-1",
        ) from error
    if root.getroottree().docinfo.doctype:
        raise PackageError("A course structure may not declare a DOCTYPE.", "cmi5 13.2.0.0-1 (d)")
    schema = _schema()
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise PackageError(
            f"The course structure does not follow CourseStructure.xsd: line {error.line}: "
            f"{error.message}",
            "cmi5 13.2.0.0-1",
        )
    return root


def _text(element, name: str) -> str:
    """The first langstring of a title or description, trimmed (whitespace and CDATA)."""
    child = element.find(f"{{{NS}}}{name}")
    if child is None:
        return ""
    strings = child.findall(f"{{{NS}}}langstring")
    english = [s for s in strings if (s.get("lang") or "").lower().startswith("en")]
    chosen = (english or strings or [child])[0]
    return " ".join((chosen.text or "").split())


def _value(element, name: str) -> str:
    child = element.find(f"{{{NS}}}{name}")
    return (child.text or "").strip() if child is not None else ""


def _absolute_iri(value: str, what: str) -> str:
    value = value.strip()
    scheme, sep, rest = value.partition(":")
    if not sep or not _SCHEME.match(scheme) or not rest or any(c.isspace() for c in value):
        raise PackageError(f"The {what} id {value!r} is not an absolute IRI.", "cmi5 3.0.0.0-1")
    return value


def _au_url(value: str, *, files: set[str] | None) -> str:
    if not value or not _URL_CHARACTERS.match(value):
        raise PackageError(f"The AU url {value!r} is not a valid RFC 1738 URL.", "cmi5 13.1.4.0-2")
    parts = urlsplit(value)
    reserved = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    clash = sorted(reserved & set(RESERVED_LAUNCH_PARAMETERS))
    if clash:
        raise PackageError(
            f"The AU url's query uses the launch parameter {clash[0]!r}, which the LMS sets.",
            "cmi5 8.1.0.0-6",
        )
    if parts.scheme:
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PackageError(
                f"The AU url {value!r} must be an http(s) URL or a path in the package.",
                "cmi5 13.1.4.0-2",
            )
        return value
    if files is None:
        raise PackageError(
            f"The AU url {value!r} is relative, which only a zip package may use.",
            "cmi5 14.2.0.0-1",
        )
    path = parts.path
    if path.startswith("/") or parts.netloc or path not in files:
        raise PackageError(f"The AU url {value!r} names no file in the package.", "cmi5 14.1.0.0-4")
    return value


class _Reader:
    def __init__(self, files: set[str] | None):
        self.files = files
        self.seen = {"block": set(), "au": set(), "objective": set()}

    def unique(self, kind: str, value: str) -> str:
        if value in self.seen[kind]:
            rule = {"block": "13.1.2", "objective": "13.1.3", "au": "13.1.4"}[kind]
            raise PackageError(f"The {kind} id {value!r} is used twice.", f"cmi5 {rule} (d)")
        self.seen[kind].add(value)
        return value

    def references(self, element) -> list[str]:
        holder = element.find(f"{{{NS}}}objectives")
        if holder is None:
            return []
        ids = [(o.get("idref") or "").strip() for o in holder.findall(f"{{{NS}}}objective")]
        for idref in ids:
            if idref not in self.seen["objective"]:
                raise PackageError(
                    f"The objective {idref!r} is referenced but not declared.", "cmi5 13.1.3 (d)"
                )
        return ids

    def au(self, element) -> AssignableUnit:
        identifier = self.unique("au", _absolute_iri(element.get("id", ""), "AU"))
        mastery = element.get("masteryScore")
        return AssignableUnit(
            id=identifier,
            title=_text(element, "title"),
            description=_text(element, "description"),
            url=_au_url(_value(element, "url"), files=self.files),
            move_on=(element.get("moveOn") or "NotApplicable").strip(),
            launch_method=(element.get("launchMethod") or "AnyWindow").strip(),
            mastery_score=Decimal(mastery.strip()) if mastery else None,
            activity_type=(element.get("activityType") or "").strip(),
            launch_parameters=_value(element, "launchParameters"),
            entitlement_key=_value(element, "entitlementKey"),
            objectives=self.references(element),
        )

    def block(self, element) -> Block:
        identifier = self.unique("block", _absolute_iri(element.get("id", ""), "block"))
        return Block(
            id=identifier,
            title=_text(element, "title"),
            description=_text(element, "description"),
            objectives=self.references(element),
            children=self.children(element),
        )

    def children(self, element) -> list:
        items = []
        for child in element:
            if child.tag == f"{{{NS}}}au":
                items.append(self.au(child))
            elif child.tag == f"{{{NS}}}block":
                items.append(self.block(child))
        return items


def course_structure_parse(data: bytes, *, files: set[str] | None = None) -> CourseStructure:
    """The course structure in `data`; `files` are the paths of a zip's members (None for a
    standalone cmi5.xml, where only absolute AU URLs are allowed).
    """
    root = _parse_xml(data)
    reader = _Reader(files)
    course = root.find(f"{{{NS}}}course")
    objectives = []
    holder = root.find(f"{{{NS}}}objectives")
    for element in holder.findall(f"{{{NS}}}objective") if holder is not None else []:
        objectives.append(
            Objective(
                id=reader.unique("objective", _absolute_iri(element.get("id", ""), "objective")),
                title=_text(element, "title"),
                description=_text(element, "description"),
            )
        )
    return CourseStructure(
        id=_absolute_iri(course.get("id", ""), "course"),
        title=_text(course, "title"),
        description=_text(course, "description"),
        objectives=objectives,
        children=reader.children(root),
    )
