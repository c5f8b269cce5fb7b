"""Assemble one province's dataset (variables, units, Chinese names, per-year status, vintage) and
write it (build-only code)."""

from __future__ import annotations

import hashlib

import numpy as np
import xarray as xr

from capital_stock import AssetSpec, perpetual_inventory
from klems.base.provinces import province
from klems.base.version import __version__
from klems.datasets.classification import FAI_SECTIONS, ICT_ASSETS, INDUSTRIES, SECTORS

from . import cells as cl, provinces as prov, sources as src
from .vintages import VINTAGE_NOTE


def _st(values, years):
    return xr.DataArray(np.array(list(values), dtype=object), dims="year", coords={"year": years})


def _summary(status: xr.DataArray) -> str:
    parts: dict[str, list[int]] = {}
    for y, s in zip(status.year.values, status.values):
        parts.setdefault(str(s), []).append(int(y))
    out = []
    for s, ys in parts.items():
        runs, start = [], ys[0]
        for a, b in zip(ys, ys[1:] + [None]):
            if b != a + 1:
                runs.append(f"{start}" if start == a else f"{start}-{a}")
                start = b
        out.append(f"{s} {','.join(runs)}")
    return "; ".join(out)


def _put(ds, name, data, status, units, long_name, zh, **extra):
    years = list(ds.year.values)
    st = _st(status, years) if not isinstance(status, xr.DataArray) else status
    data = data.transpose(*[d for d in ("industry", "asset", "sector", "cell", "fai_section", "year") if d in data.dims])
    data.attrs = {"units": units, "long_name": long_name, "long_name_zh": zh, "status": _summary(st), **extra}
    ds[name] = data
    ds[f"{name}_status"] = st.assign_attrs(long_name=f"status of {name} by year",
                                           long_name_zh="数据状态（published 公布 / derived 推算 / modelled 模型估计）",
                                           units="1")


def _source_hashes() -> str:
    """sha256 (first 16 hex digits) of every file the build reads: the CSV extracts in data/sources
    (not the price-index build's folder) and the classification tables."""
    data = src.SOURCES.parent
    paths = [p for p in sorted(src.SOURCES.rglob("*")) if p.suffix in (".csv", ".json")
             and "prices" not in p.relative_to(src.SOURCES).parts]
    paths += [data / "classification_139.csv", data / "concordance_io149_to_139.csv",
              data / "concordance_io153_to_139.csv"]
    return "; ".join(f"{p.relative_to(data).as_posix()}={hashlib.sha256(p.read_bytes()).hexdigest()[:16]}"
                     for p in paths)


_HASHES = None


