"""Years of synthetic report history for the situation bench, written straight to the table.

The world is the intake bench's Östersund (bench/intake_data.py: ~20 Voronoi
districts and two street areas from the demo place list), with the real
category taxonomy of the migration and a few organisations. Reports are
spread over `years` of history ending yesterday with a slow growth in use, a
summer peak, busier Fridays and Saturdays, each category group's own hours
(disorder at night, litter by day), most reports scattered around the places,
a share packed around the two named streets and an emerging hot spot in the
last six weeks, so Gi* has something to find.

Rows are written in time order (as they arrive in life) with one COPY per
chunk on PostgreSQL and executemany on SQLite, not through the validation
path (the intake bench measures that); each report's area comes from the
same `AreaIndex` intake uses. Afterwards `rollup.rebuild()` fills the daily
rollup. Nothing here is timed except what the caller times.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import h3
import numpy as np
import shapely

CHUNK = 250_000
SPREAD_M = 600.0  # scatter around a place centre (standard deviation)
STREET_SHARE, STREET_SPREAD_M = 0.12, 90.0
EMERGING_SHARE, EMERGING_WEEKS, EMERGING_SPREAD_M = 0.25, 6, 120.0
CALM_SHARE = 0.05  # "all calm" check-ins: stored, never counted as incidents
WINDOW_SHARE = 0.15  # reports with an "occurred until" (sometime overnight)
# Monday first: more on Fridays and Saturdays.
WEEKDAY_WEIGHT = np.array([0.9, 0.85, 0.9, 0.95, 1.2, 1.35, 1.0])
# Relative frequency of each group, and its hours: "night" peaks around 23:00, "day" at 14:00.
GROUP_WEIGHT = {
    "damage": (8.0, "evening"),
    "litter": (6.0, "day"),
    "disorder": (7.0, "night"),
    "gathering": (3.0, "evening"),
    "drugs": (2.0, "evening"),
    "violence": (1.5, "night"),
    "theft": (4.0, "night"),
    "traffic": (3.0, "evening"),
    "rough_sleeping": (0.7, "night"),
    "unsafe_place": (2.5, "day"),
    "rumours": (0.5, "day"),
    "event": (0.4, "day"),
}
HOUR_PEAK = {"day": 14.0, "evening": 20.0, "night": 23.0}
SHARING = (["partnership", "organisation", "public"], [0.8, 0.12, 0.08])
SOURCES = (["web", "api", "import", "police_feed", "walk"], [0.5, 0.25, 0.1, 0.1, 0.05])
PLACE_TYPES = ["", "stairwell", "basement", "garage", "centre", "schoolyard", "park", "outdoors"]
PHRASES = [
    "",
    "Klotter på fasaden vid entrén.",
    "Krossad ruta i trapphuset.",
    "Grupp samlas vid entrén på kvällarna.",
    "Sönderslagen belysning vid gångvägen.",
    "Buskörning på parkeringen.",
    "Skräp vid miljöstugan efter helgen.",
    "Noterat under rondering.",
]
ORGANISATIONS = [
    ("Polisen LPO Östersund", "police"),
    ("Östersunds kommun", "municipality"),
    ("Nattvandrarna", "volunteer"),
    ("Hyresbolaget", "property_owner"),
]


@dataclass
class Place:
    """The municipality a history is written for, with what generation needs of it."""

    municipality: Any
    organisation_ids: list[int]
    user_id: int
    centres: np.ndarray  # SWEREF x, y of the place list
    weights: np.ndarray  # how busy each place is
    streets: np.ndarray  # SWEREF x, y of the named streets
    inner: Any  # the outline shrunk by a metre: every report lies inside it


def setup_place(code: str = "2380", name: str = "Östersund") -> Place:
    """A municipality with the bench geography, its areas and organisations."""
    import intake_data

    from trygg.geo.models import Area
    from trygg.partners.models import Municipality, Organisation

    geo = intake_data.build_geography()
    municipality = Municipality.objects.create(code=code, name=name, boundary=geo.boundary)
    Area.objects.bulk_create(
        Area(municipality=municipality, name=n, priority=p, geometry=g) for n, p, g in geo.areas
    )
    orgs = [
        Organisation.objects.create(municipality=municipality, name=n, kind=k).pk
        for n, k in ORGANISATIONS
    ]
    kinds = [row[1] for row in intake_data._read_places()]
    streets = np.array(
        [c for c, k in zip(geo.centres, kinds, strict=True) if k == "hotspot_street"]
    )
    # The centre is busiest; districts vary (a fixed draw, so every run is alike).
    weights = np.random.default_rng(7).gamma(2.0, 1.0, len(geo.centres))
    weights[[k == "centrum" for k in kinds]] *= 4
    return Place(
        municipality=municipality,
        organisation_ids=orgs,
        user_id=_bench_user().pk,
        centres=geo.centres,
        weights=weights / weights.sum(),
        streets=streets,
        inner=_prepared(geo.outline.buffer(-1.0)),
    )


def _prepared(geometry: Any) -> Any:
    shapely.prepare(geometry)
    return geometry


def _bench_user() -> Any:
    from django.contrib.auth.models import User

    return User.objects.get_or_create(username="bench-situation")[0]


class Taxonomy:
    """Incident categories with their draw weights and hour profiles, plus "all calm"."""

    def __init__(self) -> None:
        from trygg.reports.models import Category

        cats = list(Category.objects.select_related("group"))
        by_group: dict[str, list[int]] = {}
        for c in cats:
            by_group.setdefault(c.group.code if c.group_id else c.code, []).append(c.pk)
        self.calm_id = next(c.pk for c in cats if c.code == "all_calm")
        ids, weights, profiles = [], [], []
        for group, (weight, profile) in GROUP_WEIGHT.items():
            # A group with children is reported through its children.
            members = [
                i for i in by_group[group] if len(by_group[group]) == 1 or i != _pk(cats, group)
            ]
            share = np.random.default_rng(len(group)).dirichlet(np.ones(len(members)) * 2)
            for cid, s in zip(members, share, strict=True):
                ids.append(cid)
                weights.append(weight * s)
                profiles.append(profile)
        self.ids = np.array(ids)
        self.weights = np.array(weights) / sum(weights)
        self.profiles = np.array(profiles)


def _pk(cats: list[Any], code: str) -> int:
    return next(c.pk for c in cats if c.code == code)


def _day_weights(first: date, days: int) -> np.ndarray:
    """Growth in use (×2 over the history), a summer peak and busier weekends."""
    d = np.arange(days)
    doy = np.array([(first + timedelta(days=int(k))).timetuple().tm_yday for k in d])
    season = 1.0 + 0.3 * np.sin(2 * np.pi * (doy - 100) / 365.25)
    weekday = WEEKDAY_WEIGHT[(first.weekday() + d) % 7]
    growth = 0.67 + 0.67 * d / days
    w = season * weekday * growth
    return w / w.sum()


def _hours(rng: np.random.Generator, profiles: np.ndarray) -> np.ndarray:
    """Local hour of day with minutes as a fraction, drawn around each profile's peak."""
    out = np.empty(len(profiles))
    for name, peak in HOUR_PEAK.items():
        pick = profiles == name
        out[pick] = (rng.normal(peak, 3.5, pick.sum()) + 0.2 * rng.random(pick.sum())) % 24
    return out


