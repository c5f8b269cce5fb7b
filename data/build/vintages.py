"""Published aggregates on one statistical vintage, and the census breaks linked (build-only code).

Two vintages are built (:data:`VINTAGES`):

``2023-census`` (default, NBS's latest)
    The database after the fifth economic census (2023), which revised regional GDP back to 1992.
    Provinces: GDP, three sectors and nine groups 2019–2024 as published; GDP totals 2015–2018
    (panel sheet2); the nation: GDP, three sectors, groups and sections 2021–2024.
``2018-census`` (the vintage of the Guangxi white paper 2022)
    The panel's figures after the fourth economic census (2018): provinces 2019–2022 as published,
    Guangxi's 2017–2018 GDP from the white paper's Table 1; the nation 2000–2022.

Census breaks. The panel's provincial sectors switch vintage in the first year after each census
(:data:`CENSUS_LINK_YEARS`: 2005, 2009, 2014, 2019; found in the data: nominal growth departs
from real growth × the nation's deflator growth in those years, e.g. tertiary value added of 14
provinces by more than 10 % in 2005). At each link year ``L`` (latest first) every province's
sector series before ``L`` is scaled by ``VA_L / (real index_L / 100) / national deflator
growth_L / VA_{L−1}``, so that growth across the break is real growth at the nation's price
change; the factors cumulate backwards (status ``modelled``).

Years outside a vintage's published span are carried by stated rules (status ``modelled``):

* 2023-census, provinces, years ≤ 2018: the linked series × the sector's 2019 ratio of the two
  vintages, then scaled to the published sheet2 total (2015–2018; GDP ``published``, sectors
  ``modelled``) or, before 2015, by the total's 2015 ratio;
* 2023-census, nation, years ≤ 2020: the old vintage × the sector's 2021 ratio;
* 2018-census, years after its last published year: the sector's 2022 level carried by the growth
  of the 2023-census vintage.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.datasets.bundled import LATEST, VINTAGES
from klems.datasets.classification import SECTORS

CENSUS_LINK_YEARS = (2005, 2009, 2014, 2019)
VINTAGE_NOTE = {
    "2023-census": "after the fifth economic census (2023): NBS database as revised in 2025 (1992-2023 "
                   "regional GDP revised); earlier years linked",
    "2018-census": "after the fourth economic census (2018), as printed in the Guangxi white paper 2022; "
                   "later years carried by the growth of the 2023-census vintage",
}


def link_census_breaks(va: xr.DataArray, index: xr.DataArray, link_years=CENSUS_LINK_YEARS, log=None):
    """The provinces' sector series (province × sector × year, ``china`` left as published) linked
    across the census breaks. Returns (linked values, cumulative factor per province, sector, year)."""
    nat = va.sel(province="china")
    out = va.copy()
    factor = xr.ones_like(va)
    provinces = [p for p in va.province.values if p != "china"]
    for link in sorted(link_years, reverse=True):
        if link - 1 not in va.year.values or link not in va.year.values:
            continue
        d_nat = (nat.sel(year=link) / nat.sel(year=link - 1)) / (index.sel(province="china", year=link) / 100)
        cur = out.sel(province=provinces)
        target_prev = cur.sel(year=link) / (index.sel(province=provinces, year=link) / 100) / d_nat
        ratio = target_prev / cur.sel(year=link - 1)
        before = [y for y in va.year.values if y < link]
        out.loc[dict(province=provinces, year=before)] = cur.sel(year=before) * ratio
        factor.loc[dict(province=provinces, year=before)] = factor.sel(province=provinces, year=before) * ratio
        if log is not None:
            big = (abs(np.log(ratio)) > 0.1).sum().item()
            log(f"census link {link}: {big} province-sector series moved by more than 10 % "
                f"(largest factor {float(ratio.max()):.3f}, smallest {float(ratio.min()):.3f})")
    return out, factor


def _gdp_from_sectors(va, published_total, status):
    """GDP = the published total where it agrees with the sum of published sectors (0.05 %), else
    the sum (derived where the sectors are published, modelled otherwise)."""
    total = va.sum("sector")
    agree = (np.abs(published_total - total) <= 5e-4 * total) & (status == "published")
    gdp = xr.where(agree, published_total, total)
    gdp_status = xr.where(status == "published", xr.where(agree, "published", "derived"), status)
    return gdp, gdp_status


def aggregates(vintage: str, panel: xr.Dataset, nbs: xr.Dataset, sheet2: xr.DataArray, nat_new,
               white_paper: dict, years, log) -> dict:
    """Three-sector value added and GDP (province incl. ``china`` × year) of ``vintage``, with a
    status per province and year."""
    years = list(years)
    pyears = [y for y in years if y in panel.year.values and bool(panel["va_sector"].sel(year=y).notnull().all())]
    provinces = [p for p in panel.province.values if p != "china"]
    va_old, _ = link_census_breaks(panel["va_sector"].sel(year=pyears), panel["index_sector"].sel(year=pyears),
                                   log=log if vintage == LATEST else None)
    status_old = xr.DataArray(np.where(np.array(pyears) >= CENSUS_LINK_YEARS[-1], "published", "modelled")
                              .astype(object)[None, :].repeat(len(panel.province), 0),
                              dims=("province", "year"), coords={"province": panel.province, "year": pyears})
    status_old.loc[dict(province="china")] = "published"
    # Guangxi white paper Table 1: revised 2017-2018 GDP replaces the linked totals; earlier years
    # take the factor of the first such year
    linked = va_old.copy()
    for (p, y), total in sorted(white_paper.items()):
        cur = float(linked.sel(province=p, year=y).sum())
        va_old.loc[dict(province=p, year=y)] = linked.sel(province=p, year=y) * (total / cur)
        if vintage == "2018-census":
            log(f"{p} {y}: linked GDP {cur:.2f} replaced by the published {total:.2f} "
                f"(link error {100 * (cur / total - 1):+.2f} %)")
    for p in sorted({p for p, _ in white_paper}):
        first = min(y for q, y in white_paper if q == p)
        factor = white_paper[(p, first)] / float(linked.sel(province=p, year=first).sum())
        earlier = [y for y in pyears if y < first]
        va_old.loc[dict(province=p, year=earlier)] = linked.sel(province=p, year=earlier) * factor

    # ---- the 2023-census vintage, published spans ---------------------------------------------
    new = xr.DataArray(np.full((len(panel.province), 3, len(years)), np.nan), dims=("province", "sector", "year"),
                       coords={"province": panel.province.values, "sector": list(SECTORS), "year": years})
    ny = [y for y in nbs.year.values if y in years]
    new.loc[dict(province=provinces, year=ny)] = nbs["va_sector"].sel(province=provinces, year=ny)
    nat_years = [y for y in nat_new.columns if y in years]
    for s, name in zip(SECTORS, ("第一产业", "第二产业", "第三产业")):
        new.loc[dict(province="china", sector=s, year=nat_years)] = nat_new.loc[name, nat_years].to_numpy(float)

    if vintage == "2018-census":
        va = xr.DataArray(np.full(new.shape, np.nan), dims=new.dims, coords=new.coords)
        va.loc[dict(year=pyears)] = va_old
        status = xr.DataArray(np.full((len(panel.province), len(years)), "modelled", dtype=object),
                              dims=("province", "year"), coords={"province": panel.province.values, "year": years})
        status.loc[dict(year=pyears)] = status_old
        last = pyears[-1]
        for y in [y for y in years if y > last]:
            va.loc[dict(year=y)] = va.sel(year=last) * new.sel(year=y) / new.sel(year=last)
        published_total = panel["gdp_as_published"].reindex(year=years)
        gdp, gdp_status = _gdp_from_sectors(va, published_total, status)
        for (p, y), value in white_paper.items():
            gdp.loc[dict(province=p, year=y)] = value
            gdp_status.loc[dict(province=p, year=y)] = "published"
        return {"va_sector": va, "gdp": gdp, "va_status": status, "gdp_status": gdp_status}

    # 2023-census: provinces before 2019 and the nation before 2021 from the linked old vintage
    va = new.copy()
    status = xr.DataArray(np.full((len(panel.province), len(years)), "modelled", dtype=object),
                          dims=("province", "year"), coords={"province": panel.province.values, "year": years})
    status.loc[dict(province=provinces, year=ny)] = "published"
    status.loc[dict(province="china", year=nat_years)] = "published"
    first_p, first_n = ny[0], nat_years[0]
    k_p = new.sel(province=provinces, year=first_p) / va_old.sel(province=provinces, year=first_p)
    before = [y for y in pyears if y < first_p]
    va.loc[dict(province=provinces, year=before)] = va_old.sel(province=provinces, year=before) * k_p
    totals = [y for y in sheet2.year.values if y < first_p and y in years]
    for y in totals:
        cur = va.sel(province=provinces, year=y)
        va.loc[dict(province=provinces, year=y)] = cur * (sheet2.sel(year=y) / cur.sum("sector"))
    if totals:
        t0 = min(totals)
        f = sheet2.sel(year=t0) / (va_old.sel(province=provinces, year=t0) * k_p).sum("sector")
        earlier = [y for y in before if y < t0]
        va.loc[dict(province=provinces, year=earlier)] = va_old.sel(province=provinces, year=earlier) * k_p * f
    k_n = new.sel(province="china", year=first_n) / va_old.sel(province="china", year=first_n)
    nb = [y for y in pyears if y < first_n]
    va.loc[dict(province="china", year=nb)] = va_old.sel(province="china", year=nb) * k_n
    log(f"2023-census vintage: provinces' sectors before {first_p} = linked 2018-census series x the "
        f"2019 ratio (median {float(k_p.median()):.4f}); nation before {first_n} x the 2021 ratio "
        f"({', '.join(f'{float(v):.4f}' for v in k_n.values)})")
    published_total = xr.full_like(status, np.nan, dtype=float)
    published_total.loc[dict(province=provinces, year=ny)] = nbs["gdp"].sel(province=provinces, year=ny)
    published_total.loc[dict(province="china", year=nat_years)] = nat_new.loc["地区生产总值", nat_years].to_numpy(float)
    gdp, gdp_status = _gdp_from_sectors(va, published_total, status)
    for y in totals:
        gdp.loc[dict(province=provinces, year=y)] = sheet2.sel(year=y)
        gdp_status.loc[dict(province=provinces, year=y)] = "published"
    return {"va_sector": va, "gdp": gdp, "va_status": status, "gdp_status": gdp_status}


def real_index(panel: xr.Dataset, gdp_index, years) -> xr.DataArray:
    """Real value-added index by sector (previous year = 100): the panel's where it has one; after
    it, every sector takes the province's published GDP index (NBS, 2016–2025), the nation the
    GDP-weighted mean of the provinces' (modelled)."""
    years = list(years)
    idx = panel["index_sector"].reindex(year=years)
    provinces = [p for p in idx.province.values if p != "china"]
    for y in years:
        if bool(idx.sel(year=y).notnull().all()):
            continue
        g = gdp_index.sel(year=y)
        idx.loc[dict(province=provinces, year=y)] = g.broadcast_like(idx.sel(province=provinces, year=y))
        w = panel["gdp_as_published"].sel(province=provinces, year=y)
        idx.loc[dict(province="china", year=y)] = float((g * w).sum() / w.sum())
    return idx


__all__ = ["VINTAGES", "LATEST", "CENSUS_LINK_YEARS", "VINTAGE_NOTE", "link_census_breaks", "aggregates",
           "real_index"]
