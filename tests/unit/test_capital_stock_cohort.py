"""Age patterns, age-efficiency <-> age-price, cohort profiles and the named conventions."""

from __future__ import annotations

import numpy as np
import pytest

import capital_stock as cs
from klems.base.errors import ParameterError

HARDWARE_LIFE = cs.LifeTable(4, 0.25, 2, 6)


# --- the ONS reference values ---------------------------------------------------------------

def test_ons_combination_1_reproduces_pimir():
    """ONS pimir ``calcCohortProfile`` with combination method "1" (weighted average over
    retirement ages), hyperbolic profile β = 0.8, life table Average 4, CoV 0.25, Min 2, Max 6,
    right-truncated normal (``pnorm``), offset 0: cohort age-efficiency profile
    0.955724, 0.891139, 0.785905, 0.566524, 0.273731, 0.06472 (reference values quoted in
    issue 19 from pimir).
    """
    expected = [0.955724, 0.891139, 0.785905, 0.566524, 0.273731, 0.06472]
    prof = cs.asset_profiles(cs.HARDWARE, "ons", combination=1)
    np.testing.assert_array_equal(np.round(prof.productive[0, :6], 6), expected)
    assert prof.productive[0, 6] == 0.0
    direct = cs.cohort_profiles(cs.PimConfig(combination=1), HARDWARE_LIFE)
    np.testing.assert_array_equal(direct.productive, prof.productive)


def test_ons_combination_2_reproduces_pimir():
    """ONS pimir ``calcCohortProfile`` with combination method "2" (fixed profile × survival),
    same configuration: 0.967742, 0.925926, 0.869565, 0.677066, 0.333333, 0.06472 (issue 19)."""
    expected = [0.967742, 0.925926, 0.869565, 0.677066, 0.333333, 0.06472]
    prof = cs.asset_profiles(cs.HARDWARE, "ons", combination=2)
    np.testing.assert_array_equal(np.round(prof.productive[0, :6], 6), expected)


def test_ons_conventions_by_hand():
    """Combination 2: f(a+1; Max+1)·S(a) = (7−k)/(7−0.8k)·S(k−1); combination 1: the mass
    S(L−1) − S(L) follows the hyperbolic of life L+1."""
    s = cs.survival_table(HARDWARE_LIFE)[0]
    k = np.arange(1, 7)
    h = lambda x, T: np.where(x < T, (T - x) / np.maximum(T - 0.8 * x, 1e-300), 0.0)  # noqa
    two = cs.asset_profiles(cs.HARDWARE, "ons", combination=2).productive[0, :6]
    np.testing.assert_allclose(two, h(k, 7) * s[k - 1], rtol=0, atol=1e-15)
    one = cs.asset_profiles(cs.HARDWARE, "ons", combination=1).productive[0, :6]
    mix = sum((s[L - 1] - s[L]) * h(k, L + 1) for L in range(1, 7))
    np.testing.assert_allclose(one, mix, rtol=0, atol=1e-15)
    assert one[0] == pytest.approx(0.142384 * 3 / 3.2 + 0.357616 * 4 / 4.2
                                   + 0.357616 * 5 / 5.2 + 0.142384 * 6 / 6.2, abs=2e-6)


def test_caict_weights_for_the_same_asset():
    """The project's caict weights for hardware: 1, 0.9615, 0.9091, 0.7147, 0.3571, 0.0712
    (issue 19; the white paper's parameters, Guangxi Digital Economy White Paper 2022, App. 1)."""
    prof = cs.asset_profiles(cs.HARDWARE, "caict")
    np.testing.assert_array_equal(np.round(prof.productive[0, :6], 4),
                                  [1, 0.9615, 0.9091, 0.7147, 0.3571, 0.0712])


@pytest.mark.parametrize("conv", ["caict", "bls-mixture", "geometric"])
@pytest.mark.parametrize("timing", ["end-of-year", "mid-year"])
@pytest.mark.parametrize("asset", cs.ICT_ASSETS, ids=lambda a: a.name)
def test_project_conventions_keep_efficiency_weights_bit_for_bit(conv, timing, asset):
    spec = asset.replace(profile=conv, timing=timing)
    prof = cs.asset_profiles(spec)
    np.testing.assert_array_equal(prof.productive[0], cs.efficiency_weights(spec, prof.n_ages))


def test_project_net_weights_by_hand():
    """caict, hardware, r = 0: P(a) = Σ_{s>=a} g(s) / Σ_s g(s); r = 5 %: discounted sums."""
    g = cs.efficiency_weights(cs.HARDWARE)
    prof = cs.asset_profiles(cs.HARDWARE, "caict")
    np.testing.assert_allclose(prof.net[0], np.cumsum(g[::-1])[::-1] / g.sum(), rtol=1e-14)
    prof = cs.asset_profiles(cs.HARDWARE, "caict", discount_rate=0.05)
    q = 1 / 1.05
    tails = [sum(g[a + s] * q ** s for s in range(g.size - a)) for a in range(g.size)]
    np.testing.assert_allclose(prof.net[0], np.array(tails) / tails[0], rtol=1e-14)


