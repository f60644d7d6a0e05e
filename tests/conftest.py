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


@pytest.fixture
def sqlite_url_cursor(tmp_path, django_db_blocker):
    """A cursor on a connection Trygg opens from a `sqlite:///` URL, whatever the suite runs on.

    For checks of how Trygg configures SQLite (its pragmas), which must hold
    in the PostgreSQL run of the suite too.
    """
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from trygg import env

    config = env.database(f"sqlite:///{tmp_path}/trygg.db", tmp_path)
    wrapper = DatabaseWrapper({**config, "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False,
                               "CONN_MAX_AGE": 0, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False,
                               "TEST": {}}, alias="sqlite_check")  # fmt: skip
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            yield cursor
    finally:
        wrapper.close()
