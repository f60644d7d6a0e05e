"""Nothing lost, nothing stored twice, when the production server is SIGKILLed mid-run.

    python bench/durability.py                  # SQLite (WAL, file) and PostgreSQL
    python bench/durability.py --db sqlite      # or --db postgres
    python bench/durability.py --json           # one JSON object per measurement per line

Sets up a fresh database (migrate, the intake bench's Östersund world, an API
token), starts gunicorn with the repository's gunicorn.conf.py on a free
loopback port, and has `--clients` threads POST /api/v1/reports for
`--seconds`, every report with its own client_id. Halfway through, the
gunicorn master and its workers get SIGKILL (the whole process group: no
graceful shutdown, requests cut off mid-flight) and the server is started
again on the same port. A request that got no answer (connection refused or
reset, timeout) is sent again with the same client_id until it is answered,
within RETRY_SECONDS and MAX_ATTEMPTS. Then the database is counted:

    sent          reports sent at least once
    acknowledged  reports answered 2xx (201 stored now, 200 stored before)
    stored        rows in the reports table
    duplicates    client_ids stored more than once   (must be 0)
    lost          acknowledged but not stored          (must be 0)

Set-up and counting run in child processes with the database's own
DATABASE_URL, so tests/test_durability.py can call `measure` from inside a
pytest process whose Django points at another database.
Only 127.0.0.1 is ever contacted. The server is always stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tools"))

import api_post  # noqa: E402  (after the path: bench/ is not a package)
from api_post import HOST, SERVER_ENV  # noqa: E402

POOL = 500  # distinct report bodies made in set-up; each send gets a fresh client_id
REQUEST_TIMEOUT = 10.0
RETRY_SECONDS = 30.0  # a report not answered this long after the run's end is given up
MAX_ATTEMPTS = 200  # per report
MAX_REPORTS_PER_CLIENT = 100_000
GROUP_EXIT_SECONDS = 10.0


# --- databases -------------------------------------------------------------------


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _with_name(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _admin_connection(url: str, dbname: str = "postgres") -> Any:
    """An autocommit psycopg connection to database `dbname` of `url`'s server."""
    import psycopg

    from trygg.env import database

    db = database(url, ROOT)
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": dbname}
    params = {k: v for k, v in params.items() if v}
    return psycopg.connect(**params, password=db["PASSWORD"] or None, autocommit=True)


def drop_postgres_database(url: str) -> None:
    from psycopg import sql

    name = urlparse(url).path.lstrip("/")
    with _admin_connection(url) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        conn.execute(drop)


@contextlib.contextmanager
def fresh_database(kind: str, tmp: Path, name: str = "durability") -> Iterator[str]:
    """DATABASE_URL of an empty database of `kind`, removed afterwards.

    SQLite: a file in `tmp`. PostgreSQL: a database of its own on the server
    DATABASE_URL names (created by the set-up child, dropped here), or on a
    throwaway cluster (tools/with_postgres.py) when DATABASE_URL names none.
    """
    if kind == "sqlite":
        yield f"sqlite:///{tmp / f'{name}.sqlite3'}"
        return
    with contextlib.ExitStack() as stack:
        server_url = os.environ.get("DATABASE_URL", "")
        if not _is_postgres(server_url):
            server_url = stack.enter_context(_throwaway_cluster())
        url = _with_name(server_url, f"trygg_{name}_{os.getpid()}")
        try:
            yield url
        finally:
            drop_postgres_database(url)


@contextlib.contextmanager
def _throwaway_cluster() -> Iterator[str]:
    import with_postgres

    workdir = Path(tempfile.mkdtemp(prefix="trygg-pg-"))
    port = with_postgres.free_port()
    try:
        with_postgres.start_cluster(workdir, port)
        yield f"postgres://postgres@/postgres?host={workdir}&port={port}"
    finally:
        with_postgres.stop_cluster(workdir)
        shutil.rmtree(workdir, ignore_errors=True)


# --- set-up and counting, in a child process on the measured database --------


