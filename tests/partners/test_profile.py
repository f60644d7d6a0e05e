"""The profile page through HTTP: memberships and personal API tokens."""

import re
from datetime import timedelta

from django.utils import timezone

from tests.world import TryggTestCase, sign_in
from trygg.partners.actions import authenticate_token, create_api_token
from trygg.partners.models import ApiToken


class ProfileTests(TryggTestCase):
    def setUp(self):
        sign_in(self.client, self.w.karl)

    def test_it_asks_anonymous_people_to_log_in(self):
        self.client.logout()
        self.assertRedirects(self.client.get("/profil/"), "/logga-in/?next=/profil/")

    def test_it_lists_karls_memberships(self):
        response = self.client.get("/profil/")
        self.assertContains(response, "Bostaden (Östersund): Rapportör")

    def test_it_creates_a_token_and_shows_the_secret_once(self):
        response = self.client.post(
            "/profil/nycklar/", {"name": "Fastighetssystem", "valid_days": "90"}
        )
        self.assertEqual(response.status_code, 200)
        secret = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode())[1]
        token = ApiToken.objects.get(user=self.w.karl)
        self.assertEqual(authenticate_token(secret), token)
        self.assertEqual(token.name, "Fastighetssystem")
        self.assertAlmostEqual(
            token.expires_at, timezone.now() + timedelta(days=90), delta=timedelta(minutes=1)
        )
        self.assertNotContains(self.client.get("/profil/"), secret)

    def test_it_lists_name_hint_and_dates(self):
        token, secret = create_api_token(user=self.w.karl, name="Mobil")
        response = self.client.get("/profil/")
        self.assertContains(response, "Mobil")
        self.assertContains(response, f"<code>{token.hint}…</code>")
        self.assertNotContains(response, secret)
        self.assertContains(response, "aldrig")  # never used

    def test_it_does_not_list_other_peoples_tokens(self):
        create_api_token(user=self.w.anna, name="Annas export")
        self.assertNotContains(self.client.get("/profil/"), "Annas export")

    def test_it_refuses_a_token_without_a_name(self):
        response = self.client.post("/profil/nycklar/", {"name": "", "valid_days": "90"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ApiToken.objects.exists())

    def test_it_refuses_an_unoffered_validity(self):
        response = self.client.post("/profil/nycklar/", {"name": "x", "valid_days": "100000"})
        self.assertEqual(response.status_code, 400)

    def test_it_revokes_a_token(self):
        token, secret = create_api_token(user=self.w.karl, name="Mobil")
        response = self.client.post(f"/profil/nycklar/{token.pk}/aterkalla/", follow=True)
        self.assertContains(response, "Nyckeln ”Mobil” är återkallad.")
        self.assertContains(response, "Återkallad")
        self.assertIsNone(authenticate_token(secret))

    def test_it_will_not_revoke_someone_elses_token(self):
        token, secret = create_api_token(user=self.w.anna, name="Annas")
        response = self.client.post(f"/profil/nycklar/{token.pk}/aterkalla/")
        self.assertEqual(response.status_code, 404)
        self.assertIsNotNone(authenticate_token(secret))

    def test_revoking_needs_a_post(self):
        token, _ = create_api_token(user=self.w.karl, name="Mobil")
        self.assertEqual(self.client.get(f"/profil/nycklar/{token.pk}/aterkalla/").status_code, 405)
