"""Running a meeting: notes, attendance, decisions that create measures, closing and its emails."""

from __future__ import annotations

from datetime import date
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TransactionTestCase, override_settings
from django.utils import translation

from tests.meetings.helpers import LAST_MEETING, known_reports
from tests.operations.test_email import MailServerMixin
from tests.world import TryggTestCase, build_world
from trygg.measures.models import Measure
from trygg.meetings.actions import (
    MeetingRefused,
    add_item,
    close_meeting,
    decide,
    plan_next_meeting,
    record_attendance,
    redraft_agenda,
    write_notes,
)
from trygg.meetings.models import Meeting
from trygg.operations.models import OutgoingEmail


def plan(w) -> Meeting:
    known_reports(w)
    Meeting.objects.create(municipality=w.ostersund, held_on=LAST_MEETING,
                           since=date(2026, 11, 2), status="held")  # fmt: skip
    return plan_next_meeting(municipality=w.ostersund, by=w.anna, today=date(2026, 11, 20))


def lighting(w, **extra) -> dict:
    return {"title": "Belysning i gångtunneln", "kind": "situational",
            "responsible": w.orgs["kommun"], "deadline": date(2026, 12, 15), **extra}  # fmt: skip


class DecisionTests(TryggTestCase):
    def setUp(self):
        self.meeting = plan(self.w)
        self.item = self.meeting.items.get(position=2)  # damage rising in Centrum

    def test_a_decision_creates_decided_measures_of_the_meeting_for_the_items_problem(self):
        made = decide(meeting=self.meeting, item=self.item, by=self.w.anna, measures=[
            lighting(self.w),
            {"title": "Klotterpatrull", "kind": "police_presence",
             "responsible": self.w.orgs["polis"], "deadline": date(2026, 12, 31)},
        ])  # fmt: skip
        self.assertEqual(len(made), 2)
        for measure in Measure.objects.filter(pk__in=[m.pk for m in made]):
            self.assertEqual(measure.status, Measure.Status.DECIDED)
            self.assertEqual(measure.meeting, self.meeting)
            self.assertEqual(measure.area, self.w.centrum)
            self.assertEqual([c.code for c in measure.categories.all()], ["damage"])
            self.assertEqual(measure.history.get().field, "created")
        self.assertEqual(set(self.item.decided.all()), set(made))

    def test_a_refused_measure_leaves_none_of_the_decision(self):
        from trygg.measures.actions import MeasureRefused

        with pytest.raises(MeasureRefused):
            decide(meeting=self.meeting, item=self.item, by=self.w.anna, measures=[
                lighting(self.w), lighting(self.w, responsible=self.w.orgs["elsewhere"]),
            ])  # fmt: skip
        self.assertFalse(Measure.objects.exists())

    def test_notes_attendance_and_own_items_are_recorded(self):
        write_notes(item=self.item, by=self.w.anna, text="  Polisen ser samma mönster. ")
        record_attendance(meeting=self.meeting, by=self.w.anna,
                          organisations=[self.w.orgs["polis"], self.w.orgs["kommun"]])  # fmt: skip
        record_attendance(meeting=self.meeting, by=self.w.anna,
                          organisations=[self.w.orgs["kommun"], self.w.orgs["natt"]])  # fmt: skip
        item = add_item(meeting=self.meeting, by=self.w.anna, title="Övrigt: julmarknaden")
        self.item.refresh_from_db()
        self.assertEqual(self.item.notes, "Polisen ser samma mönster.")
        self.assertEqual(
            sorted(self.meeting.attendance.values_list("organisation__name", flat=True)),
            ["Nattvandring Östersund", "Östersunds kommun"],
        )
        self.assertEqual(item.position, self.meeting.items.count())

    def test_another_municipalitys_organisation_cannot_attend(self):
        with pytest.raises(MeetingRefused):
            record_attendance(meeting=self.meeting, by=self.w.anna,
                              organisations=[self.w.orgs["elsewhere"]])  # fmt: skip

    def test_a_closed_meetings_minutes_cannot_be_changed(self):
        close_meeting(meeting=self.meeting, by=self.w.anna)
        attempts = [
            lambda: write_notes(item=self.item, by=self.w.anna, text="efteråt"),
            lambda: add_item(meeting=self.meeting, by=self.w.anna, title="efteråt"),
            lambda: decide(meeting=self.meeting, item=self.item, by=self.w.anna,
                           measures=[lighting(self.w)]),
            lambda: record_attendance(meeting=self.meeting, by=self.w.anna, organisations=[]),
            lambda: close_meeting(meeting=self.meeting, by=self.w.anna),
        ]  # fmt: skip
        for attempt in attempts:
            with self.subTest(attempt=attempt), pytest.raises(MeetingRefused):
                attempt()
        self.item.refresh_from_db()
        self.assertEqual(self.item.notes, "")

    def test_redrafting_keeps_items_with_notes_or_decisions_and_own_items(self):
        write_notes(item=self.item, by=self.w.anna, text="Diskuterat")
        own = add_item(meeting=self.meeting, by=self.w.anna, title="Övrigt")
        before = list(self.meeting.items.values_list("pk", "kind", "position"))
        redraft_agenda(meeting=self.meeting, by=self.w.anna)
        after = list(self.meeting.items.values_list("pk", "kind", "position"))
        self.assertEqual([k for _, k, _ in after], [k for _, k, _ in before])
        self.assertIn(self.item.pk, [pk for pk, _, _ in after])
        self.assertEqual(after[-1][0], own.pk)


