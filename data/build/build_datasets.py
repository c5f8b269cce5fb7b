"""Build the bundled province datasets (``data/built/``) from ``data/sources/`` (build-only code).

Usage (from the repository root)::

    python -m data.build [--out DIR] [--provinces guangxi,china] [--vintages 2023-census,2018-census]
                         [--ratio-multiplier 1.0]

Writes ``<province>.nc`` (the latest vintage, ``2023-census``) and ``<province>_<vintage>.nc`` for
the other vintages (``2018-census``), plus ``national_io_tables.nc`` and ``build_log.txt``.
Deterministic: the same sources and parameters give byte-identical files. The log (what was read,
the checks, the vintage links) goes to the console and to ``<out>/build_log.txt``; timings go to
the console only. The method is documented in ``data/built/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from pathlib import Path

import xarray as xr

from klems.base.provinces import province
from klems.datasets.bundled import dataset_file
from klems.datasets.classification import load_classification
from klems.datasets.regionalisation import year_status

from . import cells as cl, national as nat, provinces as prov, sources as src, vintages as vint
from .assemble import assemble, national_tables, write

DATA = src.SOURCES.parent
YEARS = list(range(2000, 2025))

#: Parameters of the build (stored in every dataset's attributes).
PARAMETERS = {
    # white paper's "ratio coefficient": ICT GFCF = ratio × output of the ICT products; the ratio is
    # taken from the IO tables (FU201 / output) and multiplied by this named, calibratable factor
    "gfcf_output_ratio_multiplier": 1.0,
    "interpolation_rule": "linear",          # klems.datasets.regionalisation.RULES
    # prior within a cell: national share × (urban-unit wage-bill location quotient)^beta; the wage bill
    # covers non-private units only, whose coverage differs by province and section, so it is used as
    # a damped (square-root) tilt like the FAI quotient it replaces; 0 and 1 are reported by the
    # back-tests (python -m data.build.backtests)
    "wage_tilt_exponent": 0.5,
    "fai_smoothing_years": 3,                # centred moving average of FAI for the ICT shares
    "fai_mix_max_change": 1.25,              # ×/÷ a year for the source-derived FAI section mix after 2017
    "ict_allocation": "intermediate-use",    # default allocation stored in ict_investment
    "exclude_ict_manufacturing_own_use": 1,  # 1: use of 086–088 products by 086–091 is not investment
    "ict_scaled_to_provincial_gfcf": 1,      # 1: provinces' ICT investment × (Σ provincial GFCF / national GFCF)
    "non_ict_depreciation": 0.096,           # Zhang Jun et al. (2004)
    "census_link_years": ",".join(map(str, vint.CENSUS_LINK_YEARS)),
    "first_year": YEARS[0],
    "last_year": YEARS[-1],
}


def published_gdp() -> dict:
    """Provincial GDP printed in the published documents (data/published_figures.csv, figure
    ``gdp``; e.g. the Guangxi white paper's Table 1): these replace the linked 2018-census vintage."""
    with open(DATA / "published_figures.csv", encoding="utf-8") as fh:
        return {(r["region"], int(r["year"])): float(r["value"]) for r in csv.DictReader(fh)
                if r["figure"] == "gdp" and r["region"] != "china"}


class Log:
    def __init__(self, echo: bool = True):
        self.lines: list[str] = []
        self.echo = echo

    def __call__(self, msg: str) -> None:
        self.lines.append(msg)
        if self.echo:
            print(msg, flush=True)


def _extend_by_gdp_ratio(series: xr.DataArray, gdp: xr.DataArray, last: int, years) -> xr.DataArray:
    """``series`` (… × year) to ``years``: after ``last`` the last year's ratio to GDP × GDP."""
    out = series.reindex(year=list(years))
    post = [y for y in years if y > last]
    if post:
        ratio = series.sel(year=last) / gdp.sel(year=last)
        out.loc[dict(year=post)] = ratio * gdp.sel(year=post)
    return out


def _extend_by_last_growth(series: xr.DataArray, years) -> xr.DataArray:
    last = int(series.year.values[-1])
    out = series.reindex(year=sorted(set(series.year.values) | set(years)))
    g = series.sel(year=last) / series.sel(year=last - 1)
    for y in [y for y in years if y > last]:
        out.loc[dict(year=y)] = out.sel(year=y - 1) * g
    return out


def inputs(log) -> dict:
    """Everything the build reads, independent of the vintage."""
    tables = nat.benchmark_tables(log)
    struct = nat.structure(tables)
    ratios = nat.carried(struct, YEARS, PARAMETERS["interpolation_rule"])
    bench = year_status(YEARS, list(nat.TABLE_YEARS))
    log(f"structure carried to {YEARS[0]}-{YEARS[-1]} by the '{PARAMETERS['interpolation_rule']}' rule from tables "
        f"{nat.TABLE_YEARS}; extrapolated (held) years: {[y for y, s in zip(YEARS, bench) if s == 'extrapolated']}")
    nat_new = src.national_after_census2023()
    adj_share, adjusted = nat.apply_margins(ratios["va_share_in_sector"], nat_new, log)
    shares = nat.vintage_structures(ratios["va_share_in_sector"], adj_share, adjusted)
    panel = src.provincial_gdp(YEARS)
    panel["index_sector"] = vint.real_index(panel, src.provincial_gdp_index(), YEARS)
    nbs = src.nbs_groups()
    # cells: the nation's cell shares of its sectors (per vintage), the provinces' published ones
    # (2023-census); the 2018-census vintage keeps the provinces' shares relative to the nation
    member = cl.cell_membership()
    pub_cells = cl.cells_from_groups(nbs["va_sector"], nbs["va_group"])
    nat_cells = {v: xr.dot(member, s, dim="industry") for v, s in shares.items()}
    cell_share_new, cell_status = cl.carried_shares(pub_cells, nat_cells[vint.LATEST], YEARS)
    by_vintage = {}
    for v, s in shares.items():
        cs = cell_share_new if v == vint.LATEST else \
            cl.renormalise(cell_share_new * (nat_cells[v] / nat_cells[vint.LATEST]).fillna(1.0))
        by_vintage[v] = {"va_share_in_sector": s, "share_in_cell": s / xr.dot(member, nat_cells[v], dim="cell"),
                         "cell_share": cs}
    urban = src.urban_units_by_section()
    lq, lq_status = cl.wage_location_quotients(urban, YEARS)
    fai, fai_st = src.provincial_fai(YEARS)
    cap = src.provincial_capital(1978, YEARS)
    return dict(tables=tables, struct=struct, ratios=ratios, bench=bench, nat_new=nat_new, adjusted=adjusted,
                panel=panel, nbs=nbs, sheet2=src.gdp_sheet2(), by_vintage=by_vintage, cell_status=cell_status, lq=lq, lq_status=lq_status, relwage=cl.relative_wages(urban, YEARS),
                revenue=src.census_c39(), fai=fai, fai_st=fai_st, cap=cap, emp3=src.provincial_employment(YEARS),
                emp_codes=src.national_employment_by_code(YEARS))


def regionalise(vintage: str, inp: dict, params: dict, log) -> dict:
    """The provinces' and the nation's variables of one vintage (before assembly)."""
    ratios = inp["ratios"].copy()
    ratios["va_share_in_sector"] = inp["by_vintage"][vintage]["va_share_in_sector"]
    agg = vint.aggregates(vintage, inp["panel"], inp["nbs"], inp["sheet2"], inp["nat_new"], published_gdp(),
                          YEARS, log)
    va_sector, gdp_total = agg["va_sector"], agg["gdp"]
    provinces = list(src.PROVINCES)
    # fixed capital formation to the last year: the last source year's ratio to GDP carried (modelled)
    cap = inp["cap"]
    last_cap = cap.attrs["last_source_year"]
    gfcf = _extend_by_gdp_ratio(cap["gfcf"], gdp_total.sel(province=provinces), last_cap,
                                list(cap.year.values) + [y for y in YEARS if y > last_cap])
    iprice = _extend_by_last_growth(cap["investment_price"], YEARS)
    nat_gfcf, nat_gfcf_status = src.national_gfcf(1978, 2022)
    nat_gfcf = _extend_by_gdp_ratio(nat_gfcf, gdp_total.sel(province="china"), 2022, range(1978, YEARS[-1] + 1))
    nat_gfcf_status = nat_gfcf_status + ["modelled"] * (YEARS[-1] - 2022)
    # the provinces' FAI: levels from GFCF, section mix from FAI (stabilised after 2017)
    fai = prov.stabilise_fai_mix(inp["fai"], cap=params["fai_mix_max_change"])
    fai_mix = gfcf.sel(year=YEARS) * fai / fai.sum("fai_section")
    emp3 = inp["emp3"]
    defl_sector = prov.sector_deflators(va_sector, inp["panel"]["index_sector"])

    # ---- national series by industry ------------------------------------------------------------
    n = nat.national_by_industry(ratios, va_sector.sel(province="china"))
    multiplier = params["gfcf_output_ratio_multiplier"]
    nat_inv, nat_ict_out = nat.ict_investment(ratios, n["gross_output"], multiplier)
    nat_alloc = nat.allocation(ratios["ict_use_coefficient"], n["gross_output"])
    nat_alloc_lit = nat.allocation(ratios["ict_use_coefficient_literal"], n["gross_output"])
    labour_nat = n["components"].sel(component="labour_compensation")
    emp_nat = prov.scale_within_sectors(nat.employment_by_industry(inp["emp_codes"], labour_nat, YEARS),
                                        emp3.sel(province="china"))
    productivity = n["value_added"] / emp_nat.where(emp_nat > 0)

    # ---- provinces ---------------------------------------------------------------------------------
    sector_of_cell = xr.DataArray([cl.cell_sector(c) for c in cl.CELLS], dims="cell", coords={"cell": list(cl.CELLS)})
    cell_totals = inp["by_vintage"][vintage]["cell_share"] * va_sector.sel(province=provinces).sel(sector=sector_of_cell).drop_vars("sector")
    cell_status = inp["cell_status"] if vintage == vint.LATEST else \
        xr.full_like(inp["cell_status"], "modelled", dtype=object)
    elec = cl.electronics_shares(inp["revenue"], cell_totals.sel(cell="industry_secondary"))
    tilt = inp["lq"] ** params["wage_tilt_exponent"]
    va_reg = prov.regional_value_added(cell_totals, inp["by_vintage"][vintage]["share_in_cell"], tilt, elec)
    go_reg = va_reg / ratios["va_to_output"]
    scale = gfcf.sel(year=YEARS).sum("province") / nat_gfcf.sel(year=YEARS) \
        if params["ict_scaled_to_provincial_gfcf"] else None
    fai_s = prov.smooth_years(fai_mix, params["fai_smoothing_years"])
    ict_reg = prov.regional_ict_investment(nat_inv, nat_alloc, ratios["ict_use_coefficient"], go_reg, fai_s, scale)
    lit_reg = prov.regional_ict_investment(nat_inv, nat_alloc_lit, ratios["ict_use_coefficient_literal"], go_reg,
                                           fai_s, scale)
    if scale is not None:
        log(f"{vintage}: provinces' ICT investment = the nation's x (provinces' GFCF / national GFCF), "
            f"{float(scale.min()):.3f}-{float(scale.max()):.3f}")
    return dict(agg=agg, va_sector=va_sector, gdp_total=gdp_total, gfcf=gfcf, iprice=iprice, nat_gfcf=nat_gfcf,
                nat_gfcf_status=nat_gfcf_status, fai=fai, fai_mix=fai_mix, defl_sector=defl_sector, n=n,
                nat_inv=nat_inv, nat_ict_out=nat_ict_out, nat_alloc=nat_alloc, nat_alloc_lit=nat_alloc_lit,
                emp_nat=emp_nat, productivity=productivity, cell_totals=cell_totals, cell_status=cell_status,
                elec=elec, va_reg=va_reg, go_reg=go_reg, ict_reg=ict_reg, lit_reg=lit_reg, last_cap=last_cap,
                ratios=ratios)


def _parts(key: str, r: dict, inp: dict, params: dict):
    ratios = r["ratios"]
    emp3, fai_st = inp["emp3"], inp["fai_st"]
    emp_status = ["published" if y <= emp3.attrs["last_source_year"] else "modelled" for y in YEARS]
    if key == "china":
        n = r["n"]
        parts = dict(va=n["value_added"], go=n["gross_output"], comps=n["components"], ict=r["nat_inv"] * r["nat_alloc"],
                     ict_lit=r["nat_inv"] * r["nat_alloc_lit"], fai=r["fai"].sum("province"),
                     fai_st=_worst(fai_st, ("province", "fai_section")), emp=r["emp_nat"], cells=None)
        gfcf, gfcf_status = r["nat_gfcf"], r["nat_gfcf_status"][YEARS[0] - 1978:]
        iprice, iprice_status = src.national_investment_price(list(range(1978, 2023)))
        iprice = _extend_by_last_growth(iprice / float(iprice.sel(year=YEARS[0])) * 100.0, YEARS)
        iprice_status = iprice_status[YEARS[0] - 1978:] + ["modelled"] * (YEARS[-1] - 2022)
        structure_status = ["derived" if s == "benchmark" or y in inp["adjusted"] else "modelled"
                            for y, s in zip(YEARS, inp["bench"])]
    else:
        va_p = r["va_reg"].sel(province=key, drop=True)
        sec_of = xr.DataArray(load_classification()["fai_section"].to_numpy(object), dims="industry")
        relwage = inp["relwage"].sel(province=key, drop=True).sel(fai_section=sec_of).drop_vars("fai_section")
        emp_prior = va_p / r["productivity"] / relwage
        emp_p = prov.scale_within_sectors(emp_prior.fillna(0.0), emp3.sel(province=key, drop=True))
        parts = dict(va=va_p, go=r["go_reg"].sel(province=key, drop=True), comps=ratios["component_share"] * va_p,
                     ict=r["ict_reg"].sel(province=key, drop=True), ict_lit=r["lit_reg"].sel(province=key, drop=True),
                     fai=r["fai"].sel(province=key, drop=True),
                     fai_st=_worst(fai_st.sel(province=key), ("fai_section",)), emp=emp_p,
                     cells=r["cell_totals"].sel(province=key, drop=True))
        gfcf = r["gfcf"].sel(province=key, drop=True)
        gfcf_status = ["published" if y <= 2017 else "modelled" for y in YEARS]
        iprice = r["iprice"].sel(province=key, drop=True)
        iprice_status = ["published" if y <= 2019 else "modelled" for y in YEARS]
        structure_status = ["modelled"] * len(YEARS)
    parts["emp_status"] = emp_status
    return parts, gfcf, gfcf_status, iprice, iprice_status, structure_status


def build(out_dir: Path, keys: list[str] | None = None, multiplier: float = 1.0, log=None,
          vintages=vint.VINTAGES) -> dict[str, Path]:
    log = log or Log()
    params = dict(PARAMETERS, gfcf_output_ratio_multiplier=multiplier)
    cls = load_classification()
    inp = inputs(log)
    keys = keys or ["china", *src.PROVINCES]
    written = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    for vintage in vintages:
        r = regionalise(vintage, inp, params, log)
        for key in keys:
            parts, gfcf, gfcf_status, iprice, iprice_status, structure_status = _parts(key, r, inp, params)
            iprice, iprice_status, iprice_source = _with_price_index(key, iprice, iprice_status, log)
            ds = assemble(key, vintage, parts, inp, r, gfcf, gfcf_status, iprice, iprice_status, iprice_source,
                          structure_status, params, cls, log)
            path = out_dir / dataset_file(key, vintage)
            write(ds, path)
            written[path.name] = path
    national_tables(inp["tables"], inp["struct"]).pipe(write, out_dir / "national_io_tables.nc")
    (out_dir / "build_log.txt").write_text("\n".join(log.lines) + "\n", encoding="utf-8")
    return written


def _with_price_index(key, iprice, status, log):
    """Years 2000–2024 of the non-ICT deflator from ``price_index.investment_deflator`` (the NBS
    fixed-asset-investment price index, spliced with the retail price index after 2019,
    extrapolated after 2022) where it covers the province; earlier years (for the aggregate stock
    since 1978) keep the CHNCapitalStock index, linked at 2000 (both 2000 = 100). Without it (Tibet
    has no FAI price index) the CHNCapitalStock index throughout, its last growth held after 2022."""
    fallback = ("CHNCapitalStock InvestPrice (secondary copy of the Zhang Jun et al. investment price index; "
                "retail price index after 2019; last growth held after 2022)") if key != "china" else \
        "NBS 固定资产投资价格指数 to 2019, retail price index after (modelled)"
    try:
        from price_index.deflators import investment_deflator
        series = investment_deflator(key, start=YEARS[0], end=YEARS[-1])
    except (ImportError, ValueError) as exc:
        log(f"{key}: non-ICT deflator from the fallback ({type(exc).__name__}: {str(exc)[:80]})")
        return iprice, status, fallback
    out = iprice.copy()
    out.loc[dict(year=YEARS)] = series.loc[YEARS].to_numpy(float)
    st = [{"published": "published", "derived": "derived"}.get(str(v), "modelled")
          for v in series.attrs["status"].loc[YEARS]]
    return out, st, ("price_index.investment_deflator: " + series.attrs.get("long_name", "") +
                     " (NBS FAI price index; retail price index after 2019); pre-2000 years for the "
                     "aggregate stock: " + fallback)


def _worst(status: xr.DataArray, dims) -> list[str]:
    order = {"published": 0, "derived": 1, "modelled": 2}
    st = status.transpose(..., "year").values.reshape(-1, status.sizes["year"])
    return [max(col, key=lambda s: order[s]) for col in st.T]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the bundled province datasets.")
    parser.add_argument("--out", type=Path, default=DATA / "built")
    parser.add_argument("--provinces", default="", help="comma-separated keys (default: all 31 and china)")
    parser.add_argument("--vintages", default=",".join(vint.VINTAGES),
                        help=f"comma-separated vintages (default: {','.join(vint.VINTAGES)})")
    parser.add_argument("--ratio-multiplier", type=float, default=1.0,
                        help="factor on the GFCF/output ratios of the ICT products (default 1)")
    args = parser.parse_args(argv)
    keys = [province(k).key for k in args.provinces.split(",") if k.strip()] or None
    vintages = [v.strip() for v in args.vintages.split(",") if v.strip()]
    unknown = [v for v in vintages if v not in vint.VINTAGES]
    if unknown:
        parser.error(f"unknown vintage(s) {unknown}; expected some of {', '.join(vint.VINTAGES)}")
    start = time.perf_counter()
    log = Log()
    written = build(args.out, keys, args.ratio_multiplier, log, vintages)
    total = 0
    for name, path in written.items():
        size = path.stat().st_size
        total += size
        print(f"{name:32s} {size / 1024:8.1f} KiB  sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}")
    print(f"{len(written)} datasets, {total / 1024 / 1024:.2f} MiB, built in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
