"""Drafting a meeting's agenda over years of reports and 10,000 measures.

    python bench/meetings.py                      # 1,000,000 reports on SQLite (WAL)
    python bench/meetings.py --reports 200000 --json

The world is bench/situation_data.py's (the real taxonomy, ~20 areas, 8 years),
plus `--measures` measures with deadlines and follow-up dates spread over the
year around the meeting (written with bulk_create: this is bench data). Measured:

- agenda_cold_<N>: `draft_agenda` with the picture cache off (the picture of
  the fortnight built anew), median of --repeat;
- agenda_warm_<N>: the same with the picture already cached (a coordinator
  opening the meeting again);
- the reference: the measure items the straightforward way (every measure of
  the municipality through the ORM, filtered and sorted in Python) and the
  picture's rising pairs and hot cells from `build_picture` called directly;
  `equal` says the agenda's items are exactly those.

Target (issue 11): under 1 s at 1M reports and 10,000 measures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup(path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _measures(municipality: Any, n: int, day: date) -> None:
    import random

    from trygg.measures.models import Measure
    from trygg.partners.models import Organisation

    rng = random.Random(11)
    owners = [
        Organisation.objects.get_or_create(municipality=municipality, name=f"Ägare {k}",
                                           defaults={"kind": "other"})[0]
        for k in range(8)
    ]  # fmt: skip
    Measure.objects.bulk_create([_one(rng, municipality, owners, i, day) for i in range(n)],
                                batch_size=2000)  # fmt: skip


def _one(rng: Any, municipality: Any, owners: list[Any], i: int, day: date) -> Any:
    """A measure of the last two years: most of those past their deadline are closed."""
    from trygg.measures.models import Measure

    deadline = day + timedelta(days=rng.randint(-700, 90))
    past = deadline < day - timedelta(days=30)
    if past and rng.random() < 0.97:
        status = rng.choice(["done", "cancelled"])
    else:
        status = rng.choice(["proposed", "decided", "ongoing", "done"])
    follow = deadline + timedelta(days=rng.randint(0, 60)) if i % 3 else None
    return Measure(
        municipality=municipality, title=f"Åtgärd {i}", kind="other",
        responsible=rng.choice(owners), status=status, deadline=deadline, follow_up_on=follow,
    )  # fmt: skip


def _reference(meeting: Any) -> list[tuple[str, Any]]:
    """The items the straightforward way: every measure through the ORM, the picture directly."""
    from trygg.measures.models import Measure
    from trygg.meetings.agenda import DUE_WITHIN_DAYS, meeting_period
    from trygg.situation.pages import name_order
    from trygg.situation.picture import build_picture

    picture = build_picture(meeting.municipality, meeting_period(meeting))
    # The picture's order (clearest first), ties by area name and group as the agenda says.
    rising = sorted(picture.rising, key=lambda r: (r.p, -(r.current - r.expected),
                                                   name_order(r.area_name), r.group))  # fmt: skip
    items: list[tuple[str, Any]] = [("rising", (r.area_id or None, r.group)) for r in rising]
    hot_cells = sorted((c.x, c.y) for c in picture.hotspots if c.level > 0)
    everything = list(Measure.objects.filter(municipality=meeting.municipality))
    until = meeting.held_on + timedelta(days=DUE_WITHIN_DAYS)
    due = sorted((m for m in everything if m.status in Measure.OPEN and m.deadline
                  and m.deadline <= until), key=lambda m: (m.deadline, m.pk))  # fmt: skip
    follow = sorted((m for m in everything if m.status != "cancelled" and m.follow_up_on
                     and meeting.since < m.follow_up_on <= meeting.held_on and m not in due),
                    key=lambda m: (m.follow_up_on, m.pk))  # fmt: skip
    items += [("due", m.pk) for m in due] + [("follow_up", m.pk) for m in follow]
    return [*items, ("hot_cells", hot_cells)]


def _ours(items: list[Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    cells = []
    for item in items:
        if item.kind == "rising":
            out.append(("rising", (item.subject["area"], item.subject["group"])))
        elif item.kind in ("due", "follow_up"):
            out.append((item.kind, item.subject["measure"]))
        elif item.kind == "hotspot":
            cells += [(c["x"], c["y"]) for c in item.subject["cells"]]
    return [*out, ("hot_cells", sorted(cells))]


def _median_ms(run: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(args: argparse.Namespace, path: str) -> list[dict[str, Any]]:
    _setup(path)
    from bench import situation_data
    from trygg.meetings.models import Meeting

    today = date.today()
    held_on = today - timedelta(days=today.weekday())  # this Monday
    built = situation_data.world(args.reports, years=8.0, end=held_on)
    municipality = built.place.municipality
    _measures(municipality, args.measures, held_on)
    meeting = Meeting.objects.create(
        municipality=municipality, held_on=held_on, since=held_on - timedelta(weeks=2)
    )
    tag = (
        f"{args.reports // 1000}k" if args.reports % 1_000_000 else f"{args.reports // 1_000_000}M"
    )
    timed = agenda_timings(meeting, args.repeat)
    common = {
        "unit": "ms", "reference_ms": round(timed["reference_ms"], 1), "equal": timed["equal"],
        "measures": args.measures, "items": timed["items"], "target_ms": 1000,
    }  # fmt: skip
    return [
        {"name": f"agenda_cold_{tag}", "value": round(timed["cold_ms"], 1), **common},
        {"name": f"agenda_warm_{tag}", "value": round(timed["warm_ms"], 1), **common},
    ]


def agenda_timings(meeting: Any, repeat: int) -> dict[str, Any]:
    """`draft_agenda` of `meeting`, cold and warm, beside the reference (also bench/cycle.py's).

    Cold: the picture cache off, the fortnight's picture built anew each time;
    warm: the picture already cached. `equal`: the agenda's items are exactly
    the reference's; `items`: how many (the hot cells counted as one).
    """
    from django.test import override_settings

    from trygg.meetings.agenda import draft_agenda
    from trygg.situation import cache

    reference_started = time.perf_counter()
    reference = _reference(meeting)
    reference_ms = (time.perf_counter() - reference_started) * 1000
    equal = _ours(draft_agenda(meeting)) == reference
    with override_settings(SITUATION_CACHE_SECONDS=0):
        cold = _median_ms(lambda: draft_agenda(meeting), repeat)
    cache.clear()
    draft_agenda(meeting)
    warm = _median_ms(lambda: draft_agenda(meeting), repeat)
    return {"cold_ms": cold, "warm_ms": warm, "reference_ms": reference_ms, "equal": equal,
            "items": len(reference) - 1}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = measure(args, str(Path(folder) / "bench.sqlite3"))
    for row in results:
        print(json.dumps(row) if args.json else row)


if __name__ == "__main__":
    main()
