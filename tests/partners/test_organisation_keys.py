"""Organisation keys through HTTP: who makes and revokes them, shown once, audited."""

import re
from datetime import timedelta

from django.utils import timezone

from tests.world import TryggTestCase, sign_in
from trygg.partners.actions import authenticate_organisation_key, create_organisation_key
from trygg.partners.models import AuditEvent, OrganisationKey

PAGE = "/organisationsnycklar/"


class OrganisationKeyPageTests(TryggTestCase):
    def create(self, person, organisation, name="Felanmälan", valid_days="90"):
        sign_in(self.client, person)
        data = {"organisation": organisation.pk, "name": name, "valid_days": valid_days}
        return self.client.post(PAGE + "skapa/", data)

    def test_a_coordinator_makes_a_key_for_an_organisation_and_sees_it_once(self):
        bostad = self.w.orgs["bostad"]
        response = self.create(self.w.anna, bostad)
        self.assertEqual(response.status_code, 200, response.content)
        secret = re.search(r'<code id="new-key">([^<]+)</code>', response.content.decode())[1]
        key = OrganisationKey.objects.get()
        self.assertEqual(authenticate_organisation_key(secret), key)
        self.assertEqual(
            (key.organisation, key.created_by, key.name), (bostad, self.w.anna, "Felanmälan")
        )
        self.assertNotIn(secret, key.key_hash + key.hint)
        self.assertAlmostEqual(
            key.expires_at, timezone.now() + timedelta(days=90), delta=timedelta(minutes=1)
        )
        page = self.client.get(PAGE)
        self.assertContains(page, f"<code>{key.hint}…</code>")
        self.assertNotContains(page, secret)

    def test_an_organisations_administrator_makes_keys_for_it_only(self):
        self.assertEqual(self.create(self.w.adam, self.w.orgs["kommun"]).status_code, 200)
        self.assertEqual(self.create(self.w.adam, self.w.orgs["bostad"]).status_code, 400)
        self.assertEqual(OrganisationKey.objects.get().organisation, self.w.orgs["kommun"])

    def test_the_profile_links_to_the_page_for_those_who_manage_keys(self):
        sign_in(self.client, self.w.anna)
        self.assertContains(self.client.get("/profil/"), f'href="{PAGE}"')
        sign_in(self.client, self.w.karl)
        self.assertNotContains(self.client.get("/profil/"), f'href="{PAGE}"')

    def test_others_do_not_see_the_page_and_make_no_key(self):
        for person in (self.w.karl, self.w.sara, self.w.greta, self.w.otto):
            with self.subTest(person=person.username):
                sign_in(self.client, person)
                self.assertEqual(self.client.get(PAGE).status_code, 404)
                self.assertEqual(self.create(person, self.w.orgs["bostad"]).status_code, 404)
        self.assertEqual(self.create(self.w.erik, self.w.orgs["bostad"]).status_code, 400)
        self.assertFalse(OrganisationKey.objects.exists())

    def test_a_key_lives_30_to_365_days(self):
        self.assertEqual(
            self.create(self.w.anna, self.w.orgs["bostad"], valid_days="1000").status_code, 400
        )
        self.assertFalse(OrganisationKey.objects.exists())

    def test_a_coordinator_revokes_a_key_and_it_no_longer_authenticates(self):
        key, secret = create_organisation_key(
            organisation=self.w.orgs["bostad"], by=self.w.anna, name="App"
        )
        sign_in(self.client, self.w.erik)
        self.assertEqual(self.client.post(f"{PAGE}{key.pk}/aterkalla/").status_code, 404)
        sign_in(self.client, self.w.anna)
        self.assertRedirects(self.client.post(f"{PAGE}{key.pk}/aterkalla/"), PAGE)
        key.refresh_from_db()
        self.assertIsNotNone(key.revoked_at)
        self.assertIsNone(authenticate_organisation_key(secret))

    def test_making_and_revoking_a_key_is_in_the_municipalitys_audit_log(self):
        self.create(self.w.anna, self.w.orgs["bostad"])
        key = OrganisationKey.objects.get()
        self.client.post(f"{PAGE}{key.pk}/aterkalla/")
        events = AuditEvent.objects.filter(target=f"orgkey:{key.pk}").order_by("pk")
        self.assertEqual(
            [e.detail["change"] for e in events],
            ["organisation key created", "organisation key revoked"],
        )
        self.assertEqual({e.municipality_id for e in events}, {self.w.ostersund.pk})
        self.assertEqual({e.actor_name for e in events}, {"anna"})
        log = self.client.get("/logg/")
        self.assertContains(log, "Bostaden")
