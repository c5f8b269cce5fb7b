"""Regional index, tiers and rank intervals on a hand-made 5-province example."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import xarray as xr

from klems.base.errors import DimensionError, InputDataError, ParameterError
from klems.devindex.indicators import (
    ROOT,
    load_hierarchy,
    minmax_normalise,
    regional_index,
    resolve_weights,
)
from klems.devindex.tiers import (
    PUBLISHED_TIERS,
    assign_tiers,
    compare_with_published,
    kmeans_1d,
    natural_breaks,
    tier_table,
)
from klems.devindex.weight_uncertainty import rank_intervals, sample_local_weights

PROVINCES = ["A", "B", "C", "D", "E"]


@pytest.fixture(scope="module")
def example():
    """Hand-made example.

    network (higher better): 10, 8, 6, 4, 2      -> z = 1, .75, .5, .25, 0
    platform (lower better):  1, 3, 2, 5, 5      -> z = (5 − Y)/4 = 1, .5, .75, 0, 0
    rd_input (higher better): 50, 40, 10, 30, 20 -> z = 1, .75, 0, .5, .25
    weights: total = 60 foundation + 40 innovation; foundation = 50 network + 50 platform.
    foundation = 100, 62.5, 62.5, 12.5, 0; total = 100, 67.5, 37.5, 27.5, 10.
    """
    h = load_hierarchy().with_third_level([])
    h = h.pruned(["network", "platform", "rd_input"])
    h = type(h)(tuple(i if i.code != "platform" else i.__class__(**{**i.__dict__, "direction": -1})
                      for i in h.indicators), h.source)
    w, _ = resolve_weights(h, direct={ROOT: {"foundation": 60, "innovation": 40},
                                      "foundation": {"network": 50, "platform": 50},
                                      "innovation": {"rd_input": 100}})
    v = xr.DataArray([[10, 1, 50], [8, 3, 40], [6, 2, 10], [4, 5, 30], [2, 5, 20]],
                     dims=("province", "indicator"),
                     coords={"province": PROVINCES, "indicator": ["network", "platform", "rd_input"]})
    return h, w, v, regional_index(v, h, w)


def test_minmax_by_hand(example):
    _, _, _, ds = example
    z = ds["normalised"]
    np.testing.assert_allclose(z.sel(indicator="network").values, [1, .75, .5, .25, 0])
    np.testing.assert_allclose(z.sel(indicator="platform").values, [1, .5, .75, 0, 0])
    np.testing.assert_allclose(z.sel(indicator="rd_input").values, [1, .75, 0, .5, .25])


def test_regional_scores_and_ranks_by_hand(example):
    _, _, _, ds = example
    np.testing.assert_allclose(ds["score"].sel(node="foundation").values, [100, 62.5, 62.5, 12.5, 0])
    np.testing.assert_allclose(ds["score"].sel(node=ROOT).values, [100, 67.5, 37.5, 27.5, 10])
    assert ds["rank"].sel(node=ROOT).values.tolist() == [1, 2, 3, 4, 5]
    assert ds["rank"].sel(node="foundation").values.tolist() == [1, 2, 2, 4, 5]  # tie shares 2
    assert ds["score"].attrs["units"] == "index 0-100 (min-max)"


def test_jenks_tiers_by_hand(example):
    """Scores 100, 67.5, 37.5, 27.5, 10 in 3 classes: {10, 27.5, 37.5} (SSD 387.5), {67.5}, {100}
    beats every other split (e.g. {10}, {27.5, 37.5}, {67.5, 100}: 578.125). GVF = 1 − 387.5 /
    5057.5."""
    _, _, _, ds = example
    tier = assign_tiers(ds["score"].sel(node=ROOT, drop=True), 3)
    assert tier.values.tolist() == [1, 2, 3, 3, 3]
    assert tier.attrs["gvf"] == pytest.approx(1 - 387.5 / 5057.5)
    tier2 = assign_tiers(ds["score"].sel(node=ROOT, drop=True), 2)
    assert tier2.values.tolist() == [1, 1, 2, 2, 2]
    table = tier_table(tier, ds["score"].sel(node=ROOT, drop=True))
    assert table["members"].tolist() == ["A", "B", "C, D, E"]
    assert table["n"].tolist() == [1, 1, 3]


def test_kmeans_tiers_agree_on_the_example(example):
    _, _, _, ds = example
    tier = assign_tiers(ds["score"].sel(node=ROOT, drop=True), 3, method="kmeans")
    assert tier.values.tolist() == [1, 2, 3, 3, 3]
    assert tier.attrs["sse"] == pytest.approx(387.5)


def _brute_force(x, k):
    xs = np.sort(x)
    best = np.inf
    for cuts in itertools.combinations(range(1, xs.size), k - 1):
        b = [0, *cuts, xs.size]
        best = min(best, sum(((xs[b[m]:b[m + 1]] - xs[b[m]:b[m + 1]].mean()) ** 2).sum()
                             for m in range(k)))
    return best


def test_natural_breaks_is_the_exact_optimum():
    """Fisher's DP equals exhaustive search over all contiguous partitions (random data)."""
    rng = np.random.default_rng(7)
    for _ in range(60):
        x = rng.normal(size=int(rng.integers(3, 10)))
        k = int(rng.integers(1, min(4, x.size) + 1))
        lab, breaks, _ = natural_breaks(x, k)
        ssd = sum(((x[lab == m] - x[lab == m].mean()) ** 2).sum() for m in range(k))
        assert ssd == pytest.approx(_brute_force(x, k), abs=1e-10)
        assert np.all(np.diff(breaks) > 0)
        lab_km, _, sse = kmeans_1d(x, k)
        assert sse >= ssd - 1e-10  # k-means never beats the exact optimum


