"""No silent revision (issue 16): ``freeze_through`` makes an earlier year independent of later
ones — the average investment growth g, θ's regression sample and the centred smoothing of
capital gains use the data up to the freeze year only."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr

from klems.accounts.user_costs import smoothed_price_change
from klems.base.errors import ParameterError
from klems.base.vocabulary import RULES
from klems.pipeline.compute import compute
from klems.pipeline.options import EstimateOptions, freeze_year

TOTALS = ("digital_economy", "digital_industrialization", "industrial_digitalization",
          "share_of_gdp", "nominal_growth", "contribution_to_gdp_growth",
          "digital_economy_by_rule", "industrial_digitalization_by_rule", "penetration",
          "id_industry", "tfp", "contribution_ict", "ict_stock", "rate_of_return")


def _uneven(synthetic, seed=4):
    data, ict_p, nict_p = synthetic
    rng = np.random.default_rng(seed)
    data = data.assign(ict_investment=data.ict_investment
                       * rng.uniform(0.7, 1.3, data.ict_investment.shape))
    return (data, ict_p * rng.uniform(0.95, 1.05, ict_p.shape),
            nict_p * rng.uniform(0.97, 1.03, nict_p.shape))


def _run(data, ict_p, nict_p, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute(data, ict_p, nict_p, EstimateOptions(**options))


def test_smoothed_change_up_to_the_freeze_year_is_that_of_the_shorter_series():
    years = np.arange(2000, 2012)
    price = xr.DataArray(100 * np.cumprod(1 + np.random.default_rng(1).normal(0.02, 0.03, 12)),
                         dims="year", coords={"year": years})
    frozen = smoothed_price_change(price, 3, freeze_through=2007)
    short = smoothed_price_change(price.sel(year=slice(None, 2007)), 3)
    np.testing.assert_array_equal(frozen.sel(year=slice(None, 2007)).values, short.values)
    change = price / price.shift(year=1) - 1
    for y in range(2008, 2012):      # later years: window cut at the year itself
        assert float(frozen.sel(year=y)) == pytest.approx(
            float(change.sel(year=[y - 1, y]).mean()), rel=1e-14)
    # without the freeze 2007 looks at 2008
    free = smoothed_price_change(price, 3)
    assert float(free.sel(year=2007)) != float(frozen.sel(year=2007))


@pytest.mark.parametrize("options", [
    {}, {"growth_scope": "industry"}, {"presample": "backcast", "growth_method": "regression"},
    {"smooth_gains": 5, "growth_method": "arithmetic"}])
def test_years_added_after_the_freeze_year_change_no_earlier_figure(synthetic_inputs, options):
    """compute on 2000-2015 equals, in every earlier year and under every rule, compute on
    2000-2021 frozen through 2015 — bit for bit; without the freeze the earlier years move."""
    data, ict_p, nict_p = _uneven(synthetic_inputs)
    short = _run(data.sel(year=slice(None, 2015)), ict_p, nict_p, **options)
    long = _run(data, ict_p, nict_p, freeze_through=2015, **options)
    free = _run(data, ict_p, nict_p, freeze_through="none", **options)
    assert long.attrs["freeze_through"] == 2015 and short.attrs["freeze_through"] == "none"
    assert long.attrs["theta"] == short.attrs["theta"]
    for name in TOTALS:
        np.testing.assert_array_equal(long[name].sel(year=slice(None, 2015)).values,
                                      short[name].values, err_msg=name)
    moved = [name for name in TOTALS if not np.array_equal(
        free[name].sel(year=slice(None, 2015)).values, short[name].values)]
    assert "digital_economy_by_rule" in moved and "ict_stock" in moved


def test_freeze_recorded_in_the_data_is_the_default(synthetic_inputs):
    data, ict_p, nict_p = _uneven(synthetic_inputs)
    recorded = _run(data.assign_attrs(freeze_through=2013), ict_p, nict_p)
    given = _run(data, ict_p, nict_p, freeze_through=2013)
    assert recorded.attrs["freeze_through"] == 2013
    assert recorded.attrs["freeze_through_option"] == "data"
    for rule in RULES:
        np.testing.assert_array_equal(
            recorded.digital_economy_by_rule.sel(rule=rule).values,
            given.digital_economy_by_rule.sel(rule=rule).values)
    # "none" overrides the record
    none = _run(data.assign_attrs(freeze_through=2013), ict_p, nict_p, freeze_through="none")
    assert none.attrs["freeze_through"] == "none"


def test_freeze_year_rules_and_errors():
    years = range(2000, 2023)
    assert freeze_year("data", None, years) is None
    assert freeze_year("data", 2015, years) == 2015
    assert freeze_year("data", "2015", years) == 2015
    assert freeze_year("none", 2015, years) is None
    assert freeze_year(2022, None, years) is None          # the last year: nothing frozen
    assert freeze_year(2030, None, years) is None
    with pytest.raises(ParameterError, match=r"freeze_through 2001 leaves too few years: the "
                                             r"data run 2000-2022.*at least 2002"):
        freeze_year(2001, None, years)
    with pytest.raises(ParameterError, match=r"data record freeze_through 'soon'"):
        freeze_year("data", "soon", years)
    with pytest.raises(ParameterError, match=r"unknown freeze_through 'always'.*data, none"):
        EstimateOptions(freeze_through="always")
    with pytest.raises(ParameterError, match=r"freeze_through must be a year such as 2022"):
        EstimateOptions(freeze_through=22.5)
