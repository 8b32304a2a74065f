"""Challenge pages, submissions and mentors for tests."""

from datetime import timedelta

import factory
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from challenges.models import (
    ChallengeIndexPage,
    ChallengePage,
    MentorAssignment,
    RubricCriterion,
    Submission,
    SubmissionMember,
    SubmissionStatus,
)
from courses.demo import seed_home_page
from learners.models import Role
from tests.factories.courses import SkillFactory
from tests.factories.learners import (
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
    totp_enable,
)


def with_mfa(user):
    """Give a privileged user an authenticator (sign in with `sign_in_with_second_factor`)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        totp_enable(user)
    return user


def _ensure_root() -> None:
    """A transactional test's flush deletes the root page and locale Wagtail's migrations made."""
    if Page.get_first_root_node() is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        Locale.objects.get_or_create(language_code=language)
        Page.add_root(instance=Page(title="Root", slug="root"))


def challenge_index() -> ChallengeIndexPage:
    _ensure_root()
    index = ChallengeIndexPage.objects.first()
    if index is None:
        home = seed_home_page()
        index = home.add_child(instance=ChallengeIndexPage(title="Challenges", slug="challenges"))
    return index


_counter = iter(range(1, 1_000_000))


def create_challenge(*, criteria: int = 2, skills=None, managers=(), **fields) -> ChallengePage:
    """A live challenge under the index, open now for two weeks, with a rubric."""
    n = next(_counter)
    now = timezone.now()
    values = {
        "title": f"Challenge {n}",
        "slug": f"challenge-{n}",
        "summary": "Make a form easier to use.",
        "problem_statement": "<p>People give up on the form halfway.</p>",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=14),
        "allowed_file_types": "pdf,png,docx",
        "max_file_size_mb": 1,
        **fields,
    }
    if "sponsor" not in values:
        values["sponsor"] = OrganisationFactory()
    page = ChallengePage(**values)
    for i in range(criteria):
        page.rubric_criteria.add(
            RubricCriterion(
                title=f"Criterion {i + 1}",
                weight=i + 1,
                not_yet="Not there yet.",
                developing="Some of it.",
                secure="All of it.",
                excellent="More than asked.",
            )
        )
    challenge_index().add_child(instance=page)
    page.skills = list(skills) if skills is not None else [SkillFactory()]
    page.managers = list(managers)
    page.save()
    return page


def mentor(**kwargs):
    user = UserFactory(roles=[Role.MENTOR], **kwargs)
    ProfileFactory(user=user)
    return with_mfa(user)


def manager(**kwargs):
    return with_mfa(UserFactory(roles=[Role.EDITOR], **kwargs))


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A draft by one person (the lead), who gets a profile in a department."""

    class Meta:
        model = Submission
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Idea {n}")
    summary = "We would shorten the form."
    created_by = factory.SubFactory(UserFactory)
    status = SubmissionStatus.DRAFT

    @factory.post_generation
    def lead(obj, create, extracted, **kwargs):
        if create:
            ProfileFactory(user=obj.created_by)
            SubmissionMember.objects.create(submission=obj, user=obj.created_by, is_lead=True)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        for user in extracted or []:
            SubmissionMember.objects.create(submission=obj, user=user)


def assign(submission, mentor_user) -> MentorAssignment:
    return MentorAssignment.objects.create(submission=submission, mentor=mentor_user)
