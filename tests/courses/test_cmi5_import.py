"""cmi5 import: the fixtures' accept/reject table, safe unpacking, and what an import keeps."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import storages

from courses.cmi5 import package as package_module
from courses.models import Cmi5AssignableUnit, Cmi5Package, CoursePage
from courses.services.cmi5 import PackageError, cmi5_package_import, content_storage_name
from tests.factories.courses import catalogue

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cmi5"
IMPORT = FIXTURES / "import"
RUNTIME = FIXTURES / "runtime_structures"
INDEX = b"<!doctype html><title>AU</title><p>An assignable unit.</p>"


def _zip(members: dict[str, bytes], *, zip64: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, content in members.items():
            with archive.open(name, "w", force_zip64=zip64) as handle:
                handle.write(content)
    return buffer.getvalue()


def _read(name: str) -> bytes:
    return (IMPORT / name).read_bytes()


def _packaged(xml_path: Path, **kwargs) -> bytes:
    return _zip({"cmi5.xml": xml_path.read_bytes(), "index.html": INDEX}, **kwargs)


MUST_IMPORT = {
    "101-one-thousand-aus.xml": lambda: (IMPORT / "101-one-thousand-aus.xml").read_bytes(),
    "102-zip64": lambda: _packaged(IMPORT / "102-zip64__cmi5.xml", zip64=True),
    "simple-cmi5.xml": lambda: (FIXTURES / "simple-cmi5.xml").read_bytes(),
    "extended-cmi5.xml": lambda: (FIXTURES / "extended-cmi5.xml").read_bytes(),
    "complex-cmi5.xml": lambda: (FIXTURES / "complex-cmi5.xml").read_bytes(),
    **{
        path.name: (lambda path=path: _packaged(path))
        for path in sorted(RUNTIME.glob("*.xml"))
        if not path.name.startswith("005-")
    },
}

MUST_REJECT = {
    **{
        path.name: (lambda path=path: path.read_bytes(), "3.0.0.0-1")
        for path in sorted(IMPORT.glob("201-*.xml"))
    },
    **{
        path.name: (lambda path=path: path.read_bytes(), "14.2.0.0-1")
        for path in sorted(IMPORT.glob("202-*.xml"))
    },
    "203-1-relative-url-no-reference": (
        lambda: _zip(
            {"cmi5.xml": (IMPORT / "203-1-relative-url-no-reference__cmi5.xml").read_bytes()}
        ),
        "14.1.0.0-4",
    ),
    "204-query-string-conflict-endpoint.xml": (
        lambda: (IMPORT / "204-query-string-conflict-endpoint.xml").read_bytes(),
        "8.1.0.0-6",
    ),
    "205-1-duplicated-block.xml": (
        lambda: (IMPORT / "205-1-duplicated-block.xml").read_bytes(),
        "13.1.2",
    ),
    "205-2-duplicated-objective.xml": (
        lambda: (IMPORT / "205-2-duplicated-objective.xml").read_bytes(),
        "13.1.3",
    ),
    "205-3-duplicated-au.xml": (
        lambda: (IMPORT / "205-3-duplicated-au.xml").read_bytes(),
        "13.1.4",
    ),
    "206-1-invalid-au-url.xml": (
        lambda: (IMPORT / "206-1-invalid-au-url.xml").read_bytes(),
        "13.1.4.0-2",
    ),
    "207-1-invalid-courseStructure.xml": (
        lambda: (IMPORT / "207-1-invalid-courseStructure.xml").read_bytes(),
        "13.2.0.0-1",
    ),
    "208-1-invalid-package.md": (
        lambda: (IMPORT / "208-1-invalid-package.md").read_bytes(),
        "14.0.0.0-1",
    ),
    "210-1-no-cmi5-xml": (lambda: _zip({"index.html": INDEX}), "14.1.0.0-2"),
    "005-1-invalid-au (relative url, no zip)": (
        lambda: (RUNTIME / "005-1-invalid-au.cmi5.xml").read_bytes(),
        "14.2.0.0-1",
    ),
}


def _nothing_stored():
    assert CoursePage.objects.filter(cmi5_package__isnull=False).count() == 0
    assert Cmi5Package.objects.count() == 0
    root = Path(storages["private"].location) / "cmi5"
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


@pytest.mark.parametrize("name", sorted(MUST_IMPORT))
def test_cmi5_fixture_imports(name):
    page = cmi5_package_import(data=MUST_IMPORT[name](), parent=catalogue(), name=name)
    package = page.cmi5_package
    assert not page.live
    assert package.units.count() >= 1
    for path in package.files:
        assert storages["private"].exists(content_storage_name(package, path))


@pytest.mark.parametrize("name", sorted(MUST_REJECT))
def test_cmi5_fixture_is_refused_naming_its_rule(name):
    build, rule = MUST_REJECT[name]
    with pytest.raises(PackageError) as caught:
        cmi5_package_import(data=build(), parent=catalogue(), name=name)
    assert rule in caught.value.rule
    _nothing_stored()


def test_a_zip_that_is_not_a_zip_is_refused():
    data = (IMPORT / "209-1-not-a-zip.zip").read_bytes()
    with pytest.raises(PackageError) as caught:
        cmi5_package_import(data=data, parent=catalogue(), name="209-1-not-a-zip.zip")
    assert caught.value.rule == "cmi5 14.1.0.0-1"
    _nothing_stored()


def test_one_thousand_aus_keep_their_order():
    page = cmi5_package_import(
        data=(IMPORT / "101-one-thousand-aus.xml").read_bytes(), parent=catalogue()
    )
    positions = list(page.cmi5_package.units.values_list("position", "publisher_id"))
    assert len(positions) == 1001
    assert [p for p, _ in positions] == list(range(1001))


def test_import_trims_values_and_applies_defaults():
    page = cmi5_package_import(
        data=_packaged(RUNTIME / "001-essentials.cmi5.xml"), parent=catalogue()
    )
    unit = page.cmi5_package.units.get()
    assert unit.url == "index.html?paramA=1&paramB=2"  # CDATA and whitespace trimmed
    assert unit.move_on == "CompletedAndPassed"
    assert str(unit.mastery_score) == "0.9000"
    defaults = cmi5_package_import(
        data=(FIXTURES / "simple-cmi5.xml").read_bytes(), parent=catalogue()
    ).cmi5_package.units.get()
    assert (defaults.move_on, defaults.launch_method) == ("NotApplicable", "AnyWindow")


def test_import_keeps_blocks_nesting_and_objectives():
    page = cmi5_package_import(
        data=(FIXTURES / "complex-cmi5.xml").read_bytes(), parent=catalogue()
    )
    package = page.cmi5_package
    units = list(package.units.all())
    assert any(len(unit.blocks) >= 2 for unit in units)  # nested blocks
    assert package.structure["objectives"]
    assert any(unit.objectives for unit in units) or any(
        child.get("objectives") for child in package.structure["children"] if "id" in child
    )


@pytest.mark.parametrize(
    "member",
    ["../escape.html", "/etc/passwd", "a/../../escape.html", "C:/windows.html", "..\\escape.html"],
)
def test_a_member_that_escapes_the_package_is_refused(member):
    xml = (FIXTURES / "simple-cmi5.xml").read_bytes()
    with pytest.raises(PackageError, match="escape"):
        cmi5_package_import(data=_zip({"cmi5.xml": xml, member: b"x"}), parent=catalogue())
    _nothing_stored()


def test_a_link_member_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cmi5.xml", (FIXTURES / "simple-cmi5.xml").read_bytes())
        link = zipfile.ZipInfo("index.html")
        link.external_attr = 0o120777 << 16  # a symbolic link
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(PackageError, match="link"):
        cmi5_package_import(data=buffer.getvalue(), parent=catalogue())
    _nothing_stored()


def test_size_limits_are_checked_before_unpacking(monkeypatch):
    monkeypatch.setattr(package_module, "MAX_UNPACKED_BYTES", 1000)
    data = _zip({"cmi5.xml": (FIXTURES / "simple-cmi5.xml").read_bytes(), "big.bin": b"0" * 5000})
    with pytest.raises(PackageError, match="unpacks to more than"):
        cmi5_package_import(data=data, parent=catalogue())
    monkeypatch.setattr(package_module, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(PackageError, match="larger than"):
        cmi5_package_import(data=data, parent=catalogue())
    _nothing_stored()


def test_entities_and_doctypes_are_refused():
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + (FIXTURES / "simple-cmi5.xml").read_bytes().split(b"?>", 1)[1]
    )
    with pytest.raises(PackageError, match="DOCTYPE"):
        cmi5_package_import(data=xml, parent=catalogue())
    _nothing_stored()


def test_undeclared_objective_reference_is_refused():
    xml = (FIXTURES / "complex-cmi5.xml").read_text()
    assert 'idref="' in xml
    broken = xml.replace('idref="', 'idref="https://example.com/undeclared-', 1)
    with pytest.raises(PackageError, match="not declared"):
        cmi5_package_import(data=broken.encode(), parent=catalogue())
    _nothing_stored()


def test_imported_units_are_rows_in_order():
    page = cmi5_package_import(
        data=(FIXTURES / "complex-cmi5.xml").read_bytes(), parent=catalogue()
    )
    rows = Cmi5AssignableUnit.objects.filter(package__course=page).order_by("position")
    assert [row.position for row in rows] == list(range(rows.count()))


@pytest.fixture
def editor_client(client):
    from tests.factories.learners import UserFactory, sign_in_with_second_factor

    user = UserFactory(is_superuser=True, is_staff=True)
    sign_in_with_second_factor(client, user)
    return client


def test_editor_imports_a_package_in_the_admin(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    catalogue()
    upload = SimpleUploadedFile("course.zip", _packaged(RUNTIME / "002-allowed.cmi5.xml"))
    response = editor_client.post(reverse("courses_cmi5_import"), {"package": upload})
    page = CoursePage.objects.get(cmi5_package__isnull=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_a_refused_package_is_explained_in_the_admin(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    catalogue()
    upload = SimpleUploadedFile("course.xml", _read("204-query-string-conflict-endpoint.xml"))
    response = editor_client.post(reverse("courses_cmi5_import"), {"package": upload})
    assert response.status_code == 200
    assert "launch parameter" in response.text and "8.1.0.0-6" in response.text
    _nothing_stored()


def test_people_who_cannot_add_courses_cannot_import(client):
    from django.urls import reverse

    from tests.factories.learners import UserFactory, sign_in_with_second_factor

    catalogue()
    user = UserFactory(is_staff=True)
    sign_in_with_second_factor(client, user)
    assert client.get(reverse("courses_cmi5_import")).status_code in (302, 403)
    _nothing_stored()
