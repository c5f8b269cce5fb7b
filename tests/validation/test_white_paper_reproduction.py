"""Reproduction of the Guangxi Digital Economy White Paper 2022 (seeds/004), chapter 1.

Published (亿元): DE 5200 in 2017 and 8512 in 2021; in 2021 ID 7466 and DI 1046. Targets of the
estimate issue: with at most three calibrated coefficients, DE within 2 % of the printed figure
in the calibration years (2017–2020) and DE and ID within 5 % in the held-out 2021. DI 2021 is
not reached (the regionalised ICT industries' value added is 1243 亿元, +19 %); that miss is
reported by ``klems reproduce``, not hidden here.
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


def test_digital_economy_2017_within_2_percent_in_calibration(guangxi):
    row = _row(guangxi["calibrated_table"], "digital_economy", 2017)
    assert not row.held_out
    assert abs(row.deviation_pct) <= 2.0


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
