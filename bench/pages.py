"""What a coordinator waits for: the pages' server time on the production server.

    python bench/pages.py                      # the demo, then 1,000,000 reports, on SQLite (WAL)
    python bench/pages.py --reports 100000     # a quicker second world
    python bench/pages.py --db postgres        # a throwaway PostgreSQL
    python bench/pages.py --only demo          # or --only big
    python bench/pages.py --json               # one JSON object per measurement per line

Each world gets a fresh database: "demo" is `trygg demo` (two years of the
Östersund demo, ~20,000 reports); "big" is `--reports` reports over 8 years
written straight to the table by bench/situation_data.py (the situation
bench's world). A coordinator's session (password and second factor done)
is made in a child process on that database, as a finished login leaves it.
Then gunicorn starts with the repository's gunicorn.conf.py and production
settings on a free loopback port, with one worker process (its 4 threads
kept): the picture cache is per process, and with two a repeat view would
land on the other worker by chance and be a first view there.

Measured, as the wall time of one GET on loopback (the client is on the same
2 cores), each beside GET /healthz (median of HEALTHZ_SAMPLES, a view that
does nothing: the floor of gunicorn + Django + the client) measured just before:

    lagesbild        /lagesbild/<code>/?period=<last week>, first view (no kept picture) and repeat
    lagesbild_trend  the page's trend chart, /diagram/trend.svg (the page's only image)
    area             /lagesbild/omrade/<busiest area>/?period=<two weeks ago>, first and repeat
    pdf              /lagesbild/<code>/pdf?period=<three weeks ago>: nothing kept yet
    pdf_after_page   the PDF of last week after the page and its chart were seen; repeat
    list             /rapporter/, first and repeat
    map_all          /rapporter/karta.geojson for the municipality's extent at zoom 11
    map_week         the same, filtered to last week
    map_street       the same at zoom 17 around the newest report
    map_legacy       /rapporter/karta.geojson without a view (the GeoJSON link): size only matters

Each row also carries the 1-minute load average of the machine (`load1`):
the client, the server and whatever else runs share the same cores.
Targets: every page's first view under 500 ms at 1M reports, a repeat under
100 ms, the PDF under 1,500 ms, the map data under 300 KB and 300 ms.
Only 127.0.0.1 is ever contacted. The server is always stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import api_post  # noqa: E402  (bench/ is not a package: found through the path above)
import durability  # noqa: E402
from api_post import HOST, SERVER_ENV  # noqa: E402

YEARS = 8.0
HEALTHZ_SAMPLES = 15
REQUEST_TIMEOUT = 120.0
TARGET_MS = {"first": 500.0, "repeat": 100.0, "pdf": 1500.0, "map": 300.0}
TARGET_MAP_BYTES = 300_000
# One worker: see the docstring. Its threads stay as gunicorn.conf.py sets them.
BENCH_SERVER_ENV = {**SERVER_ENV, "WEB_CONCURRENCY": "1"}


# --- set-up, in a child process on the measured database ----------------------


def _setup_child(world: str, reports: int, out: Path) -> None:
    os.environ.update({k: v for k, v in SERVER_ENV.items() if k not in os.environ})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    from intake import ensure_postgres_database

    ensure_postgres_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    municipality, user = _demo() if world == "demo" else _big(reports)
    seconds = time.perf_counter() - started
    out.write_text(json.dumps(_facts(municipality, user) | {"setup_s": round(seconds, 1)}))


def _demo() -> tuple[Any, Any]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from trygg.demo.build import build_demo

    build_demo(now=timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    from trygg.partners.models import Municipality

    return Municipality.objects.get(code="2380"), User.objects.get(username="samordnare")


def _big(reports: int) -> tuple[Any, Any]:
    import situation_data
    from django.contrib.auth.models import User

    from trygg.partners.models import Membership, Organisation, Role

    made = situation_data.world(reports, years=YEARS, end=date.today())
    municipality = made.place.municipality
    user = User.objects.create_user("bench-coordinator")
    kommun = Organisation.objects.get(municipality=municipality, kind="municipality")
    Membership.objects.create(user=user, organisation=kommun, role=Role.COORDINATOR)
    return municipality, user


def _facts(municipality: Any, user: Any) -> dict[str, Any]:
    """The session cookie and what the measured URLs need to name."""
    from django.db.models import Count

    from trygg.reports.models import Report

    busiest = (
        Report.objects.filter(municipality=municipality, area__isnull=False)
        .values("area")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    newest = Report.objects.filter(municipality=municipality).order_by("-occurred_at").first()
    return {
        "cookie": _session_cookie(user),
        "code": municipality.code,
        "area": busiest["area"] if busiest else None,
        "bbox": _extent(municipality.boundary),
        "newest": [newest.lon, newest.lat] if newest else None,
        "reports": Report.objects.filter(municipality=municipality).count(),
    }


def _session_cookie(user: Any) -> str:
    """A session as a finished login with its second factor leaves it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _extent(boundary: dict[str, Any] | None) -> list[float]:
    """West, south, east, north of a GeoJSON (Multi)Polygon in degrees."""
    points: list[list[float]] = []

    def walk(node: Any) -> None:
        if node and isinstance(node[0], (int, float)):
            points.append(node)
        else:
            for child in node:
                walk(child)

    walk((boundary or {}).get("coordinates", []))
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]


