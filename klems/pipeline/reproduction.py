"""Reproducing published totals: every printed figure beside the computed value, calibration.

``reproduce(province)`` compares every published figure of the region (Guangxi white paper 2022;
CAICT's national figures) with the estimate, uncalibrated and calibrated on published levels and
growth rates (:mod:`klems.pipeline.calibration`: targets, weights, plausible ranges, at most
three coefficients). Deviations of levels are in per cent, of growth rates and shares in
percentage points. Figures that are not fitted are compared and marked ``held_out``. For a
region with published ranks the 31 provinces are run with the same coefficients and the
region's ranks are set beside the published ones. The reproduction uses the white paper's data
vintage (``2018-census``) unless told otherwise.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import ParameterError
from klems.base.provinces import province as _province
from klems.datasets.bundled import WHITE_PAPER_VINTAGE, load_dataset, load_national_tables
from klems.pipeline.calibration import (
    DEFAULT_COEFFICIENTS,
    check_coefficients,
    coefficient_table,
    fit,
    option_changes,
    residuals,
    select_targets,
)
from klems.pipeline.compute import compute
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions, check_years_available, parse_years
from klems.pipeline.published import compare, figure_table, published
from klems.pipeline.ranks import province_totals, published_ranks, rank_comparison


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


def reproduce(province: str = "guangxi", *, calibrate=None, calibration_years=None,
              data: xr.Dataset | None = None, vintage: str | None = None, ranks: bool = False,
              years=None, **options) -> dict:
    """Calibrated and uncalibrated comparisons with every published figure of the region.

    ``calibrate``: names of at most three coefficients (default: those of the rule,
    :data:`klems.pipeline.calibration.DEFAULT_COEFFICIENTS`; ``()`` for none);
    ``calibration_years``: (first, last) years of the fitted figures (default: every year).
    Without ``data`` the bundled dataset of ``vintage`` is used, by default the vintage of the
    published figures (:data:`klems.datasets.bundled.WHITE_PAPER_VINTAGE`). ``ranks``: run the
    31 provinces with the uncalibrated and the calibrated options and compare the region's
    ranks with the published ones (where the region has some). ``years`` (``"2017-2021"``):
    the years of the series that :func:`to_json` and the CLI report.

    Returns a dict: ``uncalibrated`` and ``calibrated_table`` (comparison tables),
    ``calibrated`` (name -> value), ``coefficients`` (values, ranges, inside or not), ``fit``,
    ``targets_met``, ``ranks``, ``diagnostics`` and the two result Datasets.
    """
    key = _province(province).key
    table = published(key)
    user_figures = json.loads(data.attrs.get("published_figures", "[]")) if data is not None \
        else []
    if user_figures:        # a user's own published totals (sheet 'published' of the template)
        table = pd.DataFrame(user_figures).assign(region=key, section_page="user input")
    if table.empty:
        raise ParameterError(f"no published figures for {key} in data/published_figures.csv")
    base_opts = EstimateOptions(**options)
    calibrate = check_coefficients(DEFAULT_COEFFICIENTS[base_opts.attribution]
                                   if calibrate is None else calibrate)
    if "theta" in calibrate and base_opts.theta_value is not None:
        raise ParameterError(f"θ is given ({base_opts.theta}) while the calibration fits it "
                             f"(coefficients {', '.join(calibrate)}); choose one: drop --theta "
                             "or name other coefficients with --calibrate")
    if data is None:
        vintage = vintage or WHITE_PAPER_VINTAGE
        data = load_dataset(key, vintage=vintage)
    vintage = data.attrs.get("vintage", vintage)
    data, inputs, ict_p, nict_p = prepare_inputs(key, base_opts, data)
    uncal = compute(inputs, ict_p, nict_p, base_opts)
    if years is not None:
        check_years_available(parse_years(years), uncal.year.values, province=key,
                              what="the estimate's years")
    if calibration_years is not None:
        check_years_available(calibration_years, uncal.year.values, province=key,  # issue 16
                              what="the estimate's years (--calibration-years)")
    selected = select_targets(figure_table(table), key, calibrate, calibration_years)
    uncal_table = compare(uncal, selected)
    result = {"province": key, "vintage": vintage, "years": parse_years(years),
              "calibration_years": list(calibration_years) if calibration_years else None,
              "uncalibrated": uncal_table, "uncalibrated_result": uncal,
              "options": base_opts.as_dict()}
    best, values = uncal, {}
    if calibrate:
        if int(selected.target.sum()) < len(calibrate):
            raise ParameterError(f"fewer published figures to fit ({int(selected.target.sum())})"
                                 f" than coefficients to calibrate ({', '.join(calibrate)})")

        def with_values(vals):
            return base_opts.with_changes(**option_changes(vals, base_opts.sector_theta))

        def evaluate(vals):
            return residuals(compare(compute(inputs, ict_p, nict_p, with_values(vals)),
                                     selected))

        fitted = fit(evaluate, calibrate)
        values = fitted.pop("values")
        best = compute(inputs, ict_p, nict_p, with_values(values))
        result["fit"] = fitted
        result["diagnostics_uncalibrated"] = diagnostics(uncal, data,
                                                         base_opts.ict_investment_scale)
    cal_table = compare(best, selected)
    targets = cal_table[cal_table.target]
    result.update(
        calibrated=values, calibrated_table=cal_table, calibrated_result=best,
        coefficients=coefficient_table(values),
        targets_met=bool(len(targets) and targets.within_tolerance.all()),
        summary=summary(cal_table), summary_uncalibrated=summary(uncal_table),
        diagnostics=diagnostics(best, data, values.get("ict_investment_scale",
                                                       base_opts.ict_investment_scale)))
    if ranks and not (pub := published_ranks(key)).empty:
        sets = {"uncalibrated": base_opts}
        if values:
            sets["calibrated"] = with_values(values)
        result["ranks"] = rank_comparison(province_totals(sets, vintage), key, pub)
    return result


def series(result: xr.Dataset, years=None) -> pd.DataFrame:
    """Year by year: DE, share of GDP (%), nominal growth (%), DI, ID, sector penetration (%)."""
    res = result if years is None else result.sel(year=slice(years[0], years[1]))
    frame = pd.DataFrame({
        "year": res.year.values.astype(int), "digital_economy": res["digital_economy"].values,
        "share_of_gdp": 100 * res["share_of_gdp"].values,
        "nominal_growth": 100 * res["nominal_growth"].values,
        "digital_industrialization": res["digital_industrialization"].values,
        "industrial_digitalization": res["industrial_digitalization"].values})
    for sec in res["penetration"].sector.values:
        frame[f"penetration_{sec}"] = 100 * res["penetration"].sel(sector=sec).values
    return frame


def summary(table: pd.DataFrame) -> dict:
    """Aggregate distances: RMSE of the fitted growth rates (pp), largest level deviation of a
    fitted figure (%), largest deviation of any published share of GDP (pp), of any sector
    penetration rate (pp)."""
    fitted = table[table.target]
    growth = fitted[fitted.figure == "nominal_growth"]["deviation"]
    levels = fitted[fitted.deviation_unit == "%"]["deviation"]
    shares = table[table.figure == "share_of_gdp"]["deviation"]
    pen = table[table.figure.str.startswith("penetration_")]["deviation"]

    def top(x):
        return float(x.abs().max()) if len(x) else float("nan")

    return {"growth_rmse_pp": float(np.sqrt(np.mean(growth ** 2))) if len(growth) else
            float("nan"),
            "growth_years": [int(y) for y in fitted[fitted.figure == "nominal_growth"].year],
            "max_level_deviation_pct": top(levels), "max_share_deviation_pp": top(shares),
            "max_penetration_deviation_pp": top(pen)}


def _figure_rows(table: pd.DataFrame) -> list[dict]:
    def clean(v):
        return None if isinstance(v, float) and not np.isfinite(v) else v

    return [{"figure": r.figure, "year": int(r.year), "published": clean(float(r.published)),
             "computed": clean(float(r.computed)),
             "deviation_pct": clean(float(r.deviation_pct)),
             "held_out": bool(r.held_out),
             "deviation": clean(float(r.deviation)), "deviation_unit": r.deviation_unit,
             "tolerance": float(r.tolerance), "weight": float(r.weight),
             "target": bool(r.target), "within_tolerance": bool(r.within_tolerance),
             "note": r.note, "source": r.source}
            for r in table.itertuples(index=False)]


def to_json(result: dict) -> dict:
    """The machine-readable form fixed in DESIGN.md: ``figures`` (each with figure, year,
    published, computed, deviation_pct, held_out, and the deviation in its unit, tolerance,
    weight, target) plus ``calibrated`` (name -> value), the coefficients' ranges, the fit and
    the ranks."""
    out = {"province": result["province"], "vintage": result.get("vintage"),
           "calibration_years": result["calibration_years"],
           "attribution": result["options"]["attribution"],
           "figures": _figure_rows(result["calibrated_table"]),
           "calibrated": result["calibrated"],
           "coefficients": result["coefficients"].to_dict("records"),
           "targets_met": result["targets_met"],
           "summary": {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                       for k, v in result["summary"].items()},
           "uncalibrated_figures": _figure_rows(result["uncalibrated"]),
           "fit": result.get("fit", {})}
    if "ranks" in result:
        out["ranks"] = result["ranks"].to_dict("records")
    if result.get("years"):
        out["series"] = series(result["calibrated_result"], result["years"]).to_dict("records")
        out["series_uncalibrated"] = series(result["uncalibrated_result"],
                                            result["years"]).to_dict("records")
    return out
