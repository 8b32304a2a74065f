import shutil
from pathlib import Path

import pytest

from courses.models import Role, RoleFamily, RoleLevel, RoleLevelSkill, Skill, SkillLevel
from courses.services import DataFileError, framework_import

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "taxonomy" / "ddat"

pytestmark = pytest.mark.django_db


def load(folder: Path = FIXTURES):
    return framework_import(
        roles_skills_path=folder / "ddat_roles_skills.csv",
        skills_path=folder / "ddat_skills_az.csv",
    )


@pytest.fixture
def ddat_copy(tmp_path):
    """A writable copy of the fixture files, for tests that change them."""
    target = tmp_path / "ddat"
    shutil.copytree(FIXTURES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (RoleFamily, Role, RoleLevel, Skill, RoleLevelSkill)
    }


def requirement(role_level_code: str, skill_code: str) -> RoleLevelSkill:
    return RoleLevelSkill.objects.get(role_level__code=role_level_code, skill__code=skill_code)


def test_framework_import_loads_families_roles_levels_skills_and_requirements():
    summary = load()

    assert set(RoleFamily.objects.values_list("code", flat=True)) == {
        "data",
        "software-development",
        "chief-digital-and-data",
    }
    assert Role.objects.get(code="frontend-developer").family.code == "software-development"
    assert Skill.objects.count() == 4
    assert RoleLevel.objects.count() == 6
    assert RoleLevelSkill.objects.count() == 6
    assert requirement("senior-data-analyst", "data-modelling").level == SkillLevel.PRACTITIONER
    assert summary.created["requirements"] == 6
    assert summary.skipped["requirements (repeated row)"] == 1


def test_framework_import_makes_no_requirement_from_not_in_use_levels():
    summary = load()

    placeholders = RoleLevel.objects.filter(in_use=False).order_by("name")
    assert [level.name for level in placeholders] == [
        "Chief data officer (not in use)",
        "Chief technology officer (not in use)",
    ]
    assert all(level.description == "" for level in placeholders)
    assert all(level.role_type == "Senior Civil Service" for level in placeholders)
    assert not RoleLevelSkill.objects.filter(role_level__in=placeholders).exists()
    assert summary.skipped["requirements ('NOT IN USE' level)"] == 3
    assert set(RoleLevelSkill.objects.values_list("level", flat=True)) <= set(SkillLevel.values)


def test_framework_import_keeps_multi_line_descriptions():
    load()

    skill = Skill.objects.get(code="accessibility")
    assert skill.description == (
        "Accessibility involves ensuring your service can be used by as many people as possible."
        "\nIt covers digital inclusion."
    )
    assert skill.awareness_description == (
        "You can:\n- understand accessibility\n- help fix accessibility issues"
    )
    assert skill.level_description(SkillLevel.EXPERT) == "You can:\n- lead on accessibility"
    assert RoleLevel.objects.get(code="junior-data-analyst").description == (
        "A junior data analyst:\n- learns the basics"
    )
    assert requirement(
        "senior-developer-frontend-developer", "accessibility"
    ).level_description == ("You can:\n- lead on accessibility")


def test_framework_import_normalises_whitespace_and_case_of_names():
    load()

    level = RoleLevel.objects.get(code="senior-data-analyst")
    assert level.name == "Senior data analyst"
    # 'ACCESSIBILITY' in the roles file is the A to Z file's 'Accessibility'.
    assert Skill.objects.filter(name__iexact="accessibility").count() == 1
    assert requirement("senior-data-analyst", "accessibility").level == SkillLevel.WORKING


def test_framework_import_qualifies_role_level_names_shared_by_roles():
    load()

    assert set(
        RoleLevel.objects.filter(name__startswith="Senior developer").values_list(
            "name", "role__name"
        )
    ) == {
        ("Senior developer (Frontend developer)", "Frontend developer"),
        ("Senior developer (Backend developer)", "Backend developer"),
    }


def test_framework_import_creates_skills_missing_from_the_a_to_z_file_with_a_warning():
    summary = load()

    skill = Skill.objects.get(code="user-research")
    assert skill.description == "User research involves finding out about users."
    assert skill.awareness_description == "You can: explain user research"
    assert skill.expert_description == ""
    assert any("'User research'" in warning for warning in summary.warnings)


