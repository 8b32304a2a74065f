"""Demo skills coverage: a cohort of synthetic colleagues in the demo HR lead's department,
with real evidence (statements through the LRS), self-assessments, targets and two months of
history, so the HR lead's dashboard shows figures above the disclosure threshold. Idempotent.

The colleagues are synthetic (nobody signs in as them: unusable passwords, unverified
addresses). Everything derives from fixed seeds, so a second run finds every person, statement,
self-assessment, target and snapshot already there and adds nothing.
"""

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courses.models import Skill, SkillLevel
from courses.selectors import live_courses
from learners.learning.models import SelfAssessment
from learners.learning.services import self_assessment_set
from learners.learning.xapi import course_iri
from learners.lrs.selectors import statements_about_activity
from learners.lrs.services import statements_store
from learners.models import Grade, Organisation, Profession, User
from learners.services.profiles import profile_update
from learners.xapi import COMPLETED, PASSED
from reporting import services
from reporting.models import CoverageSnapshot
from reporting.services.aggregation import month_start

COHORT_SIZE = 160
EMAIL = "colleague{number:03d}@{domain}.example.gov.uk"
# Statement ids are uuid5 of this namespace, the learner and the course: the same every run.
STATEMENT_NAMESPACE = uuid.UUID("0f6b6c2e-7f0e-4a57-9d55-2b8f3c1a9e40")
SEED = 20260601

FIRST_NAMES = (
    "Amara Ben Chloe Dev Ellis Fatima George Hana Isaac Jade Kofi Laura Mo Nia Oscar Pooja "
    "Quinn Rhys Sana Tom Uma Vik Wren Yusuf Zara"
).split()
LAST_NAMES = (
    "Adeyemi Brown Chen Davies Evans Fraser Gill Hall Iqbal Jones Khan Lewis Murphy Nowak "
    "Owen Price Roberts Singh Taylor Walsh Wright Young"
).split()

# Share of the workforce in each grade and profession (loaded taxonomy codes and names);
# whatever the taxonomy lacks is left out, and without any of them every grade counts equally.
GRADE_WEIGHTS = {"AO": 5, "EO": 15, "HEO": 30, "SEO": 25, "G7": 17, "G6": 6, "SCS1": 2}
PROFESSION_WEIGHTS = {
    "Digital": 40,
    "Analysis": 20,
    "Operational delivery": 15,
    "Project delivery": 15,
    "Commercial": 10,
}
# How many colleagues complete each course, by position in the catalogue (by slug).
COMPLETIONS = (62, 48, 75, 40, 36, 22, 55, 18)
# Of each course's completers: the share done two months ago, and by last month.
PHASES = (0.4, 0.7)
SELF_ASSESSED_OTHERS = 2
SELF_ASSESSED_TARGET_SHARE = 0.75
SELF_ASSESSED_LEVEL_WEIGHTS = (25, 35, 25, 15)  # awareness .. expert
# Targets (skill, at least this level, % of headcount), on skills the demo courses build.
TARGETS = (
    ("Data ethics and privacy", SkillLevel.WORKING, 40),
    ("IT infrastructure", SkillLevel.AWARENESS, 30),
    ("Accessibility", SkillLevel.WORKING, 25),
)


def _weighted(rows, weights: dict, key) -> tuple[list, list[int]]:
    chosen = [row for row in rows if key(row) in weights]
    if not chosen:
        return list(rows), [1] * len(rows)
    return chosen, [weights[key(row)] for row in chosen]


def _colleagues(department: Organisation, rng: random.Random) -> list[User]:
    """The cohort, created on the first run; later runs find it and change nothing."""
    grades, grade_weights = _weighted(
        list(Grade.objects.order_by("rank")), GRADE_WEIGHTS, key=lambda g: g.code
    )
    professions, profession_weights = _weighted(
        list(Profession.objects.filter(parent__isnull=True).exclude(name="I don't know")),
        PROFESSION_WEIGHTS,
        key=lambda p: p.name,
    )
    domain = department.slug or "department"
    emails = [EMAIL.format(number=n, domain=domain) for n in range(1, COHORT_SIZE + 1)]
    existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    people = []
    for number, email in enumerate(emails):
        grade = rng.choices(grades, grade_weights)[0] if grades else None
        profession = rng.choices(professions, profession_weights)[0] if professions else None
        user = existing.get(email)
        if user is None:
            user = User.objects.create_user(
                email,
                None,
                first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(number * 7) % len(LAST_NAMES)],
            )
            profile_update(user=user, organisation=department, grade=grade, profession=profession)
        people.append(user)
    return people


