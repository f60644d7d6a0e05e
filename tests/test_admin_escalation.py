"""The back office as the demo's administrator (staff, not superuser) who tries to climb.

adam holds the administrator role in the municipality's own organisation and the
demo's model permissions (trygg.demo.people.grant_admin). Everything goes through
the admin's real HTTP views, second factor passed, and the database is checked after.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from tests.world import TryggTestCase, report_data, sign_in
from trygg.demo.people import grant_admin
from trygg.partners.models import AuditEvent, Membership, Role
from trygg.reports.actions import submit_report

SECRET = "Bakdörren står öppen hos Bostaden"


def user_form(user: User, **overrides: Any) -> dict[str, Any]:
    """The fields the admin's user change page posts, memberships left as they are."""
    memberships = list(Membership.objects.filter(user=user).order_by("pk"))
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, m in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": m.pk,
            f"memberships-{i}-user": user.pk,
            f"memberships-{i}-organisation": m.organisation_id,
            f"memberships-{i}-role": m.role,
        }
    return data | overrides


def organisation_form(org: Any, memberships: list[Membership], **overrides: Any) -> dict[str, Any]:
    """The fields the admin's organisation page posts, with its memberships inline."""
    data: dict[str, Any] = {
        "name": org.name,
        "kind": org.kind,
        "municipality": org.municipality_id,
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, m in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": m.pk,
            f"memberships-{i}-organisation": org.pk,
            f"memberships-{i}-user": m.user_id,
            f"memberships-{i}-role": m.role,
        }
    return data | overrides


