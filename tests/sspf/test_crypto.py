"""The name is encrypted with authenticated encryption, and keys rotate without downtime."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from tests.sspf.world import SspfTestCase
from trygg import env
from trygg.sspf import access, crypto
from trygg.sspf.actions import SspfRefused
from trygg.sspf.models import Case

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


@override_settings(SSPF_KEYS=[OLD])
def test_a_name_round_trips_and_the_token_does_not_contain_it():
    token = crypto.encrypt("Alva Åkesson")
    assert "Alva" not in token
    assert crypto.decrypt(token) == "Alva Åkesson"


@override_settings(SSPF_KEYS=[OLD])
def test_an_altered_token_is_refused_not_misread():
    token = crypto.encrypt("Alva")
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(crypto.UnreadableError):
        crypto.decrypt(altered)


def test_a_token_under_a_removed_key_is_unreadable():
    with override_settings(SSPF_KEYS=[OLD]):
        token = crypto.encrypt("Alva")
    with override_settings(SSPF_KEYS=[NEW]), pytest.raises(crypto.UnreadableError):
        crypto.decrypt(token)


def test_the_keys_come_from_the_environment_or_a_file(monkeypatch, tmp_path):
    monkeypatch.setenv("SSPF_KEYS", f"{NEW}, {OLD}")
    assert env.fernet_keys("SSPF_KEYS") == [NEW, OLD]
    keyfile = tmp_path / "sspf.keys"
    keyfile.write_text(f"{NEW}\n{OLD}\n")
    monkeypatch.delenv("SSPF_KEYS")
    monkeypatch.setenv("SSPF_KEYS_FILE", str(keyfile))
    assert env.fernet_keys("SSPF_KEYS") == [NEW, OLD]


def test_a_malformed_key_stops_the_start(monkeypatch):
    monkeypatch.setenv("SSPF_KEYS", f"{NEW},not-a-key")
    with pytest.raises(env.ConfigError, match="key 2"):
        env.fernet_keys("SSPF_KEYS")


class RotationTests(SspfTestCase):
    def test_rotation_re_encrypts_every_name_while_old_keys_still_read(self):
        with override_settings(SSPF_KEYS=[OLD]):
            case = self.running_case(name="Alva Åkesson")
        old_token = Case.objects.get(pk=case.pk).name_token
        with override_settings(SSPF_KEYS=[NEW, OLD]):
            # Before the command runs, the new key is first and the old one still reads.
            assert access.name_of(self.w.lars, case) == "Alva Åkesson"
            call_command("sspf_rotate_keys", stdout=io.StringIO())
        case.refresh_from_db()
        assert case.name_token != old_token
        with override_settings(SSPF_KEYS=[NEW]):
            assert access.name_of(self.w.sofia, case) == "Alva Åkesson"

    @override_settings(SSPF_KEYS=[])
    def test_without_a_key_no_name_is_stored(self):
        with pytest.raises(SspfRefused, match="nyckel"):
            self.open_case(name="Alva")
        assert Case.objects.count() == 0
        assert self.open_case().name_token == ""
