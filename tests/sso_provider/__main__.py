"""Start the test identity provider: migrate its database, add the seed, serve on a port.

Environment: SSO_PROVIDER_DB (SQLite file), SSO_PROVIDER_PORT, SSO_PROVIDER_SEED (a JSON file
with the client and the users, as tests.sso_provider.process writes it).
"""

import json
import os

import django
from django.core.management import call_command

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso_provider.settings"
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


def seed(data: dict) -> None:
    for person in data["users"]:
        user = User.objects.create_user(
            username=person["username"],
            password=person["password"],
            email=person["email"],
            first_name=person.get("given_name", ""),
            last_name=person.get("family_name", ""),
        )
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = data["client"]
    Application.objects.create(
        name="Public School of Technology",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )


if __name__ == "__main__":
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.environ["SSO_PROVIDER_SEED"], encoding="utf-8") as file:
        seed(json.load(file))
    port = os.environ["SSO_PROVIDER_PORT"]
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)
