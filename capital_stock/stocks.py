"""Gross, net and productive capital stocks and consumption of fixed capital, all series at once.

With weights ``w(a)`` of a cohort at age a (:class:`capital_stock.cohort.StockProfiles`)::

    gross_t      = Σ_a S(a) · I_{t−a}
    net_t        = Σ_a P(a) · I_{t−a}          (age-price weights)
    productive_t = Σ_a E(a) · I_{t−a}          (age-efficiency weights)
    CFC_t        = Σ_a [P(a−1) − P(a)] · I_{t−a},   P(−1) = 1

so that ``net_t = net_{t−1} + I_t − CFC_t`` at constant prices. With an investment price index
``p_t`` (price of a new asset in year t relative to the prices in which investment is measured:
1 in the base year, an index 2000=100 divided by 100) each variable is also given at current
prices, ``p_t`` times its constant-price value.

Pre-sample vintages: ``none`` (no capital before the first year, as pimir) or ``backcast``
(investment before the first year is ``I_{t0}/(1+g)^k``, g the average growth of each series,
and follows the first vintage's profile).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from capital_stock import _stock_kernels
from capital_stock.base_year import average_growth
from capital_stock.cohort import StockProfiles
from capital_stock.validation import TimeLastLayout, check_investment, describe_position
from klems.base.choices import expected_one_of
from klems.base.errors import DimensionError, InputDataError, ParameterError

STOCKS = ("gross_stock", "net_stock", "productive_stock", "consumption_of_fixed_capital")
PRESAMPLE_RULES = ("none", "backcast")

_NAMES = {
    "gross_stock": ("gross capital stock", "总资本存量"),
    "net_stock": ("net capital stock", "净资本存量"),
    "productive_stock": ("productive capital stock", "生产性资本存量"),
    "consumption_of_fixed_capital": ("consumption of fixed capital", "固定资本消耗"),
}


def _check_profiles(profiles, name="profiles"):
    if not isinstance(profiles, StockProfiles):
        raise ParameterError(f"{name} must be StockProfiles (from asset_profiles or "
                             f"cohort_profiles), got {type(profiles).__name__}")
    return profiles


def _vintage_rows(plist, n, years):
    """Profile rows per vintage: R (1 or n) and, per profile, its (R, A) weights."""
    R = 1
    for p in plist:
        if p.n_vintages not in (1, n):
            raise DimensionError(f"profiles of asset {p.asset} have {p.n_vintages} vintage rows "
                                 f"but the investment covers {n} years; expected 1 or {n}")
        if p.n_vintages == n and n > 1:
            R = n
            if years is not None and p.vintages is not None and not np.array_equal(
                    np.asarray(p.vintages), np.asarray(years)):
                raise DimensionError(
                    f"vintages of the life table of asset {p.asset} ({p.vintages[0]}…"
                    f"{p.vintages[-1]}) are not the investment years ({years[0]}…{years[-1]})")
    return R


def _weights(plist, n, years, backcast):
    R = _vintage_rows(plist, n, years)
    L = max(p.n_ages for p in plist)
    B = 0
    if backcast:
        B = max((p.n_ages - 1) if p.complete else max(p.n_ages - n, 0) for p in plist)
    for p in plist:
        if not p.complete and n + B > p.n_ages:
            raise ParameterError(
                f"the profiles of asset {p.asset} ({p.convention}) have no maximum life and cover "
                f"{p.n_ages} ages, fewer than the {n + B} years to compute; build them with "
                f"n_ages >= {n + B}")
    W = np.zeros((4, len(plist), R, L))
    for g, p in enumerate(plist):
        A = p.n_ages
        for k, arr in enumerate((p.gross, p.net, p.productive, p.consumption_of_fixed_capital)):
            W[k, g, :, :A] = arr            # (1 or R, A) broadcast over R
    rows = np.concatenate([np.zeros(B, dtype=np.int64),
                           np.arange(n, dtype=np.int64) if R > 1 else np.zeros(n, np.int64)])
    return W, rows, B


def _backcast(flat, B, growth, growth_method, asset, leading, years, lead_shape):
    if B == 0:
        return flat
    if growth is None:
        g = average_growth(flat.reshape(lead_shape + (flat.shape[-1],)), growth_method,
                           asset=asset, leading=leading, years=years).reshape(-1)
    else:
        g = np.broadcast_to(np.asarray(growth, dtype=float), lead_shape).reshape(-1)
    bad = ~np.isfinite(g) | (g <= -1.0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        pos = np.unravel_index(i, lead_shape) if lead_shape else ()
        where = describe_position(pos, leading, years[0] if years is not None else "index 0")
        raise ParameterError(f"back-cast of asset {asset} at {where}: growth "
                             f"{float(g[i])!r} must be finite and > -1")
    k = np.arange(B, 0, -1, dtype=float)
    pre = flat[:, :1] * (1.0 + g[:, None]) ** (-k[None, :])
    return np.concatenate([pre, flat], axis=1)


def _check_prices(prices, shape, leading, years):
    p = np.broadcast_to(np.asarray(prices, dtype=float), shape)
    bad = ~np.isfinite(p) | (p <= 0)
    if bad.any():
        pos = tuple(np.argwhere(bad)[0])
        year = years[pos[-1]] if years is not None else f"index {pos[-1]}"
        where = describe_position(pos[:-1], leading, year)
        raise InputDataError(f"investment price index is {float(p[pos])!r} at {where}; expected "
                             "a finite price > 0 (1 in the base year of the constant prices)")
    return p


def _compute(values, plist, group_sizes, *, prices, presample, growth, growth_method, asset,
             leading, years, kernel):
    v = np.asarray(values, dtype=float)
    check_investment(v, asset, leading, years)
    expected_one_of("pre-sample rule", presample, PRESAMPLE_RULES, asset=asset)
    p = None if prices is None else _check_prices(prices, v.shape, leading, years)
    n = v.shape[-1]
    lead_shape = v.shape[:-1]
    flat = v.reshape(-1, n)
    W, rows, B = _weights(plist, n, years, presample == "backcast")
    ext = _backcast(flat, B, growth, growth_method, asset, leading, years, lead_shape)
    if kernel is _stock_kernels.stocks_reference:
        series_group = np.repeat(np.arange(len(group_sizes)), group_sizes)
        out = kernel(ext, W, series_group, rows)
    else:
        out = kernel(ext, W, group_sizes, rows)
    out = out[:, :, B:]
    result = {name: out[k].reshape(v.shape) for k, name in enumerate(STOCKS)}
    if p is not None:
        for name in STOCKS:
            result[f"{name}_current"] = result[name] * p
    return result


def _current_units(units):
    if not units:
        return None
    return units.split(" at ")[0] if " at " in units else f"{units} (current prices)"


def capital_stocks(investment, profiles, *, prices=None, dim: str = "year",
                   asset_dim: str = "asset", presample: str = "none", growth=None,
                   growth_method: str = "geometric", _kernel=_stock_kernels.stocks):
    """Gross, net and productive stocks and consumption of fixed capital of real investment.

    Parameters
    ----------
    investment : investment at constant prices: a numpy array (time on the last axis) or an
        xarray DataArray with ``dim``; any leading dimensions.
    profiles : :class:`StockProfiles` of one asset (:func:`capital_stock.asset_profiles`,
        :func:`capital_stock.cohort_profiles`), or, for a DataArray with ``asset_dim``, a mapping
        asset name -> StockProfiles (every series of every asset in one pass).
    prices : investment price index (1 in the base year of the constant prices), broadcast to
        ``investment``; adds the variables ``<name>_current`` at current prices.
    presample : ``none`` (no capital before the first year) or ``backcast``.
    growth, growth_method : the back-cast's growth rate (default: each series' average growth).

    Returns a dict of numpy arrays (numpy input) or an xarray Dataset (DataArray input), with
    ``gross_stock``, ``net_stock``, ``productive_stock`` and ``consumption_of_fixed_capital``
    (and their ``_current`` versions), each of the shape of ``investment``.
    """
    try:
        import xarray as xr
    except ImportError:  # pragma: no cover
        xr = None
    is_da = xr is not None and isinstance(investment, xr.DataArray)
    mapping = isinstance(profiles, Mapping)
    if not is_da:
        if mapping:
            raise ParameterError("a mapping of profiles by asset needs an xarray.DataArray with "
                                 f"dimension {asset_dim!r}; give one StockProfiles for a numpy "
                                 "array")
        p = _check_profiles(profiles)
        return _compute(investment, [p], [int(np.prod(np.shape(investment)[:-1]))],
                        prices=prices, presample=presample, growth=growth,
                        growth_method=growth_method, asset=p.asset, leading=None, years=None,
                        kernel=_kernel)
    da = investment
    if dim not in da.dims:
        raise DimensionError(f"investment has no dimension {dim!r} (dims: {da.dims})",
                             asset=getattr(profiles, "asset", None))
    if mapping:
        if asset_dim not in da.dims:
            raise DimensionError(f"investment has no dimension {asset_dim!r} (dims: {da.dims}); "
                                 "a mapping of profiles needs one")
        labels = [str(a) for a in da.get_index(asset_dim)]
        missing = [a for a in labels if a not in profiles]
        if missing:
            raise ParameterError(f"no profiles for asset(s) {', '.join(missing)}; profiles "
                                 f"given for {', '.join(map(str, profiles))}")
        plist = [_check_profiles(profiles[a], f"profiles[{a!r}]") for a in labels]
        order = (asset_dim,) + tuple(d for d in da.dims if d not in (asset_dim, dim)) + (dim,)
        asset = ", ".join(labels)
    else:
        plist = [_check_profiles(profiles)]
        asset = plist[0].asset
        order = tuple(d for d in da.dims if d != dim) + (dim,)
    # plain numpy views in the kernel's layout (xarray's own transpose costs ~0.1 ms)
    perm = [da.dims.index(d) for d in order]
    values = np.transpose(da.values, perm)
    leading = [(d, da.get_index(d).to_numpy()) for d in order[:-1]]
    years = da.get_index(dim).to_numpy() if dim in da.coords else None
    m = int(np.prod(values.shape[:-1]))
    sizes = [m // len(plist)] * len(plist)
    price_values = None
    if prices is not None:
        if isinstance(prices, xr.DataArray):
            price_values = prices.broadcast_like(da).transpose(*order).values
        else:
            price_values = prices
    if isinstance(growth, xr.DataArray):
        growth = TimeLastLayout(da.transpose(*order), dim, asset).as_lead(growth)
    out = _compute(values, plist, sizes, prices=price_values, presample=presample,
                   growth=growth, growth_method=growth_method, asset=asset,
                   leading=leading, years=years, kernel=_kernel)
    back = np.argsort(perm)
    units = investment.attrs.get("units")
    data_vars = {}
    for name, arr in out.items():
        base = name.removesuffix("_current")
        en, zh = _NAMES[base]
        attrs = {"long_name": en, "long_name_zh": zh, "status": "modelled"}
        if name.endswith("_current"):
            attrs["long_name"] += " at current prices"
            attrs["long_name_zh"] += "（现价）"
            u = _current_units(units)
        else:
            u = units
        if u:
            attrs["units"] = u
        data_vars[name] = (da.dims, np.transpose(arr, back), attrs)
    attrs = {"source": "capital_stock.capital_stocks (perpetual inventory)",
             "status": "modelled", "presample": presample,
             "conventions": "; ".join(f"{p.asset}: {p.convention}" for p in plist)}
    for p in plist:
        attrs[f"parameters_{p.asset}"] = "; ".join(f"{k}={v}" for k, v in p.parameters.items())
    return xr.Dataset(data_vars, coords=da.coords, attrs=attrs)
