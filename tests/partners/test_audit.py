"""The audit log: reads of others' free text, exports and permission changes; nobody edits it."""

from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction

from tests.world import TryggTestCase, report_data, sign_in
from trygg.partners.actions import create_api_token, revoke_api_token
from trygg.partners.models import AuditEvent, Membership, Role
from trygg.reports.actions import submit_report

SECRET = "Klotter vid porten, ring 070-123 45 67"


class AuditTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report, _ = submit_report(
            organisation=cls.w.orgs["bostad"],
            by=cls.w.karl,
            data=report_data(description=SECRET),
        )

    def reads(self):
        return AuditEvent.objects.filter(action=AuditEvent.Action.READ_DETAILS)

    def test_it_logs_a_coordinator_reading_another_organisations_report(self):
        sign_in(self.client, self.w.anna)
        self.assertEqual(self.client.get(f"/rapporter/{self.report.pk}/").status_code, 200)
        [event] = self.reads()
        self.assertEqual(event.actor_name, "anna")
        self.assertEqual(event.detail["reports"], [str(self.report.pk)])
        self.assertEqual(event.municipality_id, self.w.ostersund.pk)
        self.assertEqual(event.address, "127.0.0.1")
        self.assertEqual(event.path, f"/rapporter/{self.report.pk}/")

    def test_it_logs_the_list_the_map_and_the_api_too(self):
        sign_in(self.client, self.w.anna)
        self.client.get("/rapporter/")
        self.client.get("/rapporter/karta.geojson")
        secret = create_api_token(user=self.w.anna, name="t")[1]
        headers = {"Authorization": f"Bearer {secret}"}
        self.client.get("/api/v1/reports", headers=headers)
        self.client.get(f"/api/v1/reports/{self.report.pk}", headers=headers)
        paths = sorted(e.path for e in self.reads())
        self.assertEqual(
            paths,
            sorted(
                [
                    "/rapporter/",
                    "/rapporter/karta.geojson",
                    "/api/v1/reports",
                    f"/api/v1/reports/{self.report.pk}",
                ]
            ),
        )
        self.assertTrue(all(e.actor_name == "anna" for e in self.reads()))

    def test_it_does_not_log_the_own_organisation_or_reads_without_free_text(self):
        sign_in(self.client, self.w.karl)
        self.client.get(f"/rapporter/{self.report.pk}/")
        sign_in(self.client, self.w.sara)  # partner: sees it without free text
        self.assertEqual(self.client.get(f"/rapporter/{self.report.pk}/").status_code, 200)
        self.assertFalse(self.reads().exists())

    def test_it_logs_every_export(self):
        sign_in(self.client, self.w.anna)
        for path in [
            "/lagesbild/2380/export.csv?period=2026-W47",
            "/lagesbild/2380/export/punkter.geojson?period=2026-W47",
        ]:
            self.assertEqual(self.client.get(path).status_code, 200, path)
        exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
        self.assertEqual(
            sorted(e.target for e in exports),
            ["/lagesbild/2380/export.csv", "/lagesbild/2380/export/punkter.geojson"],
        )
        self.assertTrue(all(e.detail["query"] == "period=2026-W47" for e in exports))

    def test_it_logs_permission_changes_with_who_made_them(self):
        self.w.adam.is_staff = True
        self.w.adam.save()
        self.w.adam.user_permissions.set(Permission.objects.filter(codename="change_membership"))
        sign_in(self.client, self.w.adam)
        membership = Membership.objects.get(user=self.w.karl)
        response = self.client.post(
            f"/admin/partners/membership/{membership.pk}/change/",
            {"user": self.w.karl.pk, "organisation": membership.organisation_id, "role": "partner"},
        )
        self.assertEqual(response.status_code, 302)
        [event] = AuditEvent.objects.filter(action="permission", actor_name="adam")
        self.assertEqual(event.detail["old_role"], Role.REPORTER)
        self.assertEqual(event.detail["role"], Role.PARTNER)
        self.assertEqual(event.target, f"membership:{membership.pk}")

    def test_it_logs_flags_memberships_and_tokens_changed_outside_a_request(self):
        setup = set(AuditEvent.objects.values_list("pk", flat=True))  # the world's memberships
        self.w.kim.is_staff = True
        self.w.kim.save()
        Membership.objects.filter(user=self.w.nils).get().delete()
        token, _secret = create_api_token(user=self.w.karl, name="system")
        revoke_api_token(token)
        new = AuditEvent.objects.exclude(pk__in=setup)
        changes = [e.detail["change"] for e in new.filter(action="permission")]
        self.assertEqual(
            sorted(changes),
            ["API token created", "API token revoked", "flags", "membership removed"],
        )
        self.assertTrue(all(e.actor_name == "system" for e in new))

    def test_no_event_holds_free_text(self):
        sign_in(self.client, self.w.anna)
        self.client.get(f"/rapporter/{self.report.pk}/")
        self.client.get("/rapporter/")
        for event in AuditEvent.objects.all():
            self.assertNotIn("Klotter", str(event.detail))
            self.assertNotIn("[telefonnummer]", str(event.detail))

    def test_nobody_can_edit_or_remove_an_entry(self):
        sign_in(self.client, self.w.anna)
        self.client.get(f"/rapporter/{self.report.pk}/")
        event = self.reads().get()
        event.actor_name = "someone else"
        with self.assertRaises(PermissionError):
            event.save()
        with self.assertRaises(PermissionError):
            event.delete()
        with self.assertRaises(PermissionError):
            AuditEvent.objects.all().update(actor_name="x")
        with self.assertRaises(PermissionError):
            AuditEvent.objects.all().delete()
        # Not even SQL past the application: the database's trigger refuses.
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute("UPDATE partners_auditevent SET actor_name = 'x'")
        self.assertEqual(self.reads().get().actor_name, "anna")

    def test_the_admin_shows_it_read_only(self):
        sign_in(self.client, self.w.anna)
        self.client.get(f"/rapporter/{self.report.pk}/")
        event = self.reads().get()
        root = type(self.w.anna).objects.create_superuser("root", password="secret-pass-123")
        sign_in(self.client, root)
        self.assertEqual(self.client.get("/admin/partners/auditevent/").status_code, 200)
        self.assertEqual(
            self.client.post(f"/admin/partners/auditevent/{event.pk}/delete/").status_code, 403
        )


class AuditPageTests(TryggTestCase):
    def test_a_coordinator_reads_the_log_of_her_municipality_only(self):
        report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )
        sign_in(self.client, self.w.petra)
        self.client.get(f"/rapporter/{report.pk}/")
        sign_in(self.client, self.w.anna)
        page = self.client.get("/logg/")
        self.assertContains(page, "petra")
        self.assertContains(page, "1 rapport")
        sign_in(self.client, self.w.erik)  # coordinator of Krokom
        self.assertNotContains(self.client.get("/logg/"), "petra")

    def test_others_get_a_404(self):
        for user in [self.w.karl, self.w.sara, self.w.greta, self.w.otto]:
            sign_in(self.client, user)
            self.assertEqual(self.client.get("/logg/").status_code, 404, user.username)
