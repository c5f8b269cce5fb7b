"""Sensitivity sweeps: how much DE, DI and ID depend on assumptions nobody observes.

A sweep draws parameter sets (a *design*: ``grid``, ``sobol`` or ``lhs``) over ranges such as
``hardware.depreciation=0.25:0.40`` (any ICT asset's ``depreciation``, ``mean_life``, ``beta``,
``sd_ratio``, ``truncation_sd``, ``max_life_ratio``; the globals ``ict_scale``, ``di_scale``,
``theta``, ``nict_depreciation``) and categorical parameters (``profile=caict,geometric``,
``attribution=income-share,contribution-rate``). Every other parameter is fixed by
:class:`klems.estimate.EstimateOptions`, exactly as in ``klems estimate``.

Each draw runs the whole estimate in the compiled fused kernel
(:func:`klems.sweep._kernels.sweep_chunk`) over chunks of draws: results equal
:func:`klems.estimate.compute` for the same parameters, and memory holds one chunk's (draw, year)
outputs plus one draw's (industry, asset, year) arrays. Draws depend only on the design, the
ranges and the seed; a draw's result depends only on its parameters, so chunking, the number of
processes and the scheduler (:mod:`klems.sweep.distributed`) never change a number.

Sobol indices (first and total order, per parameter and year) use SALib's Saltelli sampling
(``calc_second_order=False``: ``N·(D + 2)`` draws for D parameters; ``--draws`` is the total,
N = draws // (D + 2)) and SALib's estimator with bootstrap confidence intervals. Categorical
parameters enter the designs as uniforms on [0, 1) cut into equal bins, one per level.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

import capital_stock as cs
from klems.accounts.factor_income import split_value_added
from klems.accounts.user_costs import smoothed_price_change
from klems.base.errors import KlemsWarning, ParameterError, PrintedFormulaWarning
from klems.base.vocabulary import ICT_ASSETS as ICT, NON_ICT as NICT
from klems.pipeline.compute import compute
from klems.pipeline.estimation import prepare_inputs
from klems.sweep import _kernels as kern

OUTPUTS = {  # variable -> (units, long_name, long_name_zh)
    "digital_economy": ("1e8 CNY", "digital economy", "数字经济规模"),
    "digital_industrialization": ("1e8 CNY", "digital industrialization", "数字产业化规模"),
    "industrial_digitalization": ("1e8 CNY", "industrial digitalization", "产业数字化规模"),
    "share_of_gdp": ("1", "digital economy share of GDP", "数字经济占GDP比重"),
}
SOBOL_OUTPUTS = ("digital_economy", "industrial_digitalization", "share_of_gdp")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


# --------------------------------------------------------------------------- fixed inputs
@dataclass
class SweepInputs:
    """Everything a province's sweep needs that no swept parameter changes (numpy arrays)."""

    province: str
    years: np.ndarray              # accounts years (the data's years without the first)
    arrays: dict = field(repr=False)
    scalars: dict = field(repr=False)
    base: dict = field(repr=False)  # the plain estimate with the fixed options: name -> (years)


