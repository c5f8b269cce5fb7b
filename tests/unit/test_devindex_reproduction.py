"""The published national series (CAICT 2024) and the first-level weights consistent with it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klems.base.errors import InputDataError, ParameterError
from klems.devindex.reproduction import (
    COMPONENTS,
    MODES,
    central_weights,
    component_bounds,
    grid_solutions,
    is_consistent,
    load_published,
    national_total,
    published_table,
    weight_ranges,
)


def test_published_series_as_printed():
    """CAICT, 中国工业互联网发展成效评估报告(2024 年): 图1 p. 12 total 100/139/179/235; 图2 p. 13
    基础能力 100/152/234/311, 技术创新 100/146/163/211, 产业发展 100/127/164/216,
    应用推广 100/142/162/182, 发展环境 100/134/195/296 (2020-2023)."""
    tab = published_table()
    expected = {"total": [100, 139, 179, 235], "foundation": [100, 152, 234, 311],
                "innovation": [100, 146, 163, 211], "industry": [100, 127, 164, 216],
                "application": [100, 142, 162, 182], "environment": [100, 134, 195, 296]}
    assert tab.index.tolist() == [2020, 2021, 2022, 2023]
    for code, values in expected.items():
        assert tab[code].tolist() == values, code
    df = load_published()
    assert set(df.loc[df.indicator == "total", "page"]) == {12}
    assert set(df.loc[df.indicator != "total", "figure"]) == {"图2"}


def test_published_growth_rates_match_the_indices():
    """Growth printed in 图3 (p. 14), 图4 (p. 18), 图5 (p. 20), 图8 (p. 23), 图11 (p. 28), e.g.
    基础能力 52.0 %, 53.9 %, 32.9 %: each equals the ratio of the printed indices to 0.1 %."""
    tab = published_table()[list(COMPONENTS)]
    g = published_table(column="growth_pct")[list(COMPONENTS)]
    computed = ((tab / tab.shift(1) - 1) * 100).round(1)
    pd.testing.assert_frame_equal(computed.iloc[1:], g.iloc[1:].astype(float), check_names=False)


def test_total_average_growth_33_percent():
    """Section 三 p. 12: "从 100 提升至 235, 年均增长率为 33%"."""
    tab = published_table()
    assert round(((tab.loc[2023, "total"] / tab.loc[2020, "total"]) ** (1 / 3) - 1) * 100) == 33


def test_total_for_equal_weights_by_hand():
    """Equal weights: (152+146+127+142+134)/5 = 140.2, 918/5 = 183.6, 1216/5 = 243.2 — not the
    published 139, 179, 235: the report's weights are not equal."""
    tot = national_total([20, 20, 20, 20, 20])
    np.testing.assert_allclose(tot.to_numpy(), [100, 140.2, 183.6, 243.2])
    assert not is_consistent([1, 1, 1, 1, 1])
    assert national_total({"foundation": 1}).tolist() == [100, 152, 234, 311]


@pytest.mark.parametrize("contribution", [False, True])
def test_weight_ranges_bracket_every_consistent_grid_vector(contribution):
    """Every weight vector on a 0.5-point grid (2-point without the contribution statement) that
    reproduces 139/179/235 within ±0.5 lies inside the LP ranges, and the grid's extremes come
    within 2.5 points of the LP's: the ranges are neither too narrow nor too wide."""
    ranges = weight_ranges(contribution=contribution)
    grid = grid_solutions(step=0.5 if contribution else 2.0, contribution=contribution)
    assert len(grid) > 0
    for code in COMPONENTS:
        lo, hi = ranges.loc[code, "min_points"], ranges.loc[code, "max_points"]
        assert grid[code].min() >= lo - 1e-9 and grid[code].max() <= hi + 1e-9
        assert grid[code].min() - lo < 2.5 and hi - grid[code].max() < 2.5
    for row in grid.to_numpy()[:: max(1, len(grid) // 50)]:
        tot = national_total(row)
        assert np.all(np.abs(tot.loc[2021:].to_numpy() - [139, 179, 235]) <= 1.0 + 1e-9)


def test_contribution_statement_pins_the_foundation_weight():
    """p. 13: 基础能力 contributed 17.3 % of the 2023 increase: q·(311 − 234) = 0.173·(235 − 179)
    gives q = 12.58 points; with rounding the range must contain it and lie within
    [0.1725·55/78, 0.1735·57/76]."""
    r = weight_ranges(contribution=True).loc["foundation"]
    assert r.min_points <= 100 * 0.173 * 56 / 77 <= r.max_points
    assert r.min_points >= 100 * 0.1725 * 55 / 78 - 1e-9
    assert r.max_points <= 100 * 0.1735 * 57 / 76 + 1e-9


@pytest.mark.parametrize("mode", MODES)
def test_central_weights_are_consistent(mode):
    w, radius = central_weights(mode=mode)
    assert w.sum() == pytest.approx(100)
    assert radius > 0
    assert is_consistent(w.to_numpy(), mode=mode)


def test_component_bounds_nest():
    """Intervals from the printed growth rates lie inside the ±0.5 rounding intervals."""
    lo_r, hi_r = component_bounds(mode="rounded")
    lo_g, hi_g = component_bounds(mode="growth")
    lo_e, hi_e = component_bounds(mode="exact")
    assert (lo_g >= lo_r - 1e-12).all().all() and (hi_g <= hi_r + 1e-12).all().all()
    assert (lo_e == hi_e).all().all()
    assert lo_g.loc[2021, "foundation"] == pytest.approx(151.95)  # 100 · 1.5195


def test_reproduction_errors():
    with pytest.raises(ParameterError, match=r"unknown mode 'fuzzy'"):
        component_bounds(mode="fuzzy")
    with pytest.raises(ParameterError, match=r"first-level weights \[1.0, 2.0\]; expected 5"):
        national_total([1, 2])
    with pytest.raises(ParameterError, match=r"weight for unknown component 'x'"):
        national_total({"x": 1})
    with pytest.raises(ParameterError, match=r"grid step 3; expected a positive divisor of 100"):
        grid_solutions(step=3)
    pub = load_published()
    bad = pub.copy()
    bad.loc[bad.indicator == "total", "value"] = [100, 300, 400, 500]
    with pytest.raises(InputDataError, match=r"no first-level weights reproduce the published "
                                             r"totals within ±0.5"):
        weight_ranges(bad)
    with pytest.raises(InputDataError, match=r"published series lacks environment"):
        published_table(pub[pub.indicator != "environment"])
    bad = pub.copy()
    bad.loc[(bad.indicator == "foundation") & (bad.year == 2021), "growth_pct"] = 60.0
    with pytest.raises(InputDataError, match=r"printed growth rates contradict"):
        component_bounds(bad, mode="growth")
