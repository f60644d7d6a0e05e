import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_pictures():
    # A test's rolled-back writes do not tell the picture cache; start each test empty.
    from trygg.promises import cache as promise_cache
    from trygg.situation import cache

    cache.clear()
    promise_cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request or test that switched to English must not leave the next test in it.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_configure(config):
    from django.conf import settings

    # Hashing with PBKDF2 costs ~50 ms a user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