def prepare(data: xr.Dataset, ict_prices: xr.DataArray, nict_price: xr.DataArray, opts,
            province: str = "") -> SweepInputs:
    """Run the plain estimate once (validating the data) and keep the fixed arrays."""

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = compute(data, ict_prices, nict_price, opts)
    years = data.year
    prices = ict_prices.sel(asset=list(ICT)).reset_coords(drop=True).reindex(year=years)
    factor = prices / 100.0
    nominal = data["ict_investment"].sel(asset=list(ICT)).transpose("asset", "industry", "year")
    real = nominal * opts.ict_investment_scale / factor
    growth = np.empty((3, data.sizes["industry"]))
    for a, name in enumerate(ICT):
        inv = real.sel(asset=name).values
        if opts.growth_scope == "aggregate":
            growth[a] = cs.average_growth(inv.sum(axis=0), opts.growth_method, asset=name)
        else:
            growth[a] = cs.average_growth(inv, opts.growth_method, asset=name)
    nict_p = nict_price.reset_coords(drop=True).reindex(year=years)
    price = xr.concat([prices, nict_p.expand_dims(asset=[NICT])], dim="asset",
                      coords="minimal", compat="override") / 100.0
    gains = smoothed_price_change(price, opts.smooth_gains)
    lab, comp, _ = split_value_added(data["labour_compensation"] + data["capital_compensation"],
                                     data["labour_compensation"], data["capital_compensation"])
    output_value = data["gross_output"]
    if opts.net_taxes == "exclude":
        output_value = output_value - data["net_production_taxes"]
    else:
        comp = comp + data["net_production_taxes"]
    acc = slice(int(years[1]), None)
    ov = output_value.sel(year=acc)
    with np.errstate(divide="ignore", invalid="ignore"):
        ln_labour = np.log(data["labour_input"].sel(year=acc).transpose("industry", "year").values)

    def iy(da):
        return np.ascontiguousarray(da.transpose("industry", "year").values, dtype=np.float64)

    rate_given = not isinstance(opts.rate, str)
    arrays = {
        "nominal": np.ascontiguousarray(nominal.values, dtype=np.float64),
        "price": np.ascontiguousarray(factor.transpose("asset", "year").values),
        "growth": growth,
        "nict_stock": iy(data["nict_stock"]),
        "p": np.ascontiguousarray(price.values), "q": np.ascontiguousarray(price.shift(year=1)
                                                                          .values),
        "gains": np.ascontiguousarray(gains.values), "comp": iy(comp),
        "rate": np.full(comp.shape, float(opts.rate) if rate_given else 0.0),
        "output_value": iy(output_value),
        "out_growth": iy(base["output_growth"]),
        "share_fixed": iy(lab.sel(year=acc) / ov + data["intermediate_inputs"].sel(year=acc) / ov),
        "c_labour": iy(base["contribution_labour"]), "c_mid": iy(base["contribution_intermediates"]),
        "ln_labour": np.ascontiguousarray(ln_labour), "value_added": iy(base["value_added"]),
        "di_share": np.ascontiguousarray(data["di_share"].values, dtype=np.float64),
        "gdp": np.ascontiguousarray(base["gdp"].values, dtype=np.float64),
    }
    scalars = {"rate_given": rate_given, "window": int(opts.window),
               "min_growth": float(opts.min_growth),
               "presample": kern.PRESAMPLE_CODES[opts.presample],
               "base_t0": opts.base_year == "t0",
               "offset": 0.5 if opts.timing == "mid-year" else 0.0}
    totals = {k: base[k].values.copy() for k in OUTPUTS}
    totals["theta"] = float(base.attrs["theta"])
    return SweepInputs(province or str(base.attrs.get("province", "")),
                       base.year.values.astype(int), arrays, scalars, totals)


def prepare_province(province: str, opts) -> SweepInputs:
    """:func:`prepare` on the bundled dataset of ``province``."""

    _, inputs, ict_p, nict_p = prepare_inputs(province, opts)
    return prepare(inputs, ict_p, nict_p, opts, province)


# --------------------------------------------------------------------------- evaluation
def draw_arrays(opts, values: dict[str, np.ndarray], n: int | None = None) -> dict:
    """Per-draw kernel parameters: the fixed options overridden by the swept ``values``."""

    if n is None:
        n = len(next(iter(values.values()))) if values else 1
    specs = opts.specs()
    out = {}
    for key, attr in (("mu", "mean_life"), ("delta", "depreciation"), ("beta", "beta"),
                      ("sd_ratio", "sd_ratio"), ("trunc_sd", "truncation_sd"),
                      ("max_ratio", "max_life_ratio")):
        arr = np.empty((n, 3))
        for a, asset in enumerate(ICT):
            arr[:, a] = values.get(f"{asset}.{attr}", getattr(specs[asset], attr))
        out[key] = arr
    for key, codes, default in (("profile", kern.PROFILE_CODES, opts.profile),
                                ("rule", kern.RULE_CODES, opts.attribution)):
        src = values.get(key if key == "profile" else "attribution")
        out[key] = (np.full(n, codes[default], dtype=np.int64) if src is None
                    else np.array([codes[str(v)] for v in src], dtype=np.int64))
    theta = np.nan if opts.theta is None else float(opts.theta)
    for key, default in (("ict_scale", opts.ict_investment_scale), ("di_scale", opts.di_scale),
                         ("theta", theta), ("nict_depreciation", opts.nict_depreciation)):
        out[key] = np.ascontiguousarray(np.broadcast_to(
            np.asarray(values.get(key, default), dtype=np.float64), (n,)))
    if np.any(out["profile"] == kern.PROFILE_CODES["caict-printed"]):

        warnings.warn("profile 'caict-printed': the white paper's formula as printed multiplies "
                      "efficiency by the cumulative retired share, so weights grow with age; "
                      "use it only to compare, never to publish", PrintedFormulaWarning,
                      stacklevel=2)
    return out


