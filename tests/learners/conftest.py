import pytest

from tests.factories.learners import UserFactory, totp_enable


@pytest.fixture
def admin_client(client):
    """A superuser with an authenticator (the admin asks privileged people for one). Replaces
    pytest-django's fixture of the same name for the learners' tests.
    """
    user = UserFactory(is_superuser=True, is_staff=True)
    totp_enable(user)
    client.force_login(user)
    return client
