"""The industrial-internet development index (工业互联网发展成效指数) of CAICT's 2024 report.

Hierarchy (section 二(二), 表1 p. 11): 5 first-level and 19 second-level indicators, bundled as
``klems/data/industrial_internet_indicators.toml``; third-level indicators are the user's, each
under one second-level indicator, with a direction (higher or lower is better).

Indices (section 二(三), pp. 10-11):

* national — every indicator as a ratio to its base-year (2020) value × 100, then weighted
  averages ``X_t = Σ X_ta q_a / Σ q_a`` level by level up to the total;
* regional — min-max normalisation across provinces ``z_ij = (Y_ij − min Y_j)/(max Y_j − min Y_j)``
  (reversed for lower-is-better indicators), then weighted averages ``Z_i = Σ z_ij w_j / Σ w_j``;
  reported on a 0–100 scale.

Weights are *local*: for each parent the weights of its children sum to 1 (100 points); they come
from AHP judgement matrices, the experts' direct scores, or a blend of both (:func:`resolve_weights`).
"""

from __future__ import annotations

import tomllib
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import (
    DimensionError,
    InputDataError,
    KlemsWarning,
    ParameterError,
)
from klems.base.resources import data_root
from klems.devindex.ahp import aggregate_judgements, ahp_weights, blend_weights

ROOT = "total"
ROOT_ZH = "工业互联网发展成效指数"
ROOT_EN = "Industrial-internet development index"
DIRECTIONS = {"higher": 1, "+": 1, "1": 1, "positive": 1, "正向": 1,
              "lower": -1, "-": -1, "-1": -1, "negative": -1, "逆向": -1, "负向": -1}
_LEVEL_KEYS = {"first": 1, "second": 2, "third": 3}


class EqualWeightsWarning(KlemsWarning):
    """No judgements nor direct scores were given for a group: its children get equal weights."""


@dataclass(frozen=True)
class Indicator:
    code: str
    zh: str
    en: str
    level: int                 # 1, 2 or 3 (0 for the total)
    parent: str                # ROOT for first-level indicators
    direction: int = 1         # +1 higher is better, -1 lower is better
    units: str = ""


@dataclass(frozen=True)
class Hierarchy:
    indicators: tuple[Indicator, ...]
    source: str = ""
    _by_code: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})

    def __getitem__(self, code: str) -> Indicator:
        if code == ROOT:
            return Indicator(ROOT, ROOT_ZH, ROOT_EN, 0, "")
        try:
            return self._by_code[code]
        except KeyError:
            raise InputDataError(f"unknown indicator {code!r}; expected one of the hierarchy's "
                                 f"codes ({', '.join(self._by_code)})", indicator=code) from None

    def __contains__(self, code) -> bool:
        return code == ROOT or code in self._by_code

    def children(self, code: str = ROOT) -> list[str]:
        return [i.code for i in self.indicators if i.parent == code]

    def level(self, level: int) -> list[str]:
        return [i.code for i in self.indicators if i.level == level]

    def leaves(self) -> list[str]:
        parents = {i.parent for i in self.indicators}
        return [i.code for i in self.indicators if i.code not in parents]

    def parents(self) -> list[str]:
        """Every node that has children, the total first, then top-down."""
        have = {i.parent for i in self.indicators}
        return [ROOT] + [i.code for i in self.indicators if i.code in have]

    def nodes(self) -> list[str]:
        return [ROOT] + [i.code for i in self.indicators]

    def with_third_level(self, rows) -> "Hierarchy":
        """A copy with user-defined third-level indicators (dicts or :class:`Indicator`)."""
        new = list(self.indicators)
        seen = set(self._by_code)
        for k, row in enumerate(rows, start=1):
            ind = row if isinstance(row, Indicator) else _indicator_from_row(row, 3, k)
            if ind.code in seen:
                raise InputDataError(f"indicator code {ind.code!r} is defined twice; expected "
                                     "unique codes", indicator=ind.code, row=k)
            if ind.parent not in self._by_code or self._by_code[ind.parent].level != 2:
                raise InputDataError(f"third-level indicator {ind.code!r} has parent "
                                     f"{ind.parent!r}; expected one of the second-level codes "
                                     f"({', '.join(self.level(2))})", indicator=ind.code, row=k)
            seen.add(ind.code)
            new.append(replace(ind, level=3))
        return Hierarchy(tuple(new), self.source)

    def pruned(self, keep_leaves) -> "Hierarchy":
        """Only the given leaves and their ancestors (branches without data dropped)."""
        keep = set()
        for code in keep_leaves:
            while code and code != ROOT:
                keep.add(code)
                code = self[code].parent
        return Hierarchy(tuple(i for i in self.indicators if i.code in keep), self.source)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{"level": i.level, "code": i.code, "parent": i.parent,
                              "name_zh": i.zh, "name_en": i.en,
                              "direction": "higher" if i.direction > 0 else "lower",
                              "units": i.units} for i in self.indicators])