class AdministratorEscalationTests(TryggTestCase):
    def setUp(self) -> None:
        grant_admin(self.w.adam)
        sign_in(self.client, self.w.adam)
        self.newcomer = User.objects.create_user("nyanstalld", password="secret-pass-123")

    def change_user(self, user: User, **overrides: Any):
        url = reverse("admin:auth_user_change", args=[user.pk])
        return self.client.post(url, user_form(user, **overrides))

    def add_membership(self, user: User, org: str, role: str):
        data = {"user": user.pk, "organisation": self.w.orgs[org].pk, "role": role}
        return self.client.post(reverse("admin:partners_membership_add"), data)

    def test_he_may_still_create_an_account(self):
        data = {
            "username": "ny-rapportor",
            "usable_password": "true",
            "password1": "a-long-pass-7890",
            "password2": "a-long-pass-7890",
            "is_superuser": "on",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        }
        response = self.client.post(reverse("admin:auth_user_add"), data)
        self.assertEqual(response.status_code, 302)
        created = User.objects.get(username="ny-rapportor")
        self.assertFalse(created.is_superuser or created.is_staff)

    def test_it_refuses_him_ticking_superuser_on_himself(self):
        response = self.change_user(self.w.adam, is_superuser="on")
        self.assertEqual(response.status_code, 403)
        self.w.adam.refresh_from_db()
        self.assertFalse(self.w.adam.is_superuser)

    def test_the_superuser_flags_are_read_only_and_a_posted_value_is_ignored(self):
        url = reverse("admin:auth_user_change", args=[self.newcomer.pk])
        self.assertNotContains(self.client.get(url), 'name="is_superuser"')
        everything = Permission.objects.values_list("pk", flat=True)
        group = Group.objects.create(name="Alla rättigheter")
        group.permissions.set(everything)
        response = self.change_user(
            self.newcomer,
            first_name="Nina",
            is_superuser="on",
            is_staff="on",
            groups=[group.pk],
            user_permissions=list(everything),
        )
        self.assertEqual(response.status_code, 302)  # saved: the rest of the form was fine
        self.newcomer.refresh_from_db()
        self.assertEqual(self.newcomer.first_name, "Nina")
        self.assertFalse(self.newcomer.is_superuser or self.newcomer.is_staff)
        self.assertFalse(self.newcomer.groups.exists())
        self.assertFalse(self.newcomer.user_permissions.exists())

    def test_it_refuses_him_adding_himself_a_coordinator_membership_elsewhere(self):
        response = self.add_membership(self.w.adam, "polis", Role.COORDINATOR)
        self.assertEqual(response.status_code, 200)  # the form again, with the refusal
        self.assertFalse(Membership.objects.filter(user=self.w.adam, role=Role.COORDINATOR))

    def test_it_refuses_him_any_membership_of_his_own(self):
        self.add_membership(self.w.adam, "bostad", Role.REPORTER)
        self.assertEqual(Membership.objects.filter(user=self.w.adam).count(), 1)

    def test_it_refuses_him_changing_his_own_membership(self):
        own = Membership.objects.get(user=self.w.adam)
        url = reverse("admin:partners_membership_change", args=[own.pk])
        data = {"user": self.w.adam.pk, "organisation": own.organisation_id, "role": "coordinator"}
        self.assertEqual(self.client.post(url, data).status_code, 403)
        own.refresh_from_db()
        self.assertEqual(own.role, Role.ADMIN)

    def test_he_may_grant_a_role_up_to_his_own_but_not_coordinator(self):
        self.add_membership(self.newcomer, "kommun", Role.COORDINATOR)
        self.assertFalse(Membership.objects.filter(user=self.newcomer).exists())
        response = self.add_membership(self.newcomer, "bostad", Role.REPORTER)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Membership.objects.filter(user=self.newcomer, role=Role.REPORTER))

    def test_it_refuses_him_granting_in_a_municipality_he_does_not_administer(self):
        self.add_membership(self.newcomer, "elsewhere", Role.REPORTER)
        self.assertFalse(Membership.objects.filter(user=self.newcomer).exists())

    def test_it_refuses_a_coordinator_membership_added_on_the_organisation_page(self):
        org = self.w.orgs["vakt"]
        data = organisation_form(org, list(Membership.objects.filter(organisation=org)))
        data |= {
            "memberships-TOTAL_FORMS": 2,
            "memberships-1-organisation": org.pk,
            "memberships-1-user": self.w.adam.pk,
            "memberships-1-role": Role.COORDINATOR,
        }
        url = reverse("admin:partners_organisation_change", args=[org.pk])
        self.assertEqual(self.client.post(url, data).status_code, 200)
        self.assertFalse(Membership.objects.filter(user=self.w.adam, organisation=org))

    def test_he_may_rename_an_organisation_whose_members_he_may_not_manage(self):
        org = self.w.orgs["kommun"]
        memberships = list(Membership.objects.filter(organisation=org).order_by("pk"))
        data = organisation_form(org, memberships, name="Östersunds kommun (Trygg)")
        url = reverse("admin:partners_organisation_change", args=[org.pk])
        self.assertEqual(self.client.post(url, data).status_code, 302)
        org.refresh_from_db()
        self.assertEqual(org.name, "Östersunds kommun (Trygg)")

    def test_on_a_persons_page_he_may_add_a_reporter_membership_but_not_a_coordinator_one(self):
        coordinator = {
            "memberships-TOTAL_FORMS": 1,
            "memberships-0-organisation": self.w.orgs["natt"].pk,
            "memberships-0-role": Role.COORDINATOR,
        }
        self.assertEqual(self.change_user(self.newcomer, **coordinator).status_code, 200)
        self.assertFalse(Membership.objects.filter(user=self.newcomer).exists())
        reporter = coordinator | {"memberships-0-role": Role.REPORTER}
        self.assertEqual(self.change_user(self.newcomer, **reporter).status_code, 302)
        self.assertTrue(Membership.objects.filter(user=self.newcomer, role=Role.REPORTER))

    def test_it_refuses_him_taking_over_a_coordinators_account(self):
        url = reverse("admin:auth_user_password_change", args=[self.w.anna.pk])
        data = {"password1": "a-new-pass-4567", "password2": "a-new-pass-4567"}
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.assertEqual(self.change_user(self.w.anna, is_active="").status_code, 403)
        self.w.anna.refresh_from_db()
        self.assertTrue(self.w.anna.check_password("secret-pass-123"))
        self.assertTrue(self.w.anna.is_active)

    def test_it_refuses_him_removing_a_coordinators_membership(self):
        membership = Membership.objects.get(user=self.w.anna)
        url = reverse("admin:partners_membership_delete", args=[membership.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(Membership.objects.filter(pk=membership.pk).exists())

    def test_a_superuser_still_grants_the_coordinator_role(self):
        root = User.objects.create_superuser("root", password="secret-pass-123")
        sign_in(self.client, root)
        self.add_membership(self.newcomer, "kommun", Role.COORDINATOR)
        self.assertTrue(Membership.objects.filter(user=self.newcomer, role=Role.COORDINATOR))


class AdminReportPageTests(TryggTestCase):
    """The admin's report pages show free text as the site does, and audit what they reveal."""

    def setUp(self) -> None:
        self.report, _ = submit_report(
            organisation=self.w.orgs["bostad"],
            by=self.w.karl,
            data=report_data(description=SECRET, address="Storgatan 1"),
        )
        self.private, _ = submit_report(
            organisation=self.w.orgs["natt"],
            by=self.w.nils,
            data=report_data(description="Bara vår egen", sharing="organisation"),
        )

    def look_as(self, user: User, *, staff_admin: bool = True):
        if staff_admin:
            grant_admin(user)
        user.user_permissions.add(Permission.objects.get(codename="view_report"))
        sign_in(self.client, user)
        return self.client.get(reverse("admin:reports_report_change", args=[self.report.pk]))

    def reads(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(action=AuditEvent.Action.READ_DETAILS))

    def test_an_administrator_sees_a_shared_report_without_its_free_text(self):
        page = self.look_as(self.w.adam)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, SECRET)
        self.assertNotContains(page, "Storgatan 1")
        self.assertNotContains(page, "karl")
        self.assertEqual(self.reads(), [])

    def test_the_list_holds_only_reports_the_administrator_may_see(self):
        self.look_as(self.w.adam)
        listing = self.client.get(reverse("admin:reports_report_changelist"))
        self.assertContains(listing, str(self.report.pk))
        self.assertNotContains(listing, str(self.private.pk))
        self.assertNotContains(listing, SECRET)
        url = reverse("admin:reports_report_change", args=[self.private.pk])
        self.assertNotContains(self.client.get(url, follow=True), "Bara vår egen")

    def test_a_coordinator_in_the_admin_sees_the_free_text_and_it_is_audited(self):
        page = self.look_as(self.w.anna)
        self.assertContains(page, SECRET)
        [event] = self.reads()
        self.assertEqual(event.actor_id, self.w.anna.pk)
        self.assertEqual(event.detail["reports"], [str(self.report.pk)])
        self.assertEqual(event.path, reverse("admin:reports_report_change", args=[self.report.pk]))

    def test_a_superuser_reading_free_text_in_the_admin_is_audited(self):
        root = User.objects.create_superuser("root", password="secret-pass-123")
        page = self.look_as(root, staff_admin=False)
        self.assertContains(page, SECRET)
        self.assertEqual(len(self.reads()), 1)
