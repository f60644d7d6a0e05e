"""The shipped production setup, for real: Debian's nginx with deploy/nginx/trygg.conf and
a throwaway self-signed certificate, in front of gunicorn with gunicorn.conf.py.

Anna, a coordinator, connects from 127.0.0.2 (nginx talks to gunicorn from
127.0.0.1), logs in with her second factor, files a report and opens a
caretaker's report. Checked: plain HTTP is redirected to HTTPS, answers carry
HSTS, cookies are Secure, and the audit log records Anna's address (through
TRUSTED_PROXIES), not nginx's.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django_otp.oath import TOTP
from requests.adapters import HTTPAdapter

from bench.durability import fresh_database
from bench.intake import ensure_postgres_database
from tests.world import INSIDE_CENTRUM
from tools.with_postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "trygg.conf"
LOG_FORMAT = ROOT / "deploy" / "nginx" / "trygg-log-format.conf"
NGINX = Path("/usr/sbin/nginx")
CLIENT = "127.0.0.2"  # Anna's address; nginx reaches gunicorn from 127.0.0.1
HOST = "localhost"

# nginx and openssl; the tests share one server set-up, so they run on one worker.
pytestmark = [pytest.mark.slow, pytest.mark.system, pytest.mark.xdist_group("nginx")]


class FromAddress(HTTPAdapter):
    """Connections leave from CLIENT, so nginx's $remote_addr is not 127.0.0.1."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT, 0)
        super().init_poolmanager(*args, **kwargs)


def _kind_of_this_run() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgres" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def site_for_test(tmp: Path, http_port: int, https_port: int, app_port: int) -> str:
    """The shipped site file with only ports, names and paths changed; each must be found."""
    text = SITE.read_text()
    changes = [
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen \[::\]:80;\n", ""),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (r"listen \[::\]:443 ssl http2;\n", ""),
        (r"server_name trygg\.example\.se;", f"server_name {HOST};"),
        (r"ssl_certificate /\S+;", f"ssl_certificate {tmp / 'cert.pem'};"),
        (r"ssl_certificate_key /\S+;", f"ssl_certificate_key {tmp / 'key.pem'};"),
        (r"access_log /var/log/nginx/\S+ trygg;", f"access_log {tmp / 'access.log'} trygg;"),
        (r"alias /srv/trygg/static/;", f"alias {tmp / 'static'}/;"),
        (r"proxy_pass http://127\.0\.0\.1:8000;", f"proxy_pass http://127.0.0.1:{app_port};"),
    ]
    for pattern, replacement in changes:
        text, found = re.subn(pattern, replacement, text)
        assert found, f"the shipped site file no longer has {pattern!r}"
    return text


def start_nginx(tmp: Path, site: str) -> subprocess.Popen[bytes]:
    (tmp / "site.conf").write_text(site)
    (tmp / "nginx.conf").write_text(
        f"""user root;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"};
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp / "body"};
    proxy_temp_path {tmp / "proxy"};
    include {LOG_FORMAT};
    include {tmp / "site.conf"};
}}
"""
    )
    conf = str(tmp / "nginx.conf")
    subprocess.run([NGINX, "-t", "-q", "-c", conf, "-p", str(tmp)], check=True)
    return subprocess.Popen([NGINX, "-c", conf, "-p", str(tmp), "-g", "daemon off;"])


def self_signed_certificate(tmp: Path) -> None:
    names = ["-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"]
    files = ["-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", *names, *files],
        check=True,
        capture_output=True,
    )


def child(step: str, env: dict[str, str], tmp: Path) -> dict:
    out = tmp / f"{step}.json"
    command = [sys.executable, "-m", "tests.operations.deploy_child", step, str(out)]
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=300)
    return json.loads(out.read_text())


