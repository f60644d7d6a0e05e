from datetime import date

import pytest

from trygg.situation.periods import (
    PeriodError,
    custom_period,
    default_period,
    parse_period,
    read_period,
    refuse_future,
)


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


TODAY = date(2026, 12, 1)  # a Tuesday in week 49


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("vecka 48", "2026-W48"),
        ("v48", "2026-W48"),
        ("V 48", "2026-W48"),
        ("v.48", "2026-W48"),
        ("vecka 48 2026", "2026-W48"),
        ("vecka 48, 2026", "2026-W48"),
        ("Vecka 49", "2026-W49"),  # in progress: allowed, as before
        ("vecka 50", "2025-W50"),  # no year: the latest week 50 that has begun
        ("week 3", "2026-W03"),
        ("november 2026", "2026-11"),
        ("November", "2026-11"),
        ("nov 2025", "2025-11"),
        ("december", "2026-12"),
        ("januari 2026", "2026-01"),
        ("tertial 3 2026", "2026-T3"),
        ("tertial 3", "2026-T3"),
        ("T2 2025", "2025-T2"),
        ("2026", "2026"),
        ("2026-w47", "2026-W47"),
        ("2026-W46+2", "2026-W46+2"),
        (" 2026-11 ", "2026-11"),
        ("2026-11-02..2026-11-15", "2026-11-02..2026-11-15"),
    ],
)
def test_it_reads_swedish_words_and_iso_keys(typed, key):
    assert read_period(typed, TODAY).key == key


@pytest.mark.parametrize(
    "typed", ["vecka 54", "vecka 53 2025", "smörgåsbord 2026", "tertial 4", "v", "nästa vecka"]
)
def test_it_refuses_words_that_name_no_period(typed):
    with pytest.raises(PeriodError):
        read_period(typed, TODAY)


@pytest.mark.parametrize(
    "key", ["0001-01", "9999-W52", "9999", "2101-T1", "1999-12", "1999-12-31..2000-01-02"]
)
def test_it_refuses_years_the_picture_cannot_compare(key):
    with pytest.raises(PeriodError, match="2000"):
        parse_period(key)


def test_the_earliest_period_leaves_room_for_its_baseline_and_last_year():
    for key in ("2000-W01", "2000-01", "2000-T1", "2000", "2000-01-01..2002-12-31"):
        period = parse_period(key)
        assert [p.start for p in period.previous(4)] and period.same_last_year().start.year >= 1996


def test_it_refuses_a_period_that_has_not_begun_and_keeps_one_in_progress():
    assert refuse_future(read_period("vecka 49", TODAY), TODAY).key == "2026-W49"
    assert refuse_future(parse_period("2026-12"), TODAY).key == "2026-12"
    for key in ("2026-W50", "2027", "2027-01", "2026-12-02..2026-12-03"):
        with pytest.raises(PeriodError, match="har inte börjat"):
            refuse_future(parse_period(key), TODAY)
