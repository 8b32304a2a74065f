import re

import pytest
from django.urls import reverse

from learners.learning import selectors, services
from learners.learning import xapi as course_statements
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory, sign_in_with_second_factor
from tests.factories.learning import read_all_lessons
from tests.factories.reporting import evidence, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = course_with_lessons(lessons=2)
    finisher, dropper, answerer = UserFactory(), UserFactory(), UserFactory()
    for user in (finisher, dropper, answerer):
        services.enrolment_create(user=user, course=course)
    read_all_lessons(user=finisher, course=course)
    services.assessment_submit(
        user=finisher, assessment=course.assessment(), answers={"q1": ["a"], "q2": ["b"]}
    )
    first = course.lessons().first()
    services.lesson_experience(user=dropper, lesson=first)
    services.knowledge_check_answer(user=dropper, lesson=first, block_id="kc1", chosen=["b"])
    services.knowledge_check_answer(user=answerer, lesson=first, block_id="kc1", chosen=["a"])
    return course


def test_course_analytics_from_statements(course):
    stats = selectors.course_analytics(course=course)
    figures = stats["figures"]
    assert (figures.enrolments, figures.starts, figures.learners) == (3, 3, 3)
    assert figures.completions == 1
    assert figures.completion_rate == 33
    assert [step["learners"] for step in figures.funnel] == [2, 1, 1]
    check = next(q for q in stats["questions"] if q.block_id == "kc1")
    assert check.total == 2
    assert [(text, count, percent) for text, _, count, percent in check.options] == [
        ("Right", 1, 50),
        ("Wrong", 1, 50),
    ]
    q2 = next(q for q in stats["questions"] if q.block_id == "q2")
    assert [count for _, _, count, _ in q2.options] == [0, 1]


def test_editors_see_course_analytics_in_the_admin(client, course):
    editor = UserFactory(roles=["Editors"])  # Wagtail's Editors group: page permissions
    sign_in_with_second_factor(client, editor)
    response = client.get(reverse("course_analytics"))
    assert response.status_code == 200
    assert course.title in response.content.decode()
    response = client.get(reverse("course_analytics_detail", args=[course.pk]))
    assert response.status_code == 200
    assert "Drop-off by lesson" in response.content.decode()


def test_learners_cannot_see_course_analytics(client, course):
    client.force_login(UserFactory())
    response = client.get(reverse("course_analytics_detail", args=[course.pk]))
    assert response.status_code in (302, 403)


def _statement(user, verb, iri, *, completion=None):
    extra = {"result": {"completion": completion}} if completion is not None else {}
    return evidence(user, iri, verb, **extra)


def _cells(html: str, course) -> list[str]:
    row = re.search(rf'<tr data-course="{course.pk}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]


def test_every_figure_of_the_list_and_the_detail_page_from_hand_built_statements(client):
    """Six learners, their statements written by hand (as external content would send them):

    a: launched, read both lessons, passed, completed  -> enrolled, finished all, completed
    b: launched, read lesson 1                          -> enrolled, dropped after lesson 1
    c: launched, nothing else                           -> enrolled, never started
    d: no launch; completed both lessons, completed     -> external content: started, completed
    e: no launch; lesson 1 experienced without completion, failed the assessment
    f: launched, then every statement voided            -> a (voided) launch does not count
    """
    course = course_with_lessons(lessons=2)
    one, two = course.lessons()
    c_iri = course_statements.course_iri(course)
    l1, l2 = course_statements.lesson_iri(one), course_statements.lesson_iri(two)
    a_iri = course_statements.assessment_iri(course.assessment())
    a, b, c, d, e, f = (UserFactory() for _ in range(6))
    v = course_statements
    store(
        _statement(a, v.LAUNCHED, c_iri),
        _statement(a, v.EXPERIENCED, l1, completion=True),
        _statement(a, v.EXPERIENCED, l2, completion=True),
        _statement(a, v.EXPERIENCED, l2, completion=True),  # read twice: one learner
        _statement(a, v.PASSED, a_iri),
        _statement(a, v.COMPLETED, c_iri),
        _statement(b, v.LAUNCHED, c_iri),
        _statement(b, v.EXPERIENCED, l1, completion=True),
        _statement(c, v.LAUNCHED, c_iri),
        _statement(d, v.COMPLETED, l1),
        _statement(d, v.COMPLETED, l2),
        _statement(d, v.COMPLETED, c_iri),
        _statement(e, v.EXPERIENCED, l1, completion=False),
        _statement(e, v.FAILED, a_iri),
    )
    [launch_f] = store(_statement(f, v.LAUNCHED, c_iri))
    store(
        {
            "actor": {"objectType": "Agent", "mbox": "mailto:admin@example.gov.uk"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-GB": "voided"}},
            "object": {"objectType": "StatementRef", "id": launch_f},
        }
    )
    editor = UserFactory(roles=["Editors"])
    sign_in_with_second_factor(client, editor)

    listing = client.get(reverse("course_analytics")).content.decode()
    detail = client.get(reverse("course_analytics_detail", args=[course.pk]))

    # Enrolled a, b, c; started a, b, d, e; learners a-e; completed a, d: 2 of 5 = 40%.
    assert _cells(listing, course) == [course.title, "3", "4", "5", "2", "40%"]
    figures = detail.context["figures"]
    assert (figures.enrolments, figures.starts, figures.learners) == (3, 4, 5)
    assert (figures.completions, figures.completion_rate) == (2, 40)
    # Lesson 1 finished by a, b, d; lesson 2 by a, d; the assessment passed by a.
    assert [(step["learners"], step["percent"]) for step in figures.funnel] == [
        (3, 60),
        (2, 40),
        (1, 20),
    ]
    html = detail.content.decode()
    assert "<dt>Completed</dt><dd>2 (40% of learners)</dd>" in html
    assert f"<td>{one.title}</td><td>3</td><td>60%</td>" in html


def test_course_figures_ignore_a_learners_own_completion_claims(client, course):
    from learners.learning.selectors.analytics import course_figures
    from learners.xapi import COMPLETED, PASSED
    from tests.factories.learners import DEFAULT_PASSWORD
    from tests.factories.lrs import xapi_headers

    before = course_figures(courses=[course])[0]
    claimant = UserFactory()
    client.login(email=claimant.email, password=DEFAULT_PASSWORD)
    claims = [
        evidence(claimant, course_statements.course_iri(course), COMPLETED),
        evidence(claimant, course_statements.assessment_iri(course.assessment()), PASSED),
    ]
    response = client.post(
        "/xapi/statements", claims, content_type="application/json", **xapi_headers()
    )
    assert response.status_code == 200

    after = course_figures(courses=[course])[0]
    assert after.completions == before.completions == 1  # the finisher's, not the claimant's
    assert after.funnel[-1]["learners"] == before.funnel[-1]["learners"]
