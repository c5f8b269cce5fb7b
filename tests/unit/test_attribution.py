"""Attribution rules from growth accounts to industrial digitalization (docs/method.md §6,
docs/attribution.md)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from klems.accounts.attribution import attribute, contribution_rate, estimate_theta
from klems.base.errors import DimensionError, ParameterError

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
