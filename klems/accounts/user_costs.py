"""User costs (rental prices) of capital and capital services by asset group.

Method (docs/method.md §5.2; EU KLEMS & INTANProd D2.3.1 §2.3, eqs. 4–6, p. 19). For asset ``k``
in year ``t`` with investment price ``p``, geometric depreciation ``δ`` and end-of-year stock ``K``:

    p_K,k,t = p_k,t−1 · i_t + δ_k · p_k,t − p_k,t−1 · π̃_k,t          (price_timing="previous")
    p_K,k,t = p_k,t · (i_t + δ_k − π̃_k,t)                            (price_timing="current")

``π̃`` is the growth rate of the investment price ``p_t/p_{t−1} − 1`` smoothed by a centred moving
average over ``smooth_gains`` years (3: t−1, t, t+1). At the ends of the series the window is cut
to the years available (the first year with a price change uses t and t+1, the last t−1 and t);
``smooth_gains=1`` uses the unsmoothed change. ``"previous"`` is the formula as printed in
D2.3.1 (eq. 4); ``"current"`` values the rate of return and the gains at this year's price.

The ex-post (internal) rate ``i_t`` makes the value of capital services ``Σ_k p_K,k,t K_k,t``
exhaust capital compensation; it is linear in ``i_t`` and solved in closed form. Negative user
costs are set to zero and counted (:class:`~klems.base.errors.ClippedUserCostWarning`); then either the
asset compensations are rescaled to sum to capital compensation (``clip="rescale"``, EU KLEMS
D2.3.1 p. 19) or the rate is solved again with the clipped user costs (``clip="resolve"``). With an
exogenous ``rate`` the user costs need not exhaust ``compensation`` (which may then be None).

Capital services of each group grow by the Törnqvist index of the group's stocks with two-period
average shares of asset compensation (eqs. 5, 6, 12, 13).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import xarray as xr

from klems.accounts import _kernels as kern
from klems.accounts.growth_accounting import tornqvist_growth
from klems.base.errors import (
    ClippedUserCostWarning,
    DimensionError,
    InputDataError,
    ParameterError,
)

_CLIP = {"rescale": 0, "resolve": 1}


def _where(da: xr.DataArray, mask: np.ndarray) -> dict:
    """Coordinates of the first True element of ``mask`` (same shape as ``da``) as keywords."""
    idx = np.unravel_index(int(np.argmax(mask)), mask.shape)
    out = {}
    for d, i in zip(da.dims, idx):
        if d in da.coords:
            v = da[d].values[i]
            out[d] = v.item() if hasattr(v, "item") else v
        else:
            out[d] = int(i)
    return out


def _check_dims(da, name, *, need=(), forbid=()):
    if not isinstance(da, xr.DataArray):
        raise DimensionError(f"{name} must be an xarray.DataArray, got {type(da).__name__}",
                             argument=name)
    for d in need:
        if d not in da.dims:
            raise DimensionError(f"{name} lacks dimension {d!r}; it has {da.dims}", argument=name)
    for d in forbid:
        if d in da.dims:
            raise DimensionError(f"{name} must not have dimension {d!r}", argument=name)


def smoothed_price_change(price: xr.DataArray, window: int = 3, *, dim: str = "year",
                          freeze_through: int | None = None):
    """Centred moving average over ``window`` years of ``p_t / p_{t−1} − 1`` (NaN-aware).

    The first year has no change of its own; windows are cut at the ends of the series and skip
    undefined changes (a zero or missing price), so a year is NaN only when its whole window is.

    ``freeze_through`` (a year; issue 16, no silent revision): the years up to it are smoothed
    as if the series ended there, and every later year t as if it ended in t (its window cut to
    t − window//2 … t), so adding a year never changes an earlier year's smoothed change.
    """
    if window is None:
        window = 1
    if not isinstance(window, (int, np.integer)) or window < 1 or window % 2 == 0:
        raise ParameterError(f"smooth_gains must be a positive odd number of years, got {window!r}",
                             parameter="smooth_gains")
    p = price.where(price > 0)
    change = p / p.shift({dim: 1}) - 1.0
    if window == 1:
        return change
    if freeze_through is None or int(freeze_through) >= int(change[dim][-1]):
        return change.rolling({dim: window}, center=True, min_periods=1).mean()
    frozen = change[dim] <= int(freeze_through)
    head = change.isel({dim: frozen.values}).rolling({dim: window}, center=True,
                                                     min_periods=1).mean()
    tail = change.rolling({dim: window // 2 + 1}, min_periods=1).mean()
    return xr.concat([head, tail.isel({dim: ~frozen.values})], dim=dim).transpose(*change.dims)


def _price_base(price: xr.DataArray, price_base):
    if price_base is not None:
        if not np.isfinite(price_base) or price_base <= 0:
            raise ParameterError(f"price_base must be a positive number, got {price_base!r}",
                                 parameter="price_base")
        return float(price_base)
    units = str(price.attrs.get("units", "")).replace(" ", "")
    return 100.0 if units.startswith("index") and units.endswith("=100") else 1.0


def capital_services(
    stock: xr.DataArray,
    investment_price: xr.DataArray,
    depreciation: xr.DataArray,
    compensation: xr.DataArray | None,
    *,
    groups: Mapping[str, Sequence[str]],
    rate="ex-post",
    smooth_gains: int = 3,
    dim: str = "year",
    asset_dim: str = "asset",
    price_timing: str = "previous",
    clip: str = "rescale",
    missing_price: str = "raise",
    price_base: float | None = None,
    warn: bool = True,
    entering: str = "raise",
    freeze_through: int | None = None,
) -> xr.Dataset:
    """User costs, asset compensation, the rate of return and capital services by group.

    Parameters
    ----------
    stock, investment_price
        DataArrays with ``asset_dim`` and ``dim`` (end-of-year stocks in volume; the price index
        of investment in that asset). Other dimensions (industry, draw, province) broadcast.
    depreciation
        Geometric rates over ``asset_dim`` (may also vary over other dims, including ``dim``).
    compensation
        Capital compensation (nominal), without ``asset_dim``. Required for ``rate="ex-post"``.
    groups
        Group name -> asset names, e.g. ``{"ict": ["hardware", "communication", "software"]}``.
        Assets outside every group still take part in the rate of return.
    rate
        ``"ex-post"`` (internal rate) or an exogenous rate (number or DataArray, per year).
    price_timing
        ``"previous"`` (D2.3.1 eq. 4 as printed) or ``"current"``; see the module docstring.
    clip
        ``"rescale"`` or ``"resolve"``: what follows setting negative user costs to zero.
    entering
        ``"raise"`` (default) or ``"exclude"``: an asset whose stock is zero the year before
        (new in that industry) is left out of that year's group growth (shares renormalised).
    missing_price
        ``"raise"`` (default) or ``"exclude"``: an asset with stock but a zero or missing price
        (the EU KLEMS files hold 0 where the deflator is undefined) is left out of that year.
    freeze_through
        A year, or None: the centred smoothing of capital gains uses no price after it for the
        years up to it (see :func:`smoothed_price_change`).
    price_base
        Value of the price index meaning one currency unit per volume unit (100 for an index
        2015=100). Default: 100 when ``investment_price.attrs["units"]`` reads ``index ...=100``,
        else 1.

    Returns
    -------
    xarray.Dataset with ``user_cost`` and ``asset_compensation`` (asset, year), ``clipped``
    (asset, year, bool), ``rate`` (year), ``services_growth``, ``group_share``,
    ``group_compensation``, ``services_index`` (group, year) and ``total_services_growth``
    (all assets in ``groups``). ``attrs["clipped_count"]`` counts clipped user costs,
    ``attrs["excluded_count"]`` asset-years left out for lack of a price.
    """
    _check_dims(stock, "stock", need=(asset_dim, dim))
    _check_dims(investment_price, "investment_price", need=(asset_dim, dim))
    _check_dims(depreciation, "depreciation", need=(asset_dim,))
    ex_post = isinstance(rate, str)
    if ex_post and rate != "ex-post":
        raise ParameterError(f"rate must be 'ex-post' or a number/DataArray, got {rate!r}",
                             parameter="rate")
    if price_timing not in ("previous", "current"):
        raise ParameterError(f"price_timing must be 'previous' or 'current', got {price_timing!r}",
                             parameter="price_timing")
    if clip not in _CLIP:
        raise ParameterError(f"clip must be 'rescale' or 'resolve', got {clip!r}", parameter="clip")
    if missing_price not in ("raise", "exclude"):
        raise ParameterError(f"missing_price must be 'raise' or 'exclude', got {missing_price!r}",
                             parameter="missing_price")
    if ex_post:
        if compensation is None:
            raise ParameterError("rate='ex-post' needs capital compensation", parameter="rate")
        _check_dims(compensation, "compensation", need=(dim,), forbid=(asset_dim,))
    assets = list(stock[asset_dim].values)
    members = _check_groups(groups, assets, asset_dim)
    base = _price_base(investment_price, price_base)

    try:
        stock, price = xr.align(stock, investment_price, join="exact")
        stock, depreciation = xr.align(stock, depreciation, join="exact",
                                       exclude=[d for d in depreciation.dims
                                                if d not in stock.dims])
        if ex_post:
            stock, compensation = xr.align(stock, compensation, join="exact",
                                           exclude=[d for d in compensation.dims
                                                    if d not in stock.dims])
    except ValueError as exc:
        raise DimensionError(
            f"coordinates of stock, investment_price, depreciation and compensation differ "
            f"({exc}); expected the same {asset_dim!r} and {dim!r} labels", argument="stock",
        ) from None

    _check_values(stock, depreciation, compensation if ex_post else None)
    p = price / base
    gains = smoothed_price_change(p, smooth_gains, dim=dim, freeze_through=freeze_through)
    p_prev = p.shift({dim: 1})
    q = p_prev if price_timing == "previous" else p
    has_stock = stock > 0
    priced = (p > 0) & (q > 0) & np.isfinite(gains)
    # the first year has no price change (and, as printed, no previous price): not a data error
    bad = has_stock & ~priced & (stock[dim] != stock[dim][0])
    if missing_price == "raise" and bool(bad.any()):
        raise InputDataError(
            "investment price is zero or missing where the stock is positive (or its change "
            "cannot be computed); expected a positive price, or pass missing_price='exclude'",
            **_where(bad, bad.values),
        )

    # broadcast everything to (*extra, asset, year)
    parts = {"K": stock, "p": p, "q": q, "g": gains, "d": depreciation}
    if ex_post:
        parts["C"] = compensation
    extra = [d for d in xr.broadcast(*parts.values())[0].dims if d not in (asset_dim, dim)]
    full = xr.broadcast(*[v.astype(np.float64) for v in parts.values()])
    arr = {k: v.transpose(*extra, asset_dim, dim) for k, v in zip(parts, full)}
    shape = arr["K"].shape
    m = int(np.prod(shape[:-2])) if extra else 1
    na, n = shape[-2:]
    K, pv, qv, gv, dv = (np.ascontiguousarray(arr[x].values.reshape(m, na, n))
                         for x in ("K", "p", "q", "g", "d"))
    # both the rate and the gains are valued at q (previous or current price)
    A, B = np.empty_like(K), np.empty_like(K)
    value_a, value_b = np.empty_like(K), np.empty_like(K)
    valid = np.empty(K.shape, dtype=np.bool_)
    kern.user_cost_terms(K, pv, qv, gv, dv, A, B, value_a, value_b, valid)
    if ex_post:
        comp = arr["C"].isel({asset_dim: 0}).values.reshape(m, n)
        r_in = None
    else:
        comp = np.full((m, n), np.nan)
        r_da = rate if isinstance(rate, xr.DataArray) else xr.DataArray(float(rate))
        r_da = xr.broadcast(r_da, arr["K"].isel({asset_dim: 0}))[0]
        r_in = r_da.transpose(*extra, dim).values.reshape(m, n)
    r, uc, value, clipped = kern.user_costs(A, B, comp, valid, r_in, _CLIP[clip], value_a, value_b)

    template = arr["K"]
    cunits = compensation.attrs.get("units", "currency") if ex_post else "currency"
    ds = xr.Dataset(coords={k: v for k, v in template.coords.items()})
    ds["user_cost"] = template.copy(data=uc.reshape(shape)).assign_attrs(
        units=f"{cunits} per unit of stock", long_name="user cost (rental price) of capital",
        long_name_zh="资本使用成本（租赁价格）")
    ds["asset_compensation"] = template.copy(data=value.reshape(shape)).assign_attrs(
        units=cunits, long_name="capital compensation by asset", long_name_zh="分资产资本报酬")
    ds["clipped"] = template.copy(data=clipped.reshape(shape)).assign_attrs(
        units="1", long_name="negative user cost set to zero", long_name_zh="负使用成本置零")
    ds["rate"] = template.isel({asset_dim: 0}, drop=True).copy(
        data=r.reshape(shape[:-2] + (n,))).assign_attrs(
        units="1/year", long_name="ex-post internal rate of return" if ex_post
        else "exogenous rate of return", long_name_zh="事后内部收益率" if ex_post else "外生收益率")
    ds = ds.transpose(*extra, asset_dim, dim)
    _add_groups(ds, stock=template, members=members, asset_dim=asset_dim, dim=dim, entering=entering)
    n_clip = int(clipped.sum())
    ds.attrs.update(
        clipped_count=n_clip, excluded_count=int(bad.sum()),
        price_timing=price_timing, clip=clip, smooth_gains=int(smooth_gains or 1),
        rate="ex-post" if ex_post else "exogenous", price_base=base,
    )
    if n_clip and warn:
        warnings.warn(
            f"{n_clip} negative user cost(s) set to zero; first at "
            + ", ".join(f"{k} {v}" for k, v in
                        _where(ds['clipped'], ds['clipped'].values).items()),
            ClippedUserCostWarning, stacklevel=2,
        )
    return ds


def _check_groups(groups, assets, asset_dim):
    if not isinstance(groups, Mapping) or not groups:
        raise ParameterError("groups must be a non-empty dict group -> list of assets",
                             parameter="groups")
    seen = {}
    for g, members in groups.items():
        if isinstance(members, str):
            raise ParameterError(f"group {g!r} must list asset names, got the string {members!r}",
                                 parameter="groups", group=g)
        for a in members:
            if a not in assets:
                raise DimensionError(f"group {g!r} names asset {a!r}, not among {assets}",
                                     group=g, asset=a, dimension=asset_dim)
            if a in seen:
                raise ParameterError(f"asset {a!r} is in groups {seen[a]!r} and {g!r}; expected "
                                     "each asset in one group", group=g, asset=a)
            seen[a] = g
    return {g: list(v) for g, v in groups.items()}


def _check_values(stock, depreciation, compensation):
    bad = ~(stock >= 0)
    if bool(bad.any()):
        raise InputDataError("capital stock is negative or missing; expected a number >= 0",
                             **_where(bad, bad.values))
    bad = ~((depreciation >= 0) & (depreciation <= 1))
    if bool(bad.any()):
        raise ParameterError("depreciation rate outside [0, 1]", **_where(bad, bad.values))
    if compensation is not None:
        bad = ~(compensation >= 0)
        if bool(bad.any()):
            raise InputDataError(
                "capital compensation is negative or missing; expected a number >= 0 (EU KLEMS "
                "sets negative capital compensation to 5% of value added beforehand)",
                **_where(bad, bad.values))


def _add_groups(ds, *, stock, members, asset_dim, dim, entering="raise"):
    """Törnqvist capital services by group (and over all grouped assets) into ``ds``."""
    value = ds["asset_compensation"]
    growth, share, comp = [], [], []
    for g, assets in members.items():
        sel = {asset_dim: assets}
        gr = tornqvist_growth(stock.sel(sel), value.sel(sel), item_dim=asset_dim, dim=dim,
                              name=f"group {g}", entering=entering)
        growth.append(gr)
        comp.append(value.sel(sel).sum(asset_dim, min_count=1))
    gdim = xr.DataArray(list(members), dims="group", name="group")
    comp = xr.concat(comp, dim=gdim)
    total = comp.sum("group", min_count=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sh = comp / total
    share = 0.5 * (sh + sh.shift({dim: 1}))
    growth = xr.concat(growth, dim=gdim)
    # chained index, defined where a growth rate links the year to its neighbour
    index = np.exp(growth.fillna(0).cumsum(dim)).where(
        growth.notnull() | growth.shift({dim: -1}).notnull())
    everything = [a for v in members.values() for a in v]
    ds["services_growth"] = growth.assign_attrs(
        units="log change", long_name="growth of capital services by asset group",
        long_name_zh="分资产组资本服务增长（对数差）")
    ds["group_share"] = share.assign_attrs(
        units="1", long_name="two-period average share of the group in capital compensation",
        long_name_zh="资产组占资本报酬的两期平均份额")
    ds["group_compensation"] = comp.assign_attrs(
        units=value.attrs.get("units", ""), long_name="capital compensation by asset group",
        long_name_zh="分资产组资本报酬")
    ds["services_index"] = index.assign_attrs(
        units="index, first year = 1", long_name="capital services volume index by asset group",
        long_name_zh="分资产组资本服务物量指数")
    ds["total_services_growth"] = tornqvist_growth(
        stock.sel({asset_dim: everything}), value.sel({asset_dim: everything}),
        item_dim=asset_dim, dim=dim, name="all grouped assets", entering=entering).assign_attrs(
        units="log change", long_name="growth of capital services, all grouped assets",
        long_name_zh="资本服务总量增长（对数差）")
