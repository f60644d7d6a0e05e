"""Publishing a period, and the public lägesbild: per area, small counts hidden, nothing else."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from tests.situation.test_picture import ZONE, at, centrum, lugnvik
from tests.world import IN_THE_HOLE, TryggTestCase, build_world, report_data, sign_in
from trygg.reports.actions import submit_reports
from trygg.situation.actions import PublicationRefused, publish_period
from trygg.situation.models import Publication
from trygg.situation.periods import parse_period

NOW = at(2026, 50, 1, 12)
CELL = re.compile(r"<td>(.*?)</td>")
DIGEST = re.compile(r'name="digest" value="([0-9a-f]+)"')


def park(category: str, when: datetime, **extra):
    lat, lon = IN_THE_HOLE
    return report_data(category=category, occurred_at=when, lat=lat, lon=lon, **extra)


def submit(world, items) -> None:
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, items=items, now=NOW, max_age_days=800
    )


def previewed(client, key: str) -> str:
    """The fingerprint the preview page hands to its publish button."""
    response = client.get(f"/lagesbild/2380/publicera/granska?period={key}")
    found = DIGEST.search(response.content.decode())
    assert found, response.content[:300]
    return found.group(1)


class PublishTests(TryggTestCase):
    def post(self, user, status: int, path="/lagesbild/2380/publicera", **data):
        if user:
            sign_in(self.client, user)
        response = self.client.post(path, data)
        self.assertEqual(response.status_code, status, response.content[:300])
        return response

    def published(self) -> list[str]:
        return list(
            Publication.objects.filter(withdrawn_at__isnull=True).values_list(
                "period_key", flat=True
            )
        )

    def test_it_lets_a_coordinator_publish_and_unpublish_a_period(self):
        sign_in(self.client, self.w.anna)
        digest = previewed(self.client, "2026-W47")
        response = self.post(None, 302, period="2026-W47", digest=digest)
        self.assertEqual(response["Location"], "/lagesbild/2380/?period=2026-W47")
        self.assertEqual(self.published(), ["2026-W47"])
        self.post(self.w.petra, 302, "/lagesbild/2380/avpublicera", period="2026-W47")
        self.assertEqual(self.published(), [])

    def test_it_publishes_only_what_was_previewed(self):
        self.post(self.w.anna, 302, period="2026-W47")  # no preview seen
        self.post(self.w.anna, 302, period="2026-W47", digest="0123456789abcdef")
        self.assertEqual(self.published(), [])

    def test_it_refuses_other_members_with_403(self):
        for user in (self.w.sara, self.w.nils, self.w.greta):
            self.post(user, 403, period="2026-W47")
            self.post(user, 403, "/lagesbild/2380/avpublicera", period="2026-W47")
            response = self.client.get("/lagesbild/2380/publicera/granska?period=2026-W47")
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.published(), [])

    def test_it_hides_the_partnership_from_outsiders_with_404(self):
        self.post(self.w.otto, 404, period="2026-W47")
        self.post(self.w.erik, 404, period="2026-W47")
        self.post(self.w.erik, 404, "/lagesbild/2380/avpublicera", period="2026-W47")

    def test_it_sends_anonymous_visitors_to_log_in(self):
        response = self.post(None, 302, period="2026-W47")
        self.assertTrue(response["Location"].startswith("/logga-in/"))
        self.assertEqual(self.published(), [])

    def test_it_refuses_a_bad_period(self):
        self.post(self.w.anna, 400, period="2026-W99")
        self.post(self.w.anna, 400, "/lagesbild/2380/avpublicera", period="2026-W99")
        for path in ("publicera/granska", "avpublicera/bekrafta"):
            response = self.client.get(f"/lagesbild/2380/{path}?period=2026-W99")
            self.assertEqual(response.status_code, 400, path)

    def test_it_changes_nothing_on_get(self):
        sign_in(self.client, self.w.anna)
        for path in ("publicera", "avpublicera"):
            self.assertEqual(self.client.get(f"/lagesbild/2380/{path}").status_code, 405)
        for path in ("publicera/granska", "avpublicera/bekrafta"):
            self.assertEqual(self.client.post(f"/lagesbild/2380/{path}").status_code, 405)


class PublicPageTests(TryggTestCase):
    """Week 47: six public graffiti in Centrum, two public noise in Lugnvik, one in the park."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        when = at(2026, 47, 6, 2)
        items = [centrum("graffiti", when, sharing="public") for _ in range(6)]
        items += [lugnvik("noise", when, sharing="public") for _ in range(2)]
        items += [park("noise", when, sharing="public")]  # outside every named area
        items += [centrum("all_calm", when, sharing="public") for _ in range(3)]  # no incident
        items += [centrum("graffiti", when, sharing="partnership", description="Partner note")]
        items += [lugnvik("noise", when, sharing="organisation", description="Own note")] * 5
        submit(cls.w, items)
        publish_period(municipality=cls.w.ostersund, period=parse_period("2026-W47"), by=cls.w.anna)

    def test_the_json_counts_only_public_reports_per_named_area(self):
        data = self.client.get("/oppen/2380/2026-W47.json").json()
        want = [
            {"name": "Centrum", "count": 6, "suppressed": False},
            {"name": "Lugnvik", "count": None, "suppressed": True},
        ]
        self.assertEqual(data["areas"], want)
        self.assertEqual(data["total"], {"count": None, "suppressed": True, "min": 7, "max": 10})
        self.assertEqual(data["period"]["key"], "2026-W47")
        self.assertEqual(set(data), {"municipality", "period", "total", "areas"})

    def test_the_html_is_a_table_of_areas_and_counts_with_a_json_twin(self):
        response = self.client.get("/oppen/2380/2026-W47/")
        self.assertContains(response, '<th scope="row">Centrum</th><td>6</td>', html=False)
        self.assertContains(response, '<th scope="row">Lugnvik</th><td><abbr', html=False)
        self.assertContains(response, "&lt;5</abbr></td>", html=False)
        self.assertContains(response, "<td>7–10</td>", html=False)
        self.assertContains(response, 'href="/oppen/2380/2026-W47.json"')
        self.assertContains(response, "Öppen lägesbild – Östersund, 2026-W47")
        for secret in ("Partner note", "Own note", "63.1", "14.6", "coordinates"):
            self.assertNotContains(response, secret)

    def test_a_logged_in_member_sees_the_same_public_version(self):
        anonymous = self.client.get("/oppen/2380/2026-W47.json").json()
        sign_in(self.client, self.w.anna)
        self.assertEqual(self.client.get("/oppen/2380/2026-W47.json").json(), anonymous)

    def test_filters_are_ignored_so_no_small_count_follows_by_subtraction(self):
        plain = self.client.get("/oppen/2380/2026-W47.json").json()
        filtered = self.client.get("/oppen/2380/2026-W47.json?category=graffiti").json()
        self.assertEqual(filtered, plain)

    def test_an_unpublished_period_is_404(self):
        for path in ("2026-W46/", "2026-W46.json", "2026-W99/", "nonsense.json"):
            self.assertEqual(self.client.get(f"/oppen/2380/{path}").status_code, 404, path)
        self.assertEqual(self.client.get("/oppen/2309/2026-W47/").status_code, 404)

    def test_the_index_lists_published_periods(self):
        response = self.client.get("/oppen/2380/")
        self.assertContains(response, 'href="/oppen/2380/2026-W47/"')
        self.assertContains(self.client.get("/oppen/2309/"), "Inget är publicerat ännu.")
        self.assertEqual(self.client.get("/oppen/9999/").status_code, 404)

    def test_unpublishing_takes_it_down(self):
        sign_in(self.client, self.w.anna)
        self.client.post("/lagesbild/2380/avpublicera", {"period": "2026-W47"})
        self.assertEqual(self.client.get("/oppen/2380/2026-W47/").status_code, 404)


