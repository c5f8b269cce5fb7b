"""The estimate as one tidy long table: a row per value, for R, pandas, Stata and databases.

Columns (all names lower-case letters and underscores, so that R's ``read.csv`` keeps them):

==========  ==================================================================================
province    pinyin key (``guangxi``)
year        integer
industry    input-output industry code with the prefix ``IO`` (``IO078``): text in every reader
            (R's ``read.csv`` and pandas would turn a bare ``078`` into the number 78); ``NA``
            for province totals and sector rows. ``sub("^IO", "", industry)`` gives the code.
sector      ``primary`` / ``secondary`` / ``tertiary`` for sector and industry rows, else ``NA``
variable    snake_case name (``digital_economy``, ``id_industry``, ``tfp``, ...)
rule        attribution rule with underscores (``income_share``, ``contribution_rate``,
            ``contribution_plus_tfp``) for values that depend on it, else ``NA``
value       the number (``NA`` where it does not exist, e.g. growth in the first year)
unit        ``1e8 CNY`` (亿元, current prices), ``1`` (a share), ``log change``
status      ``published``, ``derived`` or ``modelled`` (per year for the inputs), ``NA`` with an
            ``NA`` value
==========  ==================================================================================

Missing values are written ``NA``, which both R (``na.strings`` default) and pandas
(``keep_default_na``) read as missing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import xarray as xr

COLUMNS = ["province", "year", "industry", "sector", "variable", "rule", "value", "unit",
           "status"]
NA = "NA"
INDUSTRY_PREFIX = "IO"

# totals that depend on the rule: (variable, variable of the result holding every rule)
BY_RULE = (("digital_economy", "digital_economy_by_rule"),
           ("industrial_digitalization", "industrial_digitalization_by_rule"),
           ("share_of_gdp", "share_of_gdp_by_rule"),
           ("nominal_growth", "nominal_growth_by_rule"),
           ("contribution_to_gdp_growth", "contribution_to_gdp_growth_by_rule"))
RULE_FREE = ("digital_industrialization", "gdp")
INDUSTRY_VARS = ("value_added", "di_industry", "ict_compensation", "output_growth",
                 "contribution_ict", "contribution_nict", "contribution_labour",
                 "contribution_intermediates", "tfp")


def rule_name(rule: str) -> str:
    """``income-share`` -> ``income_share`` (no hyphens in exchanged names and values)."""
    return str(rule).replace("-", "_")


def industry_label(code) -> str:
    return f"{INDUSTRY_PREFIX}{code}"


def status_by_year(text, years) -> list[str]:
    """``"modelled 2000-2014; published 2015-2024"`` -> the status of each year in ``years``.

    A status without years (``"modelled"``) holds for every year."""
    text = str(text or "")
    out = {}
    plain = None
    for part in filter(None, (p.strip() for p in text.split(";"))):
        m = re.match(r"([A-Za-z ]+?)\s+([\d,\- ]+)$", part)
        if not m:
            plain = part
            continue
        word = m.group(1).strip()
        for span in m.group(2).split(","):
            span = span.strip()
            if not span:
                continue
            a, _, b = span.partition("-")
            for y in range(int(a), int(b or a) + 1):
                out[y] = word
    return [out.get(int(y), plain or (NA if not out else "modelled")) for y in years]


def _rows(province, years, values, *, variable, unit, status, rule=NA, industry=NA,
          sector=NA):
    values = np.asarray(values, dtype=float)
    st = status if isinstance(status, list) else [status] * len(years)
    return pd.DataFrame({
        "province": province, "year": np.asarray(years, dtype=int), "industry": industry,
        "sector": sector, "variable": variable, "rule": rule, "value": values, "unit": unit,
        "status": [NA if not np.isfinite(v) else s for v, s in zip(values, st)]})


def long_frame(result: xr.Dataset) -> pd.DataFrame:
    """Every total, sector and industry value of an estimate, one row each (see module doc)."""
    key = str(result.attrs.get("province", ""))
    years = result.year.values.astype(int)
    parts = []

    def unit_of(name):
        return str(result[name].attrs.get("units", "1"))

    def status_of(name):
        return status_by_year(result[name].attrs.get("status", "modelled"), years)

    for name in RULE_FREE:
        parts.append(_rows(key, years, result[name].values, variable=name,
                           unit=unit_of(name), status=status_of(name)))
    for name, source in BY_RULE:
        for rule in result.rule.values:
            parts.append(_rows(key, years, result[source].sel(rule=rule).values,
                               variable=name, rule=rule_name(rule), unit=unit_of(name),
                               status=status_of(name)))
    for rule in result.rule.values:
        de = result["digital_economy_by_rule"].sel(rule=rule).values
        di = result["digital_industrialization"].values
        id_ = result["industrial_digitalization_by_rule"].sel(rule=rule).values
        with np.errstate(divide="ignore", invalid="ignore"):
            for name, v in (("di_share_of_de", di / de), ("id_share_of_de", id_ / de)):
                parts.append(_rows(key, years, v, variable=name, rule=rule_name(rule),
                                   unit="1", status="modelled"))
    chosen = result.attrs.get("attribution", "income-share")
    for s in result.sector.values:
        for rule in result.rule.values:
            parts.append(_rows(key, years, result["penetration_by_rule"].sel(
                rule=rule, sector=s).transpose("year").values, variable="penetration",
                rule=rule_name(rule), sector=str(s), unit="1", status="modelled"))
        parts.append(_rows(key, years, result["id_by_sector"].sel(sector=s).values,
                           variable="id_by_sector", rule=rule_name(chosen), sector=str(s),
                           unit=unit_of("id_by_sector"), status="modelled"))
    sectors = result["industry_sector"].values if "industry_sector" in result.coords \
        else [NA] * result.sizes["industry"]
    for code, sector in zip(result.industry.values, sectors):
        label = industry_label(code)
        for name in INDUSTRY_VARS:
            if name not in result:
                continue
            da = result[name].sel(industry=code).reindex(year=years)
            parts.append(_rows(key, years, da.values, variable=name, industry=label,
                               sector=str(sector), unit=unit_of(name), status=status_of(name)))
        for rule in result.rule.values:
            parts.append(_rows(key, years, result["id_industry"].sel(
                industry=code, rule=rule).transpose("year").values, variable="id_industry",
                industry=label, sector=str(sector), rule=rule_name(rule),
                unit=unit_of("id_industry"), status="modelled"))
    frame = pd.concat(parts, ignore_index=True)[COLUMNS]
    return frame


def write_long_csv(frame: pd.DataFrame, path) -> None:
    """Plain UTF-8 without a byte-order mark (R's ``read.csv`` would read a BOM into the first
    column's name), ``NA`` for missing values, numbers with 17 significant digits (exact)."""
    frame.to_csv(path, index=False, encoding="utf-8", na_rep=NA, float_format="%.17g")
