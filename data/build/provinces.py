"""Regionalisation of the national structure to the 31 provinces (called by build_datasets.py)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.datasets.classification import (
    FAI_SECTIONS,
    ICT_ASSETS,
    INDUSTRIES,
    SECTORS,
    load_classification,
    membership,
)
from klems.base.errors import InputDataError
from klems.datasets.regionalisation import ras

CLASS = load_classification()
SECTOR_OF = CLASS["sector"].to_numpy()
SECTION_OF = CLASS["fai_section"].to_numpy()
SECTION_INDEX = np.array([FAI_SECTIONS.index(s) for s in SECTION_OF])


def link_vintage(gdp: xr.Dataset, published: dict, link_year: int, log):
    """Three-sector value added and GDP on one statistical vintage.

    The panel's provincial figures up to ``link_year − 1`` are the vintage published before the
    fourth economic census (2018) revisions; from ``link_year`` on, the revised vintage. For each
    province and sector the revised level of ``link_year − 1`` is estimated as
    ``VA[link_year] / real index[link_year] / national deflator growth[link_year]`` and all earlier
    years are scaled by its ratio to the old figure (status ``modelled``). Published revised totals
    (Guangxi 2017 and 2018, white paper Table 1) replace the linked totals; the sectors are scaled to
    them and earlier years by the factor of the first such year. GDP is the sum of the sectors except
    where the panel's own total agrees with that sum within 0.05 % (then the published total).
    """
    years = list(gdp.year.values)
    va = gdp["va_sector"].copy()
    nat = va.sel(province="china")
    prev = link_year - 1
    d_nat = (nat.sel(year=link_year) / nat.sel(year=prev)) / (gdp["index_sector"].sel(province="china", year=link_year) / 100)
    status = xr.DataArray(np.full((gdp.sizes["province"], len(years)), "published", dtype=object),
                          dims=("province", "year"), coords={"province": gdp.province, "year": years})
    gdp_status = status.copy()
    old_years = [y for y in years if y < link_year]
    for p in gdp.province.values:
        if p == "china":
            continue
        linked_prev = va.sel(province=p, year=link_year) / (gdp["index_sector"].sel(province=p, year=link_year) / 100) / d_nat
        ratio = linked_prev / va.sel(province=p, year=prev)
        va.loc[dict(province=p, year=old_years)] = va.sel(province=p, year=old_years) * ratio
        status.loc[dict(province=p, year=old_years)] = "modelled"
        gdp_status.loc[dict(province=p, year=old_years)] = "modelled"
    linked = va.copy()
    for (p, y), total in sorted(published.items()):
        cur = float(linked.sel(province=p, year=y).sum())
        va.loc[dict(province=p, year=y)] = linked.sel(province=p, year=y) * (total / cur)
        log(f"{p} {y}: linked GDP {cur:.2f} replaced by the published {total:.2f} "
            f"(link error {100 * (cur / total - 1):+.2f} %)")
    for p in sorted({p for p, _ in published}):
        first = min(y for q, y in published if q == p)
        factor = published[(p, first)] / float(linked.sel(province=p, year=first).sum())
        earlier = [y for y in years if y < first]
        va.loc[dict(province=p, year=earlier)] = linked.sel(province=p, year=earlier) * factor
    total = va.sum("sector")
    pub = gdp["gdp_as_published"]
    agree = (np.abs(pub - total) <= 5e-4 * total) & (status == "published")
    gdp_out = xr.where(agree, pub, total)
    # published where the panel total agrees with its published sectors; derived (sum of published
    # sectors) where it does not; modelled where the sectors are linked; published overrides
    gdp_status = xr.where(status == "published", xr.where(agree, "published", "derived"), "modelled")
    for (p, y), value in published.items():
        gdp_out.loc[dict(province=p, year=y)] = value
        gdp_status.loc[dict(province=p, year=y)] = "published"
    return va, gdp_out, status, gdp_status


def sector_deflators(va: xr.DataArray, index: xr.DataArray) -> xr.DataArray:
    """Implicit value-added deflators by sector (first year = 100) from nominal value added and the
    real index (上年=100): P_t = P_{t−1} · (VA_t / VA_{t−1}) / (index_t / 100)."""
    growth = (va / va.shift(year=1)) / (index / 100)
    growth = growth.fillna(1.0)
    return 100.0 * growth.cumprod("year")


def smooth_years(da: xr.DataArray, window: int) -> xr.DataArray:
    """Centred moving average over ``year`` (shorter windows at the ends)."""
    return da.rolling(year=window, center=True, min_periods=1).mean()


def regional_value_added(va_sector: xr.DataArray, share: xr.DataArray, fai: xr.DataArray,
                         alpha: float, window: int) -> xr.DataArray:
    """Value added by province and industry: for each sector and year a RAS of the province ×
    industry matrix to the provinces' published sector value added (rows) and the national industry
    structure times the provinces' sector total (columns). Prior: provincial sector value added ×
    national share of the industry in its sector × (location quotient of the industry's section in
    the province's fixed-asset investment)^alpha, the quotient from ``window``-year centred averages."""
    provinces = [p for p in va_sector.province.values if p != "china"]
    fai_s = smooth_years(fai, window)
    lq = (fai_s / fai_s.sum("fai_section")) / (fai_s.sum("province") / fai_s.sum(("province", "fai_section")))
    tilt = (lq ** alpha).transpose("province", "fai_section", "year").values
    years = list(share.year.values)
    out = np.zeros((len(provinces), len(INDUSTRIES), len(years)))
    vs = va_sector.sel(province=provinces)
    for t, y in enumerate(years):
        sh = share.sel(year=y).values
        for s in SECTORS:
            idx = np.flatnonzero(SECTOR_OF == s)
            rows = vs.sel(sector=s, year=y).values
            prior = rows[:, None] * sh[idx][None, :] * tilt[:, SECTION_INDEX[idx], t]
            cols = sh[idx] * rows.sum()
            out[:, idx, t] = ras(prior, rows, cols, names=(provinces, [INDUSTRIES[i] for i in idx]))
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
                            go: xr.DataArray, fai: xr.DataArray) -> xr.DataArray:
    """Provincial ICT investment (province, industry, asset, year).

    The national investment of each asset is split by using industry with the national allocation
    and summed by section; each section's slice goes to the provinces in proportion to their
    (GFCF-levelled) fixed-asset investment in that section. Within each asset, section and year the
    province × industry matrix is then balanced by RAS: rows = the provinces' section slices, columns
    = the national investment of each industry of the section; prior = the industry's use coefficient
    of the asset's products × its regional gross output (gross output alone for a section whose
    industries use none of the products). Provinces therefore sum to the national figures by
    industry, asset and year."""
    provinces = list(go.province.values)
    years = list(go.year.values)
    nat_ind = (nat_inv * nat_alloc).transpose("asset", "industry", "year").values
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


