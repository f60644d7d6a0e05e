"""Web hardening: Django's deployment check, security headers, and CSRF on every POST form."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client, SimpleTestCase

from tests.promises.helpers import build_promise
from tests.reports.test_pages import form_data
from tests.sspf.world import sspf_case
from tests.world import TryggTestCase, report_data, sign_in
from trygg.imports.actions import upload_file
from trygg.measures.actions import create_measure
from trygg.meetings.actions import add_item
from trygg.meetings.models import Meeting
from trygg.partners.actions import create_api_token, create_organisation_key
from trygg.promises.actions import create_initiative
from trygg.reports.actions import submit_report
from trygg.sspf.models import CoordinatorGrant

TRYGG = Path(sys.executable).with_name("trygg")
PACKAGE = Path(__file__).resolve().parent.parent / "trygg"
# Set by tests/pytest_env.py for the test server; production leaves them to settings.py.
TEST_ONLY = (
    "DEBUG",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "STATIC_MANIFEST",
)


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production server: no DEBUG, a strong key, one host."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env["SECRET_KEY"] = secrets.token_urlsafe(45)  # 60 characters, ~270 bits
    env["ALLOWED_HOSTS"] = "trygg.example.se"
    env.update(overrides)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [str(TRYGG), "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # a `trygg check --deploy` subprocess per test
class DeployCheckTests(SimpleTestCase):
    def test_it_passes_check_deploy_under_production_settings(self):
        env = production_env()
        self.assertEqual(len(env["SECRET_KEY"]), 60)
        result = check_deploy(env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNotRegex(result.stdout + result.stderr, r"security\.W\d+")

    def test_it_fails_check_deploy_when_cookies_are_not_secure(self):
        # The check above can fail: turning one protection off is reported.
        result = check_deploy(production_env(SECURE_COOKIES="false", SECURE_HSTS_SECONDS="0"))
        self.assertNotEqual(result.returncode, 0)
        for warning in ("security.W004", "security.W012", "security.W016"):
            self.assertIn(warning, result.stdout + result.stderr)


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


class SecurityHeaderTests(TryggTestCase):
    PAGES = ["/", "/rapporter/", "/rapportera/", "/profil/", "/lagesbild/2380/", "/oppen/2380/"]

    def assert_hardened(self, response):
        self.assertEqual(response.status_code, 200)
        csp = policy(response["Content-Security-Policy"])
        self.assertEqual(csp["script-src"], ["'self'"])
        self.assertEqual(csp["object-src"], ["'none'"])
        self.assertEqual(csp["frame-ancestors"], ["'none'"])
        self.assertEqual(csp["base-uri"], ["'self'"])
        self.assertNotIn("'unsafe-inline'", csp.get("default-src", []))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def assert_no_inline_script(self, html: str):
        """The CSP would block inline script, so none may be needed: only src= and JSON data."""
        for tag in re.findall(r"<script\b[^>]*>", html):
            self.assertTrue("src=" in tag or 'type="application/json"' in tag, tag)
        self.assertNotRegex(html, r"<[^>]+\son[a-z]+\s*=")
        self.assertNotIn("javascript:", html)

    def test_every_page_carries_the_security_headers_and_no_inline_script(self):
        sign_in(self.client, self.w.anna)
        for url in self.PAGES:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assert_hardened(response)
                self.assert_no_inline_script(response.content.decode())

    def test_the_login_page_carries_them_too(self):
        response = self.client.get("/logga-in/")
        self.assert_hardened(response)
        self.assert_no_inline_script(response.content.decode())


def post_forms_in_templates() -> set[tuple[str, str]]:
    """(template, action) of every <form method="post"> in Trygg's templates."""
    found = set()
    for template in PACKAGE.glob("**/templates/**/*.html"):
        name = str(template).split("/templates/", 1)[1]
        for tag in re.findall(r"<form\b[^>]*>", template.read_text(), flags=re.IGNORECASE):
            if re.search(r"method=\"post\"", tag, flags=re.IGNORECASE):
                action = re.search(r'action="([^"]*)"', tag)
                found.add((name, action.group(1) if action else ""))
    return found


