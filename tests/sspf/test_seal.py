"""The security review's gaps: consent before notes, expiry at once, the sealed audit log."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.test import override_settings
from django.views.debug import SafeExceptionReporterFilter

from tests.sspf.test_purge import rows_containing
from tests.sspf.world import POLICE, SCHOOL, SOCIAL, SspfTestCase, days_ago, sspf_case
from tests.world import build_world, sign_in
from trygg.sspf import access, actions
from trygg.sspf.actions import Covered, SspfRefused
from trygg.sspf.models import (
    Case,
    CaseStatistic,
    Consent,
    Note,
    Outcome,
    PlanItem,
    SspfAuditEvent,
    SspfSettings,
)


def expire_yesterday(case: Case) -> None:
    """The consent ran out yesterday; the daily command has not run since."""
    Consent.objects.filter(case=case).update(given_on=days_ago(30), expires_on=days_ago(1))


class NoteNeedsConsentTests(SspfTestCase):
    def test_it_refuses_a_note_on_a_case_shell_without_consent(self):
        case = self.open_case()
        assert not access.may_write_note(self.w.sofia, case)
        with pytest.raises(Http404):
            actions.add_note(by=self.w.sofia, case=case, text="Träff bokad")
        assert Note.objects.count() == 0

    def test_the_note_page_refuses_it_too(self):
        case = self.open_case()
        sign_in(self.client, self.w.sofia)
        response = self.client.post(f"/sspf/{case.pk}/anteckningar/", {"text": "Träff bokad"})
        assert response.status_code == 404
        assert Note.objects.count() == 0

    def test_a_note_is_written_under_a_valid_consent(self):
        case = self.running_case()
        actions.add_note(by=self.w.lars, case=case, text="Träff bokad")
        assert Note.objects.count() == 1


class ExpiryTakesEffectAtOnceTests(SspfTestCase):
    def setUp(self):
        self.case = self.running_case()
        self.item = actions.add_plan_item(by=self.w.sofia, case=self.case, goal="Närvaro",
                                          action="Mentor", owner_kind=SCHOOL)  # fmt: skip
        expire_yesterday(self.case)

    def test_nobody_writes_a_note_after_the_consent_expired(self):
        for person in (self.w.sofia, self.w.lars):
            with pytest.raises(Http404):
                actions.add_note(by=person, case=self.case, text="Träff bokad")
        assert Note.objects.count() == 0

    def test_nobody_follows_the_plan_up_after_the_consent_expired(self):
        for person in (self.w.sofia, self.w.lars):
            with pytest.raises(Http404):
                actions.set_plan_status(by=person, item=self.item, status="done")
        assert PlanItem.objects.get().status == PlanItem.Status.PLANNED

    def test_the_coordinator_changes_nothing_more(self):
        with pytest.raises(SspfRefused):
            actions.add_plan_item(by=self.w.sofia, case=self.case, goal="Mål", action="Gör",
                                  owner_kind=SCHOOL)  # fmt: skip
        with pytest.raises(SspfRefused):
            actions.add_meeting(by=self.w.sofia, case=self.case, kind="network",
                                held_on=days_ago(0))  # fmt: skip

    def test_the_participant_no_longer_reads_it_and_the_coordinator_sees_it_closed(self):
        assert not access.readable_cases(self.w.lars).exists()
        sign_in(self.client, self.w.lars)
        assert self.client.get(f"/sspf/{self.case.pk}/").status_code == 404
        self.client.logout()
        sign_in(self.client, self.w.sofia)
        page = self.client.get(f"/sspf/{self.case.pk}/")
        assert page.status_code == 200 and not page.context["open_today"]
        assert page.context["note_form"] is None and page.context["plan_form"] is None
        response = self.client.post(f"/sspf/{self.case.pk}/anteckningar/", {"text": "x"})
        assert response.status_code == 404

    def test_the_coordinator_deletes_it_at_once_and_its_statistic_is_kept(self):
        sign_in(self.client, self.w.sofia)
        response = self.client.post(f"/sspf/{self.case.pk}/radera/")
        assert response.status_code == 302
        assert not Case.objects.filter(pk=self.case.pk).exists()
        assert CaseStatistic.objects.get().outcome == Outcome.CONSENT_EXPIRED


def raw_sql(sql: str) -> None:
    """Plain SQL on the connection, in its own savepoint so the refusal leaves the test usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


