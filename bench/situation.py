"""The weekly lägesbild over years of history, against loading every report through the ORM.

    python bench/situation.py                # 1,000,000 reports on SQLite (WAL) and PostgreSQL
    python bench/situation.py --db sqlite    # one of them; --postgres is --db postgres
    python bench/situation.py --big          # also 10,000,000 on PostgreSQL, with memory
    python bench/situation.py --reports 200000 --other-municipalities 4 --other-reports 200000
    python bench/situation.py --json         # one JSON object per measurement per line

Each database gets a fresh world (bench/situation_data.py: ~20 areas, the real
taxonomy, 8 years of history, rows written with COPY/executemany, then
`rollup.rebuild()`), all timed. Measured, for the last complete ISO week:

- situation_week_<db>_<N>: `build_picture`, warm (3 runs first, then the median
  of --repeat). The reference is the straightforward approach, timed once in
  the same process: every report of the municipality through the ORM
  (`select_related("category__group")`) counted in Python for the same
  headline and area × group numbers (current, previous 4 weeks, same week last
  year); `max_abs_diff` between its numbers and the picture's must be 0.
  ratio = reference / value (how many times faster).
- situation_part_<part>_<db>_<N>: where the picture's time goes (medians).
- situation_pdf_<db>_<N>: the PDF (trygg.situation.pdf.render_pdf) if it exists.
- with --big, situation_week_postgres_10M and the memory of one picture in a fresh
  process: tracemalloc peak and peak-RSS growth (VmHWM). At 10M the rollup is filled
  with one INSERT … SELECT … GROUP BY (situation_data.fill_rollup_sql) instead
  of rollup.rebuild(), whose Python loop and row-by-row upsert take minutes;
  every smaller PostgreSQL run checks the two give identical rows (stderr).
  The ORM reference is skipped at 10M (it would take ~15 minutes).
- with --without-cover, the picture again with the rollup's covering index
  dropped, to show what it buys.
- situation_write/index/rollup/analyse_<db>_<N>: the generation, in seconds.

Targets: 1M under 300 ms (both databases), PDF under 3 s, 10M under 1 s and 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

YEARS = 8.0
TARGET_MS = {"week": 300.0, "week_10M": 1000.0, "pdf": 3000.0, "memory": 300.0}


# --- the measurement, in a process whose DATABASE_URL is already set ---------


def _setup_django(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        _ensure_database()
        call_command("migrate", verbosity=0)


def _ensure_database() -> None:
    """A new PostgreSQL cluster has no database of the settings' name: create it."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    params = connection.get_connection_params()
    name = params.pop("dbname")
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def last_week(today: date) -> Any:
    from trygg.situation.periods import default_period

    return default_period("weekly", today)


def _median_ms(run: Callable[[], Any], warm: int, repeat: int) -> float:
    for _ in range(warm):
        run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


# --- the reference: every row through the ORM ---------------------------------

Key = tuple[Any, str]  # (area id or "*", group code or "*")


