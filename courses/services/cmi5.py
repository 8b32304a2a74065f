"""Import a cmi5 package as a course (cmi5 sections 13 and 14).

Everything is checked before anything is written: a refused package stores nothing. An
accepted one becomes a draft `CoursePage` under the catalogue (an editor maps its DDaT skills
and sends it through moderation like any course), with its AUs in order and its files in
private storage under the package's unguessable content key.
"""

import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils.html import escape

from courses.cmi5.package import package_open
from courses.cmi5.structure import AssignableUnit, Block, CourseStructure, PackageError
from courses.models import Cmi5AssignableUnit, Cmi5Package, CourseIndexPage, CoursePage

logger = logging.getLogger(__name__)

__all__ = ["PackageError", "cmi5_course_delete", "cmi5_package_import", "content_storage_name"]

DEFAULT_DURATION_MINUTES = 30


def content_storage_name(package: Cmi5Package, path: str) -> str:
    """Where one of a package's files is kept in private storage."""
    return f"cmi5/{package.content_key}/{path}"


def _blocks_json(items: list) -> list:
    return [
        {
            "id": item.id,
            "title": item.title,
            "description": item.description,
            "objectives": item.objectives,
            "children": _blocks_json(item.children),
        }
        if isinstance(item, Block)
        else {"au": item.id}
        for item in items
    ]


def _units(structure: CourseStructure) -> list[tuple[AssignableUnit, list[str]]]:
    """Every AU in order with the ids of its enclosing blocks, outermost first."""
    found = []

    def walk(items, blocks):
        for item in items:
            if isinstance(item, Block):
                walk(item.children, [*blocks, item.id])
            else:
                found.append((item, blocks))

    walk(structure.children, [])
    return found


def _course_page(structure: CourseStructure, parent: CourseIndexPage, owner) -> CoursePage:
    description = structure.description or structure.title
    paragraph = f"<p>{escape(description)}</p>"
    page = CoursePage(
        title=structure.title[:255] or "Imported cmi5 course",
        summary=description[:300],
        outcomes=paragraph,
        audience=paragraph,
        duration_minutes=DEFAULT_DURATION_MINUTES,
        live=False,
        owner=owner,
    )
    parent.add_child(instance=page)
    page.save_revision(user=owner, log_action=True)
    return page


@transaction.atomic
def cmi5_package_import(
    *, data: bytes, parent: CourseIndexPage, owner=None, name: str = ""
) -> CoursePage:
    """Import the package in `data` as a draft course under `parent`; raise PackageError,
    storing nothing, when it breaks a rule of the specification.
    """
    if name.lower().endswith(".zip") and not data.startswith(b"PK"):
        raise PackageError(f"{name} is not a zip file.", "cmi5 14.1.0.0-1")
    package_file = package_open(data)
    structure = package_file.structure
    page = _course_page(structure, parent, owner)
    package = Cmi5Package.objects.create(
        course=page,
        publisher_id=structure.id,
        structure={
            "objectives": [vars(o) for o in structure.objectives],
            "children": _blocks_json(structure.children),
        },
        files=sorted(package_file.files),
    )
    Cmi5AssignableUnit.objects.bulk_create(
        Cmi5AssignableUnit(
            package=package,
            position=position,
            publisher_id=unit.id,
            title=unit.title[:500],
            description=unit.description,
            url=unit.url,
            move_on=unit.move_on,
            launch_method=unit.launch_method,
            mastery_score=Decimal(unit.mastery_score) if unit.mastery_score is not None else None,
            activity_type=unit.activity_type,
            launch_parameters=unit.launch_parameters,
            entitlement_key=unit.entitlement_key,
            blocks=blocks,
            objectives=unit.objectives,
        )
        for position, (unit, blocks) in enumerate(_units(structure))
    )
    storage = storages["private"]
    written = []
    try:
        for path in package_file.files:
            written.append(
                storage.save(
                    content_storage_name(package, path), ContentFile(package_file.read(path))
                )
            )
    except Exception:
        for stored in written:
            storage.delete(stored)
        raise
    logger.info(
        "cmi5 package %s imported as course %s with %s AUs and %s files",
        structure.id,
        page.pk,
        len(_units(structure)),
        len(written),
    )
    return page


@transaction.atomic
def cmi5_course_delete(*, course: CoursePage) -> None:
    """Delete an imported course, its package and the package's files (after the commit)."""
    package = Cmi5Package.objects.get(course=course)
    names = [content_storage_name(package, path) for path in package.files]
    course.delete()

    def remove_files():
        storage = storages["private"]
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
