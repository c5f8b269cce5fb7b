"""Properties of chaining, rebasing, exponential smoothing and the harmonised deflator."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from price_index import chain, harmonized_deflator, rebase, unchain
from price_index._kernels import ses_level, ses_level_reference

growth = arrays(np.float64, st.integers(4, 25), elements=st.floats(-0.3, 0.3))


def level(g, start=2000):
    return pd.Series(100 * np.exp(np.concatenate([[0.0], np.cumsum(g)])),
                     index=pd.Index(range(start, start + len(g) + 1), name="year"))


@settings(max_examples=60, deadline=None)
@given(growth, st.data())
def test_rebase_leaves_growth_rates_unchanged(g, data):
    idx = level(g)
    year = data.draw(st.sampled_from(list(idx.index)))
    out = rebase(idx, year)
    assert out.loc[year] == 100.0
    np.testing.assert_allclose(np.diff(np.log(out.to_numpy())), np.diff(np.log(idx.to_numpy())),
                               atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(growth, st.data())
def test_chain_then_unchain_returns_the_input(g, data):
    links = 100 * np.exp(g)
    s = pd.Series(np.concatenate([[100.0], links]), index=pd.Index(range(2000, 2001 + len(g))))
    base = data.draw(st.sampled_from(list(s.index)))
    back = unchain(chain(s, base))
    np.testing.assert_allclose(back.iloc[1:].to_numpy(), s.iloc[1:].to_numpy(), rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(growth, growth)
def test_equal_references_level_one_follow_the_international_ict_deflator(g_ref, g_ict):
    n = min(len(g_ref), len(g_ict))
    ref, ict = level(g_ref[:n]), level(g_ict[:n])
    out = harmonized_deflator(ref, ict, ref, smoothing_level=1.0)
    np.testing.assert_allclose(out.to_numpy(), ict.to_numpy(), rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(growth, st.floats(-0.1, 0.1), st.floats(0.05, 1.0))
def test_domestic_reference_growth_passes_through_one_for_one(g, c, alpha):
    """Adding c to every domestic log change adds c to every harmonised log change."""
    n = len(g)
    intl = level(np.linspace(-0.2, -0.05, n))
    iref = level(np.zeros(n))
    a = harmonized_deflator(level(g), intl, iref, smoothing_level=alpha, initial_level=0.0)
    b = harmonized_deflator(level(g + c), intl, iref, smoothing_level=alpha, initial_level=0.0)
    np.testing.assert_allclose(np.diff(np.log(b.to_numpy())) - np.diff(np.log(a.to_numpy())), c,
                               atol=1e-10)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 40)),
              elements=st.floats(-1, 1)), st.data())
def test_ses_kernel_and_numpy_twin_agree(x, data):
    m = x.shape[0]
    alpha = np.array(data.draw(st.lists(st.floats(0.01, 1.0), min_size=m, max_size=m)))
    l0 = np.array(data.draw(st.lists(st.floats(-1, 1), min_size=m, max_size=m)))
    np.testing.assert_allclose(ses_level(x, alpha, l0), ses_level_reference(x, alpha, l0),
                               rtol=1e-9, atol=1e-12)