# Boxes (lat, lon ranges) well inside each place of tests.world.
PLACES = {
    "Centrum": ((63.151, 63.165), (14.601, 14.615)),
    "Lugnvik": ((63.151, 63.199), (14.66, 14.699)),
    "": ((63.171, 63.179), (14.621, 14.629)),  # the park: no named area
}
CATEGORIES = ["graffiti", "noise", "broken_glass", "theft_other", "all_calm"]
INCIDENTS = set(CATEGORIES) - {"all_calm"}
PUBLISHABLE = ["2026-W47", "2026-W46+2", "2026-11", "2026-T3", "2026-11-10..2026-11-20"]
FIRST_DAY = at(2026, 46, 1, 0)

reports = st.lists(
    st.tuples(
        st.sampled_from(sorted(PLACES)),
        st.floats(0, 1),
        st.floats(0, 1),
        st.sampled_from(CATEGORIES),
        st.sampled_from(["organisation", "partnership", "public"]),
        st.integers(0, 20 * 24 - 1),  # hours after Monday of week 46
    ),
    max_size=24,
)
params = st.dictionaries(
    st.sampled_from(["category", "period", "from", "to", "lang"]),
    st.sampled_from(["graffiti", "disorder", "damage", "2026-W46", "2026-11-01", "x", "en"]),
)


def expected_counts(drawn, period_key: str) -> dict[str, int]:
    """Public incident reports per named area in the period, counted by hand."""
    period = parse_period(period_key)
    counts: dict[str, int] = {}
    for place, _, _, category, sharing, hours in drawn:
        day = (FIRST_DAY + timedelta(hours=hours)).astimezone(ZONE).date()
        counted = sharing == "public" and category in INCIDENTS and place
        if counted and period.start <= day < period.end:
            counts[place] = counts.get(place, 0) + 1
    return counts