def _direction(value, code, row=None) -> int:
    key = str(value).strip().lower() if value is not None and value == value else "higher"
    if key in ("", "none", "nan"):
        key = "higher"
    if key not in DIRECTIONS:
        raise InputDataError(f"direction {value!r} of indicator {code!r}; expected 'higher' "
                             "(higher is better) or 'lower'", indicator=code, row=row)
    return DIRECTIONS[key]


def _indicator_from_row(row, level, k, file=None) -> Indicator:
    def get(key, default=""):
        v = row.get(key, default)
        return default if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()

    code = get("code")
    if not code:
        raise InputDataError("indicator without a code; expected a non-empty 'code'",
                             file=file, row=k)
    parent = get("parent", ROOT if level == 1 else "")
    if level > 1 and not parent:
        raise InputDataError(f"indicator {code!r} has no parent; expected the code of a level "
                             f"{level - 1} indicator", file=file, indicator=code, row=k)
    return Indicator(code, get("zh") or get("name_zh") or code, get("en") or get("name_en") or code,
                     level, parent, _direction(row.get("direction"), code, k), get("units"))


def load_hierarchy(path=None) -> Hierarchy:
    """The hierarchy from a TOML file with ``[[first]]``, ``[[second]]`` and optional
    ``[[third]]`` tables (keys ``code``, ``parent``, ``zh``, ``en``, ``direction``, ``units``).

    Without ``path``: the bundled 表1 system (5 first-level, 19 second-level indicators). A user
    file with only ``[[third]]`` tables extends the bundled system.
    """
    bundled = data_root().joinpath("industrial_internet_indicators.toml")
    src = bundled if path is None else path
    try:
        with (src.open("rb") if path is None else open(path, "rb")) as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputDataError(f"not valid TOML ({exc})", file=str(src)) from None
    if path is not None and "first" not in doc:
        return load_hierarchy().with_third_level(doc.get("third", []))
    rows = []
    for key, level in _LEVEL_KEYS.items():
        for k, row in enumerate(doc.get(key, []), start=1):
            rows.append(_indicator_from_row(row, level, k, file=str(src)))
    base = Hierarchy(tuple(r for r in rows if r.level < 3), doc.get("source", ""))
    for r in base.indicators:
        if r.level == 2 and (r.parent not in base or base[r.parent].level != 1):
            raise InputDataError(f"second-level indicator {r.code!r} has parent {r.parent!r}; "
                                 "expected a first-level code", file=str(src), indicator=r.code)
    if len({r.code for r in base.indicators}) != len(base.indicators):
        raise InputDataError("indicator codes are not unique; expected one entry per code",
                             file=str(src))
    return base.with_third_level([r for r in rows if r.level == 3])


# ---- weights ---------------------------------------------------------------------------------

