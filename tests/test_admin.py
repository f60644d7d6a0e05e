"""The back office: what a superuser can and cannot do with tokens, categories and reports."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from tests.world import TryggTestCase, report_data, sign_in
from trygg.partners.actions import create_api_token
from trygg.partners.models import ApiToken
from trygg.reports.actions import submit_report
from trygg.reports.models import Category, Report


class AdminTests(TryggTestCase):
    def setUp(self) -> None:
        self.root = User.objects.create_superuser("root", password="secret-pass-123")
        sign_in(self.client, self.root)

    def test_a_token_page_shows_the_hint_but_neither_secret_nor_hash(self):
        token, secret = create_api_token(user=self.w.karl, name="Import")
        response = self.client.get(reverse("admin:partners_apitoken_change", args=[token.pk]))
        self.assertContains(response, token.hint)
        self.assertNotContains(response, secret)
        self.assertNotContains(response, token.key_hash)

    def test_tokens_cannot_be_added_in_the_admin(self):
        response = self.client.get(reverse("admin:partners_apitoken_add"))
        self.assertEqual(response.status_code, 403)

    def test_the_revoke_action_revokes_the_selected_tokens(self):
        token, _ = create_api_token(user=self.w.karl, name="Import")
        kept, _ = create_api_token(user=self.w.nils, name="Other")
        self.client.post(
            reverse("admin:partners_apitoken_changelist"),
            {"action": "revoke", "_selected_action": [token.pk]},
        )
        self.assertFalse(ApiToken.objects.get(pk=token.pk).is_active)
        self.assertTrue(ApiToken.objects.get(pk=kept.pk).is_active)

    def test_organisations_show_their_memberships_and_memberships_filter_by_role(self):
        org = self.w.orgs["kommun"]
        page = self.client.get(reverse("admin:partners_organisation_change", args=[org.pk]))
        self.assertContains(page, "memberships-TOTAL_FORMS")
        listing = self.client.get(reverse("admin:partners_membership_changelist") + "?role=admin")
        self.assertContains(listing, "adam")
        self.assertNotContains(listing, "karl")

    def test_a_category_code_is_read_only_once_created(self):
        graffiti = Category.objects.get(code="graffiti")
        change = self.client.get(reverse("admin:reports_category_change", args=[graffiti.pk]))
        self.assertNotContains(change, 'name="code"')
        self.assertContains(self.client.get(reverse("admin:reports_category_add")), 'name="code"')

    def test_category_names_colours_and_activity_are_editable_in_the_list(self):
        listing = self.client.get(reverse("admin:reports_category_changelist"))
        for field in ("name_sv", "name_en", "colour", "is_active"):
            self.assertContains(listing, f'name="form-0-{field}"')

    def test_reports_can_be_looked_at_but_not_written(self):
        report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )
        change_url = reverse("admin:reports_report_change", args=[report.pk])
        self.assertEqual(
            self.client.get(reverse("admin:reports_report_changelist")).status_code, 200
        )
        self.assertEqual(self.client.get(change_url).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:reports_report_add")).status_code, 403)
        self.client.post(change_url, {"status": "closed"})
        delete_url = reverse("admin:reports_report_delete", args=[report.pk])
        self.assertEqual(self.client.post(delete_url, {"post": "yes"}).status_code, 403)
        report.refresh_from_db()
        self.assertEqual(report.status, Report.Status.RECEIVED)
