import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils.text import slugify

from learners.models import Grade, Organisation, Profession, Profile, User

DEFAULT_PASSWORD = "correct-horse-battery"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Department for Testing {n}")
    code = factory.Sequence(lambda n: f"T{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    format = "Ministerial department"
    status = Organisation.Status.LIVE


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"Grade {n}")
    rank = factory.Sequence(lambda n: 100 + n)


class ProfessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profession
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Profession {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user who can sign in with DEFAULT_PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.update_or_create(
                user=obj,
                email=obj.email,
                defaults={"verified": extracted is not False, "primary": True},
            )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role in extracted or []:
            obj.groups.add(Group.objects.get_or_create(name=role)[0])


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    grade = factory.SubFactory(GradeFactory)
    profession = factory.SubFactory(ProfessionFactory)


def totp_code(secret: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """The RFC 6238 TOTP code an authenticator app would show for a base32 secret."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def totp_enable(user) -> str:
    """Give the user an active TOTP authenticator, as enrolment would; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def hr_lead(*, organisations, **kwargs):
    """A user who is HR lead (group and assignment) for the given departments."""
    from learners.models import Role

    user = UserFactory(roles=[Role.HR_LEAD.value], **kwargs)
    profile = ProfileFactory(user=user)
    profile.hr_lead_for.set(organisations)
    return user


def sign_in_with_second_factor(client, user, *, password=DEFAULT_PASSWORD):
    """Sign in as a person does: email and password at allauth's sign-in, then a code from their
    authenticator app (one is given to them first if they have none). Returns the client.

    A privileged area needs the second factor in the session, so `force_login` is not enough.
    """
    import time

    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache
    from django.urls import reverse

    client.logout()  # allauth sends a signed-in visitor away from its sign-in page
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    secret = decrypt(authenticator.data["secret"]) if authenticator else totp_enable(user)
    for _attempt in range(2):
        step = client.post(reverse("account_login"), {"login": user.email, "password": password})
        assert step.status_code == 302, "the password was refused"
        assert step["Location"] == reverse("mfa_authenticate"), step["Location"]
        if time.time() % 30 > 28:  # the code is about to change: use the next one
            time.sleep(30 - time.time() % 30 + 0.1)
        code = totp_code(secret)
        # allauth refuses a code replayed within its window (it marks it used in the cache).
        # A test signs the same person in more than once a window; a person never could, so
        # forget the mark rather than wait up to 30 s for the next code.
        cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
        done = client.post(step["Location"], {"code": code})
        if done.status_code == 302:
            assert client.session["_auth_user_id"] == str(user.pk)
            return client
        # That code was already used by this user id in this window (ids repeat after a
        # rollback): wait for the next code.
        time.sleep(30 - time.time() % 30 + 0.1)
    raise AssertionError("the authenticator code was refused")
