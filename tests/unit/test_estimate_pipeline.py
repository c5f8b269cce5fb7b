"""The estimate pipeline on a small synthetic dataset whose identities hold exactly."""

from __future__ import annotations

import numpy as np
import pytest

from klems.base.errors import InputDataError, ParameterError
from klems.pipeline.compute import compute
from klems.pipeline.options import EstimateOptions


def test_pipeline_runs_and_totals_add_up(synthetic_inputs):
    data, ict_p, nict_p = synthetic_inputs
    out = compute(data, ict_p, nict_p, EstimateOptions(attribution="income-share"))
    de, di, id_ = out.digital_economy, out.digital_industrialization, out.industrial_digitalization
    np.testing.assert_allclose(de, di + id_)
    assert out.year.values[0] == 2001        # user costs need the previous year's price
    va = data.value_added.sel(year=out.year)
    np.testing.assert_allclose(di, va.isel(industry=[1, 4]).sum("industry"))
    # income share: ID = ICT capital compensation of the non-ICT industries
    non_ict = [0, 2, 3, 5]
    np.testing.assert_allclose(id_, out.ict_compensation.isel(industry=non_ict).sum("industry"))
    assert set(out.rule.values) == {"income-share", "contribution-rate", "contribution-plus-tfp",
                                    "cumulative"}
    assert (out.share_of_gdp > 0).all() and (out.share_of_gdp < 1).all()
    # growth accounting closes: contributions + TFP = output growth
    total = (out.contribution_ict + out.contribution_nict + out.contribution_labour
             + out.contribution_intermediates + out.tfp)
    np.testing.assert_allclose(total.isel(year=slice(1, None)),
                               out.output_growth.isel(year=slice(1, None)), atol=1e-12)
    # θ by default: the bundled pooled 31-province regression; the data's own OLS on request
    assert out.attrs["theta_source"].startswith("pooled")
    own = compute(data, ict_p, nict_p, EstimateOptions(theta="province"))
    assert own.attrs["theta_source"] == "estimated (OLS)"
    assert own.attrs["theta"] == pytest.approx(min(max(own.attrs["theta_ols"], 0.0), 1.0))


def test_scaling_ict_investment_raises_industrial_digitalization(synthetic_inputs):
    data, ict_p, nict_p = synthetic_inputs
    low = compute(data, ict_p, nict_p, EstimateOptions())
    high = compute(data, ict_p, nict_p, EstimateOptions(ict_investment_scale=2.0))
    assert (high.industrial_digitalization > low.industrial_digitalization).all()
    np.testing.assert_allclose(high.digital_industrialization, low.digital_industrialization)


def test_options_are_validated():
    with pytest.raises(ParameterError, match="unknown attribution rule 'x'"):
        EstimateOptions(attribution="x")
    with pytest.raises(ParameterError, match="unknown ICT asset 'printers'"):
        EstimateOptions(assets={"printers": {}})
    with pytest.raises(ParameterError, match="unknown parameter 'life' of asset hardware"):
        EstimateOptions(assets={"hardware": {"life": 3}})
    with pytest.raises(ParameterError, match="mean service life must be a finite number > 0"):
        EstimateOptions(assets={"hardware": {"mean_life": -1.0}})
    with pytest.raises(ParameterError, match=r"ict_investment_scale must be a finite number > 0"):
        EstimateOptions(ict_investment_scale=0.0)


@pytest.mark.parametrize("changes, message", [
    ({"theta": -1.0}, r"theta must be a finite number in \[0, 1\], got -1.0"),
    ({"theta": float("nan")}, r"theta must be a finite number in \[0, 1\], got nan"),
    ({"theta": 1.5}, r"θ is the share of TFP growth attributed to ICT"),
    ({"theta": "own"}, r"unknown source of θ 'own'; expected one of pooled, province, "
                       r"informative \(or give θ as a number in \[0, 1\]\)"),
    ({"cumulative_basis": "net"}, r"unknown output basis of the cumulative rule 'net'; "
                                  r"expected one of value-added, gross-output"),
    ({"cumulative_base_year": 2001.5}, r"cumulative_base_year must be a whole number >= 1950"),
    ({"cumulative_negative": "clip"}, r"unknown treatment of negative terms of the cumulative "
                                      r"rule 'clip'; expected one of sum, floor"),
    ({"sector_theta": {"quaternary": 0.1}}, r"unknown sector 'quaternary' of sector_theta"),
    ({"sector_theta": {"primary": 1.5}}, r"theta of the primary sector must be a finite number "
                                         r"in \[0, 1\]"),
    ({"di_scale": float("inf")}, r"di_scale must be a finite number > 0, got inf"),
    ({"nict_depreciation": 1.2}, r"nict_depreciation must be a finite number in \[0, 1\]"),
    ({"window": 0}, r"window must be a whole number >= 1, got 0"),
    ({"smooth_gains": 2}, r"smooth_gains must be a positive odd number of years, got 2"),
    ({"rate": "ex-ante"}, r"unknown rate of return 'ex-ante'; expected one of ex-post"),
    ({"rate": float("nan")}, r"rate must be a finite number in \[-0.5, 1\], got nan"),
    ({"presample": "linear"}, r"unknown pre-sample rule 'linear'; expected one of geometric"),
    ({"growth_method": "median"}, r"unknown growth method 'median'"),
    ({"reference": "cpi"}, r"unknown reference deflator 'cpi'; expected one of investment, gdp"),
    ({"assets": {"hardware": {"depreciation": "0.3x"}}}, r"hardware.depreciation must be a number"),
])
def test_every_option_is_checked(changes, message):
    """Every option is checked when the options are made, with the value and what was expected
    (one validation layer shared by estimate, reproduce and sweep)."""
    with pytest.raises(ParameterError, match=message):
        EstimateOptions(**changes)


def test_missing_input_variable_is_named(synthetic_inputs):
    data, ict_p, nict_p = synthetic_inputs
    with pytest.raises(InputDataError, match="input variable 'labour_input' is missing"):
        compute(data.drop_vars("labour_input"), ict_p, nict_p, EstimateOptions())
    with pytest.raises(InputDataError, match=r"deflators are missing for years \[2020, 2021\]"):
        compute(data, ict_p.sel(year=slice(2000, 2019)), nict_p, EstimateOptions())
