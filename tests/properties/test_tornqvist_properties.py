"""Properties of the Törnqvist decomposition and of capital services (hypothesis)."""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from klems.accounts.growth_accounting import tornqvist
from klems.accounts.user_costs import capital_services
from klems.base.errors import ClippedUserCostWarning

N_YEARS = 6
positive = st.floats(0.05, 50.0, allow_nan=False, allow_infinity=False)


@st.composite
def accounts(draw, n_inputs=st.integers(1, 4), n_draws=st.integers(1, 3)):
    k = draw(n_inputs)
    d = draw(n_draws)
    shape = (d, N_YEARS)
    raw = [draw(arrays(np.float64, shape, elements=positive)) for _ in range(k)]
    vols = [draw(arrays(np.float64, shape, elements=positive)) for _ in range(k + 1)]
    coords = {"draw": np.arange(d), "year": np.arange(2000, 2000 + N_YEARS)}
    da = lambda a: xr.DataArray(a, dims=("draw", "year"), coords=coords)  # noqa: E731
    values = {f"x{i}": da(v) for i, v in enumerate(raw)}
    volumes = {f"x{i}": da(v) for i, v in enumerate(vols[:-1])}
    output_value = sum(values.values())
    return output_value, da(vols[-1]), values, volumes


@settings(max_examples=60, deadline=None)
@given(accounts())
def test_contributions_plus_tfp_equal_output_growth(acc):
    out = tornqvist(*acc, framework=None)
    rebuilt = out.tfp + sum(out[f"contribution_{k}"] for k in acc[2])
    valid = out.output_growth.notnull()
    np.testing.assert_allclose(rebuilt.where(valid).values, out.output_growth.values,
                               rtol=0, atol=1e-12)
    shares = sum(out[f"share_{k}"] for k in acc[2]).isel(year=slice(1, None))
    np.testing.assert_allclose(shares.values, 1.0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(accounts(), st.floats(0.01, 100.0))
def test_invariant_to_the_currency_unit_and_volume_scale(acc, f):
    ov, vol, values, volumes = acc
    a = tornqvist(ov, vol, values, volumes)
    b = tornqvist(ov * f, vol * f, {k: v * f for k, v in values.items()},
                  {k: v / f for k, v in volumes.items()})
    xr.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(accounts(), st.floats(-0.2, 0.2))
def test_tfp_zero_when_everything_grows_alike(acc, g):
    ov, _, values, _ = acc
    path = xr.DataArray(np.exp(g * np.arange(N_YEARS)), dims="year",
                        coords={"year": ov.year})
    out = tornqvist(ov, 3 * path * xr.ones_like(ov), values,
                    {k: 7 * path * xr.ones_like(v) for k, v in values.items()})
    np.testing.assert_allclose(out.tfp.isel(year=slice(1, None)).values, 0.0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (3, N_YEARS), elements=positive),
       arrays(np.float64, (3, N_YEARS), elements=st.floats(0.5, 2.0)),
       arrays(np.float64, (3,), elements=st.floats(0.0, 0.5)),
       arrays(np.float64, (N_YEARS,), elements=st.floats(0.1, 100.0)),
       st.sampled_from(["rescale", "resolve"]), st.sampled_from(["previous", "current"]))
def test_asset_compensation_exhausts_capital_compensation(stock, price, dep, comp, clip, timing):
    coords = {"asset": ["a", "b", "c"], "year": np.arange(N_YEARS)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClippedUserCostWarning)
        out = capital_services(
            xr.DataArray(stock, dims=("asset", "year"), coords=coords),
            xr.DataArray(price, dims=("asset", "year"), coords=coords),
            xr.DataArray(dep, dims="asset", coords={"asset": coords["asset"]}),
            xr.DataArray(comp, dims="year", coords={"year": coords["year"]}),
            groups={"g1": ["a", "b"], "g2": ["c"]}, clip=clip, price_timing=timing)
    first = 1 if timing == "previous" else 0
    total = out.asset_compensation.sum("asset").values[first:]
    np.testing.assert_allclose(total, comp[first:], rtol=1e-9)
    assert (out.user_cost.values[:, first:] >= 0).all()
    assert out.attrs["clipped_count"] == int(out.clipped.sum())
