"""Tiers (发展梯队) of provinces by their regional index: natural breaks or k-means.

CAICT's 2024 report (section 四, 图12 p. 31) sorts the 31 provinces into four tiers: 示范引领,
快速崛起, 后发追赶, 孕育起步. It does not say how the breaks were drawn; this module offers

* ``"jenks"`` — Fisher's (1958) exact natural breaks: the partition of the sorted scores into
  k contiguous classes with the least within-class sum of squared deviations (dynamic
  programme, vectorised over the candidate break points);
* ``"kmeans"`` — Lloyd's k-means in one dimension from k-means++ starts (a local optimum of the
  same criterion; the best of ``n_init`` runs).

Tier 1 is the highest-scoring class. :data:`PUBLISHED_TIERS` holds the report's membership.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError

METHODS = ("jenks", "kmeans")

# 图12 "区域工业互联网发展梯队" (p. 31) and section 四(一)-(四): tier -> provinces (keys of
# klems.base.provinces); "同一梯队各地区排名不分先后" (no order within a tier).
PUBLISHED_TIERS: dict[int, tuple[str, ...]] = {
    1: ("jiangsu", "guangdong", "beijing", "shandong", "zhejiang", "shanghai"),
    2: ("sichuan", "hubei", "anhui", "chongqing", "hebei", "hunan", "fujian", "liaoning",
        "jiangxi", "henan", "tianjin"),
    3: ("shanxi", "guizhou", "guangxi", "shaanxi", "gansu", "neimenggu", "jilin", "ningxia",
        "heilongjiang", "yunnan"),
    4: ("hainan", "xinjiang", "qinghai", "xizang"),
}
TIER_NAMES_ZH = {1: "示范引领", 2: "快速崛起", 3: "后发追赶", 4: "孕育起步"}
TIER_NAMES_EN = {1: "Leading demonstrators", 2: "Fast risers", 3: "Catching up", 4: "Starting"}


def _check(values, k, name="scores"):
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0 or np.any(~np.isfinite(x)):
        raise InputDataError(f"{name} contain missing or infinite values (or none); expected "
                             "a finite score for every province")
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ParameterError(f"number of tiers {k!r}; expected an integer >= 1")
    distinct = np.unique(x).size
    if k > distinct:
        raise ParameterError(f"{k} tiers for {distinct} distinct {name}; expected at most as "
                             "many tiers as distinct values")
    return x


def _ssd_matrix(xs: np.ndarray) -> np.ndarray:
    """C[i, j] = sum of squared deviations of xs[i..j] (inclusive), +inf below the diagonal."""
    n = xs.size
    s1 = np.concatenate([[0.0], np.cumsum(xs)])
    s2 = np.concatenate([[0.0], np.cumsum(xs * xs)])
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    cnt = (j - i + 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = (s2[j + 1] - s2[i]) - (s1[j + 1] - s1[i]) ** 2 / cnt
    c = np.where(j >= i, np.maximum(c, 0.0), np.inf)
    return c


def natural_breaks(values, k: int):
    """Fisher–Jenks exact natural breaks.

    Returns ``(labels, breaks, gvf)``: labels 0..k-1 per value (0 = lowest class), the upper
    bound of each class, and the goodness of variance fit 1 − SDCM/SDAM.
    """
    x = _check(values, k)
    xs = np.sort(x)
    n = xs.size
    c = _ssd_matrix(xs)
    cost = c[0].copy()                      # cost[j]: best 1-class cost of xs[0..j]
    back = np.zeros((k, n), dtype=int)      # back[m, j]: start of the last class
    for m in range(1, k):
        # candidate last class xs[i..j] after m classes covering xs[0..i-1]
        prev = np.concatenate([[np.inf], cost[:-1]])          # prev[i] = cost[i-1]
        cand = prev[:, None] + c                               # (i, j)
        cand[: m, :] = np.inf                                  # need >= m values before i
        back[m] = np.argmin(cand, axis=0)
        cost = cand[back[m], np.arange(n)]
    starts = [0] * k
    j = n - 1
    for m in range(k - 1, 0, -1):
        starts[m] = back[m, j]
        j = starts[m] - 1
    ends = [starts[m + 1] - 1 for m in range(k - 1)] + [n - 1]
    breaks = xs[ends]
    labels = np.searchsorted(breaks, x, side="left")
    sdam = float(((x - x.mean()) ** 2).sum())
    sdcm = float(sum(((x[labels == m] - x[labels == m].mean()) ** 2).sum()
                     for m in range(k) if np.any(labels == m)))
    gvf = 1.0 - sdcm / sdam if sdam > 0 else 1.0
    return labels, breaks, gvf


def kmeans_1d(values, k: int, *, n_init: int = 10, seed: int = 0, max_iter: int = 300):
    """Lloyd's k-means on one dimension, k-means++ starts, best of ``n_init`` runs.

    Returns ``(labels, centres, sse)`` with classes numbered by ascending centre (0 = lowest).
    """
    x = _check(values, k)
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(max(1, n_init)):
        centres = [x[rng.integers(x.size)]]
        while len(centres) < k:                      # k-means++ seeding
            d2 = np.min((x[:, None] - np.array(centres)[None, :]) ** 2, axis=1)
            centres.append(x[rng.choice(x.size, p=d2 / d2.sum())] if d2.sum() > 0
                           else x[rng.integers(x.size)])
        centres = np.sort(np.array(centres))
        for _ in range(max_iter):
            lab = np.argmin(np.abs(x[:, None] - centres[None, :]), axis=1)
            new = np.array([x[lab == m].mean() if np.any(lab == m) else centres[m]
                            for m in range(k)])
            if np.allclose(new, centres, rtol=0, atol=1e-12):
                break
            centres = new
        lab = np.argmin(np.abs(x[:, None] - centres[None, :]), axis=1)
        sse = float(((x - centres[lab]) ** 2).sum())
        if best is None or sse < best[2] - 1e-12:
            best = (lab, centres, sse)
    lab, centres, sse = best
    order = np.argsort(centres)
    relabel = np.empty(k, dtype=int)
    relabel[order] = np.arange(k)
    return relabel[lab], centres[order], sse


def assign_tiers(score: xr.DataArray, k: int = 4, *, method: str = "jenks", seed: int = 0,
                 dim: str = "province") -> xr.DataArray:
    """Tier of each province (1 = highest) from its index ``score`` (1-d over ``dim``)."""
    expected_one_of("tier method", method, METHODS)
    if score.dims != (dim,):
        raise InputDataError(f"scores have dims {score.dims}; expected one dimension {dim!r}")
    if method == "jenks":
        labels, _, fit = natural_breaks(score.values, k)
    else:
        labels, _, fit = kmeans_1d(score.values, k, seed=seed)
    tier = xr.DataArray(k - labels, dims=dim, coords={dim: score[dim]}, name="tier")
    tier.attrs.update(units="1", long_name=f"tier (1 = highest; {method}, k = {k})",
                      long_name_zh="发展梯队", method=method, k=k,
                      **({"gvf": fit} if method == "jenks" else {"sse": fit}))
    return tier


def tier_table(tier: xr.DataArray, score: xr.DataArray, dim: str = "province") -> pd.DataFrame:
    """Membership of each tier: provinces (best first), count, score range."""
    rows = []
    k = int(tier.attrs.get("k", tier.max()))
    for t in sorted(set(tier.values.tolist())):
        members = score.where(tier == t, drop=True).sortby(score.where(tier == t, drop=True),
                                                           ascending=False)
        rows.append({"tier": t, "name_zh": TIER_NAMES_ZH.get(t, "") if k == 4 else "",
                     "n": members.size,
                     "min_score": float(members.min()), "max_score": float(members.max()),
                     "members": ", ".join(str(p) for p in members[dim].values)})
    return pd.DataFrame(rows)


def compare_with_published(tier: xr.DataArray, dim: str = "province") -> pd.DataFrame:
    """Cross-tabulation of computed tiers (rows) against the report's 图12 tiers (columns)."""
    published = {p: t for t, ps in PUBLISHED_TIERS.items() for p in ps}
    known = [p for p in tier[dim].values.tolist() if p in published]
    if not known:
        raise InputDataError("none of the provinces is in the report's tier list; expected "
                             "province keys such as 'jiangsu', 'guangxi'")
    comp = pd.Series(tier.sel({dim: known}).values, index=known, name="computed")
    pub = pd.Series([published[p] for p in known], index=known, name="published")
    return pd.crosstab(comp, pub)
