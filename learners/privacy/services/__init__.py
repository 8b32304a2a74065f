"""Writes of the personal-data app: audit rows, subject access downloads, erasure, retention."""

from .access import (
    SubjectAccessError,
    sar_build,
    sar_expire,
    sar_request,
)
from .audit import audit_record
from .erasure import ErasureError, person_erase, person_ifis
from .retention import retention_apply

__all__ = [
    "ErasureError",
    "SubjectAccessError",
    "audit_record",
    "person_erase",
    "person_ifis",
    "retention_apply",
    "sar_build",
    "sar_expire",
    "sar_request",
]