def assemble(key, vintage, parts, inp, r, gfcf, gfcf_status, iprice, iprice_status, iprice_source,
             structure_status, params, cls, log):
    global _HASHES
    ratios, struct = r["ratios"], inp["struct"]
    nat_inv, nat_ict_out = r["nat_inv"], r["nat_ict_out"]
    va_sector, gdp_total = r["va_sector"], r["gdp_total"]
    va_status, gdp_status = r["agg"]["va_status"], r["agg"]["gdp_status"]
    gdp, defl_sector, emp3 = inp["panel"], r["defl_sector"], inp["emp3"]
    years = list(ratios.year.values)
    p = province(key)
    vintage_attrs = {"vintage": vintage, "vintage_note": VINTAGE_NOTE[vintage]}
    ds = xr.Dataset(coords={
        "industry": list(INDUSTRIES), "asset": list(ICT_ASSETS), "sector": list(SECTORS),
        "fai_section": list(FAI_SECTIONS), "year": years,
    })
    ds = ds.assign_coords(
        industry_name_zh=("industry", cls["name_zh"].to_numpy(object)),
        industry_name_en=("industry", cls["name_en"].to_numpy(object)),
        industry_sector=("industry", cls["sector"].to_numpy(object)),
        industry_fai_section=("industry", cls["fai_section"].to_numpy(object)),
    )
    va_s = va_sector.sel(province=key, drop=True)
    _put(ds, "gdp", gdp_total.sel(province=key, drop=True), gdp_status.sel(province=key, drop=True),
         "1e8 CNY", "gross domestic (regional) product, current prices", "地区生产总值（现价）", **vintage_attrs)
    pub = gdp["gdp_as_published"].sel(province=key, drop=True)
    _put(ds, "gdp_as_published", pub, ["published" if np.isfinite(v) else "modelled" for v in pub.values],
         "1e8 CNY", "GDP as printed in the panel sheet1 (mixed statistical vintages; NaN where absent)",
         "地区生产总值（原始面板数值）",
         secondary_source="muweiabc/govfund gdp.xlsx sheet1 (unverified secondary copy of 中国统计年鉴)")
    _put(ds, "value_added_sector", va_s, va_status.sel(province=key, drop=True), "1e8 CNY",
         "value added by three sectors, current prices", "三次产业增加值（现价）", **vintage_attrs)
    if parts["cells"] is not None:
        _put(ds, "value_added_cell", parts["cells"].assign_coords(cell=list(cl.CELLS)), r["cell_status"], "1e8 CNY",
             "value added of the published groups split by sector (margins of the regionalisation)",
             "分组增加值（按三次产业拆分；区域化的控制总量）", **vintage_attrs,
             rule="published NBS nine groups 2019-2024 (2023-census); other years and the 2018-census vintage: "
                  "the province's cell shares of its sectors relative to the nation held at the nearest "
                  "published year (data/build/cells.py)")
    _put(ds, "real_index_sector", gdp["index_sector"].sel(province=key, drop=True), ["published"] * len(years),
         "previous year = 100", "real value-added index by sector", "三次产业增加值指数（上年=100）")
    defl = defl_sector.sel(province=key, drop=True)
    _put(ds, "sector_deflator", defl, ["derived"] * len(years), "index 2000=100",
         "implicit value-added deflator by sector", "三次产业增加值隐含平减指数",
         rule="P_t = P_{t-1} * (VA_t / VA_{t-1}) / (real index_t / 100)")
    sector_of = xr.DataArray(ds["industry_sector"].values, dims="industry")
    _put(ds, "output_deflator", defl.sel(sector=sector_of).drop_vars("sector"), ["modelled"] * len(years),
         "index 2000=100", "output deflator (the industry's sector value-added deflator)",
         "产出价格指数（所属产业增加值平减指数）",
         rule="each industry takes the implicit value-added deflator of its sector (derived from published "
              "nominal value added and real indices)")
    comps = parts["comps"]
    st = structure_status
    _put(ds, "value_added", parts["va"], st, "1e8 CNY", "value added by industry, current prices", "分行业增加值（现价）")
    _put(ds, "gross_output", parts["go"], st, "1e8 CNY", "gross output by industry, current prices", "分行业总产出（现价）")
    _put(ds, "intermediate_inputs", parts["go"] - parts["va"], st, "1e8 CNY", "intermediate inputs by industry",
         "分行业中间投入合计")
    _put(ds, "labour_compensation", comps.sel(component="labour_compensation", drop=True), st, "1e8 CNY",
         "compensation of employees", "劳动者报酬")
    _put(ds, "net_production_taxes", comps.sel(component="net_production_taxes", drop=True), st, "1e8 CNY",
         "net taxes on production (kept apart from capital compensation)", "生产税净额")
    _put(ds, "depreciation", comps.sel(component="depreciation", drop=True), st, "1e8 CNY",
         "depreciation of fixed assets", "固定资产折旧")
    _put(ds, "capital_compensation", comps.sel(component=["depreciation", "operating_surplus"]).sum("component"),
         st, "1e8 CNY", "capital compensation (depreciation + operating surplus)", "资本报酬（固定资产折旧＋营业盈余）",
         note="negative where the table's operating surplus is negative beyond depreciation (011 in the "
              "2017-2020 tables); investment weights use max(capital compensation, depreciation)")
    _put(ds, "employment_sector", emp3.sel(province=key, drop=True), parts["emp_status"], "1e4 persons",
         "employed persons by three sectors", "三次产业就业人员")
    _put(ds, "employment", parts["emp"], ["modelled"] * len(years), "1e4 persons",
         "labour input: employed persons by industry", "分行业就业人员（劳动投入）",
         rule="provincial sector employment split by value added / national value added per worker of the "
              "industry / the province's relative urban-unit average wage of the section (NBS 2013-2020); "
              "national persons by industry from the national employment table (1990-2018, 2018 structure "
              "held after) split over IO industries by labour compensation; the last source year held after")
    # ---- ICT investment -----------------------------------------------------------------------
    ict = parts["ict"]
    ict_asset = ict.sum("industry")
    _put(ds, "ict_investment", ict, ["modelled"] * len(years), "1e8 CNY",
         "nominal ICT investment by using industry and asset", "分行业ICT投资（现价）",
         rule="ratio x output of the ICT products (national) x regional share x allocation; see "
              "gfcf_output_ratio, ict_products_output_national, ict_regional_share, ict_allocation",
         deflate_with="price_index.ict_deflators (not applied here)")
    _put(ds, "ict_investment_by_asset", ict_asset, ["modelled"] * len(years), "1e8 CNY",
         "nominal ICT investment by asset", "ICT投资（分资产，现价）")
    ratio = ratios["gfcf_output_ratio"] * params["gfcf_output_ratio_multiplier"]
    _put(ds, "gfcf_output_ratio", ratio,
         ["derived" if y in struct.table_year.values else "modelled" for y in years], "1",
         "GFCF / output of the ICT products (white paper's ratio coefficient)", "ICT产品固定资本形成/总产出比例系数",
         multiplier=params["gfcf_output_ratio_multiplier"],
         rule="FU201 / output of 086 (hardware), 087+088 (communication), 115 (software) in table years, "
              "interpolated by the build's rule, times the multiplier")
    _put(ds, "ict_products_output_national", nat_ict_out, ["modelled"] * len(years), "1e8 CNY",
         "national output of the ICT products that the ratio multiplies", "全国ICT产品总产出")
    share = ict_asset / nat_inv
    _put(ds, "ict_regional_share", share, ["modelled"] * len(years), "1",
         "province's share of national ICT investment", "占全国ICT投资比重",
         rule="national section slices split by the province's share of the section's fixed-asset investment "
              "(3-year centred mean), times the provinces' summed GFCF over the national GFCF")
    prods_out = xr.concat([parts["go"].sel(industry=[c for c in INDUSTRIES if cls.loc[c, "ict_asset"] == a]).sum("industry")
                           for a in ICT_ASSETS], dim="asset").assign_coords(asset=list(ICT_ASSETS))
    _put(ds, "ict_products_output", prods_out, ["modelled"] * len(years), "1e8 CNY",
         "output of the ICT products in the province (for a white-paper-literal ratio x provincial output)",
         "本地区ICT产品总产出")
    _put(ds, "ict_allocation", ict / ict_asset, ["modelled"] * len(years), "1",
         "shares of ICT investment by using industry (intermediate use, default)", "ICT投资行业分配比例（中间使用法）")
    _put(ds, "ict_allocation_literal", parts["ict_lit"] / parts["ict_lit"].sum("industry"), ["modelled"] * len(years), "1",
         "shares by intermediate use including ICT manufacturing's own use", "ICT投资行业分配比例（含电子制造业自用）")
    fai_alloc = prov.fai_allocation(parts["fai"], ds["capital_compensation"], ds["depreciation"])
    _put(ds, "ict_allocation_fai", fai_alloc, ["modelled"] * len(years), "1",
         "shares of investment by using industry from fixed-asset investment by section (option; the same "
         "for every asset; also the allocation of non-ICT investment)", "投资行业分配比例（固定资产投资法）")
    # ---- non-ICT capital ---------------------------------------------------------------------
    gf = gfcf.sel(year=years)
    _put(ds, "gfcf", gf, gfcf_status, "1e8 CNY", "gross fixed capital formation", "固定资本形成总额",
         secondary_source=("CHNCapitalStock asset table (unverified secondary copy; extrapolated by the source "
                           "after 2017)") if key != "china" else "NBS national database (expenditure approach)",
         rule=f"after {r['last_cap'] if key != 'china' else 2022}: the last source year's GFCF/GDP ratio x GDP")
    non_ict = gf - ict_asset.sum("asset")
    prov.check_non_negative("non-ICT investment", non_ict, key)
    price = iprice.sel(year=years)
    _put(ds, "fai_by_section", parts["fai"], parts["fai_st"], "1e8 CNY",
         "fixed-asset investment by section (19 sections)", "分行业全社会固定资产投资",
         secondary_source="muweiabc/govfund (unverified secondary copy of 中国统计年鉴); 2000-2002 the 2003 "
                          "structure scaled with GFCF; missing sections filled from the nearest year")
    inv_ind = non_ict * fai_alloc
    _put(ds, "non_ict_investment", inv_ind, ["modelled"] * len(years), "1e8 CNY",
         "nominal non-ICT investment by using industry", "分行业非ICT投资（现价）",
         rule="(GFCF - ICT investment) x ict_allocation_fai")
    _put(ds, "non_ict_investment_deflator", price, iprice_status, "index 2000=100",
         "investment price index (non-ICT capital deflator)", "固定资产投资价格指数", source=iprice_source)
    delta = params["non_ict_depreciation"]
    spec = AssetSpec("non_ict", mean_life=1.0 / delta, depreciation=delta, profile="geometric")
    real_all = (gfcf / (iprice / 100.0)).dropna("year").rename("investment")
    k_agg = perpetual_inventory(real_all, spec)
    k0_total = float(k_agg.sel(year=years[0]))
    cap0 = xr.where(ds["capital_compensation"] > ds["depreciation"], ds["capital_compensation"],
                    ds["depreciation"]).isel(year=0).clip(min=0.0)
    k0 = k0_total * cap0 / float(cap0.sum())
    real = (inv_ind / (price / 100.0)).transpose("industry", "year")
    stock = perpetual_inventory(real, spec, initial_stock=k0)
    _put(ds, "non_ict_capital_stock", stock, ["modelled"] * len(years), "1e8 CNY at 2000 prices",
         "non-ICT capital stock by industry (geometric, end of year)", "分行业非ICT资本存量（2000年价）",
         rule=f"aggregate stock from real GFCF since {int(real_all.year.values[0])} (delta {delta}, base-year "
              "formula I_{t0+1}/(g+delta)), split over industries in 2000 by capital compensation, then "
              "K_t = (1-delta) K_{t-1} + I_t per industry")
    ds["di_share"] = xr.DataArray(cls["di_share"].to_numpy(float), dims="industry").assign_attrs(
        units="1", long_name="share of value added counted in DI", long_name_zh="计入数字产业化的增加值比例")
    if _HASHES is None:
        _HASHES = _source_hashes()
    ds.attrs = {
        "title": f"KLEMS input data for {p.en} ({p.zh}), {years[0]}-{years[-1]}, vintage {vintage}",
        "province": key, "province_zh": p.zh, **vintage_attrs,
        "project_version": __version__,
        "parameters": "; ".join(f"{k}={v}" for k, v in params.items()),
        "input_file_hashes": _HASHES,
        "regionalised": "national input-output structure regionalised with published provincial aggregates "
                        "(three sectors, nine groups 2019-2024, urban-unit wage bills by section, the 2023 census's "
                        "C39 revenue); the provincial input-output table is not public (a province's own table: "
                        "klems.datasets.provincial_table.apply_provincial_table)" if key != "china" else
                        "national tables; years between tables interpolated; 2021-2024 scaled to the published "
                        "national sections and groups",
        "units_note": "1e8 CNY = 亿元; 1e4 persons = 万人",
        "status_values": "published = an input figure; derived = identities from published figures; "
                         "modelled = regionalised, interpolated, extrapolated or linked",
    }
    _checks(ds, key)
    return ds


