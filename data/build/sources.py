"""Readers of the raw extracts in ``data/sources/`` for the dataset build (one function per source;
build-only code).

Every reader returns xarray objects over ``province`` (31 pinyin keys + ``china`` where the source
has the nation) and ``year``, in 1e8 CNY (亿元) or 1e4 persons (万人), plus a per-year status.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.provinces import province, province_keys
from klems.datasets.classification import FAI_SECTIONS

SOURCES = Path(__file__).resolve().parent.parent / "sources"
PROVINCES = province_keys()
SECTORS = ("primary", "secondary", "tertiary")


def _key(name: str) -> str:
    return province(str(name).strip()).key


def _file(rel: str) -> Path:
    path = SOURCES / rel
    if not path.exists():
        raise InputDataError("source extract missing; run python -m data.build.extract_sources",
                             file=str(path))
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
    last = int(raw.loc[raw["va1"].notna(), "year"].max())
    for var in ("va_sector", "index_sector"):
        bad = ds[var].sel(year=[y for y in years if y <= last]).isnull()
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
    # years after the source: the last year's sections held (modelled)
    post = [y for y in years if y > yrs[-1]]
    if post:
        da = xr.concat([da, *[da.isel(year=-1).expand_dims(year=[y]) for y in post]], dim="year").transpose(*da.dims)
        st = xr.concat([st, *[xr.full_like(st.isel(year=-1), "modelled").expand_dims(year=[y]) for y in post]],
                       dim="year").transpose(*da.dims)
    return da.sel(year=list(years)), st.sel(year=list(years))


def provincial_employment(years) -> xr.DataArray:
    """Employed persons (万人) by three sectors for ``china`` and the 31 provinces (published)."""
    rel = "provincial/employment_by_province_3sectors_1985_2023.csv"
    raw = pd.read_csv(_file(rel))
    raw["key"] = raw["省份名称"].map(_key)
    cols = ["第一产业就业人员（万人）", "第二产业就业人员（万人）", "第三产业就业人员（万人）"]
    keys = ["china", *PROVINCES]
    last = int(raw["年度标识"].max())
    arr = np.full((len(keys), 3, len(years)), np.nan)
    for k, key in enumerate(keys):
        sub = raw[raw["key"] == key].set_index("年度标识")
        arr[k] = sub[cols].reindex([min(y, last) for y in years]).to_numpy(float).T
    bad = np.argwhere(~np.isfinite(arr) | (arr < 0))
    if bad.size:
        k, s, y = bad[0]
        raise InputDataError("missing or negative employment; expected a number >= 0", file=rel,
                             row=keys[k], column=cols[s], year=int(years[y]))
    return xr.DataArray(arr, dims=("province", "sector", "year"),
                        coords={"province": keys, "sector": list(SECTORS), "year": list(years)},
                        attrs={"last_source_year": last})


def provincial_capital(first_year: int, years) -> xr.Dataset:
    """固定资本形成总额 (亿元) and the investment price index (rebased so that the first of
    ``years`` = 100) for the 31 provinces, from the CHNCapitalStock ``asset`` table (secondary copy
    of Zhang Jun et al.'s series; GFCF extrapolated by the source after 2017 with FAI growth, price
    index replaced by the retail price index after 2019). Years from ``first_year`` to the source's
    last year (``attrs["last_source_year"]``); the caller extends them."""
    rel = "provincial/chncapitalstock_asset_1952_2022.csv"
    raw = pd.read_csv(_file(rel))
    last = int(raw["yr"].max())
    allyears = list(range(first_year, min(max(years), last) + 1))
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
                      coords={"province": PROVINCES, "year": allyears}, attrs={"last_source_year": allyears[-1]})


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


# ---- provincial detail (second generation) ------------------------------------------------------

#: the nine industry groups of NBS's provincial value added (分省年度数据), in file order
GROUPS = ("agriculture", "industry", "construction", "trade", "transport", "hotels", "finance",
          "real_estate", "other")
_GROUP_COLUMNS = ("农林牧渔业增加值", "工业增加值", "建筑业增加值", "批发和零售业增加值",
                  "交通运输、仓储和邮政业增加值", "住宿和餐饮业增加值", "金融业增加值", "房地产业增加值",
                  "其他行业增加值")
NBS_GROUP_YEARS = tuple(range(2019, 2025))


def _nbs_export(rel: str) -> pd.DataFrame:
    """An NBS 分省年度数据 export: two title lines, a header row, cells ending with a tab."""
    text = _file(rel).read_text(encoding="utf-8-sig")
    lines = [ln.replace("\t", "") for ln in text.splitlines()[2:]]
    body = [ln for ln in lines if ln and not ln.startswith(("注", "数据来源")) and ln[0] not in "0123456789."]
    frame = pd.read_csv(io.StringIO("\n".join(body)))
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [c for c in frame.columns if not c.startswith("Unnamed")]]
    frame["key"] = frame["地区"].map(_key)
    return frame.set_index("key")


def nbs_groups() -> xr.Dataset:
    """NBS provincial GDP, three sectors and the nine groups (亿元), 2019-2024, vintage after the
    fifth economic census (2023): ``gdp`` (province, year), ``sector`` and ``group`` values."""
    keys = list(PROVINCES)
    years = list(NBS_GROUP_YEARS)
    gdp = np.full((len(keys), len(years)), np.nan)
    sec = np.full((len(keys), 3, len(years)), np.nan)
    grp = np.full((len(keys), len(GROUPS), len(years)), np.nan)
    for t, y in enumerate(years):
        rel = f"provincial_industry/nbs_provincial_value_added_by_industry_{y}.csv"
        frame = _nbs_export(rel)
        cols = {c.split(" ")[0]: c for c in frame.columns}
        missing = [c for c in ("地区生产总值", "第一产业增加值", *_GROUP_COLUMNS) if c not in cols]
        if missing or sorted(frame.index) != sorted(keys):
            raise InputDataError(f"columns {missing} or provinces missing; expected GDP, three sectors, "
                                 "the nine groups and 31 provinces", file=rel)
        frame = frame.loc[keys]
        gdp[:, t] = frame[cols["地区生产总值"]].to_numpy(float)
        for s, name in enumerate(("第一产业增加值", "第二产业增加值", "第三产业增加值")):
            sec[:, s, t] = frame[cols[name]].to_numpy(float)
        for g, name in enumerate(_GROUP_COLUMNS):
            grp[:, g, t] = frame[cols[name]].to_numpy(float)
        bad = np.argwhere(~np.isfinite(grp[:, :, t]) | (grp[:, :, t] < 0))
        if bad.size:
            p, g = bad[0]
            raise InputDataError("missing or negative value added; expected a number >= 0", file=rel,
                                 row=keys[p], column=_GROUP_COLUMNS[g], year=y)
    return xr.Dataset({"gdp": (("province", "year"), gdp), "va_sector": (("province", "sector", "year"), sec),
                       "va_group": (("province", "group", "year"), grp)},
                      coords={"province": keys, "sector": list(SECTORS), "group": list(GROUPS), "year": years})


def gdp_sheet2() -> xr.DataArray:
    """Provincial GDP totals (亿元) 2015-2024 of the newer vintage (sheet2 of the panel workbook,
    which agrees with NBS's exports after the fifth census for 2019-2023)."""
    rel = "provincial/gdp_by_province_2015_2024_sheet2.csv"
    raw = pd.read_csv(_file(rel))
    raw["key"] = raw["province"].map(_key)
    wide = raw.pivot(index="key", columns="year", values="gdp").loc[list(PROVINCES)]
    return xr.DataArray(wide.to_numpy(float), dims=("province", "year"),
                        coords={"province": list(PROVINCES), "year": [int(y) for y in wide.columns]})


def national_after_census2023() -> pd.DataFrame:
    """National GDP, three sectors, groups and sections (亿元), 2021-2024, after the fifth census
    (rows = item as printed, columns = years)."""
    rel = "provincial_industry/nbs_national_value_added_2021_2024_after_census2023.csv"
    raw = pd.read_csv(_file(rel)).set_index("item")
    return raw[[c for c in raw.columns if c.isdigit()]].rename(columns=int).astype(float)


#: section names of the urban-unit tables (2011 names for employment, 2002 names for wages) -> FAI_SECTIONS
_SECTION_NAMES = {
    "农林牧渔业": "农林牧渔业", "农、林、牧、渔业": "农林牧渔业", "采矿业": "采矿业", "制造业": "制造业",
    "电力、热力、燃气及水生产和供应业": "电力、热力、燃气及水的生产和供应业",
    "电力、燃气及水的生产和供应业": "电力、热力、燃气及水的生产和供应业", "建筑业": "建筑业",
    "交通运输、仓储和邮政业": "交通运输、仓储和邮政业",
    "信息传输、软件和信息技术服务业": "信息传输、软件和信息技术服务业",
    "信息传输、计算机服务和软件业": "信息传输、软件和信息技术服务业", "批发和零售业": "批发和零售业",
    "住宿和餐饮业": "住宿和餐饮业", "金融业": "金融业", "房地产业": "房地产业",
    "租赁和商务服务业": "租赁和商务服务业", "科学研究和技术服务业": "科学研究和技术服务业",
    "科学研究、技术服务和地质勘查业": "科学研究和技术服务业",
    "水利、环境和公共设施管理业": "水利、环境和公共设施管理业",
    "居民服务、修理和其他服务业": "居民服务、修理和其他服务业", "居民服务和其他服务业": "居民服务、修理和其他服务业",
    "教育": "教育", "教育业": "教育", "卫生和社会工作": "卫生和社会工作",
    "卫生、社会保障和社会福利业": "卫生和社会工作", "文化、体育和娱乐业": "文化、体育和娱乐业",
    "公共管理、社会保障和社会组织": "公共管理、社会保障和社会组织", "公共管理和社会组织": "公共管理、社会保障和社会组织",
}


def urban_units_by_section() -> xr.Dataset:
    """Urban-unit (非私营) employment (万人) and wage bill (亿元) by the 19 sections, 31 provinces,
    2012-2020, and employment 2024 (``employment_2024``). Missing cells stay NaN."""
    rel = "provincial_industry/nbs_provincial_urban_units_by_section_2012_2020.csv"
    raw = pd.read_csv(_file(rel))
    years = list(range(2012, 2021))
    out = {v: np.full((len(PROVINCES), len(FAI_SECTIONS), len(years)), np.nan) for v in ("employment", "wage_bill")}
    pos = {k: i for i, k in enumerate(PROVINCES)}
    for rec in raw.itertuples(index=False):
        name = str(rec.indicator)
        if name.endswith("城镇单位就业人员工资总额"):
            var, sec = "wage_bill", name[: -len("城镇单位就业人员工资总额")]
        else:
            var, sec = "employment", name[: -len("城镇单位就业人员")]
        if sec not in _SECTION_NAMES:
            continue  # the totals
        s = FAI_SECTIONS.index(_SECTION_NAMES[sec])
        out[var][pos[_key(rec.province)], s] = [getattr(rec, f"_{3 + i}") for i in range(len(years))]
    rel24 = "provincial_industry/nbs_provincial_urban_unit_employment_by_section_2024.csv"
    frame = _nbs_export(rel24).loc[list(PROVINCES)]
    e24 = np.full((len(PROVINCES), len(FAI_SECTIONS)), np.nan)
    for col in frame.columns:
        name = col.split(" ")[0]
        sec = name[: -len("城镇单位就业人员")] if name.endswith("城镇单位就业人员") else ""
        if sec in _SECTION_NAMES:
            e24[:, FAI_SECTIONS.index(_SECTION_NAMES[sec])] = frame[col].to_numpy(float)
    if np.isnan(e24).any():
        raise InputDataError("a section is missing in the 2024 employment table", file=rel24)
    coords = {"province": list(PROVINCES), "fai_section": list(FAI_SECTIONS), "year": years}
    dims = ("province", "fai_section", "year")
    return xr.Dataset({"employment": (dims, out["employment"]), "wage_bill": (dims, out["wage_bill"]),
                       "employment_2024": (("province", "fai_section"), e24)}, coords=coords)


def census_c39() -> xr.DataArray:
    """Revenue (营业收入, 亿元) of C39 enterprises above designated size by province, fifth economic
    census (2023), table 1-B-46."""
    rel = "provincial_industry/nbs_census2023_electronics_c39_by_province.json"
    table = json.loads(_file(rel).read_text(encoding="utf-8"))
    col = table["columns"].index("revenue")
    rows = {r[0]: r[col] for r in table["rows"]}
    nation = rows.pop("全国")
    values = {_key(k): v for k, v in rows.items()}
    if sorted(values) != sorted(PROVINCES) or any(v is None or v < 0 for v in values.values()):
        raise InputDataError("expected the revenue of 31 provinces", file=rel, column="revenue")
    da = xr.DataArray([float(values[k]) for k in PROVINCES], dims="province", coords={"province": list(PROVINCES)})
    if abs(float(da.sum()) / nation - 1) > 0.005:
        raise InputDataError(f"provinces sum to {float(da.sum()):.1f}, the national row says {nation}",
                             file=rel, column="revenue")
    return da.assign_attrs(national=float(nation))


def provincial_gdp_index() -> xr.DataArray:
    """地区生产总值指数 (previous year = 100) by province, 2016–2024 (NBS, after the fifth census)."""
    rel = "provincial_industry/nbs_provincial_gdp_index_2016_2025.csv"
    frame = _nbs_export(rel).loc[list(PROVINCES)]
    cols = {int(str(c).rstrip("年")): c for c in frame.columns if str(c).rstrip("年").isdigit()}
    years = sorted(y for y in cols if frame[cols[y]].notna().all())
    return xr.DataArray(frame[[cols[y] for y in years]].to_numpy(float), dims=("province", "year"),
                        coords={"province": list(PROVINCES), "year": years})
