"""Calibration design: targets and weights, deviations, the fit, ranges, calibration files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from klems.base.errors import InputDataError, ParameterError
from klems.pipeline.calibration import (
    RANGES,
    apply_calibration,
    check_coefficients,
    coefficient_table,
    deviation,
    fit,
    load_calibration,
    option_changes,
    select_targets,
)


def _table(rows):
    return pd.DataFrame(rows, columns=["figure", "year", "published", "unit", "source"])


TABLE = _table([
    ("digital_economy", 2017, 5200.0, "1e8 CNY", ""), ("digital_economy", 2021, 8512.0, "", ""),
    ("share_of_gdp", 2017, 25.5, "percent", ""), ("share_of_gdp", 2020, 32.8, "percent", ""),
    ("share_of_gdp", 2021, 34.4, "percent", ""), ("nominal_growth", 2017, 27.1, "percent", ""),
    ("nominal_growth", 2018, 13.1, "percent", ""),
    ("digital_industrialization", 2021, 1046.0, "", ""),
    ("penetration_primary", 2021, 9.7, "percent", ""),
    ("contribution_to_gdp_growth", 2021, 63.2, "percent", ""),
])


def test_deviation_levels_in_percent_rates_in_points():
    assert deviation("digital_economy", 200.0, 210.0) == pytest.approx(5.0)
    assert deviation("nominal_growth", 13.1, 15.0) == pytest.approx(1.9)
    assert deviation("share_of_gdp", 40.0, 39.0) == pytest.approx(-1.0)


def test_targets_weights_and_reasons():
    sel = select_targets(TABLE, "guangxi", ("theta",)).set_index(["figure", "year"])
    fitted = {k for k, v in sel["target"].items() if v}
    assert fitted == {("digital_economy", 2017), ("digital_economy", 2021),
                      ("share_of_gdp", 2020), ("nominal_growth", 2018)}
    # weights are 1 / tolerance: 3 % for levels, 2 pp for growth and shares, 5 pp otherwise
    assert sel.loc[("digital_economy", 2017), "weight"] == pytest.approx(1 / 3)
    assert sel.loc[("nominal_growth", 2018), "weight"] == pytest.approx(1 / 2)
    assert sel.loc[("penetration_primary", 2021), "tolerance"] == 5.0
    assert "pre-census" in sel.loc[("share_of_gdp", 2017), "note"]
    assert "not printed" in sel.loc[("nominal_growth", 2017), "note"]
    assert "level of the year is fitted" in sel.loc[("share_of_gdp", 2021), "note"]
    assert "no calibrated coefficient" in sel.loc[("digital_industrialization", 2021), "note"]


def test_targets_follow_the_coefficients_and_years():
    sel = select_targets(TABLE, "china", ("di_scale", "theta_primary"), years=(2018, 2021))
    sel = sel.set_index(["figure", "year"])
    assert sel.loc[("digital_industrialization", 2021), "target"]       # di_scale moves DI
    assert sel.loc[("penetration_primary", 2021), "target"]             # θ by sector
    assert not sel.loc[("digital_economy", 2017), "target"]
    assert "outside the calibration years" in sel.loc[("digital_economy", 2017), "note"]


def test_fit_finds_a_known_optimum_and_reports_bounds():
    """A linear model r = (θ − 0.3)/0.1 and a scale that wants to be above its range."""
    def evaluate(v):
        return np.array([(v["theta"] - 0.3) / 0.1, (v["ict_investment_scale"] - 2.0) / 0.1,
                         (v["theta"] + v["ict_investment_scale"] - 1.8) / 0.5])

    out = fit(evaluate, ("theta", "ict_investment_scale"))
    assert out["values"]["ict_investment_scale"] == pytest.approx(1.5, abs=1e-6)
    assert out["at_bound"] == ["ict_investment_scale"]
    assert 0.29 < out["values"]["theta"] < 0.31
    assert "theta/ict_investment_scale" in out["jacobian_correlation"]
    table = coefficient_table(out["values"]).set_index("coefficient")
    assert table.loc["theta", "inside"] and not table.loc["ict_investment_scale", "inside"]
    assert table.loc["ict_investment_scale", "at_bound"]


def test_ranges_are_plausible_and_stated():
    assert RANGES["theta"][0] == (0.0, 1.0)
    assert RANGES["ict_investment_scale"][0] == (0.67, 1.5)
    assert RANGES["di_scale"][0][1] == 1.0 and "changes nothing" in RANGES["di_scale"][2]


@pytest.mark.parametrize("names, message", [
    (("theta", "gamma"), "unknown coefficient 'gamma'"),
    (("theta", "theta"), "coefficient named twice"),
    (("theta", "di_scale", "ict_investment_scale", "theta_primary"), "at most three"),
])
def test_coefficients_are_checked(names, message):
    with pytest.raises(ParameterError, match=message):
        check_coefficients(names)


def test_sector_thetas_become_options():
    assert option_changes({"theta_primary": 0.1, "ict_investment_scale": 1.2},
                          {"tertiary": 0.5}) == {
        "ict_investment_scale": 1.2, "sector_theta": {"tertiary": 0.5, "primary": 0.1}}


def test_calibration_file_applies_and_refuses_contradictions(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"calibrated": {"theta": 0.3},
                                "options": {"attribution": "cumulative",
                                            "cumulative_basis": "value-added"}}))
    doc = load_calibration(path)
    assert doc["file"] == str(path) and len(doc["sha256"]) == 64
    assert apply_calibration(doc, {"profile": "geometric"}, {"profile": "geometric"}) == {
        "profile": "geometric", "attribution": "cumulative", "cumulative_basis": "value-added",
        "theta": 0.3}
    # the same values given again are no contradiction
    assert apply_calibration(doc, {"theta": 0.3}, {"theta": 0.3})["theta"] == 0.3
    with pytest.raises(ParameterError, match=r"contradicts the command line \(attribution: "
                                             r"'income-share' given, the calibration has "
                                             r"'cumulative'\)"):
        apply_calibration(doc, {}, {"attribution": "income-share"})
    with pytest.raises(ParameterError, match="theta: 'pooled' given"):
        apply_calibration(doc, {}, {"theta": "pooled"})


def test_unreadable_calibration_file_is_named(tmp_path):
    with pytest.raises(InputDataError, match="cannot read the calibration file"):
        load_calibration(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"calibrated": [1], "options": {}}')
    with pytest.raises(InputDataError, match="'calibrated' must map names to numbers"):
        load_calibration(bad)
