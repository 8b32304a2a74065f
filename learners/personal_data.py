"""Personal data of people and their accounts (see learners.privacy.register for the format),
including the account models of allauth, Django's sessions and admin log, and Wagtail's user
profile, which this app integrates.
"""

from importlib import import_module

from django.conf import settings

PERSONAL_DATA = [
    {
        "model": "learners.User",
        "fields": [
            "email",
            "first_name",
            "last_name",
            "password",
            "last_login",
            "date_joined",
            "learner_id",
            "groups",
            "user_permissions",
        ],
        "purpose": "account",
        "retention": "account",
        "erasure": "pseudonymise",
    },
    {
        "model": "learners.Profile",
        "fields": [
            "user",
            "organisation",
            "grade",
            "profession",
            "current_role_level",
            "target_role_level",
            "hr_lead_for",
        ],
        "purpose": "learning",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "account.EmailAddress",
        "fields": ["user", "email"],
        "purpose": "account",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "account.EmailConfirmation",
        "fields": ["email_address", "key"],
        "purpose": "account",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "mfa.Authenticator",
        "fields": ["user", "data"],
        "purpose": "account",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "socialaccount.SocialAccount",
        "fields": ["user", "uid", "extra_data"],
        "purpose": "account",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "socialaccount.SocialToken",
        "fields": ["account", "token", "token_secret"],
        "purpose": "account",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "sessions.Session",
        "fields": ["session_key", "session_data"],
        "purpose": "account",
        "retention": "sessions",
        "erasure": "delete",
    },
    {
        "model": "admin.LogEntry",
        "fields": ["user", "object_repr"],
        "purpose": "security",
        "retention": "audit",
        "erasure": "keep",
    },
    {
        "model": "wagtailusers.UserProfile",
        "fields": ["user", "avatar"],
        "purpose": "account",
        "retention": "account",
        "erasure": "delete",
    },
]

NO_PERSONAL_DATA = [
    "learners.Organisation",
    "learners.Grade",
    "learners.Profession",
    "socialaccount.SocialApp",
    "auth",
    "contenttypes",
]


def export_personal_data(user) -> dict:
    """The account, profile, addresses, second factors (never their secrets) and SSO links."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    profile = getattr(user, "profile", None)
    return {
        "account": {
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "learner_id": str(user.learner_id),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "profile": profile
        and {
            "department": str(profile.organisation or ""),
            "grade": str(profile.grade or ""),
            "profession": str(profile.profession or ""),
            "current_role_level": str(profile.current_role_level or ""),
            "target_role_level": str(profile.target_role_level or ""),
            "hr_lead_for": [str(o) for o in profile.hr_lead_for.all()],
            "updated_at": profile.updated_at,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "second_factors": list(
            Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at")
        ),
        "single_sign_on": list(
            SocialAccount.objects.filter(user=user).values(
                "provider", "uid", "date_joined", "last_login", "extra_data"
            )
        ),
    }


def _user_sessions_delete(user) -> int:
    """Delete the person's sessions, from the cache too (sessions are cached_db)."""
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    deleted = 0
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session.session_key).delete()
            deleted += 1
    return deleted


def erase_personal_data(user, *, pseudonym: str) -> dict[str, int]:
    """Delete the profile, addresses, second factors, SSO links and sessions; redact the
    admin log's copies of the person's name or address.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from django.contrib.admin.models import LogEntry
    from wagtail.users.models import UserProfile

    from learners.models import Profile

    counts = {"sessions": _user_sessions_delete(user)}
    names = {user.email, str(user)} - {""}
    counts["admin_log_redacted"] = LogEntry.objects.filter(object_repr__in=names).update(
        object_repr=pseudonym
    )
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
    counts["wagtail_profiles"] = UserProfile.objects.filter(user=user).delete()[0]
    for model in (Profile, EmailAddress, Authenticator, SocialAccount):
        counts[model._meta.model_name] = model.objects.filter(user=user).delete()[0]
    return counts
