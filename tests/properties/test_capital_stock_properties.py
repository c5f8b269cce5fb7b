"""Properties every age-efficiency profile must satisfy (docs/method.md §3.3)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

import capital_stock as cs

FINITE = ["caict", "bls-mixture"]
MONOTONE = ["caict", "bls-mixture", "geometric"]


@st.composite
def specs(draw, profiles=MONOTONE, timing=None):
    return cs.AssetSpec(
        "asset",
        mean_life=draw(st.floats(1.0, 15.0)),
        depreciation=draw(st.floats(0.01, 0.6)),
        beta=draw(st.floats(0.0, 0.95)),
        profile=draw(st.sampled_from(profiles)),
        sd_ratio=draw(st.floats(0.05, 0.5)),
        truncation_sd=draw(st.floats(0.5, 3.0)),
        max_life_ratio=draw(st.floats(1.0, 2.5)),
        timing=timing or draw(st.sampled_from(["end-of-year", "mid-year"])),
    )


investments = st.lists(st.floats(0.0, 1e4), min_size=2, max_size=30).map(np.array)


@settings(max_examples=60, deadline=None)
@given(specs(timing="end-of-year"))
def test_first_weight_is_one(spec):
    assert cs.efficiency_weights(spec)[0] == 1.0


@settings(max_examples=60, deadline=None)
@given(specs(timing="mid-year"))
def test_first_weight_mid_year_is_the_weight_at_half_a_year(spec):
    g0 = cs.efficiency_weights(spec)[0]
    end = spec.replace(timing="end-of-year")
    if spec.profile == "geometric":
        assert np.isclose(g0, (1 - spec.depreciation) ** 0.5, rtol=1e-14)
    else:
        assert 0.0 <= g0 <= 1.0
        assert g0 <= cs.efficiency_weights(end)[0]


@settings(max_examples=80, deadline=None)
@given(specs())
def test_weights_non_increasing_in_age_and_within_unit_interval(spec):
    g = cs.efficiency_weights(spec, 40)
    assert np.all(np.diff(g) <= 1e-12)
    assert np.all((g >= 0) & (g <= 1))


@settings(max_examples=80, deadline=None)
@given(specs(profiles=FINITE))
def test_weights_zero_beyond_maximum_life(spec):
    g = cs.efficiency_weights(spec, 60)
    ages = np.arange(60) + (0.5 if spec.timing == "mid-year" else 0.0)
    assert np.all(g[ages >= spec.max_life] == 0.0)


@settings(max_examples=60, deadline=None)
@given(specs(profiles=MONOTONE), investments, investments, st.floats(-5, 5), st.floats(-5, 5))
def test_linear_in_investment(spec, a, b, s, t):
    n = min(a.size, b.size)
    a, b = a[:n], b[:n]
    combo = np.abs(s) * a + np.abs(t) * b
    for presample in ("none", "backcast"):
        k = lambda x: cs.perpetual_inventory(x, spec, presample=presample, growth=0.05)  # noqa
        np.testing.assert_allclose(k(combo), abs(s) * k(a) + abs(t) * k(b),
                                   rtol=1e-9, atol=1e-6)
    k = lambda x: cs.perpetual_inventory(x, spec, growth=0.05)  # noqa: E731
    np.testing.assert_allclose(k(combo), abs(s) * k(a) + abs(t) * k(b), rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(specs(profiles=MONOTONE), investments, st.integers(1, 8))
def test_time_invariant(spec, inv, shift):
    """Investment delayed by s years (no capital before) gives the stock delayed by s years."""
    k = cs.perpetual_inventory(inv, spec, presample="none")
    delayed = cs.perpetual_inventory(np.concatenate([np.zeros(shift), inv]), spec,
                                     presample="none")
    np.testing.assert_allclose(delayed[:shift], 0.0)
    np.testing.assert_allclose(delayed[shift:], k, rtol=1e-12, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.01, 0.9), investments, st.floats(0.0, 1e4))
def test_geometric_profile_equals_recursion(delta, inv, k0):
    spec = cs.AssetSpec("asset", mean_life=1 / delta, depreciation=delta, profile="geometric")
    k = cs.perpetual_inventory(inv, spec, initial_stock=k0)
    expected = np.empty_like(inv)
    expected[0] = k0
    for t in range(1, inv.size):
        expected[t] = (1 - delta) * expected[t - 1] + inv[t]
    np.testing.assert_allclose(k, expected, rtol=1e-12, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(specs(profiles=MONOTONE), st.floats(-0.2, 0.5), st.integers(3, 25))
def test_constant_growth_gives_stock_growing_at_the_same_rate(spec, g, n):
    """With investment growing at g in and before the sample (back-cast), K grows at g."""
    if g + spec.depreciation <= 0.01:
        g = 0.0
    inv = 50.0 * (1 + g) ** np.arange(n)
    k = cs.perpetual_inventory(inv, spec, presample="backcast", growth=g)
    np.testing.assert_allclose(k[1:] / k[:-1], 1 + g, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 0.6), st.floats(-0.04, 0.4), st.integers(3, 25))
def test_printed_base_year_stock_is_the_geometric_steady_state(delta, g, n):
    """K_t0 = I_(t0+1)/(g + δ) is the steady-state stock: the geometric stock then grows at g."""
    spec = cs.AssetSpec("asset", mean_life=1 / delta, depreciation=delta, profile="geometric")
    inv = 10.0 * (1 + g) ** np.arange(n)
    k = cs.perpetual_inventory(inv, spec)
    np.testing.assert_allclose(k[1:] / k[:-1], 1 + g, rtol=1e-9)
