"""Stata files (``.dta``, format 118: Unicode) of an estimate, with bilingual variable labels.

Two files: the yearly summary (one row per year, short names) and the tidy long table of
:mod:`klems.outputs.long_table`. Stata names are at most 32 characters of letters, digits and
underscores and do not start with a digit; each variable carries a label in Chinese and English
with its unit (Stata allows 80 characters), and the data set a label naming the province.
Written by ``pandas.DataFrame.to_stata``; checked on the way out so that a name that Stata would
reject is an error here, not in Stata.
"""

from __future__ import annotations

import re

import pandas as pd
import xarray as xr

from klems.base.errors import ParameterError
from klems.outputs.long_table import long_frame
from klems.outputs.tables import LABELS, RULE_LABELS, SUMMARY_KEYS

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")
LABEL_CHARS = 80

#: summary variable -> Stata name
SHORT = {
    "year": "year",
    "digital_economy": "de",
    "digital_industrialization": "di",
    "industrial_digitalization": "id",
    "gdp": "gdp",
    "share_of_gdp": "de_share_gdp",
    "nominal_growth": "de_growth",
    "contribution_to_gdp_growth": "de_contrib_gdp_growth",
    "di_share_of_de": "di_share_de",
    "id_share_of_de": "id_share_de",
}
#: attribution rule -> suffix of the per-rule variables
RULE_SUFFIX = {"income-share": "inc", "contribution-rate": "crate",
               "contribution-plus-tfp": "ctfp"}
PER_RULE = ("digital_economy", "industrial_digitalization", "share_of_gdp")

LONG_LABELS = {
    "province": ("省份", "province (pinyin key)", ""),
    "year": ("年份", "year", ""),
    "industry": ("行业代码", "input-output industry code, prefix IO", ""),
    "sector": ("三次产业", "sector", ""),
    "variable": ("变量", "variable", ""),
    "rule": ("归属方法", "attribution rule", ""),
    "value": ("数值", "value", "see unit"),
    "unit": ("单位", "unit", ""),
    "status": ("数据状态", "status: published, derived or modelled", ""),
}


def label_text(zh: str, en: str, unit: str = "") -> str:
    """``数字经济规模 | Digital economy (DE) [1e8 CNY]``, cut to Stata's 80 characters."""
    text = f"{zh} | {en}" + (f" [{unit}]" if unit else "")
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def summary_stata(result: xr.Dataset) -> tuple[pd.DataFrame, dict]:
    """The yearly summary with Stata names and bilingual labels."""
    frame = pd.DataFrame({"year": result.year.values.astype(int)})
    labels = {"year": label_text("年份", "year")}
    for key in SUMMARY_KEYS:
        en, zh, unit = LABELS[key]
        frame[SHORT[key]] = result[key].values.astype(float)
        labels[SHORT[key]] = label_text(zh, en, unit)
    for rule, suffix in RULE_SUFFIX.items():
        en_r, zh_r = RULE_LABELS[rule]
        for key in PER_RULE:
            en, zh, unit = LABELS[key]
            name = f"{SHORT[key]}_{suffix}"
            frame[name] = result[f"{key}_by_rule"].sel(rule=rule).values.astype(float)
            labels[name] = label_text(f"{zh}（{zh_r}）", f"{en}, {en_r}", unit)
    return frame, labels


def long_stata(result: xr.Dataset) -> tuple[pd.DataFrame, dict]:
    """The tidy long table (names are already Stata names) with bilingual labels."""
    frame = long_frame(result)
    labels = {c: label_text(*LONG_LABELS[c]) for c in frame.columns}
    return frame, labels


def check_names(frame: pd.DataFrame) -> None:
    bad = [c for c in frame.columns if not NAME.match(str(c))]
    if bad:
        raise ParameterError(f"Stata names must be letters, digits and underscores, at most 32 "
                             f"characters, not starting with a digit: {bad}")


def write_dta(frame: pd.DataFrame, labels: dict, path, data_label: str = "") -> None:
    """Write a ``.dta`` (format 118) with variable labels; text columns as Stata strings,
    missing numbers as Stata's missing value ``.``."""
    check_names(frame)
    frame = frame.copy()
    for c in frame.columns:
        if frame[c].dtype == object or str(frame[c].dtype) in ("string", "str"):
            frame[c] = frame[c].astype(object).where(frame[c].notna(), "")
    frame.to_stata(path, write_index=False, version=118, variable_labels=labels,
                   data_label=data_label[:LABEL_CHARS])
