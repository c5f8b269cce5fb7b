"""Sensitivity sweeps: how much DE, DI and ID depend on assumptions nobody observes.

A sweep draws parameter sets (a *design*: ``grid``, ``sobol`` or ``lhs``) over ranges such as
``hardware.depreciation=0.25:0.40`` (any ICT asset's ``depreciation``, ``mean_life``, ``beta``,
``sd_ratio``, ``truncation_sd``, ``max_life_ratio``; the globals ``ict_scale``, ``di_scale``,
``theta``, ``nict_depreciation``) and categorical parameters (``profile=caict,geometric``,
``attribution=income-share,contribution-rate``). Every other parameter is fixed by
:class:`klems.pipeline.options.EstimateOptions`, exactly as in ``klems estimate``.

Each draw runs the whole estimate in compiled code (:func:`klems.sweep._kernels.evaluate_draws`,
which calls the estimate's own compiled stages) over chunks of draws, in parallel on every core:
results equal :func:`klems.pipeline.compute.compute` for the same parameters, and memory holds
one chunk's (draw, year) outputs plus one block's (industry, asset, year) work arrays. Draws depend only on the design, the
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

import numba
import numpy as np
import xarray as xr

import capital_stock as cs
from capital_stock.inventory import geometric_decay, presample_backcast
from capital_stock.profiles import ProfileParameters, weight_table
from klems.accounts._kernels import log_changes
from klems.accounts.factor_income import split_value_added
from klems.accounts.user_costs import smoothed_price_change
from klems.base.errors import KlemsWarning, ParameterError, PrintedFormulaWarning
from klems.base.vocabulary import ICT_ASSETS as ICT, NON_ICT as NICT, OUTPUT_BASES, PROFILES, RULES
from klems.pipeline.compute import compute
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import freeze_year
from klems.sweep import _kernels as kern

OUTPUTS = {  # variable -> (units, long_name, long_name_zh)
    "digital_economy": ("1e8 CNY", "digital economy", "数字经济规模"),
    "digital_industrialization": ("1e8 CNY", "digital industrialization", "数字产业化规模"),
    "industrial_digitalization": ("1e8 CNY", "industrial digitalization", "产业数字化规模"),
    "share_of_gdp": ("1", "digital economy share of GDP", "数字经济占GDP比重"),
}
SOBOL_OUTPUTS = ("digital_economy", "industrial_digitalization", "share_of_gdp")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


PROFILE_CODES = {name: code for code, name in enumerate(PROFILES)}
RULE_CODES = {name: code for code, name in enumerate(RULES)}
FLAG_TEXT = kern.FLAG_TEXT


# --------------------------------------------------------------------------- fixed inputs
@dataclass
class SweepInputs:
    """Everything a province's sweep needs that no swept parameter changes."""

    province: str
    years: np.ndarray              # accounts years (the data's years without the first)
    fixed: kern.Fixed = field(repr=False)
    settings: dict = field(repr=False)   # options the draws' stock terms need
    base: dict = field(repr=False)  # the plain estimate with the fixed options: name -> (years)
    theta: float = np.nan   # θ of the draws that do not sweep it (NaN: each draw's own OLS)


def _iy(da) -> np.ndarray:
    return np.ascontiguousarray(da.transpose("industry", "year").values, dtype=np.float64)


