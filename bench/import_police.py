"""Police events import: all 85,011 notices of the archive through `import_events`, against a
plain bulk_create of the same rows.

    python bench/import_police.py            # a throwaway SQLite file
    python bench/import_police.py --json     # one JSON object per measurement per line
    DATABASE_URL=postgres://… python bench/import_police.py --env   # whatever DATABASE_URL names
    python tools/with_postgres.py python bench/import_police.py --env   # a throwaway PostgreSQL

Reads bench/data/polisen_events_history.csv.gz (Polisen open data; see
bench/data/README.md). Ours is the whole action from an empty table: types
ensured, each location resolved to a municipality or county, the existing ids
looked up, and the rows created, in one transaction. The reference is the
floor: `PoliceEvent.objects.bulk_create` of the same rows already resolved, in
one transaction. Parsing the file is timed apart (both start from the parsed
events), and so is a second import of the same file (nothing new: the
idempotent pass). Each runs `--rounds` times, interleaved; the best round counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

HISTORY = ROOT / "bench" / "data" / "polisen_events_history.csv.gz"


def police_events_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    from intake import ensure_postgres_database

    ensure_postgres_database(os.environ.get("DATABASE_URL", ""))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def police_events_empty() -> None:
    from trygg.policeevents.models import PoliceEvent

    PoliceEvent.objects.all().delete()


def police_events_ours(events: list[Any]) -> Callable[[], None]:
    from django.utils import timezone

    from trygg.policeevents.actions import import_events

    def run() -> None:
        result = import_events(events=events, now=timezone.now())
        assert result.created + result.unchanged == len({e.feed_id for e in events}), result

    return run


def police_events_reference(events: list[Any]) -> Callable[[], None]:
    """The same rows, resolved beforehand, straight into bulk_create in one transaction."""
    from django.db import transaction
    from django.utils import timezone

    from trygg.policeevents import areas
    from trygg.policeevents.models import PoliceEvent, PoliceEventType

    types = {t.name: t.pk for t in PoliceEventType.objects.all()}
    places = {e.location_name: areas.resolve(e.location_name) for e in events}

    def run() -> None:
        now = timezone.now()
        rows = []
        for e in {e.feed_id: e for e in events}.values():
            place = places[e.location_name]
            rows.append(
                PoliceEvent(
                    feed_id=e.feed_id, name=e.name, summary=e.summary, url=e.url,
                    event_type_id=types[e.type_name], published_at=e.published_at,
                    location_name=e.location_name, level=place.level,
                    municipality_code=place.municipality_code, county_code=place.county_code,
                    first_seen=e.first_seen or now, last_seen=now,
                )
            )  # fmt: skip
        with transaction.atomic():
            PoliceEvent.objects.bulk_create(rows, batch_size=500)

    return run


def police_events_timed(run: Callable[[], None], *, empty: bool = True) -> tuple[float, float]:
    """Wall and CPU seconds (this process's: on SQLite all the work; the machine is shared)."""
    if empty:
        police_events_empty()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def police_events_measure(rounds: int) -> list[dict[str, Any]]:
    police_events_setup()
    from django.db import connection

    from trygg.policeevents.feed import parse_file

    start = time.perf_counter()
    events = parse_file(HISTORY)
    parse_s = time.perf_counter() - start
    n = len(events)
    ours, reference = police_events_ours(events), police_events_reference(events)
    ours(), police_events_empty()  # types the archive brings exist before either is timed
    ours_s = reference_s = again_s = (float("inf"), float("inf"))
    for _ in range(rounds):
        reference_s = min(reference_s, police_events_timed(reference))
        ours_s = min(ours_s, police_events_timed(ours))
        again_s = min(again_s, police_events_timed(ours, empty=False))
    vendor = connection.vendor
    first = police_events_result(f"police_import_{vendor}", n / ours_s[0], n / reference_s[0])
    if vendor == "sqlite":
        first["value_cpu"], first["reference_cpu"] = round(n / ours_s[1]), round(n / reference_s[1])
        first["ratio_cpu"] = round(reference_s[1] / ours_s[1], 3)
    return [
        first,
        police_events_result(f"police_reimport_{vendor}", n / again_s[0], None),
        police_events_result(f"police_parse_csv_{vendor}", n / parse_s, None),
    ]


def police_events_result(name: str, value: float, reference: float | None) -> dict[str, Any]:
    return {
        "bench": name,
        "value": round(value),
        "unit": "events/s",
        "reference": round(reference) if reference else None,
        "ratio": round(value / reference, 3) if reference else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--env", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not HISTORY.is_file():
        print(f"skipped: {HISTORY.relative_to(ROOT)} is not there", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory(prefix="trygg-bench-") as tmp:
        if not args.env:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'police.sqlite3'}"
        results = police_events_measure(args.rounds)
    for r in results:
        if args.json:
            print(json.dumps(r))
        else:
            ref, ratio, cpu = (r.get(k) or "-" for k in ("reference", "ratio", "ratio_cpu"))
            print(f"{r['bench']:<26}{r['value']:>8} events/s  bulk_create {ref:>8}  "
                  f"ratio {ratio:>6}  cpu ratio {cpu}")  # fmt: skip


if __name__ == "__main__":
    main()
