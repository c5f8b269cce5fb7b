"""Reproduction of the published digital-economy series: Guangxi and the nation.

Guangxi: 广西数字经济发展白皮书（2022年）(seeds/004), chapter 一（一）, text and 表1 "2017-2021年
广西数字经济规模增速占比情况" (printed pp. 1–4): DE 5200 亿元 (2017) and 8512 (2021); in 2021 ID
7466 and DI 1046; nominal DE growth 13.1 / 12.7 / 10.2 / 16.7 % (2018–2021); ranks among the 31
provinces in 2021: 18th by scale, 15th by share of GDP, 9th by growth. Nation: CAICT's figures as
collected in ``../shared/reference-data/caict-digital-economy/`` (data/published_figures.csv):
DE share of GDP 14.2 % (2005), 36.2 / 38.6 / 39.8 / 41.5 / 42.8 % (2019–2023); DE 39.2, 45.5 and
53.9 万亿元 (2020, 2021, 2023); growth 16.2 % (2021, white paper 2022 前言); penetration of the
primary / secondary / tertiary sector 2019–2023 (8.2–10.78 / 19.5–25.03 / 37.8–45.63 %).

The reproduction uses the white paper's data vintage (``2018-census``), the default rule
(``cumulative``) and calibrates θ only (:mod:`klems.pipeline.calibration`). The issue's targets:
Guangxi 2018–2021 growth RMSE <= 2 pp, DE and ID 2021 within 3 %; the nation's share within 2 pp
in every CAICT year and its growth within 2 pp; sector penetration within 5 pp; at most three
coefficients, all inside their plausible ranges. What cannot be met is an expected failure with
its numbers (strict: it flags when it is met).
"""

from __future__ import annotations

import numpy as np
import pytest

from klems.pipeline.reproduction import reproduce

SECTOR_THETA = ("theta_primary", "theta_secondary", "theta_tertiary")


@pytest.fixture(scope="module")
def guangxi():
    return reproduce("guangxi")


@pytest.fixture(scope="module")
def guangxi_held_out():
    """Calibrated on 2017–2020 only: 2021 is out of sample."""
    return reproduce("guangxi", calibration_years=(2017, 2020))


@pytest.fixture(scope="module")
def china():
    return reproduce("china")


@pytest.fixture(scope="module")
def china_by_sector():
    return reproduce("china", calibrate=SECTOR_THETA)


def _row(table, figure, year):
    rows = table[(table.figure == figure) & (table.year == year)]
    assert len(rows) == 1, (figure, year)
    return rows.iloc[0]


def test_one_coefficient_inside_its_range(guangxi, china):
    for res in (guangxi, china):
        assert set(res["calibrated"]) == {"theta"}
        coef = res["coefficients"].set_index("coefficient").loc["theta"]
        assert coef.inside and not coef.at_bound and 0 < coef.value < 1


def test_guangxi_growth_2018_2021_rmse_within_2_pp(guangxi):
    """Table 1: 13.1, 12.7, 10.2, 16.7 % (deviations in percentage points)."""
    growth = guangxi["calibrated_table"].query("figure == 'nominal_growth' and target")
    assert sorted(growth.year) == [2018, 2019, 2020, 2021]
    assert set(growth.deviation_unit) == {"pp"}
    np.testing.assert_allclose(growth.deviation, growth.computed - growth.published)
    assert guangxi["summary"]["growth_rmse_pp"] <= 2.0


@pytest.mark.parametrize("figure, year", [("digital_economy", 2017), ("digital_economy", 2021),
                                          ("industrial_digitalization", 2021)])
def test_guangxi_levels_within_3_percent(guangxi, figure, year):
    """Text of chapter 一（一）: DE 5200 (2017), 8512 (2021); ID 7466 (2021)."""
    row = _row(guangxi["calibrated_table"], figure, year)
    assert row.target and row.deviation_unit == "%"
    assert abs(row.deviation) <= 3.0