class AuditDeleteGuardTests(SspfTestCase):
    def setUp(self):
        self.case = self.running_case()

    def test_a_plain_sql_delete_of_the_audit_log_is_refused_by_the_database(self):
        before = SspfAuditEvent.objects.count()
        assert before > 0
        with pytest.raises(DatabaseError, match="append-only"):
            raw_sql("DELETE FROM sspf_sspfauditevent")
        with pytest.raises(DatabaseError, match="append-only"):
            raw_sql(f"DELETE FROM sspf_sspfauditevent WHERE case_id = {self.case.pk}")
        assert SspfAuditEvent.objects.count() == before

    def test_truncate_leaves_the_audit_log_whole(self):
        # PostgreSQL's trigger refuses it; SQLite has no TRUNCATE statement at all.
        before = SspfAuditEvent.objects.count()
        refusal = "append-only" if connection.vendor == "postgresql" else "syntax error"
        with pytest.raises(DatabaseError, match=refusal):
            raw_sql("TRUNCATE sspf_sspfauditevent")
        assert SspfAuditEvent.objects.count() == before

    def test_the_retention_purge_still_removes_the_expired_log(self):
        actions.withdraw_consent(by=self.w.sofia, case=self.case)
        actions.purge_due()
        months = SspfSettings.DEFAULT_AUDIT_MONTHS
        assert actions.purge_due(today=days_ago(-(months * 31 + 1)))["audit"] > 0
        assert not SspfAuditEvent.objects.filter(case_id=self.case.pk).exists()
        # The door closes behind the purge.
        with pytest.raises(DatabaseError, match="append-only"):
            raw_sql("DELETE FROM sspf_sspfauditevent")


OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


class ConsentTextIsEncryptedTests(SspfTestCase):
    def consent_with_text(self, case: Case) -> Consent:
        scope = [Covered(SCHOOL, "Anna Ek på Parkskolan", self.w.lars)]
        return self.consent(case, document_reference="Pärm hos Kerstin Blom 070-1234567",
                            scope=scope)  # fmt: skip

    def test_the_document_reference_and_organisation_name_are_stored_encrypted(self):
        case = self.open_case()
        self.consent_with_text(case)
        assert rows_containing("Kerstin", "Anna Ek", "070-1234567") == []
        sign_in(self.client, self.w.sofia)
        page = self.client.get(f"/sspf/{case.pk}/").content.decode()
        assert "Pärm hos Kerstin Blom [telefonnummer]" in page
        assert "Anna Ek på Parkskolan" in page

    @override_settings(SSPF_KEYS=[])
    def test_without_a_key_no_consent_is_kept(self):
        case = self.open_case()
        with pytest.raises(SspfRefused, match="nyckel"):
            self.consent(case)
        assert not Consent.objects.exists()

    def test_key_rotation_re_encrypts_them_too(self):
        with override_settings(SSPF_KEYS=[OLD]):
            case = self.open_case()
            self.consent_with_text(case)
        with override_settings(SSPF_KEYS=[NEW, OLD]):
            call_command("sspf_rotate_keys", stdout=io.StringIO())
        with override_settings(SSPF_KEYS=[NEW]):
            consent = access.consents_of(self.w.sofia, case)[0]
            assert consent.document.startswith("Pärm hos Kerstin Blom")
            assert consent.scope.all()[0].organisation == "Anna Ek på Parkskolan"

    def test_the_consent_page_warns_and_keeps_every_field_out_of_error_reports(self):
        case = self.open_case()
        sign_in(self.client, self.w.sofia)
        page = self.client.get(f"/sspf/{case.pk}/samtycke/").content.decode()
        assert page.count("skriv inga namn") + page.count("Skriv inga namn") >= 2
        response = self.client.post(f"/sspf/{case.pk}/samtycke/", {
            "document_reference": "Kerstin Blom", "organisation_1": "Anna Ek", "kind_1": "school",
        })  # fmt: skip
        posted = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
        assert posted["document_reference"] != "Kerstin Blom"
        assert posted["organisation_1"] != "Anna Ek"


