"""Plausibility diagnostics: sector penetration against CAICT, flagged industries."""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from klems.base.vocabulary import RULES
from klems.pipeline.plausibility import (
    ID_SHARE_FLAG,
    caict_penetration,
    industry_flags,
    penetration_check,
    plausibility_notes,
)

YEARS = [2019, 2020, 2021]


def _result():
    va = xr.DataArray([[100.0] * 3, [50.0] * 3, [80.0] * 3], dims=("industry", "year"),
                      coords={"industry": ["001", "002", "003"], "year": YEARS})
    share = np.array([[0.1, 0.1, 0.1], [0.2, 0.7, 0.65], [0.0, 0.0, 0.0]])
    ident = va * share
    by_rule = ident.expand_dims(rule=list(RULES)).copy()
    clipped = xr.zeros_like(by_rule, dtype=bool)
    clipped.loc[{"industry": "003", "year": 2020}] = True     # negative before the clip
    pen = xr.DataArray(np.full((len(RULES), 3, 3), 0.5), dims=("rule", "sector", "year"),
                       coords={"rule": list(RULES), "sector": ["primary", "secondary",
                                                               "tertiary"], "year": YEARS})
    return xr.Dataset({"id_industry": by_rule, "value_added": va, "clipped": clipped,
                       "penetration_by_rule": pen},
                      coords={"industry_sector": ("industry", ["primary", "secondary",
                                                              "tertiary"]),
                              "di_share": ("industry", [0.0, 0.0, 0.0])},
                      attrs={"attribution": "cumulative", "province": "china"})


def test_caict_reference_is_the_published_table():
    """CAICT penetration 2019–2023 (shared reference data, via data/published_figures.csv)."""
    ref = caict_penetration().set_index(["sector", "year"])["caict"]
    assert ref[("primary", 2019)] == 8.2 and ref[("tertiary", 2023)] == 45.63
    assert len(ref) == 15


def test_penetration_beside_caict_in_pp():
    check = penetration_check(_result())
    row = check[(check.rule == "cumulative") & (check.sector == "primary")
                & (check.year == 2021)].iloc[0]
    assert row.computed == 50.0 and row.caict == 9.7
    assert row.deviation == 50.0 - 9.7
    assert set(check.year) == set(YEARS)


def test_flags_negative_and_large_id():
    flags = industry_flags(_result())
    assert ID_SHARE_FLAG == 0.6
    high = flags[flags.flag.str.startswith("above 60")].iloc[0]
    assert high.industry == "002" and high.n_years == 2 and high.worst_share == 0.7
    neg = flags[flags.flag == "negative"].iloc[0]
    assert neg.industry == "003" and neg.years == "2020"
    assert len(flags) == 2


def test_notes_name_sectors_and_industries():
    notes = plausibility_notes(_result(), {"002": "Forestry"})
    assert any(n.startswith("primary sector: ID is 50.0 % of value added") for n in notes)
    assert any("1 industries with ID above 60 % of value added (cumulative): 002 Forestry" in n
               for n in notes)
    assert any("ID negative (cumulative): 003 (2020)" in n for n in notes)


def test_estimate_reports_the_diagnostics():
    import klems

    res = klems.estimate("china", years="2019-2023")
    assert "penetration_caict" in res and res["penetration_caict"].attrs["status"] == "published"
    assert "primary sector: ID is" in res.attrs["warnings"]
    flags = json.loads(res.attrs["industry_flags"])
    assert flags and {"industry", "flag", "years", "worst_share"} <= set(flags[0])