def wait_for(url: str, session: requests.Session, seconds: float = 90.0) -> None:
    """Until gunicorn answers through nginx (nginx says 502 while gunicorn starts)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if session.get(url, timeout=5, allow_redirects=False).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer 200 within {seconds} s")
        time.sleep(0.2)


# Session scope: on a worker that also runs other files in between, a module fixture
# would be set up again each time the worker comes back to this file.
@pytest.fixture(scope="session")
def production(tmp_path_factory):
    """(https base URL, http base URL, session as Anna's browser, setup facts, env)."""
    tmp = tmp_path_factory.mktemp("nginx")
    http_port, https_port, app_port = free_port(), free_port(), free_port()
    with fresh_database(_kind_of_this_run(), tmp, name="nginx") as url:
        ensure_postgres_database(url)  # a no-op for SQLite
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "SECRET_KEY": "nginx-test-only-not-a-secret",
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{https_port}",
            "TRUSTED_PROXIES": "127.0.0.1",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "TWO_FACTOR_REQUIRED": "true",
            # The suite's own defaults (tests/pytest_env.py) turn these off; production has them on.
            "SECURE_COOKIES": "true",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "STATIC_MANIFEST": "true",
            "PORT": str(app_port),
        }
        facts = child("setup", env, tmp)
        self_signed_certificate(tmp)
        app = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "trygg.wsgi"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        proxy = start_nginx(tmp, site_for_test(tmp, http_port, https_port, app_port))
        try:
            session = requests.Session()
            session.trust_env = False  # no proxy or CA bundle from the environment
            session.verify = str(tmp / "cert.pem")
            session.mount("https://", FromAddress())
            session.mount("http://", FromAddress())
            https = f"https://{HOST}:{https_port}"
            wait_for(f"{https}/healthz", session)
            yield https, f"http://{HOST}:{http_port}", session, facts, env, tmp
        finally:
            proxy.terminate()
            proxy.wait(timeout=20)
            os.killpg(app.pid, signal.SIGTERM)
            app.wait(timeout=30)


def csrf_of(session: requests.Session) -> str:
    return session.cookies.get("csrftoken")


def post(session: requests.Session, url: str, data: dict, **kwargs) -> requests.Response:
    headers = {"Referer": url}
    return session.post(url, data={"csrfmiddlewaretoken": csrf_of(session), **data},
                        headers=headers, allow_redirects=False, **kwargs)  # fmt: skip


def code_now(key_hex: str) -> str:
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_plain_http_is_redirected_to_https(production):
    _https, http, session, *_ = production
    answer = session.get(f"{http}/logga-in/?next=/", allow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"] == f"https://{HOST}/logga-in/?next=/"


def test_pages_and_static_files_carry_hsts(production):
    https, _http, session, *_ = production
    page = session.get(f"{https}/logga-in/")
    assert page.status_code == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert "preload" in page.headers["Strict-Transport-Security"]
    css = re.search(r'href="(/static/[^"]+\.css)"', page.text)[1]
    static = session.get(https + css)
    assert static.status_code == 200
    assert "max-age=31536000" in static.headers["Strict-Transport-Security"]


def test_anna_logs_in_files_a_report_and_is_audited_from_her_own_address(production):
    https, _http, session, facts, env, tmp = production
    session.get(f"{https}/logga-in/")
    login = post(session, f"{https}/logga-in/",
                 {"username": "anna", "password": "secret-pass-123"})  # fmt: skip
    assert login.status_code == 302, login.text[:500]
    cookies = {c.name: c for c in session.cookies}
    assert cookies["sessionid"].secure and cookies["csrftoken"].secure
    assert "Secure" in login.headers["Set-Cookie"]

    second = post(session, f"{https}/tvafaktor/", {"code": code_now(facts["anna_key"])})
    assert second.status_code == 302, second.text[:500]

    session.get(f"{https}/rapportera/")
    lat, lon = INSIDE_CENTRUM
    filed = post(session, f"{https}/rapportera/",
                 {"category": "graffiti", "when": "now", "lat": lat, "lon": lon,
                  "sharing": "partnership"})  # fmt: skip
    assert filed.status_code == 302, filed.text[:2000]

    # A caretaker's report: its free text shown to Anna is an audited read.
    detail = session.get(f"{https}/rapporter/{facts['karl_report']}/")
    assert detail.status_code == 200
    assert "Klotter på gaveln" in detail.text

    events = child("audit", env, tmp)["events"]
    shown = [e for e in events if e["path"] == f"/rapporter/{facts['karl_report']}/"]
    assert shown, events
    # Entries made by requests (set-up's entries have no request and no address).
    assert {e["address"] for e in events if e["path"]} == {CLIENT}
