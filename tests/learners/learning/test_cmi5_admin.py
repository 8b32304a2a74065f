"""Staff actions on a cmi5 course in the Wagtail admin: waive an AU, abandon a session."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission

from learners.learning.cmi5 import vocabulary as v
from learners.learning.cmi5.models import Cmi5Session, Cmi5UnitStatus, SessionState
from learners.learning.models import Certificate, Enrolment
from learners.lrs.models import Statement
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory, sign_in_with_second_factor
from tests.learners.learning.test_cmi5 import _course, _launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def launched(client):
    learner = UserFactory()
    client.force_login(learner)
    course = _course("004-1-moveOn-Completed.cmi5.xml")
    unit = course.cmi5_package.units.get()
    _launch(client, unit)
    client.logout()
    return course, unit, Enrolment.objects.get(user=learner, course=course)


def _editor(client, roles=("Editors",)):
    editor = UserFactory(roles=list(roles))
    sign_in_with_second_factor(client, editor)
    return editor


def _other_department(client):
    """An editor whose page permissions cover another department's course only."""
    group = Group.objects.create(name="Other department editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=course_with_lessons(lessons=1),
        permission=Permission.objects.get(codename="change_page"),
    )
    return _editor(client, roles=[group.name])


def test_an_editor_abandons_a_session_by_its_id(client, launched):
    course, unit, enrolment = launched
    session = Cmi5Session.objects.get()
    _editor(client)
    page = client.get(reverse("cmi5_course_actions", args=[course.pk]))
    assert page.status_code == 200
    assert str(session.session_id) in page.text
    url = reverse("cmi5_abandon", args=[course.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"session_id": str(session.session_id)}).status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.ABANDONED
    assert Statement.objects.filter(verb_id=v.ABANDONED).count() == 1
    client.post(url, {"session_id": str(session.session_id)})  # ended: nothing more
    assert Statement.objects.filter(verb_id=v.ABANDONED).count() == 1


def test_an_editor_waives_an_au_with_a_reason(client, launched):
    course, unit, enrolment = launched
    _editor(client)
    url = reverse("cmi5_waive", args=[course.pk])
    form = {"registration": str(enrolment.registration), "unit": unit.pk, "reason": "Tested Out"}
    assert client.post(url, {**form, "reason": "Because"}).status_code == 400
    assert client.post(url, {**form, "registration": "not-a-uuid"}).status_code == 400
    assert not Statement.objects.filter(verb_id=v.WAIVED).exists()
    assert client.post(url, form).status_code == 302
    assert Cmi5UnitStatus.objects.get(enrolment=enrolment, unit=unit).waived
    assert Statement.objects.filter(verb_id=v.WAIVED).count() == 1
    assert Statement.objects.filter(verb_id=v.SATISFIED).count() == 2
    assert Certificate.objects.filter(user=enrolment.user, course=course).exists()
    client.post(url, form)
    assert Statement.objects.filter(verb_id=v.WAIVED).count() == 1


@pytest.mark.parametrize("who", ["learner", "other department"])
def test_others_cannot_waive_or_abandon(client, launched, who):
    course, unit, enrolment = launched
    if who == "learner":
        client.force_login(enrolment.user)
    else:
        _other_department(client)
    session = Cmi5Session.objects.get()
    form = {"registration": str(enrolment.registration), "unit": unit.pk, "reason": "Tested Out"}
    for name, data in (
        ("cmi5_waive", form),
        ("cmi5_abandon", {"session_id": str(session.session_id)}),
    ):
        response = client.post(reverse(name, args=[course.pk]), data)
        assert response.status_code in (302, 403)
        if response.status_code == 302:  # Wagtail turns a refusal into a redirect
            assert "login" in response["Location"] or response["Location"] == "/admin/"
    assert client.get(reverse("cmi5_course_actions", args=[course.pk])).status_code in (302, 403)
    session.refresh_from_db()
    assert session.state == SessionState.LAUNCHED
    assert not Statement.objects.filter(verb_id__in=[v.WAIVED, v.ABANDONED]).exists()


def test_the_course_editor_links_to_the_staff_actions(client, launched):
    course, unit, enrolment = launched
    _editor(client)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert reverse("cmi5_course_actions", args=[course.pk]) in page.text
