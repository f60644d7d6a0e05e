"""The meetings API: the same access rules as the pages, as documented in its OpenAPI schema."""

from __future__ import annotations

from datetime import date

from tests.meetings.helpers import LAST_MEETING, MEETING_DAY, known_reports
from tests.test_api_schema import CHECKS, bearer, keep_connection, schema  # noqa: F401
from tests.world import TryggTestCase, build_world
from trygg.meetings.actions import close_meeting, decide, write_notes
from trygg.meetings.agenda import draft_agenda
from trygg.meetings.models import AgendaItem, Attendance, Meeting
from trygg.partners.actions import create_api_token
from trygg.reports.actions import flag_for_discussion


def held_meeting(w) -> Meeting:
    """The meeting of 30 November, with notes, attendance and a decision on a flagged report."""
    reports = known_reports(w)
    noisy = next(r for r in reports if r.description)
    flag_for_discussion(report=noisy, by=w.anna, flagged=True)
    meeting = Meeting.objects.create(
        municipality=w.ostersund, held_on=MEETING_DAY, since=LAST_MEETING
    )
    AgendaItem.objects.bulk_create(draft_agenda(meeting))
    item = meeting.items.get(kind="flagged")
    write_notes(item=item, by=w.anna, text="Bostaden pratar med de boende.")
    decide(meeting=meeting, item=item, by=w.anna, measures=[
        {"title": "Informationsblad i trapphusen", "kind": "information",
         "responsible": w.orgs["bostad"], "deadline": date(2026, 12, 10),
         "internal_notes": "Hemlig budgetfråga"},
    ])  # fmt: skip
    Attendance.objects.create(meeting=meeting, organisation=w.orgs["polis"])
    close_meeting(meeting=meeting, by=w.anna)
    return meeting


class MeetingsApiTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.held = held_meeting(cls.w)
        cls.planned = Meeting.objects.create(
            municipality=cls.w.ostersund, held_on=date(2026, 12, 14), since=MEETING_DAY
        )

    def get(self, path, user):
        token = create_api_token(user=user, name="t")[1]
        return self.client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    def test_coordinators_list_every_meeting_and_partners_the_held_ones(self):
        ids = [m["id"] for m in self.get("/meetings", self.w.anna).json()]
        self.assertEqual(ids, [self.planned.pk, self.held.pk])
        for user in (self.w.sara, self.w.greta, self.w.adam):
            with self.subTest(user=user.username):
                self.assertEqual([m["id"] for m in self.get("/meetings", user).json()],
                                 [self.held.pk])  # fmt: skip
        for user in (self.w.karl, self.w.erik, self.w.otto):
            self.assertEqual(self.get("/meetings", user).json(), [])

    def test_the_list_filters_by_status_and_refuses_an_unknown_one(self):
        held = self.get("/meetings?status=held&municipality=2380", self.w.anna).json()
        self.assertEqual([m["id"] for m in held], [self.held.pk])
        self.assertEqual(self.get("/meetings?status=open", self.w.anna).status_code, 422)

    def test_the_detail_has_items_attendance_and_decided_measures_without_secrets(self):
        response = self.get(f"/meetings/{self.held.pk}", self.w.sara)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "held")
        self.assertEqual(body["attendance"], [{"id": self.w.orgs["polis"].pk,
                                               "name": "Polisen LPO Östersund"}])  # fmt: skip
        flagged = next(i for i in body["items"] if i["kind"] == "flagged")
        self.assertEqual(flagged["notes"], "Bostaden pratar med de boende.")
        self.assertEqual(
            [m["title"] for m in flagged["decided"]], ["Informationsblad i trapphusen"]
        )
        self.assertEqual(body["measures"][0]["deadline"], "2026-12-10")
        self.assertEqual(body["measures"][0]["status"], "decided")
        for secret in ("trappan", "skrek", "Hemlig"):
            self.assertNotIn(secret, response.content.decode())

    def test_a_planned_meeting_is_hidden_from_all_but_coordinators(self):
        self.assertEqual(self.get(f"/meetings/{self.planned.pk}", self.w.anna).status_code, 200)
        for user in (self.w.sara, self.w.greta, self.w.karl, self.w.erik):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(f"/meetings/{self.planned.pk}", user).status_code, 404)


def test_the_meeting_detail_matches_its_documented_schema(db, keep_connection):  # noqa: F811
    w = build_world()
    meeting = held_meeting(w)
    token = create_api_token(user=w.sara, name="schema")[1]
    for path, args in (
        ("/meetings", {}),
        ("/meetings/{meeting_id}", {"path_parameters": {"meeting_id": meeting.pk}}),
    ):
        case = schema[f"/api/v1{path}"]["GET"].Case(**args)
        response = case.call_and_validate(headers=bearer(token), checks=CHECKS)
        assert response.status_code == 200, response.text
        assert response.json()
