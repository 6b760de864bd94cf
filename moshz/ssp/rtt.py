"""Round-trip time estimation and the timers derived from it (PROTOCOL.md 4.2).

mosh measures RTT from echoed 16-bit timestamps and smooths it the TCP way
(RFC 6298). The smoothed value drives both the retransmission timeout and the
frame interval, so both live here, with mosh's exact rounding and bounds.
"""

from __future__ import annotations

import math

INITIAL_SRTT = 1000.0
INITIAL_RTTVAR = 500.0
MAX_SAMPLE_MS = 5000
MIN_RTO = 50
MAX_RTO = 1000
SEND_INTERVAL_MIN = 20
SEND_INTERVAL_MAX = 250
_ALPHA = 1.0 / 8.0
_BETA = 1.0 / 4.0


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


class RttEstimator:
    """Smoothed RTT, its variance, and the RTO and send interval mosh derives from them."""

    def __init__(self) -> None:
        self.srtt = INITIAL_SRTT
        self.rttvar = INITIAL_RTTVAR
        self.has_sample = False
        self._derive()

    def sample(self, rtt_ms: int) -> bool:
        """Fold one measured round trip in; returns False if it was ignored as too large."""
        if rtt_ms >= MAX_SAMPLE_MS:
            return False
        sample = float(rtt_ms)
        if not self.has_sample:
            self.srtt = sample
            self.rttvar = sample / 2
            self.has_sample = True
        else:
            self.rttvar = (1 - _BETA) * self.rttvar + _BETA * abs(self.srtt - sample)
            self.srtt = (1 - _ALPHA) * self.srtt + _ALPHA * sample
        self._derive()
        return True

    def _derive(self) -> None:
        """Compute the timers once per sample (the sender reads them several times a tick)."""
        self._rto = _clamp(math.ceil(self.srtt + 4 * self.rttvar), MIN_RTO, MAX_RTO)
        self._send_interval = _clamp(math.ceil(self.srtt / 2), SEND_INTERVAL_MIN, SEND_INTERVAL_MAX)

    @property
    def rto(self) -> int:
        """Retransmission timeout in ms: ceil(SRTT + 4 RTTVAR) within [50, 1000]."""
        return self._rto

    @property
    def send_interval(self) -> int:
        """Minimum spacing of frames in ms: ceil(SRTT / 2) within [20, 250]."""
        return self._send_interval
