"""LRS benchmark: ingest over HTTP, the COPY ceiling, and queries at 1,000,000 statements.

Run by hand from the project root (takes about 5-10 minutes on the 2-core box):

    .venv/bin/python bench/lrs.py [--statements 100000] [--total 1000000] [--workers 3]

What it does, in one run:
1. drops and creates the PostgreSQL database `lrs_bench` (BENCH_DATABASE_URL overrides it),
   migrates it and creates an LRS client with `manage.py create_lrs_client`;
2. serves the app with gunicorn (`school.wsgi`, production settings: DEBUG off, a SECRET_KEY,
   ALLOWED_HOSTS, DATABASE_URL, a Redis broker on db 6 and CELERY_TASK_ALWAYS_EAGER off; no
   forwarding target exists, so storing queues no task), with 3 sync workers by default;
3. posts the statements (varied actors, verbs, activities, contexts, results) in batches of 100
   from 4 concurrent clients (threads sending pre-built bodies over keep-alive connections) and
   prints statements/s and the gunicorn processes' RSS sampled from /proc during the ingest;
4. times a raw COPY (psycopg 3 `cursor.copy`) of as many equivalent rows into the same
   statement table, in a transaction it rolls back, and prints the ratio;
5. grows the store to `--total` statements in SQL (copies of the ingested rows with new ids,
   earlier `stored` times and their relation rows, so indexed columns, relations and JSON agree),
   and times GET queries over HTTP: by agent, by verb, by activity with related_activities,
   since/until, and following `more` links; prints p50/p95 of each (60 requests each).

Targets on this machine: ingest >= 5,000 statements/s and >= 20% of the COPY rate; every query
p95 < 50 ms at 1,000,000 statements; RSS flat during the ingest.
"""

import argparse
import base64
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST, PORT = "127.0.0.1", 8106
BATCH = 100
CLIENTS = 4
QUERY_REPEATS = 60

VERBS = [
    "http://adlnet.gov/expapi/verbs/experienced",
    "http://adlnet.gov/expapi/verbs/attempted",
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed",
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/progressed",
    "https://w3id.org/xapi/video/verbs/played",
]
SITE = "https://skills.example.gov.uk"


def log(message):
    print(message, flush=True)


# --- statements -----------------------------------------------------------------------------


def make_actor(rng, n_learners):
    learner = rng.randrange(n_learners)
    if learner % 10 == 9:  # some third-party content identifies people by email
        return {
            "objectType": "Agent",
            "name": f"Learner {learner}",
            "mbox": f"mailto:l{learner}@example.gov.uk",
        }
    return {"objectType": "Agent", "account": {"homePage": SITE, "name": f"learner-{learner:06d}"}}


