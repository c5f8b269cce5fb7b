"""Perpetual inventory: compiled kernel against its numpy twin, labelled arrays, clear errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr

import capital_stock as cs
from capital_stock import _kernels
from capital_stock.inventory import _pim_numpy
from klems.base.errors import InputDataError, ParameterError

PROFILES = ["caict", "bls-mixture", "geometric", "caict-printed"]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("presample", ["geometric", "backcast", "none"])
@pytest.mark.parametrize("timing", ["end-of-year", "mid-year"])
def test_kernel_equals_numpy_twin(profile, presample, timing):
    rng = np.random.default_rng(7)
    inv = rng.gamma(2.0, 50.0, size=(4, 3, 17))
    for asset in cs.ICT_ASSETS:
        spec = asset.replace(profile=profile, timing=timing)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            args = (inv, spec, None, None, "printed", presample, "geometric")
            fast = _pim_numpy(*args)
            slow = _pim_numpy(*args, kernel=_kernels.pim_reference)
        np.testing.assert_allclose(fast, slow, rtol=1e-13, atol=1e-10)


def test_kernel_twin_with_per_row_weights_and_decay():
    rng = np.random.default_rng(11)
    inv = rng.random((6, 12))
    weights = rng.random((3, 5))
    wrow = np.array([0, 1, 2, 0, 1, 2])
    decay = rng.random((2, 12))
    drow = np.array([1, 0, 1, 0, 1, 0])
    base = rng.random(6)
    for start in (0, 1):
        np.testing.assert_allclose(
            _kernels.pim(inv, weights, wrow, start, base, decay, drow),
            _kernels.pim_reference(inv, weights, wrow, start, base, decay, drow), rtol=1e-14)


def test_base_year_formula_as_printed_and_with_t0():
    inv = np.array([100.0, 110.0, 121.0, 133.1])
    g = 0.1
    spec = cs.HARDWARE
    k = cs.perpetual_inventory(inv, spec)
    assert k[0] == pytest.approx(110.0 / (g + 0.3119), rel=1e-12)
    k0 = cs.perpetual_inventory(inv, spec, base_year="t0")
    assert k0[0] == pytest.approx(100.0 / (g + 0.3119), rel=1e-12)
    # year 1: base stock decays at δ, the new vintage enters at weight g(0) = 1
    assert k[1] == pytest.approx((1 - 0.3119) * k[0] + 110.0, rel=1e-12)
    assert k[2] == pytest.approx((1 - 0.3119) ** 2 * k[0] + 121.0 + 110.0 * 5 / 5.2, rel=1e-12)


def test_growth_methods():
    inv = np.array([[100.0, 120.0, 90.0, 150.0]])
    geo = cs.average_growth(inv, "geometric")[0]
    assert geo == pytest.approx(1.5 ** (1 / 3) - 1)
    ari = cs.average_growth(inv, "arithmetic")[0]
    assert ari == pytest.approx(np.mean([0.2, -0.25, 150 / 90 - 1]))
    reg = cs.average_growth(inv, "regression")[0]
    slope = np.polyfit(np.arange(4), np.log(inv[0]), 1)[0]
    assert reg == pytest.approx(np.exp(slope) - 1)


def test_dataarray_in_dataarray_out_with_any_leading_dims():
    rng = np.random.default_rng(3)
    da = xr.DataArray(
        rng.gamma(3.0, 10.0, size=(2, 5, 4, 10)),
        dims=("draw", "industry", "province", "year"),
        coords={"industry": [f"{i:03d}" for i in range(1, 6)], "year": np.arange(2000, 2010),
                "province": ["a", "b", "c", "d"]},
        attrs={"units": "1e8 CNY at 2000 prices"},
    ).transpose("year", "industry", "draw", "province")
    out = cs.perpetual_inventory(da, cs.COMMUNICATION)
    assert isinstance(out, xr.DataArray)
    assert out.dims == da.dims and out.shape == da.shape
    assert out.attrs["units"] == "1e8 CNY at 2000 prices"
    assert out.attrs["profile"] == "caict"
    direct = cs.perpetual_inventory(da.transpose(..., "year").values, cs.COMMUNICATION)
    np.testing.assert_allclose(out.transpose(..., "year").values, direct)


def test_dataarray_initial_stock_and_growth_broadcast():
    da = xr.DataArray(np.full((3, 6), 10.0), dims=("industry", "year"),
                      coords={"industry": ["001", "002", "003"], "year": range(2000, 2006)})
    k0 = xr.DataArray([1.0, 2.0, 3.0], dims="industry", coords={"industry": ["001", "002", "003"]})
    out = cs.perpetual_inventory(da, cs.HARDWARE.replace(profile="geometric"), initial_stock=k0)
    np.testing.assert_allclose(out.isel(year=0).values, [1.0, 2.0, 3.0])
    base = cs.base_year_stock(da, 0.3119, growth=xr.DataArray([0.0, 0.1, 0.2], dims="industry"))
    np.testing.assert_allclose(base.values, 10.0 / (np.array([0.0, 0.1, 0.2]) + 0.3119))


def _labelled(values):
    values = np.asarray(values, dtype=float)
    return xr.DataArray(values, dims=("industry", "year"),
                        coords={"industry": ["001", "002"], "year": [2000, 2001, 2002]})


def test_nan_investment_names_asset_industry_and_year():
    da = _labelled([[1.0, 2.0, 3.0], [1.0, np.nan, 3.0]])
    with pytest.raises(InputDataError, match=r"investment of asset software is not a finite "
                       r"number \(nan\) at industry 002, year 2001; expected a finite value >= 0"):
        cs.perpetual_inventory(da, cs.SOFTWARE)


def test_negative_investment_names_position_in_plain_arrays():
    with pytest.raises(InputDataError, match=r"investment of asset hardware is negative \(-5.0\) "
                       r"at series \(1,\), year index 2 \(1 more such values\); expected a value"):
        cs.perpetual_inventory(np.array([[1.0, 2, 3], [1.0, 2, -5], [1.0, -1, 3]]), cs.HARDWARE)


def test_too_short_for_printed_base_year_formula():
    with pytest.raises(InputDataError, match=r"covers 1 year\(s\); the printed base-year formula"):
        cs.perpetual_inventory(np.array([5.0]), cs.HARDWARE, growth=0.05)


def test_growth_plus_depreciation_not_positive():
    with pytest.raises(ParameterError, match=r"g \+ δ = -0.4 \+ 0.3119 = -0.0881 <= 0"):
        cs.perpetual_inventory(np.array([5.0, 3.0, 1.0]), cs.HARDWARE, growth=-0.4)
    da = _labelled([[10.0, 5.0, 1.0], [1.0, 2.0, 3.0]])
    with pytest.raises(ParameterError, match=r"base-year stock of asset hardware at industry 001, "
                       r"year 2000: g \+ δ"):
        cs.perpetual_inventory(da, cs.HARDWARE, growth_method="geometric")


def test_growth_not_computable_names_series():
    da = _labelled([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]])
    with pytest.raises(InputDataError, match=r"cannot compute the average growth of investment "
                       r"of asset hardware at industry 001, year 2000-2002: the first or last"):
        cs.perpetual_inventory(da, cs.HARDWARE)


def test_backcast_rejects_initial_stock_and_bad_rules():
    inv = np.ones(5)
    with pytest.raises(ParameterError, match="cannot be combined with presample='backcast'"):
        cs.perpetual_inventory(inv, cs.HARDWARE, initial_stock=1.0, presample="backcast")
    with pytest.raises(ParameterError, match="unknown pre-sample rule 'zero'"):
        cs.perpetual_inventory(inv, cs.HARDWARE, presample="zero")
    with pytest.raises(ParameterError, match="unknown base-year rule 'mean'"):
        cs.perpetual_inventory(inv, cs.HARDWARE, base_year="mean")
    with pytest.raises(ParameterError, match="unknown growth method 'median'"):
        cs.perpetual_inventory(inv, cs.HARDWARE, growth_method="median")
    with pytest.raises(ParameterError, match="initial stock of asset hardware must be finite"):
        cs.perpetual_inventory(inv, cs.HARDWARE, initial_stock=-1.0)
    with pytest.raises(ParameterError, match="has no dimension 'time'"):
        cs.perpetual_inventory(xr.DataArray(inv, dims="year"), cs.HARDWARE, dim="time")


def test_constant_stream_after_ten_years():
    """Stock of 100 per year for 10 years with no earlier capital = 100 · Σ_{x<10} g(x)."""
    for asset in cs.ICT_ASSETS:
        for profile in ("caict", "bls-mixture", "geometric"):
            spec = asset.replace(profile=profile)
            k = cs.perpetual_inventory(np.full(10, 100.0), spec, presample="none")
            assert k[-1] == pytest.approx(100 * cs.efficiency_weights(spec, 10).sum(), rel=1e-12)


def test_kernel_blocks_with_a_partial_last_block_equal_the_twin_exactly():
    """Blocks of series plus a remainder: same numbers, bit for bit (same summation order)."""
    rng = np.random.default_rng(5)
    m = 2 * _kernels.BLOCK + 13
    inv = rng.random((m, 19))
    weights = rng.random((4, 19))
    wrow = rng.integers(0, 4, m)
    decay = rng.random((3, 19))
    drow = rng.integers(0, 3, m)
    base = rng.random(m)
    for start in (0, 1):
        fast = _kernels.pim(inv, weights, wrow, start, base, decay, drow)
        slow = _kernels.pim_reference(inv, weights, wrow, start, base, decay, drow)
        assert np.array_equal(fast, slow)
