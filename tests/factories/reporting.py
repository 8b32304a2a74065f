"""Learners with evidence, for the coverage reports."""

import uuid

from courses.models import SkillLevel
from learners.learning.xapi import course_iri
from learners.lrs.services import statements_store
from learners.xapi import COMPLETED, PASSED
from tests.factories.courses import CoursePageFactory, SkillFactory, catalogue
from tests.factories.learners import ProfileFactory


def actor(user, home_page: str = "http://testserver") -> dict:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": str(user.learner_id)}}


def evidence(user, iri: str, verb: str = COMPLETED, **extra) -> dict:
    statement = {
        "id": str(uuid.uuid4()),
        "actor": actor(user),
        "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": iri},
    }
    statement.update(extra)
    return statement


def store(*statements) -> list[str]:
    return statements_store(statements=list(statements))


def course_building(skill=None, level: int = SkillLevel.PRACTITIONER, **kwargs):
    """A live course in the catalogue that builds `skill` to `level`."""
    skill = skill or SkillFactory()
    course = CoursePageFactory(parent=catalogue(), skills=[(skill, level)], **kwargs)
    return course, skill


def people(n: int, **profile_fields) -> list:
    return [ProfileFactory(**profile_fields).user for _ in range(n)]


def complete(users, course, verb: str = COMPLETED) -> list[str]:
    return store(*(evidence(user, course_iri(course), verb) for user in users))


__all__ = ["COMPLETED", "PASSED", "complete", "course_building", "evidence", "people", "store"]