def test_tie_values_share_a_tier():
    lab, _, _ = natural_breaks([1, 1, 1, 5, 5, 9], 3)
    assert lab.tolist() == [0, 0, 0, 1, 1, 2]


def test_tier_errors(example):
    _, _, _, ds = example
    s = ds["score"].sel(node=ROOT, drop=True)
    with pytest.raises(ParameterError, match=r"6 tiers for 5 distinct scores"):
        assign_tiers(s, 6)
    with pytest.raises(ParameterError, match=r"number of tiers 0; expected an integer >= 1"):
        assign_tiers(s, 0)
    with pytest.raises(ParameterError, match=r"unknown tier method 'quantile'"):
        assign_tiers(s, 2, method="quantile")
    with pytest.raises(InputDataError, match=r"scores have dims \('node', 'province'\)"):
        assign_tiers(ds["score"], 2)
    with pytest.raises(InputDataError, match=r"contain missing or infinite values"):
        natural_breaks([1.0, np.nan], 1)
    with pytest.raises(InputDataError, match=r"none of the provinces is in the report's tier list"):
        compare_with_published(assign_tiers(s, 2))


def test_published_tiers_figure_12():
    """图12 p. 31 and section 四(一)-(四): 6 + 11 + 10 + 4 = 31 provinces, each once."""
    from klems.base.provinces import province_keys
    sizes = [len(PUBLISHED_TIERS[t]) for t in (1, 2, 3, 4)]
    assert sizes == [6, 11, 10, 4]
    allp = [p for t in PUBLISHED_TIERS.values() for p in t]
    assert sorted(allp) == sorted(province_keys())
    tier = xr.DataArray([1, 2, 4], dims="province",
                        coords={"province": ["jiangsu", "guangxi", "xizang"]})
    tab = compare_with_published(tier)
    assert tab.loc[1, 1] == 1 and tab.loc[2, 3] == 1 and tab.loc[4, 4] == 1


def test_regional_errors(example):
    h, w, v, _ = example
    with pytest.raises(InputDataError, match=r"same value in every province.*indicator network"):
        regional_index(v.where(v.indicator != "network", 3), h, w)
    with pytest.raises(DimensionError, match=r"at least 2 provinces"):
        regional_index(v.isel(province=[0]), h, w)
    with pytest.raises(InputDataError, match=r"missing value; .*province C, indicator platform"):
        regional_index(v.astype(float).where(~((v.province == "C") & (v.indicator == "platform"))),
                       h, w)


