"""Consent first: no participant before it, only those it names, and its end closes the case."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from tests.sspf.world import POLICE, SCHOOL, SspfTestCase
from trygg.sspf import access, actions
from trygg.sspf.actions import Covered, SspfRefused
from trygg.sspf.models import AgeBand, Case, CaseStatistic, Meeting, Outcome


class ConsentRuleTests(SspfTestCase):
    def test_it_refuses_a_participant_before_any_consent_exists(self):
        case = self.open_case()
        with pytest.raises(SspfRefused, match="samtycke"):
            actions.add_participant(by=self.w.sofia, case=case, user=self.w.lars,
                                    organisation_kind=SCHOOL)  # fmt: skip
        assert case.participants.count() == 0

    def test_it_refuses_meetings_and_plan_items_before_consent(self):
        case = self.open_case()
        with pytest.raises(SspfRefused):
            actions.add_meeting(by=self.w.sofia, case=case, kind=Meeting.Kind.MAPPING,
                                held_on=timezone.localdate())  # fmt: skip
        with pytest.raises(SspfRefused):
            actions.add_plan_item(by=self.w.sofia, case=case, goal="Närvaro", action="Möte",
                                  owner_kind=SCHOOL)  # fmt: skip

    def test_it_refuses_someone_the_consent_does_not_name(self):
        case = self.open_case()
        self.consent(case)
        with pytest.raises(SspfRefused, match="omfattar inte"):
            actions.add_participant(by=self.w.sofia, case=case, user=self.w.ulla,
                                    organisation_kind=SCHOOL)  # fmt: skip

    def test_it_refuses_a_named_person_for_another_organisation_than_the_consent_says(self):
        case = self.open_case()
        self.consent(case)
        with pytest.raises(SspfRefused, match="omfattar inte"):
            actions.add_participant(by=self.w.sofia, case=case, user=self.w.lars,
                                    organisation_kind=POLICE)  # fmt: skip

    def test_an_organisation_named_without_a_person_lets_nobody_in(self):
        case = self.open_case()
        self.consent(case, scope=[Covered("leisure", "Fritidsgården")])
        with pytest.raises(SspfRefused):
            actions.add_participant(by=self.w.sofia, case=case, user=self.w.ulla,
                                    organisation_kind="leisure")  # fmt: skip

    def test_it_adds_a_person_the_consent_names_who_then_sees_the_case(self):
        case = self.running_case()
        assert access.get_case(self.w.lars, case.pk) == case
        with pytest.raises(Http404):
            access.get_case(self.w.per, case.pk)  # named, but not added

    def test_it_refuses_a_consent_the_wrong_people_gave(self):
        case = self.open_case(age_band=AgeBand.FROM_15)
        with pytest.raises(SspfRefused, match="15 år"):
            self.consent(case)  # both guardians, but not the young person
        self.consent(case, by_young_person=True)

    def test_from_18_the_young_person_alone_consents(self):
        case = self.open_case(age_band=AgeBand.ADULT)
        with pytest.raises(SspfRefused, match="18 år"):
            self.consent(case)
        self.consent(case, by_guardian_1=False, by_guardian_2=False, by_young_person=True)

    def test_it_refuses_a_consent_without_a_document_or_already_expired(self):
        case = self.open_case()
        with pytest.raises(SspfRefused):
            self.consent(case, document_reference=" ")
        yesterday = timezone.localdate() - timedelta(days=1)
        with pytest.raises(SspfRefused):
            self.consent(case, given_on=yesterday - timedelta(days=30), expires_on=yesterday)
        assert case.consents.count() == 0


class WithdrawalTests(SspfTestCase):
    def test_withdrawal_closes_the_case_for_everyone_but_the_coordinators_purge(self):
        case = self.running_case()
        actions.withdraw_consent(by=self.w.sofia, case=case)
        case.refresh_from_db()
        assert case.status == Case.Status.WITHDRAWN
        assert case.outcome == Outcome.CONSENT_WITHDRAWN
        assert case.consents.filter(withdrawn_at__isnull=True).count() == 0
        for user in (self.w.lars, self.w.maria, self.w.sofia):
            with pytest.raises(Http404):
                access.get_case(user, case.pk)
        assert access.get_case_to_purge(self.w.sofia, case.pk) == case

    def test_nothing_can_be_added_after_withdrawal(self):
        case = self.running_case()
        actions.withdraw_consent(by=self.w.sofia, case=case)
        with pytest.raises(SspfRefused):
            actions.add_participant(by=self.w.sofia, case=case, user=self.w.per,
                                    organisation_kind=POLICE)  # fmt: skip
        with pytest.raises(SspfRefused):
            self.consent(case)
        with pytest.raises(Http404):
            actions.add_note(by=self.w.lars, case=case, text="Kallelse skickad")

    def test_withdrawal_leaves_the_anonymous_statistic_row(self):
        case = self.running_case()
        actions.withdraw_consent(by=self.w.sofia, case=case)
        row = CaseStatistic.objects.get()
        assert (row.age_band, row.concern, row.outcome) == (
            case.age_band,
            case.concern,
            Outcome.CONSENT_WITHDRAWN,
        )


class ExpiryTests(SspfTestCase):
    def test_participants_lose_the_case_the_day_after_the_consent_expires(self):
        case = self.running_case()
        expiry = case.consents.get().expires_on
        assert access.readable_cases(self.w.lars, today=expiry).filter(pk=case.pk).exists()
        after = expiry + timedelta(days=1)
        assert not access.readable_cases(self.w.lars, today=after).exists()

    def test_expiry_closes_the_case(self):
        case = self.running_case()
        after = case.consents.get().expires_on + timedelta(days=1)
        assert actions.close_expired(today=after - timedelta(days=1)) == 0
        assert actions.close_expired(today=after) == 1
        case.refresh_from_db()
        assert (case.status, case.outcome) == (Case.Status.CLOSED, Outcome.CONSENT_EXPIRED)

    def test_a_shell_that_gets_no_consent_within_30_days_closes(self):
        case = self.open_case()
        day = timezone.localdate() + timedelta(days=actions.SHELL_DAYS)
        assert actions.close_expired(today=day - timedelta(days=1)) == 0
        assert actions.close_expired(today=day) == 1
        case.refresh_from_db()
        assert (case.status, case.outcome) == (Case.Status.CLOSED, Outcome.NO_CONSENT)


class WhoMayTests(SspfTestCase):
    def test_everyone_not_named_gets_a_404_superuser_and_administrator_included(self):
        case = self.running_case()
        self.w.adam.is_superuser = True
        self.w.adam.save()
        for user in (self.w.sven, self.w.adam, self.w.anna, self.w.greta, self.w.ulla,
                     self.w.per, self.w.otto):  # fmt: skip
            with pytest.raises(Http404):
                access.get_case(user, case.pk)
            assert access.list_cases(user) == []

    def test_only_an_sspf_coordinator_opens_a_case_and_the_partnership_coordinator_is_not_one(self):
        with pytest.raises(Http404):
            self.open_case(by=self.w.anna)
        assert Case.objects.count() == 0

    def test_another_sspf_coordinator_cannot_change_the_case(self):
        case = self.running_case()
        with pytest.raises(Http404):
            actions.withdraw_consent(by=self.w.sven, case=case)
        with pytest.raises(Http404):
            actions.add_note(by=self.w.sven, case=case, text="Hej")

    def test_a_revoked_coordinator_loses_her_cases(self):
        case = self.running_case()
        grant = access.CoordinatorGrant.objects.get(user=self.w.sofia)
        actions.revoke_coordinator(by=self.w.adam, grant=grant)
        with pytest.raises(Http404):
            access.get_case(self.w.sofia, case.pk)

    def test_only_an_administrator_of_the_municipality_grants_the_role(self):
        with pytest.raises(Http404):
            actions.grant_coordinator(by=self.w.anna, user=self.w.ulla,
                                      municipality=self.w.ostersund)  # fmt: skip
        with pytest.raises(Http404):
            actions.grant_coordinator(by=self.w.adam, user=self.w.ulla,
                                      municipality=self.w.krokom)  # fmt: skip

    def test_the_role_needs_a_second_factor(self):
        with pytest.raises(SspfRefused, match="andra faktor"):
            actions.grant_coordinator(by=self.w.adam, user=self.w.karl,
                                      municipality=self.w.ostersund)  # fmt: skip

    def test_the_grant_widens_no_partnership_role(self):
        from trygg.partners.access import standing_of

        assert standing_of(self.w.sofia).roles == {}
        assert not standing_of(self.w.sofia).is_member

    def test_a_participant_writes_notes_and_follows_up_his_organisations_plan_items(self):
        case = self.running_case()
        school_item = actions.add_plan_item(
            by=self.w.sofia,
            case=case,
            goal="Närvaro",
            action="Veckovis avstämning",
            owner_kind=SCHOOL,
        )
        police_item = actions.add_plan_item(by=self.w.sofia, case=case, goal="Trygg väg hem",
                                            action="Samtal", owner_kind=POLICE)  # fmt: skip
        actions.set_plan_status(by=self.w.lars, item=school_item, status="ongoing")
        with pytest.raises(Http404):
            actions.set_plan_status(by=self.w.lars, item=police_item, status="done")
        actions.add_note(by=self.w.lars, case=case, text="Mentor bokad")
        with pytest.raises(Http404):
            actions.add_note(by=self.w.ulla, case=case, text="Hej")
