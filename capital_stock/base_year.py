"""The base-year capital stock ``K_{t0} = I_{t0+1} / (g + δ)`` and the growth rate g.

Printed in the white paper (Appendix 1): ``K_t = I_{t+1} / (g + δ)``, g the average growth rate of
real investment over the observation period, δ the depreciation rate. In a geometric steady state
with growth g this is exactly the end-of-year stock of t0 including ``I_{t0}``. The option
``which="t0"`` uses ``I_{t0}`` instead (the common textbook variant, i.e. the stock at the start of
the year).
"""

from __future__ import annotations

import numpy as np

from capital_stock.validation import TimeLastLayout, check_investment, describe_position
from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from klems.base.vocabulary import BASE_YEAR_RULES, GROWTH_METHODS


def average_growth(values: np.ndarray, method: str = "geometric", *, asset: str = "asset",
                   leading=None, years=None) -> np.ndarray:
    """Average growth rate of each series (time last) over its whole span.

    ``geometric``: ``(I_last / I_first)^(1/(n−1)) − 1`` (needs positive end values);
    ``arithmetic``: mean of annual growth rates over years with positive previous value;
    ``regression``: ``exp(slope) − 1`` of an OLS fit of ``ln I`` on the year, positive years only.
    """
    expected_one_of("growth method", method, GROWTH_METHODS, asset=asset)
    v = np.asarray(values, dtype=float)
    n = v.shape[-1]
    if n < 2:
        raise InputDataError(
            f"investment of asset {asset} covers {n} year(s); the average growth rate needs at "
            "least 2 years", asset=asset)
    flat = v.reshape(-1, n)
    lead_shape = v.shape[:-1]

    def fail(i, reason):
        pos = np.unravel_index(i, lead_shape) if lead_shape else ()
        yr = f"{years[0]}-{years[-1]}" if years is not None else f"index 0-{n - 1}"
        where = describe_position(pos, leading, yr)
        raise InputDataError(
            f"cannot compute the average growth of investment of asset {asset} at {where}: "
            f"{reason}; give the growth rate explicitly or choose another growth method")

    if method == "geometric":
        first, last = flat[:, 0], flat[:, -1]
        badpos = np.flatnonzero((first <= 0) | (last <= 0))
        if badpos.size:
            fail(badpos[0], "the first or last year's investment is not positive "
                            f"({float(flat[badpos[0], 0])!r}, {float(flat[badpos[0], -1])!r})")
        g = (last / first) ** (1.0 / (n - 1)) - 1.0
    elif method == "arithmetic":
        prev, cur = flat[:, :-1], flat[:, 1:]
        ok = prev > 0
        cnt = ok.sum(axis=1)
        if np.any(cnt == 0):
            fail(np.flatnonzero(cnt == 0)[0], "no year with positive investment before it")
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(ok, cur / np.where(ok, prev, 1.0) - 1.0, 0.0)
        g = rates.sum(axis=1) / cnt
    else:
        t = np.arange(n, dtype=float)
        ok = flat > 0
        cnt = ok.sum(axis=1)
        if np.any(cnt < 2):
            fail(np.flatnonzero(cnt < 2)[0], "fewer than two years with positive investment")
        logs = np.where(ok, np.log(np.where(ok, flat, 1.0)), 0.0)
        tm = (ok * t).sum(axis=1) / cnt
        lm = logs.sum(axis=1) / cnt
        cov = (ok * (t - tm[:, None]) * (logs - lm[:, None])).sum(axis=1)
        var = (ok * (t - tm[:, None]) ** 2).sum(axis=1)
        g = np.exp(cov / var) - 1.0
    return g.reshape(lead_shape)


def _base_year_numpy(inv, depreciation, growth, which, growth_method, asset, leading, years):
    v = np.asarray(inv, dtype=float)
    check_investment(v, asset, leading, years)
    n = v.shape[-1]
    expected_one_of("base-year rule", which, BASE_YEAR_RULES, asset=asset)
    if which == "printed" and n < 2:
        raise InputDataError(
            f"investment of asset {asset} covers {n} year(s); the printed base-year formula "
            "K_t0 = I_(t0+1)/(g + δ) needs at least 2 years", asset=asset)
    if growth is None:
        growth = average_growth(v, growth_method, asset=asset, leading=leading, years=years)
    g = np.broadcast_to(np.asarray(growth, dtype=float), v.shape[:-1])
    d = np.broadcast_to(np.asarray(depreciation, dtype=float), v.shape[:-1])
    denom = g + d
    if np.any(~(denom > 0)):
        pos = tuple(np.argwhere(~(denom > 0))[0])
        where = describe_position(pos, leading, years[0] if years is not None else "index 0")
        raise ParameterError(
            f"base-year stock of asset {asset} at {where}: g + δ = {g[pos]:.6g} + {d[pos]:.6g} "
            f"= {denom[pos]:.6g} <= 0; the formula K = I/(g + δ) needs g + δ > 0 (investment "
            "falls faster than capital depreciates: choose another growth method or give g)")
    level = v[..., 1] if which == "printed" else v[..., 0]
    return level / denom


def base_year_stock(investment, depreciation, *, growth=None, dim: str = "year",
                    which: str = "printed", growth_method: str = "geometric",
                    asset: str = "asset"):
    """Stock at the first year of ``investment`` (time on the last axis, or ``dim``).

    ``which="printed"``: ``I_{t0+1} / (g + δ)``; ``which="t0"``: ``I_{t0} / (g + δ)``.
    ``growth`` (scalar or array over the leading dimensions) defaults to the average growth of
    each series by ``growth_method``. Returns an array over the leading dimensions (a DataArray
    without ``dim`` when given a DataArray).
    """
    try:
        import xarray as xr
    except ImportError:  # pragma: no cover
        xr = None
    if xr is not None and isinstance(investment, xr.DataArray):
        lay = TimeLastLayout(investment, dim, asset)
        da, lead_dims, as_lead = lay.da, lay.lead_dims, lay.as_lead
        leading, years = lay.leading, lay.years

        out = _base_year_numpy(da.values, as_lead(depreciation),
                               None if growth is None else as_lead(growth),
                               which, growth_method, asset, leading, years)
        res = xr.DataArray(out, dims=lead_dims,
                           coords={k: v for k, v in da.coords.items() if dim not in v.dims})
        res.attrs.update(long_name=f"base-year stock of {asset}", base_year_rule=which)
        if "units" in investment.attrs:
            res.attrs["units"] = investment.attrs["units"]
        return res
    return _base_year_numpy(investment, depreciation, growth, which, growth_method, asset,
                            None, None)