def _checks(ds, key):
    for name in ("gross_output", "value_added", "intermediate_inputs", "labour_compensation", "ict_investment",
                 "non_ict_investment", "employment", "gfcf", "non_ict_capital_stock"):
        prov.check_non_negative(name, ds[name], key)
    gap = ds["gross_output"] - ds["intermediate_inputs"] - ds["value_added"]
    va = ds["labour_compensation"] + ds["net_production_taxes"] + ds["capital_compensation"] - ds["value_added"]
    assert float(abs(gap).max()) < 1e-6 and float(abs(va).max()) < 1e-6, key


def _engine() -> str:
    """netCDF4 when installed (the bundled files are written with it), else h5netcdf (needs h5py).
    Either engine writes byte-identical files on re-runs; the two engines' files differ in bytes."""
    try:
        import netCDF4  # noqa: F401
        return "netcdf4"
    except ImportError:
        return "h5netcdf"


def write(ds: xr.Dataset, path) -> None:
    enc = {}
    for name, var in ds.data_vars.items():
        if var.dtype.kind == "f":
            enc[name] = {"zlib": True, "complevel": 6, "shuffle": True}
    tmp = path.with_suffix(".tmp")
    ds.to_netcdf(tmp, engine=_engine(), encoding=enc, format="NETCDF4")
    tmp.replace(path)


