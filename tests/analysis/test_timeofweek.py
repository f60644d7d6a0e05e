import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.analysis.timeofweek import time_of_week

MONDAY = np.datetime64("2026-11-23T00:00")  # a Monday


def at(day, hour, minute=0):
    return MONDAY + np.timedelta64(day * 24 * 60 + hour * 60 + minute, "m")


def naive_aoristic(starts, ends):
    """Minute-by-minute loop: every minute of the window gets 1/length of the event."""
    matrix = np.zeros((7, 24))
    for s, e in zip(starts, ends, strict=True):
        minutes = np.arange(s, e, np.timedelta64(1, "m"))
        for m in minutes:
            day = (m.astype("datetime64[D]").astype(int) + 3) % 7
            hour = (m.astype("datetime64[h]").astype(int)) % 24
            matrix[day, hour] += 1 / minutes.size
    return matrix


def test_it_counts_point_events_in_their_start_hour():
    result = time_of_week(np.array([at(0, 8, 15), at(0, 8, 59), at(6, 23, 30)]))
    assert result.matrix[0, 8] == 2 and result.matrix[6, 23] == 1
    assert result.matrix.sum() == 3 and result.n_windowed == 0


def test_it_spreads_an_overnight_window_over_its_hours_by_minutes():
    result = time_of_week(np.array([at(0, 22, 30)]), np.array([at(1, 6, 30)]))
    assert result.matrix[0, 22] == pytest.approx(0.5 / 8)
    assert result.matrix[0, 23] == pytest.approx(1 / 8)
    np.testing.assert_allclose(result.matrix[1, :6], 1 / 8)
    assert result.matrix[1, 6] == pytest.approx(0.5 / 8)
    assert result.matrix.sum() == pytest.approx(1) and result.n_windowed == 1


def test_it_wraps_from_sunday_night_into_monday_morning():
    result = time_of_week(np.array([at(6, 23, 30)]), np.array([at(7, 0, 30)]))
    assert result.matrix[6, 23] == pytest.approx(0.5) and result.matrix[0, 0] == pytest.approx(0.5)


def test_it_spreads_a_window_longer_than_a_week_almost_evenly():
    result = time_of_week(np.array([at(0, 0)]), np.array([at(17, 12)]))
    assert result.matrix.sum() == pytest.approx(1)
    # 420 hours: every hour of the week twice, Monday to Thursday noon three times.
    assert result.matrix.min() == pytest.approx(2 / 420) and result.matrix.max() == pytest.approx(
        3 / 420
    )
    assert result.matrix[3, 11] == pytest.approx(3 / 420) and result.matrix[3, 12] == pytest.approx(
        2 / 420
    )


def test_it_agrees_with_a_minute_by_minute_loop():
    rng = np.random.default_rng(4)
    starts = MONDAY + rng.integers(0, 60 * 24 * 30, 40).astype("timedelta64[m]")
    ends = starts + rng.integers(1, 60 * 40, 40).astype("timedelta64[m]")
    result = time_of_week(starts, ends)
    np.testing.assert_allclose(result.matrix, naive_aoristic(starts, ends), atol=1e-12)


def test_it_takes_epoch_seconds_as_well_as_datetimes():
    starts = np.array([at(2, 3, 10), at(4, 21, 0)])
    ends = np.array([at(2, 5, 0), np.datetime64("NaT")], dtype="datetime64[m]")
    seconds = starts.astype("datetime64[s]").astype(np.int64).astype(float)
    end_seconds = np.array([ends[0].astype("datetime64[s]").astype(np.int64), np.nan])
    a, b = time_of_week(starts, ends), time_of_week(seconds, end_seconds)
    np.testing.assert_allclose(a.matrix, b.matrix)
    assert a.n_windowed == 1 and a.matrix[4, 21] == 1  # a missing end is a point event


def test_it_treats_an_end_before_the_start_as_a_point_event():
    result = time_of_week(np.array([at(3, 12)]), np.array([at(3, 11)]))
    assert result.matrix[3, 12] == 1 and result.n_windowed == 0


def test_it_gives_an_empty_matrix_for_no_events():
    result = time_of_week(np.array([], dtype="datetime64[s]"))
    assert result.matrix.shape == (7, 24) and result.matrix.sum() == 0


def test_its_totals_are_the_row_and_column_sums():
    result = time_of_week(np.array([at(0, 1), at(0, 2), at(5, 2)]))
    assert list(result.weekday_totals[[0, 5]]) == [2, 1] and result.hour_totals[2] == 2


events = st.lists(
    st.tuples(st.integers(0, 60 * 24 * 400), st.one_of(st.none(), st.integers(-60, 60 * 24 * 20))),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(events, st.randoms(use_true_random=False))
def test_it_gives_each_event_weight_one_whatever_the_order(items, random):
    starts = MONDAY + np.array([s for s, _ in items], dtype="timedelta64[m]")
    ends = np.array(
        [np.datetime64("NaT") if d is None else starts[i] + np.timedelta64(d, "m")
         for i, (_, d) in enumerate(items)],
        dtype="datetime64[m]",
    )  # fmt: skip
    result = time_of_week(starts, ends)
    assert result.matrix.sum() == pytest.approx(len(items))
    assert np.isfinite(result.matrix).all() and (result.matrix >= -1e-12).all()
    order = list(range(len(items)))
    random.shuffle(order)
    np.testing.assert_allclose(time_of_week(starts[order], ends[order]).matrix, result.matrix,
                               atol=1e-9)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(events, st.integers(-30, 30))
def test_it_moves_by_whole_weeks_without_changing(items, weeks):
    starts = np.array([s * 60 for s, _ in items], dtype=np.int64)
    ends = np.array([s * 60 + (d or 0) * 60 for s, d in items], dtype=np.int64)
    shift = weeks * 7 * 24 * 3600
    a, b = time_of_week(starts, ends), time_of_week(starts + shift, ends + shift)
    np.testing.assert_allclose(a.matrix, b.matrix, atol=1e-9)
