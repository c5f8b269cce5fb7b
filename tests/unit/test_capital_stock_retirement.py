"""Retirement distributions and life tables (pimir's conventions), checked by hand and by scipy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

import capital_stock as cs
from capital_stock.retirement import weibull_shape
from klems.base.errors import ParameterError


def test_pimir_reference_survival_right_truncated_normal():
    """ONS pimir, ``getSurvivalValues(2, 6, 4, 0.25, "pnorm", TRUE, 0, …)``: survival
    1, 1, 1, 0.857616, 0.5, 0.142384, 0 at ages 0…6 (mean life 4, CoV 0.25, lives 2–6,
    right-truncated normal, offset 0; the reference values quoted in issue 19 from pimir).
    """
    s = cs.survival_table(cs.LifeTable(4, 0.25, 2, 6), "normal", right_truncate=True)
    assert s.shape == (1, 7)
    np.testing.assert_array_equal(np.round(s[0], 6), [1, 1, 1, 0.857616, 0.5, 0.142384, 0])


def test_survival_by_hand_with_phi():
    """S(3) = (Φ(2) − Φ(−1)) / (Φ(2) − Φ(−2)) for N(4, 1) truncated to [2, 6]."""
    phi = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))  # noqa: E731
    s = cs.survival_table(cs.LifeTable(4, 0.25, 2, 6))[0]
    assert s[3] == pytest.approx((phi(2) - phi(-1)) / (phi(2) - phi(-2)), abs=1e-15)
    assert s[4] == 0.5


def test_left_truncation_only_divides_by_survival_at_min():
    """Without right truncation: S(a) = (1 − F(a)) / (1 − F(Min)) for Min <= a < Max, 0 after."""
    s = cs.survival_table(cs.LifeTable(4, 0.25, 2, 6), right_truncate=False)[0]
    d = stats.norm(4, 1)
    for a in range(2, 6):
        assert s[a] == pytest.approx(d.sf(a) / d.sf(2), abs=1e-15)
    assert s[6] == 0.0
    assert s[5] > 0.02          # the untruncated tail beyond Max is retired at Max


def test_offset_evaluates_survival_within_the_period():
    """offset 0.5: S at a + 0.5 for Min <= a < Max, still 1 below Min (pimir's rep(1, Min))."""
    s = cs.survival_table(cs.LifeTable(4, 0.25, 2, 6), offset=0.5)[0]
    d = stats.norm(4, 1)
    assert s[1] == 1.0
    assert s[2] == pytest.approx((d.cdf(6) - d.cdf(2.5)) / (d.cdf(6) - d.cdf(2)), abs=1e-15)
    assert s[5] == pytest.approx((d.cdf(6) - d.cdf(5.5)) / (d.cdf(6) - d.cdf(2)), abs=1e-15)
    assert s[6] == 0.0


def test_none_keeps_every_asset_until_max():
    s = cs.survival_table(cs.LifeTable(4, 0.0, 2, 6), "none")[0]
    np.testing.assert_array_equal(s, [1, 1, 1, 1, 1, 1, 0])


def test_min_equal_max_is_a_fixed_life():
    s = cs.survival_table(cs.LifeTable(4, 0.25, 4, 4), "normal")[0]
    np.testing.assert_array_equal(s, [1, 1, 1, 1, 0])


@pytest.mark.parametrize("name", ["normal", "weibull", "lognormal", "gamma"])
@pytest.mark.parametrize("mean, cov", [(4.0, 0.25), (7.5, 0.5), (20.0, 0.1)])
def test_distribution_has_the_life_tables_mean_and_cov(name, mean, cov):
    d = cs.retirement_distribution(name, mean, cov)
    assert d.mean() == pytest.approx(mean, rel=1e-10)
    assert d.std() / d.mean() == pytest.approx(cov, rel=1e-10)


def test_parametrisations_are_pimirs():
    """pimir's transform*Parameters: gamma shape 1/CoV², rate 1/(μ·CoV²); log-normal
    meanlog = ln μ − ln(1+CoV²)/2, sdlog = √ln(1+CoV²)."""
    g = cs.retirement_distribution("gamma", 5.0, 0.4)
    assert g.cdf(3.0) == pytest.approx(special.gammainc(1 / 0.16, 3.0 / (5 * 0.16)), abs=1e-15)
    ln = cs.retirement_distribution("lognormal", 5.0, 0.4)
    v = math.log(1 + 0.16)
    z = (math.log(3.0) - (math.log(5.0) - v / 2)) / math.sqrt(v)
    assert ln.cdf(3.0) == pytest.approx(special.ndtr(z), abs=1e-15)


def test_weibull_shape_root():
    k = weibull_shape(0.25)
    cov = math.sqrt(math.gamma(1 + 2 / k) / math.gamma(1 + 1 / k) ** 2 - 1)
    assert cov == pytest.approx(0.25, abs=1e-13)
    assert 4.5 < k < 4.6


def test_vintage_specific_life_table_gives_one_row_per_vintage():
    life = cs.LifeTable([4, 4, 5], [0.25, 0.25, 0.25], [2, 2, 2], [6, 6, 8],
                        vintages=[2000, 2001, 2002])
    s = cs.survival_table(life)
    assert s.shape == (3, 9)
    np.testing.assert_array_equal(s[0], s[1])
    np.testing.assert_array_equal(s[0, :7], cs.survival_table(cs.LifeTable(4, .25, 2, 6))[0])
    assert s[0, 7:].sum() == 0 and s[2, 7] > 0


def test_life_table_from_frame_uses_pimirs_columns():
    frame = pd.DataFrame({"Min": [2, 3], "Max": [6, 9], "Average": [4, 6], "CoV": [.25, .3]},
                         index=[2010, 2011])
    life = cs.LifeTable.from_frame(frame)
    assert list(life.vintages) == [2010, 2011]
    pd.testing.assert_frame_equal(life.to_frame()[["Min", "Max", "Average", "CoV"]],
                                  frame.astype(float), check_dtype=False)


@pytest.mark.parametrize("kwargs, message", [
    ({"cov": -0.1}, r"life table, row 0: CoV must be a finite number >= 0, got -0.1"),
    ({"cov": float("nan")}, r"life table, row 0: CoV must be a finite number >= 0, got nan"),
    ({"average": 0.0}, r"life table, row 0: Average must be a finite number > 0, got 0.0"),
    ({"min": 7}, r"life table, row 0: Min \(7\) is greater than Max \(6\); expected Min <= Max"),
    ({"min": 2.5}, r"Min must be a whole number of periods .* got 2.5"),
    ({"max": 0}, r"Max must be >= 1, got 0"),
    ({"min": -1}, r"Min must be >= 0, got -1"),
])
def test_life_table_errors(kwargs, message):
    args = {"average": 4.0, "cov": 0.25, "min": 2, "max": 6} | kwargs
    with pytest.raises(ParameterError, match=message):
        cs.LifeTable(**args)


def test_life_table_error_names_the_vintage():
    with pytest.raises(ParameterError, match=r"life table, vintage 2003: Min \(9\) is greater"):
        cs.LifeTable(4, 0.25, [2, 9], [6, 6], vintages=[2002, 2003])


def test_life_table_missing_column():
    with pytest.raises(ParameterError, match="missing column.*CoV; expected Average, CoV"):
        cs.LifeTable.from_frame(pd.DataFrame({"Average": [4], "Min": [2], "Max": [6]}))


def test_mismatched_column_lengths():
    with pytest.raises(ParameterError, match="column Min has 2 rows, the others 3"):
        cs.LifeTable([4, 4, 4], 0.25, [2, 2], 6)


def test_unknown_distribution():
    with pytest.raises(ParameterError, match="unknown retirement distribution 'poisson'; "
                                             "expected one of normal, weibull"):
        cs.survival_table(cs.LifeTable(4, .25, 2, 6), "poisson")


def test_zero_cov_needs_distribution_none():
    with pytest.raises(ParameterError, match=r"life table, row 0: normal retirement needs a "
                                             r"coefficient of variation > 0, got 0.0"):
        cs.survival_table(cs.LifeTable(4, 0.0, 2, 6), "normal")


def test_no_probability_between_min_and_max():
    with pytest.raises(ParameterError, match="puts no probability between Min and Max"):
        cs.survival_table(cs.LifeTable(40, 0.01, 2, 6), "normal")


def test_bad_offset():
    with pytest.raises(ParameterError, match=r"offset must lie in \[0, 1\], got 1.5"):
        cs.survival_table(cs.LifeTable(4, .25, 2, 6), offset=1.5)


def test_weibull_cov_out_of_range():
    with pytest.raises(ParameterError, match="Weibull retirement: coefficient of variation"):
        cs.retirement_distribution("weibull", 5.0, 1e-6)