def national_tables(tables: dict, struct: xr.Dataset) -> xr.Dataset:
    """The benchmark national tables at 139 industries (one variable per table year and block)."""
    out = xr.Dataset(coords={"product": list(INDUSTRIES), "industry": list(INDUSTRIES)})
    for y, t in tables.items():
        out[f"intermediate_{y}"] = t["intermediate"].assign_attrs(
            units="1e8 CNY", long_name=f"intermediate use {y} (product x industry)", long_name_zh=f"{y}年中间使用")
        out[f"value_added_{y}"] = t["value_added"].rename(component="component").assign_attrs(
            units="1e8 CNY", long_name=f"value added components {y}", long_name_zh=f"{y}年增加值构成")
        out[f"gross_output_{y}"] = t["gross_output"].assign_attrs(units="1e8 CNY", long_name=f"total input {y}",
                                                                  long_name_zh=f"{y}年总投入")
        out[f"final_use_{y}"] = t["final_use"].rename(use=f"use_{y}").assign_attrs(
            units="1e8 CNY", long_name=f"final use {y}", long_name_zh=f"{y}年最终使用")
    out["ict_gfcf_io"] = struct["ict_gfcf_io"].assign_attrs(units="1e8 CNY", long_name="GFCF (FU201) of ICT products",
                                                           long_name_zh="ICT产品固定资本形成")
    out["ict_output_io"] = struct["ict_output_io"].assign_attrs(units="1e8 CNY", long_name="output of ICT products",
                                                               long_name_zh="ICT产品总产出")
    out["gfcf_io"] = struct["gfcf_io"].assign_attrs(units="1e8 CNY", long_name="total GFCF (sum of FU201)",
                                                   long_name_zh="固定资本形成总额")
    out["ict_share_of_gfcf_io"] = (struct["ict_gfcf_io"].sum("asset") / struct["gfcf_io"]).assign_attrs(
        units="1", long_name="ICT share of GFCF in the national tables", long_name_zh="ICT投资占固定资本形成比重")
    out.attrs = {"title": "National input-output tables concorded to the 139 industries of 2012",
                 "note": "2015: split from the 42-sector table with a 2012/2017 prior (row sums approximate)",
                 "project_version": __version__}
    return out
