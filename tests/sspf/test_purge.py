"""The purge really deletes: after it, no table of the database holds anything of the case."""

import io
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from tests.sspf.world import SCHOOL, SspfTestCase
from trygg.sspf import access, actions
from trygg.sspf.actions import SspfRefused, _months_ago
from trygg.sspf.models import (
    Case,
    CaseStatistic,
    Meeting,
    Outcome,
    SspfAuditEvent,
    SspfSettings,
)

KEY = Fernet.generate_key().decode()
NAME = "Ebba Zetterqvist"
SCHOOL_UNIT = "Storsjöskolan 8B"
NOTE = "Mentorn Qwerty ringer hem"
GOAL = "Närvaro Xyzzy"


def rows_containing(*needles: str) -> list[tuple[str, str]]:
    """(table, needle) for every needle found in any column of any row of any table."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(_text(value) for value in row)
                found.update((table, n) for n in needles if n in text)
    return sorted(found)


def _text(value: object) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def later(days: int):
    return timezone.localdate() + timedelta(days=days)


@override_settings(SSPF_KEYS=[KEY])
class PurgeCompletenessTests(SspfTestCase):
    def full_case(self) -> Case:
        case = self.running_case(name=NAME, school_unit=SCHOOL_UNIT)
        lars = case.participants.get(user=self.w.lars)
        actions.add_meeting(by=self.w.sofia, case=case, kind=Meeting.Kind.NETWORK,
                            held_on=timezone.localdate(), attendees=[lars])  # fmt: skip
        actions.add_plan_item(by=self.w.sofia, case=case, goal=GOAL, action="Veckomöte",
                              owner_kind=SCHOOL)  # fmt: skip
        actions.add_note(by=self.w.lars, case=case, text=NOTE)
        for read in (access.get_case, access.name_of, access.plan_of):
            read(self.w.lars, case if read is not access.get_case else case.pk)
        return Case.objects.get(pk=case.pk)

    def needles(self, case: Case) -> tuple[str, ...]:
        # The document reference is kept encrypted: its ciphertext is the trace to look for.
        document = case.consents.get().document_reference
        return (case.pseudonym, NAME, case.name_token, SCHOOL_UNIT, NOTE, GOAL, document)

    def test_the_scan_finds_a_live_case_everywhere_it_is_kept(self):
        case = self.full_case()
        tables = {table for table, _ in rows_containing(*self.needles(case))}
        assert {"sspf_case", "sspf_note", "sspf_planitem", "sspf_consent"} <= tables

    def test_after_withdrawal_and_the_purge_no_trace_remains_in_any_table(self):
        case = self.full_case()
        needles = self.needles(case)
        actions.withdraw_consent(by=self.w.sofia, case=case)
        result = actions.purge_due()
        assert result["purged"] == 1
        assert rows_containing(*needles) == []
        for model in (Case, Meeting):
            assert model.objects.count() == 0
        statistic = CaseStatistic.objects.get()
        assert statistic.outcome == Outcome.CONSENT_WITHDRAWN

    def test_the_access_log_of_the_case_stays_for_the_legal_period_then_goes(self):
        case = self.full_case()
        actions.withdraw_consent(by=self.w.sofia, case=case)
        actions.purge_due()
        assert SspfAuditEvent.objects.filter(case_id=case.pk).exists()
        months = SspfSettings.DEFAULT_AUDIT_MONTHS
        almost = later(months * 31 - 40)
        assert actions.purge_due(today=almost)["audit"] == 0
        assert actions.purge_due(today=later(months * 31 + 1))["audit"] > 0
        assert not SspfAuditEvent.objects.filter(case_id=case.pk).exists()

    def test_the_coordinator_purges_a_withdrawn_case_at_once(self):
        case = self.full_case()
        needles = self.needles(case)
        actions.withdraw_consent(by=self.w.sofia, case=case)
        actions.purge_case(by=self.w.sofia, case=access.get_case_to_purge(self.w.sofia, case.pk))
        assert rows_containing(*needles) == []


class PurgeTimingTests(SspfTestCase):
    def closed_case(self) -> Case:
        case = self.running_case()
        return actions.close_case(by=self.w.sofia, case=case, outcome=Outcome.PLAN_COMPLETED)

    def test_a_closed_case_is_deleted_after_its_municipalitys_months(self):
        SspfSettings.objects.create(municipality=self.w.ostersund, purge_after_months=3)
        case = self.closed_case()
        today = timezone.localdate()
        day_before = _months_ago(today, -3) - timedelta(days=1)
        assert actions.purge_due(today=day_before)["purged"] == 0
        assert actions.purge_due(today=_months_ago(today, -3))["purged"] == 1
        assert not Case.objects.filter(pk=case.pk).exists()

    def test_without_a_setting_the_default_months_apply(self):
        self.closed_case()
        months = SspfSettings.DEFAULT_PURGE_AFTER_MONTHS
        today = timezone.localdate()
        assert actions.purge_due(today=_months_ago(today, 1 - months))["purged"] == 0
        assert actions.purge_due(today=_months_ago(today, -months))["purged"] == 1

    def test_an_expired_consent_closes_and_deletes_the_case_on_the_next_run(self):
        case = self.running_case()
        after = case.consents.get().expires_on + timedelta(days=1)
        assert actions.purge_due(today=after) == {"closed": 1, "purged": 1, "audit": 0}

    def test_a_shell_without_consent_is_deleted_when_it_closes(self):
        self.open_case()
        day = later(actions.SHELL_DAYS)
        assert actions.purge_due(today=day) == {"closed": 1, "purged": 1, "audit": 0}
        assert CaseStatistic.objects.get().outcome == Outcome.NO_CONSENT

    def test_an_open_case_is_never_purged(self):
        case = self.running_case()
        assert actions.purge_due(today=later(30))["purged"] == 0
        with pytest.raises(SspfRefused):
            actions.purge_case(by=self.w.sofia, case=case)

    def test_nobody_but_the_coordinator_purges(self):
        case = self.closed_case()
        with pytest.raises(Http404):
            access.get_case_to_purge(self.w.sven, case.pk)
        with pytest.raises(Http404):
            actions.purge_case(by=self.w.lars, case=case)
        assert Case.objects.filter(pk=case.pk).exists()

    def test_the_command_counts_without_commit_and_deletes_with_it(self):
        case = self.running_case()
        actions.withdraw_consent(by=self.w.sofia, case=case)
        out = io.StringIO()
        call_command("sspf_purge", stdout=out)
        assert "1 SSPF cases would be deleted" in out.getvalue()
        assert Case.objects.filter(pk=case.pk).exists()
        call_command("sspf_purge", "--commit", stdout=out)
        assert not Case.objects.filter(pk=case.pk).exists()
