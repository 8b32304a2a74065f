"""Demo challenges: the index page, two challenges, and submissions waiting for the demo mentor."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.demo import seed_home_page
from courses.models import Skill, SkillLevel
from learners.models import Organisation
from learners.services.profiles import profile_update

from . import services
from .models import ChallengeIndexPage, ChallengePage, RubricCriterion

INTRODUCTION = (
    "<p>Departments bring real problems. Work alone or in a team, submit your solution, and "
    "mentors from across government give you feedback. An accepted submission is evidence of "
    "the skills the challenge builds.</p>"
)

# GOV.UK analytics identifiers: DWP, HMRC, Home Office.
SPONSOR_CODES = ("D10", "D25", "D16")

RUBRIC = [
    (
        "Understanding of users",
        3,
        (
            "Assumes what users need.",
            "Uses some evidence about users.",
            "Grounds the solution in research with real users.",
            "Research shapes every decision and is shared openly.",
        ),
    ),
    (
        "Quality of the solution",
        2,
        (
            "The solution does not address the problem.",
            "Addresses part of the problem.",
            "Addresses the problem and has been tested.",
            "Tested, measured and ready to scale.",
        ),
    ),
    (
        "Accessibility and inclusion",
        1,
        (
            "Not considered.",
            "Some thought given to access needs.",
            "Meets WCAG 2.2 AA and considers assisted digital.",
            "Goes beyond the standard with disabled users' input.",
        ),
    ),
]

CHALLENGES = [
    {
        "slug": "finish-a-benefit-claim",
        "title": "Help people finish a benefit claim online",
        "summary": "Four in ten people who start an online claim never finish it. Find out why "
        "and design a fix.",
        "problem_statement": "<p>Many people start an online benefit claim and give up part of "
        "the way through, then phone or visit instead. We want to understand where and why, "
        "and to test a change that helps more people finish.</p>",
        "eligibility": "<p>Open to civil servants in any department. Teams of up to 4.</p>",
        "skills": ["User research methods", "Prototyping", "Accessibility"],
        "level": SkillLevel.WORKING,
        "opens": -14,
        "closes": 21,
        "max_team_size": 4,
        "blind_review": False,
        "mentors_per_submission": 1,
        "sponsor": 0,
    },
    {
        "slug": "forecast-passport-demand",
        "title": "Forecast demand for passport appointments",
        "summary": "Predict weekly demand for passport interviews so that offices can plan staff.",
        "problem_statement": "<p>Demand for passport interviews swings with the seasons and "
        "with news. Build and explain a forecast that offices could use four weeks ahead.</p>",
        "eligibility": "<p>Open to analysts at any grade. Individuals or teams of up to 3.</p>",
        "skills": ["Data analysis and synthesis", "Data visualisation", "Communicating data"],
        "level": SkillLevel.PRACTITIONER,
        "opens": -3,
        "closes": 45,
        "max_team_size": 3,
        "blind_review": True,
        "mentors_per_submission": 1,
        "sponsor": 2,
    },
]

ENTRANTS = [
    ("entrant1@example.gov.uk", "Morgan", "Reid", 1),
    ("entrant2@example.gov.uk", "Taylor", "Singh", 2),
    ("entrant3@example.gov.uk", "Casey", "Doyle", 2),
]


def _sponsors() -> list[Organisation]:
    by_code = {o.code: o for o in Organisation.objects.filter(code__in=SPONSOR_CODES)}
    found = [by_code[code] for code in SPONSOR_CODES if code in by_code]
    fallback = list(Organisation.objects.live().departments().order_by("name")[:3]) or list(
        Organisation.objects.order_by("name")[:3]
    )
    sponsors = found or fallback
    if not sponsors:
        raise RuntimeError("No organisations: run `manage.py load_taxonomy` first.")
    while len(sponsors) < 3:
        sponsors.append(sponsors[-1])
    return sponsors


def _skills(names: list[str]) -> list[Skill]:
    skills = list(Skill.objects.filter(name__in=names))
    return skills or list(Skill.objects.order_by("name")[:2])


def _index() -> ChallengeIndexPage:
    index = ChallengeIndexPage.objects.first()
    if index is None:
        index = seed_home_page().add_child(
            instance=ChallengeIndexPage(
                title="Innovation challenges", slug="challenges", introduction=INTRODUCTION
            )
        )
        index.save_revision().publish()
    return index


def _challenge(index, spec: dict, *, sponsors, managers) -> ChallengePage:
    existing = ChallengePage.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    now = timezone.now()
    page = ChallengePage(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        problem_statement=spec["problem_statement"],
        eligibility=spec["eligibility"],
        sponsor=sponsors[spec["sponsor"]],
        level=spec["level"],
        opens_at=now + timedelta(days=spec["opens"]),
        closes_at=now + timedelta(days=spec["closes"]),
        max_team_size=spec["max_team_size"],
        blind_review=spec["blind_review"],
        mentors_per_submission=spec["mentors_per_submission"],
    )
    for title, weight, (not_yet, developing, secure, excellent) in RUBRIC:
        page.rubric_criteria.add(
            RubricCriterion(
                title=title,
                weight=weight,
                not_yet=not_yet,
                developing=developing,
                secure=secure,
                excellent=excellent,
            )
        )
    page.skills = _skills(spec["skills"])
    page.managers = managers
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _entrants(sponsors) -> list:
    User = get_user_model()
    users = []
    for email, first, last, sponsor_index in ENTRANTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, first_name=first, last_name=last)
        profile_update(user=user, organisation=sponsors[sponsor_index], grade=None, profession=None)
        users.append(user)
    return users


def _submit(challenge, user, title, summary, *, team=(), manager, mentor) -> None:
    submission = services.submission_start(
        challenge=challenge, user=user, title=title, summary=summary
    )
    for teammate in team:
        invitation = services.invitation_create(
            submission_id=submission.pk, user=user, email=teammate.email
        )
        services.invitation_accept(token=invitation.token, user=teammate)
    services.submission_submit(submission_id=submission.pk, user=user, expected_round=1)
    services.mentor_assign(submission_id=submission.pk, mentor=mentor, manager=manager)


def seed_challenges(*, people: dict) -> None:
    """Create the demo challenges and submissions. Idempotent.

    The first challenge has two submissions waiting for mentor@example.gov.uk (entrants from
    other departments than the mentor's) and a draft by the demo learner; the editor manages
    both challenges.
    """
    index = _index()
    sponsors = _sponsors()
    manager = people["editor"]
    pages = [_challenge(index, spec, sponsors=sponsors, managers=[manager]) for spec in CHALLENGES]
    first = pages[0]
    if first.submissions.exists():
        return
    entrant1, entrant2, entrant3 = _entrants(sponsors)
    mentor = people["mentor"]
    _submit(
        first,
        entrant1,
        "Save and return for the claim form",
        "Our research with 12 claimants found most leave to find documents. We prototyped "
        "saving progress and a checklist up front; completion rose in testing.",
        manager=manager,
        mentor=mentor,
    )
    _submit(
        first,
        entrant2,
        "Plain English questions",
        "We rewrote the 20 hardest questions with content designers and tested them with "
        "people who use screen readers.",
        team=[entrant3],
        manager=manager,
        mentor=mentor,
    )
    services.submission_start(
        challenge=first,
        user=people["learner"],
        title="A claim form that explains itself",
        summary="Help text at each question, written from call-centre transcripts.",
    )
