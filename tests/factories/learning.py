"""Factories and helpers for the learning journey."""

import factory
from django.utils import timezone

from learners.learning import services
from learners.learning.models import Certificate, Enrolment, SelfAssessment
from learners.lrs.services import statements_store
from learners.xapi import actor_for
from tests.factories.courses import SkillFactory
from tests.factories.learners import UserFactory


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment row only (no launched statement): use services.enrolment_create for both."""

    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    user = factory.SubFactory(UserFactory)
    holder_name = factory.LazyAttribute(lambda o: o.user.get_full_name())
    course_title = "A course"
    issued_at = factory.LazyFunction(timezone.now)


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfAssessment

    user = factory.SubFactory(UserFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 2


def read_all_lessons(*, user, course):
    for lesson in course.lessons():
        services.lesson_experience(user=user, lesson=lesson)


def external_statement(*, user, verb: str, activity_id: str, **result) -> dict:
    """A statement as external xAPI content would post it: no registration, own timestamp."""
    statement = {
        "actor": actor_for(user).as_version("1.0.3"),
        "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
        "object": {"id": activity_id, "objectType": "Activity"},
    }
    if result:
        statement["result"] = result
    return statement


def store_external(**kwargs) -> list[str]:
    return statements_store(statements=[external_statement(**kwargs)])
