#!/usr/bin/env python
"""Benchmark: departmental skills coverage at civil-service scale (run by hand).

Loads learners in departments and statements into a fresh PostgreSQL database with COPY, then
times, in one run:
- one independent SQL query computing department x skill x level counts from the statements;
- the full rebuild (`manage.py rebuild_coverage`), and checks its figures equal the query's;
- the incremental update after 10,000 new statements, and checks the figures again;
- the peak memory of each job (its own process);
(dirty pages are flushed to disk before each of these is timed, so none pays for another's
write-back);
- the HR lead's "where are we short?" page, the page of every skill and the exports, and the
  analyst's comparison and its exports, through Django's request handling.
Prints the figures beside the targets of issue 6.

    .venv/bin/python bench/reporting.py                         # 500,000 learners, 10M statements
    .venv/bin/python bench/reporting.py --learners 50000 --statements 1000000   # a quick run
    .venv/bin/python bench/reporting.py --load-only   # load now ...
    .venv/bin/python bench/reporting.py --reuse       # ... and measure later, on a quiet machine

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); drops and recreates the
database `reporting_bench` (or $REPORTING_BENCH_DATABASE).
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Another name (REPORTING_BENCH_DATABASE) keeps a small check run from dropping the data a
# full-size --load-only left for a later --reuse.
DATABASE = os.environ.get("REPORTING_BENCH_DATABASE", "reporting_bench")
SERVER = "postgres://postgres@127.0.0.1:5432"
SITE = "http://bench.example.gov.uk"
VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "launched": "http://adlnet.gov/expapi/verbs/launched",
}
STATEMENT_COLUMNS = (
    "statement_id",
    "payload",
    "content_hash",
    "actor_ifi",
    "verb_id",
    "activity_id",
    "timestamp",
    "stored",
    "voided",
    "is_voiding",
    "has_attachments",
    "authority_ifi",
)


def environment() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.settings.dev",
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "SITE_BASE_URL": SITE,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-key",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "ALLOWED_HOSTS": "testserver,localhost",
        "LOG_LEVEL": "WARNING",
    }


def django_setup():
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")


def timed(label, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.2f} s", flush=True)
    return result, seconds


# --- Data --------------------------------------------------------------------------------------


def build_reference(courses: int, rng: random.Random):
    """Taxonomy from the real data, a catalogue of courses mapped to skills, 20 departments."""
    from django.core.management import call_command

    from courses.demo import seed_home_page
    from courses.models import CourseIndexPage, CoursePage, CourseSkill, Skill
    from learners.models import Organisation

    call_command("load_taxonomy", verbosity=0)
    home = seed_home_page()
    index = home.add_child(instance=CourseIndexPage(title="Find a course", slug="courses"))
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    course_iris = []
    from learners.learning.xapi import course_iri

    for number in range(courses):
        level = 1 + number % 4
        course = index.add_child(
            instance=CoursePage(
                title=f"Bench course {number}",
                slug=f"bench-course-{number}",
                summary="A course.",
                outcomes="<p>Outcomes</p>",
                audience="<p>All</p>",
                duration_minutes=60,
                level=level,
            )
        )
        for skill in rng.sample(skills, 2):
            CourseSkill.objects.create(course=course, skill_id=skill, level=level)
        course_iris.append(course_iri(course))
    departments = list(
        Organisation.objects.live().departments().order_by("code").values_list("pk", flat=True)
    )[:20]
    return course_iris, departments


def copy_rows(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load_learners(n: int, departments: list[int], rng: random.Random) -> list[str]:
    """n users with profiles; returns their actor IFIs."""
    from django.db import connection

    from learners.models import Grade, Profession

    grades = list(Grade.objects.values_list("pk", flat=True))
    professions = list(Profession.objects.values_list("pk", flat=True))
    now = datetime.now(UTC)
    set_up = now - timedelta(days=1)
    learner_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(n)]
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        copy_rows(
            raw,
            "learners_user",
            (
                "password",
                "is_superuser",
                "first_name",
                "last_name",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
                "learner_id",
            ),
            (
                ("!", False, "", "", False, True, now, f"learner{i}@bench.gov.uk", learner_ids[i])
                for i in range(n)
            ),
        )
        raw.execute("SELECT id FROM learners_user ORDER BY id")
        user_ids = [row[0] for row in raw.fetchall()]
        copy_rows(
            raw,
            "learners_profile",
            ("user_id", "organisation_id", "grade_id", "profession_id", "updated_at"),
            (
                # Profiles set up a day ago: the update job times new statements, not moves.
                (
                    user_id,
                    rng.choice(departments),
                    rng.choice(grades),
                    rng.choice(professions),
                    set_up,
                )
                for user_id in user_ids
            ),
        )
    return [f"account:{SITE} {learner_id}" for learner_id in learner_ids]


def statement_rows(n: int, actors, course_iris, rng: random.Random, start: datetime):
    """n statements: about a quarter evidence (completed/passed a course), the rest lessons."""
    lesson_iris = [f"{SITE}/xapi/activities/lesson/{i}" for i in range(2000)]
    authority = "account:" + SITE + " platform"
    for i in range(n):
        actor = actors[rng.randrange(len(actors))]
        roll = rng.random()
        if roll < 0.15:
            verb, activity = VERBS["completed"], course_iris[rng.randrange(len(course_iris))]
        elif roll < 0.25:
            verb, activity = VERBS["passed"], course_iris[rng.randrange(len(course_iris))]
        else:
            verb = VERBS["experienced" if roll < 0.7 else "answered"]
            activity = lesson_iris[rng.randrange(len(lesson_iris))]
        statement_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        stored = start + timedelta(microseconds=i)
        home, _, name = actor[len("account:") :].partition(" ")
        payload = json.dumps(
            {
                "id": str(statement_id),
                "actor": {"objectType": "Agent", "account": {"homePage": home, "name": name}},
                "verb": {"id": verb},
                "object": {"objectType": "Activity", "id": activity},
                "timestamp": stored.isoformat(),
                "stored": stored.isoformat(),
                "version": "1.0.3",
            },
            separators=(",", ":"),
        )
        yield (
            statement_id,
            payload,
            f"{i:064x}",
            actor,
            verb,
            activity,
            stored,
            stored,
            False,
            False,
            False,
            authority,
        )


def load_statements(n, actors, course_iris, rng, start, chunk=500_000):
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        for offset in range(0, n, chunk):
            size = min(chunk, n - offset)
            copy_rows(
                raw,
                "lrs_statement",
                STATEMENT_COLUMNS,
                statement_rows(size, actors, course_iris, rng, start + timedelta(seconds=offset)),
            )
            print(f"    {offset + size:,} statements", flush=True)
        raw.execute("ANALYZE")


def loaded_reference():
    """Course IRIs, departments and learner IFIs of a database loaded by an earlier run."""
    from courses.models import CoursePage
    from learners.learning.xapi import course_iri
    from learners.models import Organisation, User

    course_iris = [course_iri(course) for course in CoursePage.objects.live()]
    departments = list(
        Organisation.objects.live().departments().order_by("code").values_list("pk", flat=True)
    )[:20]
    actors = [
        f"account:{SITE} {learner_id}"
        for learner_id in User.objects.exclude(email__startswith="hr-lead").values_list(
            "learner_id", flat=True
        )
    ]
    return course_iris, departments, actors


# --- Measurements ------------------------------------------------------------------------------


SINGLE_QUERY = """
    WITH best AS (
        SELECT s.actor_ifi, e.skill_id, MAX(e.level) AS level
        FROM lrs_statement s
        JOIN reporting_evidenceactivity e ON e.activity_iri = s.activity_id
        WHERE s.verb_id IN (%s, %s) AND NOT s.voided
        GROUP BY s.actor_ifi, e.skill_id
    )
    SELECT p.organisation_id, b.skill_id, b.level, COUNT(*)
    FROM best b
    JOIN learners_user u ON b.actor_ifi = %s || CAST(u.learner_id AS text)
    JOIN learners_profile p ON p.user_id = u.id
    GROUP BY p.organisation_id, b.skill_id, b.level
