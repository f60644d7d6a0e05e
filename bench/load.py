"""A mixed load of virtual users against the production server.

    python bench/load.py                         # 100 users for 60 s on SQLite (WAL, file)
    python bench/load.py --db postgres           # a throwaway PostgreSQL, or --db both
    python bench/load.py --users 50 --seconds 30 --think 2
    python bench/load.py --json                  # one JSON object per measurement per line

Sets up a fresh database as bench/durability.py does (migrate, the intake
bench's Östersund world, an API token), starts gunicorn with the
repository's gunicorn.conf.py on a free loopback port, and stores SEED
reports over the last 300 days through POST /api/v1/reports/batch so the
picture has a history. Then `--users` threads, each with its own
connection (reopened per request: the server closes it after each answer),
arrive spread over the first `--ramp` seconds (people open the system one
after another, not all in the same second after a restart: 1 makes them),
and repeat until `--seconds` from the start have passed: pause (uniform
around `--think` s, a person reading the screen), then one request of a
kind drawn by MIX:

    post       POST /api/v1/reports, a new report with its own client_id, of
               something seen in the last LIVE_HOURS, as live reports are. They
               change no week being read (except early on a Monday), so after
               the first builds the situation reads are kept pictures; with
               --backdated (the seed's times, up to 300 days back) every post
               changes them all and each read builds its picture anew
    situation  GET /api/v1/situation?municipality=2380&period=<one of the last 8 weeks>
    list       GET /api/v1/reports?limit=50

Prints throughput, p50/p95/p99 per kind and overall, and errors (any answer
but 201 for a post and 200 for a read, or no answer). Target: 0 errors,
p99 < 500 ms, over every request from the first user's first on, ramp
included. The users run on the same 2 cores as the server.
Only 127.0.0.1 is ever contacted. The server is always stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api_post  # bench/ is not a package: found through the path above
import durability
from api_post import HOST, SERVER_ENV

MIX = {"post": 0.4, "situation": 0.2, "list": 0.4}
SEED = 5000
MUNICIPALITY = "2380"
WEEKS = 8
TARGET_P99_MS = 500.0
LIVE_HOURS = 6.0
REQUEST_TIMEOUT = 30.0


@dataclass
class Plan:
    """What every user shares: the token, report bodies, the periods, the deadline."""

    headers: dict[str, str]
    pool: list[dict[str, Any]]
    periods: list[str]
    deadline: float
    think: float
    start: threading.Barrier
    ramp: float = 1.0
    backdated: bool = False


@dataclass
class Record:
    """One user's results: (kind, seconds, status) per request, 0 for no answer."""

    results: list[tuple[str, float, int]] = field(default_factory=list)


def last_weeks(today: date, n: int) -> list[str]:
    """ISO week keys of the `n` complete weeks before `today`'s, e.g. 2026-W47."""
    keys = []
    for k in range(1, n + 1):
        year, week, _ = (today - timedelta(weeks=k)).isocalendar()
        keys.append(f"{year}-W{week:02d}")
    return keys


def _request(user: int, i: int, kind: str, plan: Plan) -> tuple[str, str, bytes | None]:
    """Method, path and body of request `i` of `user`."""
    if kind == "post":
        item = {**plan.pool[(user * 7919 + i) % len(plan.pool)], "client_id": f"load-{user}-{i}"}
        if not plan.backdated:
            item.pop("occurred_to", None)
            seen = datetime.now(UTC) - timedelta(hours=LIVE_HOURS * ((user * 31 + i) % 97) / 97)
            item["occurred_at"] = seen.isoformat()
        return "POST", "/api/v1/reports", json.dumps(item).encode()
    if kind == "situation":
        period = plan.periods[(user + i) % len(plan.periods)]
        return "GET", f"/api/v1/situation?municipality={MUNICIPALITY}&period={period}", None
    return "GET", "/api/v1/reports?limit=50", None


def _user(number: int, port: int, plan: Plan, record: Record) -> None:
    rng = random.Random(number)
    kinds, weights = list(MIX), list(MIX.values())
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    plan.start.wait()
    time.sleep(rng.uniform(0.0, plan.ramp))
    i = 0
    while time.monotonic() < plan.deadline:
        kind = rng.choices(kinds, weights)[0]
        method, path, body = _request(number, i, kind, plan)
        began = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=plan.headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        record.results.append((kind, time.perf_counter() - began, status))
        i += 1
        time.sleep(rng.uniform(0.5, 1.5) * plan.think)
    conn.close()


