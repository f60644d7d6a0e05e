"""Analysis kernels against their reference implementations, side by side.

    python bench/analysis.py           # a readable table
    python bench/analysis.py --json    # one JSON object per kernel per line

Each bench function returns a dict with at least bench, ours_s, reference_s,
ratio (reference_s / ours_s) and max_abs_diff.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis_events
import analysis_grid

BENCHES = [*analysis_grid.BENCHES, *analysis_events.BENCHES]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--only", help="run only benches whose name contains this")
    args = parser.parse_args()
    for bench in BENCHES:
        if args.only and args.only not in bench.__name__:
            continue
        result = bench()
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print("  ".join(f"{k}={v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