def child(world: str, url: str, tmp: Path, reports: int) -> dict[str, Any]:
    out = tmp / f"{world}.json"
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url}
    command = [sys.executable, __file__, "--child", world, "--out", str(out)]
    command += ["--reports", str(reports)]
    subprocess.run(command, env=env, check=True, cwd=ROOT, timeout=3600)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


# --- the measurement -----------------------------------------------------------


def get(port: int, path: str, cookie: str = "") -> tuple[float, int, int]:
    """Milliseconds, status and body bytes of one GET on a new connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    headers = {"Cookie": cookie} if cookie else {}
    began = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    ms = (time.perf_counter() - began) * 1000
    conn.close()
    return ms, response.status, len(body)


def healthz_ms(port: int) -> float:
    return statistics.median(get(port, "/healthz")[0] for _ in range(HEALTHZ_SAMPLES))


def week_key(today: date, back: int) -> str:
    year, week, _ = (today - timedelta(weeks=back)).isocalendar()
    return f"{year}-W{week:02d}"


def plan(facts: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(name, path, views): each path is fetched `views` times, first then repeats."""
    code, today = facts["code"], date.today()
    weeks = [week_key(today, k) for k in (1, 2, 3)]
    # The municipality with a margin, as the map fits it (Leaflet pads the fitted outline).
    west, south, east, north = facts["bbox"]
    view = f"bbox={west - 0.01:.5f},{south - 0.005:.5f},{east + 0.01:.5f},{north + 0.005:.5f}"
    lon, lat = facts["newest"]
    street = f"bbox={lon - 0.002:.5f},{lat - 0.001:.5f},{lon + 0.002:.5f},{lat + 0.001:.5f}"
    last = today - timedelta(weeks=1)
    monday = last - timedelta(days=last.weekday())
    week_filter = f"since={monday.isoformat()}&until={(monday + timedelta(days=6)).isoformat()}"
    return [
        ("lagesbild", f"/lagesbild/{code}/?period={weeks[0]}", 2),
        ("lagesbild_trend", f"/lagesbild/{code}/diagram/trend.svg?period={weeks[0]}", 2),
        ("area", f"/lagesbild/omrade/{facts['area']}/?period={weeks[1]}", 2),
        ("pdf", f"/lagesbild/{code}/pdf?period={weeks[2]}", 1),
        ("pdf_after_page", f"/lagesbild/{code}/pdf?period={weeks[0]}", 2),
        ("list", "/rapporter/", 2),
        ("map_all", f"/rapporter/karta.geojson?{view}&zoom=11", 2),
        ("map_week", f"/rapporter/karta.geojson?{week_filter}&{view}&zoom=11", 2),
        ("map_street", f"/rapporter/karta.geojson?{street}&zoom=17", 2),
        ("map_legacy", "/rapporter/karta.geojson", 1),
    ]


def measure_world(kind: str, world: str, tmp: Path, reports: int) -> list[dict[str, Any]]:
    with durability.fresh_database(kind, tmp) as url:
        facts = child(world, url, tmp, reports)
        env = {**BENCH_SERVER_ENV, "DATABASE_URL": url}
        log = tmp / "gunicorn.log"
        server = durability.Server(api_post._free_port(), "trygg.settings", log, env)
        server.start()
        try:
            rows = [_measure(server.port, facts, name, path, views, kind, world)
                    for name, path, views in plan(facts)]  # fmt: skip
        finally:
            server.stop()
        _report_log(log)
    label = "demo" if world == "demo" else _label(facts["reports"])
    return [{"world": label, "reports": facts["reports"], "setup_s": facts["setup_s"], **r}
            for r in rows]  # fmt: skip


