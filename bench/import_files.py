"""File import: a 100,000-row CSV through `import_file` against a plain bulk_create.

    python bench/import_files.py                # SQLite file (WAL); --db postgres or both
    python bench/import_files.py --json         # one JSON object per measurement per line
    python bench/import_files.py --profile      # cProfile of the import on stderr

bench/import.py runs this and the police events bench together. The file is
what Swedish Excel saves: UTF-8 with BOM, `;` between fields, decimal commas,
dates as `2026-11-24 23:10`, categories in Swedish words, in the intake
bench's world (bench/intake_data.py: Östersund's districts as realistic
polygons). Ours is the whole import from the file's bytes: reading, column and
category mapping, date and number parsing, intake's validation (masking,
projection, area lookup), the client_id check and the write with its rollup,
in one transaction with the ImportRun. The reference is the floor:
`Report.objects.bulk_create` of the same rows already validated, in one
transaction. Both start from an empty report table; the best of `--rounds`
counts. Target: the whole import in under 10 s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 10.0
COLUMNS = {
    "category": "Kategori", "occurred_at": "Datum", "lat": "Lat", "lon": "Long",
    "place_type": "Platstyp", "persons": "Antal personer", "description": "Beskrivning",
}  # fmt: skip


def make_csv(items: list[dict[str, Any]]) -> tuple[bytes, dict[str, str]]:
    """The items as a Swedish Excel CSV, and the category mapping (Swedish name → code)."""
    from django.utils import timezone

    from trygg.reports.models import Category, Report

    names = dict(Category.objects.values_list("code", "name_sv"))
    places = {code: str(label) for code, label in Report.PlaceType.choices}
    lines = [";".join(COLUMNS.values())]
    for item in items:
        at = timezone.localtime(item["occurred_at"])
        text = item.get("description", "").replace('"', '""')
        cells = [
            names[item["category"]], f"{at:%Y-%m-%d %H:%M}",
            f"{item['lat']:.6f}".replace(".", ","), f"{item['lon']:.6f}".replace(".", ","),
            places.get(item.get("place_type", ""), ""), str(item.get("persons", "")),
            f'"{text}"' if text else "",
        ]  # fmt: skip
        lines.append(";".join(cells))
    content = b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return content, {name: code for code, name in names.items()}


def measure(n: int, rounds: int, profile: bool) -> list[dict[str, Any]]:
    from intake import _empty_reports, _setup_django

    _setup_django()
    from django.db import connection, transaction
    from django.utils import timezone
    from intake_data import make_items, setup_world

    from trygg.imports.actions import IMPORT_MAX_AGE_DAYS, check_file, import_file
    from trygg.imports.models import ImportRun
    from trygg.reports.models import Report

    world = setup_world()
    content, categories = make_csv(make_items(n, world, now=timezone.now()))

    def ours() -> None:
        run = import_file(
            organisation=world.organisation, by=world.user, name="bench.csv", content=content,
            columns=COLUMNS, categories=categories,
        )  # fmt: skip
        assert run.created == n, (run.created, run.errors[:3])

    checked = check_file(
        organisation=world.organisation, content=content, columns=COLUMNS, categories=categories
    )
    assert checked.valid == n and IMPORT_MAX_AGE_DAYS, checked.errors[:3]
    org = world.organisation

    def reference() -> None:
        now = timezone.now()
        with transaction.atomic():
            Report.objects.bulk_create(
                Report(**row, municipality_id=org.municipality_id, organisation_id=org.pk,
                       reporter_id=world.user.pk, source=Report.Source.IMPORT, reported_at=now)
                for row in checked.reports.valid
            )  # fmt: skip

    def timed(run: Any) -> tuple[float, float]:
        """Wall and CPU seconds: on SQLite the CPU is all the work, and the machine is shared."""
        _empty_reports()
        ImportRun.objects.all().delete()
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        return time.perf_counter() - wall, time.process_time() - cpu

    if profile:
        import cProfile
        import pstats

        _empty_reports()
        profiler = cProfile.Profile()
        profiler.runcall(ours)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    ours_s = min(timed(ours) for _ in range(rounds))
    reference_s = min(timed(reference) for _ in range(rounds))
    wall, cpu = time.perf_counter(), time.process_time()
    check_file(organisation=org, content=content, columns=COLUMNS, categories=categories)
    check_s = time.perf_counter() - wall, time.process_time() - cpu
    vendor = connection.vendor
    return [
        _result(f"import_csv_{vendor}", ours_s, reference_s, n, len(content)),
        _result(f"import_csv_dry_run_{vendor}", check_s, None, n, len(content)),
    ]


def _result(
    name: str, ours: tuple[float, float], reference: tuple[float, float] | None, n: int, size: int
) -> dict[str, Any]:
    """Seconds (wall; `_cpu` this process's CPU), beside bulk_create's where there is one."""
    return {
        "bench": name,
        "value": round(ours[0], 2),
        "value_cpu": round(ours[1], 2),
        "unit": "s",
        "rows": n,
        "file_bytes": size,
        "reference": round(reference[0], 2) if reference else None,
        "reference_cpu": round(reference[1], 2) if reference else None,
        "ratio": round(ours[0] / reference[0], 2) if reference else None,
        "target": TARGET_SECONDS if "dry_run" not in name else None,
    }


def run_child(db: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="trygg-bench-") as tmp:
        command = [sys.executable, __file__, "--db", "env", "--json"]
        command += ["--rows", str(args.rows), "--rounds", str(args.rounds)]
        if args.profile:
            command.append("--profile")
        env = dict(os.environ)
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'import.sqlite3'}"
        else:
            env.pop("DATABASE_URL", None)
            command = [sys.executable, str(ROOT / "tools" / "with_postgres.py"), *command]
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "env"], default="sqlite")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="cProfile of one run, on stderr")
    args = parser.parse_args()
    if args.db == "env":
        results = measure(args.rows, args.rounds, args.profile)
    else:
        dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        results = [r for db in dbs for r in run_child(db, args)]
    for r in results:
        if args.json:
            print(json.dumps(r), flush=True)
        else:
            verdict = "" if r["target"] is None else ("ok" if r["value"] < r["target"] else "SLOW")
            print(
                f"{r['bench']:<28}{r['value']:>8} s (cpu {r['value_cpu']} s)  "
                f"bulk_create {r['reference']} s (cpu {r['reference_cpu']} s)  {verdict}"
            )


if __name__ == "__main__":
    main()
