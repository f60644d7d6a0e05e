"""The lägesbild pages through HTTP: the same numbers as the API, access, period and assessment."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from unittest import mock

from django.utils import timezone

from tests.situation.test_picture import at, centrum, cluster, lugnvik
from tests.world import LUGNVIK, TryggTestCase, sign_in
from trygg.geo.models import Area
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_reports
from trygg.situation.models import Assessment

W47 = "period=2026-W47"


def active(groups: list[dict]) -> list[dict]:
    """The groups the page shows: any report now, in the baseline or last year."""
    return [g for g in groups if g["current"] or g["baseline_mean"] or g["last_year"]]


class Numbers(HTMLParser):
    """Every element carrying data-current: headline cards, table cells, rising rows.

    Table cells are keyed by their row's area; cards by their group.
    """

    def __init__(self, html: str):
        super().__init__()
        self.area: str | None = None
        self.cards: dict[str, dict[str, str]] = {}
        self.cells: dict[tuple[str, str], dict[str, str]] = {}
        self.column = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.area, self.column = a.get("data-area"), 0
        if tag in ("td", "th") and self.area is not None:
            self.column += 1
        if "data-current" in a and tag == "article":
            self.cards[a["data-group"]] = a
        elif "data-current" in a and tag == "td":
            self.cells[(self.area, self.column)] = a


class PageTestCase(TryggTestCase):
    """Week 47 of 2026, as in test_picture, plus reports of two other organisations in Centrum."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        items = [centrum("graffiti", at(2026, 47, 6, 2)) for _ in range(6)]
        items += [lugnvik("noise", at(2026, 47, 3, 22))]
        items += [centrum("all_calm", at(2026, 47, 1, 9)) for _ in range(3)]
        items += [centrum("graffiti", at(2026, 43 + k, 2, 14)) for k in range(4)]
        items += [centrum("broken_glass", at(2025, 47, 4, 13)) for _ in range(2)]
        items += [lugnvik("theft_other", at(2025, 40, 1, 12))]
        cls.submit(cls.w.petra, "polis", items)
        text = {"sharing": "partnership"}
        cls.submit(cls.w.karl, "bostad", [
            centrum("graffiti", at(2026, 47, 2, 10), description="Klotter på garaget", **text)
        ])  # fmt: skip
        cls.submit(cls.w.nils, "natt", [
            centrum("noise", at(2026, 47, 5, 23), description="Hög musik vid torget", **text)
        ])  # fmt: skip

    @classmethod
    def submit(cls, user, org, items):
        submit_reports(
            organisation=cls.w.orgs[org], by=user, items=items,
            now=at(2026, 48, 3, 12), max_age_days=800,
        )  # fmt: skip

    def api(self, query: str) -> dict:
        token = create_api_token(user=self.w.anna, name="t")[1]
        response = self.client.get(
            f"/api/v1/situation?{query}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def assertHas(self, html: str, text: str):
        """Like assertIn, without printing the whole page when it fails."""
        self.assertTrue(text in html, f"{text!r} is not on the page")

    def page(self, path: str, user=None, status: int = 200):
        sign_in(self.client, user or self.w.anna)
        response = self.client.get(path)
        self.assertEqual(response.status_code, status, response.content[:2000])
        return response


class SituationPageNumbersTests(PageTestCase):
    def test_it_sends_a_member_to_their_municipality(self):
        response = self.page("/lagesbild/", status=302)
        self.assertEqual(response["Location"], "/lagesbild/2380/")

    def test_the_headline_cards_equal_the_api(self):
        api = self.api(W47)
        numbers = Numbers(self.page(f"/lagesbild/2380/?{W47}").content.decode())
        shown = active(api["groups"])
        self.assertEqual(set(numbers.cards), {"*"} | {g["code"] for g in shown})
        for g in [{"code": "*", **api["total"]}, *shown]:
            card = numbers.cards[g["code"]]
            self.assertEqual(int(card["data-current"]), g["current"])
            self.assertEqual(float(card["data-baseline-mean"]), g["baseline_mean"])
            self.assertEqual(int(card["data-last-year"]), g["last_year"])
            self.assertEqual(card["data-flag"], g["flag"])
        self.assertEqual(numbers.cards["damage"]["data-current"], "7")
        self.assertEqual(numbers.cards["*"]["data-current"], "9")

    def test_the_area_table_equals_the_api(self):
        api = self.api(W47)
        numbers = Numbers(self.page(f"/lagesbild/2380/?{W47}").content.decode())
        shown = [
            g["code"] for g in api["groups"] if g["current"] or g["baseline_mean"] or g["last_year"]
        ]
        for area in api["areas"]:
            key = str(area["id"] or 0)
            self.assertEqual(int(numbers.cells[(key, 3)]["data-current"]), area["total"]["current"])
            for column, code in enumerate(shown, start=4):
                want = area["groups"].get(code)
                got = numbers.cells.get((key, column))
                self.assertEqual(got and int(got["data-current"]), want and want["current"])
                self.assertEqual(got and got["data-flag"], want and want["flag"])
        centrum_damage = numbers.cells[(str(self.w.centrum.pk), 4 + shown.index("damage"))]
        self.assertEqual(centrum_damage["data-current"], "7")

    def test_rising_cells_are_highlighted_and_listed(self):
        html = self.page(f"/lagesbild/2380/?{W47}").content.decode()
        api = self.api(W47)
        for rising in api["rising"]:
            self.assertHas(
                html,
                f'data-area="{rising["area_id"]}" data-group="{rising["group"]}" '
                f'data-current="{rising["current"]}"',
            )
        self.assertHas(html, 'class="num mark-rising"')
        self.assertTrue(api["rising"])

    def test_it_shows_the_time_of_week_and_the_weekly_numbers(self):
        html = self.page(f"/lagesbild/2380/?{W47}").content.decode()
        self.assertHas(html, 'title="lör 02–03: 6"')
        self.assertHas(html, '<th scope="row">2026-W47</th><td class="num">7</td>')
        self.assertHas(html, "Åtgärder")

    def test_a_category_filter_narrows_the_page(self):
        numbers = Numbers(self.page(f"/lagesbild/2380/?{W47}&category=disorder").content.decode())
        self.assertEqual(set(numbers.cards), {"*", "disorder"})
        self.assertEqual(numbers.cards["*"]["data-current"], "2")

    def test_it_speaks_swedish_with_honest_words(self):
        response = self.page(f"/lagesbild/2380/?{W47}")
        self.assertContains(response, "Vecka 47, 2026")
        self.assertContains(response, ">Ökar</a>")
        self.assertContains(response, 'href="?period=2026-W46"')
        self.assertContains(response, 'href="?period=2026-W48"')
        self.assertContains(response, 'href="?period=2026-11" aria-current', count=0)
        self.assertContains(response, 'href="?period=2026-11"')
        early = self.page("/lagesbild/2380/?period=2025-W41")
        self.assertContains(early, ">Ingen historik</a>")

    def test_the_default_period_follows_the_meeting_cadence(self):
        response = self.page("/lagesbild/2380/")
        self.assertEqual(response.context["selection"].period.kind, "weeks")  # every other week
        self.assertContains(response, "Två veckor</a>")

    def test_the_json_twin_is_the_api(self):
        page = self.page(f"/lagesbild/2380/?{W47}")
        self.assertContains(page, 'rel="alternate" type="application/json"')
        twin = self.page(f"/lagesbild/2380/data.json?{W47}").json()
        self.assertEqual(twin, self.api(f"municipality=2380&{W47}"))


class SituationPageErrorTests(PageTestCase):
    def test_a_bad_period_is_shown_next_to_its_control(self):
        response = self.page("/lagesbild/2380/?period=2026-W99", status=400)
        self.assertContains(response, "Det finns ingen vecka 99 år 2026", status_code=400)
        self.assertContains(response, 'class="field has-error"', status_code=400)
        self.assertContains(response, "Rätta valet ovan", status_code=400)

    def test_the_error_is_english_when_the_user_chose_english(self):
        self.client.cookies["django_language"] = "en"
        response = self.page("/lagesbild/2380/?period=vecka 99 2026", status=400)
        self.assertContains(response, "There is no week 99 in 2026.", status_code=400)

    def test_a_period_that_has_not_begun_is_refused_with_a_clear_error(self):
        today = timezone.localdate()
        for query in (
            f"period={today.year + 1}",
            f"period={today.year + 1}-01",
            f"from={today + timedelta(days=1)}&to={today + timedelta(days=8)}",
            f"kind=month&month={today.year + 1}-01",
        ):
            with self.subTest(query=query):
                response = self.page(f"/lagesbild/2380/?{query}", status=400)
                self.assertContains(response, "har inte börjat än", status_code=400)

    def test_the_period_in_progress_is_shown_as_before(self):
        today = timezone.localdate()
        response = self.page(f"/lagesbild/2380/?period={today:%Y-%m}")
        self.assertEqual(response.context["selection"].period.start, today.replace(day=1))

    def test_swedish_words_name_the_same_period_as_the_iso_key(self):
        for typed in ("vecka 47 2026", "v47 2026", "V. 47, 2026", "2026-w47"):
            with self.subTest(typed=typed):
                response = self.page(f"/lagesbild/2380/?period={typed}")
                self.assertEqual(response.context["selection"].period.key, "2026-W47")
        november = self.page("/lagesbild/2380/?period=november 2026")
        self.assertEqual(november.context["selection"].period.key, "2026-11")
        tertial = self.page("/lagesbild/2380/?period=tertial 2 2026")
        self.assertEqual(tertial.context["selection"].period.key, "2026-T2")

    def test_the_picker_without_javascript_sends_every_control_and_kind_decides(self):
        every_control = "week=2026-W40&month=2026-10&tertial=2&year=2025&from=&to="
        for kind, key in (
            ("week", "2026-W40"),
            ("weeks", "2026-W40+2"),
            ("month", "2026-10"),
            ("tertial", "2025-T2"),
            ("year", "2025"),
        ):
            with self.subTest(kind=kind):
                response = self.page(f"/lagesbild/2380/?kind={kind}&{every_control}")
                self.assertEqual(response.context["selection"].period.key, key)
        chosen = "kind=custom&week=2026-W40&from=2026-11-02&to=2026-11-15"
        custom = self.page(f"/lagesbild/2380/?{chosen}")
        self.assertEqual(custom.context["selection"].period.key, "2026-11-02..2026-11-15")

    def test_the_first_period_allowed_has_no_link_to_the_one_before(self):
        first = self.page("/lagesbild/2380/?period=2000-W01")
        self.assertNotContains(first, 'rel="prev"')
        self.assertContains(self.page("/lagesbild/2380/?period=2000-W02"), 'rel="prev"')

    def test_the_picker_is_set_to_the_period_shown(self):
        response = self.page(f"/lagesbild/2380/?{W47}")
        self.assertContains(response, 'type="week" name="week" id="p-week" value="2026-W47"')
        self.assertContains(response, 'name="kind" value="week" checked')

    def test_from_without_to_is_refused(self):
        response = self.page("/lagesbild/2380/?from=2026-11-01", status=400)
        self.assertContains(response, "from", status_code=400)

    def test_an_unknown_category_is_shown_next_to_its_control(self):
        response = self.page("/lagesbild/2380/?category=nonsense", status=400)
        self.assertContains(response, "Okänd kategori", status_code=400)

    def test_the_map_data_refuses_a_bad_period(self):
        response = self.page("/lagesbild/2380/karta/omraden.geojson?period=x", status=400)
        self.assertIn("period", response.json()["errors"])


class SituationAccessTests(PageTestCase):
    def test_outsiders_and_other_partnerships_get_404(self):
        for user in (self.w.otto, self.w.erik):
            for path in (
                "/lagesbild/2380/",
                "/lagesbild/2380/data.json",
                "/lagesbild/2380/karta/omraden.geojson",
                "/lagesbild/2380/karta/hotspots.geojson",
                "/lagesbild/2380/karta/densitet.geojson",
                f"/lagesbild/omrade/{self.w.centrum.pk}/",
            ):
                self.page(path, user=user, status=404)
        self.page("/lagesbild/", user=self.w.otto, status=404)

    def test_anonymous_people_are_asked_to_log_in(self):
        response = self.client.get("/lagesbild/2380/")
        self.assertRedirects(response, "/logga-in/?next=/lagesbild/2380/")

    def test_every_member_sees_the_same_aggregate(self):
        mine = Numbers(self.page(f"/lagesbild/2380/?{W47}").content.decode())
        nils = Numbers(self.page(f"/lagesbild/2380/?{W47}", user=self.w.nils).content.decode())
        self.assertEqual(mine.cards, nils.cards)


class AssessmentTests(PageTestCase):
    def post(self, user, text="Oroligt i Centrum på lördagsnätterna."):
        sign_in(self.client, user)
        return self.client.post("/lagesbild/2380/bedomning/", {"period": "2026-W47", "text": text})

    def test_a_coordinator_saves_the_assessment_of_the_period(self):
        response = self.post(self.w.anna)
        self.assertRedirects(
            response, "/lagesbild/2380/?period=2026-W47", fetch_redirect_response=False
        )
        saved = Assessment.objects.get()
        self.assertEqual((saved.period_key, saved.written_by), ("2026-W47", self.w.anna))
        page = self.page(f"/lagesbild/2380/?{W47}")
        self.assertContains(page, "Oroligt i Centrum på lördagsnätterna.</textarea>")

    def test_partners_read_it_but_get_no_form(self):
        self.post(self.w.anna)
        page = self.page(f"/lagesbild/2380/?{W47}", user=self.w.sara)
        self.assertContains(page, "<p>Oroligt i Centrum på lördagsnätterna.</p>", html=True)
        self.assertNotContains(page, "<textarea")
        other_week = self.page("/lagesbild/2380/?period=2026-W46", user=self.w.sara)
        self.assertNotContains(other_week, "Oroligt i Centrum")

    def test_others_may_not_save(self):
        for user in (self.w.sara, self.w.nils, self.w.greta):
            self.assertEqual(self.post(user).status_code, 403)
        for user in (self.w.otto, self.w.erik):
            self.assertEqual(self.post(user).status_code, 404)
        self.assertFalse(Assessment.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.get("/lagesbild/2380/bedomning/").status_code, 302)

    def test_personal_data_is_masked(self):
        self.post(self.w.anna, text="Ring 070-123 45 67")
        self.assertNotIn("123 45 67", Assessment.objects.get().text)


class MapLayerTests(PageTestCase):
    def test_the_area_layer_equals_the_table(self):
        api = {a["id"]: a for a in self.api(W47)["areas"]}
        layer = self.page(f"/lagesbild/2380/karta/omraden.geojson?{W47}")
        self.assertEqual(layer["Content-Type"], "application/geo+json")
        features = {f["properties"]["id"]: f["properties"] for f in layer.json()["features"]}
        self.assertEqual(set(features), {self.w.centrum.pk, self.w.lugnvik.pk})
        for area_id, properties in features.items():
            want = api[area_id]["total"]
            got = {k: properties[k] for k in want}
            self.assertEqual(got, want)
            self.assertEqual(
                properties["groups"], {k: v["current"] for k, v in api[area_id]["groups"].items()}
            )
        self.assertEqual(features[self.w.centrum.pk]["current"], 8)

    def test_the_hotspot_and_density_layers_equal_the_picture(self):
        self.submit(self.w.petra, "polis", cluster(self.w.ostersund, "noise", at(2026, 47, 4, 23)))
        api = self.api(W47)
        hotspots = self.page(f"/lagesbild/2380/karta/hotspots.geojson?{W47}").json()
        self.assertEqual(
            [f["properties"]["count"] for f in hotspots["features"]],
            [c["count"] for c in api["hotspots"]["cells"]],
        )
        self.assertTrue(hotspots["features"])
        density = self.page(f"/lagesbild/2380/karta/densitet.geojson?{W47}").json()
        self.assertEqual(len(density["features"]), api["density"]["cells"])

    def test_the_report_points_are_the_periods_incidents_the_reader_may_see(self):
        page = self.page(f"/lagesbild/2380/?{W47}")
        points_url = page.context["points_query"]
        everything = self.page(f"/rapporter/karta.geojson?{points_url}").json()
        self.assertEqual(len(everything["features"]), 9)  # no "all calm" check-ins
        karls = self.page(f"/rapporter/karta.geojson?{points_url}", user=self.w.karl).json()
        self.assertEqual(len(karls["features"]), 1)


class AreaProfileTests(PageTestCase):
    def profile(self, user=None, query=W47, status=200):
        return self.page(f"/lagesbild/omrade/{self.w.centrum.pk}/?{query}", user, status)

    def test_its_numbers_equal_the_tables_line(self):
        api = next(a for a in self.api(W47)["areas"] if a["id"] == self.w.centrum.pk)
        numbers = Numbers(self.profile().content.decode())
        self.assertEqual(int(numbers.cards["*"]["data-current"]), api["total"]["current"])
        self.assertEqual(set(numbers.cards) - {"*"}, set(api["groups"]))
        for code, want in api["groups"].items():
            self.assertEqual(int(numbers.cards[code]["data-current"]), want["current"])
            self.assertEqual(numbers.cards[code]["data-flag"], want["flag"])

    def test_an_area_without_reports_is_marked_as_on_the_map_not_with_the_whole_picture(self):
        quiet = Area.objects.create(
            municipality=self.w.ostersund, name="Tyst", kind="residential", geometry=LUGNVIK
        )
        total = self.page(f"/lagesbild/omrade/{quiet.pk}/?{W47}").context["profile"].line.total
        layer = self.page(f"/lagesbild/2380/karta/omraden.geojson?{W47}").json()
        on_map = next(
            f["properties"] for f in layer["features"] if f["properties"]["id"] == quiet.pk
        )
        self.assertEqual((total.current, total.flag), (0, on_map["flag"]))
        self.assertEqual(total.last_year_flag, on_map["last_year_flag"])

    def test_it_shows_the_areas_time_pattern_trend_and_hot_spots(self):
        response = self.profile()
        profile = response.context["profile"]
        self.assertEqual(profile.time_of_week[5][2], 6.0)  # Saturday 02:00
        self.assertEqual(profile.time_of_week_events, 8)
        self.assertEqual(profile.trend["damage"][-5:], [1, 1, 1, 1, 7])
        self.assertNotIn("disorder", {k for k, v in profile.trend.items() if not any(v)})
        self.assertContains(response, 'title="lör 02–03: 6"')
        self.assertContains(response, 'title="2026-W47: 7"')  # the damage strip's last week
        lugnvik = self.page(f"/lagesbild/omrade/{self.w.lugnvik.pk}/?{W47}").context["profile"]
        self.assertEqual(lugnvik.time_of_week_events, 1)

    def test_it_shows_the_hot_spots_centred_in_the_area(self):
        self.assertEqual(self.profile().context["profile"].hotspots, [])  # one busy cell only
        self.submit(self.w.petra, "polis", cluster(self.w.ostersund, "noise", at(2026, 47, 4, 23)))
        hot = self.profile().context["profile"].hotspots
        self.assertTrue(hot)
        self.assertEqual({c.count for c in hot}, {4})  # the cluster's cells

    def test_a_repeat_view_takes_the_areas_counts_kept_with_the_picture(self):
        from trygg.situation import profile

        with mock.patch.object(profile, "_weekly_trend", wraps=profile._weekly_trend) as trend:
            self.profile()
            self.profile(user=self.w.sara)
        self.assertEqual(trend.call_count, 1)

    def test_a_new_report_in_the_area_shows_in_its_profile_at_once(self):
        before = self.profile().context["profile"].time_of_week_events
        self.submit(self.w.petra, "polis", [centrum("graffiti", at(2026, 47, 4, 12))])
        self.assertEqual(self.profile().context["profile"].time_of_week_events, before + 1)

    def test_a_coordinator_sees_every_recent_report_with_free_text(self):
        response = self.profile()
        self.assertEqual(len(response.context["profile"].recent), 14)  # 8, 4 before, 2 last year
        self.assertContains(response, "Klotter på garaget")
        self.assertContains(response, "Hög musik vid torget")

    def test_a_reporter_sees_only_their_own_organisations_reports(self):
        response = self.profile(user=self.w.karl)
        recent = response.context["profile"].recent
        self.assertEqual([r.report.organisation for r in recent], [self.w.orgs["bostad"]])
        self.assertContains(response, "Klotter på garaget")
        self.assertNotContains(response, "Hög musik vid torget")

    def test_a_partner_sees_shared_reports_without_their_free_text(self):
        response = self.profile(user=self.w.sara)
        recent = response.context["profile"].recent
        self.assertEqual(len(recent), 14)  # all are shared with the partnership
        self.assertFalse(any(r.details for r in recent))
        self.assertNotContains(response, "Klotter på garaget")
        self.assertNotContains(response, "Hög musik vid torget")

    def test_areas_of_other_municipalities_are_404(self):
        elsewhere = Area.objects.create(
            municipality=self.w.krokom, name="Krokom centrum", geometry=self.w.centrum.geometry
        )
        self.page(f"/lagesbild/omrade/{elsewhere.pk}/", status=404)
        self.page("/lagesbild/omrade/999999/", status=404)

    def test_a_bad_period_is_400(self):
        self.profile(query="period=2026-13", status=400)
