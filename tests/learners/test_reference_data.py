import re
import shutil
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from courses.models import Role, RoleFamily, RoleLevel, RoleLevelSkill, Skill
from learners.models import Grade, Organisation, Profession
from learners.services.reference_data import (
    DataFileError,
    grades_import,
    organisations_import,
    professions_import,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "taxonomy"
ORGANISATIONS = FIXTURES / "organisations" / "govuk_organisations.csv"
GRADES = FIXTURES / "civil_service" / "grades.csv"
PROFESSIONS = FIXTURES / "civil_service" / "professions_csrs.csv"

pytestmark = pytest.mark.django_db

ALL_MODELS = (RoleFamily, Role, RoleLevel, Skill, RoleLevelSkill, Organisation, Grade, Profession)


@pytest.fixture
def data_dir(tmp_path):
    """A writable copy of the whole fixture data folder."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot() -> dict:
    tables = {model.__name__: model.objects.order_by("pk") for model in ALL_MODELS}
    tables["parents"] = Organisation.parents.through.objects.order_by("pk")
    tables["superseded_by"] = Organisation.superseded_by.through.objects.order_by("pk")
    return {name: list(queryset.values()) for name, queryset in tables.items()}


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


# Organisations


def test_organisations_import_loads_names_status_and_closure():
    organisations_import(path=ORGANISATIONS)

    assert Organisation.objects.count() == 5
    gds = Organisation.objects.get(code="OT1056")
    assert gds.name == "Government Digital Service"  # trailing space trimmed
    assert gds.abbreviation == "GDS"
    assert gds.format == "Sub organisation"
    assert gds.web_url == "https://www.gov.uk/government/organisations/government-digital-service"
    wales = Organisation.objects.get(code="D24")
    assert wales.abbreviation == "UK Government in Wales"  # trailing tab trimmed
    assert wales.status == Organisation.Status.CLOSED
    assert wales.closed_status == "changed_name"
    assert wales.closed_at == datetime(2024, 6, 30, 23, 0, tzinfo=UTC)
    # An abbreviation that only repeats the name is dropped.
    assert Organisation.objects.get(slug="ofcom").abbreviation == ""


def test_organisations_import_links_parents_from_either_side_and_successors():
    summary = organisations_import(path=ORGANISATIONS)

    cabinet_office = Organisation.objects.get(slug="cabinet-office")
    assert slugs(cabinet_office.children.all()) == {"government-digital-service", "ofcom"}
    old = Organisation.objects.get(slug="old-department")
    assert slugs(old.superseded_by.all()) == {"cabinet-office", "government-digital-service"}
    assert not Organisation.objects.get(code="D24").superseded_by.exists()
    assert any("'wales-office'" in warning for warning in summary.warnings)


def test_organisations_import_twice_leaves_identical_rows():
    organisations_import(path=ORGANISATIONS)
    before = snapshot()

    summary = organisations_import(path=ORGANISATIONS)

    assert snapshot() == before
    assert summary.changed == 0


def test_organisations_import_updates_changed_values_and_links(data_dir):
    organisations_import(path=ORGANISATIONS)
    path = data_dir / "organisations" / "govuk_organisations.csv"
    edit(path, "Old Department,OD", "Old Department for Testing,ODT")
    edit(path, "cabinet-office;government-digital-service,2020", "cabinet-office,2020")

    summary = organisations_import(path=path)

    old = Organisation.objects.get(code="D99")
    assert (old.name, old.abbreviation) == ("Old Department for Testing", "ODT")
    assert slugs(old.superseded_by.all()) == {"cabinet-office"}
    assert summary.updated["organisations"] == 1
    assert summary.deleted["successor links"] == 1


def test_organisations_import_rejects_an_unknown_status_and_writes_nothing(data_dir):
    path = data_dir / "organisations" / "govuk_organisations.csv"
    edit(path, "Public corporation,live", "Public corporation,alive")

    with pytest.raises(DataFileError) as caught:
        organisations_import(path=path)

    assert caught.value.row == 3
    assert "govuk_status 'alive'" in str(caught.value)
    assert Organisation.objects.count() == 0


def test_organisations_import_rejects_a_repeated_analytics_identifier(data_dir):
    path = data_dir / "organisations" / "govuk_organisations.csv"
    edit(path, ",PC430,", ",D2,")

    with pytest.raises(DataFileError, match="row 3 .*analytics_identifier 'D2' is also on row 1"):
        organisations_import(path=path)


# Grades and professions


def test_grades_import_loads_grades_in_rank_order():
    grades_import(path=GRADES)

    assert list(Grade.objects.values_list("code", "rank")) == [
        ("AA", 1),
        ("EO", 2),
        ("G7", 3),
        ("SCS1", 4),
    ]
    deputy = Grade.objects.get(code="SCS1")
    assert (deputy.name, deputy.csrs_code) == ("Deputy Director", "PB1")
    assert deputy.responsibility_level == "Senior Civil Service"


def test_grades_import_moves_ranks_when_a_grade_is_inserted(data_dir):
    grades_import(path=GRADES)
    path = data_dir / "civil_service" / "grades.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("2,EO,", "3,EO,")
        .replace("3,G7,", "4,G7,")
        .replace("4,SCS1,", "5,SCS1,")
        + "2,AO,Administrative Officer,AO,Administrative officer,,Administrative officers\n",
        encoding="utf-8",
    )

    grades_import(path=path)

    assert list(Grade.objects.values_list("code", flat=True)) == ["AA", "AO", "EO", "G7", "SCS1"]


def test_grades_import_rejects_a_rank_that_is_not_a_number(data_dir):
    path = data_dir / "civil_service" / "grades.csv"
    edit(path, "3,G7,", "three,G7,")

    with pytest.raises(DataFileError, match="grades.csv, row 3 .*rank 'three'"):
        grades_import(path=path)


def test_professions_import_builds_the_tree():
    professions_import(path=PROFESSIONS)

    assert Profession.objects.count() == 6
    strategy = Profession.objects.get(code="commercial-strategy")
    assert strategy.parent.name == "Strategy and Policy Development"
    assert strategy.parent.parent.code == "commercial"
    assert Profession.objects.get(name="Market Maker & Supplier Engagement").code == (
        "market-maker-supplier-engagement"
    )
    assert Profession.objects.get(code="i-dont-know").parent is None


def test_professions_import_rejects_an_unknown_parent(data_dir):
    path = data_dir / "civil_service" / "professions_csrs.csv"
    edit(path, "Commercial Strategy,Strategy and Policy Development", "Commercial Strategy,Nowhere")

    with pytest.raises(DataFileError, match="row 4 .*parent_name 'Nowhere'"):
        professions_import(path=path)


def test_professions_import_rejects_a_cycle(data_dir):
    path = data_dir / "civil_service" / "professions_csrs.csv"
    edit(path, "Commercial,,0", "Commercial,Commercial Strategy,0")

    with pytest.raises(DataFileError, match="cycle"):
        professions_import(path=path)
    assert Profession.objects.count() == 0


# The command


def test_load_taxonomy_twice_leaves_identical_rows():
    out = StringIO()
    call_command("load_taxonomy", data_dir=FIXTURES, stdout=out)
    before = snapshot()

    again = StringIO()
    call_command("load_taxonomy", data_dir=FIXTURES, stdout=again)

    assert snapshot() == before
    assert {name: len(rows) for name, rows in before.items()} == {
        "RoleFamily": 3,
        "Role": 5,
        "RoleLevel": 6,
        "Skill": 4,
        "RoleLevelSkill": 6,
        "Organisation": 5,
        "Grade": 4,
        "Profession": 6,
        "parents": 2,
        "superseded_by": 2,
    }
    assert "organisations: 5 created" in out.getvalue()
    assert "organisations: 5 unchanged" in again.getvalue()
    assert not re.search(r"\d+ created", again.getvalue())  # warnings may say "created from"


def test_load_taxonomy_with_a_bad_file_changes_nothing(data_dir):
    call_command("load_taxonomy", data_dir=FIXTURES, stdout=StringIO())
    before = snapshot()
    # A good change in an early file, then a bad row in a later one.
    edit(data_dir / "ddat" / "ddat_skills_az.csv", "Data modelling involves", "Modelling is")
    edit(data_dir / "civil_service" / "professions_csrs.csv", "Analysis,,0", ",,0")

    with pytest.raises(CommandError) as caught:
        call_command("load_taxonomy", data_dir=data_dir, stdout=StringIO())

    message = str(caught.value)
    assert message.startswith("Nothing was loaded.")
    assert "professions_csrs.csv, row 1 (line 2): name is empty" in message
    assert snapshot() == before


def test_load_taxonomy_reports_a_clash_with_hand_made_rows_and_changes_nothing():
    Skill.objects.create(code="a11y-by-hand", name="Accessibility")
    Skill.objects.create(code="accessibility", name="Something else")

    with pytest.raises(CommandError, match="clash with rows already in the database"):
        call_command("load_taxonomy", data_dir=FIXTURES, stdout=StringIO())

    assert Skill.objects.count() == 2
    assert Organisation.objects.count() == 0


def test_load_taxonomy_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"not found: .*ddat_skills_az.csv"):
        call_command("load_taxonomy", data_dir=tmp_path, stdout=StringIO())


def test_load_taxonomy_loads_the_real_data_files():
    call_command("load_taxonomy", stdout=StringIO())

    assert Skill.objects.count() == 189
    assert Role.objects.count() == 52
    assert RoleFamily.objects.count() == 8
    assert RoleLevel.objects.count() == 205
    assert RoleLevel.objects.filter(in_use=False).count() == 4
    assert Grade.objects.count() == 11
    assert Profession.objects.count() == 31
    assert Organisation.objects.count() == 1262
    assert Organisation.objects.filter(status=Organisation.Status.LIVE).count() == 356
    assert Organisation.objects.departments().live().count() == 33
    # 1,824 rows less 28 'NOT IN USE' and 16 repeated rows.
    assert RoleLevelSkill.objects.count() == 1780
    assert not RoleLevelSkill.objects.filter(role_level__in_use=False).exists()
    assert not RoleLevelSkill.objects.exclude(level__in=[1, 2, 3, 4]).exists()
    hmrc = Organisation.objects.get(code="D25")
    assert "valuation-office-agency" in slugs(hmrc.children.all())


def test_load_taxonomy_default_folder_holds_the_sources_and_licences():
    data = Path(settings.BASE_DIR) / "data"

    sources = (data / "SOURCES.md").read_text(encoding="utf-8")
    for name in (
        "ddat_roles_skills.csv",
        "ddat_skills_az.csv",
        "govuk_organisations.csv",
        "grades.csv",
        "professions_csrs.csv",
    ):
        assert name in sources
    assert (data / "licenses" / "OGL-UK-3.0.txt").is_file()
    assert (
        data / "licenses" / "MIT-Civil-Service-Human-Resources-civil-servant-registry-service.txt"
    ).is_file()


def test_load_taxonomy_prints_each_warning_not_just_a_count():
    out = StringIO()
    call_command("load_taxonomy", data_dir=FIXTURES, stdout=out)
    printed = out.getvalue()
    assert "warning(s)" not in printed
    assert any(
        line.startswith("Warning: ") and "'wales-office'" in line for line in printed.splitlines()
    )