def resolve_weights(hierarchy: Hierarchy, *, direct=None, judgements=None, share_ahp: float = 0.5,
                    method: str = "eigenvector", max_cr: float | None = 0.1):
    """Local weights of every group of children, and a table of how they were obtained.

    ``direct``: {parent: {child: score}} experts' direct scores (any scale, e.g. points of 100);
    ``judgements``: {parent: {"children": [...], "experts": [matrix, ...],
    "expert_weights": [...] (optional)}} pairwise judgements, combined over experts by the
    geometric mean and turned into priorities by :func:`klems.devindex.ahp.ahp_weights`. A group with both
    gets ``share_ahp·AHP + (1 − share_ahp)·direct``; with neither, equal weights (warned).
    Returns ``(weights, table)``: weights {parent: pandas.Series(child -> weight, sum 1)}.
    """
    direct = direct or {}
    judgements = judgements or {}
    for parent in list(direct) + list(judgements):
        if parent not in hierarchy or not hierarchy.children(parent):
            raise InputDataError(f"weights given for {parent!r}, which has no children in the "
                                 "hierarchy; expected 'total' or an indicator with children",
                                 indicator=parent)
    weights, rows, equal = {}, [], []
    for parent in hierarchy.parents():
        kids = hierarchy.children(parent)
        ahp = cr = None
        if parent in judgements:
            spec = judgements[parent]
            order = list(spec.get("children") or kids)
            if sorted(order) != sorted(kids):
                raise InputDataError(f"judgements under {parent!r} compare {order}; expected "
                                     f"exactly its children {kids}", indicator=parent)
            mat = aggregate_judgements(spec["experts"], spec.get("expert_weights"), name=parent)
            if mat.shape[0] != len(kids):
                raise InputDataError(f"judgement matrix under {parent!r} is {mat.shape[0]} × "
                                     f"{mat.shape[0]}; expected {len(kids)} × {len(kids)} "
                                     f"({', '.join(kids)})", indicator=parent)
            w, cr = ahp_weights(mat, method=method, max_cr=max_cr, name=parent)
            ahp = pd.Series(w, index=order).reindex(kids).to_numpy()
        d = None
        if parent in direct:
            scores = direct[parent]
            missing = [c for c in kids if c not in scores]
            extra = [c for c in scores if c not in kids]
            if missing or extra:
                raise InputDataError(f"direct scores under {parent!r} for {list(scores)}; "
                                     f"expected one score for each child ({', '.join(kids)})",
                                     indicator=parent)
            d = np.array([float(scores[c]) for c in kids])
        if ahp is not None and d is not None:
            final = blend_weights(ahp, d, share_ahp, name=parent)
            how = f"blend (AHP share {share_ahp:g})"
        elif ahp is not None:
            final, how = ahp, "AHP"
        elif d is not None:
            final, how = blend_weights(d, d, 1.0, name=parent), "direct scores"
        else:
            final, how = np.full(len(kids), 1.0 / len(kids)), "equal"
            equal.append(parent)
        weights[parent] = pd.Series(final, index=kids)
        for k, c in enumerate(kids):
            rows.append({"parent": parent, "code": c, "level": hierarchy[c].level,
                         "ahp_points": None if ahp is None else 100 * ahp[k],
                         "direct_points": None if d is None else 100 * d[k] / d.sum(),
                         "weight_points": 100 * final[k], "consistency_ratio": cr,
                         "method": how})
    if equal:
        warnings.warn(f"no judgements or direct scores for {len(equal)} group(s) "
                      f"({', '.join(equal)}): equal weights used", EqualWeightsWarning,
                      stacklevel=2)
    table = pd.DataFrame(rows)
    table["global_points"] = [100 * v for v in global_weights(hierarchy, weights).values()]
    return weights, table


def global_weights(hierarchy: Hierarchy, weights) -> dict[str, float]:
    """Each indicator's weight in the total: the product of local weights along its path."""
    out = {}
    for ind in hierarchy.indicators:
        w, code = 1.0, ind.code
        while code != ROOT:
            parent = hierarchy[code].parent
            w *= float(weights[parent][code])
            code = parent
        out[ind.code] = w
    return out


# ---- indices ---------------------------------------------------------------------------------

def _node_coords(hierarchy: Hierarchy, nodes) -> dict:
    info = [hierarchy[c] for c in nodes]
    return {"node": list(nodes), "level": ("node", [i.level for i in info]),
            "parent": ("node", [i.parent for i in info]),
            "name_zh": ("node", [i.zh for i in info]), "name_en": ("node", [i.en for i in info])}


def aggregate(leaf_scores: xr.DataArray, hierarchy: Hierarchy, weights) -> xr.DataArray:
    """Weighted averages up the hierarchy: ``leaf_scores`` over ``indicator`` (the leaves) ->
    scores over ``node`` (every indicator and the total), other dims broadcast."""
    scores = {c: leaf_scores.sel(indicator=c, drop=True) for c in hierarchy.leaves()}
    for parent in reversed(hierarchy.parents()):
        w = weights[parent]
        scores[parent] = sum(float(w[c]) * scores[c] for c in w.index) / float(w.sum())
    nodes = hierarchy.nodes()
    out = xr.concat([scores[c] for c in nodes], dim="node")
    return out.assign_coords(_node_coords(hierarchy, nodes))


def _check_leaves(values: xr.DataArray, hierarchy: Hierarchy, file=None):
    if "indicator" not in values.dims:
        raise DimensionError(f"indicator data has dims {values.dims}; expected an 'indicator' "
                             "dimension", file=file)
    have = set(values.indicator.values.tolist())
    missing = [c for c in hierarchy.leaves() if c not in have]
    if missing:
        raise InputDataError(f"no data for indicator(s) {', '.join(missing)}; expected a value "
                             "for every lowest-level indicator of the hierarchy (define "
                             "third-level indicators or drop the branch)", file=file,
                             indicator=missing[0])
    bad = values.sel(indicator=hierarchy.leaves())
    nan = bad.isnull()
    if bool(nan.any()):
        where = {d: nan[d].values[np.argwhere(nan.values)[0][k]].item()
                 for k, d in enumerate(nan.dims)}
        raise InputDataError("missing value; expected a number for every indicator",
                             file=file, **where)
    return bad


def _attrs(var, units, long_name, long_name_zh):
    var.attrs.update(units=units, long_name=long_name, long_name_zh=long_name_zh)
    return var


