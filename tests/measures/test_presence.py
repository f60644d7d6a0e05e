"""Planera närvaro on a known data set: the slots, places and areas ranked, check-ins counted."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.situation.test_picture import cluster
from tests.world import INSIDE_LUGNVIK, TryggTestCase, report_data, sign_in
from trygg.measures.actions import update_measure
from trygg.measures.models import Measure
from trygg.measures.presence import plan
from trygg.reports.actions import submit_reports

ZONE = ZoneInfo("Europe/Stockholm")


def local(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time(), ZONE).replace(hour=hour, minute=minute)


def lugnvik(category: str, when: datetime) -> dict:
    lat, lon = INSIDE_LUGNVIK
    return report_data(category=category, occurred_at=when, lat=lat, lon=lon)


class PresencePlanTests(TryggTestCase):
    """Two weeks ago: Saturday 02 in Centrum (5), Friday 23 in Lugnvik (3 graffiti),
    Wednesday 22 in Lugnvik (2 noise), one graffiti sometime 01–03 on Sunday in Centrum;
    one graffiti ten weeks ago (outside the 8 weeks). Night walkers checked in twice on
    Saturday 02 and once on Tuesday 10; a police "Lugnt" on Saturday 02 is no night walk."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        monday = cls.today - timedelta(days=cls.today.weekday() + 14)
        day = {
            name: monday + timedelta(days=i)
            for i, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
        }
        items = [report_data(occurred_at=local(day["sat"], 2)) for _ in range(5)]
        items += [lugnvik("graffiti", local(day["fri"], 23)) for _ in range(3)]
        items += [lugnvik("noise", local(day["wed"], 22)) for _ in range(2)]
        items += [report_data(occurred_at=local(day["sun"], 1), occurred_to=local(day["sun"], 3))]
        items += [report_data(occurred_at=local(monday - timedelta(weeks=10), 12))]
        items += [report_data(category="all_calm", occurred_at=local(day["sat"], 2, 15))]
        submit_reports(
            organisation=cls.w.orgs["polis"], by=cls.w.petra, items=items, max_age_days=800
        )
        calm = [report_data(category="all_calm", occurred_at=local(day["sat"], 2, 30))] * 2
        calm += [report_data(category="all_calm", occurred_at=local(day["tue"], 10))]
        submit_reports(organisation=cls.w.orgs["natt"], by=cls.w.nils, items=calm, max_age_days=800)

    def test_it_ranks_exactly_the_expected_slots_with_their_check_ins(self):
        found = plan(self.w.ostersund, today=self.today)
        got = [(s.weekday, s.hour, s.weight, s.checkins) for s in found.slots]
        self.assertEqual(
            got,
            [(5, 2, 5.0, 2), (4, 23, 3.0, 0), (2, 22, 2.0, 0), (6, 1, 0.5, 0), (6, 2, 0.5, 0)],
        )
        self.assertEqual((found.n_events, found.checkins), (11, 3))

    def test_it_ranks_the_places_and_areas(self):
        found = plan(self.w.ostersund, today=self.today)
        self.assertEqual([p.count for p in found.places], [6, 5])
        self.assertEqual(found.areas, [("Centrum", 6), ("Lugnvik", 5)])
        cell = found.places[0]
        self.assertEqual(found.cells()[0], {"x": cell.x, "y": cell.y, "size": cell.size})

    def test_categories_narrow_the_plan(self):
        found = plan(self.w.ostersund, categories=("noise",), today=self.today)
        self.assertEqual([(s.weekday, s.hour, s.weight) for s in found.slots], [(2, 22, 2.0)])
        self.assertEqual(found.areas, [("Lugnvik", 2)])

    def test_the_page_lists_the_slots_and_the_map_gets_the_cells(self):
        sign_in(self.client, self.w.nils)
        response = self.client.get("/atgarder/narvaro/2380/?weeks=8")
        self.assertContains(response, 'data-slot="5-2"')
        self.assertContains(response, '<td class="covered">2</td>', html=False)
        geojson = self.client.get("/atgarder/narvaro/2380/karta.geojson?weeks=8").json()
        self.assertEqual([f["properties"]["count"] for f in geojson["features"]], [6, 5])
        self.assertNotContains(response, "/skapa")  # a night walker does not create measures

    def test_a_coordinator_creates_a_presence_measure_carrying_slots_and_cells(self):
        sign_in(self.client, self.w.anna)
        response = self.client.post(
            "/atgarder/narvaro/2380/skapa",
            {"kind": "adult_presence", "responsible": self.w.orgs["natt"].pk, "weeks": "8"},
        )
        self.assertEqual(response.status_code, 302)
        measure = Measure.objects.get()
        self.assertEqual(
            (measure.kind, measure.responsible), ("adult_presence", self.w.orgs["natt"])
        )
        self.assertEqual(len(measure.cells), 2)
        self.assertIn("02–03", measure.description)
        self.assertEqual(measure.history.get().field, "created")

    def test_only_coordinators_create_and_other_municipalities_see_nothing(self):
        sign_in(self.client, self.w.sara)
        post = {"kind": "adult_presence", "responsible": self.w.orgs["natt"].pk}
        self.assertEqual(self.client.post("/atgarder/narvaro/2380/skapa", post).status_code, 403)
        self.assertFalse(Measure.objects.exists())
        sign_in(self.client, self.w.erik)
        self.assertEqual(self.client.get("/atgarder/narvaro/2380/").status_code, 404)

    def test_the_presence_measure_page_counts_check_ins_per_planned_slot(self):
        sign_in(self.client, self.w.anna)
        self.client.post(
            "/atgarder/narvaro/2380/skapa",
            {"kind": "adult_presence", "responsible": self.w.orgs["natt"].pk, "weeks": "8"},
        )
        measure = Measure.objects.get()
        first_two = [{"weekday": 5, "hour": 2}, {"weekday": 4, "hour": 23}]
        self.assertEqual(measure.planned_slots[:2], first_two)
        # It starts tomorrow: nothing to count yet.
        self.assertEqual(self.client.get(f"/atgarder/{measure.pk}/").context["coverage"], [])
        # Moved back to three weeks ago: the two Saturday 02 check-ins fall in its first slot.
        update_measure(measure=measure, by=self.w.anna, starts_on=self.today - timedelta(weeks=3))
        response = self.client.get(f"/atgarder/{measure.pk}/")
        self.assertEqual(
            [(row["key"], row["checkins"]) for row in response.context["coverage"]],
            [("5-2", 2), ("4-23", 0), ("2-22", 0), ("6-1", 0), ("6-2", 0)],
        )
        self.assertContains(response, "lördag 02–03")
        self.assertContains(response, '<td class="covered">2</td>', html=False)


class PresenceHotSpotTests(TryggTestCase):
    """A 3 × 3 block of cells with four reports each (tests/situation's `cluster`), and one
    report elsewhere: the block's cells lead the ranking and Gi* calls its centre hot."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        when = local(cls.today - timedelta(days=3), 21)
        items = [*cluster(cls.w.ostersund, "graffiti", when), lugnvik("graffiti", when)]
        submit_reports(organisation=cls.w.orgs["polis"], by=cls.w.petra, items=items)

    def test_the_cluster_leads_and_its_centre_is_a_hot_spot(self):
        places = plan(self.w.ostersund, today=self.today).places
        self.assertEqual([p.count for p in places], [4] * 9 + [1])
        grid = {(p.x, p.y): p for p in places[:9]}
        xs, ys = sorted({x for x, _ in grid}), sorted({y for _, y in grid})
        self.assertTrue(grid[(xs[1], ys[1])].hot)
        self.assertFalse(places[-1].hot)
