"""The EST cycle's reads at scale, each beside a reference: effect, presence, board, agenda.

    python bench/cycle.py                  # 1,000,000 reports on SQLite (WAL) and PostgreSQL
    python bench/cycle.py --db sqlite      # one of them; --postgres is --db postgres
    python bench/cycle.py --json           # one JSON object per measurement per line
    python bench/cycle.py --db sqlite --reports 100000 --measures 2000 --json --repeat 3

One run prints all four of issue 11's figures at 1M reports and 10,000 measures.

Each database gets the situation bench's world (bench/situation_data.py: ~20
areas, the real taxonomy, 8 years of history, then the rollup). Measured (warm:
3 runs first, then the median of --repeat):

- cycle_effect_<db>_<N>: `trygg.measures.effect.evaluate` for a measure in the
  busiest area against "damage" starting 12 weeks ago (12-week windows, 500 m
  buffer, the rest of the municipality as comparison, last year's windows too).
  Reference, timed once: each window's reports through the ORM (by municipality
  and time), category checked and each point classified one at a time with an
  unprepared shapely geometry; the statistics on its counts must be equal
  (`equal`: the whole stored JSON of both is the same).
- cycle_presence_<db>_<N>: `trygg.measures.presence.plan` for "disorder" over 8
  weeks. Reference: the 8 weeks' reports (by municipality and time) through the ORM, the aoristic
  weekday × hour weights, grid cells and areas counted in Python, the check-ins
  in a loop; `equal` when the ranked slots (weights to 0.01), cells, areas and
  check-ins agree. (The Gi* verdict per cell is not recomputed by hand.)

- cycle_board_<db>_<N>: the measures board's read model as the view runs it
  (`trygg.measures.pages.board_queryset` sliced to BOARD_LIMIT, then
  `board_rows`) for a coordinator, over --measures (default 10,000) measures in
  every status with areas, owners, lights, deadlines and follow-up dates
  (spread over the last two years as bench/meetings.py spreads them: most of
  those long past their deadline are closed). Reference, timed once: every
  measure of the municipality through the ORM, each responsible organisation and
  area fetched one at a time, sorted overdue first in Python; `equal` when the
  rows are the same.
- cycle_agenda_cold_<db>_<N> / cycle_agenda_warm_<db>_<N>: `draft_agenda` for a
  meeting held today covering the last two weeks, over the same reports and
  measures, with the picture cache off (the fortnight's picture built anew:
  the figure the target is about) and with the picture cached, each the median
  of --repeat without warm-up runs. Timed, and compared with its reference
  (timed once), by bench/meetings.py's `agenda_timings`: the
  measure items the straightforward way (every measure through the ORM,
  filtered and sorted in Python) and the picture's rising pairs and hot cells
  from `build_picture` called directly; `equal` when the items are exactly those.

Targets: agenda drafting under 1 s, effect and presence each under 500 ms at
1M reports, the board under 200 ms (10,000 measures).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# bench/meetings.py: the agenda's timing and reference, and how its measures are spread.
import meetings as meetings_bench

# bench/situation.py: Django setup, timing and the child-process runner.
import situation as situation_bench

TARGET_MS = {"effect": 500.0, "presence": 500.0, "board": 200.0, "agenda": 1000.0}
WEEKS, BUFFER_M, PRESENCE_WEEKS = 12, 500.0, 8
HOUR, WEEK = 3600, 7 * 24 * 3600


def busiest_area(municipality: Any) -> Any:
    from django.db.models import Count

    from trygg.geo.models import Area
    from trygg.reports.models import Report

    top = (
        Report.objects.filter(municipality=municipality, area__isnull=False)
        .values("area")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return Area.objects.get(pk=top["area"])


def bench_measure(municipality: Any, today: date) -> Any:
    from trygg.measures.actions import create_measure
    from trygg.partners.models import Organisation
    from trygg.reports.models import Category

    return create_measure(
        by=None, municipality=municipality, title="Bench", kind="situational",
        responsible=Organisation.objects.filter(municipality=municipality).first(),
        area=busiest_area(municipality), categories=Category.objects.filter(code="damage"),
        starts_on=today - timedelta(weeks=WEEKS),
    )  # fmt: skip


def reference_effect(measure: Any, today: date) -> dict[str, Any]:
    """The evaluation the straightforward way: ORM rows, one point test each."""
    from zoneinfo import ZoneInfo

    import shapely
    from django.conf import settings

    from trygg.geo.lookup import geometry_to_sweref
    from trygg.measures import effect
    from trygg.reports.models import Report

    parameters = effect.Parameters(weeks=WEEKS, buffer_m=BUFFER_M)
    windows = effect.windows_of(measure.starts_on, WEEKS, today)
    wanted = set(effect.target_categories(measure))
    treated = geometry_to_sweref(measure.area.geometry)
    ring = treated.buffer(BUFFER_M)
    outline = geometry_to_sweref(measure.municipality.boundary)
    shapes = {"treated": treated, "buffer": ring.difference(treated),
              "comparison": outline.difference(ring)}  # fmt: skip
    zone = ZoneInfo(settings.TIME_ZONE)
    counts = {z: dict.fromkeys(effect.WINDOWS, 0) for z in effect.ZONES}
    for name, (start, end) in windows.items():
        since, until = (datetime.combine(d, clock(), zone) for d in (start, end))
        rows = Report.objects.filter(
            municipality=measure.municipality, occurred_at__gte=since, occurred_at__lt=until
        )
        for report in rows.iterator(chunk_size=5000):
            if report.category_id not in wanted:
                continue
            point = shapely.Point(report.x, report.y)
            for z, shape in shapes.items():
                if shape.intersects(point):
                    counts[z][name] += 1
    days = (windows["after"][1] - windows["after"][0]).days
    return effect.statistics(parameters, windows, counts, days).as_json()


def _aoristic(start: int, end: int, weights: list[float]) -> None:
    """Spread one window [start, end) of local epoch seconds over the 168 hours, by hand."""
    length = end - start
    t = start
    while t < end:
        nxt = min(end, (t // HOUR + 1) * HOUR)
        slot = ((t + 3 * 24 * HOUR) % WEEK) // HOUR
        weights[slot] += (nxt - t) / length
        t = nxt


def reference_presence(municipality: Any, today: date) -> dict[str, Any]:
    """The plan the straightforward way: every report of the weeks through the ORM."""
    from calendar import timegm

    from django.utils import timezone

    from trygg.measures import presence
    from trygg.reports.models import Report
    from trygg.situation.queries import Taxonomy
    from trygg.situation.study_area import study_area

    start, end = presence.window_of(PRESENCE_WEEKS, today)
    wanted = set(Taxonomy.load().incident_ids(("disorder",)))
    study = study_area(municipality)
    grid = study.grid
    weights = [0.0] * 168
    cells: Counter[tuple[int, int]] = Counter()
    areas: Counter[str] = Counter()
    checkins: list[int] = []
    since, until = (timezone.make_aware(datetime.combine(d, clock())) for d in (start, end))
    rows = Report.objects.filter(
        municipality=municipality, occurred_at__gte=since, occurred_at__lt=until
    ).select_related("area", "category", "organisation")
    for report in rows.iterator(chunk_size=5000):
        local = timezone.localtime(report.occurred_at)
        if not start <= local.date() < end:
            continue
        seconds = timegm(local.timetuple())
        if report.category.code == "all_calm" and report.organisation.kind == "volunteer":
            checkins.append(((seconds + 3 * 24 * HOUR) % WEEK) // HOUR)
        if report.category_id not in wanted:
            continue
        until = (
            timegm(timezone.localtime(report.occurred_to).timetuple()) if report.occurred_to else 0
        )
        if until > seconds:
            _aoristic(seconds, until, weights)
        else:
            weights[((seconds + 3 * 24 * HOUR) % WEEK) // HOUR] += 1.0
        col, row = int((report.x - grid.x0) // grid.cell), int((report.y - grid.y0) // grid.cell)
        if 0 <= col < grid.nx and 0 <= row < grid.ny and study.mask[row, col]:
            cells[(row, col)] += 1
        if report.area_id:
            areas[report.area.name] += 1
    top = sorted(range(168), key=lambda i: (-weights[i], i))[: presence.TOP]
    ranked = sorted(cells.items(), key=lambda c: (-c[1], c[0][0] * grid.nx + c[0][1]))
    slots = [(i // 24, i % 24, round(weights[i], 2), checkins.count(i)) for i in top]
    return {
        "slots": [s for s in slots if s[2] > 0],
        "places": [(grid.x0 + c * grid.cell, grid.y0 + r * grid.cell, n)
                   for (r, c), n in ranked[: presence.TOP]],
        "areas": sorted(areas.items(), key=lambda a: (-a[1], a[0])),
        "checkins": len(checkins),
    }  # fmt: skip


def bench_measures(municipality: Any, n: int, today: date) -> Any:
    """`n` measures spread over statuses, owners, areas, lights and dates; returns a coordinator.

    Statuses, deadlines and follow-up dates as bench/meetings.py spreads them
    (the agenda reads the same measures). (The effect bench's measure has no
    deadline: see `reference_board` for its place.)"""
    import random

    from django.contrib.auth.models import User

    from trygg.geo.models import Area
    from trygg.measures.models import Measure
    from trygg.partners.models import Membership, Organisation, Role

    owners = list(Organisation.objects.filter(municipality=municipality).order_by("pk"))
    areas = [None, *Area.objects.filter(municipality=municipality).order_by("pk").only("pk")]
    lights = ["", *Measure.Light.values]
    rng = random.Random(11)
    measures = [meetings_bench._one(rng, municipality, owners, i, today) for i in range(n)]
    for i, one in enumerate(measures):
        one.area, one.light = areas[i % len(areas)], lights[i % len(lights)]
    Measure.objects.bulk_create(measures, batch_size=2000)
    user = User.objects.get_or_create(username="bench-cycle-coordinator")[0]
    Membership.objects.get_or_create(user=user, organisation=owners[0], role=Role.COORDINATOR)
    return user


def reference_board(municipality: Any, today: date) -> list[dict[str, Any]]:
    """The board the straightforward way: every measure, its owner and area one query each."""
    from django.db import connection
    from django.urls import reverse

    from trygg.measures.models import Measure
    from trygg.measures.pages import BOARD_LIMIT, light_text

    statuses = dict(Measure.Status.choices)
    # ORDER BY deadline puts a missing one first on SQLite and last on PostgreSQL.
    missing = date.min if connection.vendor == "sqlite" else date.max
    rows = []
    for m in Measure.objects.filter(municipality=municipality):
        late = m.status in Measure.OPEN and m.deadline is not None and m.deadline < today
        area = m.area.name if m.area_id else ""
        rows.append(((0 if late else 1, m.deadline or missing, m.pk), {
            "id": m.pk, "url": reverse("measures:detail", args=[m.pk]), "title": m.title,
            "status": m.status, "status_label": str(statuses[m.status]),
            "responsible": m.responsible.name, "area": area, "deadline": m.deadline,
            "light": m.light or "none", "light_label": light_text(m.light), "overdue": late,
        }))  # fmt: skip
    rows.sort(key=lambda r: r[0])
    return [row for _, row in rows[:BOARD_LIMIT]]


def plan_summary(found: Any) -> dict[str, Any]:
    return {
        "slots": [(s.weekday, s.hour, s.weight, s.checkins) for s in found.slots],
        "places": [(p.x, p.y, p.count) for p in found.places],
        "areas": found.areas,
        "checkins": found.checkins,
    }


def same_plan(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal, with slot weights allowed to differ in the last rounded digit (summing order)."""
    slots_equal = len(a["slots"]) == len(b["slots"]) and all(
        (x[0], x[1], x[3]) == (y[0], y[1], y[3]) and abs(x[2] - y[2]) <= 0.011
        for x, y in zip(a["slots"], b["slots"], strict=True)
    )
    listed = all(list(map(tuple, a[k])) == list(map(tuple, b[k])) for k in ("places", "areas"))
    return slots_equal and listed and a["checkins"] == b["checkins"]


