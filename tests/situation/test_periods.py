from datetime import date

import pytest

from trygg.situation.periods import PeriodError, custom_period, default_period, parse_period


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2026-W47", date(2026, 11, 16), date(2026, 11, 23)),
        ("2026-W46+2", date(2026, 11, 9), date(2026, 11, 23)),
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 5)),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
        ("2026-T3", date(2026, 9, 1), date(2027, 1, 1)),
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026-11-02..2026-11-15", date(2026, 11, 2), date(2026, 11, 16)),
    ],
)
def test_it_parses_every_kind_of_key_and_gives_it_back(key, start, end):
    period = parse_period(key)
    assert (period.start, period.end) == (start, end)
    assert parse_period(period.key) == period


@pytest.mark.parametrize(
    "key", ["2026-W54", "2026-13", "2026-T4", "26", "2026-11-15..2026-11-02", "", "x"]
)
def test_it_refuses_what_is_not_a_period(key):
    with pytest.raises(PeriodError):
        parse_period(key)


def test_previous_periods_are_adjacent_and_nearest_first():
    week = parse_period("2026-W02")
    assert [p.key for p in week.previous(4)] == ["2026-W01", "2025-W52", "2025-W51", "2025-W50"]
    month = parse_period("2026-03")
    assert [p.key for p in month.previous(3)] == ["2026-02", "2026-01", "2025-12"]
    assert parse_period("2026-T1").previous(1)[0].key == "2025-T3"


def test_same_period_last_year_is_the_same_iso_week():
    assert parse_period("2026-W47").same_last_year().key == "2025-W47"
    assert parse_period("2026-W53").same_last_year().key == "2025-W52"  # 2025 has no week 53
    assert parse_period("2026-11").same_last_year().key == "2025-11"
    assert parse_period("2026-T2").same_last_year().key == "2025-T2"


def test_the_default_is_the_last_complete_period_of_the_cadence():
    wednesday = date(2026, 11, 25)
    assert default_period("weekly", wednesday).key == "2026-W47"
    assert default_period("biweekly", wednesday).key == "2026-W46+2"
    assert default_period("monthly", wednesday).key == "2026-10"


def test_a_custom_period_is_inclusive_and_bounded():
    assert custom_period(date(2026, 1, 1), date(2026, 1, 1)).days == 1
    with pytest.raises(PeriodError):
        custom_period(date(2020, 1, 1), date(2026, 1, 1))
