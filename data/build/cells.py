"""Published provincial margins below the three sectors, and the rules that carry them to years
without data (build-only code).

Cells. NBS publishes provincial value added of nine groups (农林牧渔业, 工业, 建筑业, 批发和零售业,
交通运输仓储邮政业, 住宿餐饮业, 金融业, 房地产业, 其他行业) besides the three sectors. Two groups cross a
sector boundary (农林牧渔服务 005 is tertiary; 开采辅助活动 011 and 修理 095 are tertiary industry), so
the margins are 11 *cells* = group × sector (:data:`CELLS`), each the sum of whole industries; their
provincial totals follow from the published figures by identities (e.g. 工业 in the secondary
sector = 第二产业 − 建筑业; the tertiary part of 工业 = 工业 − that); where a small tertiary remainder
is 0 (a province that does not split those industries off in a year: Qinghai 2019–2022, Inner
Mongolia and Chongqing 2019) it takes the median share of the tertiary sector over the provinces
that year; the tertiary cells are then scaled to the published 第三产业.

Carrying rule (years without published groups). A province's cell share of its sector in year t
is its share in the nearest published year t0 times the drift of the nation's cell share,
``c_p,k,t = c_p,k,t0 · C_k,t / C_k,t0``, renormalised within the sector: the province keeps its
structure *relative to the nation* of t0 (status ``modelled``).

Electronics (086–091, C39). The fifth economic census's revenue of C39 enterprises above designated
size by province (2023) gives each province's share of national C39: electronics value added of a
province in 2023 = its revenue share × the electronics value added of all provinces. Other years:
the 2023 share moved by the province's industrial value added relative to the nation's
(``s_p,t ∝ s_p,2023 · (I_p,t / I_p,2023) / (I_t / I_2023)``, I = the industry_secondary cell), so a
province whose industry grows faster than the nation's keeps more of national electronics.

Wage-bill location quotients. Urban-unit wage bills by the 19 sections (NBS, 2013–2020; 2012 is
before a break) tilt the national structure within a cell: ``LQ_p,s = (W_p,s / W_p) / (W_s / W)``.
2024: the 2024 urban-unit employment by section × the province's 2020 average wage of the section
(modelled); 2021–2023 linear between 2020 and 2024; before 2013 the 2013 quotients held.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.datasets.cells import CELLS, ELECTRONICS, cell_sector, industry_cells
from klems.datasets.classification import FAI_SECTIONS, INDUSTRIES, SECTORS

WAGE_YEARS = (2013, 2020)

CELL_OF = industry_cells()


def cells_from_groups(sector: xr.DataArray, group: xr.DataArray) -> xr.DataArray:
    """Cell totals (… × cell × year) from three-sector and nine-group value added (same layout)."""
    g = {k: group.sel(group=k, drop=True) for k in group.group.values}
    s = {k: sector.sel(sector=k, drop=True) for k in SECTORS}
    ind_sec = s["secondary"] - g["construction"]
    parts = {
        "agri_primary": s["primary"],
        "agri_tertiary": (g["agriculture"] - s["primary"]).clip(min=0.0),
        "industry_secondary": ind_sec,
        "industry_tertiary": (g["industry"] - ind_sec).clip(min=0.0),
        "construction": g["construction"],
        **{k: g[k] for k in ("trade", "transport", "hotels", "finance", "real_estate", "other")},
    }
    # a province that does not split 农林牧渔服务 / 开采辅助活动 and 修理 off its groups in a year has a
    # remainder of 0: those take the median share of the tertiary sector over the provinces that year
    for name in ("agri_tertiary", "industry_tertiary"):
        cell = parts[name]
        if "province" in cell.dims:
            share = (cell / s["tertiary"]).where(cell > 1e-6)
            parts[name] = xr.where(cell > 1e-6, cell, share.median("province") * s["tertiary"])
    out = xr.concat([parts[c] for c in CELLS], dim=xr.DataArray(list(CELLS), dims="cell", name="cell"))
    tert = [c for c in CELLS if cell_sector(c) == "tertiary"]
    scale = s["tertiary"] / out.sel(cell=tert).sum("cell")
    out.loc[dict(cell=tert)] = out.sel(cell=tert) * scale
    return out


def cell_membership() -> xr.DataArray:
    mat = np.zeros((len(CELLS), len(INDUSTRIES)))
    mat[CELL_OF, np.arange(len(INDUSTRIES))] = 1.0
    return xr.DataArray(mat, dims=("cell", "industry"), coords={"cell": list(CELLS), "industry": list(INDUSTRIES)})


def _cell_sectors() -> xr.DataArray:
    return xr.DataArray([[1.0 if cell_sector(c) == s else 0.0 for c in CELLS] for s in SECTORS],
                        dims=("sector", "cell"), coords={"sector": list(SECTORS), "cell": list(CELLS)})


def shares_in_sector(cells: xr.DataArray) -> xr.DataArray:
    """Each cell's share of its sector (same dims as ``cells``)."""
    m = _cell_sectors()
    totals = xr.dot(m, xr.dot(m, cells, dim="cell"), dim="sector")
    return (cells / totals.where(totals > 0)).fillna(0.0).transpose(*cells.dims)