def _points(rng: np.random.Generator, place: Place, n: int, recent: np.ndarray) -> np.ndarray:
    """SWEREF x, y inside the municipality: around places, streets and the emerging hot spot."""
    xy = np.empty((n, 2))
    todo = np.arange(n)
    emerging = place.centres[int(np.argsort(place.weights)[-3])] + [250.0, -180.0]
    while todo.size:
        m = todo.size
        draw = rng.random(m)
        near = place.centres[rng.choice(len(place.centres), m, p=place.weights)]
        spread = np.full(m, SPREAD_M)
        street = draw < STREET_SHARE
        near[street] = place.streets[rng.integers(0, len(place.streets), street.sum())]
        spread[street] = STREET_SPREAD_M
        new = recent[todo] & (draw > 1 - EMERGING_SHARE)
        near[new], spread[new] = emerging, EMERGING_SPREAD_M
        cand = near + rng.normal(0.0, 1.0, (m, 2)) * spread[:, None]
        ok = shapely.contains_xy(place.inner, cand[:, 0], cand[:, 1])
        xy[todo[ok]] = cand[ok]
        todo = todo[~ok]
    return xy


class _Clock:
    """Local wall time to UTC for Europe/Stockholm, one zoneinfo call per local hour."""

    def __init__(self, first: date, days: int, zone: ZoneInfo):
        start = datetime.combine(first, datetime.min.time())
        self.first = first
        offsets = [
            (start + timedelta(hours=h)).replace(tzinfo=zone).utcoffset() for h in range(days * 24)
        ]
        self.offset_s = np.array([o.total_seconds() for o in offsets], dtype=np.int64)
        self.epoch0 = int(datetime.combine(first, datetime.min.time(), UTC).timestamp())

    def utc_seconds(self, day: np.ndarray, hour: np.ndarray) -> np.ndarray:
        local = day * 86400 + (hour * 3600).astype(np.int64)
        return self.epoch0 + local - self.offset_s[day * 24 + hour.astype(np.int64)]


