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
