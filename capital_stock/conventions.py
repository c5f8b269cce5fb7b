"""Named conventions: the stock profiles of an asset the project's way or the ONS way.

``caict``        the project's default: productive weights ``h(a; T)·S(a)`` with the printed
                 hyperbolic ``h`` of life ``T = 1.5 μ`` and the continuous survival of a normal
                 life truncated at ``μ ± 2σ`` (:func:`capital_stock.efficiency_weights`), evaluated
                 at the start of each year (weight 1 in the year of investment).
``bls-mixture``  the continuous mixture over service lives (BLS), same ages.
``geometric``    ``(1 − δ)^a``, no maximum life.
``ons``          pimir's conventions (:mod:`capital_stock.cohort`): an integer life table (Average
                 μ, CoV = ``sd_ratio``, Min and Max the whole years around ``μ ± truncation_sd·σ``),
                 a right-truncated normal, the hyperbolic pattern with the asset's β evaluated at
                 the end of each period, and ``combination`` 1 or 2.

For the project's conventions the gross weights are the survival ``S(a)`` of the asset's
retirement distribution, and the net weights the age-price profile derived from the
productive weights with the discount rate (the geometric profile is its own age-price profile).
"""

from __future__ import annotations

import math

import numpy as np

from capital_stock.age_price import discount_factor, discounted_tail_sums
from capital_stock.assets import AssetSpec
from capital_stock.cohort import PimConfig, StockProfiles, cohort_profiles
from capital_stock.profiles import ages, efficiency_weights, survival
from capital_stock.retirement import LifeTable
from klems.base.errors import ParameterError

CONVENTIONS = ("caict", "bls-mixture", "geometric", "ons")
#: ages covered by the geometric convention (no maximum life) unless ``n_ages`` says otherwise
GEOMETRIC_AGES = 100


def ons_life_table(spec: AssetSpec, vintages=None) -> LifeTable:
    """pimir's life table for an asset: Average μ, CoV ``sd_ratio``, Min and Max in whole years.

    ``Min = floor(max(μ − k·σ, 0))`` and ``Max = ceil(min(μ + k·σ, T))`` (k = ``truncation_sd``,
    T = ``max_life_ratio``·μ): the smallest whole-year range holding the asset's truncated normal.
    Hardware (μ = 4, σ = 1): Min 2, Max 6. ``vintages``: labels to repeat the row for.
    """
    lo, hi = spec.life_bounds
    row = (spec.mean_life, spec.sd_ratio, math.floor(lo + 1e-9), math.ceil(hi - 1e-9))
    if vintages is None:
        return LifeTable(*row)
    labels = np.asarray(vintages).reshape(-1)
    return LifeTable(*row, vintages=labels)


def _project_profiles(spec, n_ages, discount_rate, inflation):
    geometric = spec.profile == "geometric"
    need = 1 if geometric else math.ceil(spec.max_life - 1e-12) + 1   # last weight 0
    A = int(n_ages) if n_ages is not None else (GEOMETRIC_AGES if geometric else need)
    if A < need:
        raise ParameterError(f"n_ages = {n_ages} does not cover the maximum service life "
                             f"T = {spec.max_life:g}; expected n_ages >= {need}",
                             asset=spec.name)
    productive = efficiency_weights(spec, A)
    gross = survival(ages(spec, A), spec)
    q = discount_factor(discount_rate, inflation)
    if geometric:
        net = productive
    else:
        long = max(A, need)
        tails = discounted_tail_sums(efficiency_weights(spec, long), q)[:A]
        if spec.timing == "end-of-year":
            norm = tails[0]
        else:   # the price of a new asset sums the efficiencies at whole ages 0, 1, …
            whole = spec.replace(timing="end-of-year")
            norm = discounted_tail_sums(efficiency_weights(whole, long), q)[0]
        net = tails / norm
    params = {"profile": spec.profile, "mean_life": spec.mean_life,
              "depreciation": spec.depreciation, "beta": spec.beta, "sd_ratio": spec.sd_ratio,
              "truncation_sd": spec.truncation_sd, "max_life_ratio": spec.max_life_ratio,
              "timing": spec.timing, "discount_rate": discount_rate, "inflation": inflation}
    return StockProfiles(gross, net, productive, spec.profile, asset=spec.name,
                         parameters=params, complete=not geometric)


def asset_profiles(spec: AssetSpec, convention: str | None = None, *, combination: int = 1,
                   discount_rate: float = 0.0, inflation: float = 0.0,
                   life: LifeTable | None = None, distribution: str | None = None,
                   right_truncate: bool | None = None, n_ages: int | None = None
                   ) -> StockProfiles:
    """Gross, net and productive weights of ``spec`` under a named convention.

    ``convention`` (default: ``spec.profile``) is one of :data:`CONVENTIONS`. ``combination``,
    ``life`` (a vintage-specific :class:`LifeTable` instead of :func:`ons_life_table`),
    ``distribution`` and ``right_truncate`` apply to ``ons`` only. ``discount_rate`` and
    ``inflation`` convert age-efficiency into age-price (net stock).
    """
    if not isinstance(spec, AssetSpec):
        raise ParameterError(f"asset_profiles needs an AssetSpec, got {type(spec).__name__}")
    conv = spec.profile if convention is None else convention
    if conv not in CONVENTIONS:
        extra = (" (the printed formula is not a profile: weights grow with age)"
                 if conv == "caict-printed" else "")
        raise ParameterError(f"unknown convention {conv!r}{extra}; expected one of "
                             f"{', '.join(CONVENTIONS)}", asset=spec.name)
    if conv != "ons":
        given = {k: v for k, v in (("life", life), ("distribution", distribution),
                                   ("right_truncate", right_truncate)) if v is not None}
        if given or combination != 1:
            names = ", ".join(sorted(given) + (["combination"] if combination != 1 else []))
            raise ParameterError(f"convention {conv!r} takes no {names} (they belong to the "
                                 "'ons' convention)", asset=spec.name)
        return _project_profiles(spec.replace(profile=conv), n_ages, discount_rate, inflation)
    config = PimConfig(pattern="hyperbolic", pattern_param=spec.beta,
                       distribution="normal" if distribution is None else distribution,
                       right_truncate=True if right_truncate is None else right_truncate,
                       combination=combination,
                       offset=0.5 if spec.timing == "mid-year" else 0.0,
                       discount_rate=discount_rate, inflation=inflation)
    table = ons_life_table(spec) if life is None else life
    return cohort_profiles(config, table, n_ages=n_ages, asset=spec.name,
                           convention=f"ons-{combination}")