def test_minmax_per_year():
    v = xr.DataArray([[1, 10], [3, 30], [2, 20]], dims=("province", "year"),
                     coords={"province": ["a", "b", "c"], "year": [2022, 2023]})
    np.testing.assert_allclose(minmax_normalise(v).values, [[0, 0], [1, 1], [.5, .5]])


# ---- weight uncertainty --------------------------------------------------------------------

def test_rank_intervals_dominance(example):
    """A has z = 1 on every indicator: rank 1 under any weights. D dominates E on every
    indicator (0.25 ≥ 0, 0 ≥ 0, 0.5 ≥ 0.25): E is never ranked above D."""
    h, w, _, ds = example
    for method in ("percent", "dirichlet"):
        u = rank_intervals(ds["normalised"], h, w, n_draws=400, method=method, spread=0.5,
                           concentration=5.0, seed=3)
        assert u["rank_min"].sel(province="A") == 1 and u["rank_max"].sel(province="A") == 1
        assert bool((u["rank"].sel(province="E") > u["rank"].sel(province="D")).all())
        assert u["rank_at_weights"].values.tolist() == [1, 2, 3, 4, 5]
        assert bool((u["rank_low"] <= u["rank_median"]).all())
        assert bool((u["rank_median"] <= u["rank_high"]).all())
        # B and C swap places for some weights (C is 2nd on network/platform, last on rd_input)
    assert int(u["rank_min"].sel(province="C")) < int(u["rank_max"].sel(province="C"))


def test_rank_intervals_without_spread_reproduce_the_index(example):
    h, w, _, ds = example
    u = rank_intervals(ds["normalised"], h, w, n_draws=5, method="percent", spread=0.0)
    np.testing.assert_allclose(u["score"].values, np.tile(ds["score"].sel(node=ROOT).values,
                                                          (5, 1)))


def test_weight_draws_bounds_and_mean():
    """±20 %: after renormalising, any two weights' ratio moves by at most (1.2/0.8); the
    Dirichlet draws have mean w (20 000 draws, within 4 standard errors)."""
    w = {"g": np.array([0.5, 0.3, 0.2])}
    d = sample_local_weights(w, 20000, method="percent", spread=0.2, seed=1)["g"]
    np.testing.assert_allclose(d.sum(axis=1), 1.0)
    ratio = (d[:, 0] / d[:, 2]) / (0.5 / 0.2)
    assert ratio.max() <= 1.2 / 0.8 + 1e-12 and ratio.min() >= 0.8 / 1.2 - 1e-12
    c = 50.0
    dd = sample_local_weights(w, 20000, method="dirichlet", concentration=c, seed=2)["g"]
    se = np.sqrt(w["g"] * (1 - w["g"]) / (c + 1) / 20000)
    assert np.all(np.abs(dd.mean(axis=0) - w["g"]) < 4 * se)


def test_weight_uncertainty_errors(example):
    h, w, _, ds = example
    with pytest.raises(ParameterError, match=r"unknown weight-uncertainty method 'normal'"):
        sample_local_weights({"g": [1, 1]}, 10, method="normal")
    with pytest.raises(ParameterError, match=r"number of draws 0"):
        sample_local_weights({"g": [1, 1]}, 0)
    with pytest.raises(ParameterError, match=r"spread 1.5; expected a fraction in \[0, 1\)"):
        sample_local_weights({"g": [1, 1]}, 10, spread=1.5)
    with pytest.raises(ParameterError, match=r"Dirichlet concentration 0"):
        sample_local_weights({"g": [1, 1]}, 10, method="dirichlet", concentration=0)
    with pytest.raises(ParameterError, match=r"interval 1.2; expected a probability"):
        rank_intervals(ds["normalised"], h, w, interval=1.2)
