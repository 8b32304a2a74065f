from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from courses.demo import seed_curriculum
from courses.models import Skill
from learners import demo as learners_demo
from learners.learning.models import SelfAssessment
from learners.lrs.models import Statement
from learners.models import Profile, User
from reporting import demo
from reporting.models import CoverageCount, CoverageSnapshot, LearnerSkillLevel, SkillTarget
from tests.factories.learners import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "taxonomy"


@pytest.fixture
def people():
    call_command("load_taxonomy", data_dir=FIXTURES, stdout=StringIO())
    seed_curriculum()
    return learners_demo.seed_people(password="demo-password-123")


def rows():
    """Every row the demo writes, as comparable values."""
    return {
        "users": set(User.objects.values_list("pk", "email")),
        "profiles": set(
            Profile.objects.values_list("user_id", "organisation_id", "grade_id", "profession_id")
        ),
        "statements": set(Statement.objects.values_list("statement_id", "content_hash")),
        "self": set(SelfAssessment.objects.values_list("user_id", "skill_id", "level")),
        "targets": set(
            SkillTarget.objects.values_list(
                "organisation_id", "skill_id", "level", "target_percent"
            )
        ),
        "snapshots": set(CoverageSnapshot.objects.values_list("pk", "period", "series")),
        "levels": set(
            LearnerSkillLevel.objects.values_list("user_id", "skill_id", "series", "level")
        ),
        "counts": set(
            CoverageCount.objects.values_list(
                "organisation_id",
                "grade_key",
                "profession_key",
                "skill_id",
                "series",
                "level",
                "count",
            )
        ),
    }


def test_seed_coverage_twice_leaves_the_same_rows(people):
    demo.seed_coverage(people=people)
    first = rows()

    demo.seed_coverage(people=people)

    assert rows() == first
    department = people["hr"].profile.hr_lead_for.get()
    colleagues = Profile.objects.filter(
        organisation=department, user__email__startswith="colleague"
    )
    assert colleagues.count() == demo.COHORT_SIZE
    assert not any(profile.user.has_usable_password() for profile in colleagues)
    assert len(first["statements"]) >= 300
    assert len(first["targets"]) >= 2
    assert len({period for _pk, period, _series in first["snapshots"]}) == 2


def test_seed_coverage_without_an_hr_lead_department_does_nothing():
    people = {"hr": None}

    demo.seed_coverage(people=people)

    assert not User.objects.exists()
    assert not Statement.objects.exists()


def published_counts(response) -> list:
    return [
        count
        for row in response.context["rows"]
        for count, _share in row.levels
        if isinstance(count, int)
    ]


def test_seeded_dashboard_shows_unsuppressed_figures_and_a_trend(client, people):
    demo.seed_coverage(people=people)
    lead = people["hr"]
    sign_in_with_second_factor(client, lead, password="demo-password-123")
    url = reverse("reporting:dashboard", args=["D2"])
    # The trend of a skill without a target (the chart plots working or above).
    targeted = SkillTarget.objects.values("skill")
    most_evidenced = (
        LearnerSkillLevel.objects.filter(series="evidenced")
        .exclude(skill__in=targeted)
        .values("skill")
        .annotate(people=Count("pk"))
        .order_by("-people")
        .values_list("skill", flat=True)
    )
    skill = Skill.objects.get(pk=most_evidenced.first())

    evidenced = client.get(url)
    self_assessed = client.get(url, {"series": "self"})
    trend = client.get(url, {"skill": skill.code})

    assert evidenced.status_code == 200
    counts = published_counts(evidenced)
    assert counts and max(counts) >= 10
    assert all(count >= 10 and count % 5 == 0 for count in counts), counts
    assert evidenced.context["rows"][0].headcount >= demo.COHORT_SIZE
    # Self-assessed levels spread over every level, so targets there get a status.
    assert {row.rag for row in self_assessed.context["rows"] if row.target} & {
        "green",
        "amber",
        "red",
    }
    points = trend.context["trend"]
    assert len(points) == 3
    at_working = [point.levels[1] for point in points]
    # A month may be hidden by disclosure control; the ones shown grow, and the latest shows.
    shown = [value for value in at_working if isinstance(value, int)]
    assert shown == sorted(shown)
    assert any(isinstance(value, int) for value in points[-1].levels)
