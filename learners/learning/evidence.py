"""Skills evidence: the one rule the learner's skills profile and the coverage reports read.

A statement evidences a skill at a level when
1. its verb is `passed` or `completed` (EVIDENCE_VERBS), it is not voided, and
2. its activity is one the platform maps to the skill (`evidence_links`): a live public course,
   its first live assessment (the course's skills), or an evidence source another app
   registers (`register_evidence_source`: challenges registers accepted submissions), never
   skills a statement claims about itself, and
3. its authority is trusted to attest that activity (`AuthorityRule`, issue 10):
   - the platform itself (its services check answers server-side);
   - a content session the platform launched for that learner and activity: launch sources
     register here (`register_launch_attesters`). Today's launch tokens are not one: a token
     is the learner's own credential, not bound to an activity, and its authority is the
     learner, so what it sends is the learner speaking about themselves;
   - an LRS client an admin marked as an evidence source for the activity
     (`LRSClient.evidence_activities`, IRI prefixes).
   A statement a learner sends about themselves (session or launch token) is stored, as the
   LRS conforms, but proves nothing.
4. its actor is one of the learner's IFIs (learners.identity).

Why a registry rather than imports: challenges sits above learners, so it hands its
activity -> skill mapping in (from ChallengesConfig.ready), as the cmi5 launches will.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from courses.models import AssessmentPage, CoursePage, CourseSkill
from learners.lrs.identity import agent_ifi
from learners.lrs.models import LRSClient, Statement, indexed
from learners.lrs.services import platform_authority
from learners.xapi import COMPLETED, PASSED, activity_iri

EVIDENCE_VERBS = (PASSED, COMPLETED)


# --- Which activities evidence which skills ------------------------------------------------


@dataclass(frozen=True)
class EvidenceLink:
    """Passing or completing `iri` evidences `skill_id` at `level`; `page_id` is the page that
    shows it (the course or the challenge).
    """

    iri: str
    skill_id: int
    level: int
    page_id: int


_sources: list[Callable[[], Iterable[EvidenceLink]]] = []


def register_evidence_source(source: Callable[[], Iterable[EvidenceLink]]) -> None:
    """Add the evidence links of an app above learners (`source()` gives them)."""
    if source not in _sources:
        _sources.append(source)


def course_evidence_links() -> list[EvidenceLink]:
    """Every live, public course and its first live assessment evidence the course's skills.
    Plain rows, not pages: the reporting job reads this on every run.
    """
    courses = (
        CoursePage.objects.live().public().order_by().values_list("pk", "translation_key", "path")
    )
    by_path, iris = {}, {}
    for pk, key, path in courses:
        by_path[path] = pk
        iris[pk] = [activity_iri("course", str(key))]
    assessments = (
        AssessmentPage.objects.live().order_by("path").values_list("translation_key", "path")
    )
    with_assessment = set()
    for key, path in assessments:
        course_pk = by_path.get(path[: -CoursePage.steplen])
        if course_pk is not None and course_pk not in with_assessment:
            with_assessment.add(course_pk)
            iris[course_pk].append(activity_iri("assessment", str(key)))
    skills = CourseSkill.objects.filter(course_id__in=list(iris)).values_list(
        "course_id", "skill_id", "level"
    )
    return [
        EvidenceLink(iri, skill_id, level, course_id)
        for course_id, skill_id, level in skills
        for iri in iris[course_id]
    ]


def evidence_links() -> list[EvidenceLink]:
    """Every activity -> skill link: the courses' and the registered sources'."""
    links = course_evidence_links()
    for source in _sources:
        links.extend(source())
    return links


# --- Who may attest what --------------------------------------------------------------------


@dataclass(frozen=True)
class Attester:
    """An authority trusted to attest activities whose IRI starts with `activity_prefix` (is
    it, when `exact`), about anyone or, with `actor_ifi`, about that learner only.
    """

    authority_ifi: str
    activity_prefix: str = ""
    exact: bool = False
    actor_ifi: str | None = None

    def attests(self, *, authority_ifi: str | None, actor_ifi: str | None, activity_id) -> bool:
        if authority_ifi != self.authority_ifi or activity_id is None:
            return False
        if self.actor_ifi is not None and actor_ifi != self.actor_ifi:
            return False
        if self.exact:
            return activity_id == self.activity_prefix
        return activity_id.startswith(self.activity_prefix)


_launch_sources: list[Callable] = []


def register_launch_attesters(source: Callable[[Iterable[str] | None], Iterable[Attester]]):
    """Add the launches of content the platform started for a learner and an activity.

    `source(actor_ifis)` gives an `Attester` per launch (the launch's own authority, the
    activity with `exact=True`, the learner's `actor_ifi`), for those learners, or for every
    learner when `actor_ifis` is None. The cmi5 launches plug in here.
    """
    if source not in _launch_sources:
        _launch_sources.append(source)


def platform_authority_ifi() -> str:
    return agent_ifi(platform_authority())


def client_attesters() -> list[Attester]:
    """The LRS clients an admin marked as evidence sources, for their activities (one query)."""
    found = []
    for client in LRSClient.objects.filter(active=True).exclude(evidence_activities=[]):
        # As the statements' indexed column holds it.
        authority = indexed(agent_ifi(client.authority_agent(settings.SITE_BASE_URL)))
        found.extend(Attester(authority, prefix) for prefix in client.evidence_activities or [])
    return found


class AuthorityRule:
    """Whether a statement's authority may attest its activity for its actor.

    The platform's own statements are answered without a query; the clients and launches are
    read once, on the first statement from anyone else (most pages only see the platform's
    statements and the learner's own).
    """

    def __init__(self, *, actor_ifis: Iterable[str] | None = None):
        self.platform = platform_authority_ifi()
        self._actor_ifis = None if actor_ifis is None else list(actor_ifis)
        self._others: list[Attester] | None = None

    def others(self) -> list[Attester]:
        if self._others is None:
            found = client_attesters()
            for source in _launch_sources:
                found.extend(source(self._actor_ifis))
            self._others = found
        return self._others

    def attesters(self) -> list[Attester]:
        return [Attester(self.platform), *self.others()]

    def attests(self, *, authority_ifi: str | None, actor_ifi: str | None, activity_id) -> bool:
        if authority_ifi == self.platform:
            return True
        if authority_ifi is None or authority_ifi == actor_ifi:
            return False  # the learner about themselves
        return any(
            a.attests(authority_ifi=authority_ifi, actor_ifi=actor_ifi, activity_id=activity_id)
            for a in self.others()
        )

    def q(self) -> Q:
        """The rule as a filter on statements."""
        condition = Q(authority_ifi=self.platform)
        for a in self.others():
            one = Q(authority_ifi=a.authority_ifi)
            if a.exact:
                one &= Q(activity_id=a.activity_prefix)
            elif a.activity_prefix:
                one &= Q(activity_id__startswith=a.activity_prefix)
            if a.actor_ifi is not None:
                one &= Q(actor_ifi=a.actor_ifi)
            condition |= one
        return condition

    def digest(self) -> str:
        """What changes the rule for statements already stored: the platform and the clients
        (launches only ever attest statements that come after them).
        """
        rows = sorted((a.authority_ifi, a.activity_prefix) for a in client_attesters())
        return repr([self.platform, *rows])


# --- Evidence statements --------------------------------------------------------------------


def evidence_statements():
    """Statements that could be evidence: an evidence verb, not voided, not voiding."""
    return Statement.objects.filter(verb_id__in=EVIDENCE_VERBS, voided=False, is_voiding=False)


def learner_evidence(*, user, links: list[EvidenceLink] | None = None) -> list[tuple]:
    """(EvidenceLink, verb IRI) for every attested evidence statement of the learner."""
    from learners.identity import actor_is_learner

    if links is None:
        links = evidence_links()
    by_iri: dict[str, list[EvidenceLink]] = {}
    for link in links:
        by_iri.setdefault(link.iri, []).append(link)
    if not by_iri:
        return []
    rule = AuthorityRule()
    rows = (
        evidence_statements()
        .filter(actor_is_learner(user), activity_id__in=list(by_iri))
        .values_list("verb_id", "activity_id", "actor_ifi", "authority_ifi")
        .distinct()
    )
    found = []
    for verb_id, activity_id, actor_ifi, authority_ifi in rows:
        if rule.attests(authority_ifi=authority_ifi, actor_ifi=actor_ifi, activity_id=activity_id):
            found.extend((link, verb_id) for link in by_iri[activity_id])
    return found


def evidenced_levels(*, actors: dict[str, int], links: dict) -> dict[tuple[int, int], int]:
    """Highest evidenced level per (user, skill) for these actors (IFI -> user id), from every
    attested evidence statement; `links` maps an activity IRI to [(skill id, level)].
    """
    rule = AuthorityRule(actor_ifis=actors)
    levels: dict[tuple[int, int], int] = {}
    rows = (
        evidence_statements()
        .filter(actor_ifi__in=list(actors), activity_id__in=list(links))
        .values_list("actor_ifi", "activity_id", "authority_ifi")
    )
    for actor_ifi, activity_id, authority_ifi in rows.iterator(chunk_size=5000):
        if not rule.attests(
            authority_ifi=authority_ifi, actor_ifi=actor_ifi, activity_id=activity_id
        ):
            continue
        user_id = actors[actor_ifi]
        for skill_id, level in links[activity_id]:
            if level > levels.get((user_id, skill_id), 0):
                levels[(user_id, skill_id)] = level
    return levels