def reference_counts(municipality: Any, period: Any) -> dict[Key, tuple[int, int, int]]:
    """(current, previous 4 periods, same period last year) per area and group, by hand."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from trygg.reports.models import Report

    zone = ZoneInfo(settings.TIME_ZONE)
    baseline_start = period.previous(4)[-1].start
    year = period.same_last_year()
    windows = [(period.start, period.end), (baseline_start, period.start), (year.start, year.end)]
    counts: dict[Key, list[int]] = {}
    reports = Report.objects.filter(municipality=municipality).select_related("category__group")
    for report in reports.iterator(chunk_size=5000):
        group = report.category.group or report.category
        if not group.is_incident:
            continue
        day = report.occurred_at.astimezone(zone).date()
        for w, (start, end) in enumerate(windows):
            if start <= day < end:
                area = report.area_id or 0
                for key in ((area, group.code), (area, "*"), ("*", group.code), ("*", "*")):
                    counts.setdefault(key, [0, 0, 0])[w] += 1
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def picture_counts(picture: Any) -> dict[Key, tuple[int, int, int]]:
    """The same numbers as the picture shows them (the baseline as its mean × periods)."""
    per = (picture.period.start - picture.baseline[-1].start).days / picture.period.days

    def triple(c: Any) -> tuple[int, int, int]:
        return (c.current, round(c.baseline_mean * per), c.last_year)

    out: dict[Key, tuple[int, int, int]] = {("*", "*"): triple(picture.total)}
    out.update({("*", g.code): triple(g.comparison) for g in picture.groups})
    for area in picture.areas:
        out[(area.area_id, "*")] = triple(area.total)
        out.update({(area.area_id, g): triple(c) for g, c in area.cells.items()})
    return out


def max_abs_diff(a: dict[Key, tuple[int, ...]], b: dict[Key, tuple[int, ...]]) -> int:
    zero = (0, 0, 0)
    pairs = (zip(a.get(k, zero), b.get(k, zero), strict=True) for k in a.keys() | b.keys())
    return max((abs(x - y) for pair in pairs for x, y in pair), default=0)


# --- where the time goes -------------------------------------------------------

PARTS = {
    # part: (module path, attribute)
    "taxonomy": ("queries.Taxonomy", "load"),
    "rollup_windows": ("queries", "window_counts"),
    "rollup_first_day": ("queries", "first_day"),
    "rollup_trend": ("queries", "daily_by_category"),
    "comparisons": ("picture", "_compare"),
    "period_events": ("queries", "period_events"),
    "time_of_week": ("picture", "time_of_week"),
    "study_area": ("picture", "study_area"),
    "binning": ("picture", "bin_points"),
    "gi_star": ("picture", "gi_star"),
    "kde": ("picture", "kernel_density"),
}


@contextmanager
def timed_parts(spent: dict[str, float]) -> Iterator[None]:
    """Wrap each part of build_picture so its seconds add up in `spent` while inside."""
    from trygg.situation import picture, queries

    owners = {"queries": queries, "picture": picture, "queries.Taxonomy": queries.Taxonomy}
    saved = []
    for part, (owner_name, attr) in PARTS.items():
        owner = owners[owner_name]
        original = owner.__dict__[attr]
        func = original.__func__ if isinstance(original, classmethod) else original

        def wrapper(*args: Any, _f: Any = func, _p: str = part, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                spent[_p] = spent.get(_p, 0.0) + time.perf_counter() - started

        replacement = classmethod(wrapper) if isinstance(original, classmethod) else wrapper
        setattr(owner, attr, replacement)
        saved.append((owner, attr, original))
    try:
        yield
    finally:
        for owner, attr, original in saved:
            setattr(owner, attr, original)


def part_times(run: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Median milliseconds of each part, and of the rest ("other")."""
    rounds: list[dict[str, float]] = []
    for _ in range(repeat):
        spent: dict[str, float] = {}
        with timed_parts(spent):
            started = time.perf_counter()
            run()
            total = time.perf_counter() - started
        spent["other"] = total - sum(spent.values())
        rounds.append(spent)
    return {p: statistics.median(r.get(p, 0.0) for r in rounds) * 1000 for p in rounds[0]}


# --- the PDF ---------------------------------------------------------------------


def pdf_runner(municipality: Any, period: Any) -> tuple[Callable[[], Any] | None, str]:
    """A call that renders the week's PDF, or None and why not."""
    import importlib
    import inspect

    try:
        pdf = importlib.import_module("trygg.situation.pdf")
    except ImportError as exc:
        return None, f"trygg.situation.pdf not importable ({exc})"
    render = getattr(pdf, "render_pdf", None)
    if render is None:
        return None, "trygg.situation.pdf has no render_pdf"
    from trygg.situation.picture import build_picture

    params = list(inspect.signature(render).parameters.values())
    if not params or params[0].name != "picture":
        return None, f"render_pdf{inspect.signature(render)} takes no picture first"
    # Required arguments after the picture (the saved assessment) are given as None.
    rest = [None for p in params[1:] if p.default is inspect.Parameter.empty]
    return (lambda: render(build_picture(municipality, period), *rest)), "build_picture+render_pdf"


# --- one database ------------------------------------------------------------------


def result(name: str, value: float, unit: str, reference: float | None, **extra: Any) -> dict:
    ratio = round(reference / value, 1) if reference and value else None
    ref = round(reference, 1) if reference is not None else None
    return {"bench": name, "value": round(value, 1), "unit": unit, "reference": ref} | {
        "ratio": ratio,
        **extra,
    }