def _seed(port: int, headers: dict[str, str], pool: list[dict[str, Any]]) -> None:
    items = [{**item, "client_id": f"seed-{i}"} for i, item in enumerate(pool[:SEED])]
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    body = json.dumps({"reports": items}).encode()
    conn.request("POST", "/api/v1/reports/batch", body=body, headers=headers)
    response = conn.getresponse()
    text = response.read()
    conn.close()
    if response.status != 201:
        raise RuntimeError(f"seeding failed: {response.status} {text[:500]!r}")


def _analyze(url: str) -> None:
    """Table statistics for PostgreSQL's planner, as autovacuum gathers within its first minute.

    Without them the planner guesses the freshly seeded tables are empty,
    and a page of the report list cost PostgreSQL about 30 ms of CPU instead of 6.
    """
    if not durability._is_postgres(url):
        return
    from trygg.env import database

    with durability._admin_connection(url, str(database(url, durability.ROOT)["NAME"])) as conn:
        conn.execute("ANALYZE")


def run_users(
    port: int, plan: Plan, users: int, seconds: float
) -> tuple[list[tuple[str, float, int]], float]:
    """Every request's (kind, seconds, status), and the seconds the load ran."""
    plan.start = threading.Barrier(users + 1)
    records = [Record() for _ in range(users)]
    threads = [
        threading.Thread(target=_user, args=(u, port, plan, records[u]), daemon=True)
        for u in range(users)
    ]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    plan.deadline = began + seconds  # before the start line opens: every user sees it
    plan.start.wait()
    for thread in threads:
        thread.join(timeout=max(0.0, plan.deadline - time.monotonic()) + 2 * REQUEST_TIMEOUT)
    return [r for record in records for r in record.results], time.monotonic() - began


def summarise(kind: str, results: list[tuple[str, float, int]], elapsed: float) -> dict[str, Any]:
    mine = [r for r in results if kind == "all" or r[0] == kind]
    latency = np.array([r[1] for r in mine]) * 1000.0 if mine else np.zeros(1)
    p50, p95, p99 = np.percentile(latency, [50, 95, 99])
    ok = {"post": 201, "situation": 200, "list": 200}
    return {
        "requests": len(mine),
        "throughput": round(len(mine) / elapsed, 1),
        "p50": round(float(p50), 1),
        "p95": round(float(p95), 1),
        "p99": round(float(p99), 1),
        "errors": sum(1 for r in mine if r[2] != ok[r[0]]),
    }


def measure(kind: str, tmp: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    with durability.fresh_database(kind, tmp) as url:
        setup = durability.child("prepare", url, tmp, pool=SEED)
        env = {**SERVER_ENV, "DATABASE_URL": url}
        log = tmp / "gunicorn.log"
        server = durability.Server(api_post._free_port(), setup["settings"], log, env)
        headers = {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"}
        pool = [json.loads(body) for body in setup["bodies"]]
        server.start()
        try:
            _seed(server.port, headers, pool)
            _analyze(url)
            periods = last_weeks(date.today(), WEEKS)
            plan = Plan(
                headers, pool, periods, float("inf"), args.think, threading.Barrier(1),
                ramp=args.ramp, backdated=args.backdated,
            )  # fmt: skip
            results, elapsed = run_users(server.port, plan, args.users, args.seconds)
        finally:
            server.stop()
        _report_log(log)
    return [
        {
            "bench": f"load_{kind}_{k}",
            "users": args.users,
            "ramp": args.ramp,
            "backdated": args.backdated,
            **summarise(k, results, elapsed),
        }
        for k in [*MIX, "all"]
    ]


def _report_log(log: Path) -> None:
    text = log.read_text(errors="replace")
    for needle in ("database is locked", "Traceback", "WORKER TIMEOUT"):
        if needle in text:
            print(f"server log: {needle!r} x{text.count(needle)}", file=sys.stderr)


def print_table(rows: list[dict[str, Any]]) -> None:
    header = ["requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"]
    print(f"{'bench':<24}" + "".join(f"{h:>9}" for h in header))
    for r in rows:
        print(
            f"{r['bench']:<24}{r['requests']:>9}{r['throughput']:>9}"
            f"{r['p50']:>9}{r['p95']:>9}{r['p99']:>9}{r['errors']:>8}"
        )
    overall = rows[-1]
    met = overall["errors"] == 0 and overall["p99"] < TARGET_P99_MS
    print(f"target 0 errors, p99 < {TARGET_P99_MS:.0f} ms: {'ok' if met else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which users arrive")
    parser.add_argument(
        "--backdated", action="store_true", help="post reports up to 300 days old, not live ones"
    )
    args = parser.parse_args()
    # SIGTERM (a timeout, a CI cancel) must still run the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        tmp = Path(tempfile.mkdtemp(prefix="trygg-load-"))
        try:
            rows = measure(kind, tmp, args)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if args.json:
            for row in rows:
                print(json.dumps(row), flush=True)
        else:
            print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
