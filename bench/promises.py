"""The public citizen-promise page and its JSON over years of reports, beside a recount.

    python bench/promises.py                      # 200,000 reports on SQLite (WAL)
    python bench/promises.py --reports 1000000 --json

The world is bench/situation_data.py's (the real taxonomy, ~20 areas, 5 years of
reports, then the rollup), plus, through trygg.promises.actions: 10 promises
(nine archived earlier periods with one activity each, and the current one,
three years long, with 191 activities in 20 commitments: 200 in all), 50
quarterly indicators on the current one (40 counted from reports, of chosen
categories and areas, baseline two years before the start: five years of
reports read; 10 entered by hand), and two follow-ups. Measured (warm: 3 runs
first, then the median of --repeat), through Django's test client, the whole
request:

- promises_page_<N>: GET /medborgarloften/<code>/ (HTML, with 50 inline SVG charts);
- promises_json_<N>: GET /api/v1/promises?municipality=<code>;
- the same, _cold, with nothing kept (SITUATION_CACHE_SECONDS=0): the quarters of the
  rollup are read on every request. Warm, they are kept while the rollup stands
  (trygg.promises.cache), as for many citizens opening the same page.
- with --without-public-cover, the cold ones again without the rollup's index that
  leads with sharing (dailycount_public_cover): what that index buys.

The reference, timed once in the same process: every public report of the
municipality over those five years through the ORM (reports_for_statistics),
counted per indicator, period and baseline year in Python. `equal` says its
baselines, series and lights are the page's (trygg.promises.public.standings,
read from the daily rollup) and that every value the JSON shows (a count of 1–4
is withheld) is the recount's. ratio = reference / value.

Each line gives the median wall-clock `value` and `cpu_ms`, this process's CPU time
for the same requests (SQLite runs in the process, so it includes the database):
on a machine shared with other work, wall-clock time is CPU time plus waiting.

Target (issue 12): page and JSON each under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_MS = 100.0
COMPUTED, MANUAL = 40, 10
COMMITMENTS, ACTIVITIES_EACH = 20, 10


def _setup(path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    # Django's test client, in process: its host, plain http, static files unhashed.
    os.environ.update(ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false",
                      STATIC_MANIFEST="false")  # fmt: skip
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _previous(municipality: Any, by: Any, org: Any, first_year: int) -> None:
    """Nine earlier two-year promises, each published and then archived."""
    from trygg.promises import actions

    for k in range(9):
        start = first_year - 2 * (9 - k)
        promise = actions.create_promise(by=by, municipality=municipality, title=f"Löfte {k}",
                                         start_year=start, end_year=start + 1)  # fmt: skip
        commitment = actions.add_commitment(promise=promise, by=by, owner="both", text=f"Åt {k}")
        actions.add_activity(commitment=commitment, by=by, what=f"Aktivitet {k}", responsible=org)
        actions.publish_promise(promise=promise, by=by)
        actions.archive_promise(promise=promise, by=by)


def _current(municipality: Any, by: Any, orgs: list[Any], start: int, rng: Any) -> Any:
    from trygg.geo.models import Area
    from trygg.promises import actions
    from trygg.reports.models import Category

    promise = actions.create_promise(by=by, municipality=municipality, title="Medborgarlöfte",
                                     start_year=start, end_year=start + 2,
                                     situation="Läget i dag.")  # fmt: skip
    statuses = ["planned", "ongoing", "done", "cancelled"]
    for c in range(COMMITMENTS):
        commitment = actions.add_commitment(promise=promise, by=by, owner="both", text=f"Vi {c}")
        for a in range(ACTIVITIES_EACH if c < COMMITMENTS - 1 else 1):
            actions.add_activity(
                commitment=commitment, by=by, what=f"Aktivitet {c}.{a}",
                responsible=rng.choice(orgs), status=rng.choice(statuses),
            )  # fmt: skip
    groups = list(Category.objects.filter(group__isnull=True, is_incident=True))
    areas = list(Area.objects.filter(municipality=municipality))
    for k in range(COMPUTED):
        actions.add_indicator(
            promise=promise, by=by, name=f"Räknad {k}", kind="computed", every="quarter",
            baseline_year=start - 2, target_value=rng.randint(5, 200), direction="lower",
            categories=rng.sample(groups, rng.randint(1, 3)),
            areas=rng.sample(areas, rng.randint(0, 3)),
        )  # fmt: skip
    for k in range(MANUAL):
        manual = actions.add_indicator(
            promise=promise, by=by, name=f"Mätt {k}", kind="manual", every="quarter",
            baseline_year=start - 2, baseline_value=50, target_value=60, direction="higher",
            source="Trygghetsmätningen",
        )  # fmt: skip
        for year in range(start, start + 3):
            for q in (1, 2, 3, 4):
                actions.enter_indicator_value(indicator=manual, by=by, period=f"{year}-Q{q}",
                                              value=rng.randint(40, 70))  # fmt: skip
    actions.publish_promise(promise=promise, by=by)
    for month in (3, 9):
        actions.write_follow_up(promise=promise, by=by, narrative="Det går framåt.",
                                made_on=date(start + 1, month, 1))  # fmt: skip
    return promise


def reference(promise: Any, today: date) -> dict[int, dict[str, Any]]:
    """Each computed indicator recounted from the reports themselves, in Python."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from trygg.promises import indicators
    from trygg.reports.access import reports_for_statistics
    from trygg.reports.models import Report
    from trygg.situation.periods import local_bounds
    from trygg.situation.queries import Taxonomy

    rows = list(promise.indicators.filter(kind="computed").prefetch_related("categories", "areas"))
    first = min(i.baseline_year for i in rows)
    since, until = local_bounds(date(first, 1, 1), date(promise.end_year + 1, 1, 1))
    zone = ZoneInfo(settings.TIME_ZONE)
    reports = [
        (category, area or 0, at.astimezone(zone))
        for category, area, at in reports_for_statistics(
            "category_id", "area_id", "occurred_at", municipality_id=promise.municipality_id,
            sharing=Report.Sharing.PUBLIC, occurred_at__gte=since, occurred_at__lt=until,
        ).iterator()
    ]  # fmt: skip
    taxonomy = Taxonomy.load()
    out = {}
    for indicator in rows:
        ids = set(taxonomy.incident_ids(tuple(c.code for c in indicator.categories.all())))
        areas = {a.pk for a in indicator.areas.all()}
        per_key: dict[str, int] = defaultdict(int)
        base = 0
        for category, area, local in reports:
            if category not in ids or (areas and area not in areas):
                continue
            base += local.year == indicator.baseline_year
            per_key[f"{local.year}-Q{(local.month - 1) // 3 + 1}"] += 1
        keys = indicators.periods_of(indicator, promise, today)
        series = [(k, Decimal(per_key.get(k, 0))) for k in keys]
        baseline = (Decimal(base) / 4).quantize(Decimal("0.01"))
        complete = [v for k, v in series if indicators.period_bounds(k)[1] <= today]
        light = indicators.light_of(complete[-1] if complete else None, baseline,
                                    indicator.target_value, indicator.direction)  # fmt: skip
        out[indicator.pk] = {"series": series, "baseline": baseline, "light": light}
    return out


