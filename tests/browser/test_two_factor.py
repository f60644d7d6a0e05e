"""Petra, a police analyst, logs in the first time, sets up her authenticator app, gets in."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_petra_enrols_her_phone_and_reaches_the_reports(page, live_server):
    build_world()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)

    page.goto(f"{live_server.url}/rapporter/")
    page.get_by_label("Användarnamn").fill("petra")
    page.get_by_label("Lösenord").fill("secret-pass-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/tvafaktor/aktivera/?next=*")
    assert page.locator("figure.qr svg").count() == 1

    # What her phone app does with the key it scanned.
    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Kod").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Bekräfta").click()
    assert page.locator(".recovery-codes li").count() == 10

    page.get_by_role("link", name="Fortsätt").click()
    page.wait_for_url("**/rapporter/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert problems == []