def _measure(
    port: int, facts: dict[str, Any], name: str, path: str, views: int, kind: str, world: str
) -> dict[str, Any]:
    floor = healthz_ms(port)
    results = [get(port, path, facts["cookie"]) for _ in range(views)]
    first_ms, status, size = results[0]
    row: dict[str, Any] = {
        "bench": f"pages_{name}_{kind}",
        "db": kind,
        "status": status,
        "bytes": size,
        "healthz_ms": round(floor, 1),
        "first_ms": round(first_ms, 1),
        "first_ratio": round(first_ms / floor, 1),
        # The machine's 1-minute load: on 2 shared cores every figure scales with it.
        "load1": round(os.getloadavg()[0], 1),
    }
    if views > 1:
        repeat_ms = min(r[0] for r in results[1:])
        row |= {"repeat_ms": round(repeat_ms, 1), "repeat_ratio": round(repeat_ms / floor, 1)}
    if name.startswith("map_") and status == 200:
        data = json.loads(_body(port, path, facts["cookie"]))
        row |= {"clustered": data.get("clustered"), "features": len(data["features"])}
        row["grouping"] = data.get("grouping", "points")
        row["total"] = data.get("total")
    row["met"] = _met(name, row)
    return row


def _body(port: int, path: str, cookie: str) -> bytes:
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    conn.request("GET", path, headers={"Cookie": cookie})
    body = conn.getresponse().read()
    conn.close()
    return body


def _met(name: str, row: dict[str, Any]) -> bool | None:
    """Whether the row meets its target; None where none is set (the legacy link)."""
    if row["status"] != 200:
        return False
    if name == "map_legacy":
        return None
    if name.startswith("map_"):
        return row["bytes"] < TARGET_MAP_BYTES and row["first_ms"] < TARGET_MS["map"]
    first = TARGET_MS["pdf"] if name.startswith("pdf") else TARGET_MS["first"]
    repeat_ok = row.get("repeat_ms", 0.0) < TARGET_MS["repeat"]
    return bool(row["first_ms"] < first and repeat_ok)


def _label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _report_log(log: Path) -> None:
    text = log.read_text(errors="replace")
    for needle in ("Traceback", "WORKER TIMEOUT", "database is locked"):
        if needle in text:
            print(f"server log: {needle!r} x{text.count(needle)}", file=sys.stderr)


def print_table(rows: list[dict[str, Any]]) -> None:
    header = f"{'world':<6}{'page':<26}{'first ms':>9}{'×hz':>7}{'repeat':>8}{'×hz':>7}"
    print(header + f"{'bytes':>10}{'healthz':>9}{'load':>6}  met")
    for r in rows:
        repeat = f"{r['repeat_ms']:>8}{r['repeat_ratio']:>7}" if "repeat_ms" in r else " " * 15
        shape = {"grid": "cells", "area": "areas"}.get(r.get("grouping", ""), "points")
        extra = f"  {r['features']} {shape} of {r['total']}" if "features" in r else ""
        met = {True: "ok", False: "MISSED", None: "-"}[r["met"]]
        print(
            f"{r['world']:<6}{r['bench']:<26}{r['first_ms']:>9}{r['first_ratio']:>7}{repeat}"
            f"{r['bytes']:>10}{r['healthz_ms']:>9}{r['load1']:>6}  {met}{extra}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres", action="store_true", help="same as --db postgres")
    parser.add_argument("--reports", type=int, default=1_000_000, help="reports of the big world")
    parser.add_argument("--only", choices=["demo", "big"])
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--child", choices=["demo", "big"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup_child(args.child, args.reports, args.out)
        return 0
    # SIGTERM (a timeout, a CI cancel) must still run the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    kind = "postgres" if args.postgres else args.db
    worlds = [args.only] if args.only else ["demo", "big"]
    rows: list[dict[str, Any]] = []
    for world in worlds:
        tmp = Path(tempfile.mkdtemp(prefix="trygg-pages-"))
        try:
            measured = measure_world(kind, world, tmp, args.reports)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        rows += measured
        if args.json:
            for row in measured:
                print(json.dumps(row), flush=True)
    if not args.json:
        print_table(rows)
    return 0 if all(r["met"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
