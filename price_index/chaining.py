"""Chaining, un-chaining, rebasing, deflating and annualising price indices.

Official Chinese price indices are published as *previous year = 100* (上年=100). The estimator
works with fixed-base indices (2000 = 100). The functions here convert between the two without
changing any growth rate, and refuse series with gaps (a gap would silently break the chain).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klems.base.errors import InputDataError


def _check_years(series: pd.Series, what: str) -> None:
    """Raise if the year index of ``series`` has gaps or NaN values inside its span."""
    if series.empty:
        raise InputDataError(f"{what}: the series is empty; expected at least one year")
    years = np.asarray(series.index, dtype=int)
    if np.any(np.diff(years) <= 0):
        raise InputDataError(f"{what}: years are not strictly increasing: {list(years)}")
    full = set(range(int(years[0]), int(years[-1]) + 1))
    missing = sorted(full.difference(years.tolist()) | set(years[np.isnan(series.to_numpy(float))].tolist()))
    if missing:
        raise InputDataError(
            f"{what}: missing years inside the series {missing}; expected one value for every "
            f"year {years[0]}-{years[-1]}"
        )
    bad = series[series.to_numpy(float) <= 0]
    if len(bad):
        raise InputDataError(
            f"{what}: non-positive index values in years {list(bad.index)}; expected values > 0"
        )


def chain(previous_year_100: pd.Series, base_year: int, *, base_value: float = 100.0,
          name: str | None = None) -> pd.Series:
    """Chain a previous-year = 100 index into a fixed-base index (``base_year`` = ``base_value``).

    ``previous_year_100[t]`` is ``100 * P_t / P_{t-1}``; the value of the first year is not used
    (its link to the year before lies outside the series). The base year must lie in the series.
    """
    what = name or previous_year_100.name or "price index"
    s = previous_year_100.astype(float)
    _check_years(s.iloc[1:] if len(s) > 1 else s, f"{what} (previous year = 100)")
    years = list(s.index)
    if base_year not in years:
        raise InputDataError(
            f"{what}: base year {base_year} is outside the series {years[0]}-{years[-1]}"
        )
    logs = np.log(s.to_numpy() / 100.0)
    logs[0] = 0.0
    level = np.cumsum(logs)
    level -= level[years.index(base_year)]
    return pd.Series(base_value * np.exp(level), index=s.index, name=s.name)


def unchain(fixed_base: pd.Series, *, name: str | None = None) -> pd.Series:
    """Inverse of :func:`chain`: previous year = 100 (the first year is NaN)."""
    what = name or fixed_base.name or "price index"
    s = fixed_base.astype(float)
    _check_years(s, f"{what} (fixed base)")
    out = 100.0 * s / s.shift(1)
    return out.rename(s.name)


def rebase(index, year: int, *, dim: str = "year", value: float = 100.0):
    """Rebase a fixed-base index so that ``year`` equals ``value``; growth rates are unchanged.

    Accepts a pandas Series or DataFrame indexed by year, or an xarray DataArray with ``dim``;
    returns the same kind.
    """
    try:
        import xarray as xr
    except ImportError:  # pragma: no cover - xarray is a dependency
        xr = None
    if xr is not None and isinstance(index, xr.DataArray):
        if year not in index[dim].values:
            raise InputDataError(f"rebase: year {year} is not in the index (dimension {dim!r})")
        base = index.sel({dim: year})
        if bool((base <= 0).any()) or bool(base.isnull().any()):
            raise InputDataError(f"rebase: the index in base year {year} must be positive")
        out = index / base * value
        out.attrs = dict(index.attrs)
        out.attrs["base"] = f"{year}={value:g}"
        return out
    if year not in index.index:
        raise InputDataError(
            f"rebase: year {year} is not in the index ({index.index.min()}-{index.index.max()})"
        )
    base = index.loc[year]
    if np.any(np.asarray(base, dtype=float) <= 0) or np.any(pd.isna(base)):
        raise InputDataError(f"rebase: the index in base year {year} must be positive")
    return index / base * value


def deflate(nominal, price_index, *, base_value: float = 100.0):
    """Real values = nominal / (price index / ``base_value``); same kind as ``nominal``."""
    return nominal / (price_index / base_value)


def annualise(quarterly: pd.Series, *, how: str = "mean", complete: bool = True) -> pd.Series:
    """Annual averages (or sums) of a quarterly series indexed by dates or ``Period``.

    With ``complete=True`` (default) years with fewer than four quarters are dropped, because an
    average of three quarters is not an annual index.
    """
    idx = quarterly.index
    if isinstance(idx, pd.PeriodIndex):
        years = idx.year
    else:
        years = pd.DatetimeIndex(pd.to_datetime(idx)).year
    grouped = quarterly.astype(float).groupby(np.asarray(years))
    counts = grouped.count()
    if how == "mean":
        out = grouped.mean()
    elif how == "sum":
        out = grouped.sum()
    else:
        raise ValueError(f"annualise: how must be 'mean' or 'sum', not {how!r}")
    if complete:
        out = out[counts == 4]
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out.rename(quarterly.name)
