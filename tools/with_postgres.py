"""Run a command against PostgreSQL: `python tools/with_postgres.py CMD ARGS…`.

If DATABASE_URL already names a PostgreSQL server, the command runs against
it. Otherwise a throwaway PostgreSQL 15 cluster is created in a temporary
directory owned by the `postgres` user (the server refuses to run as root),
started on a free port with its socket in that directory, handed to the
command as DATABASE_URL, and stopped and removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_postgres(*args: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return list(args)


def start_cluster(workdir: Path, port: int) -> None:
    data = workdir / "data"
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    subprocess.run(
        as_postgres(
            str(BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {workdir} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    subprocess.run(
        as_postgres(
            str(BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(workdir / "log"),
            "-w",
            "start",
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def stop_cluster(workdir: Path) -> None:
    subprocess.run(
        as_postgres(str(BIN / "pg_ctl"), "-D", str(workdir / "data"), "-m", "immediate", "stop"),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return subprocess.call(argv)
    workdir = Path(tempfile.mkdtemp(prefix="trygg-pg-"))
    port = free_port()
    try:
        start_cluster(workdir, port)
        url = f"postgres://postgres@/trygg?host={workdir}&port={port}"
        print(f"throwaway PostgreSQL on port {port} ({workdir})", flush=True)
        return subprocess.call(argv, env={**os.environ, "DATABASE_URL": url})
    finally:
        stop_cluster(workdir)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
