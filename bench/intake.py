"""Intake: 100,000 reports through `submit_reports` against a plain bulk_create.

    python bench/intake.py                  # SQLite file (WAL) and a throwaway PostgreSQL
    python bench/intake.py --db sqlite      # one of them; --postgres is --db postgres
    DATABASE_URL=postgres://… python bench/intake.py --db env   # whatever DATABASE_URL names
    python bench/intake.py --json           # one JSON object per measurement per line
    python bench/intake.py --db sqlite --profile   # cProfile of the action on stderr

Reports go in batches of 10,000, as POST /api/v1/reports/batch takes them,
and include validation, masking, projection, area lookup and the client_id
check. The reference is the floor: `Report.objects.bulk_create` of the same
rows, already validated, in batches of the same size. Both start from an
empty report table; each runs `--rounds` times, interleaved, and the best
round counts (the machine is shared, so the slow rounds are other people's).
Target: ≥ 20,000 reports/s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BATCH = 10_000
TARGET = 20_000


# --- the measurement, in a process whose DATABASE_URL is already set ---------


def ensure_postgres_database(url: str) -> None:
    """Create the database DATABASE_URL names if missing: a new cluster has only `postgres`."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    from trygg.env import database

    db = database(url, ROOT)
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(**params, password=db["PASSWORD"] or None, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if found.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(db["NAME"]))))


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    ensure_postgres_database(os.environ.get("DATABASE_URL", ""))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _empty_reports() -> None:
    from django.db import connection

    from trygg.reports.models import Report

    table = connection.ops.quote_name(Report._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CASCADE: report histories, comments and measure links point at reports.
            cursor.execute(f"TRUNCATE {table} CASCADE")
        else:
            cursor.execute(f"DELETE FROM {table}")


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU seconds of `run` from an empty report table.

    CPU seconds are this process's only: on SQLite that is all the work, so
    they show what an idle machine would do; on PostgreSQL the server's share
    is missing and only the wall time means anything.
    """
    _empty_reports()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _ours(world: Any, items: list[dict[str, Any]]) -> Callable[[], None]:
    from trygg.reports.actions import submit_reports

    def run() -> None:
        for batch in _batches(items):
            result = submit_reports(organisation=world.organisation, by=world.user, items=batch)
            assert result.created == len(batch), result.created

    return run


def _validated_rows(world: Any, items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    from trygg.reports.intake import context_for, validate_items

    ctx = context_for(world.municipality)
    return [validate_items(batch, ctx) for batch in _batches(items)]


def _reference(world: Any, batches: list[list[dict[str, Any]]]) -> Callable[[], None]:
    """The floor: the same validated rows, straight into bulk_create, one transaction a batch."""
    from django.db import transaction
    from django.utils import timezone

    from trygg.reports.models import Report

    org = world.organisation

    def run() -> None:
        now = timezone.now()
        for rows in batches:
            with transaction.atomic():
                Report.objects.bulk_create(
                    [
                        Report(
                            **row,
                            municipality_id=org.municipality_id,
                            organisation_id=org.pk,
                            reporter_id=world.user.pk,
                            source=Report.Source.API,
                            reported_at=now,
                        )
                        for row in rows
                    ],
                    batch_size=2000,
                )

    return run


def _validation_only(world: Any, items: list[dict[str, Any]]) -> float:
    from trygg.reports.intake import context_for, validate_items

    start = time.perf_counter()
    ctx = context_for(world.municipality)
    for batch in _batches(items):
        validate_items(batch, ctx)
    return time.perf_counter() - start


def _profile(run: Callable[[], None]) -> None:
    import cProfile
    import pstats

    _empty_reports()
    profiler = cProfile.Profile()
    profiler.runcall(run)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)


def measure(n: int, rounds: int, profile: bool) -> list[dict[str, Any]]:
    """Results of this process's database, one dict per measurement."""
    _setup_django()
    from django.db import connection
    from django.utils import timezone
    from intake_data import make_items, setup_world

    world = setup_world()
    items = make_items(n, world, now=timezone.now())
    ours, reference = _ours(world, items), _reference(world, _validated_rows(world, items))
    if profile:
        _profile(ours)
    ours_s = reference_s = (float("inf"), float("inf"))
    for _ in range(rounds):
        reference_s = min(reference_s, _timed(reference))
        ours_s = min(ours_s, _timed(ours))
    vendor = connection.vendor
    batch = _result(f"intake_batch_{vendor}", n / ours_s[0], n / reference_s[0])
    if vendor == "sqlite":
        batch["value_cpu"], batch["reference_cpu"] = round(n / ours_s[1]), round(n / reference_s[1])
    return [batch, _result(f"intake_validate_{vendor}", n / _validation_only(world, items), None)]


def _result(name: str, value: float, reference: float | None) -> dict[str, Any]:
    return {
        "bench": name,
        "value": round(value),
        "unit": "reports/s",
        "reference": round(reference) if reference else None,
        "ratio": round(value / reference, 3) if reference else None,
    }


# --- the driver: one child process per database ------------------------------


def _child(db: str, args: argparse.Namespace, tmp: Path) -> tuple[list[str], dict[str, str]]:
    command = [sys.executable, __file__, "--db", "env", "--json"]
    command += ["--reports", str(args.reports), "--rounds", str(args.rounds)]
    if args.profile:
        command.append("--profile")
    env = dict(os.environ)
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'intake.sqlite3'}"
    elif db == "postgres":
        env.pop("DATABASE_URL", None)  # with_postgres starts a throwaway cluster
        command = [sys.executable, str(ROOT / "tools" / "with_postgres.py"), *command]
    return command, env


def run_child(db: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Run the measurement for `db` in a fresh process (settings are fixed per process)."""
    tmp = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    try:
        command, env = _child(db, args, tmp)
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines = done.stdout.splitlines()
    # with_postgres announces its cluster on stdout; only our JSON lines are results.
    return [json.loads(line) for line in lines if line.startswith("{")]


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"{'bench':<26}{'reports/s':>12}{'bulk_create':>13}{'ratio':>8}{'cpu-only':>10}  target")
    for r in results:
        target = "" if "validate" in r["bench"] else ("ok" if r["value"] >= TARGET else "BELOW")
        ref, ratio, cpu = (r.get(k) or "-" for k in ("reference", "ratio", "value_cpu"))
        print(f"{r['bench']:<26}{r['value']:>12}{ref:>13}{ratio:>8}{cpu:>10}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "env"], default="both")
    parser.add_argument("--postgres", action="store_const", dest="db", const="postgres")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="cProfile of one run, on stderr")
    args = parser.parse_args()
    if args.db == "env":
        results = measure(args.reports, args.rounds, args.profile)
    else:
        dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        results = [r for db in dbs for r in run_child(db, args)]
    if args.json:
        for result in results:
            print(json.dumps(result), flush=True)
    else:
        print_table(results)


if __name__ == "__main__":
    main()
