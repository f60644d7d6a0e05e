import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.analysis.effect import MIN_PRE_COUNT, PrePost, wdd, wdq


def test_it_reproduces_the_published_wdd_example():
    # R ptools: wdd(c(308, 318), c(207, 110), c(150, 140), c(178, 157)), i.e.
    # control, treated, displacement control, displacement buffer, each (pre, post).
    result = wdd(
        treated=PrePost(207, 110),
        control=PrePost(308, 318),
        buffer=PrePost(178, 157),
        buffer_control=PrePost(150, 140),
    )
    assert result.estimate == -118
    assert result.local == -107 and result.displacement == -11
    assert result.se == pytest.approx(math.sqrt(1568))
    assert result.z == pytest.approx(-2.98, abs=0.005)
    assert (round(result.ci_low), round(result.ci_high)) == (-196, -40)
    assert result.conclusion == "reduction"


def test_it_leaves_out_the_buffer_when_there_is_none():
    result = wdd(PrePost(50, 30), PrePost(60, 60))
    assert result.estimate == -20 and result.se == pytest.approx(math.sqrt(200))


def test_it_says_too_few_events_when_even_a_total_drop_could_not_show():
    # Four events before; even zero after would sit inside the noise of these counts.
    result = wdd(PrePost(4, 2), PrePost(5, 6))
    assert result.conclusion == "too_few_events"


def test_it_says_no_significant_change_when_the_counts_could_have_shown_one():
    result = wdd(PrePost(200, 195), PrePost(210, 200))
    assert result.conclusion == "no_significant_change"


def test_it_reports_an_increase():
    assert wdd(PrePost(100, 180), PrePost(100, 100)).conclusion == "increase"


def test_it_handles_all_zero_counts():
    result = wdd(PrePost(0, 0), PrePost(0, 0))
    assert result.conclusion == "too_few_events" and result.z == 0 and result.p == 1


def test_it_reproduces_the_published_wdq_hand_check():
    # T 100 → 50, D 100 → 150, C 100 → 100: SM −0.5, BM 0.5, WDQ −1 (complete displacement).
    result = wdq(PrePost(100, 50), PrePost(100, 150), PrePost(100, 100))
    assert (result.success_measure, result.buffer_measure, result.wdq) == (-0.5, 0.5, -1.0)
    assert result.interpretation == "displacement" and result.total_net_effect == 0


@pytest.mark.parametrize(
    ("buffer_post", "interpretation"),
    [
        (40, "diffusion_exceeds_treatment"),
        (80, "diffusion_of_benefits"),
        (100, "no_displacement_or_diffusion"),
        (130, "displacement"),
        (170, "displacement_exceeds_treatment"),
    ],
)
def test_it_reads_the_wdq_as_bowers_and_johnson_do(buffer_post, interpretation):
    result = wdq(PrePost(100, 50), PrePost(100, buffer_post), PrePost(100, 100))
    assert result.interpretation == interpretation


def test_it_gives_no_wdq_when_the_measure_did_not_succeed():
    result = wdq(PrePost(100, 110), PrePost(100, 90), PrePost(100, 100))
    assert result.interpretation == "no_success" and result.wdq is None


def test_it_gives_no_wdq_on_too_few_events():
    result = wdq(PrePost(MIN_PRE_COUNT - 1, 2), PrePost(40, 60), PrePost(50, 50))
    assert result.interpretation == "too_few_events" and result.wdq is None
    assert wdq(PrePost(5, 2), PrePost(4, 6), PrePost(0, 3)).interpretation == "too_few_events"


counts = st.builds(PrePost, st.integers(0, 500), st.integers(0, 500))


@settings(max_examples=80, deadline=None)
@given(counts, counts, counts, counts)
def test_it_never_returns_nan(treated, control, buffer, buffer_control):
    result = wdd(treated, control, buffer, buffer_control)
    assert all(math.isfinite(v) for v in (result.estimate, result.se, result.z, result.p))
    quotient = wdq(treated, buffer, control)
    for value in (quotient.wdq, quotient.success_measure, quotient.total_net_effect):
        assert value is None or math.isfinite(value)
