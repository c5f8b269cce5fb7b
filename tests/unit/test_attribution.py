"""Attribution rules from growth accounts to industrial digitalization (docs/method.md §6,
docs/attribution.md)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from klems.accounts import _kernels as kern
from klems.accounts.attribution import attribute, contribution_rate, estimate_theta
from klems.base.errors import DimensionError, ParameterError
from klems.base.vocabulary import OUTPUT_BASES

YEARS = [2017, 2018, 2019, 2020]


def _da(values):
    return xr.DataArray(np.asarray(values, float), dims=("industry", "year"),
                        coords={"industry": ["001", "002"], "year": YEARS},
                        attrs={"units": "1e8 CNY"})


VA = _da([[100, 110, 120, 130], [50, 50, 50, 50]])
ICT_COMP = _da([[5, 6, 7, 8], [1, 1, 1, 1]])
CONTRIB = _da([[np.nan, 0.01, 0.02, 0.01], [np.nan, 0.001, 0.001, 0.001]])
GROWTH = _da([[np.nan, 0.10, 0.10, 0.05], [np.nan, 0.0, 0.002, -0.001]])
TFP = _da([[np.nan, 0.02, 0.01, 0.0], [np.nan, 0.0, 0.0, 0.0]])


def test_income_share_is_ict_capital_compensation():
    out = attribute("income-share", value_added=VA, ict_compensation=ICT_COMP)
    np.testing.assert_allclose(out["id"].values, ICT_COMP.values)
    assert out["id"].attrs["units"] == "1e8 CNY"


def test_contribution_rate_window_one_by_hand():
    out = attribute("contribution-rate", value_added=VA, ict_compensation=ICT_COMP,
                    ict_contribution=CONTRIB, output_growth=GROWTH, window=1)
    # industry 001: c = 0.01/0.10, 0.02/0.10, 0.01/0.05
    np.testing.assert_allclose(out["id"].sel(industry="001").values[1:],
                               [110 * 0.1, 120 * 0.2, 130 * 0.2])
    # first year has no growth: income share used, flagged
    assert bool(out["fallback"].sel(industry="001", year=2017))
    assert out["id"].sel(industry="001", year=2017) == pytest.approx(5.0)
    # industry 002 grows below 1 % a year: income share used every year
    assert bool(out["fallback"].sel(industry="002").all())
    np.testing.assert_allclose(out["id"].sel(industry="002").values, 1.0)


def test_contribution_rate_trailing_window():
    rate, undefined = contribution_rate(CONTRIB, GROWTH, window=3)
    # 2020, industry 001: (0.01 + 0.02 + 0.01) / (0.10 + 0.10 + 0.05)
    assert float(rate.sel(industry="001", year=2020)) == pytest.approx(0.04 / 0.25)
    assert bool(undefined.sel(industry="002", year=2020))


def test_contribution_plus_tfp_adds_theta_share():
    base = attribute("contribution-rate", value_added=VA, ict_compensation=ICT_COMP,
                     ict_contribution=CONTRIB, output_growth=GROWTH, window=1)
    plus = attribute("contribution-plus-tfp", value_added=VA, ict_compensation=ICT_COMP,
                     ict_contribution=CONTRIB, output_growth=GROWTH, tfp=TFP, theta=0.5,
                     window=1)
    diff = (plus["id"] - base["id"]).sel(industry="001", year=2018)
    assert float(diff) == pytest.approx(110 * 0.5 * 0.02 / 0.10)


def test_rates_are_clipped_and_flagged():
    big = _da([[np.nan, 0.5, 0.5, 0.5], [np.nan, -0.5, -0.5, -0.5]])
    g = _da([[np.nan, 0.1, 0.1, 0.1], [np.nan, 0.1, 0.1, 0.1]])
    out = attribute("contribution-rate", value_added=VA, ict_compensation=ICT_COMP,
                    ict_contribution=big, output_growth=g, window=1)
    assert float(out["rate"].max()) == 1.0 and float(out["rate"].min()) == 0.0
    assert int(out["clipped"].sum()) == 6


def test_estimate_theta_recovers_a_known_slope():
    rng = np.random.default_rng(0)
    x = xr.DataArray(rng.normal(0.05, 0.03, (30, 10)), dims=("industry", "year"))
    y = 0.004 + 0.3 * x + xr.DataArray(rng.normal(0, 0.001, (30, 10)), dims=("industry", "year"))
    fit = estimate_theta(y, x)
    assert fit["b"] == pytest.approx(0.3, abs=0.01)
    assert fit["theta"] == pytest.approx(fit["b"] * float(x.sum()) / float(y.sum()))
    assert fit["r2"] > 0.9 and fit["nobs"] == 300 and fit["theta_se"] > 0


def test_errors_name_the_problem():
    with pytest.raises(ParameterError, match="unknown attribution rule 'shapley'"):
        attribute("shapley", value_added=VA, ict_compensation=ICT_COMP)
    with pytest.raises(ParameterError, match="needs the ICT contribution and output growth"):
        attribute("contribution-rate", value_added=VA, ict_compensation=ICT_COMP)
    with pytest.raises(ParameterError, match="needs TFP growth and θ"):
        attribute("contribution-plus-tfp", value_added=VA, ict_compensation=ICT_COMP,
                  ict_contribution=CONTRIB, output_growth=GROWTH)
    with pytest.raises(ParameterError, match="window must be >= 1 year, got 0"):
        contribution_rate(CONTRIB, GROWTH, window=0)
    with pytest.raises(DimensionError, match="differ"):
        estimate_theta(TFP, TFP.isel(industry=0))
    with pytest.raises(ParameterError, match="needs at least 3 industry-years"):
        estimate_theta(TFP.isel(year=[0]), TFP.isel(year=[0]))


# ----------------------------------------------------------------------------- cumulative rule
def cumulative_rate_reference(va, comp, contrib, tfp, out_value, mid, theta, base_index, basis,
                              floor):
    """Plain-numpy twin of the cumulative branch of
    :func:`klems.accounts._kernels.attribution_rates` (all (m, n), θ (m,)): returns
    (rate, fallback, clipped, term)."""
    m, n = va.shape
    y = va if basis == "value-added" else out_value
    with np.errstate(all="ignore"):
        term = contrib + theta[:, None] * tfp
        if basis == "value-added":
            share_va = 1.0 - mid
            term = np.where(share_va > 0, term / share_va, np.nan)
        term = np.where(np.isfinite(term), term, 0.0)
        term[:, :base_index + 1] = 0.0
        total = np.cumsum(np.maximum(term, 0.0) if floor else term, axis=1)
        y0 = y[:, base_index]
        s0 = np.where(y0 > 0, comp[:, base_index] / y0, 0.0)
        s0 = np.clip(np.where(s0 > 0, s0, 0.0), 0.0, 1.0)
        level = 1.0 - (1.0 - s0[:, None]) * np.exp(-total)
        inc = np.where(va > 0, comp / va, 0.0)
        after = level if basis == "value-added" else out_value * level / va
        after = np.where(va > 0, after, 0.0)
    years = np.arange(n)[None, :]
    rate = np.where(years <= base_index, inc, after)
    clipped = (rate < 0) | (rate > 1)
    fallback = np.broadcast_to(years <= base_index, rate.shape)
    return np.clip(rate, 0.0, 1.0), fallback, clipped, term


@pytest.mark.parametrize("floor", [False, True])
@pytest.mark.parametrize("basis", ["value-added", "gross-output"])
@pytest.mark.parametrize("base_index", [0, 3])
def test_cumulative_kernel_equals_its_numpy_twin(basis, base_index, floor):
    """The compiled cumulative rule against the plain-numpy twin on random inputs, with missing
    terms, negative terms, industries without value added and θ varying by industry."""
    rng = np.random.default_rng(base_index + (basis == "value-added"))
    m, n = 40, 15
    va = rng.uniform(-5, 100, (m, n))
    comp = va * rng.uniform(-0.05, 0.4, (m, n))
    out_value = np.abs(va) * rng.uniform(1.5, 4.0, (m, n))
    contrib = rng.normal(0.01, 0.02, (m, n))
    tfp = rng.normal(0.01, 0.05, (m, n))
    mid = rng.uniform(0.3, 1.05, (m, n))
    contrib[rng.uniform(size=(m, n)) < 0.05] = np.nan
    contrib[:, 0] = tfp[:, 0] = np.nan
    theta = rng.uniform(0, 1, m)
    rate = np.empty((m, n))
    work = np.zeros((m, n))
    fallback = np.empty((m, n), dtype=bool)
    clipped = np.empty((m, n), dtype=bool)
    kern.attribution_rates(3, va, comp, contrib, np.zeros((m, n)), tfp, out_value, mid, theta, 3,
                           0.01, base_index, OUTPUT_BASES.index(basis), floor, work, rate,
                           fallback, clipped)
    ref = cumulative_rate_reference(va, comp, contrib, tfp, out_value, mid, theta, base_index,
                                    basis, floor)
    np.testing.assert_allclose(rate, ref[0], rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(fallback, ref[1])
    np.testing.assert_array_equal(clipped, ref[2])
    np.testing.assert_allclose(work, ref[3], rtol=1e-13, atol=1e-15)
    assert (work < 0).any()
    # after the base year: ID above VA only on the gross-output basis, below 0 only without floor
    after = rate[:, base_index + 1:]
    assert (clipped[:, base_index + 1:] & (after == 1)).any() == (basis == "gross-output")
    assert (clipped[:, base_index + 1:] & (after == 0) & (va[:, base_index + 1:] > 0)).any() \
        == (not floor)


def _cumulative(**kw):
    args = dict(value_added=VA, ict_compensation=ICT_COMP, ict_contribution=CONTRIB,
                output_growth=GROWTH, tfp=TFP, theta=0.5, share_intermediates=VA * 0 + 0.5)
    return attribute("cumulative", **(args | kw))


def test_cumulative_by_hand():
    """ID = VA (1 − (1 − s0) e^{−S}); s0 the ICT income share in t0; terms in value-added units
    (÷ (1 − v̄_MID) = ÷ 0.5 here); negative terms floored; base year and before: income share."""
    out = _cumulative()
    s0 = 5 / 100
    terms = [(0.01 + 0.5 * 0.02) / 0.5, (0.02 + 0.5 * 0.01) / 0.5, (0.01 + 0.0) / 0.5]
    expected = [5.0] + [v * (1 - (1 - s0) * np.exp(-sum(terms[:k])))
                        for v, k in ((110, 1), (120, 2), (130, 3))]
    np.testing.assert_allclose(out["id"].sel(industry="001").values, expected, rtol=1e-13)
    assert bool(out["fallback"].sel(industry="001", year=2017))
    assert out.attrs["base_year"] == 2017 and out.attrs["basis"] == "value-added"
    # a later base year: income share up to it, the sum starts the year after
    late = _cumulative(base_year=2019)
    np.testing.assert_allclose(late["id"].sel(industry="001", year=[2017, 2018, 2019]).values,
                               [5, 6, 7])
    s0 = 7 / 120
    assert float(late["id"].sel(industry="001", year=2020)) == pytest.approx(
        130 * (1 - (1 - s0) * np.exp(-terms[2])))
    # negative terms: summed, and a negative ID set to 0 (marked) — or floored at 0
    neg = _cumulative(tfp=TFP * 0 - 1.0)
    assert (neg["term"].sel(industry="001").values[1:] < 0).all()
    np.testing.assert_array_equal(neg["rate"].sel(industry="001").values[1:], 0.0)
    assert neg["clipped"].sel(industry="001").values[1:].all()
    floor = _cumulative(tfp=TFP * 0 - 1.0, negative="floor")
    np.testing.assert_allclose(floor["rate"].sel(industry="001").values, 0.05)
    assert not floor["clipped"].any()


def test_cumulative_gross_output_basis_caps_id_at_value_added():
    go = VA * 3
    out = _cumulative(basis="gross-output", output_value=go, share_intermediates=None,
                      tfp=TFP * 0 + 1.0, theta=1.0)
    assert float(out["rate"].max()) == 1.0
    assert bool(out["clipped"].any())
    assert (out["id"] <= VA + 1e-12).all()


def test_cumulative_errors_name_the_problem():
    with pytest.raises(ParameterError, match="base year 2010 of the cumulative rule is outside "
                                             "the accounts' years 2017-2020"):
        _cumulative(base_year=2010)
    with pytest.raises(ParameterError, match="on the value-added basis needs share_intermediates"):
        _cumulative(share_intermediates=None)
    with pytest.raises(ParameterError, match="on the gross-output basis needs output_value"):
        _cumulative(basis="gross-output")
    with pytest.raises(ParameterError, match="unknown output basis of the cumulative rule 'x'"):
        _cumulative(basis="x")
    with pytest.raises(ParameterError, match="unknown treatment of negative terms of the "
                                             "cumulative rule 'clip'; expected one of sum, floor"):
        _cumulative(negative="clip")
    with pytest.raises(ParameterError, match="rule 'cumulative' needs TFP growth and θ"):
        _cumulative(theta=None)