def shown(count: int) -> int | str:
    return "<5" if 0 < count < 5 else count


class PublicPropertyTests(HypothesisTestCase):
    """Whatever the reports and the parameters, the public version leaks nothing small."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def submit_drawn(self, drawn) -> None:
        items = []
        for i, (place, u, v, category, sharing, hours) in enumerate(drawn):
            (lat0, lat1), (lon0, lon1) = PLACES[place]
            items.append(
                report_data(
                    category=category, sharing=sharing, description=f"Hemligt {i} text",
                    lat=round(lat0 + u * (lat1 - lat0), 6), lon=round(lon0 + v * (lon1 - lon0), 6),
                    occurred_at=FIRST_DAY + timedelta(hours=hours),
                )
            )  # fmt: skip
        if items:
            submit(self.w, items)

    def assert_no_small_number(self, value) -> None:
        if isinstance(value, int):
            self.assertFalse(0 < value < 5, value)
        else:
            self.assertRegex(value, r"^(<5|\d+–\d+)$")

    def assert_suppressed_shape(self, cell: dict) -> None:
        if cell["suppressed"]:
            self.assertIsNone(cell["count"])
        else:
            self.assertIsInstance(cell["count"], int)
            self.assert_no_small_number(cell["count"])

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(drawn=reports, key=st.sampled_from(PUBLISHABLE), query=params)
    def test_the_public_version_never_shows_a_small_count_a_point_or_free_text(
        self, drawn, key, query
    ):
        self.submit_drawn(drawn)
        publish_period(
            municipality=self.w.ostersund, period=parse_period(key), by=self.w.anna,
            today=date(2027, 1, 2),
        )  # fmt: skip
        suffix = f"?{urlencode(query)}" if query else ""
        response = self.client.get(f"/oppen/2380/{key}.json{suffix}")
        data = response.json()
        for cell in [*data["areas"], data["total"]]:
            self.assert_suppressed_shape(cell)
        names = [a["name"] for a in data["areas"]]
        self.assertEqual(names, sorted(names))
        want = expected_counts(drawn, key)
        got = {a["name"]: "<5" if a["suppressed"] else a["count"] for a in data["areas"]}
        self.assertEqual({name: n for name, n in got.items() if n},
                         {name: shown(n) for name, n in want.items()})  # fmt: skip
        html = self.client.get(f"/oppen/2380/{key}/{suffix}").content.decode()
        for text in (response.content.decode(), html):
            for leak in ("Hemligt", "63.1", "14.6", "coordinates", '"lat"', '"lon"'):
                self.assertNotIn(leak, text)
        for cell in CELL.findall(html):
            cell = re.sub(r"<[^>]+>", "", cell).replace("&lt;", "<")
            self.assert_no_small_number(int(cell) if cell.isdigit() else cell)
        other = "2026-W45" if key != "2026-W45" else "2026-W44"
        self.assertEqual(self.client.get(f"/oppen/2380/{other}.json").status_code, 404)


class PublishingRulesTests(TryggTestCase):
    """Publishing freezes the numbers and never lets two periods be subtracted."""

    def publish(self, key: str, today=date(2027, 1, 2)):
        return publish_period(
            municipality=self.w.ostersund, period=parse_period(key), by=self.w.anna, today=today
        )

    def test_the_published_numbers_do_not_change_when_reports_arrive_later(self):
        when = at(2026, 47, 6, 2)
        submit(self.w, [report_data(sharing="public", occurred_at=when) for _ in range(6)])
        self.publish("2026-W47")
        submit(self.w, [report_data(sharing="public", occurred_at=when)])
        data = self.client.get("/oppen/2380/2026-W47.json").json()
        self.assertEqual({a["name"]: a["count"] for a in data["areas"]}["Centrum"], 6)

    def test_an_overlapping_period_is_refused(self):
        self.publish("2026-W46+2")
        for key in ("2026-W47", "2026-11", "2026-11-20..2026-11-30"):
            with self.subTest(key=key), self.assertRaises(PublicationRefused):
                self.publish(key)
        self.publish("2026-W48")  # adjacent, not overlapping
        self.assertEqual(self.publish("2026-W46+2").period_key, "2026-W46+2")  # again: no change

    def test_a_period_that_has_not_ended_is_refused(self):
        with self.assertRaises(PublicationRefused):
            self.publish("2026-W47", today=date(2026, 11, 20))

    def test_the_page_says_why_a_publication_was_refused(self):
        self.publish("2026-W46+2")
        sign_in(self.client, self.w.anna)
        response = self.client.post(
            "/lagesbild/2380/publicera", {"period": "2026-W47", "digest": "x"}, follow=True
        )
        self.assertContains(response, "2026-W46+2")
        self.assertFalse(Publication.objects.filter(period_key="2026-W47").exists())