def _timestamp(phase: int, today: date, now: datetime, offset: int) -> str:
    """Mid-month two months ago, last month, or earlier today for the current month."""
    if phase == 2:
        moment = now - timedelta(hours=1, minutes=offset)
    else:
        first = month_start(today)
        for _ in range(2 - phase):
            first = month_start(first - timedelta(days=1))
        moment = datetime(first.year, first.month, 14, 9, tzinfo=UTC) + timedelta(minutes=offset)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _evidence_by_phase(people: list[User], rng: random.Random) -> list[list[dict]]:
    """Completed or passed statements on the demo courses, split into three months."""
    courses = sorted(live_courses(), key=lambda course: course.slug)
    now, today = timezone.now(), timezone.localdate()
    phases: list[list[dict]] = [[], [], []]
    for index, course in enumerate(courses):
        wanted = COMPLETIONS[index % len(COMPLETIONS)]
        completers = rng.sample(people, min(wanted, len(people)))
        iri = course_iri(course)
        for position, user in enumerate(completers):
            share = position / len(completers)
            phase = 0 if share < PHASES[0] else 1 if share < PHASES[1] else 2
            verb = PASSED if rng.random() < 0.5 else COMPLETED
            key = f"{user.learner_id}/{course.translation_key}"
            phases[phase].append(
                {
                    "id": str(uuid.uuid5(STATEMENT_NAMESPACE, key)),
                    "actor": {
                        "objectType": "Agent",
                        "account": {
                            "homePage": settings.SITE_BASE_URL,
                            "name": str(user.learner_id),
                        },
                    },
                    "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
                    "object": {
                        "objectType": "Activity",
                        "id": iri,
                        "definition": {"name": {"en-GB": course.title}},
                    },
                    "result": {"completion": True, "success": True},
                    "timestamp": _timestamp(phase, today, now, position),
                }
            )
    return phases


def _store_new(statements: list[dict]) -> int:
    """Store the statements not stored yet (a later run may give them another timestamp)."""
    if not statements:
        return 0
    stored = set()
    for iri in {statement["object"]["id"] for statement in statements}:
        stored.update(
            str(statement_id)
            for statement_id in statements_about_activity(activity_id=iri, related=False)
            .filter(statement_id__in=[s["id"] for s in statements])
            .values_list("statement_id", flat=True)
        )
    new = [statement for statement in statements if statement["id"] not in stored]
    if new:
        statements_store(statements=new)
    return len(new)


def _self_assessments(people: list[User], rng: random.Random) -> None:
    """Most people rate themselves in the target skills, everyone in two others (a separate
    series). Not everyone: a row where nearly all have rated themselves leaves a small "not
    rated" figure whose suppression would hide another cell of the row too.
    """
    skill_ids = sorted(
        {cs.skill_id for course in live_courses() for cs in course.course_skills.all()}
    )
    skills = {skill.pk: skill for skill in Skill.objects.filter(pk__in=skill_ids)}
    targeted = [pk for pk, skill in skills.items() if skill.name in {t[0] for t in TARGETS}]
    others = [pk for pk in skill_ids if pk not in targeted]
    done = set(SelfAssessment.objects.filter(user__in=people).values_list("user_id", "skill_id"))
    for user in people:
        chosen = [pk for pk in sorted(targeted) if rng.random() < SELF_ASSESSED_TARGET_SHARE]
        chosen += rng.sample(others, min(SELF_ASSESSED_OTHERS, len(others)))
        for skill_id in chosen:
            level = rng.choices(list(SkillLevel.values), SELF_ASSESSED_LEVEL_WEIGHTS)[0]
            if (user.pk, skill_id) not in done:
                self_assessment_set(user=user, skill=skills[skill_id], level=level)


def _targets(department: Organisation, lead: User | None) -> None:
    for name, level, percent in TARGETS:
        skill = Skill.objects.filter(name=name).first()
        if skill is not None:
            services.skill_target_set(
                organisation=department,
                skill=skill,
                level=level,
                target_percent=percent,
                user=lead,
            )


def _snapshot(department: Organisation, period: date) -> None:
    """The month's snapshot, unless one exists: history is not rewritten by a second run."""
    if not CoverageSnapshot.objects.filter(organisation=department, period=period).exists():
        services.coverage_snapshot_build(period=period)


@transaction.atomic
def seed_coverage(*, people: dict) -> None:
    """Give the demo HR lead's department a cohort with evidence, targets and history.

    Needs the taxonomy and the demo curriculum (seed_curriculum) and the personas
    (seed_people); without an HR lead with a department it does nothing.
    """
    lead = people.get("hr")
    department = (
        Organisation.objects.filter(hr_leads__user=lead).order_by("name").first() if lead else None
    )
    if department is None:
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    colleagues = _colleagues(department, rng)
    phases = _evidence_by_phase(colleagues, rng)
    _self_assessments(colleagues, rng)
    _targets(department, lead)
    this_month = month_start(timezone.localdate())
    last_month = month_start(this_month - timedelta(days=1))
    two_months_ago = month_start(last_month - timedelta(days=1))
    # Fold each month's evidence in before taking that month's snapshot, so the trend grows.
    _store_new(phases[0])
    services.coverage_update()
    _snapshot(department, two_months_ago)
    _store_new(phases[1])
    services.coverage_update()
    _snapshot(department, last_month)
    _store_new(phases[2])
    services.coverage_update()