class NewestConsentDecidesTests(SspfTestCase):
    def setUp(self):
        self.case = self.running_case()
        # The family narrows the consent: only social services from now on.
        self.consent(self.case, scope=[Covered(SOCIAL, "Socialtjänsten", self.w.maria)])

    def test_a_participant_the_newer_consent_leaves_out_loses_the_case_at_once(self):
        assert not access.readable_cases(self.w.lars).exists()
        assert access.readable_cases(self.w.maria).filter(pk=self.case.pk).exists()
        sign_in(self.client, self.w.lars)
        assert self.client.get(f"/sspf/{self.case.pk}/").status_code == 404
        with pytest.raises(Http404):
            actions.add_note(by=self.w.lars, case=self.case, text="Träff bokad")

    def test_the_coordinator_sees_who_is_no_longer_covered(self):
        sign_in(self.client, self.w.sofia)
        page = self.client.get(f"/sspf/{self.case.pk}/")
        covered = {p.user.username: p.in_scope for p in page.context["participants"]}
        assert covered == {"lars": False, "maria": True}
        assert "omfattas inte längre av samtycket" in page.content.decode()

    def test_only_the_newer_consent_lets_anyone_be_added(self):
        with pytest.raises(SspfRefused):
            actions.add_participant(by=self.w.sofia, case=self.case, user=self.w.per,
                                    organisation_kind=POLICE)  # fmt: skip


class UnreadableNameTests(SspfTestCase):
    def test_a_name_no_configured_key_opens_is_a_clear_message_not_a_500(self):
        with override_settings(SSPF_KEYS=[OLD]):
            case = self.running_case(name="Alva Åkesson")
        sign_in(self.client, self.w.sofia)
        with override_settings(SSPF_KEYS=[NEW]):
            response = self.client.get(f"/sspf/{case.pk}/namn/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Namnet kan inte läsas" in page and "Alva" not in page


def test_sqlite_connections_overwrite_deleted_rows(sqlite_url_cursor):
    sqlite_url_cursor.execute("PRAGMA secure_delete")
    assert sqlite_url_cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_the_purge_command_vacuums_the_sspf_tables_on_postgresql():
    case = sspf_case(build_world())
    actions.withdraw_consent(by=case.coordinator, case=case)
    out = io.StringIO()
    call_command("sspf_purge", "--commit", stdout=out)
    assert not Case.objects.exists()
    if connection.vendor != "postgresql":
        assert "vacuumed" not in out.getvalue()
        return
    # VACUUM refuses to run in a transaction: reaching this line means it ran outside one.
    assert "tables vacuumed" in out.getvalue()


class MenuLinkTests(SspfTestCase):
    def setUp(self):
        self.case = self.running_case()

    def menu_links_sspf(self, user) -> bool:
        self.client.logout()
        sign_in(self.client, user)
        return 'href="/sspf/"' in self.client.get("/profil/").content.decode()

    def test_coordinators_and_participants_of_a_readable_case_see_the_link(self):
        for user in (self.w.sofia, self.w.sven, self.w.lars, self.w.maria):
            assert self.menu_links_sspf(user), user.username

    def test_nobody_else_sees_it(self):
        # per is named in the consent but takes no part; ulla is named nowhere.
        for name in ("anna", "adam", "greta", "karl", "otto", "per", "ulla"):
            assert not self.menu_links_sspf(getattr(self.w, name)), name

    def test_a_participant_loses_the_link_with_the_case(self):
        expire_yesterday(self.case)
        assert not self.menu_links_sspf(self.w.lars)
        assert self.menu_links_sspf(self.w.sofia)

    def test_the_link_says_nothing_about_any_case(self):
        sign_in(self.client, self.w.lars)
        page = self.client.get("/profil/").content.decode()
        assert '<a href="/sspf/">SSPF</a>' in page
        assert self.case.pseudonym not in page
