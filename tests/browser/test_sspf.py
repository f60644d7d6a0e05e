"""Sofia, an SSPF coordinator, opens a case on her phone, records consent, adds a participant.

Every SSPF page she passes fits 360 px and passes axe.
"""

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.world import authenticator_of, build_world
from trygg.sspf.actions import grant_coordinator
from trygg.sspf.models import Case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def checked(page) -> list[str]:
    problems = violations(page)
    if page.evaluate("document.documentElement.scrollWidth") > 360:
        problems.append(f"wider than 360 px: {page.url}")
    return problems


def test_sofia_opens_a_case_records_consent_and_adds_lars(page, live_server, settings):
    settings.SSPF_KEYS = [Fernet.generate_key().decode()]  # the consent's text is encrypted
    world = build_world()
    sofia = User.objects.create_user("sofia", password="secret-pass-123")
    lars = User.objects.create_user("lars", password="secret-pass-123", first_name="Lars")
    for user in (sofia, world.adam):
        authenticator_of(user)
    grant_coordinator(by=world.adam, user=sofia, municipality=world.ostersund)
    problems, scripts_failed = [], []
    page.on("pageerror", lambda error: scripts_failed.append(str(error)))

    log_in(page, live_server.url, "sofia")
    page.goto(f"{live_server.url}/sspf/")
    problems += checked(page)
    page.get_by_role("link", name="Öppna ett ärende i Östersund").click()
    problems += checked(page)
    page.get_by_label("Åldersgrupp").select_option("12-14")
    page.get_by_label("Skolenhet").fill("Parkskolan 7–9")
    page.get_by_label("Orsak till oro").select_option("school")
    page.get_by_role("button", name="Öppna ärendet").click()
    case = Case.objects.get()
    page.wait_for_url(f"**/sspf/{case.pk}/")
    problems += checked(page)

    page.get_by_role("link", name="Registrera ett samtycke").click()
    problems += checked(page)
    page.get_by_label("Vårdnadshavare 1 har samtyckt").check()
    page.get_by_label("Vårdnadshavare 2 har samtyckt").check()
    today = timezone.localdate()
    page.get_by_label("Datum för samtycket").fill(today.isoformat())
    page.get_by_label("Giltigt till").fill(today.replace(year=today.year + 1).isoformat())
    page.get_by_label("Dokumentreferens").fill("Dnr 2026/44")
    page.get_by_label("Organisation 1", exact=True).select_option("school")
    page.get_by_label("Person 1 (användarnamn)").fill("lars")
    page.get_by_role("button", name="Registrera samtycket").click()
    page.wait_for_url(f"**/sspf/{case.pk}/")

    page.get_by_label("Person som samtycket omfattar").select_option(label="Lars (Skola)")
    page.get_by_role("button", name="Lägg till deltagaren").click()
    page.wait_for_url(f"**/sspf/{case.pk}/")
    problems += checked(page)
    assert list(case.participants.values_list("user", flat=True)) == [lars.pk]
    page.get_by_role("link", name="Avsluta ärendet").click()
    problems += checked(page)
    assert problems == []
    assert scripts_failed == []
