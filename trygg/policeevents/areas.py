"""The feed's `location.name` as a municipality or county code (Statistics Sweden's table).

The feed names a municipality ("Östersund") or a county ("Jämtlands län"), now
and then in its own spelling ("Upplands väsby", "Dals-ed"): names are matched
without regard to case.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "swedish_admin_areas_scb.csv"


@dataclass(frozen=True)
class Place:
    level: str  # municipality, county or unknown (PoliceEvent.Level)
    municipality_code: str
    county_code: str


UNKNOWN = Place("unknown", "", "")


@cache
def _places() -> dict[str, Place]:
    places: dict[str, Place] = {}
    with TABLE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            county = row["county_code"]
            places[row["municipality_name"].casefold()] = Place(
                "municipality", row["municipality_code"], county
            )
            places[row["county_name"].casefold()] = Place("county", "", county)
    return places


def resolve(location_name: str) -> Place:
    return _places().get(location_name.strip().casefold(), UNKNOWN)


def county_of(municipality_code: str) -> str:
    """A kommunkod begins with its county's code (2380 Östersund lies in 23, Jämtland)."""
    return municipality_code[:2]


@cache
def county_name(county_code: str) -> str:
    with TABLE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["county_code"] == county_code:
                return row["county_name"]
    return county_code
