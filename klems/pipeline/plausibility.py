"""Plausibility of the industry detail: ID as a share of value added by sector against CAICT's
national penetration rates, and flags for industries whose ID is negative or too large.

* **Sector penetration** (ID over value added of the primary, secondary and tertiary sectors)
  under every rule beside CAICT's national figures of 2019–2023 (data/published_figures.csv,
  copied from ``../shared/reference-data/caict-digital-economy/`` with its provenance in
  ``data/sources/PROVENANCE.md``). For a province the national figure is a reference, not a
  target.
* **Industry flags** under the chosen rule: an industry whose ID came out negative before the
  clip to 0, or whose ID is above :data:`ID_SHARE_FLAG` of its value added, in any year. 60 %
  is well above CAICT's most penetrated sector (tertiary, 45.6 % in 2023); the flag asks for a
  look at the industry's accounts, it changes no number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.vocabulary import SECTORS
from klems.datasets.bundled import published_figures

#: an industry whose ID is above this share of its value added is flagged
ID_SHARE_FLAG = 0.6
#: penetration deviations beyond this (pp) are named in the warnings
PENETRATION_TOLERANCE = 5.0


def caict_penetration() -> pd.DataFrame:
    """CAICT's national penetration rates (per cent): sector, year, value, source."""
    table = published_figures()
    rows = table[(table["region"] == "china")
                 & table["figure"].str.startswith("digital_penetration_")]
    return pd.DataFrame({"sector": rows["figure"].str.replace("digital_penetration_", "",
                                                              regex=False).to_numpy(),
                         "year": rows["year"].astype(int).to_numpy(),
                         "caict": rows["value"].astype(float).to_numpy(),
                         "source": rows["source_document"].astype(str).to_numpy()})


def penetration_check(result: xr.Dataset) -> pd.DataFrame:
    """Sector penetration (per cent) under every rule beside CAICT's national figure, in the
    years both exist: rule, sector, year, computed, caict, deviation (pp)."""
    ref = caict_penetration()
    pen = result["penetration_by_rule"]
    rows = []
    for r in ref.itertuples(index=False):
        if r.year not in pen.year.values or r.sector not in pen.sector.values:
            continue
        for rule in pen.rule.values:
            value = 100.0 * float(pen.sel(rule=rule, sector=r.sector, year=r.year))
            rows.append({"rule": str(rule), "sector": r.sector, "year": int(r.year),
                         "computed": value, "caict": r.caict, "deviation": value - r.caict})
    return pd.DataFrame(rows, columns=["rule", "sector", "year", "computed", "caict",
                                       "deviation"])


def industry_flags(result: xr.Dataset, threshold: float = ID_SHARE_FLAG) -> pd.DataFrame:
    """Industries of the chosen rule whose ID was negative (before the clip to 0) or is above
    ``threshold`` × value added in some year: industry, sector, flag, years, worst share."""
    rule = result.attrs.get("attribution", "income-share")
    ident = result["id_industry"].sel(rule=rule, drop=True)
    va = result["value_added"]
    di = result["di_share"] if "di_share" in result.coords else xr.zeros_like(va.isel(year=0))
    with np.errstate(all="ignore"):
        share = (ident / (va * (1.0 - di))).where((va > 0) & (di < 1))
    clipped = result["clipped"].sel(rule=rule, drop=True) if "clipped" in result else None
    rows = []
    sector = result["industry_sector"] if "industry_sector" in result.coords else None
    # one pass over numpy arrays (industry, year): a loop of xarray selections took a second
    years_all = np.asarray(ident.year.values, dtype=int)
    ident_a = ident.transpose("industry", "year").values
    va_a = va.transpose("industry", "year").values
    share_a = share.transpose("industry", "year").values
    neg_a = None
    if clipped is not None:
        neg_a = clipped.transpose("industry", "year").values & (ident_a <= 0) & (va_a > 0)
    with np.errstate(invalid="ignore"):
        high_a = share_a > threshold
    sectors = sector.values if sector is not None else [""] * ident_a.shape[0]
    for i, code in enumerate(ident.industry.values):
        sec = str(sectors[i])
        if neg_a is not None and neg_a[i].any():
            years = [int(y) for y in years_all[neg_a[i]]]
            rows.append({"industry": str(code), "sector": sec, "flag": "negative",
                         "years": _span(years), "n_years": len(years),
                         "worst_share": 0.0})
        if high_a[i].any():
            years = [int(y) for y in years_all[high_a[i]]]
            rows.append({"industry": str(code), "sector": sec,
                         "flag": f"above {100 * threshold:.0f} % of value added",
                         "years": _span(years), "n_years": len(years),
                         "worst_share": float(np.nanmax(share_a[i]))})
    return pd.DataFrame(rows, columns=["industry", "sector", "flag", "years", "n_years",
                                       "worst_share"])


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]} ({len(years)} years)"


def plausibility_notes(result: xr.Dataset, names: dict | None = None) -> list[str]:
    """Warnings: the chosen rule's sector penetration far from CAICT's national figure (the
    nation only), and the flagged industries."""
    notes = []
    rule = result.attrs.get("attribution", "income-share")
    if result.attrs.get("province") == "china":
        check = penetration_check(result)
        far = check[(check.rule == rule) & (check.deviation.abs() > PENETRATION_TOLERANCE)]
        for sec in SECTORS:
            part = far[far.sector == sec]
            if len(part):
                worst = part.loc[part.deviation.abs().idxmax()]
                notes.append(f"{sec} sector: ID is {worst.computed:.1f} % of value added in "
                             f"{worst.year} against CAICT's {worst.caict:.1f} % "
                             f"({worst.deviation:+.1f} pp; {len(part)} of the CAICT years "
                             f"beyond {PENETRATION_TOLERANCE:g} pp)")
    flags = industry_flags(result)
    for flag, part in flags.groupby("flag", sort=False):
        listed = ", ".join(f"{r.industry} {(names or {}).get(r.industry, '')} ({r.years})"
                           .replace("  ", " ") for r in part.head(5).itertuples())
        more = f" and {len(part) - 5} more" if len(part) > 5 else ""
        notes.append(f"{len(part)} industries with ID {flag} ({rule}): {listed}{more}")
    return notes