def test_geometric_convention_net_equals_productive():
    prof = cs.asset_profiles(cs.SOFTWARE, "geometric")
    np.testing.assert_array_equal(prof.net, prof.productive)
    assert prof.n_ages == 100 and not prof.complete


def test_gross_weights_are_survival():
    for conv in ("caict", "bls-mixture", "geometric"):
        prof = cs.asset_profiles(cs.HARDWARE, conv)
        np.testing.assert_allclose(prof.gross[0, :7], [1, 1, 1, 0.857616, 0.5, 0.142384, 0],
                                   atol=5e-7)
    prof = cs.asset_profiles(cs.HARDWARE, "ons")
    np.testing.assert_array_equal(prof.gross, cs.survival_table(HARDWARE_LIFE))


def test_ons_life_table_of_the_ict_assets():
    """Whole years around μ ± 2σ (σ = μ/4): hardware 2–6, communication 3–12, software 2–8."""
    got = {a.name: (cs.ons_life_table(a).min[0], cs.ons_life_table(a).max[0])
           for a in cs.ICT_ASSETS}
    assert got == {"hardware": (2, 6), "communication": (3, 12), "software": (2, 8)}


def test_cfc_weights_sum_to_one_for_finite_lives():
    for conv in ("caict", "bls-mixture", "ons"):
        for comb in ((1, 2) if conv == "ons" else (1,)):
            prof = cs.asset_profiles(cs.COMMUNICATION, conv, combination=comb)
            assert prof.consumption_of_fixed_capital.sum() == pytest.approx(1.0, abs=1e-14)


def test_ons_combination_2_net_converts_the_single_assets_pattern():
    """Net weights under combination 2: the age-price profile of one asset of life Max+1,
    evaluated at the end of the period, times survival (pimir computes this conversion in
    cohortProfileTwo but returns the unconverted profile; see docs/capital_stock.md)."""
    prof = cs.asset_profiles(cs.HARDWARE, "ons", combination=2)
    k = np.arange(8.0)
    single = np.where(k < 7, (7 - k) / (7 - 0.8 * k), 0.0)
    price = np.cumsum(single[::-1])[::-1] / single.sum()
    s = cs.survival_table(HARDWARE_LIFE)[0]
    np.testing.assert_allclose(prof.net[0], price[1:] * s, rtol=1e-14)


def test_vintage_specific_life_table():
    life = cs.LifeTable([4, 5], 0.25, 2, [6, 8], vintages=[2000, 2001])
    prof = cs.asset_profiles(cs.HARDWARE, "ons", life=life)
    assert prof.gross.shape == (2, 9) and list(prof.vintages) == [2000, 2001]
    np.testing.assert_allclose(prof.productive[0, :7],
                               cs.asset_profiles(cs.HARDWARE, "ons").productive[0], atol=1e-15)
    assert prof.productive[1, 7] > 0


def test_age_price_profile_type_uses_the_pattern_for_the_net_stock():
    conf = cs.PimConfig(profile_type="age-price", pattern="linear", pattern_param=0.0,
                        combination=2)
    prof = cs.cohort_profiles(conf, HARDWARE_LIFE)
    s = cs.survival_table(HARDWARE_LIFE)[0]
    k = np.arange(1, 8.0)
    np.testing.assert_allclose(prof.net[0], np.clip((7 - k) / 7, 0, 1) * s, atol=1e-15)
    # linear price with no discounting: constant efficiency until the life ends
    np.testing.assert_allclose(prof.productive[0], np.where(k < 7, 1.0, 0.0) * s, atol=1e-15)


# --- age patterns -----------------------------------------------------------------------------

