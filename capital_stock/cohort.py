"""Cohort profiles: age pattern × retirement, for the gross, net and productive stocks.

A *cohort* is the investment of one year. Its weights at ages ``a = 0, 1, …`` (age 0 = the year
of investment) multiply that investment in the stocks of the following years:

``gross``       survival ``S(a)`` (:mod:`capital_stock.retirement`)
``productive``  the cohort's age-efficiency profile
``net``         the cohort's age-price profile

Built the way ONS's ``pimir`` builds them (``calcCohortProfile``; conventions worked out against
its published reference values, see ``docs/capital_stock.md``): the pattern of a single asset is
evaluated at the *end* of each period, ``k = a + 1``, and survival at the start, ``S(a)``:

``combination=1``  weighted average over retirement ages: the share ``S(L−1) − S(L)`` of the
                   cohort that retires after age ``L−1`` follows the pattern of an asset of life
                   ``L+1``; ``E(a) = Σ_L [S(L−1) − S(L)] · f(a+1; L+1)`` (the US BLS approach).
``combination=2``  fixed profile: one pattern of life ``Max+1`` times survival;
                   ``E(a) = f(a+1; Max+1) · S(a)``.

The other profile (age-price from age-efficiency or back) follows with the discount rate
(:mod:`capital_stock.age_price`): under combination 1 from the cohort's profile (with
``E(0) = 1``), under combination 2 from the single asset's pattern, then times ``S(a)``.
Geometric and declining-balance patterns are their own age-price profiles (not converted, as
in pimir).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from capital_stock.age_patterns import SELF_DUAL_PATTERNS, age_pattern, check_pattern
from capital_stock.age_price import efficiency_to_price, price_to_efficiency
from capital_stock.retirement import RETIREMENT_DISTRIBUTIONS, LifeTable, survival_table
from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError

PROFILE_TYPES = ("age-efficiency", "age-price")
COMBINATIONS = (1, 2)


@dataclass(frozen=True)
class PimConfig:
    """How cohort profiles are built (pimir's ``pimConfig``).

    Parameters
    ----------
    profile_type : ``age-efficiency`` (the pattern is efficiency; the net stock uses the derived
        age-price profile) or ``age-price`` (the other way round).
    pattern : ``hyperbolic``, ``geometric``, ``linear``, ``constant`` or ``declining-balance``.
    pattern_param : β, δ, the linear delay or the declining-balance rate (``None``: default).
    distribution : retirement distribution: ``normal``, ``weibull``, ``lognormal``, ``gamma`` or
        ``none``.
    right_truncate : truncate the retirement distribution at Max (and renormalise).
    combination : 1 (weighted average over retirement ages) or 2 (fixed profile × survival).
    offset : point in [0, 1] within the period at which survival is evaluated.
    discount_rate, inflation : for the conversion between age-efficiency and age-price.

    The defaults are the configuration of the issue's reference values (hyperbolic β = 0.8,
    right-truncated normal, combination 1, offset 0, no discounting); pimir's own defaults are
    ``lin``, no right truncation.
    """

    profile_type: str = "age-efficiency"
    pattern: str = "hyperbolic"
    pattern_param: float | None = 0.8
    distribution: str = "normal"
    right_truncate: bool = True
    combination: int = 1
    offset: float = 0.0
    discount_rate: float = 0.0
    inflation: float = 0.0

    def __post_init__(self):
        expected_one_of("profile type", self.profile_type, PROFILE_TYPES)
        object.__setattr__(self, "pattern_param",
                           check_pattern(self.pattern, self.pattern_param))
        if self.distribution not in RETIREMENT_DISTRIBUTIONS:
            raise ParameterError(f"unknown retirement distribution {self.distribution!r}; "
                                 f"expected one of {', '.join(RETIREMENT_DISTRIBUTIONS)}")
        if not isinstance(self.right_truncate, (bool, np.bool_)):
            raise ParameterError(f"right_truncate must be True or False, got "
                                 f"{self.right_truncate!r}")
        if isinstance(self.combination, str) and self.combination in ("1", "2"):
            object.__setattr__(self, "combination", int(self.combination))   # pimir's spelling
        if self.combination not in COMBINATIONS or isinstance(self.combination, bool):
            raise ParameterError(f"unknown combination method {self.combination!r}; expected 1 "
                                 "(weighted average over retirement ages) or 2 (fixed profile)")
        if not (math.isfinite(self.offset) and 0.0 <= self.offset <= 1.0):
            raise ParameterError(f"offset must lie in [0, 1], got {self.offset!r}")
        for name in ("discount_rate", "inflation"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > -1.0):
                raise ParameterError(f"{name} must be a finite number > -1, got {v!r}")

    def describe(self) -> dict:
        return {"profile_type": self.profile_type, "pattern": self.pattern,
                "pattern_param": self.pattern_param, "distribution": self.distribution,
                "right_truncate": bool(self.right_truncate), "combination": self.combination,
                "offset": self.offset, "discount_rate": self.discount_rate,
                "inflation": self.inflation}


@dataclass(frozen=True, eq=False)
class StockProfiles:
    """Weights of the gross, net and productive stocks by vintage and age.

    ``gross``, ``net`` and ``productive`` have shape ``(V, A)``: one row per vintage (``V = 1``:
    the same for every vintage) and ages ``0 … A−1``. ``complete`` says that the service lives
    are finite and the weights have reached 0 at age ``A−1`` (checked); a profile that is not
    complete (the geometric one) can only be applied to series of at most ``A`` years.
    """

    gross: np.ndarray
    net: np.ndarray
    productive: np.ndarray
    convention: str
    asset: str = "asset"
    parameters: dict = field(default_factory=dict)
    vintages: np.ndarray | None = None
    complete: bool = True

    def __post_init__(self):
        arrays = {}
        for name in ("gross", "net", "productive"):
            a = np.atleast_2d(np.asarray(getattr(self, name), dtype=float))
            if a.ndim != 2:
                raise ParameterError(f"{name} profile must be (vintages, ages), got shape "
                                     f"{a.shape}", asset=self.asset)
            if np.any(~np.isfinite(a)) or np.any(a < 0) or np.any(a > 1 + 1e-12):
                raise ParameterError(f"{name} profile must lie in [0, 1]", asset=self.asset)
            arrays[name] = a
        shapes = {a.shape for a in arrays.values()}
        if len(shapes) != 1:
            raise ParameterError(f"gross, net and productive profiles differ in shape: "
                                 f"{sorted(shapes)}", asset=self.asset)
        for name, a in arrays.items():
            object.__setattr__(self, name, a)
            if self.complete and np.any(a[:, -1] != 0):
                raise ParameterError(f"{name} profile does not reach 0 at its last age "
                                     f"({a.shape[1] - 1}); profiles with finite service lives "
                                     "must cover every age until the weights are 0",
                                     asset=self.asset)
        if self.vintages is not None:
            labels = np.asarray(self.vintages).reshape(-1)
            if labels.size != arrays["gross"].shape[0]:
                raise ParameterError(f"{labels.size} vintage labels for "
                                     f"{arrays['gross'].shape[0]} profile rows", asset=self.asset)
            object.__setattr__(self, "vintages", labels)

    @property
    def n_vintages(self) -> int:
        return self.gross.shape[0]

    @property
    def n_ages(self) -> int:
        return self.gross.shape[1]

    @property
    def consumption_of_fixed_capital(self) -> np.ndarray:
        """Depreciation weights ``d(a) = net(a−1) − net(a)`` with ``net(−1) = 1``.

        ``CFC_t = Σ_a d(a) I_{t−a}``, so that ``net_t = net_{t−1} + I_t − CFC_t``.
        """
        prev = np.concatenate([np.ones((self.n_vintages, 1)), self.net[:, :-1]], axis=1)
        return prev - self.net

    def table(self, vintage: int = 0):
        """A pandas DataFrame (index: age) of the weights of one vintage row."""
        import pandas as pd

        frame = pd.DataFrame({"gross": self.gross[vintage], "net": self.net[vintage],
                              "productive": self.productive[vintage],
                              "cfc": self.consumption_of_fixed_capital[vintage]})
        frame.index.name = "age"
        return frame


def _convert(values, config, to_price: bool):
    if config.pattern in SELF_DUAL_PATTERNS:
        return values
    fn = efficiency_to_price if to_price else price_to_efficiency
    return fn(values, config.discount_rate, config.inflation)


def _cohort_row(s, hi, config, n_ages):
    """Main (pattern-space) and converted cohort profiles for one life-table row."""
    k = np.arange(n_ages + 1, dtype=float)      # end-of-period ages 0 … A
    to_price = config.profile_type == "age-efficiency"
    if config.combination == 2:
        single = age_pattern(config.pattern, k, hi + 1, config.pattern_param)
        main = single[1:] * s[:n_ages]
        other = _convert(single, config, to_price)[1:] * s[:n_ages]
        return main, other
    # combination 1: mixture over retirement ages; mass S(L−1) − S(L) lives L + 1
    prev = np.concatenate([[1.0], s[:-1]])
    mass = prev - s                              # mass[L] for L = 0 … A
    lives = np.flatnonzero(mass > 0)
    if lives.size == 0:
        full = np.ones(n_ages + 1)               # nobody retires within the table
    else:
        pats = age_pattern(config.pattern, k[None, :], (lives + 1.0)[:, None],
                           config.pattern_param)
        full = mass[lives] @ pats
    full[0] = 1.0
    main = full[1:]
    other = _convert(full, config, to_price)[1:]
    return main, other


def cohort_profiles(config: PimConfig, life: LifeTable, *, n_ages: int | None = None,
                    asset: str = "asset", convention: str = "pimir") -> StockProfiles:
    """Gross, net and productive weights of every vintage of ``life`` under ``config``.

    ``n_ages`` (default: the longest Max + 1, so that the last weights are 0) must cover the
    longest service life.
    """
    if not isinstance(config, PimConfig):
        raise ParameterError(f"cohort_profiles needs a PimConfig, got {type(config).__name__}")
    if not isinstance(life, LifeTable):
        raise ParameterError(f"cohort_profiles needs a LifeTable, got {type(life).__name__}")
    need = life.longest + 1
    A = need if n_ages is None else int(n_ages)
    if A < need:
        raise ParameterError(f"n_ages = {n_ages} does not cover the longest service life "
                             f"(Max = {life.longest}); expected n_ages >= {need}", asset=asset)
    surv = survival_table(life, config.distribution, right_truncate=config.right_truncate,
                          offset=config.offset, n_ages=A + 1)
    uniq, inverse = life.unique_rows()
    gross = np.empty((uniq.shape[0], A))
    main = np.empty_like(gross)
    other = np.empty_like(gross)
    for r, row in enumerate(uniq):
        v = int(np.flatnonzero(inverse == r)[0])
        try:
            main[r], other[r] = _cohort_row(surv[v], int(row[3]), config, A)
        except ParameterError as exc:
            raise ParameterError(f"life table, {life.where(v)}: {exc}", asset=asset) from None
        gross[r] = surv[v, :A]
    if config.profile_type == "age-efficiency":
        productive, net = main, other
    else:
        productive, net = other, main
        if np.any(productive > 1 + 1e-12):
            r, a = np.argwhere(productive > 1 + 1e-12)[0]
            v = int(np.flatnonzero(inverse == r)[0])
            raise ParameterError(
                f"life table, {life.where(v)}: the age-price profile implies an efficiency of "
                f"{productive[r, a]:.6g} at age {a}, above that of a new asset (the price falls "
                "too slowly in the early years for the discount rate); expected a price profile "
                "that falls at least as fast early as late (convex)", asset=asset)
    params = config.describe()
    params["life_table"] = ("Average, CoV, Min, Max = "
                            + "; ".join(f"{a:g}, {c:g}, {lo:g}, {hi:g}" for a, c, lo, hi in uniq))
    return StockProfiles(gross[inverse], net[inverse], productive[inverse], convention,
                         asset=asset, parameters=params,
                         vintages=life.vintages if len(life) > 1 else None, complete=True)
