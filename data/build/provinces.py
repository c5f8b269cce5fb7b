"""Regionalisation of the national structure to the 31 provinces (build-only code, called by
build_datasets.py)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.base.errors import InputDataError
from klems.datasets.classification import (
    FAI_SECTIONS,
    ICT_ASSETS,
    INDUSTRIES,
    SECTORS,
    load_classification,
    membership,
)
from klems.datasets.regionalisation import ras

from .cells import CELL_OF, ELECTRONICS

CLASS = load_classification()
SECTOR_OF = CLASS["sector"].to_numpy()
SECTION_OF = CLASS["fai_section"].to_numpy()
SECTION_INDEX = np.array([FAI_SECTIONS.index(s) for s in SECTION_OF])


def sector_deflators(va: xr.DataArray, index: xr.DataArray) -> xr.DataArray:
    """Implicit value-added deflators by sector (first year = 100) from nominal value added and the
    real index (上年=100): P_t = P_{t−1} · (VA_t / VA_{t−1}) / (index_t / 100)."""
    growth = (va / va.shift(year=1)) / (index / 100)
    growth = growth.fillna(1.0)
    return 100.0 * growth.cumprod("year")


def smooth_years(da: xr.DataArray, window: int) -> xr.DataArray:
    """Centred moving average over ``year`` (shorter windows at the ends)."""
    return da.rolling(year=window, center=True, min_periods=1).mean()


def stabilise_fai_mix(fai: xr.DataArray, last_published: int = 2017, cap: float = 1.25) -> xr.DataArray:
    """The provinces' fixed-asset investment with the section mix of the years after
    ``last_published`` (derived by the secondary source from growth rates, with isolated ×2–×5
    spikes, e.g. Jilin's 信息传输 2020, Shanxi's 2021) limited to a change of at most ``cap`` (×/÷) a
    year per province and section, then renormalised; each province's total is kept."""
    total = fai.sum("fai_section")
    mix = (fai / total).transpose("province", "fai_section", "year").values.copy()
    years = list(fai.year.values)
    for t in range(1, len(years)):
        if years[t] <= last_published:
            continue
        prev = mix[:, :, t - 1]
        cur = np.clip(mix[:, :, t], prev / cap, prev * cap)
        mix[:, :, t] = cur / cur.sum(axis=1, keepdims=True)
    out = xr.DataArray(mix, dims=("province", "fai_section", "year"), coords=fai.transpose("province", "fai_section",
                                                                                           "year").coords)
    return (out * total).transpose(*fai.dims)


def _split_electronics(rows: np.ndarray, elec: np.ndarray, cap: float = 0.9) -> np.ndarray:
    """Electronics totals bounded by ``cap`` × the province's industry cell; the excess goes to the
    other provinces in proportion to their room (the sum is kept)."""
    elec = elec.copy()
    for _ in range(50):
        over = elec - cap * rows
        if (over <= 1e-12 * max(rows.sum(), 1.0)).all():
            break
        excess = over.clip(min=0).sum()
        elec = np.minimum(elec, cap * rows)
        room = (cap * rows - elec).clip(min=0)
        elec = elec + excess * room / room.sum()
    return elec


def regional_value_added(cell_totals: xr.DataArray, share_in_cell: xr.DataArray, tilt: xr.DataArray,
                         elec_share: xr.DataArray) -> xr.DataArray:
    """Value added by province and industry. For each cell (group × sector, see ``cells.py``) and
    year a RAS of the province × industry matrix: rows = the provinces' cell totals (exact), columns
    = the nation's industry shares within the cell × the provinces' cell total; prior = row × national
    share × ``tilt`` of the industry's section (wage-bill location quotient, floored at 0.05). The
    electronics industries 086–091 form their own block inside ``industry_secondary``, with rows
    = ``elec_share`` (province × year, summing to 1) × their national share of the cell × the
    provinces' cell total (bounded at 90 % of a province's cell)."""
    provinces = list(cell_totals.province.values)
    years = list(cell_totals.year.values)
    out = np.zeros((len(provinces), len(INDUSTRIES), len(years)))
    tilt_v = np.maximum(tilt.sel(province=provinces).transpose("province", "fai_section", "year").values, 0.05)
    cells = list(cell_totals.cell.values)
    elec_idx = np.array([INDUSTRIES.index(c) for c in ELECTRONICS])
    for t, y in enumerate(years):
        sh = share_in_cell.sel(year=y).values
        for k, cell in enumerate(cells):
            idx = np.flatnonzero(CELL_OF == k)
            rows = cell_totals.sel(cell=cell, year=y).values
            blocks = [(idx, rows)]
            if cell == "industry_secondary":
                rest = np.setdiff1d(idx, elec_idx)
                e_rows = _split_electronics(rows, elec_share.sel(province=provinces, year=y).values
                                            * sh[elec_idx].sum() * rows.sum())
                blocks = [(elec_idx, e_rows), (rest, rows - e_rows)]
            for ids, r in blocks:
                w = sh[ids] / sh[ids].sum()
                prior = r[:, None] * w[None, :] * tilt_v[:, SECTION_INDEX[ids], t]
                out[:, ids, t] = ras(prior, r, w * r.sum(), names=(provinces, [INDUSTRIES[i] for i in ids]))
    return xr.DataArray(out, dims=("province", "industry", "year"),
                        coords={"province": provinces, "industry": list(INDUSTRIES), "year": years})


