"""Gross, net and productive stocks and consumption of fixed capital: hand calculations, the
compiled kernel against its numpy twin, labelled arrays, current prices and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import capital_stock as cs
from capital_stock import _stock_kernels as sk
from klems.base.errors import DimensionError, InputDataError, ParameterError

CONSTANT = np.full(10, 100.0)


def _fixed_life(life=4, combination=2, **kw):
    conf = cs.PimConfig(pattern="constant", distribution="none", combination=combination, **kw)
    return cs.cohort_profiles(conf, cs.LifeTable(life, 0.0, life, life))


@pytest.mark.parametrize("combination", [1, 2])
def test_fixed_life_constant_efficiency_by_hand(combination):
    """Constant efficiency, every asset retired after 4 years, I = 100 a year, r = 0.

    Gross and productive: 100, 200, 300, 400, 400, …; efficiency 1 until the end of period 5
    (life Max + 1), so the price of the vintage at the ends of periods 1…4 is 4/5, 3/5, 2/5,
    1/5: net 80, 140, 180, 200, 200, …; depreciation 1/5 of each vintage a year:
    CFC 20, 40, 60, 80, 100, 100, ….
    """
    r = cs.capital_stocks(CONSTANT, _fixed_life(combination=combination))
    np.testing.assert_allclose(r["gross_stock"], [100, 200, 300, 400] + [400] * 6)
    np.testing.assert_allclose(r["productive_stock"], [100, 200, 300, 400] + [400] * 6)
    np.testing.assert_allclose(r["net_stock"], [80, 140, 180, 200] + [200] * 6, rtol=1e-14)
    np.testing.assert_allclose(r["consumption_of_fixed_capital"],
                               [20, 40, 60, 80] + [100] * 6, rtol=1e-14)


def test_ons_hardware_constant_investment_by_hand():
    """After 10 years (longer than the 6-year maximum life) of I = 100: gross = 100·ΣS =
    100·4.5 (the truncated normal is symmetric around 4), productive = 100·Σ cohort profile
    (pimir's method 1 values), net = 100·Σ P, CFC = I."""
    prof = cs.asset_profiles(cs.HARDWARE, "ons", combination=1)
    r = cs.capital_stocks(CONSTANT, prof)
    assert r["gross_stock"][-1] == pytest.approx(450.0, abs=1e-12)
    cohort = [0.955724, 0.891139, 0.785905, 0.566524, 0.273731, 0.06472]
    assert r["productive_stock"][-1] == pytest.approx(100 * sum(cohort), abs=5e-4)
    # net: the price of the cohort = its remaining efficiency, r = 0, E(0) = 1
    e = np.array([1.0] + cohort)
    prices = np.cumsum(e[::-1])[::-1] / e.sum()
    assert r["net_stock"][-1] == pytest.approx(100 * prices[1:].sum(), abs=5e-4)
    assert r["consumption_of_fixed_capital"][-1] == pytest.approx(100.0, abs=1e-12)


def test_geometric_convention_is_the_textbook_recursion():
    """K_t = (1−δ) K_{t−1} + I_t and CFC_t = δ K_{t−1} (software, δ = 0.315)."""
    prof = cs.asset_profiles(cs.SOFTWARE, "geometric")
    r = cs.capital_stocks(CONSTANT, prof)
    k, prev = [], 0.0
    for inv in CONSTANT:
        prev = (1 - 0.315) * prev + inv
        k.append(prev)
    np.testing.assert_allclose(r["net_stock"], k, rtol=1e-13)
    np.testing.assert_allclose(r["productive_stock"], k, rtol=1e-13)
    np.testing.assert_allclose(r["consumption_of_fixed_capital"][1:], 0.315 * np.array(k[:-1]),
                               rtol=1e-13)
    assert r["consumption_of_fixed_capital"][0] == 0.0


@pytest.mark.parametrize("profile", ["caict", "bls-mixture", "geometric"])
def test_productive_stock_equals_perpetual_inventory(profile):
    """The project's productive stock (presample none) is unchanged by the new module."""
    rng = np.random.default_rng(3)
    inv = rng.gamma(2.0, 10.0, size=(5, 23))
    for asset in cs.ICT_ASSETS:
        spec = asset.replace(profile=profile)
        r = cs.capital_stocks(inv, cs.asset_profiles(spec))
        np.testing.assert_allclose(r["productive_stock"],
                                   cs.perpetual_inventory(inv, spec, presample="none"),
                                   rtol=1e-14, atol=0)


def test_cfc_identity_at_constant_prices():
    rng = np.random.default_rng(7)
    inv = rng.gamma(2.0, 10.0, size=(4, 30))
    for conv in ("caict", "bls-mixture", "ons"):
        r = cs.capital_stocks(inv, cs.asset_profiles(cs.COMMUNICATION, conv,
                                                     discount_rate=0.04))
        net, cfc = r["net_stock"], r["consumption_of_fixed_capital"]
        np.testing.assert_allclose(net[:, 1:], net[:, :-1] + inv[:, 1:] - cfc[:, 1:],
                                   rtol=1e-12)
        np.testing.assert_allclose(net[:, 0], inv[:, 0] - cfc[:, 0], rtol=1e-12)


def test_current_prices_multiply_by_the_price_index():
    prices = np.linspace(1.0, 0.4, 10)
    r = cs.capital_stocks(CONSTANT, cs.asset_profiles(cs.HARDWARE, "ons"), prices=prices)
    for name in cs.STOCKS:
        np.testing.assert_array_equal(r[f"{name}_current"], r[name] * prices)


def test_vintage_specific_life_table_by_hand():
    """A life table with one row per investment year: vintage v follows its own profile."""
    years = np.arange(2000, 2006)
    life = cs.LifeTable([4, 4, 4, 6, 6, 6], 0.25, [2, 2, 2, 3, 3, 3], [6, 6, 6, 9, 9, 9],
                        vintages=years)
    prof = cs.asset_profiles(cs.HARDWARE, "ons", life=life)
    inv = np.arange(1.0, 7.0) * 10
    r = cs.capital_stocks(inv, prof)
    for t in range(6):
        expect = sum(inv[v] * prof.productive[v, t - v] for v in range(t + 1))
        assert r["productive_stock"][t] == pytest.approx(expect, rel=1e-14)


def test_backcast_equals_prepending_the_backcast_vintages():
    inv = np.array([[10.0, 12, 13, 15, 18, 20], [5, 5, 6, 6, 7, 8]])
    prof = cs.asset_profiles(cs.HARDWARE, "ons")
    r = cs.capital_stocks(inv, prof, presample="backcast", growth=0.1)
    pre = inv[:, :1] * 1.1 ** -np.arange(6, 0, -1.0)
    full = cs.capital_stocks(np.concatenate([pre, inv], axis=1), prof)
    for name in cs.STOCKS:
        np.testing.assert_allclose(r[name], full[name][:, 6:], rtol=1e-14)
    g = cs.average_growth(inv)
    r2 = cs.capital_stocks(inv, prof, presample="backcast")
    pre2 = inv[:, :1] * (1 + g[:, None]) ** -np.arange(6, 0, -1.0)
    full2 = cs.capital_stocks(np.concatenate([pre2, inv], axis=1), prof)
    np.testing.assert_allclose(r2["net_stock"], full2["net_stock"][:, 6:], rtol=1e-14)


# --- the compiled kernel against its numpy twin ----------------------------------------------

@pytest.mark.parametrize("sizes", [[1], [sk.BLOCK], [2 * sk.BLOCK + 13], [5, 40, 33]])
@pytest.mark.parametrize("vintage_specific", [False, True])
def test_kernel_equals_numpy_twin_bit_for_bit(sizes, vintage_specific):
    rng = np.random.default_rng(sum(sizes))
    m, n, L = sum(sizes), 27, 9
    inv = rng.gamma(2.0, 5.0, size=(m, n))
    R = n if vintage_specific else 1
    W = rng.uniform(0, 1, size=(4, len(sizes), R, L))
    rows = np.arange(n) if vintage_specific else np.zeros(n, dtype=np.int64)
    groups = np.repeat(np.arange(len(sizes)), sizes)
    slow = sk.stocks_reference(inv, W, groups, rows)
    for parallel in (False, True):
        np.testing.assert_array_equal(sk.stocks(inv, W, sizes, rows, parallel=parallel), slow)


def test_public_call_with_the_twin_kernel():
    rng = np.random.default_rng(11)
    inv = rng.gamma(2.0, 5.0, size=(3, 50, 20))
    prof = cs.asset_profiles(cs.SOFTWARE, "ons", combination=2)
    fast = cs.capital_stocks(inv, prof, presample="backcast")
    slow = cs.capital_stocks(inv, prof, presample="backcast",
                             _kernel=sk.stocks_reference)
    for name in cs.STOCKS:
        np.testing.assert_array_equal(fast[name], slow[name])


# --- labelled arrays ---------------------------------------------------------------------------

def _investment():
    rng = np.random.default_rng(5)
    years = np.arange(2000, 2012)
    return xr.DataArray(rng.gamma(2.0, 5.0, size=(4, 3, 12)), dims=("industry", "asset", "year"),
                        coords={"industry": ["001", "002", "003", "004"],
                                "asset": ["hardware", "communication", "software"],
                                "year": years},
                        attrs={"units": "1e8 CNY at 2000 prices"})


def test_dataarray_with_a_mapping_of_profiles_equals_one_call_per_asset():
    da = _investment()
    profiles = {a.name: cs.asset_profiles(a, "ons") for a in cs.ICT_ASSETS}
    prices = xr.DataArray(np.linspace(1, 0.5, 12), dims="year", coords={"year": da.year})
    ds = cs.capital_stocks(da, profiles, prices=prices)
    assert isinstance(ds, xr.Dataset)
    assert set(ds.data_vars) == set(cs.STOCKS) | {f"{s}_current" for s in cs.STOCKS}
    for name in cs.STOCKS:
        assert ds[name].dims == da.dims
        for a in cs.ICT_ASSETS:
            one = cs.capital_stocks(da.sel(asset=a.name).values, profiles[a.name])[name]
            np.testing.assert_allclose(ds[name].sel(asset=a.name).values, one, rtol=1e-14)
    assert ds["net_stock"].attrs["units"] == "1e8 CNY at 2000 prices"
    assert ds["net_stock_current"].attrs["units"] == "1e8 CNY"
    assert ds["net_stock"].attrs["long_name_zh"] == "净资本存量"
    assert ds.attrs["status"] == "modelled"
    assert "hardware: ons-1" in ds.attrs["conventions"]


def test_dataarray_with_one_profile():
    da = _investment().sel(asset="software")
    ds = cs.capital_stocks(da.transpose("year", "industry"), cs.asset_profiles(cs.SOFTWARE))
    assert ds["gross_stock"].dims == ("year", "industry")
    np.testing.assert_allclose(
        ds["gross_stock"].transpose("industry", "year").values,
        cs.capital_stocks(da.values, cs.asset_profiles(cs.SOFTWARE))["gross_stock"])


def test_vintages_must_match_the_years():
    da = _investment()
    life = cs.LifeTable(4, 0.25, 2, 6, vintages=np.arange(1990, 2002))
    prof = cs.asset_profiles(cs.HARDWARE, "ons", life=life)
    with pytest.raises(DimensionError, match=r"vintages of the life table of asset hardware "
                                             r"\(1990…2001\) are not the investment years "
                                             r"\(2000…2011\)"):
        cs.capital_stocks(da.sel(asset="hardware"), prof)


# --- errors -------------------------------------------------------------------------------------

def test_nan_investment_names_industry_and_year():
    da = _investment()
    da[1, 0, 3] = np.nan
    with pytest.raises(InputDataError, match=r"investment of asset hardware is not a finite "
                                             r"number \(nan\) at industry 002, year 2003"):
        cs.capital_stocks(da.sel(asset="hardware"), cs.asset_profiles(cs.HARDWARE))


def test_bad_price_index_names_the_year():
    da = _investment().sel(asset="hardware")
    prices = xr.DataArray(np.ones(11), dims="year", coords={"year": np.arange(2000, 2011)})
    with pytest.raises(InputDataError, match=r"investment price index is nan at industry 001, "
                                             r"year 2011; expected a finite price > 0"):
        cs.capital_stocks(da, cs.asset_profiles(cs.HARDWARE), prices=prices)
    with pytest.raises(InputDataError, match=r"price index is -1.0 at year index 0"):
        cs.capital_stocks(CONSTANT, cs.asset_profiles(cs.HARDWARE), prices=-1.0)


def test_missing_asset_profiles():
    profiles = {"hardware": cs.asset_profiles(cs.HARDWARE)}
    with pytest.raises(ParameterError, match="no profiles for asset.s. communication, software; "
                                             "profiles given for hardware"):
        cs.capital_stocks(_investment(), profiles)


def test_mapping_needs_a_dataarray():
    with pytest.raises(ParameterError, match="a mapping of profiles by asset needs an "
                                             "xarray.DataArray with dimension 'asset'"):
        cs.capital_stocks(CONSTANT, {"hardware": cs.asset_profiles(cs.HARDWARE)})


def test_wrong_number_of_vintage_rows():
    prof = cs.asset_profiles(cs.HARDWARE, "ons",
                             life=cs.LifeTable(4, 0.25, 2, 6, vintages=[1, 2, 3]))
    with pytest.raises(DimensionError, match="profiles of asset hardware have 3 vintage rows "
                                             "but the investment covers 10 years; expected 1 "
                                             "or 10"):
        cs.capital_stocks(CONSTANT, prof)


def test_geometric_profile_too_short_for_the_series():
    prof = cs.asset_profiles(cs.HARDWARE, "geometric", n_ages=8)
    with pytest.raises(ParameterError, match="have no maximum life and cover 8 ages, fewer "
                                             "than the 10 years to compute; build them with "
                                             "n_ages >= 10"):
        cs.capital_stocks(CONSTANT, prof)


def test_unknown_presample_and_bad_profiles():
    with pytest.raises(ParameterError, match="unknown pre-sample rule 'geometric'; expected "
                                             "one of none, backcast"):
        cs.capital_stocks(CONSTANT, cs.asset_profiles(cs.HARDWARE), presample="geometric")
    with pytest.raises(ParameterError, match="profiles must be StockProfiles"):
        cs.capital_stocks(CONSTANT, cs.HARDWARE)


def test_incomplete_profile_rows_are_refused():
    with pytest.raises(ParameterError, match="net profile does not reach 0 at its last age"):
        cs.StockProfiles(np.array([1.0, 0.0]), np.array([1.0, 0.5]), np.array([1.0, 0.0]),
                         "custom")


def test_backcast_growth_must_exceed_minus_one():
    with pytest.raises(ParameterError, match=r"back-cast of asset hardware at year index 0: "
                                             r"growth -1.5 must be finite and > -1"):
        cs.capital_stocks(CONSTANT, cs.asset_profiles(cs.HARDWARE), presample="backcast",
                          growth=-1.5)


def test_backcast_growth_given_as_a_dataarray_over_industries():
    da = _investment().sel(asset="communication")
    growth = xr.DataArray([0.05, 0.1, 0.15, 0.2], dims="industry",
                          coords={"industry": da.industry})
    prof = cs.asset_profiles(cs.COMMUNICATION, "ons")
    ds = cs.capital_stocks(da, prof, presample="backcast", growth=growth)
    ref = cs.capital_stocks(da.values, prof, presample="backcast",
                            growth=np.array([0.05, 0.1, 0.15, 0.2]))
    np.testing.assert_array_equal(ds["net_stock"].values, ref["net_stock"])
