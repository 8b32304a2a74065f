import pytest
from django.test import Client

from school.middleware import user_needs_second_factor
from tests.factories.challenges import create_challenge, manager, mentor
from tests.factories.learners import ProfileFactory, UserFactory, sign_in_with_second_factor


@pytest.fixture
def boss(db):
    return manager(email="boss@example.gov.uk")


@pytest.fixture
def challenge(db, boss):
    return create_challenge(managers=[boss])


@pytest.fixture
def learner(db):
    user = UserFactory(email="learner@example.gov.uk")
    ProfileFactory(user=user)
    return user


@pytest.fixture
def mentors(db):
    return [mentor(email=f"mentor{i}@example.gov.uk") for i in range(3)]


def client_for(user) -> Client:
    """A client signed in as the user; privileged people sign in with their second factor."""
    client = Client()
    if user_needs_second_factor(user):
        return sign_in_with_second_factor(client, user)
    client.force_login(user)
    return client
