"""`trygg demo` on the test database, with a small data set (2,000 incidents)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from trygg.demo import effects, places
from trygg.demo.people import USERS
from trygg.demo.synth import generate, scene
from trygg.geo.lookup import geometry_to_sweref
from trygg.geo.models import Area
from trygg.measures.models import Evaluation, Measure, MeasureEvent
from trygg.meetings.models import Meeting
from trygg.partners.models import Membership, Municipality, Organisation
from trygg.policeevents.models import PoliceEvent
from trygg.promises import public
from trygg.promises.models import Promise
from trygg.reports.models import Report

SMALL = 2000
TZ = ZoneInfo("Europe/Stockholm")
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", reports=SMALL, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Municipality, Organisation, User, Membership, Area, Report, Meeting, Measure,
              MeasureEvent, Evaluation, PoliceEvent)  # fmt: skip
    return {m.__name__: m.objects.count() for m in models}


def is_weekend_night(local: datetime) -> bool:
    evening = (local - timedelta(hours=6)).weekday()  # the night belongs to its evening
    return evening in (4, 5) and (local.hour >= 21 or local.hour <= 3)


def share(rows: list[tuple[str, datetime]], group: str, keep) -> float:
    picked = [code for code, when in rows if keep(when.astimezone(TZ))]
    return sum(code == group for code in picked) / len(picked)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = run_demo()
        cls.first = counts()
        cls.stamps = sorted(Area.objects.values_list("updated_at", flat=True))
        cls.second_output = run_demo()
        cls.muni = Municipality.objects.get(code="2380")
        cls.incidents = list(
            Report.objects.filter(category__is_incident=True).values_list(
                "category__group__code", "category__code", "occurred_at", "area_id"
            )
        )

    def test_it_builds_a_demo_partnership(self):
        self.assertTrue(self.muni.is_demo)
        self.assertEqual(self.muni.meeting_cadence, Municipality.Cadence.BIWEEKLY)
        self.assertEqual(Area.objects.filter(municipality=self.muni).count(), 20)
        self.assertEqual(Organisation.objects.filter(municipality=self.muni).count(), 6)
        self.assertGreater(self.first["Report"], SMALL)

    def test_a_second_run_adds_and_changes_nothing(self):
        self.assertEqual(counts(), self.first)
        self.assertEqual(sorted(Area.objects.values_list("updated_at", flat=True)), self.stamps)
        self.assertIn("0 reports created", self.second_output)
        self.assertIn(" 0 measures created", self.second_output)

    def test_it_is_deterministic(self):
        geo = places.build_geography()
        now = Report.objects.order_by("reported_at").first().reported_at
        sc = scene(geo.places, geo.outline_sweref, now=now, tz=TZ)
        once, twice = generate(sc, total=SMALL, seed=2380), generate(sc, total=SMALL, seed=2380)
        self.assertEqual(once, twice)
        generated = Counter(item["category"] for items in once.values() for item in items)
        seeded = Report.objects.filter(client_id__startswith=effects.CLIENT_PREFIX)
        stored = Counter(
            Report.objects.exclude(pk__in=seeded.values("pk")).values_list(
                "category__code", flat=True
            )
        )
        self.assertEqual(stored, generated)

    def test_it_holds_a_year_of_meetings_every_other_week_and_plans_the_next(self):
        meetings = list(Meeting.objects.filter(municipality=self.muni).order_by("held_on"))
        self.assertEqual(len(meetings), 26)
        self.assertEqual([m.status for m in meetings[:-1]], [Meeting.Status.HELD] * 25)
        self.assertEqual(meetings[-1].status, Meeting.Status.PLANNED)
        today = timezone.localdate()
        self.assertLess(meetings[-2].held_on, today)
        self.assertGreater(meetings[-1].held_on, today)
        gaps = {(b.held_on - a.held_on).days for a, b in pairwise(meetings)}
        self.assertEqual(gaps, {14})
        self.assertTrue(all(m.attendance.exists() for m in meetings[:-1]))

    def test_its_measures_cover_every_status_and_light_and_some_are_overdue(self):
        measures = Measure.objects.filter(municipality=self.muni)
        self.assertGreater(measures.count(), 120)
        self.assertEqual(set(measures.values_list("status", flat=True)), set(Measure.Status.values))
        self.assertTrue(set(Measure.Light.values) <= set(measures.values_list("light", flat=True)))
        cancelled = measures.filter(status=Measure.Status.CANCELLED)
        self.assertFalse(cancelled.filter(cancel_reason="").exists())
        overdue = measures.filter(status__in=Measure.OPEN, deadline__lt=timezone.localdate())
        self.assertTrue(overdue.exists())
        self.assertTrue(Evaluation.objects.filter(measure__municipality=self.muni).exists())

    def test_three_saved_evaluations_show_an_effect_too_few_and_displacement(self):
        def results(title):
            return Evaluation.objects.get(
                measure__title=title, measure__municipality=self.muni
            ).results

        effect, too_few, moved = (results(s.title) for s in effects.SCENARIOS)
        self.assertEqual(effect["did"]["conclusion"], "reduction")
        self.assertEqual(effect["counts"]["treated"], {"before": 32, "after": 8,
                         "before_last_year": 0, "after_last_year": 0})  # fmt: skip
        self.assertEqual(too_few["did"]["conclusion"], "too_few_events")
        self.assertEqual(too_few["wdq"]["interpretation"], "too_few_events")
        self.assertEqual(moved["wdq"]["interpretation"], "displacement")
        self.assertAlmostEqual(moved["wdq"]["wdq"], (26 / 20 - 1) / (10 / 30 - 1))

    def test_some_reports_are_handled_and_linked_to_measures(self):
        reports = Report.objects.filter(municipality=self.muni)
        self.assertTrue(reports.filter(measures__isnull=False).exists())
        self.assertTrue(reports.filter(status=Report.Status.REVIEWED).exists())
        self.assertTrue(reports.filter(status=Report.Status.CLOSED).exists())
        self.assertTrue(reports.filter(flagged_for_discussion=True).exists())
        self.assertTrue(reports.filter(comments__isnull=False).exists())

    def test_every_area_is_a_valid_polygon_inside_the_outline(self):
        outline = geometry_to_sweref(self.muni.boundary).buffer(1.0)  # 1 m for rounding
        for area in Area.objects.filter(municipality=self.muni):
            geometry = geometry_to_sweref(area.geometry)
            self.assertIn(area.geometry["type"], ("Polygon", "MultiPolygon"))
            self.assertFalse(geometry.is_empty, area.name)
            self.assertTrue(geometry.is_valid, area.name)
            self.assertTrue(outline.contains(geometry), area.name)

    def test_the_streets_win_inside_their_district(self):
        streets = Area.objects.filter(municipality=self.muni, kind=Area.Kind.STREET)
        self.assertEqual({a.name for a in streets}, {"Kyrkgatan", "Arågränd"})
        self.assertTrue(all(a.priority > 0 for a in streets))

    def test_kyrkgatan_aragrand_and_centrum_are_hotspots(self):
        per_area = Counter(area_id for *_, area_id in self.incidents)
        density = {
            a.name: per_area[a.pk] / (geometry_to_sweref(a.geometry).area / 1e6)
            for a in Area.objects.filter(municipality=self.muni)
        }
        median = sorted(density.values())[len(density) // 2]
        for name in ("Kyrkgatan", "Arågränd", "Centrum"):
            self.assertGreater(density[name], 3 * median, name)

    def test_disorder_peaks_on_weekend_nights(self):
        rows = [(group, when) for group, _, when, _ in self.incidents]
        weekend = share(rows, "disorder", is_weekend_night)
        weekdays = share(rows, "disorder", lambda t: t.weekday() < 4 and 8 <= t.hour < 18)
        self.assertGreater(weekend, 2 * weekdays)

    def test_unsafe_places_peak_in_the_dark_season(self):
        rows = [(group, when) for group, _, when, _ in self.incidents]
        dark = share(rows, "unsafe_place", lambda t: t.month in (10, 11, 12, 1, 2, 3))
        light = share(rows, "unsafe_place", lambda t: t.month in (4, 5, 6, 7, 8, 9))
        self.assertGreater(dark, 1.5 * light)

    def test_some_descriptions_show_a_masked_phone_number(self):
        masked = Report.objects.filter(description__contains="[telefonnummer]")
        self.assertTrue(masked.exists())
        self.assertFalse(Report.objects.filter(description__contains="070-").exists())

    def test_it_loads_ostersunds_real_police_notices_as_context(self):
        here = PoliceEvent.objects.filter(level="municipality", municipality_code="2380")
        self.assertEqual(here.count(), 1141)
        self.assertEqual(self.first["PoliceEvent"], 1141)
        self.assertIn("1141 police notices (context)", self.output)

    def test_every_demo_login_works(self):
        for username in USERS:
            response = self.client.post("/logga-in/", {"username": username, "password": "demo"})
            self.assertEqual(response.status_code, 302, username)
            self.assertEqual(
                str(self.client.session["_auth_user_id"]),
                str(User.objects.get(username=username).pk),
            )
            self.client.logout()
        self.assertIn("samordnare", self.output)
        self.assertIn("http://127.0.0.1:", self.output)

    def test_its_citizen_promise_is_public_with_counted_indicators_and_a_follow_up(self):
        promise = Promise.objects.get(municipality=self.muni, status=Promise.Status.PUBLISHED)
        self.assertEqual(promise.follow_ups.count(), 1)
        self.assertEqual(Promise.objects.count(), 2)  # the second run wrote no other
        data = self.client.get("/api/v1/promises?municipality=2380").json()["current"]
        self.assertEqual([f["title"] for f in data["focus_areas"]],
                         ["Trygghet", "ANDT bland unga", "Brott i närmiljön"])  # fmt: skip
        texts = " ".join(c["text"] for c in data["commitments"])
        for word in ("EST", "trygghetsvandringar inom EST", "Purple Flag"):
            self.assertIn(word, texts)
        activities = [a for c in data["commitments"] for a in c["activities"]]
        self.assertIn("Purple Flag", [a["initiative"] for a in activities])
        counted = [i for i in data["indicators"] if i["kind"] == "computed"]
        manual = [i for i in data["indicators"] if i["kind"] == "manual"]
        self.assertEqual((len(counted), len(manual)), (2, 1))
        self.assertTrue(manual[0]["source"])
        for indicator in counted:  # counted from the demo's reports, over the whole first year
            first_year = [
                p for p in indicator["series"] if p["period"].startswith(data["period"][:4])
            ]
            self.assertEqual(len(first_year), 4)
            self.assertGreater(sum(p["value"] or 0 for p in first_year), 0)
        page = self.client.get("/medborgarloften/2380/").content.decode()
        self.assertIn("Medborgarlöfte Östersund", page)
        self.assertIn("ingår i Purple Flag", page)

    def test_its_2023_2024_promise_is_public_as_the_previous_period(self):
        old = Promise.objects.get(municipality=self.muni, start_year=2023)
        self.assertEqual((old.end_year, old.status), (2024, Promise.Status.ARCHIVED))
        page = self.client.get("/medborgarloften/2380/").content.decode()
        self.assertIn(f'/medborgarloften/2380/{old.pk}/">Medborgarlöfte Östersund 2023–2024', page)
        data = self.client.get("/api/v1/promises?municipality=2380").json()
        self.assertEqual([(p["id"], p["status"]) for p in data["previous"]], [(old.pk, "archived")])
        shown = self.client.get(f"/medborgarloften/2380/{old.pk}/").content.decode()
        self.assertIn("En tidigare period: det här löftet är avslutat.", shown)
        full = public.promise_dict(old, date.today())
        self.assertGreaterEqual(sum(len(c["activities"]) for c in full["commitments"]), 5)
        self.assertEqual(len(full["signatories"]), 2)
        self.assertEqual(len(full["follow_ups"]), 1)
        manual = full["indicators"]
        self.assertEqual({i["kind"] for i in manual}, {"manual"})
        for indicator in manual:  # sourced, said to be illustrative, a value for both years
            self.assertIn("illustrativa demovärden", indicator["source"])
            self.assertEqual([p["period"] for p in indicator["series"]], ["2023", "2024"])

    def test_the_admin_is_staff_with_model_permissions_only(self):
        admin = User.objects.get(username="admin")
        self.assertTrue(admin.is_staff)
        self.assertFalse(admin.is_superuser)
        self.assertTrue(admin.has_perm("geo.add_area"))
        self.assertTrue(admin.has_perm("reports.change_category"))
        self.assertFalse(admin.has_perm("reports.change_report"))
        self.assertFalse(User.objects.get(username="polis").is_staff)


class DemoRefusalTests(TestCase):
    def test_it_fails_clearly_when_the_place_list_is_missing(self):
        from unittest import mock

        with (
            mock.patch.object(places, "data_dir", return_value=places.Path("/nonexistent")),
            self.assertRaisesMessage(CommandError, "ostersund_demo_places.csv"),
        ):
            run_demo()

    def test_it_leaves_a_real_municipality_alone(self):
        Municipality.objects.create(code="2380", name="Östersund")
        with self.assertRaisesMessage(CommandError, "not demo data"):
            run_demo()
        self.assertEqual(Area.objects.count(), 0)