def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    situation_bench._setup_django()
    import situation_data
    from django.db import connection

    from trygg.measures import effect, presence

    vendor = "postgres" if connection.vendor == "postgresql" else connection.vendor
    tag = f"{vendor}_{situation_bench.label(args.reports)}"
    today = date.today()
    world = situation_data.world(args.reports, years=situation_bench.YEARS, end=today)
    municipality = world.place.municipality
    target = bench_measure(municipality, today)
    parameters = effect.Parameters(weeks=WEEKS, buffer_m=BUFFER_M)

    def run_effect() -> Any:
        return effect.evaluate(target, parameters, today=today)

    def run_presence() -> Any:
        return presence.plan(
            municipality, categories=("disorder",), weeks=PRESENCE_WEEKS, today=today
        )

    out = []
    effect_ms = situation_bench._median_ms(run_effect, warm=3, repeat=args.repeat)
    started = time.perf_counter()
    reference = reference_effect(target, today)
    ref_ms = (time.perf_counter() - started) * 1000
    fresh = run_effect().as_json()
    out.append(situation_bench.result(
        f"cycle_effect_{tag}", effect_ms, "ms", ref_ms, equal=fresh == reference,
        counts=fresh["counts"], target_ms=TARGET_MS["effect"],
    ))  # fmt: skip
    presence_ms = situation_bench._median_ms(run_presence, warm=3, repeat=args.repeat)
    started = time.perf_counter()
    reference_plan = reference_presence(municipality, today)
    ref_ms = (time.perf_counter() - started) * 1000
    found = plan_summary(run_presence())
    out.append(situation_bench.result(
        f"cycle_presence_{tag}", presence_ms, "ms", ref_ms,
        equal=same_plan(found, reference_plan), events=run_presence().n_events,
        target_ms=TARGET_MS["presence"],
    ))  # fmt: skip
    out.append(measure_board(municipality, args, tag, today))
    out += measure_agenda(municipality, args, tag, today)
    return out