def take(arrays: dict, index) -> dict:
    """The draws ``index`` (slice or integer array) of :func:`draw_arrays` output."""
    return {k: np.ascontiguousarray(v[index]) for k, v in arrays.items()}


def evaluate(inputs: SweepInputs, draws: dict) -> dict[str, np.ndarray]:
    """Run the fused kernel on one chunk of draws; returns (draw, year) and (draw) arrays."""
    a, s = inputs.arrays, inputs.scalars
    d = len(draws["profile"])
    m = len(inputs.years)
    n = m + 1
    nd = np.floor(draws["max_ratio"] * draws["mu"] + 1e-12).astype(np.int64) + 1
    wlen = int(max(nd.max(initial=0), n)) + int(nd.max(initial=0)) + 2
    out = {k: np.empty((d, m)) for k in OUTPUTS}
    out["theta"] = np.empty(d)
    out["flags"] = np.zeros(d, dtype=np.int64)
    out["clipped_user_costs"] = np.zeros(d, dtype=np.int64)
    kern.sweep_chunk(
        a["nominal"], a["price"], a["growth"], a["nict_stock"], a["p"], a["q"], a["gains"],
        a["comp"], s["rate_given"], a["rate"], a["output_value"], a["out_growth"],
        a["share_fixed"], a["c_labour"], a["c_mid"], a["ln_labour"], a["value_added"],
        a["di_share"], a["gdp"], s["window"], s["min_growth"], s["presample"], s["base_t0"],
        s["offset"], kern.GL_NODES, kern.GL_WEIGHTS, wlen,
        draws["profile"], draws["rule"], draws["mu"], draws["delta"], draws["beta"],
        draws["sd_ratio"], draws["trunc_sd"], draws["max_ratio"], draws["ict_scale"],
        draws["di_scale"], draws["theta"], draws["nict_depreciation"],
        out["digital_economy"], out["digital_industrialization"],
        out["industrial_digitalization"], out["share_of_gdp"], out["theta"], out["flags"],
        out["clipped_user_costs"])
    return out


def chunks(n: int, size: int) -> list[slice]:
    if size < 1:
        raise ParameterError(f"chunk size must be >= 1, got {size}")
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def evaluate_all(inputs: SweepInputs, draws: dict, chunk_size: int = 2000,
                 progress=None) -> dict[str, np.ndarray]:
    """All draws, chunk by chunk, in this process; ``progress(n_done)`` after each chunk."""
    n = len(draws["profile"])
    out = None
    for sl in chunks(n, chunk_size):
        part = evaluate(inputs, take(draws, sl))
        if out is None:   # outputs are (draw, year) and (draw): only they grow with N
            out = {k: np.empty((n, *v.shape[1:]), dtype=v.dtype) for k, v in part.items()}
        for k, v in part.items():
            out[k][sl] = v
        if progress is not None:
            progress(sl.stop - sl.start)
    return out


class SweepDrawWarning(KlemsWarning):
    """Some draws hit a case where the plain estimate raises: their results are NaN."""


def flagged_draws(results: dict, province: str, values: dict) -> str | None:
    """Message naming the draws where ``compute`` would raise (None when there are none)."""
    bad = np.flatnonzero(results["flags"])
    if not bad.size:
        return None
    i = int(bad[0])
    what = "; ".join(t for f, t in kern.FLAG_TEXT.items() if results["flags"][i] & f)
    params = ", ".join(f"{k}={v[i]}" for k, v in values.items())
    return (f"{province}: {bad.size} draw(s) cannot be estimated and are NaN; first draw {i} "
            f"({params}): {what}")
