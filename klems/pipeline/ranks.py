"""Ranks of provinces by digital-economy scale, nominal growth and share of GDP."""

from __future__ import annotations

import pandas as pd

from klems.base.provinces import province

# Guangxi Digital Economy White Paper 2022, chapter 1: Guangxi's 2021 ranks among the 31
# provinces (scale 18th, nominal growth 9th, share of GDP 15th).
PUBLISHED_GUANGXI_RANKS_2021 = {"digital_economy": 18, "nominal_growth": 9, "share_of_gdp": 15}


def rank_table(results: dict, year: int | None = None) -> pd.DataFrame:
    """One row per province: DE, growth, share in ``year`` (default: last) and their ranks."""
    rows = {}
    for key, res in results.items():
        y = int(res.year.values[-1]) if year is None else year
        p = province(key)
        rows[key] = {
            "name_zh": p.short_zh, "name_en": p.en,
            "digital_economy": float(res.digital_economy.sel(year=y)),
            "nominal_growth": float(res.nominal_growth.sel(year=y)),
            "share_of_gdp": float(res.share_of_gdp.sel(year=y)),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    for col in ("digital_economy", "nominal_growth", "share_of_gdp"):
        table[f"rank_{col}"] = table[col].rank(ascending=False, method="min").astype(int)
    table.index.name = "province"
    return table
