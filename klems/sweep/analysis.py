"""What a sweep's draws say: quantiles, Sobol indices, the tornado, the output Dataset.

Sobol indices: SALib's estimator on the Saltelli design of :func:`klems.sweep.design`
(first order: Saltelli et al. 2010; total order: Jansen 1999), with bootstrap confidence
intervals. The tornado is one-at-a-time around the fixed options: each swept parameter at the
ends of its range (every level of a categorical) with all others at the values of
``klems estimate``; it shows the digital economy of the last reported year.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from klems.outputs.provenance import provenance_attrs
from klems.sweep._sobol import sobol_first_total
from klems.sweep.evaluation import OUTPUTS, QUANTILES, SOBOL_OUTPUTS, draw_arrays
from klems.sweep.parameters import Parameter
from klems.sweep.store import per_draw_attrs

PARAM_UNITS = {"depreciation": "1/year", "mean_life": "years", "nict_depreciation": "1/year"}


def tornado_draws(params: list[Parameter], opts) -> tuple[dict, list[tuple[int, str]]]:
    """One-at-a-time draws around the fixed options: the base, then each parameter at its low
    and high end (every level of a categorical). Returns the values and (parameter, setting)."""
    base = draw_arrays(opts, {}, 1)
    rows: list[tuple[int, str]] = [(-1, "base")]
    changes: list[dict] = [{}]
    for k, p in enumerate(params):
        settings = p.levels if p.categorical else (p.low, p.high)
        for s in settings:
            rows.append((k, str(s) if p.categorical else f"{s:g}"))
            changes.append({p.name: np.array([s])})
    parts = [draw_arrays(opts, c, 1) if c else base for c in changes]
    return {k: np.concatenate([p[k] for p in parts]) for k in base}, rows


def sobol_indices(y: np.ndarray, params: list[Parameter], seed: int = 0,
                  num_resamples: int = 100, conf_level: float = 0.95) -> dict[str, np.ndarray]:
    """First- and total-order Sobol indices per parameter and year, with bootstrap intervals.

    ``y`` (draws, years) in the order of :func:`design`'s Sobol sample. Years whose output does
    not vary (or holds NaN) get NaN. The estimators are SALib's (Saltelli 2010 first order,
    Jansen 1999 total order, ``SALib.analyze.sobol.analyze`` with ``calc_second_order=False``),
    computed by its compiled twin :func:`klems.sweep._sobol.sobol_first_total` on every core in
    flat memory; the resample indices come from ``seed`` (also when it is 0, where SALib would
    fall back to numpy's global generator).
    """
    y = np.asarray(y, dtype=np.float64)
    varies = np.zeros(y.shape[1], dtype=bool)
    for j in range(y.shape[1]):     # one column at a time: no copy of the (draw, year) block
        col = y[:, j]
        if np.all(np.isfinite(col)):
            varies[j] = np.ptp(col) > 1e-12 * max(1.0, float(np.abs(col).max()))
    res = sobol_first_total(y, len(params), np.flatnonzero(varies), int(seed),
                            int(num_resamples), float(conf_level))
    return dict(zip(("S1", "S1_conf", "ST", "ST_conf"), res))


def _attrs(units, en, zh, **extra):
    return {"units": units, "long_name": en, "long_name_zh": zh, **extra}


def province_sobol(result, params: list[Parameter], seed: int = 0) -> dict:
    """Sobol indices of one province's outputs: key -> (output, parameter, year) arrays.

    ``result``: output name -> (draw, year) array, or a function returning it (then one
    output's block is in memory at a time)."""
    read = result if callable(result) else result.__getitem__
    per = [sobol_indices(read(var), params, seed=seed) for var in SOBOL_OUTPUTS]
    return {key: np.stack([r[key] for r in per]) for key in ("S1", "S1_conf", "ST", "ST_conf")}


def sweep_dataset(store, params, values, info, bases, oat, oat_rows, opts, seed=0,
                  sobol=None, per_draw: bool = True) -> xr.Dataset:
    """The Dataset of a sweep (see the CLI's documentation) from the per-draw ``store``.

    Quantiles and Sobol indices are computed one province and one output at a time from the
    store's blocks, so memory holds one (draw, year) block at a time. ``per_draw=False`` leaves
    the per-draw variables out (they are already in the store's file). ``sobol``:
    :func:`province_sobol` per province when computed elsewhere (on a cluster).
    """
    provinces, years = store.provinces, store.years
    n = info["draws"]
    coords = {"province": list(provinces), "draw": np.arange(n), "year": years,
              "quantile": list(QUANTILES), "parameter": [p.name for p in params]}
    ds = xr.Dataset(coords=coords)
    for p in params:
        ds = ds.assign_coords({p.coord: ("draw", values[p.name])})
        ds[p.coord].attrs = _attrs(PARAM_UNITS.get(p.name.rsplit(".", 1)[-1], "1"),
                                   f"swept parameter {p.name}",
                                   f"敏感性参数 {p.name}", levels=",".join(p.levels)
                                   if p.categorical else f"{p.low:g}:{p.high:g}")
    if per_draw:
        for var, arr in store.arrays().items():
            dims = ("province", "draw", "year") if arr.ndim == 3 else ("province", "draw")
            ds[var] = (dims, arr, per_draw_attrs(var))
    for var, (units, en, zh) in OUTPUTS.items():
        ds[f"{var}_base"] = (("province", "year"), np.stack([bases[k][var] for k in provinces]),
                             _attrs(units, f"{en}, plain estimate with the fixed options",
                                    f"{zh}（固定参数基准估计）"))
        q = np.empty((len(provinces), len(QUANTILES), len(years)))
        for a in range(len(provinces)):
            block = store.read(a, var)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)   # all-NaN years stay NaN
                for j in range(len(years)):     # one year at a time: no (draw, year) copies
                    q[a, :, j] = np.nanquantile(block[:, j], QUANTILES)
        ds[f"{var}_quantile"] = (("province", "quantile", "year"), q,
                                 _attrs(units, f"{en}, quantiles over draws", f"{zh}分位数"))
    last = len(years) - 1
    low = np.full((len(provinces), len(params)), np.nan)
    high = low.copy()
    low_set = np.full(low.shape, "", dtype=object)
    high_set = low_set.copy()
    for a, k in enumerate(provinces):
        de = oat[k]["digital_economy"][:, last]
        for j in range(len(params)):
            idx = [r for r, (pk, _) in enumerate(oat_rows) if pk == j]
            vals = de[idx]
            lo, hi = idx[int(np.nanargmin(vals))], idx[int(np.nanargmax(vals))]
            low[a, j], high[a, j] = de[lo], de[hi]
            low_set[a, j], high_set[a, j] = oat_rows[lo][1], oat_rows[hi][1]
    year = int(years[last])
    ds["tornado_base"] = (("province",), np.array([oat[k]["digital_economy"][0, last]
                                                  for k in provinces]),
                          _attrs("1e8 CNY", f"digital economy {year}, fixed options",
                                 f"{year}年数字经济规模（基准）", year=year))
    ds["tornado_low"] = (("province", "parameter"), low, _attrs(
        "1e8 CNY", f"digital economy {year}, lowest over one parameter's settings",
        f"{year}年数字经济规模（单参数变动最低）", year=year))
    ds["tornado_high"] = (("province", "parameter"), high, _attrs(
        "1e8 CNY", f"digital economy {year}, highest over one parameter's settings",
        f"{year}年数字经济规模（单参数变动最高）", year=year))
    ds["tornado_low_setting"] = (("province", "parameter"), low_set.astype(str),
                                 _attrs("1", "setting giving tornado_low", "最低值对应取值"))
    ds["tornado_high_setting"] = (("province", "parameter"), high_set.astype(str),
                                  _attrs("1", "setting giving tornado_high", "最高值对应取值"))
    if info["design"] == "sobol":
        ds = ds.assign_coords(output=list(SOBOL_OUTPUTS))
        names = {"S1": ("sobol_first", "first-order Sobol index", "一阶Sobol指数"),
                 "ST": ("sobol_total", "total-order Sobol index", "总效应Sobol指数")}
        res = {k: np.full((len(provinces), len(SOBOL_OUTPUTS), len(params), len(years)), np.nan)
               for k in ("S1", "S1_conf", "ST", "ST_conf")}
        for a, k in enumerate(provinces):
            r = sobol[k] if sobol is not None else province_sobol(
                lambda var, a=a: store.read(a, var), params, seed)
            for key in res:
                res[key][a] = r[key]
        dims = ("province", "output", "parameter", "year")
        for key, (name, en, zh) in names.items():
            ds[name] = (dims, res[key], _attrs("1", en, zh, estimator="SALib Saltelli/Jansen"))
            ds[f"{name}_conf"] = (dims, res[f"{key}_conf"], _attrs(
                "1", f"{en}: half-width of the 95% bootstrap interval", f"{zh}95%置信区间半宽"))
    ds.attrs.update(provenance_attrs(opts.as_dict()))
    ds.attrs.update({
        "design": info["design"], "draws": n, "seed": int(seed),
        "parameters_swept": " ".join(
            f"{p.name}={','.join(p.levels)}" if p.categorical else f"{p.name}={p.low:g}:{p.high:g}"
            for p in params),
        "title": "klems sensitivity sweep", "title_zh": "数字经济测算敏感性分析",
    })
    for key in ("base_sample_size", "levels"):
        if key in info:
            ds.attrs[key] = info[key]
    return ds
