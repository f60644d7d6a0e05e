"""The API's fast-encoded answers are exactly what ninja's own validation would send.

List, detail and create of reports, and the situation, encode their data
without ninja validating it on every request (trygg/responses.py). Here each
answer is compared, as text, with the same report or picture read through the
ORM, validated by its response schema and encoded as ninja encodes: a wrong
type (an int where the schema says float, a str where it says UUID), a missing
or extra field, or a datetime in another format fails.
"""

import json
from datetime import timedelta

from django.utils import timezone, translation
from ninja.responses import NinjaJSONEncoder

from tests.reports.test_photos import jpeg_with_gps, upload
from tests.world import IN_THE_HOLE, TryggTestCase, report_data
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure
from trygg.measures.pages import slot_for
from trygg.partners.actions import create_api_token
from trygg.policeevents.pages import slot_for as police_slot_for
from trygg.reports.actions import (
    change_report_status,
    comment_on_report,
    flag_for_discussion,
    link_to_measure,
    submit_report,
)
from trygg.reports.models import Report
from trygg.reports.schemas import ReportDetailOut, ReportOut
from trygg.situation import cache
from trygg.situation.pages import picture_dict
from trygg.situation.periods import parse_period
from trygg.situation.picture import build_picture
from trygg.situation.schemas import SituationOut


def canonical(data) -> str:
    """JSON text that keeps 1 and 1.0 apart, with keys in one order."""
    return json.dumps(data, sort_keys=True)


def as_ninja_sends(schema, data) -> str:
    validated = schema.model_validate(data).model_dump()
    return canonical(json.loads(json.dumps(validated, cls=NinjaJSONEncoder)))


def through_the_orm(report_id, *, details: bool) -> dict:
    """A report's record built from model instances, independently of trygg.reports.records."""
    r = Report.objects.select_related(
        "category__group", "area", "organisation", "municipality", "reporter"
    ).get(pk=report_id)
    return {
        "id": r.pk,
        "category": r.category.code,
        "category_group": r.category.group.code if r.category.group_id else r.category.code,
        "category_name": r.category.name,
        "occurred_at": r.occurred_at,
        "occurred_to": r.occurred_to,
        "reported_at": r.reported_at,
        "lat": r.lat,
        "lon": r.lon,
        "x": r.x,
        "y": r.y,
        "h3_cell": r.h3_cell,
        "area": r.area_id,
        "area_name": r.area.name if r.area_id else None,
        "municipality": r.municipality.code,
        "organisation": r.organisation_id,
        "organisation_name": r.organisation.name,
        "place_type": r.place_type,
        "persons": r.persons,
        "creates_insecurity": r.creates_insecurity,
        "reported_to_police": r.reported_to_police,
        "damage_cost_sek": r.damage_cost_sek,
        "sharing": r.sharing,
        "source": r.source,
        "status": r.status,
        "flagged_for_discussion": r.flagged_for_discussion,
        "details_visible": details,
        "description": r.description if details else None,
        "address": r.address if details else None,
        "reporter": r.reporter.username if details and r.reporter_id else None,
        "client_id": r.client_id if details else None,
        "has_photo": bool(r.photo) if details else False,
    }


def handling_through_the_orm(report_id, *, coordinator: bool) -> dict:
    """History, comments and measures of a report read straight from the models."""
    r = Report.objects.get(pk=report_id)
    events = r.history.select_related("actor").order_by("at", "pk")
    comments = r.comments.select_related("author").order_by("at", "pk")
    if not coordinator:
        events, comments = events.exclude(what="note"), comments.filter(internal=False)
    return {
        "history": [
            {"at": e.at, "actor": e.actor.username, "what": e.what, "old": e.old, "new": e.new,
             "sentence": SENTENCES[e.what]}
            for e in events
        ],
        "comments": [
            {"id": c.pk, "at": c.at, "author": c.author.username, "text": c.text,
             "internal": c.internal}
            for c in comments
        ],
        "measures": [
            {"id": m.pk, "title": m.title, "status": m.status,
             "status_name": m.get_status_display()}
            for m in r.measures.order_by("pk")
        ],
    }  # fmt: skip


SENTENCES = {
    "status": "anna ändrade status från mottagen till granskad.",
    "flag": "anna flaggade rapporten för diskussion på nästa möte.",
    "comment": "anna skrev en kommentar.",
    "note": "anna skrev en intern anteckning.",
    "measure": "anna kopplade rapporten till åtgärden ”Belysning”.",
}


class ApiOutputTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        now = timezone.now()
        cls.full, _ = submit_report(
            organisation=w.orgs["bostad"],
            by=w.karl,
            data=report_data(
                description="Tag på porten, ring 070-123 45 67",
                address="Storgatan 1",
                occurred_at=now - timedelta(days=2, hours=3),
                occurred_to=now - timedelta(days=2),
                place_type="stairwell",
                persons=3,
                reported_to_police=True,
                damage_cost_sek=1200,
                creates_insecurity="yes",
                client_id="karl-1",
            ),
            photo=upload(jpeg_with_gps()),
        )
        lat, lon = IN_THE_HOLE  # in no area
        cls.bare, _ = submit_report(
            organisation=w.orgs["natt"],
            by=w.nils,
            data=report_data(category="noise", lat=lat, lon=lon, occurred_at=now),
        )
        cls.private, _ = submit_report(
            organisation=w.orgs["polis"],
            by=w.petra,
            data=report_data(category="theft_other", sharing="organisation"),
        )

    def get(self, user, path, **headers):
        token = create_api_token(user=user, name="t")[1]
        response = self.client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        return json.loads(response.content)

    def assert_items(self, items, expected_details):
        self.assertEqual([i["id"] for i in items], [str(k) for k in expected_details])
        for item, (report_id, details) in zip(items, expected_details.items(), strict=True):
            with self.subTest(report=str(report_id), details=details):
                self.assertEqual(
                    canonical(item),
                    as_ninja_sends(ReportOut, through_the_orm(report_id, details=details)),
                )

    def test_a_page_of_the_list_for_a_coordinator(self):
        page = self.get(self.w.anna, "/api/v1/reports?limit=2")
        # Newest first: the private one and the bare one share a moment close to now.
        shown = Report.objects.order_by("-occurred_at", "-pk").values_list("pk", flat=True)[:2]
        self.assert_items(page["items"], dict.fromkeys(shown, True))
        self.assertIsInstance(page["next_cursor"], str)
        rest = self.get(self.w.anna, f"/api/v1/reports?cursor={page['next_cursor']}")
        self.assert_items(rest["items"], {self.full.pk: True})
        self.assertIsNone(rest["next_cursor"])

    def test_the_list_for_a_partner_without_details(self):
        page = self.get(self.w.sara, "/api/v1/reports")
        self.assert_items(page["items"], {self.bare.pk: False, self.full.pk: False})

    def test_the_list_in_english(self):
        page = self.get(self.w.karl, "/api/v1/reports", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(page["items"][0]["category_name"], "Graffiti")
        with translation.override("en"):
            self.assert_items(page["items"], {self.full.pk: True})

    def assert_detail(self, item, report_id, *, details, coordinator=False):
        expected = through_the_orm(report_id, details=details)
        if details:
            expected |= handling_through_the_orm(report_id, coordinator=coordinator)
        else:
            expected |= {"history": [], "comments": [], "measures": []}
        self.assertEqual(canonical(item), as_ninja_sends(ReportDetailOut, expected))

    def test_one_report(self):
        item = self.get(self.w.karl, f"/api/v1/reports/{self.full.pk}")
        self.assertTrue(item["has_photo"])
        self.assertIn("[telefonnummer]", item["description"])
        self.assert_detail(item, self.full.pk, details=True)
        item = self.get(self.w.sara, f"/api/v1/reports/{self.bare.pk}")
        self.assert_detail(item, self.bare.pk, details=False)

    def test_one_handled_report_as_each_may_see_it(self):
        w, report = self.w, self.full
        measure = create_measure(
            by=w.anna, municipality=w.ostersund, title="Belysning",
            kind=Measure.Kind.SITUATIONAL, responsible=w.orgs["kommun"],
        )  # fmt: skip
        change_report_status(report=report, by=w.anna, to="reviewed")
        flag_for_discussion(report=report, by=w.anna, flagged=True)
        comment_on_report(report=report, by=w.anna, text="Vi tittar på det")
        comment_on_report(report=report, by=w.anna, text="Känd plats", internal=True)
        link_to_measure(report=report, by=w.anna, measure=measure)
        path = f"/api/v1/reports/{report.pk}"
        with translation.override("sv"):
            coordinator = self.get(w.anna, path, HTTP_ACCEPT_LANGUAGE="sv")
            self.assertEqual(len(coordinator["history"]), 5)
            self.assert_detail(coordinator, report.pk, details=True, coordinator=True)
            reporter = self.get(w.karl, path, HTTP_ACCEPT_LANGUAGE="sv")
            self.assertEqual([c["text"] for c in reporter["comments"]], ["Vi tittar på det"])
            self.assertEqual(reporter["measures"][0]["title"], "Belysning")
            self.assert_detail(reporter, report.pk, details=True)
            partner = self.get(w.sara, path, HTTP_ACCEPT_LANGUAGE="sv")
            self.assert_detail(partner, report.pk, details=False)

    def test_create_and_create_again(self):
        token = create_api_token(user=self.w.karl, name="t")[1]
        body = json.dumps(report_data(client_id="again", persons=2))
        for status in (201, 200):
            response = self.client.post(
                "/api/v1/reports", body, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )  # fmt: skip
            self.assertEqual(response.status_code, status, response.content)
            item = json.loads(response.content)
            self.assert_items([item], {Report.objects.get(client_id="again").pk: True})

    def test_the_situation(self):
        municipality = self.w.ostersund
        year, week, _ = timezone.localdate().isocalendar()
        key = f"{year}-W{week:02d}"
        got = self.get(self.w.anna, f"/api/v1/situation?municipality=2380&period={key}")
        cache.clear()
        slot = slot_for(municipality, self.w.anna, timezone.localdate())
        police_events = police_slot_for(municipality, parse_period(key))
        fresh = picture_dict(
            build_picture(municipality, parse_period(key)),
            assessment="",
            measures=slot,
            police_events=police_events,
        )
        self.assertEqual(canonical(got), as_ninja_sends(SituationOut, fresh))
        self.assertGreater(got["total"]["current"], 0)
