"""National structure at the 139 industries: benchmark input-output tables, their ratios, and the
ratios carried to every year by the interpolation rule of :mod:`klems.datasets.regionalisation`."""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.datasets.classification import (
    ICT_ASSETS,
    INDUSTRIES,
    SECTORS,
    ict_products,
    load_classification,
    membership,
)
from klems.datasets.io_tables import national_table
from klems.datasets.regionalisation import interpolate_structure, interpolation_weights

TABLE_YEARS = (2012, 2015, 2017, 2018, 2020)
ICT_MANUFACTURING = ("086", "087", "088", "089", "090", "091")


def benchmark_tables(log) -> dict[int, xr.Dataset]:
    """The national tables at 139 industries; 2015 split from the 42-sector table with the
    2012/2017 tables interpolated by the linear rule as prior."""
    tables = {}
    for year in (2012, 2017, 2018, 2020):
        tables[year] = national_table(year)
        log(f"table {year}: concorded to 139, total output {float(tables[year].gross_output.sum()):.0f}, "
            f"value added {float(tables[year].value_added.sum()):.0f} (1e8 CNY)")
    w = interpolation_weights(2015, [2012, 2017], "linear")
    prior = sum(wi * tables[y] / float(tables[y].gross_output.sum()) for wi, y in zip(w, (2012, 2017)))
    tables[2015] = national_table(2015, prior=prior)
    log(f"table 2015: 42 sectors split to 139 with prior {w[0]:.1f}*2012 + {w[1]:.1f}*2017")
    return dict(sorted(tables.items()))


def ict_use(table: xr.Dataset, exclude_ict_manufacturing: bool = True) -> xr.DataArray:
    """Intermediate use of each ICT asset's products by the 139 using industries (asset × industry).

    With ``exclude_ict_manufacturing`` (default), the use of hardware and communication-equipment
    products by the ICT manufacturing industries 086–091 is left out: it is components assembled into
    ICT products (e.g. 35 % of computer products used as intermediates go to 086 itself), not
    equipment put in place."""
    prods = ict_products()
    rows = []
    for a in ICT_ASSETS:
        use = table["intermediate"].sel(product=prods[a]).sum("product")
        if exclude_ict_manufacturing and a != "software":
            use = use.where(~use.industry.isin(ICT_MANUFACTURING), 0.0)
        rows.append(use)
    return xr.concat(rows, dim=xr.DataArray(list(ICT_ASSETS), dims="asset", name="asset"))


def structure(tables: dict[int, xr.Dataset]) -> xr.Dataset:
    """Ratios of each benchmark table (over ``table_year``)."""
    sec = membership("sector", groups=SECTORS)
    prods = ict_products()
    out = []
    for year, t in tables.items():
        va = t["value_added"].sum("component")
        go = t["gross_output"]
        sector_va = xr.dot(sec, va, dim="industry")
        share = va / xr.dot(sec, sector_va, dim="group")
        use = ict_use(t)
        use_lit = ict_use(t, exclude_ict_manufacturing=False)
        fu201 = t["final_use"].sel(use="FU201")
        gfcf_ict = xr.concat([fu201.sel(product=prods[a]).sum("product") for a in ICT_ASSETS], dim="asset")
        out_ict = xr.concat([t["product_output"].sel(product=prods[a]).sum("product") for a in ICT_ASSETS],
                            dim="asset")
        ds = xr.Dataset({
            "va_share_in_sector": share,
            "va_to_output": va / go,
            "component_share": t["value_added"] / va,
            "ict_use_coefficient": use / go,
            "ict_use_coefficient_literal": use_lit / go,
            "gfcf_output_ratio": gfcf_ict / out_ict,
            "ict_gfcf_io": gfcf_ict,
            "ict_output_io": out_ict,
            "gfcf_io": fu201.sum("product"),
        }).assign_coords(asset=list(ICT_ASSETS))
        out.append(ds.expand_dims(table_year=[year]))
    return xr.concat(out, dim="table_year")


