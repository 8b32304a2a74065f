import pytest

from tests.factories.learners import UserFactory, sign_in_with_second_factor


@pytest.fixture
def admin_client(client):
    """A superuser with an authenticator (the admin asks privileged people for one). Replaces
    pytest-django's fixture of the same name for the learners' tests.
    """
    user = UserFactory(is_superuser=True, is_staff=True)
    sign_in_with_second_factor(client, user)
    return client
