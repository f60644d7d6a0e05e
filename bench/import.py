"""The issue's import bench: the 100,000-row CSV file import and the 85,011 police events.

    python bench/import.py                  # both, on throwaway SQLite files
    python bench/import.py --json           # one JSON object per measurement per line
    python bench/import.py --only files --rows 20000

Runs bench/import_files.py's measurement (in a child process on its own SQLite
file, as that bench does) and then bench/import_police.py's (in this process on
another), each beside a plain bulk_create of the same rows. Each line carries
wall and CPU figures: on a shared machine the CPU is the figure to read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_files  # beside this file, found through the path above
import import_police


def police(rounds: int) -> list[dict[str, Any]]:
    if not import_police.HISTORY.is_file():
        print(f"skipped: {import_police.HISTORY} is not there", file=sys.stderr)
        return []
    with tempfile.TemporaryDirectory(prefix="trygg-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'police.sqlite3'}"
        return import_police.police_events_measure(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--only", choices=["files", "police"], help="one of the two")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the CSV")
    parser.add_argument("--rounds", type=int, default=2, help="the best round counts")
    args = parser.parse_args()
    args.profile = False  # import_files' child reads it
    results: list[dict[str, Any]] = []
    if args.only != "police":
        results += import_files.run_child("sqlite", args)
    if args.only != "files":
        results += police(args.rounds)
    for result in results:
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            cpu = f" (cpu {result['value_cpu']})" if "value_cpu" in result else ""
            print(f"{result['bench']:<28}{result['value']:>10} {result['unit']}{cpu}  "
                  f"bulk_create {result['reference']}")  # fmt: skip


if __name__ == "__main__":
    main()