"""


def single_query_counts() -> dict:
    """The independent query, with the same session settings the rebuild uses."""
    from django.db import connection, transaction

    from reporting.services.aggregation import POSTGRES_REBUILD_SETTINGS

    with transaction.atomic(), connection.cursor() as cursor:
        for setting in POSTGRES_REBUILD_SETTINGS:
            cursor.execute(setting)
        cursor.execute(SINGLE_QUERY, [VERBS["passed"], VERBS["completed"], f"account:{SITE} "])
        return {(o, s, lv): n for o, s, lv, n in cursor.fetchall()}


def job_counts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organisation_id, skill_id, level, SUM(count) FROM reporting_coveragecount "
            "WHERE series = 'evidenced' GROUP BY organisation_id, skill_id, level "
            "HAVING SUM(count) > 0"
        )
        return {(o, s, lv): n for o, s, lv, n in cursor.fetchall()}


def run_job(job: str) -> dict:
    """Run a job in its own process; returns its wall time and peak memory.

    Dirty pages are flushed to disk first (os.sync): the rebuild leaves over a gigabyte for the
    kernel to write back in the next half minute, and a job timed meanwhile measures that
    write-back rather than itself.
    """
    os.sync()
    result = subprocess.run(
        [sys.executable, __file__, "--job", job],
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_memory_mb() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: a child process starts
    with its parent's figure, which here is the benchmark's own (it holds every learner id).
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def job_main(job: str):
    django_setup()
    from reporting.services import coverage_rebuild, coverage_update

    start = time.perf_counter()
    summary = coverage_rebuild() if job == "rebuild" else coverage_update()
    seconds = time.perf_counter() - start
    peak_mb = peak_memory_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "statements": summary.statements}))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def time_requests(department_id: int, repeats: int) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.test import Client

    from learners.models import Grade, Organisation, Profession, Profile, Role, User
    from learners.second_factor import ENROLLED_IN_SESSION_KEY

    department = Organisation.objects.get(pk=department_id)
    User.objects.filter(email__in=["hr-lead@bench.gov.uk", "analyst@bench.gov.uk"]).delete()
    lead = User.objects.create_user(email="hr-lead@bench.gov.uk", password="x" * 12)
    lead.groups.add(Group.objects.get(name=Role.HR_LEAD.value))
    Profile.objects.create(user=lead, organisation=department).hr_lead_for.add(department)
    TOTP.activate(lead, generate_totp_secret())
    analyst = User.objects.create_user(email="analyst@bench.gov.uk", password="x" * 12)
    analyst.groups.add(Group.objects.get(name=Role.ANALYST.value))
    TOTP.activate(analyst, generate_totp_secret())
    skills = where_short_setup(department, lead)
    client, analyst_client = Client(), Client()
    for page_client, person in ((client, lead), (analyst_client, analyst)):
        page_client.force_login(person)
        # As if the person had just typed their authenticator code in this session: the
        # reports are a privileged area (learners.second_factor).
        session = page_client.session
        session[ENROLLED_IN_SESSION_KEY] = str(person.pk)
        session.save()
    base = f"/reporting/{department.code}/"
    grade = Grade.objects.order_by("rank").first().code
    profession = Profession.objects.order_by("name").first().code
    filters = ["", f"?grade={grade}", f"?profession={profession}"]
    compare = [f"?skill={skill.code}&level={level}" for skill in skills for level in (1, 2, 3)]
    results = {}
    for label, page_client, url in (
        ("dashboard (first, cache cold)", client, base),
        (
            "comparison (first, other departments' caches cold)",
            analyst_client,
            f"/reporting/compare/{compare[0]}",
        ),
    ):
        start = time.perf_counter()
        response = page_client.get(url)
        results[label] = [time.perf_counter() - start]
        assert response.status_code == 200, (url, response.status_code)
    for label, page_client, urls in (
        ("dashboard: where are we short", client, [base + f for f in filters]),
        ("every skill, by role family", client, [f"{base}skills/{f}" for f in filters]),
        ("export csv", client, [f"{base}coverage.csv{f}" for f in filters]),
        ("export xlsx", client, [f"{base}coverage.xlsx{f}" for f in filters]),
        ("comparison", analyst_client, [f"/reporting/compare/{q}" for q in compare]),
        (
            "comparison csv",
            analyst_client,
            [f"/reporting/compare/comparison.csv{q}" for q in compare],
        ),
        (
            "comparison xlsx",
            analyst_client,
            [f"/reporting/compare/comparison.xlsx{q}" for q in compare],
        ),
    ):
        times = []
        for i in range(repeats):
            url = urls[i % len(urls)]
            start = time.perf_counter()
            response = page_client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        results[label] = times
    return results


def where_short_setup(department, lead) -> list:
    """Give the department what the "where are we short?" page lists: targets on the ten
    skills with most evidence, and current DDaT roles for its people (a role level each, from
    eight), as an HR lead and the learners would set them. Returns the targeted skills.
    """
    from django.db.models import Sum

    from courses.models import RoleLevel, Skill
    from learners.models import Profile
    from reporting.models import CoverageCount, SkillTarget

    top = (
        CoverageCount.objects.filter(organisation=department)
        .values("skill")
        .annotate(people=Sum("count"))
        .order_by("-people")
        .values_list("skill", flat=True)[:10]
    )
    skills = list(Skill.objects.filter(pk__in=list(top)))
    SkillTarget.objects.filter(organisation=department).delete()
    for index, skill in enumerate(skills):
        SkillTarget.objects.create(
            organisation=department,
            skill=skill,
            level=1 + index % 3,
            target_percent=20 + 5 * index,
            set_by=lead,
        )
    role_levels = list(RoleLevel.objects.filter(in_use=True).order_by("pk")[:8])
    people = list(
        Profile.objects.filter(organisation=department).order_by("pk").values_list("pk", flat=True)
    )
    for index, role_level in enumerate(role_levels):
        Profile.objects.filter(pk__in=people[index :: len(role_levels)]).update(
            current_role_level=role_level
        )
    return skills[:3]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500_000)
    parser.add_argument("--statements", type=int, default=10_000_000)
    parser.add_argument("--courses", type=int, default=200)
    parser.add_argument("--new-statements", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--load-only", action="store_true", help="load the data and stop")
    parser.add_argument("--reuse", action="store_true", help="measure the data already loaded")
    parser.add_argument("--job", choices=["rebuild", "update"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        return job_main(args.job)

    rng = random.Random(20261127)
    if args.reuse:
        django_setup()
        course_iris, departments, actors = loaded_reference()
        print(f"Coverage benchmark on the loaded data: {len(actors):,} learners")
    else:
        print(f"Coverage benchmark: {args.learners:,} learners, {args.statements:,} statements")
        recreate_database()
        django_setup()
        from django.core.management import call_command

        timed("migrate", call_command, "migrate", verbosity=0)
        (course_iris, departments), _ = timed(
            "taxonomy and courses", build_reference, args.courses, rng
        )
        actors, _ = timed("COPY learners", load_learners, args.learners, departments, rng)
        start = datetime(2025, 1, 1, tzinfo=UTC)
        timed("COPY statements", load_statements, args.statements, actors, course_iris, rng, start)
        if args.load_only:
            return None

    from reporting.services.aggregation import evidence_activities_refresh

    evidence_activities_refresh()
    query_times = []
    os.sync()  # time the query on a settled disk too, as the jobs are (see run_job)
    for _ in range(3):
        expected, seconds = timed("single SQL query", single_query_counts)
        query_times.append(seconds)
    query = statistics.median(query_times)

    rebuild = run_job("rebuild")
    print(f"  full rebuild: {rebuild['seconds']:.2f} s, peak {rebuild['peak_mb']:.0f} MB")
    rebuild_equal = job_counts() == expected

    later = datetime.now(UTC) - timedelta(hours=1)
    timed(
        f"COPY {args.new_statements:,} new statements",
        load_statements,
        args.new_statements,
        actors,
        course_iris,
        random.Random(time.time_ns()),  # fresh statement ids on every run
        later,
    )
    update = run_job("update")
    print(
        f"  incremental update: {update['seconds'] * 1000:.0f} ms for {update['statements']:,}"
        f" statements, peak {update['peak_mb']:.0f} MB"
    )
    expected_after, _ = timed("single SQL query after the update", single_query_counts)
    update_equal = job_counts() == expected_after

    requests = time_requests(departments[0], args.requests)

    print("\nResults (targets from issue 6, this 2-core machine)")
    rows = [
        ("single SQL query (median of 3)", f"{query:.2f} s", ""),
        (
            "full rebuild",
            f"{rebuild['seconds']:.2f} s = {rebuild['seconds'] / query:.2f}x query",
            "PASS" if rebuild["seconds"] <= 3 * query else "FAIL (target <= 3x)",
        ),
        (
            "rebuild figures equal the query's",
            str(rebuild_equal),
            "PASS" if rebuild_equal else "FAIL",
        ),
        (
            "incremental update after new statements",
            f"{update['seconds'] * 1000:.0f} ms",
            "PASS" if update["seconds"] < 0.5 else "FAIL (target < 500 ms)",
        ),
        (
            "incremental figures equal the query's",
            str(update_equal),
            "PASS" if update_equal else "FAIL",
        ),
        (
            "job peak memory (rebuild / update)",
            f"{rebuild['peak_mb']:.0f} / {update['peak_mb']:.0f} MB",
            "PASS" if max(rebuild["peak_mb"], update["peak_mb"]) < 1024 else "FAIL (< 1 GB)",
        ),
    ]
    for label, times in requests.items():
        p50, p95 = percentile(times, 50) * 1000, percentile(times, 95) * 1000
        verdict = ""
        if label == "dashboard: where are we short":
            verdict = "PASS" if p95 < 100 else "FAIL (target p95 < 100 ms)"
        rows.append(
            (f"{label} ({len(times)} requests)", f"p50 {p50:.0f} ms, p95 {p95:.0f} ms", verdict)
        )
    width = max(len(r[0]) for r in rows)
    for label, figure, verdict in rows:
        print(f"  {label:<{width}}  {figure:<28} {verdict}")


if __name__ == "__main__":
    main()
