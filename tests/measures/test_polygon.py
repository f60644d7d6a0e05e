"""A treated area drawn as a polygon: its rules, its history, its evaluation, its pages and API."""

from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

from tests.measures.test_effect import FOUR_WEEKS, GRAFFITI, TODAY, build_effect_data
from tests.world import TryggTestCase, sign_in
from trygg.analysis.effect import PrePost, wdd, wdq
from trygg.geo.lookup import geometry_to_sweref
from trygg.measures.actions import MeasureRefused, create_measure, update_measure
from trygg.measures.effect import CannotEvaluate, evaluate
from trygg.measures.models import Evaluation, Measure
from trygg.measures.polygon import as_lines, parse_text
from trygg.partners.actions import create_api_token
from trygg.reports.models import Report

ZONE = ZoneInfo("Europe/Stockholm")
# Corners (lat, lon) of a rectangle around both Centrum's point and the park in
# its hole (tests/world.py); Lugnvik's point lies 2.5 km east, outside its buffer.
CORNERS = [(63.155, 14.605), (63.155, 14.63), (63.18, 14.63), (63.18, 14.605)]
LINES = "\n".join(f"{lat}, {lon}" for lat, lon in CORNERS)


def polygon_of(corners):
    ring = [[lon, lat] for lat, lon in corners]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


RECTANGLE = polygon_of(CORNERS)


class PolygonRuleTests(TryggTestCase):
    def new(self, polygon):
        return create_measure(
            by=self.w.anna, municipality=self.w.ostersund, title="Trygghetsvandring i parken",
            kind=Measure.Kind.SITUATIONAL, responsible=self.w.orgs["kommun"],
            treated_polygon=polygon,
        )  # fmt: skip

    def test_it_refuses_each_bad_polygon_naming_the_field(self):
        open_ring = {"type": "Polygon", "coordinates": [RECTANGLE["coordinates"][0][:-1]]}
        bow_tie = polygon_of([(63.16, 14.61), (63.17, 14.62), (63.16, 14.62), (63.17, 14.61)])
        many = [(63.16 + i * 1e-4, 14.61 + (i % 2) * 1e-4) for i in range(100)]
        too_many = polygon_of([*many, *[(63.17 - i * 1e-4, 14.62) for i in range(101)]])
        outside = polygon_of([(63.30, 14.60), (63.30, 14.62), (63.32, 14.61)])
        huge = polygon_of([(62.9, 14.3), (62.9, 15.0), (63.5, 15.0), (63.5, 14.3)])
        cases = {
            "not a polygon": {"type": "Point", "coordinates": [14.61, 63.16]},
            "a hole": {"type": "Polygon", "coordinates": [*RECTANGLE["coordinates"]] * 2},
            "a corner without latitude": {"type": "Polygon", "coordinates": [[[14.61]] * 4]},
            "text for a number": {"type": "Polygon", "coordinates": [[["14.61", 63.16]] * 4]},
            "not degrees": {"type": "Polygon", "coordinates": [[[500000.0, 6999000.0]] * 4]},
            "not closed": open_ring,
            "two corners": polygon_of(CORNERS[:2]),
            "more than 199 corners": too_many,
            "crossing edges": bow_tie,
            "outside the municipality": outside,
            "larger than 100 km²": huge,
        }
        for case, polygon in cases.items():
            with self.subTest(case), self.assertRaises(MeasureRefused) as refused:
                self.new(polygon)
            self.assertEqual(refused.exception.field, "treated_polygon", case)
        self.assertFalse(Measure.objects.exists())

    def test_it_keeps_a_good_polygon_rounded_and_overlapping_the_edge(self):
        # Half outside the boundary is fine: the treated area may reach over it.
        edge = polygon_of([(63.19, 14.69), (63.19, 14.71), (63.21, 14.71), (63.21, 14.69)])
        self.assertEqual(self.new(edge).treated_polygon, edge)
        wobbly = polygon_of([(lat + 1e-9, lon) for lat, lon in CORNERS])
        self.assertEqual(self.new(wobbly).treated_polygon, RECTANGLE)

    def test_the_history_says_drawn_redrawn_and_removed_without_coordinates(self):
        measure = self.new(RECTANGLE)
        update_measure(measure=measure, by=self.w.anna, treated_polygon=RECTANGLE)  # no change
        smaller = polygon_of([(63.155, 14.605), (63.155, 14.62), (63.17, 14.62)])
        update_measure(measure=measure, by=self.w.anna, treated_polygon=smaller)
        update_measure(measure=measure, by=self.w.anna, treated_polygon=None)
        rows = list(measure.history.values_list("field", "old", "new"))
        self.assertEqual(rows, [("created", "", "proposed"), ("treated_polygon", "", "drawn"),
                                ("treated_polygon", "drawn", "drawn"),
                                ("treated_polygon", "drawn", "")])  # fmt: skip
        self.assertIsNone(Measure.objects.get(pk=measure.pk).treated_polygon)
        sign_in(self.client, self.w.anna)
        page = self.client.get(f"/atgarder/{measure.pk}/").content.decode()
        for sentence in ("Polygonen för åtgärdsområdet ritades.",
                         "Polygonen för åtgärdsområdet ritades om.",
                         "Polygonen för åtgärdsområdet togs bort."):  # fmt: skip
            self.assertIn(sentence, page)
        self.assertNotIn("14.605", page)

    def test_text_is_read_as_geojson_or_as_lat_lon_lines(self):
        self.assertEqual(parse_text(LINES), RECTANGLE)
        decimal_commas = "\n".join(f"{lat}; {lon}".replace(".", ",") for lat, lon in CORNERS)
        self.assertEqual(parse_text(decimal_commas), RECTANGLE)
        feature = json.dumps({"type": "Feature", "geometry": RECTANGLE})
        self.assertEqual(parse_text(feature), RECTANGLE)
        self.assertIsNone(parse_text("  \n"))
        self.assertEqual(as_lines(RECTANGLE).splitlines()[0], "63.155000, 14.605000")


class PolygonFormTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measure = create_measure(
            by=cls.w.anna, municipality=cls.w.ostersund, title="Belysning",
            kind=Measure.Kind.SITUATIONAL, responsible=cls.w.orgs["bostad"],
        )  # fmt: skip

    def post(self, text):
        sign_in(self.client, self.w.anna)
        data = {"title": "Belysning", "kind": "situational",
                "responsible": self.w.orgs["bostad"].pk, "treated_polygon": text}  # fmt: skip
        return self.client.post(f"/atgarder/{self.measure.pk}/andra/", data)

    def test_the_edit_form_takes_lat_lon_lines_and_shows_them_back(self):
        response = self.post(LINES)
        self.assertRedirects(response, f"/atgarder/{self.measure.pk}/")
        self.assertEqual(Measure.objects.get(pk=self.measure.pk).treated_polygon, RECTANGLE)
        form = self.client.get(f"/atgarder/{self.measure.pk}/andra/")
        self.assertContains(form, "63.155000, 14.605000\n63.155000, 14.630000")
        self.assertContains(form, 'id="polygon-map"')
        self.assertContains(form, "measure_polygon.js")

    def test_a_new_measure_takes_a_pasted_geojson_polygon(self):
        sign_in(self.client, self.w.anna)
        data = {"title": "Trygghetsvandring", "kind": "adult_presence",
                "responsible": self.w.orgs["natt"].pk,
                "treated_polygon": json.dumps(RECTANGLE)}  # fmt: skip
        page = self.client.get("/atgarder/kommun/2380/ny/")
        self.assertContains(page, "Polygon för åtgärdsområdet")
        self.assertContains(page, 'id="outlines-data"')
        response = self.client.post("/atgarder/kommun/2380/ny/", data)
        created = Measure.objects.get(title="Trygghetsvandring")
        self.assertRedirects(response, f"/atgarder/{created.pk}/")
        self.assertEqual(created.treated_polygon, RECTANGLE)
        self.assertEqual(created.history.last().field, "treated_polygon")

    def test_the_form_names_the_field_of_unreadable_text_and_of_a_refused_polygon(self):
        for text, message in (
            ("63.16 14.61 7", "Skriv ett hörn per rad"),
            ('{"type": "Polygon"', "Texten är inte giltig GeoJSON."),
            ("63.16, 14.61\n63.17, 14.62\n63.16, 14.62\n63.17, 14.61", "kantlinjer korsar"),
            ("63.30, 14.60\n63.30, 14.62\n63.32, 14.61", "ligger utanför kommunen"),
        ):
            with self.subTest(text):
                response = self.post(text)
                self.assertEqual(response.status_code, 400)
                errors = response.context["form"].errors
                self.assertEqual(list(errors), ["treated_polygon"])
                self.assertIn(message, errors["treated_polygon"][0])
        self.assertIsNone(Measure.objects.get(pk=self.measure.pk).treated_polygon)


