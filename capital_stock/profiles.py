"""Age-efficiency × survival weights g(x) of the perpetual inventory.

``K_t = Σ_x g(x) · I_{t−x}``. Ages are evaluated *analytically* at the point ages
``x = 0, 1, 2, …`` (end-of-year timing) or ``x = 0.5, 1.5, …`` (mid-year timing); the
``bls-mixture`` integral over service lives uses Gauss–Legendre quadrature on the part of the
support where the vintage is still in service (the integrand is smooth there), which agrees with
adaptive quadrature to about 1e-12.

Profiles (see docs/method.md §3.3):

``caict``          ``h(x) · S(x)``: the printed hyperbolic efficiency ``h(x) = (T − x)/(T − βx)``
                   with ``T = max_life_ratio · μ`` times the survival ``S = 1 − F`` of a normal
                   service life (mean μ, sd ``sd_ratio · μ``) truncated at ``μ ± truncation_sd · σ``
                   (and at T) and renormalised.
``bls-mixture``    each vintage's life L is drawn from that truncated normal; efficiency
                   ``(L − x)/(L − βx)`` while ``x < L``; g is the mixture over L.
``geometric``      ``(1 − δ)^x``, no maximum life.
``caict-printed``  the formula exactly as printed: ``h(x) · F(x)`` with F the *cumulative* integral
                   from 0 of the unnormalised density ``exp(−(x−μ)²/0.5)/√(2π·0.5)``; weights
                   grow with age. Warns; only to show why it cannot be right.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, fields

import numpy as np
from scipy import special

from capital_stock.assets import AssetSpec
from klems.base.errors import ParameterError, PrintedFormulaWarning

_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


@dataclass(frozen=True)
class ProfileParameters:
    """The parameters of one profile for D assets or parameter sets at once (arrays (D,)).

    ``from_specs`` builds it from :class:`AssetSpec` objects of the same profile and timing; the
    sweep builds it from its draws. Every weight function below takes it, so one asset and a
    sweep's thousands of draws run the same code.
    """

    mean_life: np.ndarray
    depreciation: np.ndarray
    beta: np.ndarray
    sd_ratio: np.ndarray
    truncation_sd: np.ndarray
    max_life_ratio: np.ndarray

    @classmethod
    def from_specs(cls, specs) -> "ProfileParameters":
        return cls(*(np.array([getattr(s, f) for s in specs], dtype=float)[:, None]
                     for f in ("mean_life", "depreciation", "beta", "sd_ratio", "truncation_sd",
                               "max_life_ratio")))

    @classmethod
    def from_arrays(cls, **arrays) -> "ProfileParameters":
        return cls(**{k: np.asarray(v, dtype=float).reshape(-1, 1) for k, v in arrays.items()})

    @property
    def max_life(self):
        return self.max_life_ratio * self.mean_life

    @property
    def sd(self):
        return self.sd_ratio * self.mean_life

    @property
    def life_bounds(self):
        lo = np.maximum(self.mean_life - self.truncation_sd * self.sd, 0.0)
        hi = np.minimum(self.mean_life + self.truncation_sd * self.sd, self.max_life)
        return lo, hi


def ages(spec: AssetSpec, n_ages: int) -> np.ndarray:
    """The ages at which the weights are evaluated (0, 1, … or 0.5, 1.5, …)."""
    offset = 0.5 if spec.timing == "mid-year" else 0.0
    return np.arange(n_ages, dtype=float) + offset


def default_n_ages(spec: AssetSpec) -> int:
    """Number of ages covering the whole service life: ``floor(T) + 1``."""
    return int(math.floor(spec.max_life + 1e-12)) + 1


def hyperbolic(x: np.ndarray, life, beta) -> np.ndarray:
    """``(L − x)/(L − βx)`` for ``x < L``, 0 from L on (vectorised over x, L and β)."""
    x = np.asarray(x, dtype=float)
    life = np.asarray(life, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = (life - x) / (life - beta * x)
    return np.where(x < life, h, 0.0)


def _phi_cdf(z):
    return special.ndtr(z)


def _survival(x, p: ProfileParameters):
    lo, hi = p.life_bounds
    mu, sd = p.mean_life, p.sd
    a, b = _phi_cdf((lo - mu) / sd), _phi_cdf((hi - mu) / sd)
    cdf = (_phi_cdf((np.asarray(x, float) - mu) / sd) - a) / (b - a)
    return 1.0 - np.clip(cdf, 0.0, 1.0)


def survival(x: np.ndarray, spec: AssetSpec) -> np.ndarray:
    """Share of a vintage still in service at age x: 1 − truncated-normal CDF of the life."""
    return _survival(x, ProfileParameters.from_specs([spec]))[0]


def _caict(x, p, name):
    return hyperbolic(x, p.max_life, p.beta) * _survival(x, p)


def _bls_mixture(x, p, name, batch: int = 256):
    """Gauss–Legendre quadrature over the lives still in service at each age; the sum over the
    64 nodes runs along the last axis (numpy's pairwise sum, the same for one asset or many).
    Parameter sets are taken ``batch`` at a time, so that many draws need little memory."""
    if p.mean_life.shape[0] > batch:
        parts = []
        for i in range(0, p.mean_life.shape[0], batch):
            sub = ProfileParameters(*(getattr(p, f.name)[i:i + batch] for f in fields(p)))
            parts.append(_bls_mixture(x, sub, name, batch))
        return np.concatenate(parts)
    lo, hi = p.life_bounds
    mu, sd = p.mean_life, p.sd
    with np.errstate(invalid="ignore", divide="ignore"):
        # normalise by the same rule over the whole support, so that g(0) = 1 exactly
        half0 = 0.5 * (hi - lo)
        lives0 = lo[..., None] + half0[..., None] * (_GL_NODES + 1.0)
        dens0 = np.exp(-0.5 * ((lives0 - mu[..., None]) / sd[..., None]) ** 2)
        norm = half0 * np.sum(_GL_WEIGHTS * 1.0 * dens0, axis=-1)
        start = np.maximum(x, lo)
        half = 0.5 * (hi - start)
        lives = start[..., None] + half[..., None] * (_GL_NODES + 1.0)
        dens = np.exp(-0.5 * ((lives - mu[..., None]) / sd[..., None]) ** 2)
        eff = hyperbolic(np.broadcast_to(x, start.shape)[..., None], lives, p.beta[..., None])
        quad = half * np.sum(_GL_WEIGHTS * eff * dens, axis=-1)
        return np.where(start < hi, quad / norm, 0.0)


def _geometric(x, p, name):
    return (1.0 - p.depreciation) ** x


def _caict_printed(x, p, name):
    warnings.warn(
        f"profile 'caict-printed' for asset {name}: the white paper's formula as printed "
        "multiplies efficiency by the cumulative retired share and an unnormalised density, so "
        "weights grow with age; use it only to compare, never to publish",
        PrintedFormulaWarning,
        stacklevel=4,
    )
    mu, sd = p.mean_life, 0.5  # printed: variance 0.25
    scale = 1.0 / math.sqrt(2 * math.pi * 0.5) * math.sqrt(2 * math.pi) * sd  # = √0.5
    F = scale * (_phi_cdf((x - mu) / sd) - _phi_cdf((0.0 - mu) / sd))
    return hyperbolic(x, p.max_life, p.beta) * F


_PROFILE_FUNCS = {
    "caict": _caict,
    "bls-mixture": _bls_mixture,
    "geometric": _geometric,
    "caict-printed": _caict_printed,
}


def weight_table(profile: str, params: ProfileParameters, n_ages: int, offset: float = 0.0,
                 name: str = "asset") -> np.ndarray:
    """Weights ``g(offset), g(offset + 1), …`` (D, n_ages) of one profile for D parameter sets.

    The same functions as :func:`efficiency_weights` (which calls this with D = 1): a sweep's
    draws get exactly the weights that one estimate with the draw's parameters gets.
    """
    x = (np.arange(int(n_ages), dtype=float) + offset)[None, :]
    return _PROFILE_FUNCS[profile](x, params, name)


def efficiency_weights(spec: AssetSpec, n_ages: int | None = None) -> np.ndarray:
    """The weights ``g(0), g(1), …`` of the perpetual inventory for one asset.

    ``n_ages`` defaults to ``floor(T) + 1`` (the whole service life; the last weight is zero
    when T is an integer). The ``geometric`` profile has no maximum life: the perpetual inventory
    asks for as many ages as the series has years, so that it equals the recursion
    ``K_t = (1 − δ) K_{t−1} + I_t`` exactly.
    """
    if not isinstance(spec, AssetSpec):
        raise ParameterError(f"efficiency_weights needs an AssetSpec, got {type(spec).__name__}")
    n = default_n_ages(spec) if n_ages is None else int(n_ages)
    if n < 1:
        raise ParameterError(f"n_ages must be >= 1, got {n_ages!r}", asset=spec.name)
    offset = 0.5 if spec.timing == "mid-year" else 0.0
    return weight_table(spec.profile, ProfileParameters.from_specs([spec]), n, offset,
                        spec.name)[0]