def carried_shares(published: xr.DataArray, national: xr.DataArray, years) -> tuple[xr.DataArray, xr.DataArray]:
    """Province cell shares of their sector (province × cell × year) for ``years``: published
    where given (``published`` has the published years only), else carried from the nearest
    published year with the nation's drift (see the module docstring). Returns (shares, status)."""
    pub = shares_in_sector(published)
    nat = shares_in_sector(national)
    pyears = [int(y) for y in pub.year.values]
    out = np.zeros((pub.sizes["province"], len(CELLS), len(years)))
    status = np.empty(len(years), dtype=object)
    sec_of = np.array([SECTORS.index(cell_sector(c)) for c in CELLS])
    for t, y in enumerate(years):
        if y in pyears:
            out[:, :, t] = pub.sel(year=y).transpose("province", "cell").values
            status[t] = "published"
            continue
        t0 = min(pyears, key=lambda u: (abs(u - y), u))
        drift = (nat.sel(year=y) / nat.sel(year=t0)).fillna(1.0).values
        raw = pub.sel(year=t0).transpose("province", "cell").values * drift[None, :]
        for s in range(3):
            cols = sec_of == s
            sums = raw[:, cols].sum(axis=1, keepdims=True)
            raw[:, cols] = np.divide(raw[:, cols], sums, out=np.zeros_like(raw[:, cols]), where=sums > 0)
        out[:, :, t] = raw
        status[t] = "modelled"
    da = xr.DataArray(out, dims=("province", "cell", "year"),
                      coords={"province": pub.province.values, "cell": list(CELLS), "year": list(years)})
    return da, xr.DataArray(status, dims="year", coords={"year": list(years)})


def electronics_shares(revenue: xr.DataArray, industry_cell: xr.DataArray, census_year: int = 2023) -> xr.DataArray:
    """Each province's share of the provinces' electronics value added (province × year): the census
    revenue share in ``census_year``, moved in other years by the province's industry_secondary
    value added relative to the provinces' total (see the module docstring)."""
    base = revenue / revenue.sum("province")
    rel = (industry_cell / industry_cell.sel(year=census_year)) / \
          (industry_cell.sum("province") / industry_cell.sum("province").sel(year=census_year))
    raw = base * rel
    return raw / raw.sum("province")


def wage_location_quotients(urban: xr.Dataset, years) -> tuple[xr.DataArray, list[str]]:
    """Location quotients of the provinces' urban-unit wage bills by section (province ×
    fai_section × year) and a status per year (see the module docstring)."""
    w = urban["wage_bill"].sel(year=slice(*WAGE_YEARS))
    e = urban["employment"].sel(year=slice(*WAGE_YEARS))
    # isolated gaps: the province-section's nearest year
    w = w.interpolate_na("year", method="nearest", fill_value="extrapolate")
    e = e.interpolate_na("year", method="nearest", fill_value="extrapolate")
    w = w.fillna(0.0)

    def lq(x):
        share = x / x.sum("fai_section")
        nat = x.sum("province") / x.sum(("province", "fai_section"))
        return (share / nat).fillna(0.0)

    q = lq(w)
    wage_2020 = (w.sel(year=WAGE_YEARS[1]) / e.sel(year=WAGE_YEARS[1])).where(e.sel(year=WAGE_YEARS[1]) > 0)
    wage_2020 = wage_2020.fillna(wage_2020.median("province"))
    q24 = lq(urban["employment_2024"] * wage_2020)
    out = np.zeros((urban.sizes["province"], len(FAI_SECTIONS), len(years)))
    status = []
    first, last = WAGE_YEARS
    for t, y in enumerate(years):
        if first <= y <= last:
            out[:, :, t] = q.sel(year=y).values
            status.append("derived")
        elif y < first:
            out[:, :, t] = q.sel(year=first).values
            status.append("modelled")
        else:
            a = min((y - last) / (2024 - last), 1.0)
            out[:, :, t] = (1 - a) * q.sel(year=last).values + a * q24.values
            status.append("modelled")
    da = xr.DataArray(out, dims=("province", "fai_section", "year"),
                      coords={"province": urban.province.values, "fai_section": list(FAI_SECTIONS), "year": list(years)})
    return da, status


__all__ = ["CELLS", "CELL_OF", "ELECTRONICS", "cell_sector", "cells_from_groups", "cell_membership",
           "shares_in_sector", "carried_shares", "electronics_shares", "wage_location_quotients"]


def relative_wages(urban: xr.Dataset, years, bounds=(1 / 3, 3.0)) -> xr.DataArray:
    """A province's urban-unit average wage of each section relative to the provinces' average
    (province × fai_section × year): 2013–2020 as derived, the nearest such year held outside,
    missing cells 1, bounded to ``bounds``."""
    w = urban["wage_bill"].sel(year=slice(*WAGE_YEARS))
    e = urban["employment"].sel(year=slice(*WAGE_YEARS))
    avg = w / e.where(e > 0)
    nat = w.sum("province") / e.sum("province")
    rel = (avg / nat).clip(*bounds).fillna(1.0)
    first, last = WAGE_YEARS
    return xr.concat([rel.sel(year=min(max(y, first), last)).assign_coords(year=y) for y in years], dim="year") \
        .transpose("province", "fai_section", "year")


def renormalise(shares: xr.DataArray) -> xr.DataArray:
    """Cell shares (… × cell × …) scaled to sum to 1 within each sector."""
    m = _cell_sectors()
    totals = xr.dot(m, xr.dot(m, shares, dim="cell"), dim="sector")
    return (shares / totals.where(totals > 0)).fillna(0.0).transpose(*shares.dims)
