"""Masking as properties: no valid personal identity number survives; dates and amounts do."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.reports.masking import mask_personal_data

words = st.sampled_from(
    ["Klotter", "vid", "porten", "kl", "23:15", "igår", "ca", "fem", "personer", "-", ","]
)
filler = st.lists(words, max_size=6).map(" ".join)


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


@st.composite
def personal_numbers(draw):
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
    coordination = draw(st.booleans())  # samordningsnummer: day + 60
    day = born.day + (60 if coordination else 0)
    serial = draw(st.integers(0, 999))
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = nine + luhn_digit(nine)
    century = f"{born.year // 100}"
    separator = draw(st.sampled_from(["", "-", "+", " - "]))
    if draw(st.booleans()):
        return f"{century}{ten[:6]}{separator}{ten[6:]}"
    return f"{ten[:6]}{separator}{ten[6:]}"


@st.composite
def phone_numbers(draw):
    mobile = f"07{draw(st.integers(0, 9))}{draw(st.integers(0, 9_999_999)):07d}"
    style = draw(st.sampled_from(["plain", "dashed", "spaced", "intl", "intl00"]))
    if style == "dashed":
        return f"{mobile[:3]}-{mobile[3:6]} {mobile[6:8]} {mobile[8:]}"
    if style == "spaced":
        return f"{mobile[:3]} {mobile[3:6]} {mobile[6:8]} {mobile[8:]}"
    if style == "intl":
        return f"+46 {mobile[1:3]} {mobile[3:6]} {mobile[6:8]} {mobile[8:]}"
    if style == "intl00":
        return f"0046{mobile[1:]}"
    return mobile


@st.composite
def ordinary_dates_and_amounts(draw):
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
    amount = draw(st.integers(1, 9_999_999))
    return draw(
        st.sampled_from(
            [
                day.isoformat(),
                f"{day.day}/{day.month} {day.year}",
                f"{day:%Y%m%d}",
                f"{amount} kr",
                f"{amount:,}".replace(",", " ") + " kr",
                f"{amount} SEK",
                f"SEK {amount}",
                f"kl {day.month:02d}:{day.day % 60:02d}",
                f"vecka {day.isocalendar().week}",
            ]
        )
    )


@settings(max_examples=300)
@given(before=filler, number=personal_numbers(), after=filler)
def test_no_personal_identity_number_survives(before, number, after):
    masked = mask_personal_data(f"{before} {number} {after}")
    assert masked == f"{before} [personnummer] {after}"


@settings(max_examples=200)
@given(before=filler, number=phone_numbers(), after=filler)
def test_no_phone_number_survives(before, number, after):
    masked = mask_personal_data(f"{before} {number} {after}")
    # A bare 07xxxxxxxx is also a valid personal number (born 2007): either mask will do.
    assert "[telefonnummer]" in masked or "[personnummer]" in masked
    assert masked.startswith(before) and masked.endswith(after)
    middle = masked[len(before) : len(masked) - len(after)]
    assert not any(ch.isdigit() for ch in middle)


@settings(max_examples=300)
@given(before=filler, value=ordinary_dates_and_amounts(), after=filler)
def test_ordinary_dates_and_amounts_are_left_alone(before, value, after):
    text = f"{before} {value} {after}"
    assert mask_personal_data(text) == text


def test_it_masks_licence_plates_old_and_new():
    assert (
        mask_personal_data("bil ABC 123 och XYZ12A")
        == "bil [registreringsnummer] och [registreringsnummer]"
    )


def test_it_keeps_text_without_personal_data_unchanged():
    text = "Krossad ruta i trapphus 3B, skada ca 2 500 kr, 2026-11-20 kl 02:30"
    assert mask_personal_data(text) == text