def _chunks(day_counts: np.ndarray) -> Iterator[tuple[int, int]]:
    """(first day, end day) runs holding about CHUNK reports each."""
    start, acc = 0, 0
    for d, c in enumerate(day_counts):
        acc += int(c)
        if acc >= CHUNK:
            yield start, d + 1
            start, acc = d + 1, 0
    if start < len(day_counts):
        yield start, len(day_counts)


def _columns(
    rng: np.random.Generator,
    place: Place,
    tax: Taxonomy,
    clock: _Clock,
    days: np.ndarray,
    recent_from: int,
    index: Any,
) -> dict[str, Any]:
    """One chunk's column values (numpy arrays) for reports on local days `days`, in time order."""
    from trygg.geo.projection import to_wgs84

    n = len(days)
    idx = rng.choice(len(tax.ids), n, p=tax.weights)
    cat, profiles = tax.ids[idx], tax.profiles[idx]
    calm = rng.random(n) < CALM_SHARE
    cat[calm] = tax.calm_id
    hours = _hours(rng, profiles)
    when = clock.utc_seconds(days, hours) + rng.integers(0, 60, n)
    order = np.argsort(when, kind="stable")
    when, cat, days = when[order], cat[order], days[order]
    xy = _points(rng, place, n, days >= recent_from)
    lat, lon = to_wgs84(xy[:, 0], xy[:, 1])
    window = rng.random(n) < WINDOW_SHARE
    until = np.where(window, when + rng.integers(3600, 10 * 3600, n), -1)
    reported = np.maximum(when, until) + rng.exponential(6 * 3600, n).astype(np.int64)
    return {
        "id": _uuid4_hex(rng, n),
        "municipality_id": np.full(n, place.municipality.pk),
        "organisation_id": np.array(place.organisation_ids)[rng.integers(0, 4, n)],
        "reporter_id": np.where(rng.random(n) < 0.7, place.user_id, -1),
        "category_id": cat,
        "occurred_at": when,
        "occurred_to": until,
        "reported_at": reported,
        "lat": lat,
        "lon": lon,
        "x": xy[:, 0],
        "y": xy[:, 1],
        "h3_cell": [
            h3.latlng_to_cell(a, b, 9) for a, b in zip(lat.tolist(), lon.tolist(), strict=True)
        ],
        "area_id": index.areas_of(xy[:, 0], xy[:, 1]),
        "place_type": np.array(PLACE_TYPES)[rng.integers(0, len(PLACE_TYPES), n)],
        "persons": np.where(rng.random(n) < 0.3, rng.integers(1, 12, n), -1),
        "description": np.array(PHRASES)[rng.integers(0, len(PHRASES), n)],
        "sharing": rng.choice(SHARING[0], n, p=SHARING[1]),
        "source": rng.choice(SOURCES[0], n, p=SOURCES[1]),
        "status": np.where(days < recent_from, "closed", "received"),
        "flagged_for_discussion": np.zeros(n, dtype=bool),
    }


