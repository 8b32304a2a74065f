"""Pages benchmark: the catalogue (filtered), a lesson and a learner's dashboard under load.

Run by hand from the project root (about 5 to 10 minutes on the 2-core box):

    .venv/bin/python bench/pages.py [--courses 500] [--learners 5000] [--requests 200]
    .venv/bin/python bench/pages.py --build-only   # build the database now ...
    .venv/bin/python bench/pages.py --reuse        # ... and measure it later (about a minute)

What it does, in one run:
1. drops and creates the PostgreSQL database `pages_bench` (BENCH_DATABASE_URL overrides it)
   and migrates it (`--reuse` keeps the database built before, and skips step 2);
2. builds the catalogue with `--courses` published courses (4 lessons with a knowledge check,
   an assessment, 2 DDaT skills each) and `--learners` learners enrolled on 3 courses each with
   progress recorded as statements through `statements_store` (launched, experienced, answered,
   passed or failed), plus one learner enrolled on 20 courses whose dashboard is measured, then
   runs VACUUM ANALYZE (`--build-only` stops here);
3. clears the cache (Redis db 7), so every run starts cold; signs the learner on 20 courses in
   (a new session), and serves the app with gunicorn (`school.wsgi`, production settings,
   DEBUG off) with `--workers` sync workers (3), and from 4 concurrent clients requests: the
   catalogue with a skill and a duration filter, or a skill and a sort order (40 different
   addresses), a lesson page as an enrolled learner (the page-serving hook included; 20
   lessons) and the dashboard of the learner on 20 courses;
4. prints p50/p95 latency and requests/s per page against the targets.

Before timing a page, each of its addresses is requested once and the first five twice more
(warm-up): the structure cache (courses.cache) is then as a page's first reader after a publish
leaves it. Progress and answers are read from the database on every request regardless.

Targets on this machine: lesson p95 < 50 ms; catalogue and dashboard p95 < 100 ms.
That the number of SQL queries of each page does not grow with courses or statements is
asserted by tests/courses/test_query_counts.py.
"""

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST, PORT = "127.0.0.1", 8107
SITE = f"http://{HOST}:{PORT}"
CLIENTS = 4
TARGETS_MS = {"catalogue": 100, "lesson": 50, "dashboard": 100}
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/pages_bench"


def log(message):
    print(message, flush=True)


def recreate_database(url: str):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SITE_BASE_URL=SITE,
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS=HOST,
        CELERY_BROKER_URL="redis://127.0.0.1:6379/7",
        CACHE_URL="redis://127.0.0.1:6379/7",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    return env


# --- data -------------------------------------------------------------------------------------


