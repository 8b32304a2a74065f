"""A tiny cmi5 course of the platform's own (plain JavaScript, in demo_au/): the demo imports
it, and the browser test launches it.
"""

import io
import zipfile
from pathlib import Path

DEMO_AU = Path(__file__).resolve().parent / "demo_au"
DEMO_COURSE_ID = "https://school.example.gov.uk/cmi5/demo/what-is-cmi5"


def demo_package_bytes() -> bytes:
    """The demo AU's files as a package zip (cmi5.xml at its root)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(DEMO_AU.iterdir()):
            archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()
