"""User costs, the ex-post rate, smoothing of gains, clipping, and the compiled kernel."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr

from klems.accounts import _kernels as kern
from klems.accounts.user_costs import capital_services, smoothed_price_change
from klems.base.errors import (
    ClippedUserCostWarning,
    DimensionError,
    InputDataError,
    ParameterError,
)

YEARS = [2000, 2001, 2002, 2003]
ASSETS = ["hardware", "software", "buildings"]
GROUPS = {"ict": ["hardware", "software"], "other": ["buildings"]}


def _inputs():
    stock = xr.DataArray([[10.0, 11.0, 12.5, 13.0], [4.0, 5.0, 5.5, 6.5], [50.0, 51.0, 52.0, 53.0]],
                         dims=("asset", "year"), coords={"asset": ASSETS, "year": YEARS})
    price = xr.DataArray([[1.0, 0.9, 0.8, 0.75], [1.0, 1.0, 0.98, 0.97], [1.0, 1.02, 1.05, 1.06]],
                         dims=("asset", "year"), coords={"asset": ASSETS, "year": YEARS})
    dep = xr.DataArray([0.315, 0.315, 0.03], dims="asset", coords={"asset": ASSETS})
    return stock, price, dep


def _hand_user_cost(price, dep, rate, timing):
    """User cost per unit from the formula, by hand (gains smoothed over t−1, t, t+1)."""
    p = price.values
    change = np.full_like(p, np.nan)
    change[:, 1:] = p[:, 1:] / p[:, :-1] - 1
    smooth = np.full_like(p, np.nan)
    for t in range(p.shape[1]):
        w = change[:, max(t - 1, 0):t + 2]
        smooth[:, t] = np.nanmean(w, axis=1) if np.isfinite(w).any() else np.nan
    q = np.full_like(p, np.nan)
    q[:, 1:] = p[:, :-1]
    if timing == "current":
        q = p
    return q * rate + dep.values[:, None] * p - q * smooth


@pytest.mark.parametrize("timing", ["previous", "current"])
def test_ex_post_rate_recovers_the_rate_that_made_compensation(timing):
    stock, price, dep = _inputs()
    rate = np.array([0.0, 0.07, 0.05, 0.09])
    uc = _hand_user_cost(price, dep, rate, timing)
    comp = xr.DataArray(np.nansum(uc * stock.values, axis=0), dims="year",
                        coords={"year": YEARS})
    first = 1 if timing == "previous" else 0
    out = capital_services(stock, price, dep, comp, groups=GROUPS, price_timing=timing)
    np.testing.assert_allclose(out.rate.values[first:], rate[first:], rtol=1e-12)
    np.testing.assert_allclose(out.user_cost.values[:, first:], uc[:, first:], rtol=1e-12)
    np.testing.assert_allclose(out.asset_compensation.sum("asset").values[first:],
                               comp.values[first:], rtol=1e-12)
    if timing == "previous":
        assert np.isnan(out.rate.values[0])


def test_exogenous_rate_gives_the_formula():
    stock, price, dep = _inputs()
    out = capital_services(stock, price, dep, None, groups=GROUPS, rate=0.04)
    uc = np.maximum(_hand_user_cost(price, dep, 0.04, "previous"), 0)
    np.testing.assert_allclose(out.user_cost.values[:, 1:], uc[:, 1:], rtol=1e-12)
    np.testing.assert_allclose(out.asset_compensation.values[:, 1:],
                               uc[:, 1:] * stock.values[:, 1:], rtol=1e-12)
    assert out.attrs["rate"] == "exogenous"


def test_smoothing_window_and_endpoints():
    p = xr.DataArray([100.0, 110.0, 99.0, 99.0, 108.9], dims="year", coords={"year": range(5)})
    change = np.array([np.nan, 0.1, -0.1, 0.0, 0.1])
    got = smoothed_price_change(p, 3).values
    expected = [0.1, 0.0, 0.0, 0.0, 0.05]  # first: t+1 only; last: t−1 and t
    np.testing.assert_allclose(got, expected, atol=1e-12)
    np.testing.assert_allclose(smoothed_price_change(p, 1).values[1:], change[1:], atol=1e-12)
    with pytest.raises(ParameterError, match="smooth_gains must be a positive odd number"):
        smoothed_price_change(p, 2)


def test_group_services_are_tornqvist_of_stocks():
    stock, price, dep = _inputs()
    comp = xr.DataArray([np.nan, 30.0, 31.0, 33.0], dims="year", coords={"year": YEARS})
    out = capital_services(stock, price, dep, comp.fillna(0), groups=GROUPS)
    v = out.asset_compensation.sel(asset=GROUPS["ict"]).values
    s = v / v.sum(0)
    sbar = 0.5 * (s[:, 1:] + s[:, :-1])
    g = np.log(stock.sel(asset=GROUPS["ict"]).values[:, 1:] /
               stock.sel(asset=GROUPS["ict"]).values[:, :-1])
    np.testing.assert_allclose(out.services_growth.sel(group="ict").values[2:],
                               (sbar * g).sum(0)[1:], rtol=1e-12)
    np.testing.assert_allclose(out.services_growth.sel(group="other").values[2:],
                               np.log(stock.sel(asset="buildings").values[2:] /
                                      stock.sel(asset="buildings").values[1:-1]), rtol=1e-12)
    idx = out.services_index.sel(group="ict").values
    np.testing.assert_allclose(np.log(idx[3] / idx[2]), out.services_growth.sel(group="ict")[3])
    gs = out.group_share.sel(year=2003).values
    assert gs.sum() == pytest.approx(1.0)
    for name in ("user_cost", "asset_compensation", "rate", "services_growth", "group_share",
                 "services_index", "group_compensation", "total_services_growth", "clipped"):
        assert {"units", "long_name", "long_name_zh"} <= set(out[name].attrs), name


def _clipping_case():
    stock, price, dep = _inputs()
    price = price.copy()
    price.loc["buildings"] = [1.0, 1.3, 1.7, 2.2]  # fast gains on a slow-depreciating asset
    comp = xr.DataArray([0.0, 8.0, 8.0, 8.0], dims="year", coords={"year": YEARS})
    return stock, price, dep, comp


def test_negative_user_costs_clipped_rescaled_and_counted():
    stock, price, dep, comp = _clipping_case()
    with pytest.warns(ClippedUserCostWarning, match=r"negative user cost\(s\) set to zero; first "
                                                    r"at asset buildings, year 2001"):
        out = capital_services(stock, price, dep, comp, groups=GROUPS)
    assert out.attrs["clipped_count"] == int(out.clipped.sum()) == 3
    assert (out.user_cost.sel(asset="buildings").values[1:] == 0).all()
    np.testing.assert_allclose(out.asset_compensation.sum("asset").values[1:], 8.0)


def test_resolve_clipping_exhausts_compensation_without_rescaling():
    stock, price, dep, comp = _clipping_case()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClippedUserCostWarning)
        out = capital_services(stock, price, dep, comp, groups=GROUPS, clip="resolve")
    total = (out.user_cost * stock).sum("asset").values[1:]
    np.testing.assert_allclose(total, 8.0, rtol=1e-12)
    np.testing.assert_allclose(out.asset_compensation.sum("asset").values[1:], 8.0, rtol=1e-12)
    assert (out.user_cost.sel(asset="buildings").values[1:] == 0).all()


def test_broadcast_over_draw_and_province_equals_loop():
    stock, price, dep = _inputs()
    dep_draw = xr.concat([dep * f for f in (0.8, 1.0, 1.2)], dim="draw")
    comp = xr.DataArray([[0.0, 30.0, 31.0, 33.0], [0.0, 20.0, 22.0, 25.0]],
                        dims=("province", "year"), coords={"province": ["a", "b"], "year": YEARS})
    out = capital_services(stock, price, dep_draw, comp, groups=GROUPS)
    assert out.user_cost.dims == ("draw", "province", "asset", "year")
    for d in range(3):
        for p in ("a", "b"):
            one = capital_services(stock, price, dep_draw.isel(draw=d), comp.sel(province=p),
                                   groups=GROUPS)
            xr.testing.assert_allclose(out.services_growth.isel(draw=d).sel(province=p,
                                                                            drop=True),
                                       one.services_growth)


@pytest.mark.parametrize("clip_mode", [0, 1])
@pytest.mark.parametrize("rate_given", [False, True])
def test_kernel_agrees_with_numpy_twin(clip_mode, rate_given):
    rng = np.random.default_rng(7 + clip_mode + 2 * rate_given)
    m, na, n = 40, 4, 12
    K = rng.uniform(0, 10, (m, na, n)) * (rng.uniform(size=(m, na, n)) > 0.1)
    q = rng.uniform(0.5, 1.5, (m, na, n))
    va, vb = q, rng.normal(0.1, 0.15, (m, na, n))  # some negative user costs
    valid = K > 0
    A, B = np.where(valid, va * K, 0), np.where(valid, vb * K, 0)
    comp = rng.uniform(0.5, 5, (m, n))
    comp[0, 0] = np.nan
    rate = rng.uniform(0, 0.1, (m, n)) if rate_given else None
    got = kern.user_costs(A, B, comp, valid, rate, clip_mode, va, vb)
    ref = kern.user_cost_reference(A, B, comp, valid, rate_given, rate, clip_mode, va, vb)
    for g, r in zip(got, ref):
        np.testing.assert_allclose(g, r, rtol=1e-9, atol=1e-12)
    assert got[3].any()


# --- errors, each naming where -------------------------------------------------------------

def test_error_negative_stock_names_asset_and_year():
    stock, price, dep = _inputs()
    stock = stock.copy()
    stock.loc["software", 2002] = -1
    comp = xr.DataArray([1.0] * 4, dims="year", coords={"year": YEARS})
    with pytest.raises(InputDataError, match=r"stock is negative or missing.*asset software, "
                                             r"year 2002"):
        capital_services(stock, price, dep, comp, groups=GROUPS)


def test_error_zero_price_names_where():
    stock, price, dep = _inputs()
    price = price.copy()
    price.loc["hardware", 2002] = 0
    comp = xr.DataArray([1.0] * 4, dims="year", coords={"year": YEARS})
    with pytest.raises(InputDataError, match=r"price is zero or missing.*asset hardware, "
                                             r"year 2002"):
        capital_services(stock, price, dep, comp, groups=GROUPS)
    out = capital_services(stock, price, dep, comp, groups=GROUPS, missing_price="exclude",
                           warn=False)
    assert out.asset_compensation.sel(asset="hardware", year=2002) == 0
    assert out.attrs["excluded_count"] >= 1


def test_error_negative_compensation_and_depreciation():
    stock, price, dep = _inputs()
    comp = xr.DataArray([1.0, -2.0, 1.0, 1.0], dims="year", coords={"year": YEARS})
    with pytest.raises(InputDataError, match=r"compensation is negative or missing.*year 2001"):
        capital_services(stock, price, dep, comp, groups=GROUPS)
    comp = abs(comp)
    with pytest.raises(ParameterError, match=r"depreciation rate outside \[0, 1\].*asset "
                                             r"buildings"):
        capital_services(stock, price, dep.where(dep.asset != "buildings", 1.5), comp,
                         groups=GROUPS)
    with pytest.raises(ParameterError, match="rate='ex-post' needs capital compensation"):
        capital_services(stock, price, dep, None, groups=GROUPS)


def test_error_dimensions_and_groups():
    stock, price, dep = _inputs()
    comp = xr.DataArray([1.0] * 4, dims="year", coords={"year": YEARS})
    with pytest.raises(DimensionError, match=r"coordinates of stock, investment_price.*differ"):
        capital_services(stock, price.assign_coords(year=[2001, 2002, 2003, 2004]), dep, comp,
                         groups=GROUPS)
    with pytest.raises(DimensionError, match=r"stock lacks dimension 'asset'"):
        capital_services(stock.sum("asset"), price, dep, comp, groups=GROUPS)
    with pytest.raises(DimensionError, match=r"compensation must not have dimension 'asset'"):
        capital_services(stock, price, dep, stock, groups=GROUPS)
    with pytest.raises(DimensionError, match=r"group 'ict' names asset 'robots'.*group ict, "
                                             r"asset robots"):
        capital_services(stock, price, dep, comp, groups={"ict": ["robots"]})
    with pytest.raises(ParameterError, match=r"asset 'hardware' is in groups 'a' and 'b'"):
        capital_services(stock, price, dep, comp, groups={"a": ["hardware"], "b": ["hardware"]})
    with pytest.raises(ParameterError, match=r"group 'a' must list asset names"):
        capital_services(stock, price, dep, comp, groups={"a": "hardware"})
    with pytest.raises(ParameterError, match=r"groups must be a non-empty dict"):
        capital_services(stock, price, dep, comp, groups={})


@pytest.mark.parametrize("kw, msg", [
    ({"rate": "ex-ante"}, r"rate must be 'ex-post' or a number"),
    ({"price_timing": "next"}, r"price_timing must be 'previous' or 'current'"),
    ({"clip": "drop"}, r"clip must be 'rescale' or 'resolve'"),
    ({"missing_price": "fill"}, r"missing_price must be 'raise' or 'exclude'"),
    ({"price_base": -1}, r"price_base must be a positive number"),
    ({"smooth_gains": 0}, r"smooth_gains must be a positive odd number"),
])
def test_parameter_errors(kw, msg):
    stock, price, dep = _inputs()
    comp = xr.DataArray([1.0] * 4, dims="year", coords={"year": YEARS})
    with pytest.raises(ParameterError, match=msg):
        capital_services(stock, price, dep, comp, groups=GROUPS, **kw)


def test_price_base_read_from_units():
    stock, price, dep = _inputs()
    comp = xr.DataArray([1.0, 30.0, 31.0, 33.0], dims="year", coords={"year": YEARS})
    a = capital_services(stock, price, dep, comp, groups=GROUPS)
    b = capital_services(stock, (price * 100).assign_attrs(units="index 2000=100"), dep, comp,
                         groups=GROUPS)
    assert b.attrs["price_base"] == 100.0
    xr.testing.assert_allclose(a.rate, b.rate)
