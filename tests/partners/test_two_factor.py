"""Coordinators and administrators pass a second factor; a stolen password is not enough."""

import re

from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.world import TryggTestCase, authenticator_of, code_from


def totp_code(secret_hex: str) -> str:
    totp = TOTP(bytes.fromhex(secret_hex))
    return f"{totp.token():06d}"


class TwoFactorTests(TryggTestCase):
    def log_in(self, user):
        response = self.client.post(
            "/logga-in/", {"username": user.username, "password": "secret-pass-123"}
        )
        self.assertEqual(response.status_code, 302)
        return response

    def test_it_sends_a_coordinator_without_a_device_to_enrolment(self):
        self.log_in(self.w.anna)
        response = self.client.get("/rapporter/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/tvafaktor/aktivera/"))

    def test_it_lets_a_reporter_in_with_the_password_alone(self):
        self.log_in(self.w.karl)
        self.assertEqual(self.client.get("/rapporter/").status_code, 200)

    def test_it_asks_a_coordinator_with_a_device_for_the_code_before_any_page(self):
        authenticator_of(self.w.anna)
        self.log_in(self.w.anna)
        for path in ["/rapporter/", "/lagesbild/", "/profil/", "/admin/"]:
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(response["Location"].startswith("/tvafaktor/?next="), path)

    def test_it_asks_a_reporter_who_enrolled_from_the_profile_for_the_code(self):
        device = authenticator_of(self.w.karl)
        self.log_in(self.w.karl)
        for path in ["/rapporter/", "/profil/", "/rapportera/"]:
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(response["Location"].startswith("/tvafaktor/?next="), path)
        response = self.client.post("/tvafaktor/", {"code": code_from(device), "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/rapporter/").status_code, 200)

    @override_settings(TWO_FACTOR_REQUIRED=False)
    def test_an_enrolled_device_is_asked_for_even_where_roles_need_none(self):
        authenticator_of(self.w.karl)
        self.log_in(self.w.karl)
        self.assertTrue(self.client.get("/rapporter/")["Location"].startswith("/tvafaktor/"))

    def test_an_unconfirmed_enrolment_does_not_lock_a_reporter_out(self):
        self.log_in(self.w.karl)
        self.client.get("/tvafaktor/aktivera/")  # started, never confirmed
        self.assertEqual(self.client.get("/rapporter/").status_code, 200)

    def test_it_asks_the_administrator_too(self):
        authenticator_of(self.w.adam)
        self.log_in(self.w.adam)
        self.assertTrue(self.client.get("/admin/")["Location"].startswith("/tvafaktor/"))

    def test_it_lets_her_in_with_the_right_code_and_back_to_where_she_was_going(self):
        device = authenticator_of(self.w.anna)
        self.log_in(self.w.anna)
        response = self.client.post(
            "/tvafaktor/", {"code": code_from(device), "next": "/lagesbild/"}
        )
        self.assertRedirects(response, "/lagesbild/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/rapporter/").status_code, 200)

    def test_it_refuses_a_wrong_code_and_keeps_asking(self):
        device = authenticator_of(self.w.anna)
        self.log_in(self.w.anna)
        wrong = f"{(int(code_from(device)) + 1) % 1_000_000:06d}"
        response = self.client.post("/tvafaktor/", {"code": wrong})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Fel kod", status_code=400)
        self.assertEqual(self.client.get("/rapporter/").status_code, 302)

    def test_it_throttles_guessing(self):
        device = authenticator_of(self.w.anna)
        self.log_in(self.w.anna)
        self.client.post("/tvafaktor/", {"code": "000000"})
        # After a miss, even the right code waits out the throttle.
        response = self.client.post("/tvafaktor/", {"code": code_from(device)})
        self.assertEqual(response.status_code, 400)
        device.refresh_from_db()
        self.assertGreaterEqual(device.throttling_failure_count, 1)

    def test_it_never_redirects_to_another_site_after_the_code(self):
        device = authenticator_of(self.w.anna)
        self.log_in(self.w.anna)
        response = self.client.post(
            "/tvafaktor/", {"code": code_from(device), "next": "https://evil.example/"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_enrolment_shows_a_qr_code_and_confirms_with_a_code_then_gives_recovery_codes(self):
        self.log_in(self.w.anna)
        page = self.client.get("/tvafaktor/aktivera/")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.w.anna, confirmed=False)
        shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode())[1]
        self.assertEqual(len(shown.replace(" ", "")), 32)  # 160-bit key in base32
        response = self.client.post("/tvafaktor/aktivera/", {"code": totp_code(device.key)})
        self.assertEqual(response.status_code, 200)
        codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
        self.assertEqual(len(codes), 10)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get("/rapporter/").status_code, 200)

    def test_a_recovery_code_works_once(self):
        self.log_in(self.w.anna)
        self.client.get("/tvafaktor/aktivera/")
        device = TOTPDevice.objects.get(user=self.w.anna, confirmed=False)
        page = self.client.post("/tvafaktor/aktivera/", {"code": totp_code(device.key)})
        code = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())[0]
        for expected in (302, 400):
            self.client.logout()
            self.log_in(self.w.anna)
            response = self.client.post("/tvafaktor/", {"code": code.upper()})
            self.assertEqual(response.status_code, expected)
        self.assertEqual(StaticToken.objects.filter(device__user=self.w.anna).count(), 9)

    def test_a_password_alone_cannot_enrol_a_new_phone_over_an_existing_one(self):
        authenticator_of(self.w.anna)
        self.log_in(self.w.anna)
        response = self.client.get("/tvafaktor/aktivera/")
        self.assertTrue(response["Location"].startswith("/tvafaktor/"))
        self.assertFalse(TOTPDevice.objects.filter(user=self.w.anna, confirmed=False).exists())

    def test_a_verified_coordinator_renews_her_recovery_codes_from_the_profile(self):
        from tests.world import sign_in

        sign_in(self.client, self.w.anna)
        self.assertContains(self.client.get("/profil/"), "Nya reservkoder")
        first = self.client.post("/tvafaktor/reservkoder/").content.decode()
        second = self.client.post("/tvafaktor/reservkoder/").content.decode()
        old = re.findall(r"<li><code>([a-z2-7]+)</code></li>", first)
        new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", second)
        self.assertEqual((len(old), len(new)), (10, 10))
        stored = set(
            StaticToken.objects.filter(device__user=self.w.anna).values_list("token", flat=True)
        )
        self.assertEqual(stored, set(new))

    def test_the_api_with_a_token_needs_no_second_factor(self):
        from trygg.partners.actions import create_api_token

        _token, secret = create_api_token(user=self.w.anna, name="system")
        response = self.client.get(
            "/api/v1/categories", headers={"Authorization": f"Bearer {secret}"}
        )
        self.assertEqual(response.status_code, 200)

    @override_settings(TWO_FACTOR_REQUIRED=False)
    def test_it_can_be_turned_off_for_a_demo(self):
        self.log_in(self.w.anna)
        self.assertEqual(self.client.get("/rapporter/").status_code, 200)


