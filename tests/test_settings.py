"""Settings: every environment variable is documented, and the readers fail loudly."""

import re
from pathlib import Path

import pytest

from trygg import env

ROOT = Path(__file__).resolve().parents[1]


def variables_read_by_settings() -> set[str]:
    source = (ROOT / "trygg" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))


def test_every_setting_variable_is_documented_in_the_configuration_table():
    table = (ROOT / "docs" / "operations.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.M))
    read = variables_read_by_settings() | env.READ
    assert read, "found no variables; has settings.py changed its style?"
    assert read - documented == set()


def test_a_missing_required_variable_is_named(monkeypatch):
    monkeypatch.delenv("TRYGG_TEST_ABSENT", raising=False)
    with pytest.raises(env.ConfigError, match="TRYGG_TEST_ABSENT"):
        env.string("TRYGG_TEST_ABSENT")


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("TRYGG_TEST_SECRET_FILE", str(secret))
    assert env.string("TRYGG_TEST_SECRET") == "from-file"


@pytest.mark.parametrize("raw", ["maybe", "2"])
def test_a_bad_boolean_is_refused(monkeypatch, raw):
    monkeypatch.setenv("TRYGG_TEST_FLAG", raw)
    with pytest.raises(env.ConfigError, match="TRYGG_TEST_FLAG"):
        env.boolean("TRYGG_TEST_FLAG", False)


def test_database_urls_are_parsed(tmp_path):
    assert env.database("sqlite:///:memory:", tmp_path)["NAME"] == ":memory:"
    assert env.database("sqlite:///var/x.db", tmp_path)["NAME"] == str(tmp_path / "var/x.db")
    assert env.database("sqlite:////abs/x.db", tmp_path)["NAME"] == "/abs/x.db"
    pg = env.database("postgres://u:p%40ss@db.example:6543/trygg", tmp_path)
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db.example",
        "6543",
        "trygg",
    )
    socket = env.database("postgres://postgres@/t?host=/tmp/pg&port=5999", tmp_path)
    assert (socket["HOST"], socket["PORT"]) == ("/tmp/pg", "5999")
    with pytest.raises(env.ConfigError, match="DATABASE_URL"):
        env.database("mysql://x/y", tmp_path)


def test_postgresql_statements_are_prepared_unless_turned_off(tmp_path):
    options = env.database("postgres://u@h/t", tmp_path)["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}
    options = env.database("postgres://u@h/t?prepare_threshold=2", tmp_path)["OPTIONS"]
    assert options["prepare_threshold"] == 2
    options = env.database("postgres://u@h/t?prepare_threshold=off&sslmode=require", tmp_path)
    assert options["OPTIONS"] == {"sslmode": "require"}
    options = env.database("postgres://u@h/t?server_side_binding=false", tmp_path)["OPTIONS"]
    assert options == {}
    with pytest.raises(env.ConfigError, match="prepare_threshold"):
        env.database("postgres://u@h/t?prepare_threshold=soon", tmp_path)


def test_pages_speak_swedish_even_to_an_english_browser(client):
    response = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"


def test_pages_speak_english_when_the_user_chose_it(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.headers["Content-Language"] == "en"


def test_the_api_follows_accept_language(client):
    response = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"


@pytest.mark.parametrize("raw", ["trygg.example.se", "ftp://x.example", "https://x.example/?a=1"])
def test_a_site_url_that_is_not_an_address_is_refused(monkeypatch, raw):
    monkeypatch.setenv("TRYGG_TEST_SITE", raw)
    with pytest.raises(env.ConfigError, match="TRYGG_TEST_SITE"):
        env.site_url("TRYGG_TEST_SITE", "http://localhost:8000")


def test_a_site_url_loses_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("TRYGG_TEST_SITE", "https://kommun.example.se/trygg/")
    assert env.site_url("TRYGG_TEST_SITE", "") == "https://kommun.example.se/trygg"


def test_a_sqlite_connection_gets_a_64_mib_page_cache(sqlite_url_cursor):
    sqlite_url_cursor.execute("PRAGMA cache_size")
    assert sqlite_url_cursor.fetchone()[0] == -65536, "SQLite's default is 2 MB (-2000)"
