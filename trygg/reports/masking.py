"""Masking of personal data in free text, applied on every write.

Reports are about places, never people (DOMAIN.md): a description must not
carry a personal identity number, a phone number or a licence plate. What we
mask is replaced by a bracketed word so a reader still sees that something
was there.

Decisions:
- Personal identity numbers (personnummer) and co-ordination numbers
  (samordningsnummer, day + 60) are masked when the digits form a plausible
  date, whether or not the check digit is right: a mistyped number still
  identifies a person to anyone who knows them.
- Phone numbers: Swedish numbers starting with 0, +46 or 0046, 8–10 digits
  after the leading zero is counted, with spaces or dashes between groups.
- Licence plates: three capital letters and three characters (ABC 123,
  ABC 12D), except currency codes. Lower case is left alone: "fem 100 kr"
  has the same shape, and ordinary words must not be masked.
"""

from __future__ import annotations

import re

PERSONAL_NUMBER_MASK = "[personnummer]"
PHONE_MASK = "[telefonnummer]"
PLATE_MASK = "[registreringsnummer]"

_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
_PERSONAL_NUMBER = re.compile(
    rf"(?<![\d])(?:(?:18|19|20)?\d{{2}}{_DATE})[ \t]?[-+]?[ \t]?\d{{4}}(?![\d])"
)
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)46[ \t-]*(?:\(0\)[ \t-]*)?|0)[1-9](?:[ \t-]?\d){5,8}(?![\d])"
)
# A day-month-year date such as 01-02-2024 has the shape of a landline number.
_DATE_LIKE = re.compile(r"^0?\d[-/.]\d{2}[-/.]\d{2,4}$")
_PLATE = re.compile(r"(?<![\w])([A-HJ-PR-UW-Z]{3})[ ]?(\d{2}[A-HJ-NPR-UW-Z0-9])(?![\w])")
_NOT_PLATES = frozenset({"SEK", "EUR", "USD", "NOK", "DKK", "GBP"})


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    return text if _DATE_LIKE.match(text) else PHONE_MASK


def _plate(match: re.Match[str]) -> str:
    letters = match.group(1)
    if letters in _NOT_PLATES:
        return match.group(0)
    return PLATE_MASK


def mask_personal_data(text: str) -> str:
    """`text` with personal identity numbers, phone numbers and licence plates masked."""
    if not text:
        return text
    text = _PERSONAL_NUMBER.sub(PERSONAL_NUMBER_MASK, text)
    text = _PHONE.sub(_phone, text)
    return _PLATE.sub(_plate, text)