def test_age_patterns_by_hand():
    x = np.arange(6.0)
    np.testing.assert_allclose(cs.age_pattern("hyperbolic", x, 5, 0.5),
                               [1, 4 / 4.5, 3 / 4, 2 / 3.5, 1 / 3, 0])
    np.testing.assert_allclose(cs.age_pattern("geometric", x, 5, 0.2),
                               [1, .8, .64, .512, .4096, 0])
    np.testing.assert_allclose(cs.age_pattern("linear", x, 5, 2), [1, 1, 1, 2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(cs.age_pattern("constant", x, 5), [1, 1, 1, 1, 1, 0])
    np.testing.assert_allclose(cs.age_pattern("declining-balance", x, 5, 2),
                               0.6 ** x * (x < 5))


@pytest.mark.parametrize("name, param, message", [
    ("triangular", None, "unknown age pattern 'triangular'; expected one of hyperbolic"),
    ("hyperbolic", 1.0, r"hyperbolic beta must lie in \[0, 1\), got 1.0"),
    ("geometric", None, r"age pattern geometric needs its parameter \(depreciation rate δ\)"),
    ("geometric", 1.5, r"geometric depreciation rate must lie in \[0, 1\), got 1.5"),
    ("linear", -1, "linear delay must be >= 0, got -1"),
    ("declining-balance", 0, "declining-balance rate must be > 0, got 0"),
    ("declining-balance", 6, "declining-balance rate R = 6 must be below every service life"),
])
def test_age_pattern_errors(name, param, message):
    with pytest.raises(ParameterError, match=message):
        cs.age_pattern(name, np.arange(3.0), 5, param)


# --- age-efficiency <-> age-price -------------------------------------------------------------

def test_efficiency_to_price_by_hand():
    """Linear efficiency 1, .75, .5, .25, 0 and r = 0: P(k) = Σ_{s>=k} E / Σ E."""
    e = [1, .75, .5, .25, 0]
    np.testing.assert_allclose(cs.efficiency_to_price(e), [1, .6, .3, .1, 0], rtol=1e-15)
    r, pi = 0.05, 0.02
    q = 1.02 / 1.05
    tails = [sum(e[k + s] * q ** s for s in range(5 - k)) for k in range(5)]
    np.testing.assert_allclose(cs.efficiency_to_price(e, r, pi), np.array(tails) / tails[0],
                               rtol=1e-14)


def test_price_to_efficiency_inverts():
    e = np.array([[1, .9, .7, .4, .1, 0], [1, 1, 1, .5, 0, 0]])
    for r in (0.0, 0.04):
        p = cs.efficiency_to_price(e, r, 0.01)
        np.testing.assert_allclose(cs.price_to_efficiency(p, r, 0.01), e, atol=1e-14)


def test_geometric_efficiency_is_its_own_price_profile():
    e = 0.7 ** np.arange(400)
    np.testing.assert_allclose(cs.efficiency_to_price(e, 0.05)[:20], e[:20], rtol=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: cs.efficiency_to_price([1, -0.5]), r"age-efficiency profile is negative \(-0.5\) "
                                                r"at age 1; expected values >= 0"),
    (lambda: cs.efficiency_to_price([1, np.nan]), "contains a value that is not finite"),
    (lambda: cs.efficiency_to_price([0, 0]), "zero at every age"),
    (lambda: cs.efficiency_to_price([1, .5], rate=-1.0), "discount rate must be a finite "
                                                         "number > -1, got -1.0"),
    (lambda: cs.price_to_efficiency([1, 1.0, 1.0], rate=0.0, inflation=0.5),
     "no efficiency at age 0"),
    (lambda: cs.price_to_efficiency([1, 0.2, 0.9]), "implies negative efficiency at age 1"),
])
def test_conversion_errors(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


# --- configuration and convention errors ------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"combination": 3}, r"unknown combination method 3; expected 1 \(weighted average"),
    ({"profile_type": "age-value"}, "unknown profile type 'age-value'; expected one of "
                                    "age-efficiency, age-price"),
    ({"distribution": "beta"}, "unknown retirement distribution 'beta'"),
    ({"offset": -0.5}, r"offset must lie in \[0, 1\], got -0.5"),
    ({"discount_rate": float("inf")}, "discount_rate must be a finite number > -1, got inf"),
    ({"right_truncate": "yes"}, "right_truncate must be True or False, got 'yes'"),
    ({"pattern": "hyperbolic", "pattern_param": 1.2}, r"hyperbolic beta must lie in \[0, 1\)"),
])
def test_pim_config_errors(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        cs.PimConfig(**kwargs)


def test_declining_balance_rate_above_a_life_in_the_mixture():
    conf = cs.PimConfig(pattern="declining-balance", pattern_param=3.5, combination=1)
    with pytest.raises(ParameterError, match=r"life table, row 0: declining-balance rate "
                                             r"R = 3.5 must be below every service life"):
        cs.cohort_profiles(conf, cs.LifeTable(4, 0.25, 1, 6))


def test_n_ages_must_cover_the_longest_life():
    with pytest.raises(ParameterError, match=r"n_ages = 5 does not cover the longest service "
                                             r"life \(Max = 6\); expected n_ages >= 7"):
        cs.cohort_profiles(cs.PimConfig(), HARDWARE_LIFE, n_ages=5)


@pytest.mark.parametrize("kwargs, message", [
    ({"convention": "oecd"}, "unknown convention 'oecd'; expected one of caict, bls-mixture, "
                             "geometric, ons"),
    ({"convention": "caict-printed"}, "the printed formula is not a profile"),
    ({"convention": "caict", "combination": 2}, "convention 'caict' takes no combination"),
    ({"convention": "geometric", "distribution": "gamma"}, "convention 'geometric' takes no "
                                                           "distribution"),
    ({"convention": "ons", "combination": 0}, "unknown combination method 0"),
])
def test_asset_profiles_errors(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        cs.asset_profiles(cs.HARDWARE, **kwargs)


def test_asset_profiles_needs_an_asset_spec():
    with pytest.raises(ParameterError, match="asset_profiles needs an AssetSpec, got dict"):
        cs.asset_profiles({"mean_life": 4})


def test_age_price_profile_that_implies_rising_efficiency_is_refused():
    """A constant price until retirement means no services early and all late: refused."""
    conf = cs.PimConfig(profile_type="age-price", pattern="constant", combination=2,
                        discount_rate=0.05)
    with pytest.raises(ParameterError, match=r"life table, row 0: the age-price profile implies "
                                             r"an efficiency of .* above that of a new asset"):
        cs.cohort_profiles(conf, HARDWARE_LIFE)
