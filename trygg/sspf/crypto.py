"""Field encryption of SSPF's identifying text: the name, document references, organisations.

Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) is
authenticated: a token altered in the database fails to decrypt instead of
yielding another name. Keys come from SSPF_KEYS (or the file SSPF_KEYS_FILE),
newest first. MultiFernet encrypts with the first key and decrypts with any,
so a rotation is: add the new key second and restart (every server reads it),
put it first and restart (new writes use it), run `trygg sspf_rotate_keys`
(re-encrypts every value with the new key), then remove the old key; see
docs/sspf.md for why two restarts when servers restart one at a time.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class NoKeyError(RuntimeError):
    """No key is configured, so no name can be stored or read."""


class UnreadableError(RuntimeError):
    """A token none of the configured keys opens (an old key removed too soon, or tampering)."""


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise NoKeyError("SSPF_KEYS is not set")
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.SSPF_KEYS))


def has_key() -> bool:
    return bool(settings.SSPF_KEYS)


def encrypt(plain: str) -> str:
    """The token for `plain`, under the newest key; empty stays empty (no name kept)."""
    if not plain:
        return ""
    return cipher().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UnreadableError("no configured SSPF key opens this value") from None


def rotate(token: str) -> str:
    """`token` re-encrypted under the newest key (same plaintext, a fresh token)."""
    if not token:
        return ""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise UnreadableError("no configured SSPF key opens this value") from None
