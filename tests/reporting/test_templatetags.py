import pytest

from reporting.disclosure import SUPPRESSED
from reporting.models import SkillTarget
from reporting.selectors import SkillRow
from reporting.templatetags.reporting_tags import coverage_table_rows
from tests.factories.courses import SkillFactory

pytestmark = pytest.mark.django_db


def _row(skill, *, rag="", target=None, courses=(), levels=None, achieved_share=""):
    return SkillRow(
        skill=skill,
        headcount=100,
        levels=levels or [(1234, 0.9), (60, 0.6), (20, 0.2), (SUPPRESSED, SUPPRESSED)],
        target=target,
        achieved=0,
        achieved_share=achieved_share,
        gap_points=12.5,
        rag=rag,
        courses=list(courses),
    )


def test_coverage_rows_show_figures_suppression_targets_and_escaped_courses():
    skill = SkillFactory(name="Data <ethics>")
    target = SkillTarget(skill=skill, level=3, target_percent=40)
    rows = [
        _row(
            skill,
            rag="red",
            target=target,
            achieved_share=0.3,
            courses=[("Ethics & <you>", "/courses/ethics/")],
        ),
        _row(skill, rag="green", target=target, achieved_share=0.5),
        _row(skill, rag="unknown", target=target, achieved_share=SUPPRESSED),
        _row(skill),
    ]

    html = coverage_table_rows(rows)

    assert html.count('<tr class="govuk-table__row">') == 4
    assert "Data &lt;ethics&gt;" in html and "<ethics>" not in html
    assert "1,234<br>" in html and "[c]<br>" in html and "60%" in html
    assert "40% at Practitioner or above" in html
    assert (
        '<strong class="govuk-tag govuk-tag--red">Below target</strong> 30%, 12.5 points short'
        in html
    )
    assert '<strong class="govuk-tag govuk-tag--green">On target</strong> 50%</td>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Not shown</strong> [c]' in html
    assert '<a class="govuk-link" href="/courses/ethics/">Ethics &amp; &lt;you&gt;</a>' in html
    assert "None set" in html and "None yet" in html
