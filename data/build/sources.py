"""Readers of the raw extracts in ``data/sources/`` for the dataset build (one function per source).

Every reader returns xarray objects over ``province`` (31 pinyin keys + ``china`` where the source
has the nation) and ``year``, in 1e8 CNY (亿元) or 1e4 persons (万人), plus a per-year status.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.datasets.classification import FAI_SECTIONS
from klems.base.errors import InputDataError
from klems.base.provinces import province, province_keys

SOURCES = Path(__file__).resolve().parent.parent / "sources"
PROVINCES = province_keys()
SECTORS = ("primary", "secondary", "tertiary")


def _key(name: str) -> str:
    return province(str(name).strip()).key


def _file(rel: str) -> Path:
    path = SOURCES / rel
    if not path.exists():
        raise InputDataError("source extract missing; run data/build/extract_sources.py", file=str(path))
    return path


def provincial_gdp(years) -> xr.Dataset:
    """地区生产总值 and three-sector value added (亿元, current prices) and real indices (上年=100)
    for the 31 provinces and ``china``, from ``gdp_by_province_1952_2024.csv`` (sheet1)."""
    rel = "provincial/gdp_by_province_1952_2024.csv"
    raw = pd.read_csv(_file(rel))
    raw.columns = ["year", "prov", "gdp", "va1", "va2", "va3", "s1", "s2", "s3", "pc", "i", "i1", "i2", "i3"]
    raw = raw[raw["year"].isin(list(years))].copy()
    raw["key"] = raw["prov"].map(_key)
    keys = ["china", *PROVINCES]
    out = {}
    for var, cols in (("gdp_as_published", ["gdp"]), ("va_sector", ["va1", "va2", "va3"]),
                      ("index_gdp", ["i"]), ("index_sector", ["i1", "i2", "i3"])):
        arr = np.full((len(keys), len(cols), len(years)), np.nan)
        for k, key in enumerate(keys):
            sub = raw[raw["key"] == key].set_index("year")
            for c, col in enumerate(cols):
                arr[k, c] = sub[col].reindex(list(years)).to_numpy(float)
        if len(cols) == 1:
            out[var] = (("province", "year"), arr[:, 0])
        else:
            out[var] = (("province", "sector", "year"), arr)
    ds = xr.Dataset(out, coords={"province": keys, "sector": list(SECTORS), "year": list(years)})
    for var in ("va_sector", "index_sector"):
        bad = ds[var].isnull()
        if bool(bad.any()):
            p, s, y = (v[0] for v in np.nonzero(bad.values))
            raise InputDataError(f"missing {var} value; expected a number", file=rel,
                                 row=f"{keys[p]} {years[y]}", column=SECTORS[s], year=int(years[y]))
    return ds


def provincial_fai(years) -> tuple[xr.DataArray, xr.DataArray]:
    """全社会固定资产投资 by 19 sections (亿元) for the 31 provinces, 2003–2023, with a status
    (``published`` to 2017, ``derived`` from 2018 (the source derives them from published growth
    rates), ``modelled`` where a missing section is filled with the province's share of that section
    in the nearest year that has it, times the year's total of the other sections)."""
    rel = "provincial/fai_by_province_by_industry_2003_2023.csv"
    raw = pd.read_csv(_file(rel))
    raw["key"] = raw["地区"].map(_key)
    cols = [f"{s}/亿元" for s in FAI_SECTIONS]
    missing = [c for c in cols if c not in raw.columns]
    if missing:
        raise InputDataError(f"columns {missing} missing; expected the 19 sections", file=rel)
    yrs = sorted(set(raw["年份"]))
    arr = np.full((len(PROVINCES), len(FAI_SECTIONS), len(yrs)), np.nan)
    for p, key in enumerate(PROVINCES):
        sub = raw[raw["key"] == key].set_index("年份")
        arr[p] = sub[cols].reindex(yrs).to_numpy(float).T
    status = np.where(np.array(yrs) <= 2017, "published", "derived").astype(object)
    status = np.broadcast_to(status, arr.shape).copy()
    for p in range(len(PROVINCES)):
        for t in range(len(yrs)):
            gaps = np.isnan(arr[p, :, t])
            if not gaps.any():
                continue
            for s in np.flatnonzero(gaps):
                donors = [u for u in range(len(yrs)) if not np.isnan(arr[p, :, u]).any()]
                if not donors:
                    raise InputDataError("no complete year to fill a missing section from", file=rel,
                                         row=PROVINCES[p], column=FAI_SECTIONS[s], year=int(yrs[t]))
                u = min(donors, key=lambda d: (abs(d - t), d))
                share = arr[p, s, u] / arr[p, :, u].sum()
                arr[p, s, t] = share / (1.0 - share) * np.nansum(np.where(gaps, 0.0, arr[p, :, t]))
                status[p, s, t] = "modelled"
    if np.any(arr < 0):
        raise InputDataError("negative fixed-asset investment; expected >= 0", file=rel)
    da = xr.DataArray(arr, dims=("province", "fai_section", "year"),
                      coords={"province": PROVINCES, "fai_section": list(FAI_SECTIONS), "year": yrs})
    st = xr.DataArray(status, dims=da.dims, coords=da.coords)
    # years before 2003: the 2003 sections (modelled); the caller scales them
    ext = [y for y in years if y < yrs[0]]
    if ext:
        first = da.isel(year=0)
        pre = xr.concat([first.expand_dims(year=[y]) for y in ext], dim="year").transpose(*da.dims)
        da = xr.concat([pre, da], dim="year")
        pre_st = xr.full_like(pre, "modelled", dtype=object)
        st = xr.concat([pre_st, st], dim="year")
    return da.sel(year=list(years)), st.sel(year=list(years))


def provincial_employment(years) -> xr.DataArray:
    """Employed persons (万人) by three sectors for ``china`` and the 31 provinces (published)."""
    rel = "provincial/employment_by_province_3sectors_1985_2023.csv"
    raw = pd.read_csv(_file(rel))
    raw["key"] = raw["省份名称"].map(_key)
    cols = ["第一产业就业人员（万人）", "第二产业就业人员（万人）", "第三产业就业人员（万人）"]
    keys = ["china", *PROVINCES]
    arr = np.full((len(keys), 3, len(years)), np.nan)
    for k, key in enumerate(keys):
        sub = raw[raw["key"] == key].set_index("年度标识")
        arr[k] = sub[cols].reindex(list(years)).to_numpy(float).T
    bad = np.argwhere(~np.isfinite(arr) | (arr < 0))
    if bad.size:
        k, s, y = bad[0]
        raise InputDataError("missing or negative employment; expected a number >= 0", file=rel,
                             row=keys[k], column=cols[s], year=int(years[y]))
    return xr.DataArray(arr, dims=("province", "sector", "year"),
                        coords={"province": keys, "sector": list(SECTORS), "year": list(years)})


def provincial_capital(first_year: int, years) -> xr.Dataset:
    """固定资本形成总额 (亿元) and the investment price index (rebased so that the first of
    ``years`` = 100) for the 31 provinces, from the CHNCapitalStock ``asset`` table (secondary copy
    of Zhang Jun et al.'s series; GFCF extrapolated by the source after 2017 with FAI growth, price
    index replaced by the retail price index after 2019). Years from ``first_year``."""
    rel = "provincial/chncapitalstock_asset_1952_2022.csv"
    raw = pd.read_csv(_file(rel))
    allyears = list(range(first_year, max(years) + 1))
    inv = np.full((len(PROVINCES), len(allyears)), np.nan)
    price = np.full_like(inv, np.nan)
    for p, key in enumerate(PROVINCES):
        sub = raw[raw["prv"] == key].set_index("yr")
        if sub.empty:
            raise InputDataError(f"province {key!r} not found", file=rel, column="prv")
        inv[p] = sub["invest"].reindex(allyears).to_numpy(float)
        price[p] = sub["InvestPrice"].reindex(allyears).to_numpy(float)
    # a province's series may start late (Chongqing, Hainan): NaN before its first year, but no gap
    # after it and none in ``years``
    for name, arr in (("invest", inv), ("InvestPrice", price)):
        ok = np.isfinite(arr) & (arr > 0)
        for p in range(len(PROVINCES)):
            first = int(np.argmax(ok[p])) if ok[p].any() else len(allyears)
            gaps = np.flatnonzero(~ok[p, first:])
            if first > allyears.index(min(years)) or gaps.size:
                y = allyears[first + gaps[0]] if gaps.size else min(years)
                raise InputDataError(f"missing or non-positive {name}; expected a positive number", file=rel,
                                     row=PROVINCES[p], column=name, year=y)
            arr[p, :first] = np.nan
    base = allyears.index(min(years))
    price = price / price[:, [base]] * 100.0
    return xr.Dataset({"gfcf": (("province", "year"), inv), "investment_price": (("province", "year"), price)},
                      coords={"province": PROVINCES, "year": allyears})


def national_gfcf(first_year: int, last_year: int) -> tuple[xr.DataArray, list[str]]:
    """National 固定资本形成总额 (支出法, 亿元): NBS database 2010–2022 (published); earlier years
    from the 1978–2014 database vintage scaled by the 2010 ratio of the two vintages (modelled)."""
    new = pd.read_csv(_file("national/nbs_gdp_expenditure_2010_2022.csv")).set_index("year")["固定资本形成总额"]
    old = pd.read_csv(_file("national/nbs_gdp_expenditure_1978_2014.csv")).set_index("year")["固定资本形成总额"]
    link = new.loc[2010] / old.loc[2010]
    values, status = [], []
    for y in range(first_year, last_year + 1):
        if y in new.index and np.isfinite(new.loc[y]):
            values.append(float(new.loc[y])); status.append("published")
        elif y in old.index:
            values.append(float(old.loc[y] * link)); status.append("modelled")
        else:
            raise InputDataError("national GFCF missing", file="national/nbs_gdp_expenditure_*.csv", year=y)
    return xr.DataArray(values, dims="year", coords={"year": list(range(first_year, last_year + 1))}), status


def national_investment_price(years) -> tuple[xr.DataArray, list[str]]:
    """National investment deflator (first of ``years`` = 100): NBS 固定资产投资价格指数 (上年=100,
    published to 2019), extended with the national retail price index after 2019 (modelled; the same
    substitution the CHNCapitalStock source makes for provinces)."""
    rel = "national/china_national_price_indices_annual.csv"
    raw = pd.read_csv(_file(rel))
    fai = raw[raw["series"] == "FAI_price_index_total"].set_index("year")["value"]
    rpi = raw[raw["series"] == "RPI_retail_price_index"].set_index("year")["value"]
    level, out, status = 100.0, [], []
    for y in years:
        if y != years[0]:
            if y in fai.index:
                level *= fai.loc[y] / 100.0
                status.append("published")
            elif y in rpi.index:
                level *= rpi.loc[y] / 100.0
                status.append("modelled")
            else:
                raise InputDataError("no investment price index", file=rel, year=y)
        else:
            status.append("published")
        out.append(level)
    return xr.DataArray(out, dims="year", coords={"year": list(years)}), status


def national_employment_by_code(years) -> pd.DataFrame:
    """Employed persons (万人) by sector code of the national employment table, 1990–2018."""
    rel = "national/china_employment_by_sector_1990_2018.csv"
    raw = pd.read_csv(_file(rel)).set_index("Code")
    cols = [str(y) for y in years if str(y) in raw.columns]
    return raw[cols].apply(pd.to_numeric, errors="coerce").rename(columns=int)
