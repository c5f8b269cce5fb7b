"""Retirement: the share of a vintage still in service at each age, from a life table.

A *life table* gives, for each investment year (vintage), the average service life, its
coefficient of variation and the minimum and maximum service lives (whole periods), as in the
ONS perpetual-inventory package ``pimir`` (columns ``Average``, ``CoV``, ``Min``, ``Max``).
A *retirement distribution* turns one row into survival shares ``S(a)`` at the ages
``a = 0, 1, …`` of the vintage (age 0 = the year of investment):

``normal``     mean = Average, sd = CoV · Average
``lognormal``  log-sd ``s = √ln(1 + CoV²)``, median ``Average · exp(−s²/2)`` (mean = Average)
``gamma``      shape ``1/CoV²``, scale ``Average · CoV²``
``weibull``    shape k solving ``Γ(1+2/k)/Γ(1+1/k)² − 1 = CoV²`` (root found to machine
               precision), scale ``Average / Γ(1+1/k)``
``none``       no dispersion: every asset lives until Max

The distributions are :mod:`scipy.stats` distributions (their CDFs are used as they are).
Survival at age ``a`` (pimir's conventions, see ``docs/capital_stock.md``), with F the CDF and
``y = a + offset``:

* ``S(a) = 1`` for ``a < Min`` (left truncation at Min);
* ``S(a) = (F(Max) − F(y)) / (F(Max) − F(Min))`` with right truncation, else
  ``(1 − F(y)) / (1 − F(Min))``, for ``Min ≤ a < Max``;
* ``S(a) = 0`` for ``a ≥ Max`` (every asset has retired by Max).

With ``Min == Max`` every asset lives exactly Max periods (as ``none``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError

RETIREMENT_DISTRIBUTIONS = ("normal", "weibull", "lognormal", "gamma", "none")

_WEIBULL_SHAPE_BRACKET = (0.02, 2000.0)


def _weibull_cov(shape: float) -> float:
    """Coefficient of variation of a Weibull distribution with the given shape."""
    ratio = math.exp(special.gammaln(1 + 2 / shape) - 2 * special.gammaln(1 + 1 / shape))
    return math.sqrt(max(ratio - 1.0, 0.0))


def weibull_shape(cov: float) -> float:
    """Weibull shape k whose coefficient of variation is ``cov`` (scipy ``brentq`` root).

    pimir finds the same root by bisection to a tolerance of 1e-5 on the CoV; the root here is
    exact to machine precision, so Weibull survival shares can differ from pimir's in the fifth
    decimal.
    """
    lo, hi = _WEIBULL_SHAPE_BRACKET
    cov_lo, cov_hi = _weibull_cov(hi), _weibull_cov(lo)
    if not (cov_lo < cov < cov_hi):
        raise ParameterError(f"Weibull retirement: coefficient of variation {cov!r} is outside "
                             f"the range a Weibull distribution can take here "
                             f"({cov_lo:.4g} to {cov_hi:.4g})")
    from scipy import optimize  # imported when a Weibull life is asked for (start-up time)

    return optimize.brentq(lambda k: _weibull_cov(k) - cov, lo, hi, xtol=1e-14, rtol=1e-15)


def _distribution_parameters(name: str, average: float, cov: float):
    """(scipy.stats distribution, its parameters) of service lives with this mean and CoV."""
    expected_one_of("retirement distribution", name, RETIREMENT_DISTRIBUTIONS)
    if name == "none":
        return None, {}
    average, cov = float(average), float(cov)
    if not (math.isfinite(average) and average > 0):
        raise ParameterError(f"average service life must be a finite number > 0, got {average!r}")
    if not (math.isfinite(cov) and cov > 0):
        raise ParameterError(f"{name} retirement needs a coefficient of variation > 0, got "
                             f"{cov!r}")
    from scipy import stats  # heavy to import: only when a retirement distribution is used

    if name == "normal":
        return stats.norm, {"loc": average, "scale": average * cov}
    if name == "lognormal":
        s2 = math.log1p(cov * cov)
        return stats.lognorm, {"s": math.sqrt(s2), "scale": average * math.exp(-s2 / 2)}
    if name == "gamma":
        return stats.gamma, {"a": 1.0 / (cov * cov), "scale": average * cov * cov}
    k = weibull_shape(cov)
    return stats.weibull_min, {"c": k, "scale": average / math.exp(special.gammaln(1 + 1 / k))}


def retirement_distribution(name: str, average: float, cov: float):
    """The frozen :mod:`scipy.stats` distribution of service lives with this mean and CoV.

    Returns ``None`` for ``none`` (no dispersion).
    """
    rv, params = _distribution_parameters(name, average, cov)
    return None if rv is None else rv(**params)


def _as_column(values, name, n):
    a = np.asarray(values, dtype=float).reshape(-1)
    if a.size not in (1, n):
        raise ParameterError(f"life table: column {name} has {a.size} rows, the others {n}")
    return np.broadcast_to(a, (n,)).copy()


@dataclass(frozen=True, eq=False)
class LifeTable:
    """Service lives by vintage: ``Average``, ``CoV``, ``Min``, ``Max`` (pimir's life table).

    Each argument is a scalar (the same for every vintage) or a sequence with one value per
    vintage; ``vintages`` labels the rows (investment years). ``Min`` and ``Max`` are whole
    numbers of periods with ``0 <= Min <= Max`` and ``Max >= 1``.
    """

    average: np.ndarray
    cov: np.ndarray
    min: np.ndarray
    max: np.ndarray
    vintages: np.ndarray | None = field(default=None)

    def __post_init__(self):
        cols = {"Average": self.average, "CoV": self.cov, "Min": self.min, "Max": self.max}
        n = max(np.size(v) for v in cols.values())
        if self.vintages is not None:
            labels = np.asarray(self.vintages).reshape(-1)
            if n not in (1, labels.size):
                raise ParameterError(f"life table: {labels.size} vintage labels for {n} rows")
            n = labels.size
            object.__setattr__(self, "vintages", labels)
        arrays = {k: _as_column(v, k, n) for k, v in cols.items()}
        for key, attr in zip(cols, ("average", "cov", "min", "max")):
            object.__setattr__(self, attr, arrays[key])
        for i in range(n):
            self._check_row(i)

    def where(self, i: int) -> str:
        """'vintage 2003' (labelled) or 'row 3' (unlabelled) for messages."""
        return f"vintage {self.vintages[i]}" if self.vintages is not None else f"row {i}"

    def _check_row(self, i):
        avg, cov, lo, hi = (float(a[i]) for a in (self.average, self.cov, self.min, self.max))

        def bad(msg):
            raise ParameterError(f"life table, {self.where(i)}: {msg}")

        if not (math.isfinite(avg) and avg > 0):
            bad(f"Average must be a finite number > 0, got {avg!r}")
        if not (math.isfinite(cov) and cov >= 0):
            bad(f"CoV must be a finite number >= 0, got {cov!r}")
        for name, v in (("Min", lo), ("Max", hi)):
            if not (math.isfinite(v) and v == math.floor(v)):
                bad(f"{name} must be a whole number of periods (pimir's life tables are in whole "
                    f"periods), got {v!r}")
        if lo < 0:
            bad(f"Min must be >= 0, got {lo:g}")
        if hi < 1:
            bad(f"Max must be >= 1, got {hi:g}")
        if lo > hi:
            bad(f"Min ({lo:g}) is greater than Max ({hi:g}); expected Min <= Max")

    def __len__(self) -> int:
        return self.average.size

    @property
    def longest(self) -> int:
        """The largest Max over the vintages."""
        return int(self.max.max())

    @classmethod
    def from_frame(cls, frame, vintage_column: str | None = None) -> "LifeTable":
        """A life table from a pandas DataFrame with pimir's columns Average, CoV, Min, Max.

        Vintages are ``frame[vintage_column]`` or, when absent, the frame's index.
        """
        missing = [c for c in ("Average", "CoV", "Min", "Max") if c not in frame.columns]
        if missing:
            raise ParameterError(f"life table: missing column(s) {', '.join(missing)}; expected "
                                 "Average, CoV, Min, Max (pimir's names)")
        vint = frame[vintage_column].to_numpy() if vintage_column else frame.index.to_numpy()
        return cls(frame["Average"].to_numpy(float), frame["CoV"].to_numpy(float),
                   frame["Min"].to_numpy(float), frame["Max"].to_numpy(float), vintages=vint)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({"Average": self.average, "CoV": self.cov, "Min": self.min,
                             "Max": self.max}, index=self.vintages)

    def unique_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct (Average, CoV, Min, Max) rows and, per vintage, the index of its row."""
        rows = np.column_stack([self.average, self.cov, self.min, self.max])
        if np.all(rows == rows[:1]):        # the common case, without np.unique's overhead
            return rows[:1], np.zeros(len(rows), dtype=np.int64)
        uniq, inverse = np.unique(rows, axis=0, return_inverse=True)
        return uniq, inverse.reshape(-1)


def _survival_row(avg, cov, lo, hi, ages, distribution, right_truncate, offset):
    lo_i, hi_i = int(lo), int(hi)
    s = np.zeros(ages.size)
    if distribution == "none" or lo_i == hi_i:
        s[ages < hi_i] = 1.0
        return s
    # the unfrozen distribution with explicit parameters: freezing costs ~1 ms a call
    rv, params = _distribution_parameters(distribution, avg, cov)
    inside = (ages >= lo_i) & (ages < hi_i)
    y = ages[inside] + offset
    points = np.concatenate([[lo, hi], y])
    if right_truncate:
        cdf = rv.cdf(points, **params)
        denom, num = cdf[1] - cdf[0], cdf[1] - cdf[2:]
    else:
        sf = rv.sf(np.concatenate([[lo], y]), **params)
        denom, num = sf[0], sf[1:]
    if not denom > 1e-12:
        span = "between Min and Max" if right_truncate else "above Min"
        raise ParameterError(
            f"{distribution} retirement with Average {avg:g} and CoV {cov:g} puts no probability "
            f"{span} ({lo:g}, {hi:g}); expected Min <= Average <= Max or a larger CoV")
    s[inside] = np.clip(num / denom, 0.0, 1.0)
    s[ages < lo_i] = 1.0
    return s


def survival_table(life: LifeTable, distribution: str = "normal", *, right_truncate: bool = True,
                   offset: float = 0.0, n_ages: int | None = None) -> np.ndarray:
    """Survival shares ``S[v, a]`` of each vintage v at ages ``a = 0 … n_ages−1``.

    ``n_ages`` defaults to the longest Max + 1 (the last share is 0). ``offset`` in [0, 1] is
    the point within the period at which survival is evaluated (pimir's ``offSet``).
    """
    if not isinstance(life, LifeTable):
        raise ParameterError(f"survival_table needs a LifeTable, got {type(life).__name__}")
    if distribution not in RETIREMENT_DISTRIBUTIONS:
        raise ParameterError(f"unknown retirement distribution {distribution!r}; expected one "
                             f"of {', '.join(RETIREMENT_DISTRIBUTIONS)}")
    if not (math.isfinite(offset) and 0.0 <= offset <= 1.0):
        raise ParameterError(f"offset must lie in [0, 1], got {offset!r}")
    n = life.longest + 1 if n_ages is None else int(n_ages)
    if n < 1:
        raise ParameterError(f"n_ages must be >= 1, got {n_ages!r}")
    ages = np.arange(n, dtype=float)
    uniq, inverse = life.unique_rows()
    rows = np.empty((uniq.shape[0], n))
    for r, (avg, cov, lo, hi) in enumerate(uniq):
        try:
            rows[r] = _survival_row(avg, cov, lo, hi, ages, distribution, right_truncate, offset)
        except ParameterError as exc:
            first = int(np.flatnonzero(inverse == r)[0])
            raise ParameterError(f"life table, {life.where(first)}: {exc}") from None
    return rows[inverse]
