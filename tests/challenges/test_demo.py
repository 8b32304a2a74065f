import pytest

from challenges import selectors
from challenges.demo import seed_challenges
from challenges.models import ChallengeIndexPage, ChallengePage, SubmissionStatus
from courses.demo import seed_home_page
from learners.models import Role
from tests.factories.challenges import with_mfa
from tests.factories.courses import SkillFactory
from tests.factories.learners import (
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    for code in ("D10", "D25", "D16", "D2"):
        OrganisationFactory(code=code)
    SkillFactory(name="Prototyping")
    SkillFactory(name="Data visualisation")
    roles = {"mentor": [Role.MENTOR], "editor": [Role.EDITOR]}
    people = {
        key: UserFactory(email=f"{key}@example.gov.uk", roles=roles.get(key, []))
        for key in ("learner", "mentor", "hr", "analyst", "editor", "admin")
    }
    for user in people.values():
        ProfileFactory(user=user, organisation=OrganisationFactory(code="D2"))
    with_mfa(people["mentor"])
    return people


def test_seed_challenges_builds_the_index_two_challenges_and_a_mentor_queue(people, client):
    seed_home_page()

    seed_challenges(people=people)
    seed_challenges(people=people)  # idempotent

    index = ChallengeIndexPage.objects.get()
    assert index.url == "/challenges/"
    assert ChallengePage.objects.child_of(index).live().count() == 2
    queue = selectors.mentor_queue(user=people["mentor"])
    assert len(queue["to_review"]) == 2
    first = ChallengePage.objects.get(slug="finish-a-benefit-claim")
    assert first.submissions.filter(status=SubmissionStatus.DRAFT).count() == 1
    assert first.skills.filter(name="Prototyping").exists()
    assert list(first.managers.all()) == [people["editor"]]
    sign_in_with_second_factor(client, people["mentor"])
    assert client.get("/challenges/review/").status_code == 200
    assert client.get("/challenges/").status_code == 200
