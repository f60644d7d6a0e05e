"""Every read and write of a case leaves an access-log entry, with numbers and words, never text."""

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from django.utils import timezone

from tests.sspf.world import SCHOOL, SspfTestCase
from trygg.sspf import access, actions, stats
from trygg.sspf.models import Meeting, SspfAuditEvent

KEY = Fernet.generate_key().decode()
A = SspfAuditEvent.Action
T = SspfAuditEvent.Target


def last_event():
    return SspfAuditEvent.objects.order_by("-pk").first()


READS = {
    "case": (lambda u, c: access.get_case(u, c.pk), T.CASE),
    "list": (lambda u, c: access.list_cases(u), T.CASE),
    "consent": (access.consents_of, T.CONSENT),
    "participants": (access.participants_of, T.PARTICIPANT),
    "meetings": (access.meetings_of, T.MEETING),
    "plan": (access.plan_of, T.PLAN),
    "notes": (access.notes_of, T.NOTE),
    "name": (access.name_of, T.NAME),
}
# The coordinator's own ways in: to change the case, and to delete it once closed.
COORDINATOR_READS = {
    "manage": lambda u, c: access.get_case_to_manage(u, c.pk),
    "history": access.access_history,
}


@override_settings(SSPF_KEYS=[KEY])
class ReadAuditTests(SspfTestCase):
    def setUp(self):
        self.case = self.running_case(name="Alva Andersson")

    def test_every_read_path_writes_an_event_naming_reader_case_and_what(self):
        for name, (read, target) in READS.items():
            for reader in (self.w.sofia, self.w.lars):
                before = SspfAuditEvent.objects.count()
                read(reader, self.case)
                event = last_event()
                assert SspfAuditEvent.objects.count() == before + 1, name
                assert (event.action, event.target, event.case_id, event.actor_id) == (
                    A.READ,
                    target,
                    self.case.pk,
                    reader.pk,
                ), name

    def test_the_coordinators_own_reads_are_logged_too(self):
        for name, read in COORDINATOR_READS.items():
            before = SspfAuditEvent.objects.count()
            read(self.w.sofia, self.case)
            assert SspfAuditEvent.objects.count() == before + 1, name
            assert last_event().action == A.READ
        actions.close_case(by=self.w.sofia, case=self.case, outcome="plan_completed")
        before = SspfAuditEvent.objects.count()
        access.get_case_to_purge(self.w.sofia, self.case.pk)
        assert SspfAuditEvent.objects.count() == before + 1

    def test_the_access_history_read_is_itself_logged(self):
        access.get_case(self.w.lars, self.case.pk)
        history = access.access_history(self.w.sofia, self.case, person_id=self.w.lars.pk)
        assert {e.actor_id for e in history} == {self.w.lars.pk}
        event = last_event()
        assert (event.target, event.target_id) == (T.ACCESS_LOG, self.w.lars.pk)

    def test_the_coordinator_sees_what_each_participant_read(self):
        access.plan_of(self.w.lars, self.case)
        access.name_of(self.w.maria, self.case)
        lars = access.access_history(self.w.sofia, self.case, person_id=self.w.lars.pk)
        assert [(e.action, e.target) for e in lars] == [(A.READ, T.PLAN)]

    def test_a_participant_may_not_read_the_access_history(self):
        from django.http import Http404

        with pytest.raises(Http404):
            access.access_history(self.w.lars, self.case)

    def test_a_statistics_read_is_logged(self):
        stats.statistics_for(self.w.sofia, self.w.ostersund.pk)
        assert last_event().target == T.STATISTICS

    def test_no_event_holds_the_pseudonym_or_the_name(self):
        for read, _target in READS.values():
            read(self.w.sofia, self.case)
        for event in SspfAuditEvent.objects.all():
            values = " ".join(str(v) for v in vars(event).values())
            assert self.case.pseudonym not in values
            assert "Alva" not in values


class WriteAuditTests(SspfTestCase):
    def test_every_write_writes_an_event(self):
        def count():
            return SspfAuditEvent.objects.count()

        case = self.open_case()
        assert last_event().action == A.CREATE and last_event().target == T.CASE
        steps = [
            (lambda: self.consent(case), T.CONSENT),
            (lambda: actions.add_participant(by=self.w.sofia, case=case, user=self.w.lars,
                                             organisation_kind=SCHOOL), T.PARTICIPANT),
            (lambda: actions.add_meeting(by=self.w.sofia, case=case, kind=Meeting.Kind.NETWORK,
                                         held_on=timezone.localdate()), T.MEETING),
            (lambda: actions.add_plan_item(by=self.w.sofia, case=case, goal="Närvaro",
                                           action="Mentor", owner_kind=SCHOOL), T.PLAN),
            (lambda: actions.add_note(by=self.w.sofia, case=case, text="Kallat"), T.NOTE),
            (lambda: actions.close_case(by=self.w.sofia, case=case, outcome="plan_completed"),
             T.CASE),
        ]  # fmt: skip
        for step, target in steps:
            before = count()
            step()
            assert count() == before + 1
            assert last_event().target == target
            assert last_event().actor_id == self.w.sofia.pk