def same(
    promise: Any, recount: dict[int, dict[str, Any]], body: dict[str, Any], today: date
) -> bool:
    """The page's standings and the JSON's shown values equal the recount."""
    from trygg.promises import public

    rows = list(promise.indicators.prefetch_related("categories", "areas", "values"))
    found = public.standings(promise, rows, today)
    shown = {i["id"]: i for i in body["current"]["indicators"]}
    for pk, want in recount.items():
        got = found[pk]
        if [(p.period, p.value) for p in got.series] != want["series"]:
            return False
        if (got.baseline, got.light) != (want["baseline"], want["light"]):
            return False
        for point, (_key, value) in zip(shown[pk]["series"], want["series"], strict=True):
            if not point["suppressed"] and Decimal(str(point["value"])) != value:
                return False
    return True


def _median_ms(run: Any, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU: the same on a machine busy with others)."""
    for _ in range(3):
        run()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def measure(args: argparse.Namespace, path: str) -> list[dict[str, Any]]:
    _setup(path)
    from django.test import Client, override_settings

    from bench import situation_data
    from trygg.partners.models import Organisation

    today = date.today()
    start = today.year - 2
    built = situation_data.world(args.reports, years=5.0, end=today)
    municipality = built.place.municipality
    orgs = list(Organisation.objects.filter(municipality=municipality))
    by = None  # bench data: no person acts
    rng = random.Random(12)
    _previous(municipality, by, orgs[0], start)
    promise = _current(municipality, by, orgs, start, rng)
    client = Client()
    page_url = f"/medborgarloften/{municipality.code}/"
    json_url = f"/api/v1/promises?municipality={municipality.code}"
    first = client.get(page_url)
    if first.status_code != 200:
        raise SystemExit(f"{page_url}: {first.status_code}")
    body = client.get(json_url).json()
    started = time.perf_counter()
    recount = reference(promise, today)
    reference_ms = (time.perf_counter() - started) * 1000
    equal = same(promise, recount, body, today)
    timed = {}
    with override_settings(SITUATION_CACHE_SECONDS=0):
        timed["page_cold"] = _median_ms(lambda: client.get(page_url), args.repeat)
        timed["json_cold"] = _median_ms(lambda: client.get(json_url), args.repeat)
        if args.without_public_cover:
            with situation_data.without_index("dailycount_public_cover"):
                timed["page_cold_without_public_cover"] = _median_ms(
                    lambda: client.get(page_url), args.repeat
                )
                timed["json_cold_without_public_cover"] = _median_ms(
                    lambda: client.get(json_url), args.repeat
                )
    timed["page"] = _median_ms(lambda: client.get(page_url), args.repeat)
    timed["json"] = _median_ms(lambda: client.get(json_url), args.repeat)
    tag = (
        f"{args.reports // 1000}k" if args.reports % 1_000_000 else f"{args.reports // 1_000_000}M"
    )
    common = {
        "unit": "ms", "reference_ms": round(reference_ms, 1), "equal": equal,
        "promises": 10, "activities": 200, "indicators": COMPUTED + MANUAL,
        "target_ms": TARGET_MS,
    }  # fmt: skip
    return [
        {"name": f"promises_{what}_{tag}", "value": round(wall, 1), "cpu_ms": round(cpu, 1),
         "ratio": round(reference_ms / wall, 1), **common}
        for what, (wall, cpu) in timed.items()
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--without-public-cover",
        action="store_true",
        help="also the cold page and JSON without dailycount_public_cover",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = measure(args, str(Path(folder) / "bench.sqlite3"))
    for row in results:
        print(json.dumps(row) if args.json else row)


if __name__ == "__main__":
    main()