def child(action: str, url: str, tmp: Path, *, pool: int = POOL) -> dict[str, Any]:
    """What `_prepare` or `_count` wrote, run in a child process on database `url`.

    prepare: {"token", "settings" (module to serve), "bodies" (`pool` JSON reports)};
    count: {"client_ids": {client_id: rows}}.
    """
    out = tmp / f"{action}.json"
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url}
    command = [sys.executable, __file__, "--child", action, "--out", str(out)]
    command += ["--pool", str(pool)]
    subprocess.run(command, env=env, check=True, cwd=ROOT, timeout=300)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _prepare(out: Path, pool: int) -> None:
    token, bodies, settings_module = api_post._setup(pool)
    data = {"token": token, "settings": settings_module, "bodies": [b.decode() for b in bodies]}
    out.write_text(json.dumps(data))


def _count(out: Path, pool: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    django.setup()
    from trygg.reports.models import Report

    stored = Counter(Report.objects.values_list("client_id", flat=True))
    out.write_text(json.dumps({"client_ids": stored}))


# --- the server ----------------------------------------------------------------


@dataclass
class Server:
    port: int
    settings: str
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = api_post.start_server(
            self.port, self.settings, self.log, env=self.env, own_group=True
        )
        warm_up(self.port)

    def kill(self) -> None:
        """SIGKILL to master and workers at once: the crash, not a shutdown."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        _wait_for_group_exit(self.process.pid)

    def stop(self) -> None:
        """Graceful stop, then SIGKILL for anything of the group still there."""
        if self.process is None:
            return
        api_post.stop_server(self.process)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        _wait_for_group_exit(self.process.pid)


def warm_up(port: int, connections: int = 16) -> None:
    """Until every worker has answered: each loads Django's URLs (seconds) on its first request.

    start_server returns after one answer, from one worker; the others would
    otherwise spend the first seconds of the run loading.
    """

    def get() -> None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            conn.request("GET", "/healthz", headers={"Connection": "close"})
            conn.getresponse().read()
            conn.close()

    threads = [threading.Thread(target=get, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def _wait_for_group_exit(pgid: int) -> None:
    """Until no live process is left in the group (zombies do not count), bounded."""
    deadline = time.monotonic() + GROUP_EXIT_SECONDS
    while time.monotonic() < deadline and _group_alive(pgid):
        time.sleep(0.05)


def _group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # Fields after the parenthesised command: state, ppid, pgrp, ...
            state, _, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == pgid and state != "Z":
                return True
    return False


# --- the clients ---------------------------------------------------------------


@dataclass
class Run:
    port: int
    headers: dict[str, str]
    pool: list[dict[str, Any]]
    deadline: float  # no new report is started after this (monotonic; moved by the restart)
    give_up: float  # no attempt is made after this
    start: threading.Barrier


@dataclass
class Tally:
    """One client's record: every report it sent and what became of it."""

    sent: list[str] = field(default_factory=list)
    acknowledged: dict[str, tuple[float, int]] = field(default_factory=dict)  # id: (when, status)
    attempts: int = 0
    retries: int = 0
    refused: int = 0  # answered, but not 2xx


class _Connection:
    """A keep-alive connection that is opened again after any failure."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes, headers: dict[str, str]) -> int:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            self.conn.request("POST", "/api/v1/reports", body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _deliver(conn: _Connection, run: Run, body: bytes, tally: Tally) -> int | None:
    """The status of the first answer to `body`, sent again after every non-answer."""
    pause = 0.05
    for attempt in range(MAX_ATTEMPTS):
        if time.monotonic() > run.give_up:
            return None
        tally.attempts += 1
        tally.retries += attempt > 0
        try:
            return conn.post(body, run.headers)
        except (OSError, http.client.HTTPException):
            time.sleep(pause)  # the server is down or restarting
            pause = min(pause * 2, 0.5)
    return None


def _client(number: int, run: Run, tally: Tally) -> None:
    conn = _Connection(run.port)
    run.start.wait()
    try:
        for i in range(MAX_REPORTS_PER_CLIENT):
            if time.monotonic() > run.deadline:
                break
            item = {**run.pool[(number * 7919 + i) % len(run.pool)]}
            item["client_id"] = f"durability-{number}-{i}"
            tally.sent.append(item["client_id"])
            status = _deliver(conn, run, json.dumps(item).encode(), tally)
            if status is not None and 200 <= status < 300:
                tally.acknowledged[item["client_id"]] = (time.monotonic(), status)
            elif status is not None:
                tally.refused += 1
    finally:
        conn.close()


# --- one measurement -----------------------------------------------------------


def measure(kind: str, tmp: Path, *, clients: int, seconds: float) -> dict[str, Any]:
    """Counts of one run on a fresh database of `kind` ("sqlite" or "postgres")."""
    with fresh_database(kind, tmp) as url:
        setup = child("prepare", url, tmp)
        env = {**SERVER_ENV, "DATABASE_URL": url}
        server = Server(api_post._free_port(), setup["settings"], tmp / "gunicorn.log", env)
        server.start()
        try:
            tallies, kill = _load_with_kill(server, setup, clients, seconds)
        finally:
            server.stop()
        stored = Counter(child("count", url, tmp)["client_ids"])
    return {"bench": f"durability_{kind}", **_summary(tallies, stored, kill)}


def _load_with_kill(
    server: Server, setup: dict[str, Any], clients: int, seconds: float
) -> tuple[list[Tally], tuple[float, float]]:
    """The clients' tallies, and when the server was killed and when it answered again."""
    headers = {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"}
    pool = [json.loads(body) for body in setup["bodies"]]
    began = time.monotonic()
    run = Run(
        server.port,
        headers,
        pool,
        deadline=began + seconds,
        give_up=began + seconds + RETRY_SECONDS,
        start=threading.Barrier(clients + 1),
    )
    tallies = [Tally() for _ in range(clients)]
    threads = [
        threading.Thread(target=_client, args=(c, run, tallies[c]), daemon=True)
        for c in range(clients)
    ]
    for thread in threads:
        thread.start()
    run.start.wait()
    time.sleep(seconds / 2)
    killed = time.monotonic()
    server.kill()
    server.start()
    restarted = time.monotonic()
    # The downtime does not count against the run: new reports go on after it.
    run.deadline += restarted - killed
    run.give_up += restarted - killed
    for thread in threads:
        thread.join(timeout=max(0.0, run.give_up - time.monotonic()) + REQUEST_TIMEOUT)
    return tallies, (killed, restarted)


def _summary(
    tallies: list[Tally], stored: Counter[str], kill: tuple[float, float]
) -> dict[str, Any]:
    acknowledged = {cid: ack for t in tallies for cid, ack in t.acknowledged.items()}
    killed, restarted = kill
    return {
        "sent": sum(len(t.sent) for t in tallies),
        "acknowledged": len(acknowledged),
        "stored": sum(stored.values()),
        "duplicates": sum(1 for n in stored.values() if n > 1),
        "lost": sum(1 for cid in acknowledged if cid not in stored),
        "unacknowledged": sum(len(t.sent) - len(t.acknowledged) for t in tallies),
        # Stored before the kill but its answer never arrived: the retry got 200.
        "replayed": sum(1 for _, status in acknowledged.values() if status == 200),
        "attempts": sum(t.attempts for t in tallies),
        "retries": sum(t.retries for t in tallies),
        "refused": sum(t.refused for t in tallies),
        "acknowledged_before_kill": sum(1 for when, _ in acknowledged.values() if when < killed),
        # After the kill: answered by the restarted server (most of them retries).
        "acknowledged_after_kill": sum(1 for when, _ in acknowledged.values() if when > killed),
        "restart_seconds": round(restarted - killed, 2),
    }


# --- the driver ------------------------------------------------------------------


def print_table(result: dict[str, Any]) -> None:
    print(result["bench"])
    for key, value in result.items():
        if key != "bench":
            print(f"  {key:<28}{value:>10}")
    verdict = "ok" if result["duplicates"] == 0 and result["lost"] == 0 else "FAILED"
    print(f"  duplicates == 0 and lost == 0: {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--child", choices=["prepare", "count"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=int, default=POOL, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        (_prepare if args.child == "prepare" else _count)(args.out, args.pool)
        return 0
    # SIGTERM (a timeout, a CI cancel) must still run the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    failed = False
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        tmp = Path(tempfile.mkdtemp(prefix="trygg-durability-"))
        try:
            result = measure(kind, tmp, clients=args.clients, seconds=args.seconds)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        failed |= result["duplicates"] != 0 or result["lost"] != 0
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print_table(result)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
