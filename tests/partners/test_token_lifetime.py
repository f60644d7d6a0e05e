"""Every API token expires within 30 days to a year, however it is made."""

from datetime import timedelta
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.world import TryggTestCase, sign_in
from trygg.partners.actions import create_api_token
from trygg.partners.forms import ApiTokenForm
from trygg.partners.models import ApiToken


class TokenLifetimeTests(TryggTestCase):
    def test_the_command_refuses_a_token_that_never_expires(self):
        for days in ["0", "29", "366", "-1"]:
            with self.subTest(days=days), self.assertRaisesMessage(CommandError, "30 to 365"):
                call_command("token", "create", "karl", "--days", days, stdout=StringIO())
        self.assertFalse(ApiToken.objects.exists())

    def test_the_command_makes_a_token_for_a_month_and_by_default_for_a_year(self):
        call_command("token", "create", "karl", "--days", "30", stdout=StringIO())
        call_command("token", "create", "karl", stdout=StringIO())
        tokens = ApiToken.objects.filter(user=self.w.karl)
        lifetimes = sorted((t.expires_at - t.created_at).days + 1 for t in tokens)
        self.assertEqual(lifetimes, [30, 365])

    def test_the_action_refuses_lifetimes_outside_a_month_to_a_year(self):
        for days in [0, None, 29, 366, 100_000]:
            with self.subTest(days=days), self.assertRaises(ValidationError):
                create_api_token(user=self.w.karl, name="x", valid_days=days)
        self.assertFalse(ApiToken.objects.exists())

    def test_a_token_saved_without_the_action_must_expire_too(self):
        token = ApiToken(user=self.w.karl, name="shell")
        token.set_secret(ApiToken.new_secret())
        with self.assertRaises(ValidationError):
            token.save()
        token.expires_at = timezone.now() + timedelta(days=3650)
        with self.assertRaises(ValidationError):
            token.save()
        token.expires_at = timezone.now() + timedelta(days=90)
        token.save()

    def test_the_form_offers_a_month_to_a_year_and_refuses_anything_else(self):
        offered = [value for value, _label in ApiTokenForm().fields["valid_days"].choices]
        self.assertEqual((min(offered), max(offered)), (30, 365))
        for days in ["0", "366", ""]:
            form = ApiTokenForm({"name": "x", "valid_days": days})
            self.assertFalse(form.is_valid(), days)
            self.assertIn("valid_days", form.errors)

    def test_the_profile_refuses_a_token_for_ever(self):
        sign_in(self.client, self.w.karl)
        response = self.client.post("/profil/nycklar/", {"name": "x", "valid_days": "0"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ApiToken.objects.exists())