def test_framework_import_treats_placeholder_cells_as_empty():
    load()

    # The roles file says 'MISSING' for this skill's description; the A to Z file has one.
    assert Skill.objects.get(code="data-modelling").description == (
        "Data modelling involves creating models of data."
    )
    # Leadership skills of the chief roles have a description but no levels.
    leadership = Skill.objects.get(code="capability-building-for-digital")
    assert leadership.description.startswith("You can:\n- guide the organisation")
    assert leadership.awareness_description == ""


def test_framework_import_twice_leaves_identical_rows():
    load()
    before = snapshot()

    summary = load()

    assert snapshot() == before
    assert summary.changed == 0
    assert summary.unchanged["skills"] == 4
    assert summary.unchanged["requirements"] == 6


def test_framework_import_updates_changed_values_and_drops_removed_requirements(ddat_copy):
    load()
    accessibility = Skill.objects.get(code="accessibility")
    roles_skills = ddat_copy / "ddat_roles_skills.csv"
    edit(
        ddat_copy / "ddat_skills_az.csv",
        "It covers digital inclusion.",
        "It covers digital inclusion and assistive technology.",
    )
    edit(roles_skills, "Data modelling,MISSING,Practitioner", "Data modelling,MISSING,Expert")
    edit(roles_skills, 'Backend developer,"A backend', 'Backend developer,"The backend')
    lines = roles_skills.read_text(encoding="utf-8").splitlines(keepends=True)
    roles_skills.write_text(
        "".join(
            line
            for line in lines
            if not line.startswith('Data,Data analyst,"A data analyst')
            or "User research" not in line
        ),
        encoding="utf-8",
    )

    summary = load(ddat_copy)

    accessibility.refresh_from_db()
    assert accessibility.description.endswith("digital inclusion and assistive technology.")
    assert requirement("senior-data-analyst", "data-modelling").level == SkillLevel.EXPERT
    assert Role.objects.get(code="backend-developer").description.startswith("The backend")
    assert not RoleLevelSkill.objects.filter(skill__code="user-research").exists()
    # The skill itself stays: people and courses may point at it.
    assert Skill.objects.filter(code="user-research").exists()
    assert summary.updated["skills"] == 1
    assert summary.updated["requirements"] == 1
    assert summary.deleted["requirements"] == 1
    assert any("not in the source file" in warning for warning in summary.warnings)


def test_framework_import_adopts_a_row_an_editor_created_under_another_code():
    editor_made = Skill.objects.create(code="a11y", name="Accessibility")

    load()

    editor_made.refresh_from_db()
    assert editor_made.code == "accessibility"
    assert editor_made.working_description == "You can:\n- build accessible services"
    assert Skill.objects.filter(name="Accessibility").count() == 1


def test_framework_import_rejects_an_unknown_skill_level_and_writes_nothing(ddat_copy):
    edit(ddat_copy / "ddat_roles_skills.csv", 'Data modelling,"",Working', "Data modelling,,Guru")

    with pytest.raises(DataFileError) as caught:
        load(ddat_copy)

    error = caught.value
    assert error.path.name == "ddat_roles_skills.csv"
    assert error.row == 6
    assert "'Guru'" in str(error)
    assert "ddat_roles_skills.csv, row 6 (line 11)" in str(error)
    assert Skill.objects.count() == 0
    assert RoleLevel.objects.count() == 0


def test_framework_import_rejects_one_skill_at_two_levels_for_one_role_level(ddat_copy):
    path = ddat_copy / "ddat_roles_skills.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            'Data,Data analyst,"A data analyst turns data into insight.",Senior data analyst,'
            '"A senior data analyst leads.",Data modelling,,Awareness,You can: know,\n'
        )

    with pytest.raises(DataFileError, match=r"row 11 .*at Awareness here but at Practitioner"):
        load(ddat_copy)


def test_framework_import_rejects_a_file_without_a_required_column(ddat_copy):
    edit(ddat_copy / "ddat_skills_az.csv", "Skill Name,", "Name,")

    with pytest.raises(DataFileError, match="ddat_skills_az.csv: header lacks column"):
        load(ddat_copy)


def test_framework_import_rejects_case_variants_of_a_skill_that_disagree(ddat_copy):
    path = ddat_copy / "ddat_skills_az.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("data modelling,Something else,,,,,\n")

    with pytest.raises(DataFileError, match="'data modelling' is also row 2"):
        load(ddat_copy)
