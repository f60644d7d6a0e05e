"""Polling the feed over real HTTP: a local server in a thread plays polisen.se.

The server answers from a queue the test fills (the real sample, a 429 with
Retry-After, a changed notice) and records each request it got, so a poll
that must not happen is seen not to reach it. Time is passed in, never slept.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from tests.policeevents.common import SAMPLE, notice, sample_items
from tests.world import TryggTestCase
from trygg.policeevents.actions import poll_feed
from trygg.policeevents.models import PoliceEvent, PollState

T0 = datetime(2026, 8, 22, 18, 0, tzinfo=UTC)
AGENT = "Trygg (+https://trygg.ostersund.example) test"


class FakePolisen(BaseHTTPRequestHandler):
    """Answers each GET with the next queued (status, headers, body)."""

    def do_GET(self) -> None:
        self.server.requests.append(dict(self.headers))  # type: ignore[attr-defined]
        status, headers, body = self.server.answers.pop(0)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class PollTests(TryggTestCase):
    def setUp(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), FakePolisen)
        self.server.requests = []
        self.server.answers = []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/events"

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.server.answers.append(
            (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        )

    def poll(self, now: datetime):
        return poll_feed(url=self.url, user_agent=AGENT, now=now, timeout=5)

    def test_it_imports_the_feed_and_names_the_installation(self):
        self.answer(200, SAMPLE.read_bytes(), Content_Type="application/json")
        outcome = self.poll(T0)
        self.assertEqual((outcome.outcome, outcome.imported.created), ("imported", 250))
        self.assertEqual(PoliceEvent.objects.count(), len(sample_items()))
        self.assertEqual(self.server.requests[0]["User-Agent"], AGENT)
        self.assertEqual(PollState.objects.get().last_attempt_at, T0)

    def test_it_asks_at_most_once_in_five_minutes(self):
        self.answer(200, SAMPLE.read_bytes())
        self.poll(T0)
        early = self.poll(T0 + timedelta(minutes=4, seconds=59))
        self.assertEqual(
            (early.outcome, early.next_poll_at), ("waiting", T0 + timedelta(minutes=5))
        )
        self.assertEqual(len(self.server.requests), 1)
        self.answer(200, json.dumps([notice(summary="Ändrad.")]).encode())
        self.assertEqual(self.poll(T0 + timedelta(minutes=5)).outcome, "imported")
        self.assertEqual(len(self.server.requests), 2)

    def test_it_waits_as_long_as_a_429_s_retry_after_says(self):
        self.answer(429, b"Too many requests", Retry_After="1800")
        throttled = self.poll(T0)
        self.assertEqual((throttled.outcome, throttled.next_poll_at),
                         ("throttled", T0 + timedelta(minutes=30)))  # fmt: skip
        self.assertEqual(self.poll(T0 + timedelta(minutes=29)).outcome, "waiting")
        self.assertEqual(len(self.server.requests), 1)
        self.answer(200, SAMPLE.read_bytes())
        self.assertEqual(self.poll(T0 + timedelta(minutes=30)).outcome, "imported")
        self.assertEqual(len(self.server.requests), 2)

    def test_a_retry_after_date_is_honoured_and_a_short_one_still_waits_five_minutes(self):
        self.answer(429, Retry_After="Sat, 22 Aug 2026 19:00:00 GMT")
        self.assertEqual(self.poll(T0).next_poll_at, datetime(2026, 8, 22, 19, 0, tzinfo=UTC))
        self.answer(429, Retry_After="10")
        later = T0 + timedelta(hours=1)
        self.assertEqual(self.poll(later).next_poll_at, later + timedelta(minutes=5))

    def test_a_changed_notice_in_a_later_poll_updates_the_stored_one(self):
        self.answer(200, SAMPLE.read_bytes())
        self.poll(T0)
        first = sample_items()[0]
        self.answer(200, json.dumps([notice(summary="Gärningsmannen gripen.")]).encode())
        outcome = self.poll(T0 + timedelta(minutes=10))
        self.assertEqual((outcome.imported.created, outcome.imported.updated), (0, 1))
        event = PoliceEvent.objects.get(feed_id=first["id"])
        self.assertEqual(event.summary, "Gärningsmannen gripen.")
        self.assertEqual(PoliceEvent.objects.count(), 250)

    def test_a_server_error_is_recorded_and_counts_as_an_attempt(self):
        self.answer(503, b"down")
        self.assertEqual(self.poll(T0).outcome, "failed")
        self.assertIn("503", PollState.objects.get().last_status)
        self.assertEqual(self.poll(T0 + timedelta(minutes=1)).outcome, "waiting")

    def test_the_command_polls_the_configured_url(self):
        self.answer(200, SAMPLE.read_bytes())
        out = StringIO()
        with override_settings(POLICE_FEED_URL=self.url, POLICE_FEED_USER_AGENT=AGENT):
            call_command("police_events", "poll", stdout=out)
            call_command("police_events", "poll", stdout=out)
        self.assertIn("imported: 250 new", out.getvalue())
        self.assertIn("waiting: next poll at", out.getvalue())
        self.assertEqual(len(self.server.requests), 1)


def test_the_default_user_agent_names_the_installation(monkeypatch):
    from trygg import env

    monkeypatch.delenv("POLICE_FEED_USER_AGENT", raising=False)
    hosts = ["*", ".trygg.ostersund.se"]
    assert env.user_agent("POLICE_FEED_USER_AGENT", hosts) == "Trygg (+https://trygg.ostersund.se)"
    assert env.user_agent("POLICE_FEED_USER_AGENT", []) == "Trygg (unnamed installation)"
    monkeypatch.setenv("POLICE_FEED_USER_AGENT", "Trygg Ostersund (trygghet@ostersund.se)")
    assert (
        env.user_agent("POLICE_FEED_USER_AGENT", hosts) == "Trygg Ostersund (trygghet@ostersund.se)"
    )