class CsrfTests(TryggTestCase):
    """Every POST form refuses a request without the CSRF token (403), and takes one with it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.root = User.objects.create_superuser("root", password="secret-pass-123")
        cls.token, _secret = create_api_token(user=cls.w.karl, name="Import")
        cls.org_key, _secret = create_organisation_key(
            organisation=cls.w.orgs["bostad"], by=cls.w.anna, name="App"
        )
        cls.measure = create_measure(
            by=cls.w.anna,
            municipality=cls.w.ostersund,
            title="Belysning",
            kind="situational",
            responsible=cls.w.orgs["bostad"],
            status="decided",
            area=cls.w.centrum,
            starts_on=date(2026, 11, 2),
        )
        cls.report, _created = submit_report(
            organisation=cls.w.orgs["bostad"], by=cls.w.karl, data=report_data()
        )
        cls.meeting = Meeting.objects.create(
            municipality=cls.w.ostersund, held_on=date(2026, 12, 14), since=date(2026, 11, 30)
        )
        cls.item = add_item(meeting=cls.meeting, by=cls.w.anna, title="Julmarknaden")
        cls.case = sspf_case(cls.w)
        cls.sofia = cls.case.coordinator
        cls.grant = CoordinatorGrant.objects.get(user=cls.sofia)
        cls.import_run = upload_file(
            organisation=cls.w.orgs["bostad"], by=cls.w.karl, name="logg.csv",
            content=b"Kategori;Datum;Lat;Long\r\ngraffiti;2026-11-24 23:10;63,16;14,61\r\n",
        )  # fmt: skip
        cls.promise = build_promise(cls.w)
        cls.other_promise = build_promise(cls.w, start_year=2025, end_year=2026)  # to publish
        cls.initiative = create_initiative(
            by=cls.w.anna, municipality=cls.w.ostersund, name="Purple Flag",
            owner=cls.w.orgs["kommun"],
        )  # fmt: skip

    def forms(self):
        """(template, action) -> (who posts, URL, data)."""
        w = self.w
        m, i, c = self.meeting.pk, self.item.pk, self.case.pk
        r = self.import_run.pk
        return {
            ("registration/login.html", "{% url 'login' %}"): (
                None, "/logga-in/", {"username": "karl", "password": "wrong-password-1"}
            ),
            ("base.html", "{% url 'logout' %}"): (w.karl, "/logga-ut/", {}),
            ("base.html", "{% url 'set_language' %}"): (
                w.karl, "/i18n/setlang/", {"language": "en"}
            ),
            ("reports/new.html", ""): (w.karl, "/rapportera/", form_data()),
            ("reports/new.html", "{% url 'reports:all_calm' %}"): (
                w.karl, "/rapportera/lugnt/", {}
            ),
            ("partners/profile.html", "{% url 'partners:create_token' %}"): (
                w.karl, "/profil/nycklar/", {"name": "Ny", "valid_days": "30"}
            ),
            ("partners/profile.html", "{% url 'partners:revoke_token' token.pk %}"): (
                w.karl, f"/profil/nycklar/{self.token.pk}/aterkalla/", {}
            ),
            ("partners/organisation_keys.html", "{% url 'partners:create_organisation_key' %}"): (
                w.anna, "/organisationsnycklar/skapa/",
                {"organisation": w.orgs["bostad"].pk, "name": "App", "valid_days": "30"},
            ),
            ("partners/organisation_keys.html", "{% url 'partners:revoke_organisation_key' key.pk %}"): (  # noqa: E501
                w.anna, f"/organisationsnycklar/{self.org_key.pk}/aterkalla/", {}
            ),
            ("partners/profile.html", "{% url 'partners:new_recovery_codes' %}"): (
                w.anna, "/tvafaktor/reservkoder/", {}
            ),
            ("partners/two_factor.html", "{% url 'partners:two_factor' %}"): (
                w.anna, "/tvafaktor/", {"code": "000000"}
            ),
            ("partners/two_factor_enrol.html", "{% url 'partners:two_factor_enrol' %}"): (
                w.anna, "/tvafaktor/aktivera/", {"code": "000000"}
            ),
            ("situation/page.html", "{% url 'situation:assessment' municipality.code %}"): (
                w.anna, "/lagesbild/2380/bedomning/", {"period": "2026-W01", "text": "Lugnt."}
            ),
            ("situation/publish_preview.html", "{% url 'situation:publish' municipality.code %}"): (
                w.anna, "/lagesbild/2380/publicera", {"period": "2025-W01"}
            ),
            ("situation/unpublish_confirm.html", "{% url 'situation:unpublish' municipality.code %}"): (  # noqa: E501
                w.anna, "/lagesbild/2380/avpublicera", {"period": "2025-W01"}
            ),
            ("admin/geo/area/upload.html", ""): (self.root, "/admin/geo/area/upload/", {}),
            ("measures/detail.html", "{% url 'measures:status' measure.pk %}"): (
                w.anna, f"/atgarder/{self.measure.pk}/status/", {"to": "ongoing"}
            ),
            ("measures/detail.html", "{% url 'measures:light' measure.pk %}"): (
                w.karl, f"/atgarder/{self.measure.pk}/ljus/", {"light": "green"}
            ),
            ("measures/edit.html", "{% url 'measures:edit' measure.pk %}"): (
                w.karl, f"/atgarder/{self.measure.pk}/andra/", {"outcome": "Klart"}
            ),
            ("measures/new.html", "{% url 'measures:new' municipality.code %}"): (
                w.anna, "/atgarder/kommun/2380/ny/", {"title": "Ny", "kind": "other"}
            ),
            ("measures/effect.html", "{% url 'measures_effect:save' measure.pk %}"): (
                w.anna, f"/atgarder/{self.measure.pk}/utvardera/spara", {}
            ),
            ("measures/presence.html", "{% url 'measures_effect:presence_create' municipality.code %}"): (  # noqa: E501
                w.anna, "/atgarder/narvaro/2380/skapa", {}
            ),
            ("reports/detail.html", "{% url 'reports:status' report.pk %}"): (
                w.anna, f"/rapporter/{self.report.pk}/status/", {"to": "reviewed"}
            ),
            ("reports/detail.html", "{% url 'reports:comment' report.pk %}"): (
                w.anna, f"/rapporter/{self.report.pk}/kommentar/", {"text": "Tack."}
            ),
            ("reports/detail.html", "{% url 'reports:link_measure' report.pk %}"): (
                w.anna, f"/rapporter/{self.report.pk}/atgard/", {"measure": self.measure.pk}
            ),
            ("reports/correct.html", ""): (w.karl, f"/rapporter/{self.report.pk}/ratta/", {}),
            ("reports/digest.html", ""): (w.karl, "/rapporter/veckobrev/", {}),
            ("meetings/index.html", "{% url 'meetings:plan' block.municipality.code %}"): (
                w.anna, "/moten/2380/planera/", {}
            ),
            ("meetings/meeting.html", "{% url 'meetings:add_item' meeting.pk %}"): (
                w.anna, f"/moten/{m}/punkter/", {"title": "Övrigt"}
            ),
            ("meetings/meeting.html", "{% url 'meetings:notes' meeting.pk row.line.item.pk %}"): (
                w.anna, f"/moten/{m}/punkt/{i}/anteckningar/", {"notes": "Noterat."}
            ),
            ("meetings/meeting.html", "{% url 'meetings:decide' meeting.pk row.line.item.pk %}"): (
                w.anna, f"/moten/{m}/punkt/{i}/beslut/", {}
            ),
            ("meetings/meeting.html", "{% url 'meetings:attendance' meeting.pk %}"): (
                w.anna, f"/moten/{m}/narvaro/", {}
            ),
            ("meetings/meeting.html", "{% url 'meetings:redraft' meeting.pk %}"): (
                w.anna, f"/moten/{m}/uppdatera/", {}
            ),
            ("meetings/close_confirm.html", "{% url 'meetings:close' meeting.pk %}"): (
                w.anna, f"/moten/{m}/avsluta/", {}
            ),
            ("sspf/new.html", "{% url 'sspf:new' municipality.code %}"): (
                self.sofia, "/sspf/kommun/2380/nytt/", {"age_band": "12-14", "concern": "school"}
            ),
            ("sspf/consent.html", "{% url 'sspf:consent' case.pk %}"): (
                self.sofia, f"/sspf/{c}/samtycke/", {}
            ),
            ("sspf/case.html", "{% url 'sspf:participant' case.pk %}"): (
                self.sofia, f"/sspf/{c}/deltagare/", {}
            ),
            ("sspf/case.html", "{% url 'sspf:meeting' case.pk %}"): (
                self.sofia, f"/sspf/{c}/moten/", {"kind": "network"}
            ),
            ("sspf/case.html", "{% url 'sspf:plan' case.pk %}"): (
                self.sofia, f"/sspf/{c}/plan/", {"goal": "Närvaro"}
            ),
            ("sspf/case.html", "{% url 'sspf:plan_status' case.pk item.pk %}"): (
                self.sofia, f"/sspf/{c}/plan/{self.case.plan.get().pk}/status/", {"status": "x"}
            ),
            ("sspf/case.html", "{% url 'sspf:note' case.pk %}"): (
                self.sofia, f"/sspf/{c}/anteckningar/", {"text": ""}
            ),
            ("sspf/close.html", "{% url 'sspf:close' case.pk %}"): (
                self.sofia, f"/sspf/{c}/avsluta/", {}
            ),
            ("sspf/withdraw.html", "{% url 'sspf:withdraw' case.pk %}"): (
                self.sofia, f"/sspf/{c}/aterkalla/", {}
            ),
            ("sspf/purge.html", "{% url 'sspf:purge' case.pk %}"): (
                self.sofia, f"/sspf/{c}/radera/", {}
            ),
            ("sspf/coordinators.html", "{% url 'sspf:coordinators' municipality.code %}"): (
                w.adam, "/sspf/kommun/2380/samordnare/", {"username": "nobody"}
            ),
            ("sspf/coordinators.html", "{% url 'sspf:retention' municipality.code %}"): (
                w.adam, "/sspf/kommun/2380/gallring/", {"purge_after_months": "6"}
            ),
            ("sspf/coordinators.html", "{% url 'sspf:revoke' municipality.code grant.pk %}"): (
                w.adam, f"/sspf/kommun/2380/samordnare/{self.grant.pk}/aterkalla/", {}
            ),
            ("imports/index.html", ""): (w.karl, "/importera/", {}),
            ("imports/columns.html", ""): (w.karl, f"/importera/{r}/kolumner/", {}),
            ("imports/categories.html", ""): (w.karl, f"/importera/{r}/kategorier/", {}),
            ("imports/preview.html", "{% url 'imports:commit' run.pk %}"): (
                w.karl, f"/importera/{r}/importera/", {}
            ),
            **self.promise_forms(),
        }  # fmt: skip

    def promise_forms(self):
        w, p = self.w, self.promise
        pk, ini, other = p.promise.pk, self.initiative.pk, self.other_promise.promise.pk
        detail = "promises/detail.html"
        return {
            ("promises/new.html", "{% url 'promises:new' municipality.code %}"): (
                w.anna, "/loften/kommun/2380/nytt/", {"title": "Nytt"}
            ),
            ("promises/edit.html", "{% url 'promises:edit' promise.pk %}"): (
                w.anna, f"/loften/{pk}/andra/", {"title": "Ändrat"}
            ),
            (detail, "{% url 'promises:publish' promise.pk %}"): (
                w.anna, f"/loften/{other}/publicera/", {}
            ),
            (detail, "{% url 'promises:archive' promise.pk %}"): (
                w.anna, f"/loften/{other}/arkivera/", {}
            ),
            (detail, "{% url 'promises:add_focus_area' promise.pk %}"): (
                w.anna, f"/loften/{pk}/fokusomraden/", {"title": "Narkotika"}
            ),
            (detail, "{% url 'promises:add_commitment' promise.pk %}"): (
                w.anna, f"/loften/{pk}/ataganden/", {"owner": "police", "text": "Mer"}
            ),
            (detail, "{% url 'promises:add_activity' promise.pk %}"): (
                w.anna, f"/loften/{pk}/aktiviteter/", {}
            ),
            (detail, "{% url 'promises:activity_status' promise.pk a.pk %}"): (
                w.anna, f"/loften/{pk}/aktiviteter/{p.activity.pk}/status/", {"status": "done"}
            ),
            (detail, "{% url 'promises:add_signatory' promise.pk %}"): (
                w.anna, f"/loften/{pk}/undertecknare/", {"name": "Eva", "role": "Chef"}
            ),
            ("promises/_remove.html", "{% url 'promises:remove' promise.pk part part_id %}"): (
                w.anna, f"/loften/{pk}/ta-bort/undertecknare/0/", {}
            ),
            ("promises/edit_part.html", "{% url 'promises:edit_part' promise.pk part part_id %}"): (
                w.anna, f"/loften/{pk}/andra/aktivitet/{p.activity.pk}/", {}
            ),
            ("promises/indicator_new.html", "{% url 'promises:add_indicator' promise.pk %}"): (
                w.anna, f"/loften/{pk}/indikatorer/ny/", {}
            ),
            ("promises/indicator.html", "{% url 'promises:indicator' promise.pk indicator.pk %}"): (
                w.anna, f"/loften/{pk}/indikatorer/{p.survey.pk}/", {"value": "61"}
            ),
            ("promises/follow_up_new.html", "{% url 'promises:follow_up' promise.pk %}"): (
                w.anna, f"/loften/{pk}/uppfoljning/ny/", {}
            ),
            ("promises/initiative_new.html", "{% url 'promises:initiative_new' municipality.code %}"): (  # noqa: E501
                w.anna, "/loften/kommun/2380/insatser/ny/", {}
            ),
            ("promises/initiative_edit.html", "{% url 'promises:initiative_edit' initiative.pk %}"): (  # noqa: E501
                w.anna, f"/loften/insatser/{ini}/andra/", {}
            ),
            ("promises/initiative.html", "{% url 'promises:initiative_figures' initiative.pk %}"): (
                w.anna, f"/loften/insatser/{ini}/siffror/", {"year": "2024", "sessions": "3"}
            ),
            ("promises/initiative.html", "{% url 'promises:initiative_delete' initiative.pk %}"): (
                w.anna, f"/loften/insatser/{ini}/ta-bort/", {}
            ),
        }  # fmt: skip

    def post(self, user, url, data, *, with_token: bool):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            sign_in(client, user)
        client.get("/logga-in/" if user is None else "/")  # sets the CSRF cookie
        if with_token:
            data = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
        return client.post(url, data)

    def test_it_knows_every_post_form_in_the_templates(self):
        # A new form fails here until it is added to forms() and so tested below.
        self.assertEqual(post_forms_in_templates(), set(self.forms()))

    def test_a_post_without_the_token_is_refused_on_every_form(self):
        for (template, _action), (user, url, data) in self.forms().items():
            with self.subTest(template=template, url=url):
                response = self.post(user, url, data, with_token=False)
                self.assertEqual(response.status_code, 403)
                self.assertIn(b"CSRF", response.content)

    def test_the_same_post_with_the_token_is_let_through(self):
        for (template, _action), (user, url, data) in self.forms().items():
            with self.subTest(template=template, url=url):
                response = self.post(user, url, data, with_token=True)
                self.assertNotEqual(response.status_code, 403, response.content[:300])

    def test_posts_without_a_template_form_are_refused_too(self):
        # The admin's own forms (an action on tokens).
        cases = [
            (self.root, "/admin/partners/apitoken/", {"action": "revoke"}),
        ]
        for user, url, data in cases:
            with self.subTest(url=url):
                response = self.post(user, url, data, with_token=False)
                self.assertEqual(response.status_code, 403)
                self.assertIn(b"CSRF", response.content)
