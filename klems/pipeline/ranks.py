"""Ranks of provinces by digital-economy scale, nominal growth and share of GDP, and the ranks
of a region in the 31-province run beside its published ranks."""

from __future__ import annotations

import warnings

import pandas as pd

from klems.base.provinces import province, province_keys
from klems.datasets.bundled import load_dataset, published_figures
from klems.pipeline.compute import compute
from klems.pipeline.estimation import prepare_inputs

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


#: published rank figures (data/published_figures.csv) -> the ranked total
RANKED = {"digital_economy_rank": "digital_economy",
          "digital_economy_share_of_gdp_rank": "share_of_gdp",
          "digital_economy_growth_rank": "nominal_growth"}


def published_ranks(region: str) -> pd.DataFrame:
    """The region's published ranks among the 31 provinces: figure (the ranked total), year,
    rank, source."""
    table = published_figures()
    rows = table[(table["region"] == region) & table["figure"].isin(RANKED)]
    return pd.DataFrame({"figure": rows["figure"].map(RANKED).to_numpy(),
                         "year": rows["year"].astype(int).to_numpy(),
                         "published_rank": rows["value"].astype(int).to_numpy(),
                         "source": rows["section_page"].to_numpy()})


def province_totals(option_sets: dict, vintage: str | None = None) -> pd.DataFrame:
    """DE, share of GDP and nominal growth of the 31 provinces under each labelled set of
    :class:`~klems.pipeline.options.EstimateOptions` (each province's data loaded once)."""
    frames = []
    for key in province_keys():
        data = load_dataset(key, vintage=vintage)
        first = next(iter(option_sets.values()))
        data, inputs, ict_p, nict_p = prepare_inputs(key, first, data)
        for label, opts in option_sets.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = compute(inputs, ict_p, nict_p, opts)
            frames.append(pd.DataFrame({
                "options": label, "province": key, "year": res.year.values.astype(int),
                "digital_economy": res["digital_economy"].values,
                "share_of_gdp": res["share_of_gdp"].values,
                "nominal_growth": res["nominal_growth"].values}))
    return pd.concat(frames, ignore_index=True)


def rank_comparison(totals: pd.DataFrame, region: str, published: pd.DataFrame) -> pd.DataFrame:
    """The region's rank among the 31 provinces under each option set beside the published
    rank (1 = largest)."""
    rows = []
    for label, frame in totals.groupby("options", sort=False):
        for r in published.itertuples(index=False):
            year = frame[frame.year == r.year]
            if year.empty or region not in set(year.province):
                continue
            ranks = year.set_index("province")[r.figure].rank(ascending=False, method="min")
            rows.append({"options": label, "figure": r.figure, "year": int(r.year),
                         "published_rank": int(r.published_rank),
                         "computed_rank": int(ranks[region]),
                         "computed_value": float(year.set_index("province").loc[region,
                                                                                 r.figure]),
                         "source": r.source})
    return pd.DataFrame(rows, columns=["options", "figure", "year", "published_rank",
                                       "computed_rank", "computed_value", "source"])
