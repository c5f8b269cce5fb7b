"""Harmonised ICT deflators (Schreyer 2002): a domestic reference deflator plus a smoothed
international ICT price differential.

``Δln P^ICT_dom,t = λ_t + Δln P^ref_dom,t``, with ``λ_t`` the level of simple exponential
smoothing (statsmodels) of ``d_t = Δln P^ICT_intl,t − Δln P^ref_intl,t``. Past the last
international year ``λ`` is the smoothing forecast (the last level, flat); before the first it
is the estimated initial level. Those years are labelled ``extrapolated``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from price_index._kernels import ses_level
from price_index.chaining import _check_years

SMOOTHING = ("exponential", "none")
STATUS_ORDER = {"published": 0, "derived": 1, "extrapolated": 2}


@dataclass(frozen=True)
class SmoothingFit:
    """Fitted simple exponential smoothing of a yearly series."""

    smoothing_level: float      # α
    initial_level: float        # l_{-1}, the level before the first observation
    sse: float                  # sum of squared one-step-ahead errors
    n_obs: int
    first_year: int
    last_year: int
    estimated: bool             # α estimated (True) or fixed (False)
    level: pd.Series            # l_t for the observed years

    @property
    def forecast(self) -> float:
        return float(self.level.iloc[-1])

    def as_dict(self, prefix: str = "") -> dict:
        return {f"{prefix}smoothing_level": self.smoothing_level,
                f"{prefix}initial_level": self.initial_level, f"{prefix}sse": self.sse,
                f"{prefix}n_obs": self.n_obs, f"{prefix}fit_years": f"{self.first_year}-{self.last_year}",
                f"{prefix}smoothing_level_estimated": int(self.estimated),
                f"{prefix}forecast": self.forecast}


def fit_smoothing(series: pd.Series, *, smoothing_level: float | None = None,
                  initial_level: float | None = None, name: str = "series") -> SmoothingFit:
    """Simple exponential smoothing of a gap-free yearly series with statsmodels.

    ``smoothing_level=None`` estimates α (with the initial level); a float fixes it in (0, 1].
    ``initial_level`` fixes the level before the first year (otherwise estimated).
    """
    from statsmodels.tsa.holtwinters import SimpleExpSmoothing

    if smoothing_level is not None and not (0.0 < float(smoothing_level) <= 1.0):
        raise ParameterError(f"{name}: smoothing level must lie in (0, 1], got {smoothing_level}")
    s = series.astype(float)
    years = np.asarray(s.index, dtype=int)
    if len(s) and (np.any(np.diff(years) != 1) or s.isna().any()):
        full = set(range(int(years.min()), int(years.max()) + 1))
        missing = sorted(full.difference(years.tolist()) | set(years[s.isna().to_numpy()].tolist()))
        raise InputDataError(f"{name}: missing years inside the series {missing}; expected one "
                             f"value for every year {years.min()}-{years.max()}")
    if len(s) < 3:
        raise InputDataError(f"{name}: {len(s)} years to smooth; expected at least 3 "
                             f"(years {list(years)})")
    x = s.to_numpy()
    if initial_level is None:
        model = SimpleExpSmoothing(x, initialization_method="estimated")
    else:
        model = SimpleExpSmoothing(x, initialization_method="known",
                                   initial_level=float(initial_level))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels convergence chatter on short series
        if smoothing_level is None:
            fit = model.fit(optimized=True)
        else:
            fit = model.fit(smoothing_level=float(smoothing_level),
                            optimized=initial_level is None)
    alpha = float(fit.params["smoothing_level"])
    l0 = float(fit.params["initial_level"])
    level = ses_level(x, alpha, l0)
    return SmoothingFit(alpha, l0, float(fit.sse), len(x), int(years[0]), int(years[-1]),
                        smoothing_level is None, pd.Series(level, index=s.index, name="level"))


def log_changes(index: pd.Series, what: str) -> pd.Series:
    """``ln x_t − ln x_{t−1}`` of a gap-free, positive fixed-base index (first year dropped)."""
    s = index.astype(float)
    _check_years(s, what)
    return np.log(s).diff().iloc[1:]


def worst_status(*statuses: str) -> str:
    return max(statuses, key=lambda s: STATUS_ORDER.get(s, 1))


def harmonized_deflator(domestic_reference: pd.Series, international_ict: pd.Series,
                        international_reference: pd.Series, *, smoothing: str = "exponential",
                        smoothing_level: float | None = None, initial_level: float | None = None,
                        base_year: int | None = None, base_value: float = 100.0) -> pd.Series:
    """Domestic ICT deflator harmonised on an international ICT price differential.

    All three inputs are fixed-base indices (any base) indexed by year, without gaps. The result
    covers the years of ``domestic_reference`` and equals ``base_value`` in ``base_year``
    (default: its first year). ``smoothing="exponential"`` smooths the differential with
    statsmodels' simple exponential smoothing (``smoothing_level=None`` estimates α, a float
    fixes it); ``smoothing="none"`` uses the raw differential (α = 1).

    ``attrs``: ``status`` (Series per year: ``derived``/``extrapolated``; a year is
    extrapolated when λ is a forecast/backcast or the domestic reference's own
    ``attrs["status"]`` says so), ``lambda``, ``differential`` (Series), the fitted parameters
    (``smoothing_level``, ``initial_level``, ``sse``, ``n_obs``, ``fit_years``, ``forecast``),
    ``international_years`` and ``units``.
    """
    expected_one_of("smoothing of the harmonized deflator", smoothing, SMOOTHING)
    dom = log_changes(domestic_reference, "domestic reference deflator")
    ict = log_changes(international_ict, "international ICT deflator")
    ref = log_changes(international_reference, "international reference deflator")
    common = ict.index.intersection(ref.index)
    if len(common) == 0:
        raise InputDataError(
            "international ICT and reference deflators have no year-to-year change in common: "
            f"ICT {ict.index.min()}-{ict.index.max()}, reference {ref.index.min()}-{ref.index.max()}")
    diff = (ict.loc[common] - ref.loc[common]).rename("differential")
    # the common years must be contiguous (both inputs are gap-free, so they are)
    if smoothing == "none":
        fit = SmoothingFit(1.0, float(diff.iloc[0]), 0.0, len(diff), int(common[0]),
                           int(common[-1]), False, diff.rename("level"))
        if smoothing_level not in (None, 1.0):
            raise ParameterError("harmonized_deflator: smoothing='none' implies smoothing level 1; "
                                 f"got smoothing_level={smoothing_level}")
    else:
        fit = fit_smoothing(diff, smoothing_level=smoothing_level, initial_level=initial_level,
                            name="international ICT price differential")
    years = np.asarray(domestic_reference.index, dtype=int)
    lam = pd.Series(fit.forecast, index=pd.Index(years[1:], name="year"), name="lambda")
    inside = lam.index.isin(fit.level.index)
    lam[inside] = fit.level.reindex(lam.index[inside]).to_numpy()
    lam[lam.index < fit.first_year] = fit.initial_level
    dom_status = domestic_reference.attrs.get("status")
    status = []
    for y in years:
        s = "derived"
        if y != years[0] and not (fit.first_year <= y <= fit.last_year):
            s = "extrapolated"
        if isinstance(dom_status, pd.Series) and y in dom_status.index:
            s = worst_status(s, "derived" if dom_status[y] == "published" else dom_status[y])
        status.append(s)
    log_level = np.concatenate([[0.0], np.cumsum(lam.to_numpy() + dom.to_numpy())])
    out = pd.Series(np.exp(log_level), index=pd.Index(years, name="year"), name="harmonized")
    base = int(years[0]) if base_year is None else int(base_year)
    if base not in out.index:
        raise InputDataError(f"harmonized_deflator: base year {base} is outside the domestic "
                             f"reference {years[0]}-{years[-1]}")
    out = out / out.loc[base] * base_value
    out.attrs.update(fit.as_dict())
    out.attrs.update({
        "smoothing": smoothing, "lambda": lam, "differential": diff,
        "status": pd.Series(status, index=out.index, name="status"),
        "international_years": f"{int(common[0]) - 1}-{int(common[-1])}",
        "units": f"index {base}={base_value:g}",
    })
    return out
