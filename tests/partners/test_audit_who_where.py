"""The audit log's who and where: renames, actor ids, look-alike names, the proxy's header."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.world import TryggTestCase, report_data, sign_in
from trygg import env
from trygg.partners.models import AuditEvent, Membership
from trygg.partners.usernames import check_username
from trygg.reports.actions import submit_report

PROXY = "10.0.0.1"
CLIENT = "203.0.113.7"


class ClientAddressTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report, _ = submit_report(
            organisation=cls.w.orgs["bostad"], by=cls.w.karl, data=report_data()
        )

    def address_of_a_read(self, remote: str, forwarded: str | None) -> str:
        sign_in(self.client, self.w.anna)
        headers = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        self.assertEqual(
            self.client.get(f"/rapporter/{self.report.pk}/", **headers).status_code, 200
        )
        return AuditEvent.objects.filter(action="read_details").latest("id").address

    def test_without_trusted_proxies_it_records_the_connecting_address(self):
        self.assertEqual(self.address_of_a_read(PROXY, CLIENT), PROXY)

    @override_settings(TRUSTED_PROXIES=[PROXY])
    def test_behind_a_trusted_proxy_it_records_the_client_the_proxy_saw(self):
        self.assertEqual(self.address_of_a_read(PROXY, CLIENT), CLIENT)

    @override_settings(TRUSTED_PROXIES=[PROXY])
    def test_an_address_the_client_wrote_itself_is_not_believed(self):
        # The client sent "X-Forwarded-For: 198.51.100.9"; the proxy appended what it saw.
        self.assertEqual(self.address_of_a_read(PROXY, f"198.51.100.9, {CLIENT}"), CLIENT)

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_it_walks_past_every_trusted_hop_from_the_right(self):
        self.assertEqual(self.address_of_a_read(PROXY, f"{CLIENT}, 10.0.0.7"), CLIENT)

    @override_settings(TRUSTED_PROXIES=[PROXY])
    def test_a_header_from_an_untrusted_address_is_ignored(self):
        self.assertEqual(self.address_of_a_read("192.0.2.50", CLIENT), "192.0.2.50")

    @override_settings(TRUSTED_PROXIES=[PROXY])
    def test_a_garbled_header_falls_back_to_the_proxy(self):
        self.assertEqual(self.address_of_a_read(PROXY, "not-an-address"), PROXY)
        self.assertEqual(self.address_of_a_read(PROXY, None), PROXY)

    @override_settings(TRUSTED_PROXIES=[PROXY])
    def test_the_login_lockout_records_the_same_client_address(self):
        self.client.post(
            "/logga-in/",
            {"username": "karl", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.9, {CLIENT}",
        )
        self.assertEqual(AccessAttempt.objects.get(username="karl").ip_address, CLIENT)


def test_trusted_proxies_are_checked_when_read(monkeypatch):
    monkeypatch.setattr(env, "READ", set())  # a test variable is no setting to document
    monkeypatch.setenv("TRYGG_TEST_PROXIES", "127.0.0.1, 10.0.0.0/8,fd00::/8")
    assert env.networks("TRYGG_TEST_PROXIES") == ["127.0.0.1/32", "10.0.0.0/8", "fd00::/8"]
    monkeypatch.setenv("TRYGG_TEST_PROXIES", "10.0.0.1,proxy.example")
    with pytest.raises(env.ConfigError, match=r"proxy\.example"):
        env.networks("TRYGG_TEST_PROXIES")


class RenameTests(TryggTestCase):
    def setUp(self):
        self.root = User.objects.create_superuser("root", password="secret-pass-123")
        sign_in(self.client, self.root)

    def change_form(self, user, **changes):
        membership = Membership.objects.get(user=user)
        data = {
            "username": user.username,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-user": user.pk,
            "memberships-0-organisation": membership.organisation_id,
            "memberships-0-role": membership.role,
        }
        data.update(changes)
        return self.client.post(f"/admin/auth/user/{user.pk}/change/", data)

    def test_a_rename_in_the_admin_is_audited_with_old_and_new_name_and_who(self):
        response = self.change_form(self.w.karl, username="karl.berg")
        self.assertEqual(response.status_code, 302)
        [event] = AuditEvent.objects.filter(detail__change="username")
        self.assertEqual(event.actor_id, self.root.pk)
        self.assertEqual(event.target, f"user:{self.w.karl.pk}")
        self.assertEqual(event.municipality_id, self.w.ostersund.pk)
        self.assertEqual(
            (event.detail["old_username"], event.detail["username"]), ("karl", "karl.berg")
        )

    def test_a_rename_outside_a_request_is_audited_as_the_system(self):
        self.w.nils.username = "nils.o"
        self.w.nils.save()
        [event] = AuditEvent.objects.filter(detail__change="username")
        self.assertEqual((event.actor_id, event.actor_name), (None, "system"))
        self.assertEqual(event.detail["old_username"], "nils")

    def test_a_rename_to_a_look_alike_is_refused_in_the_admin(self):
        response = self.change_form(self.w.karl, username="аnna")  # Cyrillic а
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "blanda alfabet")
        response = self.change_form(self.w.karl, username="Anna")
        self.assertContains(response, "liknar det befintliga")
        self.w.karl.refresh_from_db()
        self.assertEqual(self.w.karl.username, "karl")
        self.assertFalse(AuditEvent.objects.filter(detail__change="username").exists())

    def add(self, username):
        return self.client.post(
            "/admin/auth/user/add/",
            {
                "username": username,
                "usable_password": "false",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        )

    def test_the_admin_refuses_to_add_a_look_alike_user(self):
        User.objects.create_user("lars")
        for name in ["kar1", "Iars", "0tto", "rnaria"]:
            User.objects.create_user("maria") if name == "rnaria" else None
            self.assertContains(self.add(name), "liknar det befintliga", msg_prefix=name)
            self.assertFalse(User.objects.filter(username=name).exists(), name)
        for name in ["аnna", "petrа"]:  # a Cyrillic а in Latin
            self.assertContains(self.add(name), "blanda alfabet", msg_prefix=name)
        self.assertEqual(self.add("annika").status_code, 302)


class LookAlikeTests(TryggTestCase):
    def test_every_other_path_refuses_a_look_alike_too(self):
        for name in ["ANNA", "аnna", "ＫＡＲＬ", "0tto", "petrа"]:
            with self.subTest(name=name), self.assertRaises(ValidationError):
                User.objects.create_user(name, password="secret-pass-123")

    def test_names_that_read_differently_are_taken(self):
        for name in ["anna2", "karin", "Åsa", "Иван"]:
            User.objects.create_user(name)
        check_username("anna", user_pk=self.w.anna.pk)  # her own name is no rival


class ActorIdTests(TryggTestCase):
    def test_the_log_shows_each_actors_stable_id_beside_the_name(self):
        report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )
        sign_in(self.client, self.w.petra)
        self.client.get(f"/rapporter/{report.pk}/")
        sign_in(self.client, self.w.anna)
        page = self.client.get("/logg/")
        self.assertContains(page, f"användar-id {self.w.petra.pk}")