def points_in(window, categories):
    """Every report of the categories in the window, read row by row (the reference way)."""
    since, until = (datetime.combine(d, time(), ZONE) for d in window)
    rows = Report.objects.filter(category__code__in=categories, occurred_at__gte=since,
                                 occurred_at__lt=until).values_list("lat", "lon")  # fmt: skip
    return [geometry_to_sweref({"type": "Point", "coordinates": [lon, lat]}) for lat, lon in rows]


class PolygonEffectTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        graffiti = build_effect_data(cls.w)["graffiti"]
        cls.measure = update_measure(measure=graffiti, by=cls.w.anna, treated_polygon=RECTANGLE)

    def test_the_polygon_is_the_treated_zone_with_hand_checked_counts(self):
        effect = evaluate(self.measure, FOUR_WEEKS, today=TODAY)
        # Centrum's point and the park both lie in the rectangle; nothing within 500 m of it.
        both = {w: GRAFFITI["treated"][w] + GRAFFITI["buffer"][w] for w in GRAFFITI["treated"]}
        self.assertEqual(both, {"before": 42, "after": 25, "before_last_year": 25,
                                "after_last_year": 24})  # fmt: skip
        self.assertEqual(effect.counts["treated"], both)
        self.assertEqual(effect.counts["buffer"], dict.fromkeys(both, 0))
        self.assertEqual(effect.counts["comparison"], GRAFFITI["comparison"])
        # (25 − 42) − (20 − 20) = −17, from 107 reports.
        self.assertEqual(effect.did.estimate, -17.0)
        self.assertEqual(effect.parameters.treated_zone, "polygon")
        self.assertEqual(effect.as_json()["parameters"]["treated_polygon"], RECTANGLE)

    def test_it_equals_the_analysis_module_on_points_classified_one_by_one(self):
        effect = evaluate(self.measure, FOUR_WEEKS, today=TODAY)
        treated = geometry_to_sweref(RECTANGLE)
        ring = treated.buffer(FOUR_WEEKS.buffer_m)
        municipality = geometry_to_sweref(self.w.ostersund.boundary)
        counts = {}
        for name, window in effect.windows.items():
            points = points_in(window, ["graffiti"])
            counts[name] = (
                sum(treated.intersects(p) for p in points),
                sum(ring.intersects(p) and not treated.contains(p) for p in points),
                sum(municipality.intersects(p) and not ring.intersects(p) for p in points),
            )
        t, b, c = (PrePost(counts["before"][i], counts["after"][i]) for i in range(3))
        self.assertEqual((t, b, c), (PrePost(42, 25), PrePost(0, 0), PrePost(20, 20)))
        t_ly, c_ly = (PrePost(counts["before_last_year"][i], counts["after_last_year"][i])
                      for i in (0, 2))  # fmt: skip
        self.assertEqual(effect.did, wdd(t, c))
        self.assertEqual(effect.net, wdd(t, c, b, c))
        self.assertEqual(effect.quotient, wdq(t, b, c))
        self.assertEqual(effect.last_year, wdd(t_ly, c_ly))

    def test_the_saved_evaluation_says_the_polygon_was_treated(self):
        sign_in(self.client, self.w.anna)
        page = self.client.get(f"/atgarder/{self.measure.pk}/utvardera/?weeks=4")
        self.assertContains(page, "<td>42</td><td>25</td><td>25</td><td>24</td>", html=False)
        self.assertContains(page, 'id="polygon-view"')
        self.client.post(f"/atgarder/{self.measure.pk}/utvardera/spara", {"weeks": "4"})
        saved = Evaluation.objects.get(measure=self.measure)
        self.assertEqual(saved.parameters["treated_zone"], "polygon")
        self.assertEqual(saved.parameters["treated_polygon"], RECTANGLE)
        listing = self.client.get(f"/atgarder/{self.measure.pk}/utvarderingar/")
        self.assertContains(listing, "åtgärdsområde: polygonen som ritats på kartan")
        self.assertContains(self.client.get(f"/atgarder/{self.measure.pk}/"), 'id="polygon-view"')

    def test_without_polygon_the_area_is_treated_and_without_both_it_says_so(self):
        measure = update_measure(measure=self.measure, by=self.w.anna, treated_polygon=None)
        effect = evaluate(measure, FOUR_WEEKS, today=TODAY)
        self.assertEqual(effect.counts["treated"], GRAFFITI["treated"])
        self.assertEqual((effect.parameters.treated_zone, effect.parameters.treated_area_id),
                         ("area", self.w.centrum.pk))  # fmt: skip
        Measure.objects.filter(pk=measure.pk).update(area=None)
        measure.refresh_from_db()
        with self.assertRaisesMessage(CannotEvaluate, "Åtgärden har inget område."):
            evaluate(measure, FOUR_WEEKS, today=TODAY)


