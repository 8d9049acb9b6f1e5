"""Upper-tail probabilities for small counts (negative binomial, with Poisson as its limit)."""

from __future__ import annotations

import math

_MAX_TERMS = 5000


def log_tail(observed: int, expected: float, shape: float) -> float:
    """Natural log of P(X >= observed) for a count X with mean ``expected``.

    X is negative binomial with ``shape`` (the number of baseline events the mean rests on): a
    baseline learnt from few events is uncertain, so its tail is heavier than Poisson's. The tail
    is summed upwards from ``observed``, so tiny probabilities keep their precision.
    """
    if observed <= 0:
        return 0.0
    expected = max(expected, 1e-9)
    q = expected / (expected + shape)
    # log pmf(k) = lgamma(k+r) - lgamma(r) - lgamma(k+1) + r log(1-q) + k log q
    log_first = (
        math.lgamma(observed + shape)
        - math.lgamma(shape)
        - math.lgamma(observed + 1)
        + shape * math.log1p(-q)
        + observed * math.log(q)
    )
    total, term, k = 1.0, 1.0, observed
    for _ in range(_MAX_TERMS):
        term *= (k + shape) / (k + 1) * q
        total += term
        k += 1
        if term < 1e-12 * total:
            break
    return min(0.0, log_first + math.log(total))


def log10_tail(observed: int, expected: float, shape: float) -> float:
    """Base-10 log of the upper tail (``-log10_tail`` reads as "how many zeros the p-value has")."""
    return log_tail(observed, expected, shape) / math.log(10)
