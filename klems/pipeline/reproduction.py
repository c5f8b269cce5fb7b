"""Reproducing published totals: every printed figure beside the computed value, calibration.

The white paper's free coefficients — the GFCF/output "ratio coefficient" that turns the ICT
sectors' output into ICT investment (``ict_investment_scale``, a multiplier on the ratios taken
from the input-output tables), the share of TFP attributed to ICT (``theta``) and the breadth of
digital industrialization (``di_scale``, a multiplier on the DI shares) — may be calibrated to
published figures of chosen years (default 2017–2020) by least squares on the relative
deviations of the headline figures (DE, DI, ID, share of GDP, nominal growth); later years are held out and reported separately. The uncalibrated estimate is
always reported beside the calibrated one, with plausibility diagnostics of the calibrated
values (implied ICT share of fixed capital formation against the input-output tables; implied
ICT share of capital compensation).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import ParameterError
from klems.base.provinces import province as _province
from klems.datasets.bundled import (
    WHITE_PAPER_VINTAGE,
    load_dataset,
    load_national_tables,
    published_figures,
)
from klems.pipeline.compute import compute
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions

# published figure name -> (short name used in reports and JSON, result variable, factor)
FIGURES = {
    "digital_economy": ("digital_economy", "digital_economy", 1.0),
    "digital_industrialization": ("digital_industrialization", "digital_industrialization", 1.0),
    "industrial_digitalization": ("industrial_digitalization", "industrial_digitalization", 1.0),
    "digital_economy_share_of_gdp": ("share_of_gdp", "share_of_gdp", 100.0),
    "digital_economy_nominal_growth": ("nominal_growth", "nominal_growth", 100.0),
    "digital_economy_contribution_to_gdp_growth": ("contribution_to_gdp_growth",
                                                   "contribution_to_gdp_growth", 100.0),
    "industrial_digitalization_share_of_de": ("id_share_of_de", "id_share_of_de", 100.0),
    "digital_industrialization_share_of_de": ("di_share_of_de", "di_share_of_de", 100.0),
    "industrial_digitalization_share_of_gdp": ("id_share_of_gdp", None, 100.0),
    "digital_penetration_primary": ("penetration_primary", ("penetration", "primary"), 100.0),
    "digital_penetration_secondary": ("penetration_secondary", ("penetration", "secondary"),
                                      100.0),
    "digital_penetration_tertiary": ("penetration_tertiary", ("penetration", "tertiary"), 100.0),
    "gdp": ("gdp", "gdp", 1.0),
}
COEFFICIENTS = {
    # name: (bounds, start, transform) — scales are fitted on the log scale
    "ict_investment_scale": ((0.05, 50.0), 1.0, "log"),
    "di_scale": ((0.2, 5.0), 1.0, "log"),
    "theta": ((0.0, 1.0), 0.3, "linear"),
}


def published(region: str) -> pd.DataFrame:

    table = published_figures()
    rows = table[(table["region"] == region) & table["figure"].isin(FIGURES)].copy()
    rows["year"] = rows["year"].astype(int)
    return rows


def computed_value(result: xr.Dataset, figure: str, year: int) -> float:
    short, var, factor = FIGURES[figure]
    if int(year) not in result.year.values:
        return float("nan")
    if figure == "industrial_digitalization_share_of_gdp":
        v = result["industrial_digitalization"] / result["gdp"]
    elif isinstance(var, tuple):
        v = result[var[0]].sel(sector=var[1])
    else:
        v = result[var]
    return float(v.sel(year=int(year))) * factor


def compare(result: xr.Dataset, table: pd.DataFrame, calibration_years) -> pd.DataFrame:
    """One row per published figure: published, computed, deviation in percent, held out."""
    first, last = calibration_years
    rows = []
    for r in table.drop_duplicates(["figure", "year", "value"]).itertuples(index=False):
        if r.figure == "gdp":
            continue
        comp = computed_value(result, r.figure, r.year)
        pub = float(r.value)
        dev = 100.0 * (comp / pub - 1.0) if pub else float("nan")
        rows.append({"figure": FIGURES[r.figure][0], "year": int(r.year), "published": pub,
                     "computed": comp, "deviation_pct": dev, "unit": r.unit,
                     "held_out": not (first <= int(r.year) <= last),
                     "source": f"{r.section_page}"})
    return pd.DataFrame(rows).sort_values(["held_out", "figure", "year"]).reset_index(drop=True)


# figures the calibration fits (the others are compared but not fitted: penetration rates and
# contributions depend on the sector detail that the coefficients do not target)
CALIBRATION_FIGURES = ("digital_economy", "digital_industrialization",
                       "industrial_digitalization", "digital_economy_share_of_gdp",
                       "digital_economy_nominal_growth")


def _residuals(result, table, years):
    first, last = years
    res = []
    for r in table.drop_duplicates(["figure", "year", "value"]).itertuples(index=False):
        if r.figure not in CALIBRATION_FIGURES or not (first <= int(r.year) <= last):
            continue
        comp = computed_value(result, r.figure, r.year)
        if np.isfinite(comp) and r.value:
            res.append(comp / float(r.value) - 1.0)
    return np.asarray(res)


def diagnostics(result: xr.Dataset, data: xr.Dataset, scale: float) -> pd.DataFrame:
    """Implied ICT share of GFCF (beside the IO tables') and of capital compensation."""

    nat = load_national_tables()
    io_share = nat["ict_share_of_gfcf_io"].to_series()
    ict = (data["ict_investment"].sum(("industry", "asset")) * scale)
    share_gfcf = (ict / data["gfcf"]).to_series()
    cap = data["capital_compensation"].sum("industry")
    ict_comp = result["ict_compensation"].sum("industry")
    share_cap = (ict_comp / cap.sel(year=ict_comp.year)).to_series()
    rows = []
    for y in result.year.values.astype(int):
        rows.append({"year": int(y),
                     "ict_share_of_gfcf": float(share_gfcf.get(y, np.nan)),
                     "io_table_ict_share_of_gfcf_national": float(io_share.get(y, np.nan)),
                     "ict_share_of_capital_compensation": float(share_cap.get(y, np.nan))})
    return pd.DataFrame(rows)


def reproduce(province: str = "guangxi", *, calibrate=("ict_investment_scale", "theta"),
              calibration_years=(2017, 2020), years=None, data: xr.Dataset | None = None,
              vintage: str | None = None, **options) -> dict:
    """Calibrated and uncalibrated comparisons with every published figure of the region.

    Without ``data`` the bundled dataset of ``vintage`` is used, by default the vintage of the
    published figures (:data:`klems.datasets.bundled.WHITE_PAPER_VINTAGE`, after the 2018 census: the white
    paper's GDP and the CAICT figures to 2023 were computed on it).

    Returns a dict: ``uncalibrated`` and ``calibrated`` comparison tables, ``calibrated``
    coefficient values, ``fit`` (residual norm, evaluations), ``diagnostics`` tables and the two
    result Datasets.
    """
    from scipy.optimize import least_squares


    key = _province(province).key
    table = published(key)
    user_figures = json.loads(data.attrs.get("published_figures", "[]")) if data is not None \
        else []
    if user_figures:        # a user's own published totals (sheet 'published' of the template)
        table = pd.DataFrame(user_figures).assign(region=key, section_page="user input")
    if table.empty:
        raise ParameterError(f"no published figures for {key} in data/published_figures.csv")
    for c in calibrate:
        if c not in COEFFICIENTS:
            raise ParameterError(f"unknown coefficient {c!r}; expected some of "
                                 f"{', '.join(COEFFICIENTS)}")
    if len(calibrate) > 3:
        raise ParameterError("calibrate at most three coefficients")
    if "theta" in calibrate:
        options.setdefault("attribution", "contribution-plus-tfp")
    base_opts = EstimateOptions(**options)
    if data is None:

        data = load_dataset(key, vintage=vintage or WHITE_PAPER_VINTAGE)
    data, inputs, ict_p, nict_p = prepare_inputs(key, base_opts, data)
    uncal = compute(inputs, ict_p, nict_p, base_opts)
    result = {"province": key, "calibration_years": list(calibration_years),
              "uncalibrated": compare(uncal, table, calibration_years),
              "uncalibrated_result": uncal, "options": base_opts.as_dict()}
    if not calibrate:
        result.update(calibrated={}, calibrated_table=result["uncalibrated"],
                      calibrated_result=uncal,
                      diagnostics=diagnostics(uncal, data, base_opts.ict_investment_scale))
        return result

    specs = [COEFFICIENTS[c] for c in calibrate]
    start = []
    for c, (bounds, x0, tr) in zip(calibrate, specs):
        if c == "theta":
            x0 = float(np.clip(uncal.attrs.get("theta", x0), *bounds))
        start.append(np.log(x0) if tr == "log" else x0)
    lower = [np.log(b[0]) if tr == "log" else b[0] for (b, _, tr) in specs]
    upper = [np.log(b[1]) if tr == "log" else b[1] for (b, _, tr) in specs]
    start = np.clip(start, np.add(lower, 1e-9), np.subtract(upper, 1e-9))

    def values(x):
        return {c: float(np.exp(v) if tr == "log" else v)
                for c, v, (_, _, tr) in zip(calibrate, x, specs)}

    def opts_for(x):
        vals = values(x)
        return base_opts.with_changes(**vals)

    cache = {}

    def fun(x):
        key_ = tuple(np.round(x, 12))
        if key_ not in cache:
            cache[key_] = compute(inputs, ict_p, nict_p, opts_for(x))
        return _residuals(cache[key_], table, calibration_years)

    if _residuals(uncal, table, calibration_years).size < len(calibrate):
        raise ParameterError(f"fewer published figures in {calibration_years} than "
                             f"coefficients to calibrate ({', '.join(calibrate)})")
    fit = least_squares(fun, start, bounds=(lower, upper), x_scale=1.0, diff_step=1e-3,
                        max_nfev=60)
    best = compute(inputs, ict_p, nict_p, opts_for(fit.x))
    cal_values = values(fit.x)
    result.update(
        calibrated=cal_values,
        calibrated_table=compare(best, table, calibration_years),
        calibrated_result=best,
        fit={"cost": float(fit.cost), "nfev": int(fit.nfev), "status": int(fit.status),
             "at_bound": [c for c, v, lo, hi in zip(calibrate, fit.x, lower, upper)
                          if np.isclose(v, lo) or np.isclose(v, hi)]},
        diagnostics=diagnostics(best, data, cal_values.get("ict_investment_scale",
                                                           base_opts.ict_investment_scale)),
        diagnostics_uncalibrated=diagnostics(uncal, data, base_opts.ict_investment_scale),
    )
    return result


def to_json(result: dict) -> dict:
    """The machine-readable form (docs/method.md §7.2): ``figures`` list plus ``calibrated``."""
    def clean(v):
        return None if isinstance(v, float) and not np.isfinite(v) else v

    figures = [{"figure": r.figure, "year": int(r.year), "published": clean(float(r.published)),
                "computed": clean(float(r.computed)), "deviation_pct": clean(float(r.deviation_pct)),
                "held_out": bool(r.held_out)}
               for r in result["calibrated_table"].itertuples(index=False)]
    uncal = [{"figure": r.figure, "year": int(r.year), "published": clean(float(r.published)),
              "computed": clean(float(r.computed)), "deviation_pct": clean(float(r.deviation_pct)),
              "held_out": bool(r.held_out)}
             for r in result["uncalibrated"].itertuples(index=False)]
    return {"province": result["province"], "calibration_years": result["calibration_years"],
            "figures": figures, "calibrated": result["calibrated"],
            "uncalibrated_figures": uncal, "fit": result.get("fit", {})}
