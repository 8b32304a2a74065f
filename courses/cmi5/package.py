"""Open an uploaded cmi5 package (cmi5 section 14): a standalone cmi5.xml or a zip (Zip64 too)
whose root holds cmi5.xml. Unpacking is safe: no member may escape the package (absolute
paths, `..`, drive letters, links), and the upload, each member and the unpacked total are
size-limited before anything is read into memory.
"""

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from .structure import CourseStructure, PackageError, course_structure_parse

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 20_000


@dataclass
class Package:
    structure: CourseStructure
    files: dict[str, int]  # member path -> size, for a zip; empty for a standalone cmi5.xml
    archive: zipfile.ZipFile | None

    def read(self, path: str) -> bytes:
        """One member's bytes (the caller stores them)."""
        return self.archive.read(path)


def _safe_name(name: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    if (
        name.startswith(("/", "\\"))
        or ".." in path.parts
        or (path.parts and ":" in path.parts[0])
        or "\x00" in name
    ):
        raise PackageError(f"The zip member {name!r} would escape the package.", "cmi5 14.1 (d)")
    return str(path)


def _members(archive: zipfile.ZipFile) -> dict[str, int]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"The zip holds more than {MAX_MEMBERS} files.", "cmi5 14.1 (d)")
    files, total = {}, 0
    for info in infos:
        if info.is_dir():
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(f"The zip member {info.filename!r} is a link.", "cmi5 14.1 (d)")
        name = _safe_name(info.filename)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise PackageError(
                f"The package unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB.",
                "cmi5 14.1 (d)",
            )
        files[name] = info.file_size
    return files


def package_open(data: bytes) -> Package:
    """The package in `data`, checked; raise PackageError naming the rule it breaks."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PackageError(
            f"The upload is larger than {MAX_UPLOAD_BYTES // 2**20} MB.", "cmi5 14.0 (d)"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK"):
            raise PackageError("The file is not a readable zip.", "cmi5 14.1.0.0-1")
        return Package(structure=course_structure_parse(data), files={}, archive=None)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        files = _members(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError) as error:
        raise PackageError(f"The zip cannot be read: {error}", "cmi5 14.1.0.0-1") from error
    if "cmi5.xml" not in files:
        raise PackageError("The zip has no cmi5.xml at its root.", "cmi5 14.1.0.0-2")
    try:
        xml = archive.read("cmi5.xml")
    except (zipfile.BadZipFile, NotImplementedError, ValueError) as error:
        raise PackageError(f"cmi5.xml cannot be read: {error}", "cmi5 14.1.0.0-1") from error
    structure = course_structure_parse(xml, files=set(files))
    return Package(structure=structure, files=files, archive=archive)