class LockoutTests(TryggTestCase):
    def attempt(self, password):
        return self.client.post("/logga-in/", {"username": "karl", "password": password})

    def test_it_locks_a_username_after_five_failures_with_a_clear_message(self):
        for _ in range(4):
            self.assertEqual(self.attempt("wrong").status_code, 200)
        response = self.attempt("wrong")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "För många misslyckade inloggningar", status_code=429)
        # Locked even with the right password, until the cool-off has passed.
        self.assertEqual(self.attempt("secret-pass-123").status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_success_resets_the_count(self):
        for _ in range(4):
            self.attempt("wrong")
        self.assertEqual(self.attempt("secret-pass-123").status_code, 302)
        self.client.logout()
        for _ in range(4):
            self.assertEqual(self.attempt("wrong").status_code, 200)


class SessionTests(TryggTestCase):
    def test_a_login_lasts_eight_hours_and_then_ends(self):
        from datetime import timedelta

        from django.contrib.sessions.models import Session
        from django.utils import timezone

        self.client.post("/logga-in/", {"username": "karl", "password": "secret-pass-123"})
        self.assertEqual(self.client.session.get_expiry_age(), 8 * 3600)
        self.assertEqual(self.client.get("/rapporter/").status_code, 200)
        key = self.client.session.session_key
        Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
        response = self.client.get("/rapporter/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/logga-in/"))


class PasswordRuleTests(TryggTestCase):
    def test_it_refuses_short_common_and_numeric_passwords_and_asks_for_twelve_characters(self):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        for weak in ["kort", "password1234", "123456789012"]:
            with self.assertRaises(ValidationError, msg=weak):
                validate_password(weak, user=self.w.karl)
        validate_password("Ljus i trapphuset 2026!", user=self.w.karl)