def received(message) -> tuple[str, str, str]:
    subject = str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    return message["To"], subject, body


class ClosingEmailTests(MailServerMixin, TransactionTestCase):
    serialized_rollback = True  # the categories come from a data migration

    def setUp(self):
        super().setUp()
        self.w = build_world()
        for name in ("anna", "greta", "petra"):
            user = getattr(self.w, name)
            user.email = f"{name}@example.se"
            user.save()
        self.meeting = plan(self.w)
        item = self.meeting.items.get(position=2)
        write_notes(item=item, by=self.w.anna, text="Internt: grannen i trappan misstänks")
        decide(meeting=self.meeting, item=item, by=self.w.anna, measures=[
            lighting(self.w, internal_notes="Hemligt: budget saknas"),
            {"title": "Klotterpatrull", "kind": "police_presence",
             "responsible": self.w.orgs["polis"], "deadline": date(2026, 12, 31)},
            {"title": "Kameraövervakning utreds", "kind": "situational",
             "responsible": self.w.orgs["polis"]},
        ])  # fmt: skip

    def test_closing_sends_one_email_per_owner_listing_what_it_now_owns(self):
        with translation.override("en"):  # the coordinator's screen; the emails stay Swedish
            close_meeting(meeting=self.meeting, by=self.w.anna)
        self.assertEqual(self.inbox.messages, [])  # queued: the worker sends
        call_command("worker", batch=True, verbosity=0)
        got = sorted(received(m) for m in self.inbox.messages)
        self.assertEqual([to for to, _, _ in got],
                         ["anna@example.se, greta@example.se", "petra@example.se"])  # fmt: skip
        self.assertEqual({s for _, s, _ in got}, {"Åtgärder beslutade på EST-mötet 2026-11-30"})
        kommun, polis = got[0][2], got[1][2]
        self.assertIn("Östersunds kommun ansvarar för", kommun)
        self.assertIn("- Belysning i gångtunneln, klart senast 2026-12-15", kommun)
        self.assertNotIn("Klotterpatrull", kommun)
        self.assertIn("- Klotterpatrull, klart senast 2026-12-31", polis)
        self.assertIn("- Kameraövervakning utreds, utan slutdatum", polis)
        for _, _, body in got:
            for secret in ("Hemligt", "budget", "Internt", "trappan", "skrek"):
                self.assertNotIn(secret, body)
        self.assertEqual(Meeting.objects.get(pk=self.meeting.pk).status, "held")

    @override_settings(SITE_URL="https://trygg.example.se/")
    def test_the_owners_email_links_to_each_measure_and_to_the_minutes(self):
        close_meeting(meeting=self.meeting, by=self.w.anna)
        call_command("worker", batch=True, verbosity=0)
        polis = next(body for to, _, body in map(received, self.inbox.messages) if "petra" in to)
        polis = polis.replace("\r\n", "\n")
        patrol = Measure.objects.get(title="Klotterpatrull")
        self.assertIn(
            f"- Klotterpatrull, klart senast 2026-12-31\n  https://trygg.example.se/atgarder/{patrol.pk}/",
            polis,
        )
        self.assertIn(
            f"Protokollet: https://trygg.example.se/moten/{self.meeting.pk}/protokoll/", polis
        )

    def test_a_closing_that_rolls_back_sends_nothing(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            close_meeting(meeting=self.meeting, by=self.w.anna)
            raise RuntimeError("the request failed after closing")
        call_command("worker", batch=True, verbosity=0)
        self.assertEqual(self.inbox.messages, [])
        self.assertFalse(OutgoingEmail.objects.exists())
        self.assertEqual(Meeting.objects.get(pk=self.meeting.pk).status, "planned")