def carried(struct: xr.Dataset, years, rule: str) -> xr.Dataset:
    """The ratios carried to ``years`` (shares renormalised within their groups)."""
    keep = ["va_share_in_sector", "va_to_output", "component_share", "ict_use_coefficient",
            "ict_use_coefficient_literal", "gfcf_output_ratio"]
    out = xr.Dataset({v: interpolate_structure(struct[v], years, rule=rule) for v in keep})
    sec = membership("sector", groups=SECTORS)
    sums = xr.dot(sec, out["va_share_in_sector"], dim="industry")
    out["va_share_in_sector"] = out["va_share_in_sector"] / xr.dot(sec, sums, dim="group")
    out["component_share"] = out["component_share"] / out["component_share"].sum("component")
    return out


def national_by_industry(ratios: xr.Dataset, va_sector: xr.DataArray) -> xr.Dataset:
    """Value added, output, components and intermediate inputs by industry from sector totals."""
    sec = membership("sector", groups=SECTORS).rename(group="sector")
    va = ratios["va_share_in_sector"] * xr.dot(sec, va_sector, dim="sector")
    go = va / ratios["va_to_output"]
    comps = ratios["component_share"] * va
    return xr.Dataset({"value_added": va, "gross_output": go, "components": comps,
                       "intermediate_inputs": go - va})


def ict_investment(ratios: xr.Dataset, gross_output: xr.DataArray, multiplier: float = 1.0):
    """Nominal ICT investment by asset = GFCF/output ratio × output of the asset's products."""
    prods = ict_products()
    out_ict = xr.concat([gross_output.sel(industry=prods[a]).sum("industry") for a in ICT_ASSETS],
                        dim="asset").assign_coords(asset=list(ICT_ASSETS))
    return multiplier * ratios["gfcf_output_ratio"] * out_ict, out_ict


def allocation(coefficient: xr.DataArray, gross_output: xr.DataArray) -> xr.DataArray:
    """Shares of each asset's investment by using industry ∝ use coefficient × gross output."""
    use = coefficient * gross_output
    return use / use.sum("industry")


def employment_by_industry(emp_codes, labour: xr.DataArray, years) -> xr.DataArray:
    """National employment by the 139 industries: each employment-table code's persons split over the
    industries mapped to it in proportion to their labour compensation (the codes of industry 109
    and 110 overlap: G07 装卸搬运和仓储 is shared). Years after the table's last year keep its last
    industry structure. Returns persons (万人) over (industry, year), not yet scaled to totals."""
    table = load_classification()
    codes = {i: table.loc[i, "employment_code"].split("|") for i in INDUSTRIES}
    last = max(emp_codes.columns)
    out = np.zeros((len(INDUSTRIES), len(years)))
    for t, y in enumerate(years):
        col = y if y in emp_codes.columns else last
        lab = labour.sel(year=y).values
        for code in sorted({c for cs in codes.values() for c in cs}):
            members = [k for k, i in enumerate(INDUSTRIES) if code in codes[i]]
            persons = emp_codes.loc[code, col]
            if not np.isfinite(persons):
                continue
            w = lab[members] / lab[members].sum()
            out[members, t] += persons * w
    return xr.DataArray(out, dims=("industry", "year"), coords={"industry": list(INDUSTRIES), "year": list(years)})


# ---- national margins after the fifth census (2021-2024) ----------------------------------------

_NAT_GROUPS = {"agriculture": "农林牧渔业", "industry": "工业", "construction": "建筑业", "trade": "批发和零售业",
               "transport": "交通运输、仓储和邮政业", "hotels": "住宿和餐饮业", "finance": "金融业",
               "real_estate": "房地产业"}
_OTHER_SECTIONS = ("信息传输、软件和信息技术服务业", "租赁和商务服务业", "科学研究和技术服务业",
                   "水利、环境和公共设施管理业", "居民服务、修理和其他服务业", "教育", "卫生和社会工作",
                   "文化、体育和娱乐业", "公共管理、社会保障和社会组织")