def make_statement(rng, n_learners=4000, courses=40, lessons=12):
    course = rng.randrange(courses)
    lesson = rng.randrange(lessons)
    verb = rng.choice(VERBS)
    course_iri = f"{SITE}/xapi/activities/course/{course:03d}"
    statement = {
        "id": str(uuid.uuid4()),
        "actor": make_actor(rng, n_learners),
        "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
        "object": {
            "objectType": "Activity",
            "id": f"{course_iri}/lesson/{lesson:02d}",
            "definition": {
                "name": {"en-GB": f"Course {course} lesson {lesson}"},
                "description": {"en-GB": "A lesson of the Public School of Technology."},
                "type": "http://adlnet.gov/expapi/activities/lesson",
            },
        },
        "context": {
            "contextActivities": {
                "parent": [{"objectType": "Activity", "id": course_iri}],
                "grouping": [{"objectType": "Activity", "id": f"{SITE}/xapi/activities/catalogue"}],
                "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"}],
            },
            "platform": "Public School of Technology",
            "language": "en-GB",
            "extensions": {f"{SITE}/xapi/extensions/department": f"D{course % 17}"},
        },
        "timestamp": (
            datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(20_000_000))
        )
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
    }
    if rng.random() < 0.5:
        statement["context"]["registration"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if verb.endswith(("completed", "passed", "failed", "answered")):
        raw = rng.randrange(0, 101)
        statement["result"] = {
            "score": {"scaled": raw / 100, "raw": raw, "min": 0, "max": 100},
            "success": verb.endswith("passed") or raw >= 50,
            "completion": True,
            "duration": f"PT{rng.randrange(1, 3600)}S",
        }
        if verb.endswith("answered"):
            statement["result"]["response"] = rng.choice(["a", "b", "c", "d"])
    if rng.random() < 0.1:
        statement["context"]["instructor"] = {
            "objectType": "Agent",
            "account": {"homePage": SITE, "name": f"mentor-{rng.randrange(50):03d}"},
        }
    return statement


# --- processes --------------------------------------------------------------------------------


def django_env(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="school.settings.production",
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL="redis://127.0.0.1:6379/6",
        CELERY_TASK_ALWAYS_EAGER="false",
        CACHE_URL="locmemcache://",
        SECURE_SSL_REDIRECT="false",
        SITE_BASE_URL=f"http://{HOST}:{PORT}",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *args, check=True):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode and check:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout if not result.returncode else None


def recreate_database(database_url):
    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def process_tree_rss(pid):
    """Resident memory (bytes) of the process and its children, from /proc."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            pids.append(int(entry.name))
    per_process = {}
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    per_process[p] = int(line.split()[1]) * 1024
        except OSError:
            pass
    return per_process


class RssSampler(threading.Thread):
    def __init__(self, pid, every=0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples = []  # (seconds, total bytes, largest process bytes)
        self.stop = threading.Event()

    def run(self):
        start = time.perf_counter()
        while not self.stop.is_set():
            rss = process_tree_rss(self.pid)
            if rss:
                self.samples.append(
                    (time.perf_counter() - start, sum(rss.values()), max(rss.values()))
                )
            self.stop.wait(self.every)


# --- HTTP -------------------------------------------------------------------------------------


class Client:
    def __init__(self, key, secret):
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "1.0.3",
        }
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=120)

    def request(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # Sync gunicorn workers close the connection after each response.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def wait_for_server(proc):
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/xapi/about", headers={"X-Experience-API-Version": "1.0.3"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not answer /xapi/about within 60 s")


def ingest(key, secret, bodies):
    """POST every body from CLIENTS threads; return elapsed seconds."""
    queue = list(enumerate(bodies))
    lock = threading.Lock()
    errors = []

    def worker():
        client = Client(key, secret)
        while True:
            with lock:
                if not queue or errors:
                    return
                _, body = queue.pop()
            try:
                status, data = client.request("POST", "/xapi/statements", body)
            except OSError as error:
                errors.append(("no response", repr(error)))
                return
            if status != 200:
                errors.append((status, data[:500]))

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        sys.exit(f"ingest failed: {errors[0]}")
    return elapsed


# --- SQL --------------------------------------------------------------------------------------


def columns(conn, table):
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def time_copy(database_url, count):
    """COPY `count` rows like the stored ones into lrs_statement, rolled back; return seconds."""
    with psycopg.connect(database_url) as conn:
        cols = [c for c in columns(conn, "lrs_statement") if c != "id"]
        select = ", ".join(
            "gen_random_uuid() AS statement_id" if c == "statement_id" else c for c in cols
        )
        data = []
        with conn.cursor() as cur:
            with cur.copy(
                f"COPY (SELECT {select} FROM lrs_statement LIMIT {count}) TO STDOUT"
            ) as copy:
                for block in copy:
                    data.append(bytes(block))
        conn.rollback()
        with conn.cursor() as cur:
            start = time.perf_counter()
            with cur.copy(f"COPY lrs_statement ({', '.join(cols)}) FROM STDIN") as copy:
                for block in data:
                    copy.write(block)
            elapsed = time.perf_counter() - start
            copied = cur.rowcount
        conn.rollback()
    return elapsed, copied


def grow(database_url, total):
    """Copy the ingested statements (and relations) until there are `total`; return seconds.

    Copy n of statement i gets id i + n * step, a new UUID and a `stored` time n days (and up to
    a day more) earlier, in the columns, in its relation rows and in its JSON alike. Secondary
    indexes and constraints are dropped for the copy and rebuilt after (much faster than
    maintaining them row by row), exactly as the migrations defined them.
    """
    start = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        have, max_id = conn.execute("SELECT count(*), max(id) FROM lrs_statement").fetchone()
        if have >= total:
            return 0.0
        step = 10 ** len(str(max_id))
        rebuild = []
        for table in ("lrs_statementrelation", "lrs_statement"):
            constraints = conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                [table],
            ).fetchall()
            indexes = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
                "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            ).fetchall()
            for name, definition in constraints:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for name, definition in indexes:
                conn.execute(f'DROP INDEX "{name}"')
                rebuild.insert(0, definition)
        cols = [c for c in columns(conn, "lrs_statement") if c not in ("id", "statement_id")]
        stored_text = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        n, current = 0, have
        while current < total:
            n += 1
            count = min(have, total - current)
            cutoff = conn.execute(
                "SELECT id FROM lrs_statement WHERE id <= %s ORDER BY id OFFSET %s LIMIT 1",
                [max_id, count - 1],
            ).fetchone()[0]
            shift = "interval '1 day' * {n} + make_interval(secs => ({col} * 7919) % 86400)"
            values = ", ".join(
                "new_stored"
                if c == "stored"
                else (
                    f"replace(replace(payload, statement_id::text, new_sid::text), "
                    f"{stored_text.format('stored')}, {stored_text.format('new_stored')})"
                    if c == "payload"
                    else c
                )
                for c in cols
            )
            conn.execute(
                f"INSERT INTO lrs_statement (id, statement_id, {', '.join(cols)}) "
                f"SELECT id + {n * step}, new_sid, {values} FROM ("
                f"  SELECT s.*, gen_random_uuid() AS new_sid, "
                f"  s.stored - ({shift.format(n=n, col='s.id')}) AS new_stored "
                f"  FROM lrs_statement s WHERE s.id <= {cutoff}) AS source"
            )
            conn.execute(
                "INSERT INTO lrs_statementrelation (kind, value, usage, stored, statement_id) "
                f"SELECT kind, value, usage, stored - ({shift.format(n=n, col='statement_id')}), "
                f"statement_id + {n * step} FROM lrs_statementrelation "
                f"WHERE statement_id <= {cutoff}"
            )
            current += count
            log(f"  copy {n}: {current:,} statements")
        log(f"  rebuilding {len(rebuild)} indexes and constraints")
        for definition in rebuild:
            conn.execute(definition)
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('lrs_statement', 'id'), "
            "(SELECT max(id) FROM lrs_statement))"
        )
        conn.execute("VACUUM ANALYZE lrs_statement")
        conn.execute("VACUUM ANALYZE lrs_statementrelation")
    return time.perf_counter() - start


# --- queries ----------------------------------------------------------------------------------


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_queries(database_url, key, secret, rng, n_learners, limit=None):
    client = Client(key, secret)
    with psycopg.connect(database_url) as conn:
        first, last = conn.execute("SELECT min(stored), max(stored) FROM lrs_statement").fetchone()
    span = (last - first).total_seconds()

    def agent_param():
        return json.dumps(make_actor(rng, n_learners), separators=(",", ":"))

    def since_until():
        start = first + timedelta(seconds=rng.uniform(0, span * 0.95))
        end = start + timedelta(hours=rng.uniform(1, 48))
        return {"since": start.isoformat(), "until": end.isoformat()}

    queries = {
        "by agent": lambda: {"agent": agent_param()},
        "by verb": lambda: {"verb": rng.choice(VERBS)},
        "by activity, related_activities": lambda: {
            "activity": f"{SITE}/xapi/activities/course/{rng.randrange(40):03d}",
            "related_activities": "true",
        },
        "since/until": since_until,
        "agent + verb + since": lambda: {
            "agent": agent_param(),
            "verb": rng.choice(VERBS),
            "since": (first + timedelta(seconds=span / 2)).isoformat(),
        },
    }
    results = {}
    for name, params in queries.items():
        timings, returned = [], 0
        for _ in range(QUERY_REPEATS):
            query = params()
            if limit:
                query["limit"] = limit
            path = "/xapi/statements?" + urlencode(query)
            start = time.perf_counter()
            status, body = client.request("GET", path)
            timings.append(time.perf_counter() - start)
            if status != 200:
                sys.exit(f"{name}: HTTP {status} {body[:300]!r}")
            returned += len(json.loads(body)["statements"])
        results[name] = (timings, returned / QUERY_REPEATS)

    # Following `more`: pages of a verb query, 60 pages deep.
    timings, returned = [], 0
    first_page = {"verb": VERBS[2], **({"limit": limit} if limit else {})}
    status, body = client.request("GET", "/xapi/statements?" + urlencode(first_page))
    page = json.loads(body)
    while len(timings) < QUERY_REPEATS and page.get("more"):
        start = time.perf_counter()
        status, body = client.request("GET", page["more"])
        timings.append(time.perf_counter() - start)
        if status != 200:
            sys.exit(f"more: HTTP {status} {body[:300]!r}")
        page = json.loads(body)
        returned += len(page["statements"])
    results["following more"] = (timings, returned / max(len(timings), 1))
    return results


# --- main -------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--learners", type=int, default=4000)
    parser.add_argument(
        "--limit", type=int, default=None, help="limit= on every query (default: the LRS's own)"
    )
    args = parser.parse_args()
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lrs_bench"
    )
    rng = random.Random(20261127)
    run_start = time.perf_counter()
    start_load = os.getloadavg()

    log(f"Database {database_url}: dropping, creating, migrating")
    recreate_database(database_url)
    env = django_env(database_url)
    manage(env, "migrate", "--noinput")
    output = manage(env, "create_lrs_client", "bench", "--scope", "all", check=False)
    if output is None:  # the command is missing: the service it wraps
        output = manage(
            env,
            "shell",
            "-c",
            "import json; from learners.lrs.services import lrs_client_create; "
            "c, s = lrs_client_create(name='bench', scopes=['all']); "
            "print(json.dumps({'key': c.key, 'secret': s}))",
        )
    credentials = json.loads(output)
    key, secret = credentials["key"], credentials["secret"]

    log(f"Building {args.statements:,} statements in batches of {BATCH}")
    bodies = []
    for _ in range(args.statements // BATCH):
        batch = [make_statement(rng, args.learners) for _ in range(BATCH)]
        bodies.append(json.dumps(batch, separators=(",", ":")).encode())
    avg_size = sum(map(len, bodies)) / args.statements

    log(f"Serving with gunicorn: {args.workers} sync workers on {HOST}:{PORT}")
    server = subprocess.Popen(
        [
            GUNICORN,
            "school.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"{HOST}:{PORT}",
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_server(server)
        warm = Client(key, secret)  # warm every worker's imports and connections
        for _ in range(args.workers * 3):
            warm.request("GET", "/xapi/statements?limit=1")
        sampler = RssSampler(server.pid)
        sampler.start()
        log(f"Ingest: {args.statements:,} statements ({avg_size:,.0f} bytes each)")
        elapsed = ingest(key, secret, bodies)
        sampler.stop.set()
        sampler.join()
        rate = args.statements / elapsed
        with psycopg.connect(database_url) as conn:
            stored = conn.execute("SELECT count(*) FROM lrs_statement").fetchone()[0]
            relations = conn.execute("SELECT count(*) FROM lrs_statementrelation").fetchone()[0]
        if stored != args.statements:
            sys.exit(f"expected {args.statements} stored statements, found {stored}")
        totals = [s[1] for s in sampler.samples]
        log(f"  stored {stored:,} statements and {relations:,} relation rows in {elapsed:.1f} s")

        copy_seconds, copied = time_copy(database_url, args.statements)
        copy_rate = copied / copy_seconds

        log(f"Growing the store to {args.total:,} statements (SQL copies of the ingested rows)")
        grow_seconds = grow(database_url, args.total)
        log(f"  done in {grow_seconds:.0f} s")

        # One untimed round first: the timed one measures warm caches, as in steady use.
        time_queries(database_url, key, secret, random.Random(1), args.learners, args.limit)
        results = time_queries(database_url, key, secret, rng, args.learners, args.limit)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)

    def ok(condition):
        return "OK" if condition else "MISSED"

    mib = 2**20
    peak_process = max(sample[2] for sample in sampler.samples)
    log("")
    log("=== LRS benchmark results ===")
    log(
        f"Ingest over HTTP:          {rate:,.0f} statements/s "
        f"({args.statements:,} in {elapsed:.1f} s; {CLIENTS} clients, batches of {BATCH}, "
        f"{args.workers} gunicorn workers)   target >= 5,000: {ok(rate >= 5000)}"
    )
    log(
        f"Raw COPY, same table:      {copy_rate:,.0f} rows/s "
        f"({copied:,} rows in {copy_seconds:.2f} s, rolled back)"
    )
    log(
        f"Ingest / COPY:             {rate / copy_rate:.1%}   "
        f"target >= 20%: {ok(rate / copy_rate >= 0.20)}"
    )
    shape = ", ".join(
        f"{q}% {totals[min(len(totals) - 1, len(totals) * q // 100)] / mib:,.0f}"
        for q in (0, 10, 25, 50, 75, 100)
    )
    log(
        f"Server RSS during ingest:  peak {max(totals) / mib:,.0f} MiB for all gunicorn processes "
        f"(largest process peak {peak_process / mib:,.0f} MiB; {len(totals)} samples); "
        f"MiB by share of the ingest done: {shape}"
    )
    page = f"limit={args.limit}" if args.limit else "the LRS's default page size"
    log(f"Queries over HTTP at {args.total:,} statements ({QUERY_REPEATS} requests each, {page}):")
    worst = 0.0
    for name, (timings, per_page) in results.items():
        p50, p95 = percentile(timings, 50) * 1000, percentile(timings, 95) * 1000
        worst = max(worst, p95)
        log(
            f"  {name:34s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
            f"({per_page:.0f} statements/page)   {ok(p95 < 50)}"
        )
    log(f"Every query p95 < 50 ms:   {ok(worst < 50)}")
    load = os.getloadavg()
    log(
        f"Whole run: {time.perf_counter() - run_start:.0f} s; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores "
        f"(at the start {start_load[0]:.1f})"
    )


if __name__ == "__main__":
    main()
