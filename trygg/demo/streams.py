"""Who reports what, when and where in demo Östersund: the synthetic report streams.

Shares are of the incident reports asked for; the weekly "all calm"
check-ins come on top. Place weights name places of the demo csv; the
streets Kyrkgatan and Arågränd and Centrum at night are the persistent
hotspots the EST group in Östersund named.
"""

from __future__ import annotations

from dataclasses import dataclass

from trygg.demo import rhythm as r

# Organisation keys: see trygg.demo.people.ORGANISATIONS.
POLICE, MUNICIPALITY, HOUSING, HOUSING2, SECURITY, NIGHT_WALKERS = (
    "polis",
    "kommun",
    "bostad",
    "bostad2",
    "vakt",
    "natt",
)

DAMAGE = {
    "graffiti": 5.0,
    "broken_glass": 2.0,
    "property_damage": 3.0,
    "stone_throwing": 0.4,
    "arson": 0.2,
    "littering": 1.5,
    "dumping": 1.2,
    "burglary_storage": 1.2,
}


@dataclass(frozen=True)
class Stream:
    name: str  # part of each report's client_id: keep stable
    org: str
    share: float
    categories: dict[str, float]
    when: r.Profile
    where: dict[str, float]
    overnight: float = 0.0  # share found in the morning: an overnight window, not a time


# One stream per line of reporting practice; positional fields as in Stream.
# fmt: off
STREAMS: tuple[Stream, ...] = (
    Stream(
        "police-disorder", POLICE, 0.14,
        {"fight": 3, "noise": 2, "intoxication": 3, "threat_to_staff": 0.5},
        r.both(r.weekend_nights, r.mild_summer),
        {"Centrum": 6, "Kyrkgatan": 3, "Arågränd": 2, "Söder": 1, "Fjällmon": 1,
         "Torvalla": 1, "Brunflo": 0.5},
    ),
    Stream(
        "police-crime", POLICE, 0.10,
        {"assault": 3, "robbery": 1, "threat": 2, "drug_dealing": 2, "open_drug_scene": 0.5,
         "drug_use": 2},
        r.both(r.evenings, r.weekend_nights),
        {"Centrum": 4, "Kyrkgatan": 3, "Arågränd": 3, "Fjällmon": 1, "Torvalla": 1,
         "Lillänge": 0.5},
    ),
    Stream(
        "night-walks", NIGHT_WALKERS, 0.12,
        {"intoxication": 4, "noise": 2, "gathering": 2, "fight": 1, "littering": 1,
         "moped_on_path": 0.5},
        r.both(r.night_walks, r.mild_summer),
        {"Centrum": 5, "Kyrkgatan": 3, "Arågränd": 2, "Fjällmon": 1, "Torvalla": 1,
         "Odenslund": 0.5, "Lugnvik": 0.5},
    ),
    Stream(
        "housing-rounds", HOUSING, 0.16, DAMAGE, r.working_hours,
        {"Fjällmon": 3, "Arågränd": 3, "Torvalla": 2, "Brittsbo": 1.5, "Odensala": 1,
         "Körfältet": 1, "Lugnvik": 1},
        overnight=0.7,
    ),
    Stream(
        "housing2-rounds", HOUSING2, 0.12, DAMAGE, r.working_hours,
        {"Kyrkgatan": 3, "Centrum": 2, "Söder": 2, "Karlslund": 1, "Norr": 1, "Odenslund": 1,
         "Östberget": 1},
        overnight=0.7,
    ),
    Stream(
        "unsafe-dark", MUNICIPALITY, 0.08,
        {"lighting": 4, "poor_visibility": 2, "deserted": 1.5},
        r.both(r.evenings, r.dark_season),
        {"Centrum": 2, "Kyrkgatan": 2, "Arågränd": 2, "Fjällmon": 1, "Torvalla": 1, "Söder": 1,
         "Lugnvik": 1, "Odenslund": 1, "Brunflo": 0.5, "Lit": 0.5},
    ),
    Stream(
        "unsafe-upkeep", HOUSING, 0.03,
        {"vegetation": 2, "neglect": 2, "poor_visibility": 1},
        r.both(r.working_hours, r.summer),
        {"Fjällmon": 2, "Arågränd": 2, "Torvalla": 1, "Brittsbo": 1},
    ),
    Stream(
        "summer-evenings", MUNICIPALITY, 0.07,
        {"gathering": 3, "noise": 2, "littering": 1.5},
        r.both(r.evenings, r.summer),
        {"Centrum": 3, "Frösön Öster": 2, "Odenslund": 1, "Lugnvik": 1, "Brunflo": 1,
         "Kyrkgatan": 1},
    ),
    Stream(
        "security-patrols", SECURITY, 0.09,
        {"burglary_premises": 2, "vehicle_crime": 2, "property_damage": 1.5, "syringes": 1,
         "rough_sleeping": 1, "gathering": 1.5, "theft_other": 1, "broken_glass": 1},
        r.patrol_nights,
        {"Centrum": 4, "Odenskog": 3, "Kyrkgatan": 1, "Lillänge": 1, "Söder": 1,
         "Brunflo": 0.5},
    ),
    Stream(
        "traffic", MUNICIPALITY, 0.05,
        {"reckless_driving": 3, "a_tractor": 2, "moped_on_path": 2},
        r.both(r.evenings, r.spring_summer),
        {"Brunflo": 2, "Lit": 2, "Lugnvik": 1, "Torvalla": 1, "Frösön Väster": 1, "Centrum": 1},
    ),
    Stream(
        "context", MUNICIPALITY, 0.03, {"rumours": 2, "event": 1.5}, r.daytime,
        {"Centrum": 3, "Fjällmon": 1, "Torvalla": 1, "Lugnvik": 1},
    ),
    # Bursts: a series of storage burglaries in one district, ten days, seven weeks ago ...
    Stream(
        "burst-storage", HOUSING, 0.005, {"burglary_storage": 1},
        r.window(r.days_before_end(50), 10, r.working_hours),
        {"Odensala": 1},
        overnight=0.9,
    ),
    # ... and two weeks of A-tractors and reckless driving in Brunflo last spring.
    Stream(
        "burst-traffic", MUNICIPALITY, 0.004, {"reckless_driving": 1, "a_tractor": 1.5},
        r.window(r.last_spring(5, 1, 14), 14, r.evenings),
        {"Brunflo": 1},
    ),
)
# fmt: on

# Where each organisation's weekly "all calm" check-in is placed.
HOME = {
    POLICE: "Centrum",
    MUNICIPALITY: "Centrum",
    HOUSING: "Fjällmon",
    HOUSING2: "Söder",
    SECURITY: "Odenskog",
    NIGHT_WALKERS: "Centrum",
}
