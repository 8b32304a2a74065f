from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges.models import ChallengePage
from tests.challenges.conftest import client_for
from tests.factories.challenges import challenge_index, create_challenge, with_mfa
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def test_challenge_page_clean_refuses_unknown_file_types_and_backwards_dates(challenge):
    challenge.allowed_file_types = "pdf,exe"
    challenge.closes_at = challenge.opens_at - timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        challenge.full_clean()

    assert {"allowed_file_types", "closes_at"} <= set(error.value.message_dict)


def test_challenge_page_is_open_only_between_its_dates(challenge):
    assert challenge.is_open_at(timezone.now())
    assert not challenge.is_open_at(challenge.closes_at)
    assert not challenge.is_open_at(challenge.opens_at - timedelta(seconds=1))


def test_challenge_index_lists_only_live_challenges(learner):
    live = create_challenge(title="Live one")
    draft = create_challenge(title="Draft one")
    draft.unpublish()

    text = client_for(learner).get(challenge_index().url).content.decode()

    assert live.title in text
    assert draft.title not in text


def test_challenge_page_admin_forms_render_for_an_editor(challenge):
    admin = with_mfa(UserFactory(is_superuser=True, is_staff=True))
    client = client_for(admin)

    add = client.get(f"/admin/pages/add/challenges/challengepage/{challenge_index().pk}/")
    edit = client.get(f"/admin/pages/{challenge.pk}/edit/")

    assert add.status_code == edit.status_code == 200
    assert "rubric_criteria" in edit.content.decode()
    assert ChallengePage.objects.count() == 1


def test_challenge_index_lists_open_challenges_first_and_tags_closed_ones(learner):
    import re

    now = timezone.now()
    closed = create_challenge(
        title="Closed one", opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1)
    )
    later = create_challenge(title="Open later", closes_at=now + timedelta(days=20))
    sooner = create_challenge(title="Open sooner", closes_at=now + timedelta(days=3))
    upcoming = create_challenge(
        title="Upcoming one", opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9)
    )

    html = client_for(learner).get(challenge_index().url).content.decode()

    headings = re.findall(r'<h2 class="govuk-heading-m">(.*?)</h2>', html, re.S)
    titles = [re.search(r">([^<]+)</a>", heading).group(1) for heading in headings]
    assert titles == [sooner.title, later.title, upcoming.title, closed.title]
    tags = [re.findall(r'govuk-tag[^"]*">([^<]+)<', heading) for heading in headings]
    assert tags == [[], [], ["Opens soon"], ["Closed"]]


def test_start_page_of_a_closed_challenge_says_it_is_closed_instead_of_the_form(learner):
    now = timezone.now()
    closed = create_challenge(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1))
    client = client_for(learner)
    url = f"/challenges/submissions/start/{closed.pk}/"

    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This challenge has closed" in html
    assert "<form" not in html.split('id="main-content"')[1]

    response = client.post(url, {"title": "Late", "summary": "Too late"})
    assert response.status_code == 400
    assert not closed.submissions.exists()