@pytest.mark.parametrize("figure", ["digital_economy", "industrial_digitalization"])
def test_guangxi_2021_held_out_within_3_percent(guangxi_held_out, figure):
    """θ fitted on DE 2017 and the growth of 2018–2020 only; DE and ID 2021 out of sample."""
    row = _row(guangxi_held_out["calibrated_table"], figure, 2021)
    assert row.held_out
    assert abs(row.deviation) <= 3.0


@pytest.mark.xfail(strict=True, reason="DI 2021: 844 亿元 against the printed 1046 (-19.3 %); "
                   "DI is the value added of the eight ICT industries in the regionalised data, "
                   "and di_scale cannot raise it (the DI shares are 0 or 1, range [0.75, 1])")
def test_guangxi_di_2021_within_3_percent(guangxi):
    row = _row(guangxi["calibrated_table"], "digital_industrialization", 2021)
    assert abs(row.deviation) <= 3.0


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


def test_nation_share_within_2_pp_every_caict_year(china):
    shares = china["calibrated_table"].query("figure == 'share_of_gdp'")
    assert sorted(shares.year) == [2005, 2019, 2020, 2021, 2022, 2023]
    assert (shares.deviation.abs() <= 2.0).all(), shares[["year", "deviation"]]


def test_nation_growth_and_levels(china):
    table = china["calibrated_table"]
    assert abs(_row(table, "nominal_growth", 2021).deviation) <= 2.0
    for year in (2020, 2021, 2023):
        assert abs(_row(table, "digital_economy", year).deviation) <= 3.0


@pytest.mark.xfail(strict=True, reason="one θ for every sector: primary penetration 46-53 % "
                   "against CAICT's 8.2-10.8 %, tertiary 31-35 % against 37.8-45.6 % (2019-2023); "
                   "agriculture's TFP growth is large and its ICT capital tiny")
def test_nation_penetration_within_5_pp_with_one_theta(china):
    pen = china["calibrated_table"].query("figure.str.startswith('penetration_')")
    assert (pen.deviation.abs() <= 5.0).all()


def test_nation_penetration_within_5_pp_with_sector_theta(china_by_sector):
    """Three coefficients (θ of each sector), each inside [0, 1]: penetration 2019–2023 within
    5 pp of CAICT's and the shares still within 2 pp."""
    res = china_by_sector
    assert set(res["calibrated"]) == set(SECTOR_THETA)
    assert res["coefficients"].inside.all()
    table = res["calibrated_table"]
    pen = table.query("figure.str.startswith('penetration_')")
    assert len(pen) == 15 and pen.target.all()
    assert (pen.deviation.abs() <= 5.0).all(), pen[["figure", "year", "deviation"]]
    shares = table.query("figure == 'share_of_gdp'")
    assert (shares.deviation.abs() <= 2.0).all()
    assert res["targets_met"]


@pytest.fixture(scope="module")
def guangxi_ranks():
    return reproduce("guangxi", ranks=True)["ranks"]


def _rank(ranks, figure, year=2021, options="calibrated"):
    r = ranks[(ranks.figure == figure) & (ranks.year == year) & (ranks.options == options)]
    return r.iloc[0]


@pytest.mark.slow
def test_guangxi_scale_rank_within_one_place(guangxi_ranks):
    """Slow (31 provinces twice). Chapter 一（一）: 2021 scale 18th of 31."""
    r = _rank(guangxi_ranks, "digital_economy")
    assert r.published_rank == 18
    assert abs(r.computed_rank - 18) <= 1


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="31-province run with Guangxi's θ (2018-census): share "
                   "of GDP 22nd against 15th, growth 16th against 9th; the provinces' shares "
                   "and growth come from regionalised data (issue 14), not from the rule")
@pytest.mark.parametrize("figure, published", [("share_of_gdp", 15), ("nominal_growth", 9)])
def test_guangxi_share_and_growth_ranks_within_two_places(guangxi_ranks, figure, published):
    r = _rank(guangxi_ranks, figure)
    assert r.published_rank == published
    assert abs(r.computed_rank - published) <= 2
