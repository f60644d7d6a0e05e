"""The production server loses no acknowledged report and stores none twice when SIGKILLed.

A short run of bench/durability.py: gunicorn on a database of its own (a
SQLite file in tmp_path, or a PostgreSQL database created next to the
suite's and dropped afterwards), five clients for four seconds, one SIGKILL
of master and workers halfway, a restart, retries with the same client_id.
"""

from __future__ import annotations

import os

import pytest

from bench import durability

# gunicorn killed and restarted: tens of seconds; make test runs it, make check does not.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("durability")]  # one kill run per suite


def _kind_of_this_run() -> str:
    # The suite's DATABASE_URL decides which kind of database the server gets.
    url = os.environ.get("DATABASE_URL", "")
    return "postgres" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


@pytest.fixture(scope="session")  # once per run, however xdist interleaves other files
def killed_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("durability")
    return durability.measure(_kind_of_this_run(), tmp, clients=5, seconds=4.0)


def test_it_acknowledges_reports_before_and_after_the_kill(killed_run):
    assert killed_run["acknowledged_before_kill"] > 0
    assert killed_run["acknowledged_after_kill"] > 0


def test_it_loses_no_acknowledged_report(killed_run):
    assert killed_run["lost"] == 0
    assert killed_run["stored"] >= killed_run["acknowledged"]


def test_it_stores_no_client_id_twice(killed_run):
    assert killed_run["duplicates"] == 0


def test_it_answers_every_report_in_the_end(killed_run):
    assert killed_run["unacknowledged"] == 0
    assert killed_run["acknowledged"] == killed_run["sent"]