def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Results of this process's database, one dict per measurement."""
    _setup_django()
    import situation_data
    from django.db import connection

    from trygg.situation.picture import build_picture

    vendor = "postgres" if connection.vendor == "postgresql" else connection.vendor
    n = args.reports
    tag = f"{vendor}_{label(n)}" + (
        f"_plus{args.other_municipalities}x{label(args.other_reports)}"
        if args.other_municipalities
        else ""
    )
    today = date.today()
    world = situation_data.world(
        n,
        years=YEARS,
        end=today,
        others=args.other_municipalities,
        other_n=args.other_reports,
        sql_rollup=args.sql_rollup,
    )
    if vendor == "postgres" and not args.sql_rollup:
        print(
            f"rollup: SQL recount differs in {situation_data.rollup_sql_differs()} rows",
            file=sys.stderr,
            flush=True,
        )
    out = [
        result(f"situation_{step}_{tag}", s, "s", None, reports=world.total)
        for step, s in world.timings.items()
    ]
    municipality, period = world.place.municipality, last_week(today)

    def run() -> Any:
        return build_picture(municipality, period)

    week_ms = _median_ms(run, warm=3, repeat=args.repeat)
    parts = part_times(run, repeat=max(3, args.repeat // 2))
    ref_s, diff = None, None
    if not args.no_reference:
        started = time.perf_counter()
        ref = reference_counts(municipality, period)
        ref_s = time.perf_counter() - started
        diff = max_abs_diff(ref, picture_counts(run()))
    out.append(
        result(
            f"situation_week_{tag}",
            week_ms,
            "ms",
            ref_s * 1000 if ref_s else None,
            period=period.key,
            events=run().time_of_week_events,
            max_abs_diff=diff,
            target_ms=TARGET_MS["week_10M" if n >= 10_000_000 else "week"],
        )
    )
    out += [result(f"situation_part_{p}_{tag}", ms, "ms", None) for p, ms in parts.items()]
    if args.explain:
        explain(municipality, period)
    if args.without_cover:
        with situation_data.without_index("dailycount_cover"):
            ms = _median_ms(run, warm=3, repeat=args.repeat)
        out.append(result(f"situation_week_{tag}_without_dailycount_cover", ms, "ms", None))
    out += pdf_results(municipality, period, tag, args)
    if args.memory:
        out += memory_results(tag, period.key)
    return out


def explain(municipality: Any, period: Any) -> None:
    """The plans of the picture's two biggest reads, on stderr."""
    from datetime import timedelta

    from django.db.models import Sum

    from trygg.reports.access import reports_for_statistics
    from trygg.situation import queries

    ids = queries.Taxonomy.load().incident_ids()
    since, until = queries._bounds(period.start, period.end)
    # The very query period_events sends.
    events = reports_for_statistics(
        "x",
        "y",
        "occurred_at",
        "occurred_to",
        municipality_id=municipality.pk,
        occurred_at__gte=since,
        occurred_at__lt=until,
        category_id__in=ids,
    )
    start = period.start - timedelta(weeks=51)
    trend = queries._rollup(municipality.pk, start, period.end, ids, False)
    trend = trend.values_list("day", "category_id").annotate(total=Sum("n"))
    options = {"analyze": True, "buffers": True} if _is_postgres() else {}
    for name, queryset in (("period_events", events), ("trend", trend)):
        print(f"--- {name}\n{queryset.explain(**options)}", file=sys.stderr, flush=True)


def _is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def pdf_results(municipality: Any, period: Any, tag: str, args: argparse.Namespace) -> list:
    runner, how = pdf_runner(municipality, period)
    if runner is None:
        print(f"situation_pdf_{tag}: skipped, {how}", file=sys.stderr, flush=True)
        return [{"bench": f"situation_pdf_{tag}", "value": None, "unit": "ms", "skipped": how}]
    try:
        ms = _median_ms(runner, warm=1, repeat=max(3, args.repeat // 2))
    except Exception as exc:  # another helper is still writing the PDF module
        print(f"situation_pdf_{tag}: failed, {exc!r}", file=sys.stderr, flush=True)
        return [
            {"bench": f"situation_pdf_{tag}", "value": None, "unit": "ms", "skipped": repr(exc)}
        ]
    return [result(f"situation_pdf_{tag}", ms, "ms", None, how=how)]


def memory_results(tag: str, period_key: str) -> list[dict[str, Any]]:
    """Memory of one picture in a fresh process on the same database."""
    command = [sys.executable, __file__, "--memory-of", period_key]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        result(f"situation_memory_tracemalloc_peak_{tag}", found["tracemalloc_mb"], "MB", None),
        result(
            f"situation_memory_rss_growth_{tag}",
            found["rss_growth_mb"],
            "MB",
            None,
            rss_before_mb=round(found["rss_before_mb"], 1),
            rss_after_mb=round(found["rss_after_mb"], 1),
        ),
    ]


def memory_of(period_key: str) -> None:
    """Print the memory one build_picture takes: peak RSS growth, then tracemalloc's peak.

    The peak RSS is /proc's VmHWM, not getrusage's ru_maxrss: on Linux a child
    inherits its parent's ru_maxrss across fork and exec, which hid the growth.
    """
    import tracemalloc

    _setup_django(migrate=False)
    from trygg.partners.models import Municipality
    from trygg.situation.periods import parse_period
    from trygg.situation.picture import build_picture

    municipality = Municipality.objects.get(code="2380")
    period = parse_period(period_key)
    municipality.areas.count()  # connect and load the ORM before the first reading
    before = _peak_rss_kb()
    build_picture(municipality, period)
    after = _peak_rss_kb()
    tracemalloc.start()
    build_picture(municipality, period)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    found = {"rss_growth_mb": (after - before) / 1024, "tracemalloc_mb": peak / 2**20}
    print(json.dumps(found | {"rss_before_mb": before / 1024, "rss_after_mb": after / 1024}))


def _peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- the driver: one child process per database ------------------------------


def child_command(args: argparse.Namespace, reports: int, memory: bool) -> list[str]:
    command = [sys.executable, __file__, "--db", "env", "--json", "--reports", str(reports)]
    command += ["--repeat", str(args.repeat)]
    command += ["--other-municipalities", str(args.other_municipalities)]
    command += ["--other-reports", str(args.other_reports)]
    if args.no_reference:
        command.append("--no-reference")
    if memory:
        command.append("--memory")
    if args.without_cover:
        command.append("--without-cover")
    if args.explain:
        command.append("--explain")
    if reports >= 5_000_000:
        command += ["--sql-rollup", "--no-reference"]
    return command


def run_child(db: str, command: list[str]) -> list[dict[str, Any]]:
    """Run the measurement for `db` in a fresh process (settings are fixed per process)."""
    tmp = Path(tempfile.mkdtemp(prefix="trygg-bench-situation-"))
    env = dict(os.environ)
    try:
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp / 'situation.sqlite3'}"
        else:
            env.pop("DATABASE_URL", None)  # with_postgres starts a throwaway cluster
            command = [sys.executable, str(ROOT / "tools" / "with_postgres.py"), *command]
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # with_postgres announces its cluster on stdout; only our JSON lines are results.
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"{'bench':<58}{'value':>10} {'unit':<4}{'reference':>12}{'ratio':>8}  note")
    for r in results:
        note = ""
        if "max_abs_diff" in r:
            note = f"max_abs_diff={r['max_abs_diff']} events={r['events']} {r['period']}"
        if r.get("skipped"):
            note = "skipped: " + r["skipped"]
        value = "-" if r["value"] is None else r["value"]
        ref, ratio = (r.get(k) if r.get(k) is not None else "-" for k in ("reference", "ratio"))
        print(f"{r['bench']:<58}{value:>10} {r['unit']:<4}{ref:>12}{ratio:>8}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "env"], default="both")
    parser.add_argument("--postgres", action="store_const", dest="db", const="postgres")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--big", action="store_true", help="also 10,000,000 on PostgreSQL")
    parser.add_argument("--big-only", action="store_true", help="only the 10,000,000 run")
    parser.add_argument("--other-municipalities", type=int, default=0)
    parser.add_argument("--other-reports", type=int, default=0, help="reports of each other one")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-reference", action="store_true", help="skip the ORM reference")
    parser.add_argument("--memory", action="store_true", help="memory of one picture")
    parser.add_argument("--memory-of", help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help="query plans on stderr")
    parser.add_argument(
        "--without-cover",
        action="store_true",
        help="also time the picture with the rollup's covering index dropped",
    )
    parser.add_argument(
        "--sql-rollup", action="store_true", help="PostgreSQL: fill the rollup in SQL (10M)"
    )
    args = parser.parse_args()
    if args.memory_of:
        memory_of(args.memory_of)
        return
    if args.db == "env":
        results = measure(args)
    else:
        runs = [] if args.big_only else [(db, args.reports, args.memory) for db in _dbs(args.db)]
        if args.big or args.big_only:
            runs.append(("postgres", 10_000_000, True))
        results = []
        for db, n, memory in runs:
            results += run_child(db, child_command(args, n, memory))
    if args.json:
        for r in results:
            print(json.dumps(r), flush=True)
    else:
        print_table(results)


def _dbs(db: str) -> list[str]:
    return ["sqlite", "postgres"] if db == "both" else [db]


if __name__ == "__main__":
    main()
