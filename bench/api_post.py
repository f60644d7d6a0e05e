"""Single-report API POST under 50 concurrent clients, against the production server.

    python bench/api_post.py                # SQLite file (WAL)
    python bench/api_post.py --postgres     # a throwaway PostgreSQL (tools/with_postgres.py)
    python bench/api_post.py --json         # one JSON object per measurement per line

Sets up a fresh database (migrate, the intake bench's Östersund world, an API
token), starts gunicorn with the repository's gunicorn.conf.py on a free
loopback port, and sends POST /api/v1/reports from `--clients` threads, each
on its own keep-alive connection, every report with its own client_id, until
`--requests` are done or `--seconds` have passed. The reference is the same
load on GET /healthz, a view that does nothing, on the same server: the
floor of gunicorn + Django + the client itself. Target: p99 < 100 ms.

The clients run on the same 2 cores as the server, so they take CPU from it;
the ratio to the reference is the figure that means something.
Only 127.0.0.1 is ever contacted. The server is always stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

HOST = "127.0.0.1"  # never anything else
TARGET_P99_MS = 100.0
SERVER_ENV = {
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": HOST,
    "STATIC_MANIFEST": "false",  # the API serves no static files; no collectstatic needed
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",  # plain http on loopback: no proxy in front to add TLS
}


@dataclass
class Load:
    method: str
    path: str
    bodies: list[bytes] | None  # one per request, or None for a GET
    headers: dict[str, str]


# --- set-up ------------------------------------------------------------------


def _setup(n_bodies: int) -> tuple[str, list[bytes], str]:
    """API token, JSON bodies of unique reports, and the settings module to serve."""
    os.environ.update({k: v for k, v in SERVER_ENV.items() if k not in os.environ})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    from intake import ensure_postgres_database

    ensure_postgres_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.utils import timezone
    from intake_data import make_items, setup_world

    from trygg.partners.actions import create_api_token

    world = setup_world()
    _, token = create_api_token(user=world.user, name="bench")
    items = make_items(n_bodies, world, now=timezone.now(), prefix="api")
    bodies = [json.dumps(item, default=_iso).encode() for item in items]
    return token, bodies, "trygg.settings"


def _iso(value: Any) -> str:
    return value.isoformat()


# --- the server ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(
    port: int,
    settings_module: str,
    log: Path,
    *,
    env: dict[str, str] | None = None,
    own_group: bool = False,
) -> subprocess.Popen[bytes]:
    """gunicorn serving once /healthz answers; `env` over os.environ.

    `own_group`: master and workers in a process group of their own (its id
    is the master's pid), so one killpg reaches them all (bench/durability.py).
    """
    env = {
        **os.environ,
        **(env or {}),
        "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    with log.open("ab") as out:
        server = subprocess.Popen(
            [*command, "trygg.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=own_group,
        )
    try:
        _wait_until_serving(server, port)
    except BaseException:
        stop_server(server)
        raise
    return server


def _wait_until_serving(server: subprocess.Popen[bytes], port: int, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the load ------------------------------------------------------------------


@dataclass
class Run:
    """What the client threads share: the start line, the deadline, their results."""

    start: threading.Barrier
    deadline: float = float("inf")  # set just before the start line opens


def _client(port: int, load: Load, mine: range, run: Run, out: list[tuple[float, int]]) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    run.start.wait()
    for i in mine:
        if time.perf_counter() > run.deadline:
            break
        body = load.bodies[i] if load.bodies is not None else None
        began = time.perf_counter()
        try:
            conn.request(load.method, load.path, body=body, headers=load.headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0  # counted as an error; reconnect and go on
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        out.append((time.perf_counter() - began, status))
    conn.close()


def run_load(port: int, load: Load, clients: int, requests: int, seconds: float) -> dict[str, Any]:
    """Latency percentiles (ms), throughput (requests/s) and errors of one load."""
    per_client = requests // clients
    run = Run(start=threading.Barrier(clients + 1))
    outs: list[list[tuple[float, int]]] = [[] for _ in range(clients)]
    threads = [
        threading.Thread(
            target=_client,
            args=(port, load, range(c * per_client, (c + 1) * per_client), run, outs[c]),
            daemon=True,
        )
        for c in range(clients)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    run.deadline = began + seconds
    run.start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return _summary([r for out in outs for r in out], elapsed, load.method == "POST")


def _summary(results: list[tuple[float, int]], elapsed: float, post: bool) -> dict[str, Any]:
    latency = np.array([r[0] for r in results]) * 1000.0
    ok = {201} if post else {200}
    p50, p95, p99 = np.percentile(latency, [50, 95, 99])
    return {
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "throughput": len(results) / elapsed,
        "requests": len(results),
        "errors": sum(1 for r in results if r[1] not in ok),
    }


# --- results and the driver --------------------------------------------------


def _results(db: str, ours: dict[str, Any], ref: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per measurement; ratio = ours / reference (so > 1 is slower for latency)."""
    rows = []
    for key, unit in (("p50", "ms"), ("p95", "ms"), ("p99", "ms"), ("throughput", "requests/s")):
        value, reference = ours[key], ref[key]
        rows.append(
            {
                "bench": f"api_post_{db}_{key}",
                "value": round(value, 1),
                "unit": unit,
                "reference": round(reference, 1),
                "ratio": round(value / reference, 2) if reference else None,
            }
        )
    rows.append(
        {
            "bench": f"api_post_{db}_errors",
            "value": ours["errors"],
            "unit": f"of {ours['requests']} requests",
            "reference": ref["errors"],
            "ratio": None,
        }
    )
    return rows


def _log_findings(log: Path) -> list[str]:
    """Problems in the server log: lock errors, tracebacks, free text that reached it."""
    from intake_data import PHRASES

    text = log.read_text(errors="replace")
    findings = [
        f"{needle!r} x{text.count(needle)}"
        for needle in ("database is locked", "Traceback")
        if needle in text
    ]
    # Every report body the bench sends carries one of these phrases.
    if any(phrase in text for phrase in PHRASES):
        findings.append("a report description reached the log")
    return findings


def measure(args: argparse.Namespace, tmp: Path) -> list[dict[str, Any]]:
    warmup = 4 * args.clients
    token, bodies, settings_module = _setup(args.requests + warmup)
    from django.db import connection

    db = connection.vendor
    connection.close()  # the server's workers open their own
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    post = Load("POST", "/api/v1/reports", bodies[warmup:], headers)
    get = Load("GET", "/healthz", None, {})
    log, port = tmp / "gunicorn.log", _free_port()
    server = start_server(port, settings_module, log)
    try:
        run_load(port, Load("POST", post.path, bodies[:warmup], headers), args.clients, warmup, 10)
        run_load(port, get, args.clients, warmup, 10)
        ref = run_load(port, get, args.clients, args.requests, args.seconds)
        ours = run_load(port, post, args.clients, args.requests, args.seconds)
    finally:
        stop_server(server)
    for finding in _log_findings(log):
        print(f"server log: {finding}", file=sys.stderr)
    return _results(db, ours, ref)


def _reexec_under_postgres(args: argparse.Namespace) -> int:
    """Run this script again inside tools/with_postgres.py (a throwaway cluster)."""
    command = [sys.executable, str(ROOT / "tools" / "with_postgres.py"), sys.executable, __file__]
    # Built from the parsed arguments, never sys.argv: passing --postgres on
    # would make the child start another cluster and re-exec again, forever.
    command += ["--db", "env", "--clients", str(args.clients), "--requests", str(args.requests)]
    command += ["--seconds", str(args.seconds), *(["--json"] if args.json else [])]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    # with_postgres announces its cluster on stdout: pass on only our own output.
    lines = done.stdout.splitlines()
    print("\n".join(line for line in lines if not line.startswith("throwaway PostgreSQL")))
    return done.returncode


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"{'bench':<28}{'value':>10}  {'unit':<22}{'/healthz':>10}{'ratio':>8}")
    for r in results:
        ratio = r["ratio"] if r["ratio"] is not None else "-"
        print(f"{r['bench']:<28}{r['value']:>10}  {r['unit']:<22}{r['reference']:>10}{ratio:>8}")
    p99 = next(r["value"] for r in results if r["bench"].endswith("_p99"))
    print(f"target p99 < {TARGET_P99_MS:.0f} ms: {'ok' if p99 < TARGET_P99_MS else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "env"], default="sqlite")
    parser.add_argument("--postgres", action="store_const", dest="db", const="postgres")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10_000, help="at most, per load")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most, per load")
    args = parser.parse_args()
    # SIGTERM (a timeout, a CI cancel) must still run the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.db == "postgres":
        if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            args.db = "env"  # already on a PostgreSQL server: never start another
        else:
            return _reexec_under_postgres(args)
    tmp = Path(tempfile.mkdtemp(prefix="trygg-api-bench-"))
    try:
        if args.db == "sqlite":
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'api.sqlite3'}"
        results = measure(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        for result in results:
            print(json.dumps(result), flush=True)
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