def measure_board(municipality: Any, args: argparse.Namespace, tag: str, today: date) -> Any:
    from trygg.measures import pages

    coordinator = bench_measures(municipality, args.measures, today)

    def run_board() -> list[dict[str, Any]]:
        chosen = pages.BoardFilter()
        queryset = pages.board_queryset(coordinator, municipality, chosen, today)
        return pages.board_rows(list(queryset[: pages.BOARD_LIMIT]), today)

    board_ms = situation_bench._median_ms(run_board, warm=3, repeat=args.repeat)
    started = time.perf_counter()
    reference = reference_board(municipality, today)
    ref_ms = (time.perf_counter() - started) * 1000
    return situation_bench.result(
        f"cycle_board_{tag}", board_ms, "ms", ref_ms, equal=run_board() == reference,
        measures=args.measures, target_ms=TARGET_MS["board"],
    )  # fmt: skip


def measure_agenda(municipality: Any, args: argparse.Namespace, tag: str, today: date) -> Any:
    """The agenda of a meeting held today over the board's measures; bench/meetings.py times it."""
    from trygg.meetings.models import Meeting

    meeting = Meeting.objects.create(
        municipality=municipality, held_on=today, since=today - timedelta(weeks=2)
    )
    timed = meetings_bench.agenda_timings(meeting, args.repeat)
    return [
        situation_bench.result(
            f"cycle_agenda_{kind}_{tag}", timed[f"{kind}_ms"], "ms", timed["reference_ms"],
            equal=timed["equal"], items=timed["items"], measures=args.measures,
            target_ms=TARGET_MS["agenda"],
        )
        for kind in ("cold", "warm")
    ]  # fmt: skip


def child_command(args: argparse.Namespace) -> list[str]:
    return [sys.executable, __file__, "--db", "env", "--json", "--reports", str(args.reports),
            "--repeat", str(args.repeat), "--measures", str(args.measures)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "env"], default="both")
    parser.add_argument("--postgres", action="store_const", dest="db", const="postgres")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--measures", type=int, default=10_000)
    args = parser.parse_args()
    if args.db == "env":
        results = measure(args)
    else:
        dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        results = []
        for db in dbs:
            results += situation_bench.run_child(db, child_command(args))
    for r in results:
        print(json.dumps(r) if args.json else r, flush=True)


if __name__ == "__main__":
    main()
