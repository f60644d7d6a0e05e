"""The SSPF models' own rules: pseudonyms, who must consent, an audit log that cannot change."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tests.world import TryggTestCase
from trygg.sspf.models import AgeBand, Case, Concern, Consent, SspfAuditEvent, new_pseudonym


def consent(**given):
    fields = {"given_on": date(2026, 1, 1), "expires_on": date(2026, 12, 31)}
    return Consent(**fields, **given)


def test_a_pseudonym_is_random_and_readable_aloud():
    names = {new_pseudonym() for _ in range(200)}
    assert len(names) == 200
    assert all(n.startswith("SSPF-") and len(n) == 14 for n in names)
    assert not any(c in "".join(names)[5:] for c in "01OIL")


@pytest.mark.parametrize(
    ("age_band", "given", "complete"),
    [
        (AgeBand.FROM_12, {"by_guardian_1": True}, False),
        (AgeBand.FROM_12, {"by_guardian_1": True, "by_guardian_2": True}, True),
        (AgeBand.FROM_12, {"by_guardian_1": True, "sole_custody": True}, True),
        (AgeBand.FROM_12, {"by_young_person": True}, False),
        (AgeBand.FROM_15, {"by_guardian_1": True, "by_guardian_2": True}, False),
        (
            AgeBand.FROM_15,
            {"by_guardian_1": True, "by_guardian_2": True, "by_young_person": True},
            True,
        ),
        (AgeBand.ADULT, {"by_guardian_1": True, "by_guardian_2": True}, False),
        (AgeBand.ADULT, {"by_young_person": True}, True),
    ],
)
def test_the_right_people_must_consent_for_each_age(age_band, given, complete):
    assert consent(**given).is_complete_for(age_band) is complete


def test_a_consent_is_valid_from_its_date_to_its_expiry_unless_withdrawn():
    c = consent(by_young_person=True)
    assert not c.is_valid_on(date(2025, 12, 31))
    assert c.is_valid_on(date(2026, 1, 1))
    assert c.is_valid_on(date(2026, 12, 31))
    assert not c.is_valid_on(date(2027, 1, 1))


class AuditLogTests(TryggTestCase):
    def event(self):
        return SspfAuditEvent.objects.create(
            actor_id=self.w.anna.pk, actor_name="anna", action="read", target="case", case_id=1
        )

    def test_it_refuses_to_save_an_existing_audit_row(self):
        event = self.event()
        event.action = "change"
        with pytest.raises(PermissionError):
            event.save()

    def test_it_refuses_to_delete_audit_rows_one_by_one_or_in_bulk(self):
        event = self.event()
        with pytest.raises(PermissionError):
            event.delete()
        with pytest.raises(PermissionError):
            SspfAuditEvent.objects.all().delete()
        with pytest.raises(PermissionError):
            SspfAuditEvent.objects.update(action="change")
        assert SspfAuditEvent.objects.count() == 1

    def test_the_database_refuses_an_update_even_in_raw_sql(self):
        self.event()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE sspf_sspfauditevent SET actor_name = 'someone else'")

    def test_only_the_retention_purge_removes_rows_and_only_of_the_cases_named(self):
        self.event()
        SspfAuditEvent.objects.create(actor_name="anna", action="read", target="case", case_id=2)
        assert SspfAuditEvent.objects.purge_expired([1]) == 1
        assert list(SspfAuditEvent.objects.values_list("case_id", flat=True)) == [2]


class CaseTests(TryggTestCase):
    def test_a_new_case_is_open_with_a_generated_pseudonym_and_no_name(self):
        case = Case.objects.create(
            municipality=self.w.ostersund,
            age_band=AgeBand.FROM_12,
            school_unit="Parkskolan 7–9",
            concern=Concern.SCHOOL,
            coordinator=self.w.anna,
        )
        assert case.is_open
        assert case.pseudonym.startswith("SSPF-")
        assert case.name_token == ""