def fai_allocation(fai: xr.DataArray, capital_compensation: xr.DataArray) -> xr.DataArray:
    """Shares of investment by using industry: the province's fixed-asset investment share of the
    industry's section × the industry's share of the section's capital compensation (negative
    capital compensation counted as 0; equal shares where a section has none)."""
    sec = section_matrix()
    cap = capital_compensation.clip(min=0.0)
    cap_sec = xr.dot(sec, cap, dim="industry")
    n_sec = sec.sum("industry")
    denom = xr.dot(sec, cap_sec, dim="fai_section")
    within = xr.where(denom > 0, cap / denom.where(denom > 0, 1.0), 1.0 / xr.dot(sec, n_sec, dim="fai_section"))
    section_share = fai / fai.sum("fai_section")
    return xr.dot(sec, section_share, dim="fai_section") * within


def check_non_negative(name: str, da: xr.DataArray, province: str) -> None:
    if bool((da < -1e-9).any()) or bool(da.isnull().any()):
        bad = da.where((da < -1e-9) | da.isnull(), drop=True)
        first = {d: bad[d].values[0] for d in bad.dims}
        raise InputDataError(f"{name} is negative or missing ({float(bad.values.flat[0]):.6g}); expected >= 0",
                             province=province, **{k: v for k, v in first.items() if k in ("industry", "year", "asset")})


__all__ = ["link_vintage", "sector_deflators", "regional_value_added", "scale_within_sectors",
           "regional_ict_investment", "fai_allocation", "check_non_negative", "ICT_ASSETS"]
