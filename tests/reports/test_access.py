"""Who sees what: every role × every read path of reports, as one table.

FULL: the report with its free text; SHARED: the report without free text,
address or reporter; HIDDEN: not listed, and 404 on its own URL.
"""

from __future__ import annotations

from tests.world import TryggTestCase, report_data, sign_in
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_report

FULL, SHARED, HIDDEN = "full", "shared", "hidden"

# report key: (organisation, reporter, sharing)
REPORTS = {
    "bostad": ("bostad", "karl", "partnership"),
    "bostad_private": ("bostad", "karl", "organisation"),
    "natt": ("natt", "nils", "partnership"),
}

EXPECTED = {
    #          bostad   bostad_private  natt
    "anna": (FULL, FULL, FULL),  # municipal coordinator
    "petra": (FULL, FULL, FULL),  # police coordinator
    "karl": (FULL, FULL, HIDDEN),  # caretaker: own organisation only
    "kim": (HIDDEN, HIDDEN, HIDDEN),  # caretaker at another company
    "nils": (HIDDEN, HIDDEN, FULL),  # night walker: own organisation only
    "sara": (SHARED, HIDDEN, SHARED),  # partner: shared ones without free text
    "greta": (SHARED, HIDDEN, SHARED),  # steering group
    "adam": (SHARED, HIDDEN, SHARED),  # administrator
    "erik": (HIDDEN, HIDDEN, HIDDEN),  # coordinator of another municipality
    "otto": (HIDDEN, HIDDEN, HIDDEN),  # no membership
}

READ_PATHS = ("page_list", "page_detail", "map_data", "api_list", "api_detail")


class WhoSeesWhatTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reports = {}
        for key, (org, person, sharing) in REPORTS.items():
            report, _ = submit_report(
                organisation=cls.w.orgs[org],
                by=getattr(cls.w, person),
                data=report_data(description=f"secret-{key}-text", sharing=sharing),
            )
            cls.reports[key] = report

    def seen(self, username: str, path: str, key: str) -> str:
        """What `username` gets of report `key` through `path`: FULL, SHARED or HIDDEN."""
        user = getattr(self.w, username)
        report = self.reports[key]
        marker = f"secret-{key}-text"
        if path.startswith("api"):
            token = create_api_token(user=user, name="t")[1]
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            url = "/api/v1/reports" if path == "api_list" else f"/api/v1/reports/{report.pk}"
            response = self.client.get(url, **headers)
        else:
            sign_in(self.client, user)
            url = {
                "page_list": "/rapporter/",
                "page_detail": f"/rapporter/{report.pk}/",
                "map_data": "/rapporter/karta.geojson",
            }[path]
            response = self.client.get(url)
            self.client.logout()
        if response.status_code == 404:
            return HIDDEN
        self.assertEqual(response.status_code, 200, f"{username} {path}")
        body = response.content.decode()
        if str(report.pk) not in body:
            return HIDDEN
        return FULL if marker in body else SHARED

    def test_every_role_sees_exactly_what_the_table_says_on_every_read_path(self):
        for username, expected in EXPECTED.items():
            for path in READ_PATHS:
                for key, want in zip(REPORTS, expected, strict=True):
                    with self.subTest(user=username, path=path, report=key):
                        self.assertEqual(self.seen(username, path, key), want)


class VisibleReportsQueryTests(TryggTestCase):
    def test_a_coordinators_rule_is_one_municipality_filter_that_the_time_index_can_walk(self):
        from trygg.reports.access import visible_reports

        sql = str(visible_reports(self.w.anna).query)
        self.assertNotIn(" OR ", sql)
        self.assertIn("municipality_id", sql)

    def test_a_partners_rule_keeps_its_own_organisation_and_the_shared_reports(self):
        from trygg.reports.access import visible_reports

        sql = str(visible_reports(self.w.sara).query)
        self.assertIn(" OR ", sql)
        self.assertIn("sharing", sql)
