"""RTT estimation: mosh's RFC 6298 smoothing, rounding and bounds (PROTOCOL.md 4.2)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moshz.ssp.rtt import RttEstimator


def test_before_any_sample_the_timers_are_at_their_maximum() -> None:
    rtt = RttEstimator()
    assert (rtt.srtt, rtt.rttvar) == (1000.0, 500.0)
    assert rtt.rto == 1000
    assert rtt.send_interval == 250


def test_first_sample_sets_srtt_and_half_of_it_as_variance() -> None:
    rtt = RttEstimator()
    assert rtt.sample(100)
    assert (rtt.srtt, rtt.rttvar) == (100.0, 50.0)
    assert rtt.rto == 300
    assert rtt.send_interval == 50


def test_later_samples_are_smoothed_with_gains_one_eighth_and_one_quarter() -> None:
    rtt = RttEstimator()
    rtt.sample(100)
    rtt.sample(180)
    assert rtt.rttvar == 0.75 * 50 + 0.25 * 80
    assert rtt.srtt == 0.875 * 100 + 0.125 * 180
    assert rtt.send_interval == 55  # ceil(110 / 2)


def test_samples_of_five_seconds_or_more_are_ignored() -> None:
    rtt = RttEstimator()
    assert not rtt.sample(5000)
    assert not rtt.has_sample
    rtt.sample(4999)
    assert rtt.srtt == 4999.0


def test_fast_links_hit_the_lower_bounds() -> None:
    rtt = RttEstimator()
    rtt.sample(1)
    assert rtt.rto == 50
    assert rtt.send_interval == 20


@given(st.lists(st.integers(0, 70000), min_size=1, max_size=50))
def test_timers_stay_within_bounds(samples: list[int]) -> None:
    rtt = RttEstimator()
    for sample in samples:
        rtt.sample(sample)
    assert 50 <= rtt.rto <= 1000
    assert 20 <= rtt.send_interval <= 250
