"""Typed readers of environment variables that fail loudly.

Every variable read here is documented in docs/operations.md (a test checks that).
A secret may also come from a file named by `NAME_FILE`, as container
platforms mount them.
"""

from __future__ import annotations

import base64
import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


class ConfigError(RuntimeError):
    pass


READ: set[str] = set()


def string(name: str, default: str | None = None) -> str:
    READ.add(name)
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"environment variable {name} is required")
        return default
    return value


def boolean(name: str, default: bool) -> bool:
    raw = string(name, "1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def integer(name: str, default: int) -> int:
    raw = string(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def csv_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in string(name, default).split(",") if item.strip()]


def site_url(name: str, default: str) -> str:
    """The address people open Trygg at (`https://trygg.example.se`), without a trailing slash.

    Email links are built on it; a path prefix is allowed, a query is not.
    """
    raw = string(name, default).strip().rstrip("/")
    parsed = urlparse(raw)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ConfigError(f"{name} must be an http:// or https:// address, not {raw!r}")
    if parsed.query or parsed.fragment:
        raise ConfigError(f"{name} must not have a query or fragment: {raw!r}")
    return raw


def fernet_keys(name: str) -> list[str]:
    """Fernet keys (url-safe base64 of 32 bytes), newest first, separated by commas or lines.

    Checked here so a mistyped key stops the start, not the first save of an encrypted field.
    """
    keys = string(name, "").replace(",", " ").split()
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raw = b""
        if len(raw) != 32:
            raise ConfigError(f"{name}: key {position} is not a Fernet key (32 bytes, base64)")
    return keys


def user_agent(name: str, hosts: list[str]) -> str:
    """A User-Agent that names this installation, so a feed's operator knows whom to ask.

    Default `Trygg (+https://<first allowed host>)`; a host of `*` or `.example` names none.
    """
    named = [h.lstrip(".") for h in hosts if h not in {"*", ""}]
    default = f"Trygg (+https://{named[0]})" if named else "Trygg (unnamed installation)"
    return string(name, default)


def networks(name: str) -> list[str]:
    """Comma-separated IP addresses or CIDR networks, each checked; e.g. `10.0.0.1,fd00::/8`."""
    found = []
    for item in csv_list(name, ""):
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ConfigError(f"{name}: {item!r} is not an IP address or network") from None
    return found


def database(url: str, base_dir: Path) -> dict[str, object]:
    """Django DATABASES entry for `sqlite:///path` or `postgres://user:pw@host:port/name`.

    `?host=/socket/dir` selects a Unix socket directory for PostgreSQL.
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path in {"/:memory:", ":memory:", ""}:
            name = ":memory:"
        elif path.startswith("//"):  # sqlite:////abs/path
            name = "/" + path.lstrip("/")
        else:  # sqlite:///relative/path, relative to the project directory
            name = str(base_dir / path.lstrip("/"))
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # Each server thread keeps its connection: reopening costs the WAL and
            # pragma set-up on every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # cache_size: 64 MiB of page cache per connection (SQLite's default
                # is 2 MB), taken only as pages are read. With the default, a
                # 100,000-row import spent a quarter of its CPU in system calls
                # re-reading index pages from the OS.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
                    "PRAGMA cache_size=-65536; "
                    # Deleted rows are overwritten with zeros, not left in free pages:
                    # the SSPF purge and the retention of reports' free text must leave
                    # nothing in the file (docs/sspf.md "Purge"; docs/security.md).
                    "PRAGMA secure_delete=ON;"
                ),
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        query: dict[str, object] = {
            key: values[-1] for key, values in parse_qs(parsed.query).items()
        }
        # Parameters bound by the server, so psycopg prepares a statement the
        # fifth time a connection runs it and the server plans it no more: a page
        # of the API list spent 4 ms of PostgreSQL's CPU planning a 0.5 ms join.
        # `?prepare_threshold=off` behind a pooler in transaction mode (pgbouncer),
        # which cannot keep a prepared statement with its connection.
        threshold = str(query.pop("prepare_threshold", "5"))
        if str(query.pop("server_side_binding", "true")).lower() in {"false", "0", "off"}:
            threshold = "off"
        if threshold != "off":
            if not threshold.isdigit():
                raise ConfigError(
                    f"prepare_threshold in DATABASE_URL: a number or off, not {threshold!r}"
                )
            query.update(server_side_binding=True, prepare_threshold=int(threshold))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "trygg",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": query.pop("host", None) or parsed.hostname or "",
            "PORT": str(parsed.port or query.pop("port", "") or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": query,
        }
    raise ConfigError(f"DATABASE_URL must start with sqlite:// or postgres://, not {url!r}")
