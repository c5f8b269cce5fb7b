"""Age-price profiles from age-efficiency profiles and back, with a discount rate.

OECD, *Measuring Capital* (2009), chapter 12 ("age-price and depreciation profiles") and the
model of its Annex: the price of an asset of age k is the discounted value of the services it
will still render. With efficiencies ``E(0) = 1, E(1), E(2), …`` (0 from the end of the service
life on), the real discount rate ``r`` and the expected asset-price inflation ``π``,

    ``P(k) = Σ_{s≥0} E(k+s) q^s / Σ_{s≥0} E(s) q^s``,   ``q = (1+π)/(1+r)``,

so that ``P(0) = 1``; and back, ``E(k) ∝ P(k) − q·P(k+1)`` (``P`` is 0 beyond the last age),
normalised to ``E(0) = 1``. These are the conversions of pimir's ``efficiencyToPriceProfile`` and
``priceToEfficiencyProfile`` (discountRate r, inflationRate π), written in closed form. The sum
``Σ_s E(k+s) q^s`` is the backward recursion ``A(k) = E(k) + q·A(k+1)``, computed by
:func:`scipy.signal.lfilter` over the reversed ages.
"""

from __future__ import annotations

import math

import numpy as np

from klems.base.errors import ParameterError


def discount_factor(rate: float, inflation: float = 0.0) -> float:
    """``q = (1 + inflation)/(1 + rate)``, after checking both rates."""
    for name, v in (("discount rate", rate), ("inflation rate", inflation)):
        if not (isinstance(v, (int, float, np.floating)) and math.isfinite(v) and v > -1.0):
            raise ParameterError(f"{name} must be a finite number > -1, got {v!r}")
    return (1.0 + inflation) / (1.0 + rate)


def _check_profile(values, what):
    a = np.asarray(values, dtype=float)
    if a.ndim == 0 or a.shape[-1] == 0:
        raise ParameterError(f"{what} profile must have at least one age")
    if np.any(~np.isfinite(a)):
        raise ParameterError(f"{what} profile contains a value that is not finite")
    if np.any(a < 0):
        k = np.argwhere(a < 0)[0]
        raise ParameterError(f"{what} profile is negative ({float(a[tuple(k)])!r}) at age {k[-1]}; "
                             "expected values >= 0")
    return a


def discounted_tail_sums(values, q: float) -> np.ndarray:
    """``A(k) = Σ_{s≥0} values(k+s) q^s`` along the last axis (unnormalised)."""
    rev = np.flip(np.asarray(values, dtype=float), axis=-1)
    from scipy import signal  # heavy (1-2 s to import): only when a conversion is asked for

    return np.flip(signal.lfilter([1.0], [1.0, -q], rev, axis=-1), axis=-1)


def efficiency_to_price(efficiency, rate: float = 0.0, inflation: float = 0.0) -> np.ndarray:
    """Age-price profile ``P(0…K)`` (``P(0) = 1``) of the age-efficiency profile ``E(0…K)``.

    Ages run along the last axis (leading axes are separate profiles); ``E`` is taken as 0
    beyond the last age given. ``rate`` is the (real) discount rate, ``inflation`` the expected
    rise of the price of a new asset per period.
    """
    e = _check_profile(efficiency, "age-efficiency")
    q = discount_factor(rate, inflation)
    tails = discounted_tail_sums(e, q)
    first = tails[..., :1]
    if np.any(~(first > 0)):
        raise ParameterError("age-efficiency profile is zero at every age; it has no price")
    return tails / first


def price_to_efficiency(price, rate: float = 0.0, inflation: float = 0.0) -> np.ndarray:
    """Age-efficiency profile ``E(0…K)`` (``E(0) = 1``) of the age-price profile ``P(0…K)``.

    The inverse of :func:`efficiency_to_price`: ``E(k) ∝ P(k) − q·P(k+1)`` with ``P = 0``
    beyond the last age given. A price profile that falls more slowly than the discount factor
    ``q`` would need negative efficiency and is refused.
    """
    p = _check_profile(price, "age-price")
    q = discount_factor(rate, inflation)
    nxt = np.concatenate([p[..., 1:], np.zeros(p.shape[:-1] + (1,))], axis=-1)
    e = p - q * nxt
    first = e[..., :1]
    if np.any(~(first > 0)):
        raise ParameterError("age-price profile implies no efficiency at age 0 (P(0) <= q·P(1))")
    e = e / first
    if np.any(e < -1e-12):
        k = np.argwhere(e < -1e-12)[0]
        raise ParameterError(
            f"age-price profile implies negative efficiency at age {k[-1]} "
            f"(P(k) < q·P(k+1) with q = {q:.6g}); expected a price that falls at least as fast "
            "as the discount factor")
    return np.maximum(e, 0.0)  # only rounding residues (> -1e-12) are set to 0
