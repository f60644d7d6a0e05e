"""SSPF people on top of the test partnership (tests/world.py), and a case with its consent.

sofia is Östersund's SSPF coordinator; lars (school), maria (social
services) and per (police) are named in the consent of sofia's case;
ulla is a teacher the consent does not name; sven is another SSPF
coordinator of the municipality, with no part in sofia's case. Each has a
confirmed authenticator: SSPF needs the second factor of everyone in it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from tests.world import TryggTestCase, authenticator_of
from trygg.sspf import actions
from trygg.sspf.actions import Covered
from trygg.sspf.models import AgeBand, Case, Concern, OrganisationKind

SCHOOL = OrganisationKind.SCHOOL
SOCIAL = OrganisationKind.SOCIAL_SERVICES
POLICE = OrganisationKind.POLICE
LEISURE = OrganisationKind.LEISURE


def person(username: str) -> User:
    user = User.objects.create_user(username, password="secret-pass-123")
    authenticator_of(user)
    return user


# The consent's document reference and organisation names are encrypted, so SSPF needs a key.
TEST_KEY = Fernet.generate_key().decode()


@override_settings(SSPF_KEYS=[TEST_KEY])
class SspfTestCase(TryggTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = cls.w
        authenticator_of(w.adam)
        for name in ("sofia", "sven", "lars", "maria", "per", "ulla"):
            setattr(w, name, person(name))
        actions.grant_coordinator(by=w.adam, user=w.sofia, municipality=w.ostersund)
        actions.grant_coordinator(by=w.adam, user=w.sven, municipality=w.ostersund)

    def open_case(self, by: Any = None, **overrides: Any) -> Case:
        fields = {
            "by": by or self.w.sofia,
            "municipality": self.w.ostersund,
            "age_band": AgeBand.FROM_12,
            "school_unit": "Parkskolan 7–9",
            "concern": Concern.SCHOOL,
        }
        fields.update(overrides)
        return actions.open_case(**fields)

    def consent(self, case: Case, **overrides: Any) -> Any:
        today = timezone.localdate()
        fields = {
            "by": self.w.sofia,
            "case": case,
            "given_on": today,
            "expires_on": today + timedelta(days=365),
            "document_reference": "Dnr SOC 2026/117",
            "by_guardian_1": True,
            "by_guardian_2": True,
            "scope": [
                Covered(SCHOOL, "Parkskolan", self.w.lars),
                Covered(SOCIAL, "Socialtjänsten", self.w.maria),
                Covered(POLICE, "Polisen LPO Östersund", self.w.per),
                Covered(LEISURE, "Fritidsgården"),
            ],
        }
        fields.update(overrides)
        return actions.record_consent(**fields)

    def running_case(self, **overrides: Any) -> Case:
        """An open case with consent and lars (school) and maria (social services) taking part."""
        case = self.open_case(**overrides)
        self.consent(case)
        actions.add_participant(by=self.w.sofia, case=case, user=self.w.lars,
                                organisation_kind=SCHOOL)  # fmt: skip
        actions.add_participant(by=self.w.sofia, case=case, user=self.w.maria,
                                organisation_kind=SOCIAL)  # fmt: skip
        return case


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def sspf_case(w: Any) -> Case:
    """An open case with its consent and a plan item, for the route tables; sofia is made here.

    For tests that build only tests/world.py's partnership; greta is named in the
    consent, but nobody is added as a participant.
    """
    sofia = User.objects.create_user("sofia", password="secret-pass-123")
    for user in (sofia, w.adam):
        authenticator_of(user)
    actions.grant_coordinator(by=w.adam, user=sofia, municipality=w.ostersund)
    case = actions.open_case(by=sofia, municipality=w.ostersund, age_band=AgeBand.FROM_12,
                             school_unit="Parkskolan", concern=Concern.SCHOOL)  # fmt: skip
    today = timezone.localdate()
    with override_settings(SSPF_KEYS=[TEST_KEY]):
        actions.record_consent(
            by=sofia, case=case, given_on=today, expires_on=today + timedelta(days=90),
            document_reference="Dnr 1", by_guardian_1=True, by_guardian_2=True,
            scope=[Covered(SCHOOL, "Parkskolan", w.greta)],
        )  # fmt: skip
    actions.add_plan_item(by=sofia, case=case, goal="Närvaro", action="Mentor",
                          owner_kind=SCHOOL)  # fmt: skip
    return case
