"""Writes to the curriculum: loading the DDaT framework from its published files."""

from .framework_import import framework_import
from .tabular import DataFileError, ImportSummary

__all__ = ["DataFileError", "ImportSummary", "framework_import"]
