"""How much do the provinces' ranks depend on the weights? Monte Carlo over the weights.

Every group's local weights (the children of one parent, totalling 100) are drawn around the
chosen weights, either

* ``"percent"`` — each weight times (1 + u), u uniform on [−spread, +spread], renormalised; or
* ``"dirichlet"`` — a Dirichlet with mean at the weights and concentration ``c`` (variance of a
  weight w: w(1 − w)/(c + 1)).

The draws are a ``draw`` dimension (not a loop): the regional total of each province is
``Σ_leaf z_leaf · g_leaf`` with g the product of the local weights along the leaf's path, and
its rank is taken per draw. The result gives each province's rank interval.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError
from klems.devindex.indicators import ROOT, Hierarchy

METHODS = ("percent", "dirichlet")


def sample_local_weights(weights, n_draws: int, *, method: str = "percent", spread: float = 0.2,
                         concentration: float = 200.0, seed: int = 0) -> dict[str, np.ndarray]:
    """Draws of every group's local weights: {parent: array (n_draws, n_children)}, rows sum 1."""
    expected_one_of("weight-uncertainty method", method, METHODS)
    if not isinstance(n_draws, (int, np.integer)) or n_draws < 1:
        raise ParameterError(f"number of draws {n_draws!r}; expected an integer >= 1")
    if method == "percent" and not 0.0 <= spread < 1.0:
        raise ParameterError(f"spread {spread!r}; expected a fraction in [0, 1) (0.2 = ±20 %)")
    if method == "dirichlet" and not concentration > 0:
        raise ParameterError(f"Dirichlet concentration {concentration!r}; expected a positive "
                             "number (larger = tighter around the weights)")
    rng = np.random.default_rng(seed)
    out = {}
    for parent, w in weights.items():
        w = np.asarray(w, dtype=float)
        w = w / w.sum()
        if method == "percent":
            d = w[None, :] * (1.0 + rng.uniform(-spread, spread, size=(n_draws, w.size)))
        else:
            d = np.zeros((n_draws, w.size))
            pos = w > 0
            if pos.sum() == 1:
                d[:, pos] = 1.0
            else:
                d[:, pos] = rng.dirichlet(concentration * w[pos], size=n_draws)
        out[parent] = d / d.sum(axis=1, keepdims=True)
    return out


def leaf_weight_draws(hierarchy: Hierarchy, local_draws: dict[str, np.ndarray],
                      weights) -> np.ndarray:
    """Global weights of the leaves per draw: (n_draws, n_leaves), each row sums to 1."""
    pos = {p: {c: k for k, c in enumerate(weights[p].index)} for p in weights}
    leaves = hierarchy.leaves()
    n = next(iter(local_draws.values())).shape[0]
    g = np.ones((n, len(leaves)))
    for j, leaf in enumerate(leaves):
        code = leaf
        while code != ROOT:
            parent = hierarchy[code].parent
            g[:, j] *= local_draws[parent][:, pos[parent][code]]
            code = parent
    return g


def rank_intervals(normalised: xr.DataArray, hierarchy: Hierarchy, weights, *,
                   n_draws: int = 1000, method: str = "percent", spread: float = 0.2,
                   concentration: float = 200.0, interval: float = 0.9,
                   seed: int = 0) -> xr.Dataset:
    """Rank of every province's total regional index under random weights.

    ``normalised``: min-max normalised leaf indicators z (indicator, province), e.g.
    ``regional_index(...)["normalised"]`` for one year. Returns a Dataset with ``score`` and
    ``rank`` over (draw, province), and per province ``rank_at_weights``, ``rank_low``,
    ``rank_median``, ``rank_high`` (central ``interval``), ``rank_min`` and ``rank_max``.
    """
    if not 0.0 < interval < 1.0:
        raise ParameterError(f"interval {interval!r}; expected a probability in (0, 1)")
    leaves = hierarchy.leaves()
    z = normalised.sel(indicator=leaves).transpose("indicator", "province").values
    draws = sample_local_weights({p: weights[p].to_numpy() for p in weights}, n_draws,
                                 method=method, spread=spread, concentration=concentration,
                                 seed=seed)
    g = leaf_weight_draws(hierarchy, draws, weights)                       # (draw, leaf)
    score = 100.0 * g @ z                                                  # (draw, province)
    rank = 1 + (score[:, None, :] > score[:, :, None]).sum(axis=2)         # ties share best
    g0 = leaf_weight_draws(hierarchy, {p: weights[p].to_numpy()[None, :] for p in weights},
                           weights)
    s0 = (100.0 * g0 @ z)[0]
    r0 = 1 + (s0[None, :] > s0[:, None]).sum(axis=1)
    lo, hi = (1 - interval) / 2, 1 - (1 - interval) / 2
    coords = {"province": normalised.province.values, "draw": np.arange(n_draws)}
    ds = xr.Dataset(
        {
            "score": (("draw", "province"), score),
            "rank": (("draw", "province"), rank),
            "rank_at_weights": ("province", r0),
            "rank_low": ("province", np.quantile(rank, lo, axis=0, method="inverted_cdf")),
            "rank_median": ("province", np.quantile(rank, 0.5, axis=0, method="inverted_cdf")),
            "rank_high": ("province", np.quantile(rank, hi, axis=0, method="inverted_cdf")),
            "rank_min": ("province", rank.min(axis=0)),
            "rank_max": ("province", rank.max(axis=0)),
        },
        coords=coords,
    )
    names = {"score": ("index 0-100 (min-max)", "regional index under random weights",
                       "随机权重下的区域指数"),
             "rank": ("1", "rank under random weights (1 = highest)", "随机权重下的排名"),
             "rank_at_weights": ("1", "rank at the chosen weights", "基准权重排名"),
             "rank_low": ("1", f"rank, {lo:.0%} quantile", "排名下限"),
             "rank_median": ("1", "rank, median", "排名中位数"),
             "rank_high": ("1", f"rank, {hi:.0%} quantile", "排名上限"),
             "rank_min": ("1", "best rank over the draws", "最好排名"),
             "rank_max": ("1", "worst rank over the draws", "最差排名")}
    for v, (u, ln, lz) in names.items():
        ds[v].attrs.update(units=u, long_name=ln, long_name_zh=lz)
    ds.attrs.update(method=method, spread=spread if method == "percent" else np.nan,
                    concentration=concentration if method == "dirichlet" else np.nan,
                    n_draws=n_draws, interval=interval, seed=seed)
    return ds