class PolygonApiTests(TryggTestCase):
    def test_a_polygon_goes_in_and_comes_back_and_a_bad_one_is_named(self):
        token = create_api_token(user=self.w.anna, name="t")[1]
        headers = {"Authorization": f"Bearer {token}"}
        body = {"title": "Trygghetsvandring", "kind": "adult_presence",
                "responsible": self.w.orgs["natt"].pk, "treated_polygon": RECTANGLE}  # fmt: skip
        created = self.client.post("/api/v1/measures", body, content_type="application/json",
                                   headers=headers)  # fmt: skip
        self.assertEqual(created.status_code, 201, created.content)
        path = f"/api/v1/measures/{created.json()['id']}"
        read = self.client.get(path, headers=headers).json()
        self.assertEqual(read["treated_polygon"], RECTANGLE)
        self.assertEqual(read["history"][1]["field"], "treated_polygon")
        self.assertNotIn("14.605", str(read["history"]))
        open_ring = {"type": "Polygon", "coordinates": [RECTANGLE["coordinates"][0][:-1]]}
        refused = self.client.post("/api/v1/measures", body | {"treated_polygon": open_ring},
                                   content_type="application/json", headers=headers)  # fmt: skip
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["detail"][0]["field"], "treated_polygon")


class PolygonPatchTests(TryggTestCase):
    """PATCH takes the polygon as POST does: drawn, left, removed, refused by field and by role."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measure = create_measure(
            by=cls.w.anna, municipality=cls.w.ostersund, title="Belysning",
            kind=Measure.Kind.SITUATIONAL, responsible=cls.w.orgs["bostad"],
        )  # fmt: skip
        cls.tokens = {n: create_api_token(user=getattr(cls.w, n), name="t")[1]
                      for n in ("anna", "karl")}  # fmt: skip

    def patch(self, who, body):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.patch(f"/api/v1/measures/{self.measure.pk}", body,
                                 content_type="application/json", headers=headers)  # fmt: skip

    def stored(self):
        return Measure.objects.get(pk=self.measure.pk).treated_polygon

    def test_a_coordinator_draws_keeps_and_removes_the_polygon(self):
        drawn = self.patch("anna", {"treated_polygon": RECTANGLE})
        self.assertEqual(drawn.status_code, 200, drawn.content)
        self.assertEqual(drawn.json()["treated_polygon"], RECTANGLE)
        self.assertEqual(drawn.json()["history"][-1]["new"], "drawn")
        self.assertEqual(self.stored(), RECTANGLE)
        kept = self.patch("anna", {"categories": ["graffiti"]}).json()  # absent: left as it is
        self.assertEqual(kept["treated_polygon"], RECTANGLE)
        removed = self.patch("anna", {"treated_polygon": None}).json()
        self.assertIsNone(removed["treated_polygon"])
        self.assertIsNone(self.stored())
        fields = [(h["field"], h["old"], h["new"]) for h in removed["history"]]
        self.assertEqual(fields[-1], ("treated_polygon", "drawn", ""))

    def test_a_refused_polygon_is_a_422_naming_the_field(self):
        outside = polygon_of([(63.30, 14.60), (63.30, 14.62), (63.32, 14.61)])
        open_ring = {"type": "Polygon", "coordinates": [RECTANGLE["coordinates"][0][:-1]]}
        for polygon in (outside, open_ring):
            refused = self.patch("anna", {"treated_polygon": polygon, "categories": ["arson"]})
            self.assertEqual(refused.status_code, 422, refused.content)
            self.assertEqual(refused.json()["detail"][0]["field"], "treated_polygon")
        self.assertIsNone(self.stored())
        self.assertFalse(self.measure.categories.exists())  # one request, one transaction

    def test_the_owner_may_not_draw_nor_remove_the_polygon(self):
        update_measure(measure=self.measure, by=self.w.anna, treated_polygon=RECTANGLE)
        for body in ({"treated_polygon": None}, {"treated_polygon": RECTANGLE}):
            response = self.patch("karl", body)
            self.assertEqual(response.status_code, 403, body)
            self.assertIn("samordnare", response.json()["detail"])
        self.assertEqual(self.stored(), RECTANGLE)
        self.assertEqual(self.patch("karl", {"categories": ["arson"]}).status_code, 200)