def build(*, courses: int, learners: int, seed: int = 7) -> dict:
    """Build courses, learners and their statements; returns what the clients request."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from courses.blocks import question_options
    from courses.demo import seed_home_page
    from courses.models import (
        AssessmentPage,
        CourseIndexPage,
        CoursePage,
        CourseSkill,
        LessonPage,
        Skill,
    )
    from learners.learning import xapi as statements
    from learners.learning.models import Enrolment
    from learners.lrs.services import statements_store
    from learners.models import User

    rng = random.Random(seed)
    started = time.perf_counter()
    skills = [
        Skill.objects.get_or_create(code=f"bench-skill-{n}", defaults={"name": f"Skill {n}"})[0]
        for n in range(40)
    ]
    home = seed_home_page()
    index = home.add_child(instance=CourseIndexPage(title="Find a course", slug="courses"))

    def check(block_id):
        return {
            "type": "knowledge_check",
            "id": block_id,
            "value": {
                "question": "Which is right?",
                "hint": "",
                "multiple": False,
                "options": [
                    {"type": "item", "id": "a", "value": {"text": "This", "correct": True}},
                    {"type": "item", "id": "b", "value": {"text": "That", "correct": False}},
                ],
            },
        }

    body_text = "<p>" + "Lesson content about delivering digital services. " * 40 + "</p>"
    catalogue = []
    for number in range(courses):
        course = index.add_child(
            instance=CoursePage(
                title=f"Course {number:04d}",
                slug=f"course-{number:04d}",
                summary="A benchmark course about digital skills.",
                outcomes="<ul><li>Do things</li></ul>",
                audience="<p>Everyone</p>",
                duration_minutes=rng.choice([20, 30, 45, 60, 90]),
                level=rng.randint(1, 4),
            )
        )
        chosen = rng.sample(skills, 2)
        CourseSkill.objects.bulk_create(
            [
                CourseSkill(course=course, skill=skill, level=rng.randint(1, 4), sort_order=order)
                for order, skill in enumerate(chosen)
            ]
        )
        lessons = [
            course.add_child(
                instance=LessonPage(
                    title=f"Lesson {n}",
                    slug=f"lesson-{n}",
                    body=[
                        {"type": "heading", "value": {"text": "Section", "size": "h2"}},
                        {"type": "paragraph", "value": body_text},
                        check(f"kc-{n}"),
                    ],
                )
            )
            for n in range(1, 5)
        ]
        assessment = course.add_child(
            instance=AssessmentPage(
                title="Assessment",
                slug="assessment",
                questions=[{**check("q1"), "type": "question"}],
                pass_mark=50,
            )
        )
        catalogue.append((course, lessons, assessment))
        if number % 100 == 99:
            log(f"  {number + 1} courses ({time.perf_counter() - started:.0f}s)")

    password = make_password("bench-password-not-used")
    User.objects.bulk_create(
        [
            User(email=f"learner{n}@bench.gov.uk", password=password, first_name="Learner")
            for n in range(learners)
        ],
        batch_size=1000,
    )
    people = list(User.objects.filter(email__endswith="@bench.gov.uk").order_by("pk"))
    bench_user = User.objects.create_user(email="dashboard@bench.gov.uk", password=None)
    log(f"  {len(people)} learners ({time.perf_counter() - started:.0f}s)")

    pending, stored = [], 0

    def flush():
        nonlocal pending, stored
        if pending:
            statements_store(statements=pending)
            stored += len(pending)
            pending = []

    def progress(user, course, lessons, assessment, *, depth):
        enrolment = Enrolment.objects.create(user=user, course=course)
        registration = enrolment.registration
        pending.append(
            statements.launched_course(user=user, course=course, registration=registration)
        )
        for lesson in lessons[:depth]:
            pending.append(
                statements.experienced_lesson(
                    user=user, lesson=lesson, course=course, registration=registration
                )
            )
        if depth >= 1:
            block_id, block = next(iter(lessons[0].knowledge_checks().items()))
            pending.append(
                statements.answered_question(
                    user=user,
                    page=lessons[0],
                    course=course,
                    block_id=block_id,
                    question=block.value,
                    options=question_options(block.value),
                    chosen=[rng.choice("ab")],
                    success=True,
                    registration=registration,
                )
            )
        if depth == len(lessons):
            passed = rng.random() < 0.7
            pending.append(
                statements.assessed(
                    user=user,
                    assessment=assessment,
                    course=course,
                    registration=registration,
                    correct=1 if passed else 0,
                    total=1,
                    passed=passed,
                )
            )
            if passed:
                pending.append(
                    statements.completed_course(user=user, course=course, registration=registration)
                )
        if len(pending) >= 500:
            flush()

    for number, user in enumerate(people):
        for course, lessons, assessment in rng.sample(catalogue, 3):
            progress(user, course, lessons, assessment, depth=rng.randint(0, 4))
        if number % 1000 == 999:
            flush()
            log(
                f"  progress of {number + 1} learners, {stored} statements "
                f"({time.perf_counter() - started:.0f}s)"
            )
    for course, lessons, assessment in rng.sample(catalogue, 20):
        progress(bench_user, course, lessons, assessment, depth=rng.randint(1, 3))
    flush()
    log(f"  {stored} statements stored ({time.perf_counter() - started:.0f}s)")
    # Fresh planner statistics, as autovacuum would give a production database in time.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return client_data()


def client_data() -> dict:
    """What the clients request, read from the built database (a fresh session each run)."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from wagtail.models import Site

    from courses.models import LessonPage, Skill
    from learners.learning.models import Enrolment
    from learners.models import User

    bench_user = User.objects.get(email="dashboard@bench.gov.uk")
    enrolled_lessons = [
        lesson.url_path
        for enrolment in Enrolment.objects.filter(user=bench_user)
        .select_related("course")
        .order_by("pk")
        for lesson in LessonPage.objects.live().descendant_of(enrolment.course)[:1]
    ]
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(bench_user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = bench_user.get_session_auth_hash()
    session.save()
    site_root = Site.objects.get(is_default_site=True).root_page.url_path
    skills = Skill.objects.filter(code__startswith="bench-skill-")
    return {
        "session": session.session_key,
        "lessons": ["/" + path[len(site_root) :] for path in enrolled_lessons],
        "skills": sorted(
            skills.values_list("code", flat=True), key=lambda c: int(c.split("-")[-1])
        ),
    }


# --- load -------------------------------------------------------------------------------------


def wait_for_server(timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def measure(name: str, paths: list[str], *, requests: int, cookie: str | None) -> dict:
    """Send `requests` GETs from CLIENTS threads; return latencies (ms) and throughput."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = requests // CLIENTS

    def client(offset):
        headers = {"Host": HOST}
        if cookie:
            headers["Cookie"] = f"sessionid={cookie}"
        for n in range(per_client):
            path = paths[(offset + n) % len(paths)]
            began = time.perf_counter()
            connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - began) * 1000
            connection.close()
            with lock:
                if response.status != 200:
                    errors.append(f"{response.status} {path}")
                latencies.append(elapsed)

    # Warm up: every address once (what a page's first reader after a publish builds for the
    # structure cache), and the first five twice more (each worker's own memory).
    for path in paths + paths[:5] * 2:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        headers = {"Host": HOST, **({"Cookie": f"sessionid={cookie}"} if cookie else {})}
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    result = {
        "name": name,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "rps": len(latencies) / wall,
        "errors": errors,
    }
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--build-only", action="store_true", help="build the data and stop")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database already built (no rebuild)"
    )
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    env = environment(database_url)
    production = {**env, "DJANGO_SETTINGS_MODULE": "school.settings.production"}
    if not args.reuse:
        log(f"1. database {urlparse(database_url).path.lstrip('/')}: recreate and migrate")
        recreate_database(database_url)
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=production,
            check=True,
        )
    else:
        log(f"1. database {urlparse(database_url).path.lstrip('/')}: reused as built")

    # Production settings serve static files through the manifest storage: build it once.
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production,
        check=True,
    )
    # Page caches live in Redis db 7: start every measurement from cold.
    subprocess.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); from django.core.cache import cache; cache.clear()",
        ],
        cwd=ROOT,
        env=production,
        check=True,
    )

    os.environ.update(production)
    sys.path.insert(0, str(ROOT))
    if args.reuse:
        data = client_data()
    else:
        log(f"2. build {args.courses} courses and the progress of {args.learners} learners")
        data = build(courses=args.courses, learners=args.learners)
        if args.build_only:
            return

    log(f"3. gunicorn, {args.workers} workers, {CLIENTS} clients, {args.requests} requests/page")
    server = subprocess.Popen(
        [
            GUNICORN,
            "school.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=production,
    )
    try:
        wait_for_server()
        rng = random.Random(11)
        catalogue = [
            f"/courses/?skill={rng.choice(data['skills'])}&duration=30-to-60&page=1"
            for _ in range(20)
        ] + [f"/courses/?skill={rng.choice(data['skills'])}&sort=shortest" for _ in range(20)]
        results = [
            measure("catalogue", catalogue, requests=args.requests, cookie=None),
            measure("lesson", data["lessons"], requests=args.requests, cookie=data["session"]),
            measure("dashboard", ["/dashboard/"], requests=args.requests, cookie=data["session"]),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)

    log("\n4. results")
    log(f"{'page':<12}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>10}{'target p95':>12}  verdict")
    for result in results:
        target = TARGETS_MS[result["name"]]
        verdict = "ok" if result["p95"] < target and not result["errors"] else "MISSED"
        log(
            f"{result['name']:<12}{result['p50']:>10.1f}{result['p95']:>10.1f}"
            f"{result['rps']:>10.1f}{'< ' + str(target) + ' ms':>12}  {verdict}"
        )
        if result["errors"]:
            log(f"    {len(result['errors'])} errors, e.g. {result['errors'][:3]}")


if __name__ == "__main__":
    main()
