"""Age patterns of one asset: efficiency (or price) at age x of an asset that lives L periods.

The functional forms of pimir's profile functions and of the OECD manual *Measuring Capital*
(2009, chapter 11): every pattern is 1 at age 0 and 0 from the service life L on.

``hyperbolic``         ``(L − x)/(L − βx)``, parameter β in [0, 1) (β = 0: linear; β → 1: one-hoss
                       shay)
``geometric``          ``(1 − δ)^x``, parameter δ in [0, 1)
``linear``             1 until the delay d, then ``(L − x)/(L − d)``, parameter d >= 0 (default 0)
``constant``           1 ("one-hoss shay"), no parameter
``declining-balance``  ``(1 − R/L)^x``, parameter R (the declining-balance rate, 0 < R < L)

The forms are a few lines of numpy each; no library offers them with pimir's parametrisation.
"""

from __future__ import annotations

import math

import numpy as np

from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError

AGE_PATTERNS = ("hyperbolic", "geometric", "linear", "constant", "declining-balance")
#: patterns whose age-price and age-efficiency profiles coincide (no conversion, as in pimir)
SELF_DUAL_PATTERNS = ("geometric", "declining-balance")
DEFAULT_PARAMETER = {"hyperbolic": 0.8, "geometric": None, "linear": 0.0, "constant": None,
                     "declining-balance": None}


def check_pattern(name: str, param) -> float | None:
    """Validate a pattern name and its parameter; returns the parameter to use."""
    expected_one_of("age pattern", name, AGE_PATTERNS)
    if param is None:
        param = DEFAULT_PARAMETER[name]
    if name == "constant":
        return None
    if param is None:
        what = "depreciation rate δ" if name == "geometric" else "declining-balance rate R"
        raise ParameterError(f"age pattern {name} needs its parameter ({what})")
    p = float(param)
    if not math.isfinite(p):
        raise ParameterError(f"age pattern {name}: parameter must be finite, got {param!r}")
    if name == "hyperbolic" and not 0.0 <= p < 1.0:
        raise ParameterError(f"hyperbolic beta must lie in [0, 1), got {param!r}")
    if name == "geometric" and not 0.0 <= p < 1.0:
        raise ParameterError(f"geometric depreciation rate must lie in [0, 1), got {param!r}")
    if name == "linear" and p < 0:
        raise ParameterError(f"linear delay must be >= 0, got {param!r}")
    if name == "declining-balance" and p <= 0:
        raise ParameterError(f"declining-balance rate must be > 0, got {param!r}")
    return p


def age_pattern(name: str, x, life, param=None) -> np.ndarray:
    """Value of the pattern at ages ``x`` for service life ``life`` (both broadcast).

    Zero from ``x >= life`` on. ``param`` is β (hyperbolic), δ (geometric), the delay
    (linear) or R (declining balance); ``None`` takes the default (β = 0.8, delay 0).
    """
    p = check_pattern(name, param)
    x = np.asarray(x, dtype=float)
    life = np.asarray(life, dtype=float)
    if np.any(~np.isfinite(life)) or np.any(life <= 0):
        raise ParameterError(f"age pattern {name}: service lives must be finite and > 0")
    alive = x < life
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "hyperbolic":
            v = (life - x) / (life - p * x)
        elif name == "geometric":
            v = np.broadcast_to((1.0 - p) ** x, np.broadcast(x, life).shape)
        elif name == "linear":
            v = np.where(x < p, 1.0, (life - x) / (life - p))
        elif name == "constant":
            v = np.ones(np.broadcast(x, life).shape)
        else:
            short = float(np.min(life))
            if p >= short:
                raise ParameterError(
                    f"declining-balance rate R = {p:g} must be below every service life it is "
                    f"applied to (the shortest here is {short:g} periods), else (1 − R/L) <= 0")
            v = (1.0 - p / life) ** x
    return np.where(alive, v, 0.0)