def scale_within_sectors(prior: xr.DataArray, totals: xr.DataArray) -> xr.DataArray:
    """Scale (…, industry, year) values so that each sector sums to ``totals`` (…, sector, year)."""
    sec = membership("sector", groups=SECTORS).rename(group="sector")
    sums = xr.dot(sec, prior, dim="industry")
    factor = xr.where(sums > 0, totals / sums.where(sums > 0), 0.0)
    return prior * xr.dot(sec, factor, dim="sector")


def section_matrix() -> xr.DataArray:
    return membership("fai_section", groups=FAI_SECTIONS).rename(group="fai_section")


def regional_ict_investment(nat_inv: xr.DataArray, nat_alloc: xr.DataArray, coef: xr.DataArray,
                            go: xr.DataArray, fai: xr.DataArray, scale: xr.DataArray | None = None) -> xr.DataArray:
    """Provincial ICT investment (province, industry, asset, year).

    The national investment of each asset is split by using industry with the national allocation
    and summed by section; each section's slice goes to the provinces in proportion to their
    (GFCF-levelled) fixed-asset investment in that section. Within each asset, section and year the
    province × industry matrix is then balanced by RAS: rows = the provinces' section slices, columns
    = the national investment of each industry of the section; prior = the industry's use coefficient
    of the asset's products × its regional gross output (gross output alone for a section whose
    industries use none of the products). Provinces therefore sum to the national figures by
    industry, asset and year, times ``scale`` (over ``year``; e.g. the provinces' summed GFCF over the
    nation's, so that the ICT share of the provinces' investment is on average the nation's)."""
    provinces = list(go.province.values)
    years = list(go.year.values)
    nat_ind = (nat_inv * nat_alloc * (1.0 if scale is None else scale)).transpose("asset", "industry", "year").values
    share = (fai / fai.sum("province")).transpose("province", "fai_section", "year").values
    prior_all = (coef * go).transpose("province", "asset", "industry", "year").values
    go_v = go.transpose("province", "industry", "year").values
    out = np.zeros((len(provinces), len(INDUSTRIES), len(ICT_ASSETS), len(years)))
    for s_idx in range(len(FAI_SECTIONS)):
        idx = np.flatnonzero(SECTION_INDEX == s_idx)
        for a in range(len(ICT_ASSETS)):
            for t in range(len(years)):
                cols = nat_ind[a, idx, t]
                total = cols.sum()
                if total <= 0:
                    continue
                rows = share[:, s_idx, t] * total
                prior = prior_all[:, a, idx, t]
                if not (prior.sum(axis=1) > 0).all():
                    prior = go_v[:, idx, t] * (cols > 0)[None, :]
                out[:, idx, a, t] = ras(prior, rows, cols,
                                        names=(provinces, [INDUSTRIES[i] for i in idx]))
    return xr.DataArray(out, dims=("province", "industry", "asset", "year"),
                        coords={"province": provinces, "industry": list(INDUSTRIES),
                                "asset": list(ICT_ASSETS), "year": years})


def fai_allocation(fai: xr.DataArray, capital_compensation: xr.DataArray, depreciation: xr.DataArray) -> xr.DataArray:
    """Shares of investment by using industry: the province's fixed-asset investment share of the
    industry's section × the industry's share of the section's capital weight, where the weight is
    ``max(capital compensation, depreciation)``. Rule for negative capital compensation (the
    tables' operating surplus exceeds depreciation in a negative way, e.g. 011 in 2016–2022): the
    industry still invests at least what it depreciates, so its stock does not decay for want of
    investment (depreciation is positive in every table; equal shares where a section has none)."""
    sec = section_matrix()
    weight = xr.where(capital_compensation > depreciation, capital_compensation, depreciation).clip(min=0.0)
    w_sec = xr.dot(sec, weight, dim="industry")
    n_sec = sec.sum("industry")
    denom = xr.dot(sec, w_sec, dim="fai_section")
    within = xr.where(denom > 0, weight / denom.where(denom > 0, 1.0), 1.0 / xr.dot(sec, n_sec, dim="fai_section"))
    section_share = fai / fai.sum("fai_section")
    return xr.dot(sec, section_share, dim="fai_section") * within


def check_non_negative(name: str, da: xr.DataArray, province: str) -> None:
    if bool((da < -1e-9).any()) or bool(da.isnull().any()):
        bad = da.where((da < -1e-9) | da.isnull(), drop=True)
        first = {d: bad[d].values[0] for d in bad.dims}
        raise InputDataError(f"{name} is negative or missing ({float(bad.values.flat[0]):.6g}); expected >= 0",
                             province=province, **{k: v for k, v in first.items() if k in ("industry", "year", "asset")})


__all__ = ["stabilise_fai_mix", "sector_deflators", "regional_value_added", "scale_within_sectors",
           "regional_ict_investment", "fai_allocation", "check_non_negative", "ICT_ASSETS"]
