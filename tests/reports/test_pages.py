"""The report pages through HTTP: form, check-in, list, map data, detail and photo."""

import io
import uuid
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.world import (
    IN_THE_HOLE,
    INSIDE_CENTRUM,
    INSIDE_LUGNVIK,
    OUTSIDE,
    TryggTestCase,
    report_data,
    sign_in,
)
from trygg.geo.models import Area
from trygg.reports import pages
from trygg.reports.actions import submit_all_calm, submit_report, submit_reports
from trygg.reports.models import Report
from trygg.reports.pages import MAP_LIMIT
from trygg.situation.periods import parse_period
from trygg.situation.picture import build_picture


def form_data(**overrides):
    lat, lon = INSIDE_CENTRUM
    data = {
        "group": "damage",
        "category": "graffiti",
        "when": "now",
        "lat": str(lat),
        "lon": str(lon),
        "sharing": "partnership",
        "client_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def png(name="photo.png"):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


class PageTestCase(TryggTestCase):
    def as_user(self, user):
        sign_in(self.client, user)
        return self.client

    def store(self, user, org, **overrides):
        report, _ = submit_report(
            organisation=self.w.orgs[org], by=user, data=report_data(**overrides)
        )
        return report


class ReportFormTests(PageTestCase):
    def test_it_asks_anonymous_people_to_log_in(self):
        response = self.client.get("/rapportera/")
        self.assertRedirects(response, "/logga-in/?next=/rapportera/")

    def test_it_shows_category_buttons_in_swedish(self):
        response = self.as_user(self.w.karl).get("/rapportera/")
        self.assertContains(response, "Skadegörelse")
        self.assertContains(response, "Klotter")
        self.assertContains(response, "Skriv inte namn, personnummer eller telefonnummer")
        self.assertContains(response, 'accept="image/*"')
        self.assertNotContains(response, 'name="organisation"')

    def test_it_stores_a_report_for_karl_and_shows_it(self):
        response = self.as_user(self.w.karl).post(
            "/rapportera/", form_data(description="Klotter på gaveln", persons="3")
        )
        report = Report.objects.get()
        self.assertRedirects(response, f"/rapporter/{report.pk}/", fetch_redirect_response=False)
        self.assertEqual(report.category.code, "graffiti")
        self.assertEqual(report.organisation, self.w.orgs["bostad"])
        self.assertEqual(report.reporter, self.w.karl)
        self.assertEqual(report.source, Report.Source.WEB)
        self.assertEqual(report.area, self.w.centrum)
        self.assertEqual(report.persons, 3)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Rapporten är sparad")
        self.assertContains(page, "Klotter på gaveln")

    def test_it_stores_a_double_submit_once(self):
        data = form_data()
        client = self.as_user(self.w.karl)
        first = client.post("/rapportera/", data)
        second = client.post("/rapportera/", data)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(first["Location"], second["Location"])

    def test_it_shows_each_error_next_to_its_field(self):
        future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        response = self.as_user(self.w.karl).post(
            "/rapportera/",
            form_data(
                group="", category="", lat="", lon="", when="at", occurred_at=future, persons="-1"
            ),
        )
        self.assertEqual(Report.objects.count(), 0)
        form = response.context["form"]
        self.assertEqual(form.errors["category"], ["En kategori måste anges."])
        self.assertEqual(form.errors["occurred_at"], ["Kan inte ligga i framtiden."])
        self.assertIn("persons", form.errors)
        self.assertEqual(form.position_errors, ["En position måste anges."])
        self.assertContains(response, "En position måste anges.", count=1)

    def test_it_takes_a_group_alone_as_its_general_category(self):
        response = self.as_user(self.w.karl).post(
            "/rapportera/", form_data(group="drugs", category="")
        )
        report = Report.objects.get()
        self.assertRedirects(response, f"/rapporter/{report.pk}/", fetch_redirect_response=False)
        self.assertEqual(report.category.code, "drugs")

    def test_it_still_asks_for_a_category_when_nothing_is_chosen(self):
        response = self.as_user(self.w.karl).post("/rapportera/", form_data(group="", category=""))
        self.assertEqual(response.context["form"].errors["category"], ["En kategori måste anges."])

    def test_it_offers_a_groups_types_as_optional_right_after_the_group(self):
        html = self.as_user(self.w.karl).get("/rapportera/").content.decode()
        group = html.index('id="group-drugs"')
        types = html.index('data-group="drugs"')
        self.assertLess(group, types)
        self.assertLess(types, html.index('id="group-violence"'))
        self.assertIn("Narkotika: valfritt, välj typ", html)

    def test_it_folds_the_optional_fields_and_opens_them_on_an_error_there(self):
        client = self.as_user(self.w.karl)
        self.assertNotContains(client.get("/rapportera/"), 'id="more" open')
        response = client.post("/rapportera/", form_data(persons="-1"))
        self.assertContains(response, 'id="more" open')
        self.assertContains(response, "Mer information (valfritt)")

    def test_it_takes_a_group_without_sub_categories_as_the_category(self):
        self.as_user(self.w.karl).post("/rapportera/", form_data(group="gathering", category=""))
        self.assertEqual(Report.objects.get().category.code, "gathering")

    def test_it_refuses_a_point_outside_the_municipality(self):
        response = self.as_user(self.w.karl).post(
            "/rapportera/", form_data(lat=str(OUTSIDE[0]), lon=str(OUTSIDE[1]))
        )
        self.assertEqual(
            response.context["form"].position_errors, ["Positionen ligger utanför kommunen."]
        )

    def test_it_stores_an_overnight_window(self):
        end = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
        start = end - timedelta(hours=9)
        fmt = "%Y-%m-%dT%H:%M"
        self.as_user(self.w.karl).post(
            "/rapportera/",
            form_data(
                when="window", occurred_from=start.strftime(fmt), occurred_to=end.strftime(fmt)
            ),
        )
        report = Report.objects.get()
        self.assertEqual(report.occurred_to - report.occurred_at, timedelta(hours=9))

    def test_it_shows_a_window_error_at_the_window_fields(self):
        response = self.as_user(self.w.karl).post(
            "/rapportera/",
            form_data(when="window", occurred_from="nonsense", occurred_to="2020-01-01T00:00"),
        )
        self.assertIn("occurred_from", response.context["form"].errors)

    def test_it_wants_a_time_when_one_is_to_be_picked(self):
        client = self.as_user(self.w.karl)
        response = client.post("/rapportera/", form_data(when="at"))
        self.assertEqual(response.context["form"].errors["occurred_at"], ["Välj datum och tid."])
        response = client.post("/rapportera/", form_data(when="window", occurred_from=""))
        self.assertEqual(set(response.context["form"].errors), {"occurred_from", "occurred_to"})
        self.assertEqual(Report.objects.count(), 0)

    def test_it_stores_a_photo(self):
        self.as_user(self.w.karl).post("/rapportera/", {**form_data(), "photo": png()})
        self.assertTrue(Report.objects.get().photo.name.endswith(".png"))

    def test_it_refuses_a_file_that_is_not_an_image(self):
        fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
        response = self.as_user(self.w.karl).post("/rapportera/", {**form_data(), "photo": fake})
        self.assertIn("photo", response.context["form"].errors)
        self.assertEqual(Report.objects.count(), 0)

    def test_it_asks_someone_in_two_organisations_which_one(self):
        from trygg.partners.models import Membership, Role

        Membership.objects.create(
            user=self.w.karl, organisation=self.w.orgs["natt"], role=Role.REPORTER
        )
        client = self.as_user(self.w.karl)
        self.assertContains(client.get("/rapportera/"), 'name="organisation"')
        response = client.post("/rapportera/", form_data())
        self.assertIn("organisation", response.context["form"].errors)
        client.post("/rapportera/", form_data(organisation=str(self.w.orgs["natt"].pk)))
        self.assertEqual(Report.objects.get().organisation, self.w.orgs["natt"])

    def test_it_tells_an_outsider_that_he_cannot_report(self):
        client = self.as_user(self.w.otto)
        self.assertContains(client.get("/rapportera/"), "inte medlem i någon organisation")
        response = client.post("/rapportera/", form_data())
        self.assertEqual(Report.objects.count(), 0)
        self.assertTrue(response.context["form"].non_field_errors())


class GroupAloneTests(PageTestCase):
    def test_a_group_alone_counts_under_its_group_in_the_lagesbild_and_the_list(self):
        self.as_user(self.w.karl).post("/rapportera/", form_data(group="drugs", category=""))
        year, week, _ = timezone.localdate().isocalendar()
        picture = build_picture(self.w.ostersund, parse_period(f"{year}-W{week:02d}"))
        counts = {g.code: g.comparison.current for g in picture.groups}
        self.assertEqual(counts["drugs"], 1)
        self.assertEqual(sum(counts.values()), 1)
        rows = self.client.get("/rapporter/?category=drugs").context["rows"]
        self.assertEqual([row.report.category.code for row in rows], ["drugs"])


class PlaceLookupTests(PageTestCase):
    def place(self, user, lat, lon):
        response = self.as_user(user).get(f"/rapportera/plats.json?lat={lat}&lon={lon}")
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_it_names_the_area_karl_tapped(self):
        self.assertEqual(
            self.place(self.w.karl, *INSIDE_CENTRUM), {"area": "Centrum", "inside": True}
        )
        self.assertEqual(self.place(self.w.karl, *INSIDE_LUGNVIK)["area"], "Lugnvik")

    def test_it_says_a_point_in_no_area_or_outside_the_municipality(self):
        self.assertEqual(self.place(self.w.karl, *IN_THE_HOLE), {"area": None, "inside": True})
        self.assertEqual(self.place(self.w.karl, *OUTSIDE), {"area": None, "inside": False})

    def test_it_names_no_area_of_a_municipality_the_person_does_not_report_in(self):
        self.assertEqual(self.place(self.w.erik, *INSIDE_CENTRUM)["area"], None)
        self.assertEqual(self.place(self.w.otto, *INSIDE_CENTRUM)["area"], None)

    def test_it_refuses_a_point_that_is_not_one(self):
        client = self.as_user(self.w.karl)
        for query in ("", "?lat=abc&lon=14.6", "?lat=nan&lon=14.6", "?lat=91&lon=14.6"):
            self.assertEqual(client.get(f"/rapportera/plats.json{query}").status_code, 400)


class AllCalmTests(PageTestCase):
    def test_it_checks_in_inside_the_municipality_for_a_first_time_reporter(self):
        response = self.as_user(self.w.nils).post(
            "/rapportera/lugnt/", {"checkin-client_id": "calm-1"}
        )
        report = Report.objects.get()
        self.assertRedirects(response, f"/rapporter/{report.pk}/")
        self.assertEqual(report.category.code, "all_calm")
        self.assertEqual(report.organisation, self.w.orgs["natt"])
        self.assertEqual(report.municipality, self.w.ostersund)

    def test_it_checks_in_where_the_reporter_last_reported(self):
        self.store(self.w.nils, "natt", lat=INSIDE_LUGNVIK[0], lon=INSIDE_LUGNVIK[1])
        self.as_user(self.w.nils).post("/rapportera/lugnt/", {"checkin-client_id": "calm-2"})
        calm = Report.objects.get(category__code="all_calm")
        self.assertEqual((calm.lat, calm.lon), INSIDE_LUGNVIK)
        self.assertEqual(calm.area, self.w.lugnvik)

    def test_a_double_tap_checks_in_once(self):
        client = self.as_user(self.w.nils)
        client.post("/rapportera/lugnt/", {"checkin-client_id": "calm-3"})
        client.post("/rapportera/lugnt/", {"checkin-client_id": "calm-3"})
        self.assertEqual(Report.objects.count(), 1)

    def test_it_refuses_a_get(self):
        self.assertEqual(self.as_user(self.w.nils).get("/rapportera/lugnt/").status_code, 405)

    def test_it_explains_when_the_municipality_has_no_boundary(self):
        self.w.ostersund.boundary = None
        self.w.ostersund.save()
        response = self.as_user(self.w.nils).post("/rapportera/lugnt/", follow=True)
        self.assertEqual(Report.objects.count(), 0)
        self.assertContains(response, "Kommunen saknar gräns")


class ReportListTests(PageTestCase):
    def setUp(self):
        self.graffiti = self.store(self.w.karl, "bostad", description="Klotter vid porten")
        self.lugnvik_fight = self.store(
            self.w.kim,
            "bostad2",
            category="fight",
            lat=INSIDE_LUGNVIK[0],
            lon=INSIDE_LUGNVIK[1],
            description="Bråk utanför Hyresbolaget",
        )
        self.old = self.store(
            self.w.nils, "natt", category="noise", occurred_at=timezone.now() - timedelta(days=30)
        )

    def listed(self, user, query=""):
        response = self.as_user(user).get(f"/rapporter/{query}")
        return response, [row.report for row in response.context["rows"]]

    def test_karl_sees_only_his_organisations_reports(self):
        _, reports = self.listed(self.w.karl)
        self.assertEqual(reports, [self.graffiti])

    def test_anna_sees_all_with_free_text(self):
        response, reports = self.listed(self.w.anna)
        self.assertEqual(set(reports), {self.graffiti, self.lugnvik_fight, self.old})
        self.assertContains(response, "Bråk utanför Hyresbolaget")
        self.assertContains(response, "Rapporterad av kim")

    def test_sara_sees_shared_reports_without_free_text_or_reporter(self):
        response, reports = self.listed(self.w.sara)
        self.assertEqual(len(reports), 3)
        self.assertNotContains(response, "Klotter vid porten")
        self.assertNotContains(response, "Rapporterad av")

    def test_it_filters_by_category_group(self):
        _, reports = self.listed(self.w.anna, "?category=disorder")
        self.assertEqual(set(reports), {self.lugnvik_fight, self.old})

    def test_it_filters_by_area_organisation_source_and_period(self):
        since = (timezone.localdate() - timedelta(days=7)).isoformat()
        self.assertEqual(
            self.listed(self.w.anna, f"?area={self.w.lugnvik.pk}")[1], [self.lugnvik_fight]
        )
        org = self.w.orgs["bostad"].pk
        self.assertEqual(self.listed(self.w.anna, f"?organisation={org}")[1], [self.graffiti])
        self.assertEqual(len(self.listed(self.w.anna, "?source=api")[1]), 3)
        self.assertEqual(self.listed(self.w.anna, "?source=web")[1], [])
        self.assertNotIn(self.old, self.listed(self.w.anna, f"?since={since}")[1])

    def test_it_shows_a_bad_filter_next_to_its_field(self):
        response = self.as_user(self.w.anna).get("/rapporter/?since=yesterday&category=ufo")
        self.assertEqual(response.status_code, 400)
        self.assertIn("category", response.context["errors"])
        self.assertContains(response, "Okänd kategori.", status_code=400)

    def test_it_pages_through_reports(self):
        for _ in range(55):
            self.store(self.w.karl, "bostad")
        response, reports = self.listed(self.w.karl)
        self.assertEqual(len(reports), 50)
        self.assertContains(response, "?page=2")
        self.assertEqual(len(self.listed(self.w.karl, "?page=2")[1]), 6)

    def test_it_links_its_map_data_with_the_same_filter(self):
        response = self.as_user(self.w.anna).get("/rapporter/?category=disorder&page=1")
        self.assertContains(response, 'data-src="/rapporter/karta.geojson?category=disorder"')

    def test_an_outsider_sees_an_empty_list(self):
        self.assertEqual(self.listed(self.w.otto)[1], [])

    def test_it_counts_all_calm_check_ins_apart_from_the_incidents(self):
        calm, _ = submit_all_calm(organisation=self.w.orgs["bostad"], by=self.w.karl)
        response, reports = self.listed(self.w.anna)
        self.assertNotIn(calm, reports)
        self.assertContains(response, "3 händelser")
        self.assertContains(response, "1 Lugnt-incheckning</a>, räknas inte bland händelserna")
        self.assertEqual(self.listed(self.w.anna, "?kind=checkins")[1], [calm])
        self.assertEqual(len(self.listed(self.w.anna, "?kind=all")[1]), 4)

    def test_anna_finds_a_report_by_words_in_its_note_or_address(self):
        self.graffiti_at_address = self.store(
            self.w.karl, "bostad", address="Storgatan 12", description="Nytt klotter"
        )
        self.assertEqual(self.listed(self.w.anna, "?q=PORTEN")[1], [self.graffiti])
        self.assertEqual(self.listed(self.w.anna, "?q=storgatan")[1], [self.graffiti_at_address])

    def test_a_search_never_matches_text_the_viewer_may_not_read(self):
        # Sara sees the three shared reports, but none of their notes: searching
        # their words must find nothing, or the search would read them back to her.
        self.assertEqual(len(self.listed(self.w.sara)[1]), 3)
        for word in ("porten", "Bråk", "B"):
            self.assertEqual(self.listed(self.w.sara, f"?q={word}")[1], [], word)
        # Kim sees his own note, not Karl's.
        self.assertEqual(self.listed(self.w.kim, "?q=Hyresbolaget")[1], [self.lugnvik_fight])
        self.assertEqual(self.listed(self.w.kim, "?q=porten")[1], [])

    def test_it_filters_by_status(self):
        Report.objects.filter(pk=self.old.pk).update(status=Report.Status.CLOSED)
        self.assertEqual(self.listed(self.w.anna, "?status=closed")[1], [self.old])
        self.assertEqual(len(self.listed(self.w.anna, "?status=received")[1]), 2)

    def test_it_lists_the_last_received_first_unless_asked_for_event_time(self):
        # The noise of a month ago was reported last: by default it is on top.
        self.assertEqual(self.listed(self.w.anna)[1], [self.old, self.lugnvik_fight, self.graffiti])
        self.assertEqual(
            self.listed(self.w.anna, "?sort=occurred")[1],
            [self.lugnvik_fight, self.graffiti, self.old],
        )

    def test_it_refuses_an_unknown_status_kind_or_sort_and_a_long_search(self):
        query = f"?status=lost&kind=x&sort=name&q={'a' * 101}"
        response = self.as_user(self.w.anna).get(f"/rapporter/{query}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.context["errors"])


class MapDataTests(PageTestCase):
    def setUp(self):
        self.graffiti = self.store(self.w.karl, "bostad", description="Klotter vid porten")
        self.fight = self.store(
            self.w.kim, "bostad2", category="fight", lat=INSIDE_LUGNVIK[0], lon=INSIDE_LUGNVIK[1]
        )

    def features(self, user, query=""):
        response = self.as_user(user).get(f"/rapporter/karta.geojson{query}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/geo+json")
        return response.json()

    def test_it_returns_points_with_category_time_and_area(self):
        data = self.features(self.w.anna, "?category=damage")
        self.assertEqual(data["type"], "FeatureCollection")
        self.assertEqual(data["limit"], MAP_LIMIT)
        self.assertFalse(data["truncated"])
        [feature] = data["features"]
        self.assertEqual(feature["geometry"]["coordinates"], [INSIDE_CENTRUM[1], INSIDE_CENTRUM[0]])
        properties = feature["properties"]
        self.assertEqual(properties["category"], "graffiti")
        self.assertEqual(properties["area"], "Centrum")
        self.assertEqual(properties["description"], "Klotter vid porten")
        self.assertEqual(properties["url"], f"/rapporter/{self.graffiti.pk}/")

    def test_it_leaves_out_check_ins_as_the_list_does_unless_asked(self):
        calm, _ = submit_all_calm(organisation=self.w.orgs["bostad"], by=self.w.karl)
        ids = {f["properties"]["id"] for f in self.features(self.w.anna)["features"]}
        self.assertEqual(ids, {str(self.graffiti.pk), str(self.fight.pk)})
        checkins = self.features(self.w.anna, "?kind=checkins")["features"]
        self.assertEqual([f["properties"]["id"] for f in checkins], [str(calm.pk)])

    def test_it_hides_descriptions_from_partners(self):
        data = self.features(self.w.sara)
        self.assertEqual(len(data["features"]), 2)
        self.assertTrue(all(f["properties"]["description"] is None for f in data["features"]))

    def test_it_shows_a_reporter_only_his_organisations_points(self):
        self.assertEqual(len(self.features(self.w.karl)["features"]), 1)
        self.assertEqual(self.features(self.w.otto)["features"], [])

    def test_it_refuses_a_bad_filter(self):
        response = self.as_user(self.w.anna).get("/rapporter/karta.geojson?area=x")
        self.assertEqual(response.status_code, 400)
        self.assertIn("area", response.json()["errors"])

    def test_it_caps_the_number_of_points(self):
        import trygg.reports.pages as pages

        original, pages.MAP_LIMIT = pages.MAP_LIMIT, 1
        try:
            data = self.features(self.w.anna)
        finally:
            pages.MAP_LIMIT = original
        self.assertEqual(len(data["features"]), 1)
        self.assertTrue(data["truncated"])


VIEW = "bbox=14.4,63.0,14.9,63.3"  # the whole of the test world's Östersund


class MapViewTests(PageTestCase):
    """The list's map asks for its view (bbox and zoom): points when few match, counts when many."""

    def spread(self, org, n, **overrides):
        """`n` reports of `org` on a line through Centrum and Lugnvik, 7 m apart."""
        lat, lon = INSIDE_CENTRUM
        items = [report_data(lat=lat, lon=lon + k * 0.00014, **overrides) for k in range(n)]
        submit_reports(organisation=self.w.orgs[org], by=self.w.petra, items=items)

    def view(self, user, query):
        response = self.as_user(user).get(f"/rapporter/karta.geojson?{query}")
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response

    def test_zoomed_in_on_few_reports_it_answers_points_with_the_same_fields_as_before(self):
        self.store(self.w.karl, "bostad", description="Klotter vid porten")
        data = self.view(self.w.anna, f"{VIEW}&zoom=16").json()
        self.assertFalse(data["clustered"])
        [feature] = data["features"]
        old = self.features_without_zoom(self.w.anna)[0]
        self.assertEqual(feature, old)
        self.assertEqual(feature["properties"]["description"], "Klotter vid porten")

    def features_without_zoom(self, user):
        return self.as_user(user).get(f"/rapporter/karta.geojson?{VIEW}").json()["features"]

    def test_with_more_than_the_point_limit_it_answers_counts_under_300_kb(self):
        self.spread("polis", pages.MAP_POINTS + 100)
        response = self.view(self.w.anna, f"{VIEW}&zoom=12")
        data = response.json()
        self.assertTrue(data["clustered"])
        self.assertEqual(data["total"], pages.MAP_POINTS + 100)
        self.assertEqual(sum(f["properties"]["count"] for f in data["features"]), data["total"])
        self.assertEqual(set(data["features"][0]["properties"]), {"count"})
        self.assertLess(len(response.content), 300_000)
        self.assertNotIn("description", response.content.decode())

    def test_a_partners_counts_hold_only_reports_shared_with_the_partnership(self):
        self.spread("polis", pages.MAP_POINTS + 10)
        self.spread("polis", 40, sharing="organisation")
        self.spread("vakt", 3, sharing="organisation")  # the partner's own
        for view in (VIEW, "bbox=14.60,63.15,14.70,63.19"):  # from the rollup, and by cell
            partner = self.view(self.w.sara, f"{view}&zoom=10").json()
            coordinator = self.view(self.w.petra, f"{view}&zoom=10").json()
            self.assertTrue(partner["clustered"])
            self.assertEqual(partner["total"], pages.MAP_POINTS + 13, view)
            self.assertEqual(coordinator["total"], pages.MAP_POINTS + 53, view)

    def test_a_reporter_below_the_limit_gets_only_his_organisations_points(self):
        self.spread("polis", pages.MAP_POINTS + 10)
        self.store(self.w.karl, "bostad")
        data = self.view(self.w.karl, f"{VIEW}&zoom=10").json()
        self.assertFalse(data["clustered"])
        self.assertEqual(len(data["features"]), 1)

    def test_the_cell_grows_as_the_map_zooms_out(self):
        self.spread("polis", pages.MAP_POINTS + 10)
        near = self.view(self.w.anna, f"{VIEW}&zoom=14").json()
        far = self.view(self.w.anna, f"{VIEW}&zoom=8").json()
        self.assertLess(near["cell_m"], far["cell_m"])
        self.assertLessEqual(len(far["features"]), len(near["features"]))
        self.assertEqual(near["total"], far["total"])

    def test_a_view_of_the_whole_municipality_counts_per_area_from_the_rollup(self):
        self.spread("polis", pages.MAP_POINTS + 10)
        lat, lon = IN_THE_HOLE  # inside the municipality, outside every area
        self.store(self.w.petra, "polis", lat=lat, lon=lon)
        data = self.view(self.w.anna, f"{VIEW}&zoom=11").json()
        self.assertEqual(data["grouping"], "area")
        self.assertEqual(data["total"], pages.MAP_POINTS + 11)
        self.assertEqual(len(data["features"]), 3)  # Centrum, Lugnvik, and one cell for the hole
        self.assertIn(1, [f["properties"]["count"] for f in data["features"]])

    def test_a_view_of_part_of_the_municipality_counts_per_grid_cell_in_the_view(self):
        for _ in range(2):
            self.spread("polis", pages.MAP_POINTS + 100)  # 14.610 to 14.694 east
        part = "bbox=14.60,63.15,14.66,63.20"
        data = self.view(self.w.anna, f"{part}&zoom=13").json()
        self.assertEqual(data["grouping"], "grid")
        inside = sum(1 for k in range(pages.MAP_POINTS + 100) if 14.61 + k * 0.00014 <= 14.66)
        self.assertEqual(data["total"], 2 * inside)

    def test_a_filter_the_rollup_does_not_hold_is_counted_from_the_reports(self):
        self.spread("polis", pages.MAP_POINTS + 10)
        self.spread("kommun", 20)
        organisation = self.w.orgs["polis"].pk
        data = self.view(self.w.anna, f"{VIEW}&zoom=11&organisation={organisation}").json()
        self.assertEqual((data["grouping"], data["total"]), ("grid", pages.MAP_POINTS + 10))

    def test_it_refuses_a_bad_zoom_or_a_zoom_without_a_view(self):
        for query in ("zoom=99", "zoom=x", "zoom=12"):
            response = self.as_user(self.w.anna).get(f"/rapporter/karta.geojson?{query}")
            self.assertEqual(response.status_code, 400, query)


def densified(west, south, east, north, n=400):
    """The rectangle's ring with `n` points on each straight side, as a digitiser may leave it."""
    steps = [k / n for k in range(n)]
    ring = [[west + (east - west) * t, south] for t in steps]
    ring += [[east, south + (north - south) * t] for t in steps]
    ring += [[east - (east - west) * t, north] for t in steps]
    ring += [[west, north - (north - south) * t] for t in steps]
    return [*ring, [west, south]]


class OutlineTests(PageTestCase):
    def setUp(self):
        ring = densified(14.6612345678, 63.1512345678, 14.6690000001, 63.1590000001)
        self.dense = Area.objects.create(
            municipality=self.w.ostersund, name="Tät", kind="residential",
            geometry={"type": "Polygon", "coordinates": [ring]},
        )  # fmt: skip

    def outline(self, name):
        response = self.as_user(self.w.anna).get("/rapporter/")
        features = response.context["outlines"]["features"]
        [feature] = [f for f in features if f["properties"]["name"] == name]
        return [list(point) for point in feature["geometry"]["coordinates"][0]]

    def test_a_densified_outline_reaches_the_page_as_its_corners_rounded_to_a_metre(self):
        ring = self.outline("Tät")
        self.assertEqual(len(ring), 5)
        self.assertIn([14.66123, 63.15123], ring)
        self.assertIn([14.669, 63.159], ring)

    def test_a_changed_area_shows_its_new_outline_at_once(self):
        self.outline("Tät")
        self.dense.geometry = {
            "type": "Polygon",
            "coordinates": [densified(14.67, 63.15, 14.68, 63.16)],
        }
        self.dense.save()
        self.assertIn([14.68, 63.16], self.outline("Tät"))


class ReportDetailTests(PageTestCase):
    def setUp(self):
        self.report, _ = submit_report(
            organisation=self.w.orgs["bostad"],
            by=self.w.karl,
            data=report_data(description="Ring 070-123 45 67", address="Storgatan 1"),
            photo=png(),
        )

    def test_karl_sees_his_report_with_details_masked(self):
        response = self.as_user(self.w.karl).get(f"/rapporter/{self.report.pk}/")
        self.assertContains(response, "Ring [telefonnummer]")
        self.assertContains(response, "Storgatan 1")
        self.assertContains(response, f"/rapporter/{self.report.pk}/foto/")

    def test_sara_sees_the_report_without_details(self):
        response = self.as_user(self.w.sara).get(f"/rapporter/{self.report.pk}/")
        self.assertContains(response, "Klotter")
        self.assertNotContains(response, "Storgatan")
        self.assertNotContains(response, "/foto/")

    def test_it_shows_the_place_on_a_small_map_to_everyone_who_sees_the_report(self):
        # The point is on the list's map for these people too; only free text is withheld.
        for user in (self.w.karl, self.w.sara):
            response = self.as_user(user).get(f"/rapporter/{self.report.pk}/")
            self.assertContains(response, 'id="report-place-map"')
            self.assertContains(response, '<script id="report-point" type="application/json">')
            self.assertContains(response, '"lat": 63.16, "lon": 14.61')
            self.assertContains(response, "/static/trygg/report_detail.js")

    def test_it_is_a_404_for_an_outsider_and_another_reporter(self):
        for user in (self.w.otto, self.w.kim, self.w.erik):
            response = self.as_user(user).get(f"/rapporter/{self.report.pk}/")
            self.assertEqual(response.status_code, 404, user.username)

    def test_it_is_a_404_for_an_unknown_id(self):
        response = self.as_user(self.w.anna).get(f"/rapporter/{uuid.uuid4()}/")
        self.assertEqual(response.status_code, 404)


class ReportPhotoTests(ReportDetailTests):
    def photo(self, user):
        return self.as_user(user).get(f"/rapporter/{self.report.pk}/foto/")

    def test_the_reporter_and_a_coordinator_get_the_photo(self):
        for user in (self.w.karl, self.w.anna):
            response = self.photo(user)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "image/png")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            self.assertEqual(response["Content-Disposition"], "inline")
            body = b"".join(response.streaming_content)
            self.assertTrue(body.startswith(b"\x89PNG"))

    def test_a_partner_an_outsider_and_another_reporter_get_a_404(self):
        for user in (self.w.sara, self.w.otto, self.w.kim):
            self.assertEqual(self.photo(user).status_code, 404, user.username)

    def test_a_report_without_photo_is_a_404(self):
        self.report.photo = ""
        self.report.save()
        self.assertEqual(self.photo(self.w.karl).status_code, 404)


class LayoutTests(PageTestCase):
    def test_the_home_page_links_to_report_reports_and_profile(self):
        response = self.as_user(self.w.karl).get("/")
        for path in ("/rapportera/", "/rapporter/", "/profil/"):
            self.assertContains(response, f'href="{path}"')

    def test_it_labels_demo_data(self):
        self.assertNotContains(self.as_user(self.w.karl).get("/"), "Demodata")
        self.w.ostersund.is_demo = True
        self.w.ostersund.save()
        self.assertContains(self.as_user(self.w.karl).get("/"), "Demodata")

    def test_it_switches_to_english(self):
        client = self.as_user(self.w.karl)
        self.assertContains(client.get("/rapportera/"), "Skicka rapport")
        client.post("/i18n/setlang/", {"language": "en", "next": "/rapportera/"})
        response = client.get("/rapportera/")
        self.assertContains(response, "Send report")
        self.assertContains(response, "Criminal damage")

    def test_karl_logs_in_and_out_in_swedish(self):
        page = self.client.get("/logga-in/")
        self.assertContains(page, "Logga in")
        response = self.client.post(
            "/logga-in/", {"username": "karl", "password": "secret-pass-123"}
        )
        self.assertRedirects(response, "/")
        self.assertRedirects(self.client.post("/logga-ut/"), "/logga-in/")

    def test_no_page_has_inline_script(self):
        client = self.as_user(self.w.anna)
        report = self.store(self.w.anna, "kommun")
        for path in ("/", "/rapportera/", "/rapporter/", f"/rapporter/{report.pk}/", "/profil/"):
            html = client.get(path).content.decode()
            for chunk in html.split("<script")[1:]:
                opening = chunk.split(">", 1)[0]
                self.assertTrue(
                    "src=" in opening or 'type="application/json"' in opening, (path, opening)
                )
            self.assertNotIn(" onclick=", html)
            self.assertNotIn("//cdn", html)
