"""The real police data the tests read, and notices made from them for a changed case."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "polisen_events_sample.json"
OSTERSUND = ROOT / "trygg" / "demo" / "data" / "polisen_events_ostersund.csv"


def sample_items() -> list[dict[str, Any]]:
    """The 250 real notices of the feed, as polisen.se returned them."""
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def notice(**changes: Any) -> dict[str, Any]:
    """The sample's first notice with some fields changed (`location` replaces the whole)."""
    item = copy.deepcopy(sample_items()[0])
    item.update(changes)
    return item
