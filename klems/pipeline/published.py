"""The published figures of a region beside the computed ones (white paper, CAICT).

Names: the long names of ``data/published_figures.csv`` map to short names used in reports and
JSON (:data:`FIGURES`). Deviations of levels are in per cent of the published figure, of rates
and shares in percentage points (:func:`klems.pipeline.calibration.deviation`).
"""

from __future__ import annotations

import pandas as pd
import xarray as xr

from klems.datasets.bundled import published_figures
from klems.pipeline.calibration import TOLERANCES, deviation, unit_of

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


def published(region: str) -> pd.DataFrame:
    """The region's published figures (long names, as in data/published_figures.csv)."""
    table = published_figures()
    rows = table[(table["region"] == region) & table["figure"].isin(FIGURES)].copy()
    rows["year"] = rows["year"].astype(int)
    return rows


def figure_table(table: pd.DataFrame) -> pd.DataFrame:
    """Published figures under their short names: figure, year, published, unit, source."""
    rows = table.drop_duplicates(["figure", "year", "value"])
    rows = rows[rows["figure"] != "gdp"]
    return pd.DataFrame({"figure": [FIGURES[f][0] for f in rows["figure"]],
                         "year": rows["year"].astype(int).to_numpy(),
                         "published": rows["value"].astype(float).to_numpy(),
                         "unit": rows["unit"].to_numpy(),
                         "source": rows["section_page"].astype(str).to_numpy()})


def computed_value(result: xr.Dataset, figure: str, year: int) -> float:
    """The computed figure ``figure`` (long or short name) of ``year``, in published units."""
    long = {v[0]: k for k, v in FIGURES.items()}.get(figure, figure)
    _, var, factor = FIGURES[long]
    if int(year) not in result.year.values:
        return float("nan")
    if long == "industrial_digitalization_share_of_gdp":
        v = result["industrial_digitalization"] / result["gdp"]
    elif isinstance(var, tuple):
        v = result[var[0]].sel(sector=var[1])
    else:
        v = result[var]
    return float(v.sel(year=int(year))) * factor


def compare(result: xr.Dataset, selected: pd.DataFrame) -> pd.DataFrame:
    """Every figure of ``selected`` (:func:`klems.pipeline.calibration.select_targets`) beside
    its computed value: deviation (per cent for levels, pp otherwise), the relative deviation
    in per cent, whether it is within its tolerance, fitted or held out."""
    out = selected.copy()
    out["computed"] = [computed_value(result, f, y) for f, y in zip(out.figure, out.year)]
    out["deviation"] = [deviation(f, p, c) for f, p, c in
                        zip(out.figure, out.published, out.computed)]
    out["deviation_unit"] = [unit_of(f) for f in out.figure]
    out["deviation_pct"] = [100.0 * (c / p - 1.0) if p else float("nan")
                            for p, c in zip(out.published, out.computed)]
    out["within_tolerance"] = out["deviation"].abs() <= out["tolerance"]
    out["held_out"] = ~out["target"]
    return out.sort_values(["held_out", "figure", "year"]).reset_index(drop=True)




#: the headline figures an estimate compares with the published ones
HEADLINE = ("digital_economy", "industrial_digitalization", "digital_industrialization",
            "share_of_gdp", "nominal_growth")


def published_distance(result: xr.Dataset, region: str) -> pd.DataFrame:
    """The estimate's headline figures (chosen rule) beside the region's published ones, in the
    estimate's years: figure, year, published, computed, deviation (% or pp), source."""
    table = figure_table(published(region))
    table = table[table.figure.isin(HEADLINE)
                  & table.year.isin([int(y) for y in result.year.values])]
    if table.empty:
        return table.assign(computed=[], deviation=[], deviation_unit=[])
    table = table.assign(tolerance=[TOLERANCES[f] for f in table.figure], weight=0.0,
                         target=False, note="")
    out = compare(result, table)
    return out[["figure", "year", "published", "computed", "deviation", "deviation_unit",
                "source"]]