def prepare(data: xr.Dataset, ict_prices: xr.DataArray, nict_price: xr.DataArray, opts,
            province: str = "") -> SweepInputs:
    """Run the plain estimate once (validating the data) and keep the arrays no draw changes,
    computed by the same functions :func:`klems.pipeline.compute.compute` uses."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = compute(data, ict_prices, nict_price, opts)
    years = data.year
    prices = ict_prices.sel(asset=list(ICT)).reset_coords(drop=True).reindex(year=years)
    factor = prices / 100.0
    nominal = data["ict_investment"].sel(asset=list(ICT)).transpose("asset", "industry", "year")
    nict_p = nict_price.reset_coords(drop=True).reindex(year=years)
    price = xr.concat([prices, nict_p.expand_dims(asset=[NICT])], dim="asset",
                      coords="minimal", compat="override") / 100.0
    freeze = freeze_year(opts.freeze_through, data.attrs.get("freeze_through"), years)  # issue 16
    gains = smoothed_price_change(price, opts.smooth_gains, freeze_through=freeze)
    lab, comp, _ = split_value_added(data["labour_compensation"] + data["capital_compensation"],
                                     data["labour_compensation"], data["capital_compensation"])
    output_value = data["gross_output"]
    if opts.net_taxes == "exclude":
        output_value = output_value - data["net_production_taxes"]
    else:
        comp = comp + data["net_production_taxes"]
    acc = slice(int(years[1]), None)
    deflator = data["output_deflator"].sel(year=acc) / 100.0
    ov = output_value.sel(year=acc)
    mid = data["intermediate_inputs"].sel(year=acc)
    labour = data["labour_input"].sel(year=acc)
    n_ind = data.sizes["industry"]

    def full(da):   # (asset, year) -> (industry, asset, year)
        arr = np.ascontiguousarray(da.transpose("asset", "year").values, dtype=np.float64)
        return np.ascontiguousarray(np.broadcast_to(arr, (n_ind,) + arr.shape))

    rate_given = not isinstance(opts.rate, str)
    def growth(values):     # log changes by the estimate's own kernel
        vol = np.ascontiguousarray(values, dtype=np.float64)
        out = np.empty_like(vol)
        log_changes(vol.reshape(vol.shape[0], 1, -1), out.reshape(vol.shape[0], 1, -1))
        return out

    nict_stock = _iy(data["nict_stock"])
    fixed = kern.Fixed(
        nominal=np.ascontiguousarray(nominal.values, dtype=np.float64),
        price=np.ascontiguousarray(factor.transpose("asset", "year").values, dtype=np.float64),
        nict_stock=nict_stock,
        nict_lr=growth(nict_stock).reshape(n_ind, 1, -1),
        p=full(price), q=full(price.shift(year=1)), gains=full(gains),
        comp=_iy(comp),
        rate=np.full((n_ind, years.size), float(opts.rate) if rate_given else 0.0),
        rate_given=rate_given,
        out_value=_iy(ov), out_growth=growth(_iy(ov / deflator)),
        labour_value=_iy(lab.sel(year=acc)), labour_growth=growth(_iy(labour)),
        mid_value=_iy(mid), mid_growth=growth(_iy(mid / deflator)),
        value_added=_iy(base["value_added"]),
        di_share=np.ascontiguousarray(data["di_share"].values, dtype=np.float64),
        gdp=np.ascontiguousarray(base["gdp"].values, dtype=np.float64),
        weight_row=np.zeros(n_ind, dtype=np.int64),
        start=1 if opts.presample == "geometric" else 0,
        window=int(opts.window), min_growth=float(opts.min_growth), share_tolerance=1e-6,
        # issue 16: θ's sample, accounts years up to the freeze year
        theta_end=years.size - 1 if freeze is None else freeze - int(years[0]),
        base_index=int(np.flatnonzero(base.year.values == base.attrs["cumulative_base_year"])[0]),
        basis=OUTPUT_BASES.index(opts.cumulative_basis),
        floor=opts.cumulative_negative == "floor",
        theta_sector=np.array([float(opts.sector_theta.get(str(s), np.nan))
                               for s in data["sector"].values], dtype=np.float64),
    )
    settings = {"presample": opts.presample, "base_year": opts.base_year,
                "growth_scope": opts.growth_scope, "growth_method": opts.growth_method,
                "offset": 0.5 if opts.timing == "mid-year" else 0.0,
                # issue 16: the years of g (average investment growth), up to the freeze year
                "growth_years": years.size if freeze is None else freeze - int(years[0]) + 1}
    totals = {k: base[k].values.copy() for k in OUTPUTS}
    totals["theta"] = float(base.attrs["theta"])
    ols = base.attrs["theta_source"] == "estimated (OLS)"
    return SweepInputs(province or str(base.attrs.get("province", "")),
                       base.year.values.astype(int), fixed, settings, totals,
                       np.nan if ols else float(base.attrs["theta"]))


def prepare_province(province: str, opts) -> SweepInputs:
    """:func:`prepare` on the bundled dataset of ``province``."""
    _, inputs, ict_p, nict_p = prepare_inputs(province, opts)
    return prepare(inputs, ict_p, nict_p, opts, province)


# --------------------------------------------------------------------------- evaluation
def draw_arrays(opts, values: dict[str, np.ndarray], n: int | None = None) -> dict:
    """Per-draw parameters: the fixed options overridden by the swept ``values``."""
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
    for key, codes, default in (("profile", PROFILE_CODES, opts.profile),
                                ("rule", RULE_CODES, opts.attribution)):
        src = values.get(key if key == "profile" else "attribution")
        out[key] = (np.full(n, codes[default], dtype=np.int64) if src is None
                    else np.array([codes[str(v)] for v in src], dtype=np.int64))
    # θ from a source (pooled, the province's own) is the province's: set by stock_terms
    theta = np.nan if opts.theta_value is None else opts.theta_value
    for key, default in (("ict_scale", opts.ict_investment_scale), ("di_scale", opts.di_scale),
                         ("theta", theta), ("nict_depreciation", opts.nict_depreciation)):
        out[key] = np.ascontiguousarray(np.broadcast_to(
            np.asarray(values.get(key, default), dtype=np.float64), (n,)))
    if np.any(out["profile"] == PROFILE_CODES["caict-printed"]):
        warnings.warn("profile 'caict-printed': the white paper's formula as printed multiplies "
                      "efficiency by the cumulative retired share, so weights grow with age; "
                      "use it only to compare, never to publish", PrintedFormulaWarning,
                      stacklevel=2)
    return out


class DrawSource:
    """The draws of a design, made chunk by chunk: ``source[slice]`` is :func:`draw_arrays` of
    those draws only (a sweep of 100,000 draws never holds all their kernel parameters)."""

    def __init__(self, opts, values: dict[str, np.ndarray], n: int):
        self.opts, self.values, self.n = opts, values, int(n)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, sl: slice) -> dict:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PrintedFormulaWarning)   # warned once, up front
            return draw_arrays(self.opts, {k: v[sl] for k, v in self.values.items()},
                               sl.stop - sl.start)


def take(arrays: dict, index) -> dict:
    """The draws ``index`` (slice or integer array) of :func:`draw_arrays` output."""
    return {k: np.ascontiguousarray(v[index]) for k, v in arrays.items()}


def _growth(fx: kern.Fixed, a: int, scales: np.ndarray, settings: dict) -> np.ndarray:
    """Average growth of real investment of asset ``a`` for each draw's ICT scale, (D, I), by
    :func:`capital_stock.average_growth` on the same series the estimate passes it."""
    n_ind = fx.nominal.shape[1]
    uniq, inverse = np.unique(scales, return_inverse=True)
    rows = np.empty((uniq.size, n_ind))
    for u, scale in enumerate(uniq):
        real = (fx.nominal[a] * scale / fx.price[a])[:, :settings["growth_years"]]  # issue 16
        with np.errstate(all="ignore"):
            if settings["growth_scope"] == "aggregate":
                rows[u] = cs.average_growth(real.sum(axis=0), settings["growth_method"])
            else:
                rows[u] = cs.average_growth(real, settings["growth_method"])
    return rows[inverse]


def stock_terms(inputs: SweepInputs, draws: dict) -> kern.Draws:
    """The draws' weights, base-year stocks and pre-sample decay by ``capital_stock``'s own
    functions (:func:`capital_stock.profiles.weight_table`, the base-year formula,
    :func:`capital_stock.inventory.geometric_decay`, :func:`~capital_stock.inventory.presample_backcast`)
    — exactly what :func:`capital_stock.perpetual_inventory` computes for one parameter set."""
    fx, st = inputs.fixed, inputs.settings
    n_draws = len(draws["profile"])
    n_ind, n = fx.nict_stock.shape
    nd = (np.floor(draws["max_ratio"] * draws["mu"] + 1e-12).astype(np.int64) + 1)
    geo = draws["profile"] == PROFILE_CODES["geometric"]
    n_long = np.where(geo[:, None], n + 1, np.maximum(nd, n) + nd + 1)
    lengths = np.where(geo[:, None], n, np.minimum(nd, n)).astype(np.int64)
    backcast = st["presample"] == "backcast"
    # the back-cast needs the weights beyond the service life; otherwise the ones used suffice
    width = int(n_long.max()) if backcast else int(lengths.max())
    weights = np.zeros((n_draws, 3, width))
    flags = np.zeros(n_draws, dtype=np.int64)
    rows = n_ind if (backcast and st["growth_scope"] == "industry") else 1
    base = np.zeros((n_draws, 3, n_ind))
    decay = np.zeros((n_draws, 3, rows, n))
    decay_row = np.zeros((n_draws, 3, n_ind), dtype=np.int64)
    for a, asset in enumerate(ICT):
        for code in np.unique(draws["profile"]):
            sel = np.flatnonzero(draws["profile"] == code)
            params = ProfileParameters.from_arrays(
                mean_life=draws["mu"][sel, a], depreciation=draws["delta"][sel, a],
                beta=draws["beta"][sel, a], sd_ratio=draws["sd_ratio"][sel, a],
                truncation_sd=draws["trunc_sd"][sel, a],
                max_life_ratio=draws["max_ratio"][sel, a])
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", PrintedFormulaWarning)
                weights[sel, a] = weight_table(PROFILES[code], params, width, st["offset"],
                                               asset)
        if st["presample"] == "none":
            continue
        growth = _growth(fx, a, draws["ict_scale"], st)
        delta = draws["delta"][:, a]
        if st["presample"] == "geometric":
            col = 1 if st["base_year"] == "printed" else 0
            level = fx.nominal[a][:, col][None, :] * draws["ict_scale"][:, None] \
                / fx.price[a, col]
            denom = growth + delta[:, None]
            flags[np.any(~(denom > 0), axis=1)] |= kern.FLAG_BASE
            with np.errstate(all="ignore"):
                base[:, a] = level / denom
            decay[:, a, 0] = geometric_decay(delta[:, None], n)  # the same values row by row
        else:
            for d in range(n_draws):
                inv0 = fx.nominal[a][:, 0] * draws["ict_scale"][d] / fx.price[a, 0]
                g = growth[d] if rows > 1 else growth[d, :1]
                with np.errstate(all="ignore"):
                    b, dec, row = presample_backcast(
                        inv0, g, profile=PROFILES[draws["profile"][d]], depreciation=delta[d],
                        n_ages=int(nd[d, a]), n=n, weights_long=weights[d, a, :n_long[d, a]],
                        name=asset, raise_errors=False)
                if not np.all(np.isfinite(dec)):
                    flags[d] |= kern.FLAG_BASE
                base[d, a] = b
                decay[d, a, :dec.shape[0]] = dec
                decay_row[d, a] = row if rows > 1 else 0
    depreciation = np.concatenate([draws["delta"], draws["nict_depreciation"][:, None]], axis=1)
    return kern.Draws(rule=np.ascontiguousarray(draws["rule"]), weights=weights,
                      lengths=lengths, base=base, decay=decay, decay_row=decay_row,
                      depreciation=np.ascontiguousarray(depreciation),
                      ict_scale=np.ascontiguousarray(draws["ict_scale"]),
                      di_scale=np.ascontiguousarray(draws["di_scale"]),
                      theta=np.ascontiguousarray(np.where(np.isnan(draws["theta"]),
                                                          inputs.theta, draws["theta"])),
                      flags=flags)


def evaluate(inputs: SweepInputs, draws: dict) -> dict[str, np.ndarray]:
    """Run the compiled estimate on one chunk of draws; returns (draw, year) and (draw) arrays."""
    d = len(draws["profile"])
    m = len(inputs.years)
    out = {k: np.empty((d, m)) for k in OUTPUTS}
    out["theta"] = np.empty(d)
    out["flags"] = np.zeros(d, dtype=np.int64)
    out["clipped_user_costs"] = np.zeros(d, dtype=np.int64)
    if d == 0:
        return out
    kern.evaluate_draws(inputs.fixed, stock_terms(inputs, draws), 4 * numba.get_num_threads(),
                        out["digital_economy"], out["digital_industrialization"],
                        out["industrial_digitalization"], out["share_of_gdp"], out["theta"],
                        out["flags"], out["clipped_user_costs"])
    return out


def chunks(n: int, size: int) -> list[slice]:
    if size < 1:
        raise ParameterError(f"chunk size must be >= 1, got {size}")
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def evaluate_all(inputs: SweepInputs, draws, chunk_size: int = 2000,
                 progress=None, sink=None) -> dict[str, np.ndarray] | None:
    """All draws, chunk by chunk, in this process; ``progress(n_done)`` after each chunk.

    ``draws``: the output of :func:`draw_arrays`, or a :class:`DrawSource` that makes each
    chunk's parameters when asked. With ``sink(slice, part)`` each chunk's results are handed
    over as they finish and nothing is kept (memory does not grow with the number of draws);
    otherwise they are returned.
    """
    n = len(draws) if isinstance(draws, DrawSource) else len(draws["profile"])
    out = None
    for sl in chunks(n, chunk_size):
        part = evaluate(inputs, draws[sl] if isinstance(draws, DrawSource) else take(draws, sl))
        if sink is not None:
            sink(sl, part)
        else:
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
