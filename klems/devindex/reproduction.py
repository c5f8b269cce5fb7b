"""Reproduce the published national industrial-internet index from its five sub-indices.

CAICT's 2024 report publishes the national total (图1 p. 12: 100, 139, 179, 235 for 2020-2023)
and the five first-level sub-indices (图2 p. 13), but not the weights ``q_a``. Because the total is
the weighted average ``X_t = Σ_a q_a X_ta`` (Σ q_a = 1, section 二(三)3), every weight vector on
the simplex either reproduces the printed totals within their rounding or not, and that condition
is linear in ``q``: with each sub-index known to lie in ``[lo_ta, hi_ta]`` and the total printed
to the nearest integer, ``q`` is consistent iff for every year

    Σ_a q_a lo_ta <= T_t + 0.5   and   Σ_a q_a hi_ta >= T_t − 0.5.

The range of each weight over that polytope is two linear programmes (scipy.optimize.linprog).
Sub-index intervals (``mode``): ``"exact"`` (printed integers taken as exact), ``"rounded"``
(± 0.5, the default), ``"growth"`` (± 0.5 intersected with the year-on-year growth rates printed
to 0.1 % in 图3/4/5/8/11 — valid only if those rates were computed before rounding).
Optionally the text's statement that 基础能力 contributed 17.3 % of the total's 2023 increase
(p. 13) bounds q_基础能力.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from klems.base.resources import data_root

COMPONENTS = ("foundation", "innovation", "industry", "application", "environment")
COMPONENTS_ZH = {"foundation": "基础能力", "innovation": "技术创新", "industry": "产业发展",
                 "application": "应用推广", "environment": "发展环境"}
MODES = ("exact", "rounded", "growth")
# section 三(一), p. 13: "2023 年[基础能力]对整体指数增幅的贡献率高达 17.3%"
FOUNDATION_CONTRIBUTION_2023 = 0.173


def load_published() -> pd.DataFrame:
    """The bundled published national series (long format, with figure and page)."""
    src = data_root().joinpath("industrial_internet_published.csv")
    with src.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#")


def published_table(published: pd.DataFrame | None = None, column: str = "value") -> pd.DataFrame:
    """Wide table: index year, columns ``total`` and the five first-level codes."""
    df = load_published() if published is None else published
    wide = df.pivot(index="year", columns="indicator", values=column)
    missing = [c for c in ("total", *COMPONENTS) if c not in wide.columns]
    if missing:
        raise InputDataError(f"published series lacks {', '.join(missing)}; expected the total "
                             "and the five first-level sub-indices", indicator=missing[0])
    return wide[["total", *COMPONENTS]]


def _as_fractions(weights) -> np.ndarray:
    if isinstance(weights, dict):
        unknown = [k for k in weights if k not in COMPONENTS]
        if unknown:
            raise ParameterError(f"weight for unknown component {unknown[0]!r}; expected "
                                 f"{', '.join(COMPONENTS)}")
        weights = [weights.get(c, 0.0) for c in COMPONENTS]
    w = np.asarray(weights, dtype=float)
    if w.shape != (len(COMPONENTS),) or np.any(~np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ParameterError(f"first-level weights {w.tolist()}; expected 5 non-negative numbers "
                             f"({', '.join(COMPONENTS)}) with a positive sum")
    return w / w.sum()


def national_total(weights, published: pd.DataFrame | None = None) -> pd.Series:
    """The total ``Σ q_a X_ta / Σ q_a`` from the published sub-indices for given weights
    (points or fractions, in the order of :data:`COMPONENTS` or as a dict)."""
    tab = published_table(published)
    q = _as_fractions(weights)
    return pd.Series(tab[list(COMPONENTS)].to_numpy() @ q, index=tab.index, name="total")


def component_bounds(published: pd.DataFrame | None = None, mode: str = "rounded"):
    """Intervals ``(lo, hi)`` (DataFrames year × component) in which each true sub-index lies."""
    expected_one_of("mode", mode, MODES)
    tab = published_table(published)[list(COMPONENTS)].astype(float)
    base = tab.index.min()
    half = 0.0 if mode == "exact" else 0.5
    lo, hi = tab - half, tab + half
    lo.loc[base], hi.loc[base] = tab.loc[base], tab.loc[base]      # base year = 100 by definition
    if mode == "growth":
        g = published_table(published, "growth_pct")[list(COMPONENTS)].astype(float) / 100.0
        years = list(tab.index)
        for _ in range(20):                                         # forward-backward to a fixpoint
            old = (lo.to_numpy().copy(), hi.to_numpy().copy())
            for a, b in zip(years[:-1], years[1:]):
                glo, ghi = 1 + g.loc[b] - 0.0005, 1 + g.loc[b] + 0.0005
                lo.loc[b] = np.maximum(lo.loc[b], lo.loc[a] * glo)
                hi.loc[b] = np.minimum(hi.loc[b], hi.loc[a] * ghi)
                lo.loc[a] = np.maximum(lo.loc[a], lo.loc[b] / ghi)
                hi.loc[a] = np.minimum(hi.loc[a], hi.loc[b] / glo)
            if np.allclose(old[0], lo.to_numpy()) and np.allclose(old[1], hi.to_numpy()):
                break
        if np.any(lo.to_numpy() > hi.to_numpy() + 1e-9):
            raise InputDataError("printed growth rates contradict the printed sub-indices; "
                                 "expected intervals that overlap (use mode 'rounded')")
    return lo, hi


def _constraints(published, mode, total_halfwidth, contribution):
    tab = published_table(published)
    lo, hi = component_bounds(published, mode)
    years = [y for y in tab.index if y != tab.index.min()]
    T = tab.loc[years, "total"].to_numpy(float)
    a_ub = np.vstack([lo.loc[years].to_numpy(), -hi.loc[years].to_numpy()])
    b_ub = np.concatenate([T + total_halfwidth, -(T - total_halfwidth)])
    bounds = [(0.0, 1.0)] * len(COMPONENTS)
    if contribution:
        y1, y0 = years[-1], years[-2]
        d_total = (T[-1] - total_halfwidth - (T[-2] + total_halfwidth),
                   T[-1] + total_halfwidth - (T[-2] - total_halfwidth))
        d_found = (lo.loc[y1, "foundation"] - hi.loc[y0, "foundation"],
                   hi.loc[y1, "foundation"] - lo.loc[y0, "foundation"])
        c = FOUNDATION_CONTRIBUTION_2023
        bounds[0] = ((c - 0.0005) * d_total[0] / d_found[1], (c + 0.0005) * d_total[1] / d_found[0])
    return a_ub, b_ub, bounds


def weight_ranges(published: pd.DataFrame | None = None, *, mode: str = "rounded",
                  total_halfwidth: float = 0.5, contribution: bool = False) -> pd.DataFrame:
    """Range (in points of 100) of each first-level weight over all weight vectors that reproduce
    the published totals within rounding. Raises if no weight vector does."""
    a_ub, b_ub, bounds = _constraints(published, mode, total_halfwidth, contribution)
    n = len(COMPONENTS)
    rows = []
    for k, code in enumerate(COMPONENTS):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[k] = sign
            res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=np.ones((1, n)), b_eq=[1.0],
                          bounds=bounds, method="highs")
            if res.status == 2:
                raise InputDataError(f"no first-level weights reproduce the published totals "
                                     f"within ±{total_halfwidth:g} (mode {mode!r}); expected a "
                                     "feasible set")
            if res.status != 0:
                raise InputDataError(f"linear programme failed: {res.message}")
            ends.append(100.0 * res.x[k])
        rows.append({"component": code, "name_zh": COMPONENTS_ZH[code],
                     "min_points": ends[0], "max_points": ends[1]})
    return pd.DataFrame(rows).set_index("component")


def central_weights(published: pd.DataFrame | None = None, *, mode: str = "rounded",
                    total_halfwidth: float = 0.5, contribution: bool = False):
    """The Chebyshev centre of the consistent set (the weight vector farthest from violating any
    constraint, within the simplex): ``(points, radius_points)``."""
    a_ub, b_ub, bounds = _constraints(published, mode, total_halfwidth, contribution)
    n = len(COMPONENTS)
    # project constraints onto the simplex's affine hull for the norms
    p = np.eye(n) - np.ones((n, n)) / n
    norms = np.linalg.norm(a_ub @ p, axis=1)
    rows_lo = np.hstack([-np.eye(n), np.full((n, 1), np.sqrt((n - 1) / n))])
    rows_hi = np.hstack([np.eye(n), np.full((n, 1), np.sqrt((n - 1) / n))])
    a = np.vstack([np.hstack([a_ub, norms[:, None]]), rows_lo, rows_hi])
    b = np.concatenate([b_ub, [-lb for lb, _ in bounds], [ub for _, ub in bounds]])
    res = linprog(np.r_[np.zeros(n), -1.0], A_ub=a, b_ub=b,
                  A_eq=np.r_[np.ones(n), 0.0][None, :], b_eq=[1.0],
                  bounds=[(None, None)] * n + [(0, None)], method="highs")
    if res.status != 0:
        raise InputDataError(f"no first-level weights reproduce the published totals within "
                             f"±{total_halfwidth:g} (mode {mode!r}); expected a feasible set")
    return pd.Series(100.0 * res.x[:n], index=list(COMPONENTS)), 100.0 * res.x[n]


def is_consistent(weights, published: pd.DataFrame | None = None, *, mode: str = "rounded",
                  total_halfwidth: float = 0.5) -> bool:
    """Whether given first-level weights reproduce the published totals within rounding."""
    q = _as_fractions(weights)
    a_ub, b_ub, _ = _constraints(published, mode, total_halfwidth, False)
    return bool(np.all(a_ub @ q <= b_ub + 1e-9))


def grid_solutions(published: pd.DataFrame | None = None, *, step: float = 1.0,
                   mode: str = "rounded", total_halfwidth: float = 0.5,
                   contribution: bool = False) -> pd.DataFrame:
    """Every weight vector on a grid of ``step`` points (totalling 100) consistent with the
    published totals: the candidates a report that states integer weights could have used."""
    if not step > 0 or abs(100.0 / step - round(100.0 / step)) > 1e-9:
        raise ParameterError(f"grid step {step!r}; expected a positive divisor of 100 points")
    ranges = weight_ranges(published, mode=mode, total_halfwidth=total_halfwidth,
                           contribution=contribution)
    a_ub, b_ub, bounds = _constraints(published, mode, total_halfwidth, contribution)
    axes = [np.arange(np.ceil(r.min_points / step - 1e-9) * step,
                      r.max_points + 1e-9, step) for r in ranges.itertuples()]
    size = int(np.prod([len(a) for a in axes[:-1]]))
    if size > 5_000_000:
        raise ParameterError(f"grid of {size} candidate vectors for step {step:g}; expected at "
                             "most 5 000 000 (use a coarser step or the contribution constraint)")
    mesh = np.stack(np.meshgrid(*axes[:-1], indexing="ij"), axis=-1).reshape(-1, len(axes) - 1)
    last = 100.0 - mesh.sum(axis=1)
    pts = np.hstack([mesh, last[:, None]])
    q = pts / 100.0
    ok = (last >= -1e-9) & np.all(q @ a_ub.T <= b_ub + 1e-9, axis=1)
    ok &= np.all((q >= np.array([lb for lb, _ in bounds]) - 1e-9)
                 & (q <= np.array([ub for _, ub in bounds]) + 1e-9), axis=1)
    return pd.DataFrame(pts[ok] + 0.0, columns=list(COMPONENTS))