def _uuid4_hex(rng: np.random.Generator, n: int) -> list[str]:
    """Random version-4 UUIDs as 32 hex digits (Django's form on SQLite; PostgreSQL reads it)."""
    raw = rng.integers(0, 256, (n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    text = raw.tobytes().hex()
    return [text[i : i + 32] for i in range(0, 32 * n, 32)]


def generate(place: Place, n: int, *, years: float, end: date, seed: int) -> int:
    """Write `n` reports on the local days of `years` before `end` (exclusive); the count."""
    from django.conf import settings
    from django.db import connection, transaction

    from trygg.geo.lookup import area_index

    rng = np.random.default_rng(seed)
    days = round(years * 365.25)
    first = end - timedelta(days=days)
    per_day = rng.multinomial(n, _day_weights(first, days))
    tax, index = Taxonomy(), area_index(place.municipality)
    clock = _Clock(first, days + 1, ZoneInfo(settings.TIME_ZONE))
    recent_from = days - 7 * EMERGING_WEEKS
    write = _copy if connection.vendor == "postgresql" else _executemany
    with transaction.atomic():
        for lo, hi in _chunks(per_day):
            day = np.repeat(np.arange(lo, hi), per_day[lo:hi])
            write(connection, _columns(rng, place, tax, clock, day, recent_from, index))
    return n


COLUMNS = [
    "id", "municipality_id", "organisation_id", "reporter_id", "client_id", "category_id",
    "occurred_at", "occurred_to", "reported_at", "lat", "lon", "x", "y", "h3_cell", "area_id",
    "address", "place_type", "persons", "creates_insecurity", "description",
    "reported_to_police", "damage_cost_sek", "sharing", "source", "status", "photo",
    "flagged_for_discussion",
]  # fmt: skip
NULL_IF = {"reporter_id": -1, "occurred_to": -1, "area_id": 0, "persons": -1}
EMPTY = ("client_id", "address", "creates_insecurity", "photo")
ALWAYS_NULL = ("reported_to_police", "damage_cost_sek")
TIMES = ("occurred_at", "occurred_to", "reported_at")


def _table() -> str:
    from django.db import connection

    from trygg.reports.models import Report

    return connection.ops.quote_name(Report._meta.db_table)


def _timestamps(seconds: np.ndarray, sep: str, suffix: str) -> np.ndarray:
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return np.char.add(np.char.replace(text, "T", sep), suffix)


def _executemany(connection: Any, cols: dict[str, Any]) -> None:
    """SQLite: Django keeps UTC datetimes as 'YYYY-MM-DD HH:MM:SS' text and UUIDs as hex."""
    n = len(cols["id"])
    values = []
    for name in COLUMNS:
        if name in EMPTY:
            values.append([""] * n)
        elif name in ALWAYS_NULL:
            values.append([None] * n)
        else:
            col = cols[name]
            text = _timestamps(col, " ", "").tolist() if name in TIMES else None
            plain = text if text is not None else (col.tolist() if hasattr(col, "tolist") else col)
            if name in NULL_IF:
                nulls = (col == NULL_IF[name]).tolist()
                plain = [None if z else v for v, z in zip(plain, nulls, strict=True)]
            values.append(plain)
    marks = ", ".join("?" * len(COLUMNS))
    sql = f"INSERT INTO {_table()} ({', '.join(COLUMNS)}) VALUES ({marks})"
    connection.ensure_connection()
    connection.connection.executemany(sql, zip(*values, strict=True))


def _copy(connection: Any, cols: dict[str, Any]) -> None:
    """PostgreSQL: one COPY of tab-separated text (no value here holds a tab or backslash)."""
    n = len(cols["id"])
    values = []
    for name in COLUMNS:
        if name in EMPTY:
            values.append([""] * n)
        elif name in ALWAYS_NULL:
            values.append(["\\N"] * n)
        else:
            col = cols[name]
            text = _timestamps(col, "T", "+00") if name in TIMES else np.asarray(col).astype(str)
            if name in NULL_IF:
                text = np.where(col == NULL_IF[name], "\\N", text)
            values.append(text.tolist())
    payload = "\n".join("\t".join(row) for row in zip(*values, strict=True)) + "\n"
    sql = f"COPY {_table()} ({', '.join(COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(payload.encode())


def secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of the report table's indexes other than its key."""
    from django.db import connection

    from trygg.reports.models import Report

    table = Report._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname <> %s",
                [table, f"{table}_pkey"],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return list(cursor.fetchall())


def drop_indexes(indexes: list[tuple[str, str]]) -> None:
    """Drop them for a bulk load: building an index once is faster than growing it row by row."""
    from django.db import connection

    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


def create_indexes(indexes: list[tuple[str, str]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, sql in indexes:
            cursor.execute(sql)


def analyse() -> None:
    """PostgreSQL: what autovacuum does soon after a bulk load (statistics, visibility map).

    SQLite is left as the application leaves it: nothing runs ANALYZE there.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def world(
    n: int,
    *,
    years: float,
    end: date,
    others: int = 0,
    other_n: int = 0,
    sql_rollup: bool = False,
) -> SimpleNamespace:
    """The measured municipality with `n` reports and `others` more with `other_n` each.

    `sql_rollup` (PostgreSQL) fills the rollup with one INSERT … SELECT … GROUP BY
    instead of `rollup.rebuild()`, whose Python loop and row-by-row upsert take
    minutes at 10M; `rollup_sql_differs` checks it gives the very same rows.
    """
    import time

    from trygg.reports import rollup

    timings: dict[str, float] = {}
    place = setup_place()
    extra = [setup_place(code=f"{9000 + k}", name=f"Grannkommun {k + 1}") for k in range(others)]
    indexes = secondary_indexes()
    drop_indexes(indexes)
    started = time.perf_counter()
    generate(place, n, years=years, end=end, seed=2380)
    for k, other in enumerate(extra):
        generate(other, other_n, years=years, end=end, seed=9000 + k)
    timings["write"] = time.perf_counter() - started
    started = time.perf_counter()
    create_indexes(indexes)
    timings["index"] = time.perf_counter() - started
    started = time.perf_counter()
    if sql_rollup:
        fill_rollup_sql()
        timings["rollup_sql"] = time.perf_counter() - started
    else:
        rollup.rebuild()
        timings["rollup"] = time.perf_counter() - started
    started = time.perf_counter()
    analyse()
    timings["analyse"] = time.perf_counter() - started
    return SimpleNamespace(place=place, timings=timings, total=n + others * other_n)


ROLLUP_SELECT = """
    SELECT municipality_id, (occurred_at AT TIME ZONE %s)::date AS day,
           COALESCE(area_id, 0) AS area_key, category_id, sharing, COUNT(*) AS n
    FROM reports_report GROUP BY 1, 2, 3, 4, 5
"""


def fill_rollup_sql() -> None:
    """The rollup as `rollup.rebuild()` makes it (local day, area 0 for none), in one statement."""
    from django.conf import settings
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_dailycount")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        columns = "municipality_id, day, area_key, category_id, sharing, n, changed_at"
        rows = f"SELECT r.*, now() FROM ({ROLLUP_SELECT}) r"
        cursor.execute(f"INSERT INTO reports_dailycount ({columns}) {rows}", [settings.TIME_ZONE])


def rollup_sql_differs() -> int:
    """Rows in which the rollup table and the SQL recount differ (0: the same)."""
    from django.conf import settings
    from django.db import connection

    table = "SELECT municipality_id, day, area_key, category_id, sharing, n FROM reports_dailycount"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (({table} EXCEPT {ROLLUP_SELECT}) UNION ALL "
            f"({ROLLUP_SELECT} EXCEPT {table})) AS d",
            [settings.TIME_ZONE, settings.TIME_ZONE],
        )
        return int(cursor.fetchone()[0])


@contextmanager
def without_index(name: str) -> Iterator[None]:
    """The rollup without one of its indexes for a while (to show what the index buys)."""
    from django.db import connection

    (sql,) = [sql for n, sql in rollup_indexes() if n == name]
    # New statistics on PostgreSQL, as autovacuum keeps them; SQLite has none to renew.
    analyse = "ANALYZE reports_dailycount" if connection.vendor == "postgresql" else None
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {name}")
        if analyse:
            cursor.execute(analyse)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            if analyse:
                cursor.execute(analyse)


def rollup_indexes() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reports_dailycount'"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'reports_dailycount' AND sql IS NOT NULL"
            )
        return list(cursor.fetchall())
