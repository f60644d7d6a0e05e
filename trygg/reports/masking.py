"""Masking of personal data in free text, applied on every write.

Reports are about places, never people (DOMAIN.md): a description must not
carry a personal identity number, a phone number or a licence plate. What we
mask is replaced by a bracketed word so a reader still sees that something
was there.

Decisions:
- The text is normalised first, and stored normalised: Unicode NFKC (full-width
  ＡＢＣ１２３ becomes ABC123, a no-break space a space, ligatures letters), and
  every decimal digit of another script written as 0–9. Matching a normalised
  copy but storing the original would need a map of positions back through
  NFKC; storing what was matched is simpler and what the reader sees is the
  same text.
- Separators are those people type: hyphen, the Unicode hyphens and dashes
  (‐ ‑ ‒ – —), the minus sign (−), dot, slash and space, and for phone
  numbers parentheses around the area code: `(070) 123 45 67`.
- Personal identity numbers (personnummer) and co-ordination numbers
  (samordningsnummer, day + 60) are masked when the digits form a plausible
  date, whether or not the check digit is right: a mistyped number still
  identifies a person to anyone who knows them.
- Phone numbers: Swedish numbers starting with 0, +46 or 0046, 8–10 digits
  after the leading zero is counted, with one separator between digits. Not
  masked although phone-shaped: a day-month-year date (01-02-2024,
  07.12.2026), the second half of an ISO date range (2026-01-05–2026-01-09)
  and a time range (07.15–08.30); what follows them is read again, so a
  number written right after a date is still masked.
- Licence plates: three capital letters and three characters (ABC 123,
  ABC-123, ABC 12D), except currency codes. Lower case is left alone: "fem
  100 kr" has the same shape, and ordinary words must not be masked.
"""

from __future__ import annotations

import re
import unicodedata

PERSONAL_NUMBER_MASK = "[personnummer]"
PHONE_MASK = "[telefonnummer]"
PLATE_MASK = "[registreringsnummer]"

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphens, en/em dash, minus sign
_SEP = rf"[ \t{_DASHES}./]"
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
_PERSONAL_NUMBER = re.compile(
    rf"(?<![0-9])(?:(?:18|19|20)?[0-9]{{2}}{_DATE})"
    rf"[ \t]?[+{_DASHES}./]?[ \t]?[0-9]{{4}}(?![0-9])"
)
_PHONE = re.compile(
    rf"(?<![0-9+(])(?:(?:\+|00)46{_SEP}*(?:\(0\){_SEP}*)?|\(?0)"
    rf"[1-9](?:\)?{_SEP}?[0-9]){{5,8}}(?![0-9])"
)
# Phone-shaped but not a phone, at the start of a match: a day-month-year date such as
# 01-02-2024 or 07.12.26, two times of day (07.15–08.30), and a two-digit group inside a
# date ("2026-11-02–2026-11-15" reads as a number from "02" on, "10.01.2000 23:15" from "01").
_DATE_LIKE = re.compile(
    rf"^0?[0-9][{_DASHES}/.][0-9]{{2}}[{_DASHES}/.](?:[0-9]{{4}}|[0-9]{{2}})(?![0-9])"
)
_TIME_RANGE = re.compile(
    rf"^[0-2][0-9][.:][0-5][0-9] ?[ {_DASHES}] ?[0-2][0-9][.:][0-5][0-9](?![0-9])"
)
_IN_DATE = re.compile(
    rf"(?:[0-9]{{4}}[{_DASHES}/.](?:[0-9]{{2}}[{_DASHES}/.])?|(?<![0-9])[0-9]{{1,2}}[{_DASHES}/.])$"
)
_TWO_DIGIT_GROUP = re.compile(rf"^0[1-9](?=[{_DASHES}/.])")
_PLATE = re.compile(
    rf"(?<![\w])([A-HJ-PR-UW-Z]{{3}})[ {_DASHES}]?([0-9]{{2}}[A-HJ-NPR-UW-Z0-9])(?![\w])"
)
_NOT_PLATES = frozenset({"SEK", "EUR", "USD", "NOK", "DKK", "GBP"})
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def normalise(text: str) -> str:
    """NFKC, and decimal digits of every script as 0–9: the form that is matched and stored."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m[0])), text)


def _mask_phones(text: str) -> str:
    """Phone numbers masked; a date or time at a match's start is kept and the rest re-read."""
    out, pos = [], 0
    while match := _PHONE.search(text, pos):
        keep = _not_a_phone(match)
        out.append(text[pos : match.start() + keep] if keep else text[pos : match.start()])
        if keep:
            pos = match.start() + keep
            continue
        out.append(PHONE_MASK)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _not_a_phone(match: re.Match[str]) -> int:
    """Length of the date or time that starts `match` (0: it is a phone number)."""
    found = match.group(0)
    for shape in (_DATE_LIKE, _TIME_RANGE):
        if m := shape.match(found):
            return m.end()
    if _IN_DATE.search(match.string, 0, match.start()) and (m := _TWO_DIGIT_GROUP.match(found)):
        return m.end()
    return 0


def _plate(match: re.Match[str]) -> str:
    letters = match.group(1)
    if letters in _NOT_PLATES:
        return match.group(0)
    return PLATE_MASK


def mask_personal_data(text: str) -> str:
    """`text` normalised, with personal identity numbers, phone numbers and plates masked."""
    if not text:
        return text
    text = normalise(text)
    text = _PERSONAL_NUMBER.sub(PERSONAL_NUMBER_MASK, text)
    text = _mask_phones(text)
    return _PLATE.sub(_plate, text)
