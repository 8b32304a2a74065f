"""Strict validation of xAPI 1.0.3 statements (Data 2 and 4).

`validate_statement(dict)` raises `StatementValidationError(message, property, rule)`.
"""

from .errors import StatementValidationError
from .formats import is_iri, is_uuid, parse_timestamp
from .statements import VOIDED_VERB, validate_statement

__all__ = [
    "VOIDED_VERB",
    "StatementValidationError",
    "is_iri",
    "is_uuid",
    "parse_timestamp",
    "validate_statement",
]