def national_index(values: xr.DataArray, hierarchy: Hierarchy, weights, *, base_year=None,
                   file=None) -> xr.Dataset:
    """National index: ``values`` (indicator, year) -> Dataset with ``index`` (node, year),
    each indicator as a ratio to ``base_year`` (default: the first year) × 100, weighted up."""
    vals = _check_leaves(values, hierarchy, file)
    if "year" not in vals.dims:
        raise DimensionError(f"national data has dims {vals.dims}; expected 'indicator' and "
                             "'year'", file=file)
    base_year = int(vals.year.min()) if base_year is None else int(base_year)
    if base_year not in vals.year.values:
        raise InputDataError(f"base year {base_year} not in the data; expected one of "
                             f"{vals.year.values.tolist()}", file=file, year=base_year)
    for (c, y), v in np.ndenumerate(vals.transpose("indicator", "year").values):
        if v <= 0:
            code, yr = vals.indicator.values[c], int(vals.year.values[y])
            raise InputDataError(f"value {v:g} is not positive; expected positive values for a "
                                 "ratio to the base year", file=file, indicator=code, year=yr)
    base = vals.sel(year=base_year, drop=True)
    sign = xr.DataArray([hierarchy[c].direction for c in vals.indicator.values],
                        dims="indicator", coords={"indicator": vals.indicator})
    leaf = xr.where(sign > 0, vals / base, base / vals) * 100.0
    idx = aggregate(leaf, hierarchy, weights).transpose("node", "year")
    ds = xr.Dataset({"index": _attrs(idx, f"index {base_year}=100",
                                     "industrial-internet development index (national)",
                                     "全国工业互联网发展成效指数")})
    ds.attrs.update(method="ratio to base year × 100, weighted averages (CAICT 2024, 二(三))",
                    base_year=base_year)
    return ds


def minmax_normalise(values: xr.DataArray, directions=None, *, dim="province", file=None):
    """``(Y − min Y)/(max Y − min Y)`` across ``dim`` (reversed where the direction is −1)."""
    lo, hi = values.min(dim), values.max(dim)
    span = hi - lo
    if bool((span == 0).any()):
        flat = span.where(span == 0, drop=True)
        where = {d: flat[d].values[0].item() for d in flat.dims}
        raise InputDataError(f"indicator has the same value in every {dim}; expected some "
                             "spread for min-max normalisation (drop the indicator)",
                             file=file, **where)
    z = (values - lo) / span
    if directions is not None:
        z = xr.where(directions > 0, z, 1.0 - z)
    return z


def regional_index(values: xr.DataArray, hierarchy: Hierarchy, weights, *,
                   file=None) -> xr.Dataset:
    """Regional index: ``values`` (province, indicator[, year]) -> Dataset with ``score``
    (node, province[, year]) on 0–100, ``normalised`` leaf values z_ij and ``rank`` (1 = best)."""
    vals = _check_leaves(values, hierarchy, file)
    if "province" not in vals.dims or vals.sizes["province"] < 2:
        raise DimensionError("regional data needs at least 2 provinces along 'province' for "
                             "min-max normalisation", file=file)
    sign = xr.DataArray([hierarchy[c].direction for c in vals.indicator.values],
                        dims="indicator", coords={"indicator": vals.indicator})
    z = minmax_normalise(vals, sign, file=file)
    score = aggregate(z * 100.0, hierarchy, weights)
    order = ["node", "province"] + [d for d in score.dims if d not in ("node", "province")]
    score = score.transpose(*order)
    rank = competition_rank(score)
    ds = xr.Dataset({
        "score": _attrs(score, "index 0-100 (min-max)",
                        "industrial-internet development index (regional)",
                        "区域工业互联网发展成效指数"),
        "normalised": _attrs(z.transpose("indicator", "province", ...), "1",
                             "min-max normalised indicator", "无量纲化指标值"),
        "rank": _attrs(rank, "1", "rank among provinces (1 = highest)", "排名"),
    })
    ds.attrs.update(method="min-max across provinces, weighted averages (CAICT 2024, 二(三))")
    return ds


def competition_rank(score: xr.DataArray, dim: str = "province") -> xr.DataArray:
    """Rank along ``dim``, 1 = highest; ties share the best rank (1, 2, 2, 4)."""
    other = score.rename({dim: "_other"})
    return (1 + (other > score).sum("_other")).astype(int).transpose(*score.dims)


def weights_check(weights, hierarchy: Hierarchy):
    """Raise unless every group's local weights are non-negative and total 1 (100 points)."""
    for parent in hierarchy.parents():
        if parent not in weights:
            raise ParameterError(f"no weights for the children of {parent!r}; expected one "
                                 "weight per child", indicator=parent)
        w = weights[parent]
        if np.any(w.to_numpy() < 0) or abs(float(w.sum()) - 1.0) > 1e-9:
            raise ParameterError(f"weights under {parent!r} total {100 * float(w.sum()):.4g} "
                                 "points; expected non-negative weights totalling 100",
                                 indicator=parent)
