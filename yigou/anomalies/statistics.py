"""The statistics the rules rest on, in plain Python so they read the same on every database: median and median
absolute deviation, the modified z-score (Iglewicz and Hoaglin; DHIS2's outlier detection), the χ² survival
function, and Benford's first-digit law with Nigrini's mean-absolute-deviation measure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median

MODIFIED_Z = 0.6745  # Φ⁻¹(0.75): makes the MAD a consistent estimate of σ for normal data
MEAN_AD = 1.253314  # √(π/2): the same for the mean absolute deviation, used when the MAD is 0
BENFORD = [math.log10(1 + 1 / d) for d in range(1, 10)]


def mad(values: Sequence[float], centre: float) -> float:
    return median(abs(v - centre) for v in values)


def modified_z(value: float, centre: float, spread: float) -> float:
    """0.6745·(x − median)/MAD; `spread` is the MAD (or, when it is 0, the scaled mean absolute deviation)."""
    return MODIFIED_Z * (value - centre) / spread


def robust_spread(values: Sequence[float], centre: float) -> float:
    """The MAD; when more than half the values are equal it is 0, and then (as IBM SPSS does) the mean absolute
    deviation × 1.253314 stands in — scaled here so that `modified_z` gives (x − median) / (1.253314 · MeanAD)."""
    spread = mad(values, centre)
    if spread > 0:
        return spread
    mean_ad = sum(abs(v - centre) for v in values) / len(values)
    return mean_ad * MEAN_AD * MODIFIED_Z


def _lower_gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    n = a
    for _ in range(500):
        n += 1
        term *= x / n
        total += term
        if abs(term) < abs(total) * 1e-15:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_gamma_fraction(a: float, x: float) -> float:
    # Lentz's continued fraction for Q(a, x), as in Numerical Recipes' gcf.
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def chi2_sf(statistic: float, df: int) -> float:
    """P(X ≥ statistic) for X ~ χ²(df): the regularized upper incomplete gamma Q(df/2, statistic/2)."""
    if statistic <= 0:
        return 1.0
    a, x = df / 2, statistic / 2
    if x < a + 1:
        return max(0.0, 1.0 - _lower_gamma_series(a, x))
    return min(1.0, _upper_gamma_fraction(a, x))


def chi2_goodness(observed: Sequence[int], expected_shares: Sequence[float]) -> tuple[float, float]:
    """(χ², p) of observed counts against expected shares (which sum to 1); df = number of classes − 1."""
    n = sum(observed)
    statistic = sum(
        (o - n * e) ** 2 / (n * e) for o, e in zip(observed, expected_shares, strict=True) if e > 0
    )
    return statistic, chi2_sf(statistic, len(observed) - 1)


def chi2_two_by_two(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """(χ², p) of the table [[a, b], [c, d]] (no continuity correction), df = 1."""
    n = a + b + c + d
    rows, cols = (a + b, c + d), (a + c, b + d)
    if 0 in rows or 0 in cols:
        return 0.0, 1.0
    statistic = n * (a * d - b * c) ** 2 / (rows[0] * rows[1] * cols[0] * cols[1])
    return statistic, chi2_sf(statistic, 1)


def benford_mad(counts: Sequence[int]) -> float:
    """Nigrini's mean absolute deviation of first-digit shares (digits 1–9) from Benford's law."""
    n = sum(counts)
    return sum(abs(c / n - e) for c, e in zip(counts, BENFORD, strict=True)) / 9
