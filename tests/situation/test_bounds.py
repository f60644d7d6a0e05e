"""Periods outside the years the picture can compare are refused, never a server error.

Every rendering of the lägesbild (page, JSON, maps, charts, PDF, exports) and the
situation API answer the same out-of-range keys with 400 (pages) or 422 (API).
"""

from __future__ import annotations

import pytest

from tests.world import TryggTestCase, sign_in
from trygg.partners.actions import create_api_token

OUT_OF_RANGE = [
    "period=0001-01",
    "period=9999-W52",
    "period=9999",
    "period=1999-T3",
    "period=0001-01-01..0001-01-02",
    "from=9999-12-31&to=9999-12-31",
    "from=0001-01-01&to=0001-01-02",
]
# Every kind of lägesbild URL, relative to /lagesbild/<code>/.
RENDERINGS = [
    "",
    "data.json",
    "karta/omraden.geojson",
    "karta/hotspots.geojson",
    "karta/densitet.geojson",
    "diagram/trend.svg",
    "diagram/timeofweek.svg",
    "diagram/karta.svg",
    "pdf",
    "export.csv",
    "export.xlsx",
    "export/omraden.geojson",
    "export/hotspots.geojson",
    "export/punkter.geojson",
]


class OutOfRangeTests(TryggTestCase):
    def setUp(self):
        sign_in(self.client, self.w.anna)

    def test_every_rendering_refuses_an_out_of_range_period_with_400(self):
        for rendering in RENDERINGS:
            for query in OUT_OF_RANGE:
                with self.subTest(rendering=rendering, query=query):
                    path = f"/lagesbild/{self.w.ostersund.code}/{rendering}?{query}"
                    response = self.client.get(path)
                    self.assertEqual(response.status_code, 400, path)

    @pytest.mark.slow  # every rendering, PDF included, of the earliest periods
    def test_every_rendering_draws_the_first_periods_allowed(self):
        # Their baselines and last year lie before 2000: the shifts must still be dates.
        for query in ("period=2000-W01", "period=2000-W01%2B2", "from=2000-01-01&to=2002-12-31"):
            for rendering in RENDERINGS:
                with self.subTest(rendering=rendering, query=query):
                    path = f"/lagesbild/{self.w.ostersund.code}/{rendering}?{query}"
                    self.assertEqual(self.client.get(path).status_code, 200, path)
            profile = self.client.get(f"/lagesbild/omrade/{self.w.centrum.pk}/?{query}")
            self.assertEqual(profile.status_code, 200, query)

    def test_the_area_profile_refuses_an_out_of_range_period_with_400(self):
        for query in OUT_OF_RANGE:
            with self.subTest(query=query):
                response = self.client.get(f"/lagesbild/omrade/{self.w.centrum.pk}/?{query}")
                self.assertEqual(response.status_code, 400)

    def test_the_page_says_which_years_may_be_chosen_in_swedish(self):
        response = self.client.get(f"/lagesbild/{self.w.ostersund.code}/?period=0001-01")
        self.assertContains(response, "Välj en period mellan 2000 och 2100", status_code=400)

    def test_the_api_refuses_an_out_of_range_period_with_422_naming_the_field(self):
        token = create_api_token(user=self.w.anna, name="t")[1]
        for query in OUT_OF_RANGE:
            with self.subTest(query=query):
                response = self.client.get(
                    f"/api/v1/situation?{query}", HTTP_AUTHORIZATION=f"Bearer {token}"
                )
                self.assertEqual(response.status_code, 422, response.content)
                [error] = response.json()["detail"]
                self.assertEqual((error["index"], error["field"]), (0, "period"))
                self.assertTrue(error["message"])


@pytest.mark.parametrize("key", ["0001-01", "9999-W52", "9999", "2101-T1", "1999-12"])
def test_it_refuses_years_outside_the_bounds(key):
    from trygg.situation.periods import PeriodError, parse_period

    with pytest.raises(PeriodError):
        parse_period(key)