def national_cells(table, year: int) -> xr.DataArray | None:
    """The nation's cell totals (see cells.py) of ``year`` from the published national rows, or
    None. ``其他行业`` of the 2024 release excludes 信息传输 and 租赁和商务服务 (NBS's 11-group scheme),
    so "other" = 其他行业 + those two; 2021–2023: the sum of the nine sections."""
    from . import cells as cl

    col = table[year] if year in table.columns else None
    if col is None or not np.isfinite(col.loc["第一产业"]):
        return None
    sector = xr.DataArray([[col.loc[n] for n in ("第一产业", "第二产业", "第三产业")]], dims=("x", "sector"),
                          coords={"sector": list(SECTORS)})
    groups = {k: col.loc[v] for k, v in _NAT_GROUPS.items()}
    if np.isfinite(col.get("其他行业", np.nan)):
        groups["other"] = col.loc["其他行业"] + col.loc["信息传输、软件和信息技术服务业"] + col.loc["租赁和商务服务业"]
    else:
        groups["other"] = sum(col.loc[s] for s in _OTHER_SECTIONS)
    group = xr.DataArray([[groups[g] for g in ("agriculture", "industry", "construction", "trade", "transport",
                                               "hotels", "finance", "real_estate", "other")]], dims=("x", "group"),
                         coords={"group": ["agriculture", "industry", "construction", "trade", "transport", "hotels",
                                           "finance", "real_estate", "other"]})
    return cl.cells_from_groups(sector, group).isel(x=0)


def apply_margins(share_in_sector: xr.DataArray, table, log, sweeps: int = 50) -> tuple[xr.DataArray, list[int]]:
    """The national industry shares within sectors (industry × year), adjusted in the years with
    published national margins after the fifth census (cells 2021–2024, the 19 sections where
    published) by iterative proportional fitting (sections, cells, then sectors last). Returns the
    shares and the adjusted years."""
    from klems.datasets.classification import FAI_SECTIONS

    from . import cells as cl
    from .sources import _SECTION_NAMES

    out = share_in_sector.copy()
    sec_m = membership("sector", groups=SECTORS).values
    fai_m = membership("fai_section", groups=FAI_SECTIONS).values
    cell_m = cl.cell_membership().values
    adjusted = []
    for y in [int(c) for c in table.columns if int(c) in out.year.values]:
        cells = national_cells(table, y)
        if cells is None:
            continue
        col = table[y]
        sectors = np.array([col.loc[n] for n in ("第一产业", "第二产业", "第三产业")])
        va = out.sel(year=y).values * (sec_m.T @ sectors)
        sections = {FAI_SECTIONS.index(_SECTION_NAMES[n]): col.loc[n] for n in col.index
                    if n in _SECTION_NAMES and np.isfinite(col.loc[n])}
        before = cell_m @ va
        for _ in range(sweeps):
            for s, target in sections.items():
                va = va * np.where(fai_m[s] > 0, target / (fai_m[s] @ va), 1.0)
            va = va * (cell_m.T @ np.divide(cells.values, cell_m @ va, out=np.ones(len(cells)), where=cell_m @ va > 0))
            va = va * (sec_m.T @ (sectors / (sec_m @ va)))
        out.loc[dict(year=y)] = va / (sec_m.T @ sectors)
        adjusted.append(y)
        moved = cell_m @ va / before - 1
        log(f"national structure {y}: scaled to the published cells and {len(sections)} sections "
            f"(cells moved {100 * moved.min():+.1f} % to {100 * moved.max():+.1f} %)")
    return out, adjusted


def vintage_structures(io_share: xr.DataArray, adjusted_share: xr.DataArray, adjusted_years: list[int]) -> dict:
    """The national industry shares within sectors for each vintage, continuous across the first
    year with published national margins (y0 = 2021).

    ``2023-census``: the published margins from y0 on; before, the tables' structure × each
    industry's y0 ratio of published to tables (the fifth census revised the whole series, so the
    revision measured in y0 is carried back). ``2018-census``: the tables' structure to y0 − 1; from
    y0 on, the tables' y0 structure moved by the published change since y0 (level of the old
    vintage, dynamics of the published figures). Both renormalised within sectors."""
    sec = membership("sector", groups=SECTORS)

    def norm(x):
        return x / xr.dot(sec, xr.dot(sec, x, dim="industry"), dim="group")

    if not adjusted_years:
        return {"2023-census": io_share, "2018-census": io_share}
    y0 = min(adjusted_years)
    ratio = (adjusted_share.sel(year=y0) / io_share.sel(year=y0)).where(io_share.sel(year=y0) > 0, 1.0)
    before = io_share.year < y0
    new = norm(xr.where(before, io_share * ratio, adjusted_share)).transpose(*io_share.dims)
    old = norm(xr.where(before, io_share, adjusted_share / ratio)).transpose(*io_share.dims)
    return {"2023-census": new.fillna(0.0), "2018-census": old.fillna(0.0)}
