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
