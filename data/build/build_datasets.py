"""Build the bundled province datasets (``data/built/<province>.nc``) from ``data/sources/``.

Usage::

    python data/build/build_datasets.py [--out DIR] [--provinces guangxi,china] [--ratio-multiplier 1.0]

Deterministic: the same sources and parameters give byte-identical files. The log (what was read,
the checks, the vintage links) goes to the console and to ``<out>/build_log.txt``; timings go to the
console only. The method is documented in ``data/built/README.md``.
"""

from __future__ import annotations

import os

# Deterministic across machines and callers: BLAS's summation order depends on its thread count
# (a matrix product of the national tables differs in the last bits between 1 and 2 threads), so
# the build runs BLAS on one thread whatever the environment says. Set before numpy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import hashlib  # noqa: E402
import sys  # noqa: E402
import time
from pathlib import Path

import xarray as xr

import national as nat
import provinces as prov
import sources as src
from klems.datasets.classification import load_classification
from klems.base.provinces import province
from klems.datasets.regionalisation import year_status

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
YEARS = list(range(2000, 2023))

#: Parameters of the build (stored in every dataset's attributes).
PARAMETERS = {
    # white paper's "ratio coefficient": ICT GFCF = ratio × output of the ICT products; the ratio is
    # taken from the IO tables (FU201 / output) and multiplied by this named, calibratable factor
    "gfcf_output_ratio_multiplier": 1.0,
    "interpolation_rule": "linear",          # klems.datasets.regionalisation.RULES
    "fai_tilt_exponent": 0.5,                # prior of the provincial RAS: national share × LQ^alpha
    "fai_smoothing_years": 3,                # centred moving average of FAI for the location quotients
    "ict_allocation": "intermediate-use",    # default allocation stored in ict_investment
    "exclude_ict_manufacturing_own_use": 1,  # 1: use of 086–088 products by 086–091 is not investment
    "non_ict_depreciation": 0.096,           # Zhang Jun et al. (2004)
    "vintage_link_year": 2019,
    "first_year": YEARS[0],
    "last_year": YEARS[-1],
}


def published_gdp() -> dict:
    """Provincial GDP printed in the published documents (data/published_figures.csv, figure
    ``gdp``; e.g. the Guangxi white paper's Table 1): these replace the linked vintage."""
    import csv

    with open(DATA / "published_figures.csv", encoding="utf-8") as fh:
        return {(r["region"], int(r["year"])): float(r["value"]) for r in csv.DictReader(fh)
                if r["figure"] == "gdp" and r["region"] != "china"}


class Log:
    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, msg: str) -> None:
        self.lines.append(msg)
        print(msg, flush=True)


def build(out_dir: Path, keys: list[str] | None = None, multiplier: float = 1.0, log=None) -> dict[str, Path]:
    log = log or Log()
    params = dict(PARAMETERS, gfcf_output_ratio_multiplier=multiplier)
    cls = load_classification()
    rule = params["interpolation_rule"]

    # ---- national structure -------------------------------------------------------------------
    tables = nat.benchmark_tables(log)
    struct = nat.structure(tables)
    ratios = nat.carried(struct, YEARS, rule)
    bench = year_status(YEARS, list(nat.TABLE_YEARS))
    log(f"structure carried to {YEARS[0]}-{YEARS[-1]} by the '{rule}' rule from tables {nat.TABLE_YEARS}; "
        f"extrapolated (held) years: {[y for y, s in zip(YEARS, bench) if s == 'extrapolated']}")

    # ---- published aggregates -----------------------------------------------------------------
    gdp = src.provincial_gdp(YEARS)
    va_sector, gdp_total, va_status, gdp_status = prov.link_vintage(
        gdp, published_gdp(), params["vintage_link_year"], log)
    fai, fai_st = src.provincial_fai(YEARS)
    cap = src.provincial_capital(1978, YEARS)
    # years before 2003: the 2003 FAI structure scaled with fixed capital formation
    pre = [y for y in YEARS if y < 2003]
    if pre:
        fai.loc[dict(year=pre)] = fai.sel(year=2003) * (cap["gfcf"].sel(year=pre) / cap["gfcf"].sel(year=2003))
    # the provinces' levels come from fixed capital formation, the section mix from FAI (FAI levels
    # differ from GFCF widely across provinces, and after 2018 the FAI figures are growth-derived)
    fai_mix = cap["gfcf"].sel(year=YEARS) * fai / fai.sum("fai_section")
    emp3 = src.provincial_employment(YEARS)
    defl_sector = prov.sector_deflators(va_sector, gdp["index_sector"])

    # ---- national series by industry ------------------------------------------------------------
    nat_va_sector = va_sector.sel(province="china")
    n = nat.national_by_industry(ratios, nat_va_sector)
    nat_inv, nat_ict_out = nat.ict_investment(ratios, n["gross_output"], multiplier)
    nat_alloc = nat.allocation(ratios["ict_use_coefficient"], n["gross_output"])
    nat_alloc_lit = nat.allocation(ratios["ict_use_coefficient_literal"], n["gross_output"])
    emp_codes = src.national_employment_by_code(YEARS)
    labour_nat = n["components"].sel(component="labour_compensation")
    emp_nat = prov.scale_within_sectors(nat.employment_by_industry(emp_codes, labour_nat, YEARS),
                                        emp3.sel(province="china"))
    productivity = n["value_added"] / emp_nat.where(emp_nat > 0)

    # ---- provinces -------------------------------------------------------------------------------
    va_reg = prov.regional_value_added(va_sector, ratios["va_share_in_sector"], fai_mix,
                                       params["fai_tilt_exponent"], params["fai_smoothing_years"])
    go_reg = va_reg / ratios["va_to_output"]
    coef = ratios["ict_use_coefficient"]
    ict_reg = prov.regional_ict_investment(nat_inv, nat_alloc, coef, go_reg, fai_mix)
    lit_reg = prov.regional_ict_investment(nat_inv, nat_alloc_lit, ratios["ict_use_coefficient_literal"], go_reg,
                                           fai_mix)
    log(f"provinces summed vs nation, ICT investment by asset: max relative gap "
        f"{float(abs(ict_reg.sum(('province', 'industry')) / nat_inv - 1).max()):.2e} (by construction)")

    keys = keys or ["china", *src.PROVINCES]
    written = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    for key in keys:
        if key == "china":
            parts = dict(
                va=n["value_added"], go=n["gross_output"], comps=n["components"], ict=nat_inv * nat_alloc,
                ict_lit=nat_inv * nat_alloc_lit, fai=fai.sum("province"),
                fai_st=_worst(fai_st, ("province", "fai_section")), emp=emp_nat,
            )
            gfcf, gfcf_status = src.national_gfcf(1978, YEARS[-1])
            iprice, iprice_status = src.national_investment_price(list(range(1978, YEARS[-1] + 1)))
            iprice = iprice / float(iprice.sel(year=YEARS[0])) * 100.0
            iprice_status = iprice_status[YEARS[0] - 1978:]
            gfcf_status = gfcf_status[YEARS[0] - 1978:]
            structure_status = ["derived" if s == "benchmark" else "modelled" for s in bench]
        else:
            va_p = va_reg.sel(province=key, drop=True)
            emp_prior = va_p / productivity
            emp_p = prov.scale_within_sectors(emp_prior.fillna(0.0), emp3.sel(province=key, drop=True))
            parts = dict(
                va=va_p, go=go_reg.sel(province=key, drop=True), comps=ratios["component_share"] * va_p,
                ict=ict_reg.sel(province=key, drop=True), ict_lit=lit_reg.sel(province=key, drop=True),
                fai=fai.sel(province=key, drop=True), fai_st=_worst(fai_st.sel(province=key), ("fai_section",)),
                emp=emp_p,
            )
            gfcf = cap["gfcf"].sel(province=key, drop=True)
            iprice = cap["investment_price"].sel(province=key, drop=True)
            gfcf_status = ["published" if y <= 2017 else "modelled" for y in YEARS]
            iprice_status = ["published" if y <= 2019 else "modelled" for y in YEARS]
            structure_status = ["modelled"] * len(YEARS)
        iprice, iprice_status, iprice_source = _with_price_index(key, iprice, iprice_status, log)
        ds = assemble(key, parts, ratios, nat_inv, nat_ict_out, struct, va_sector, gdp_total, va_status,
                      gdp_status, gdp, defl_sector, emp3, gfcf, gfcf_status, iprice, iprice_status,
                      iprice_source, structure_status, params, cls, log)
        path = out_dir / f"{key}.nc"
        write(ds, path)
        written[key] = path
    national_tables(tables, struct).pipe(write, out_dir / "national_io_tables.nc")
    (out_dir / "build_log.txt").write_text("\n".join(log.lines) + "\n", encoding="utf-8")
    return written


def _with_price_index(key, iprice, status, log):
    """Years 2000–2022 of the non-ICT deflator from ``price_index.investment_deflator`` (the NBS
    fixed-asset-investment price index, spliced with the retail price index after 2019) where it
    covers the province; earlier years (for the aggregate stock since 1978) keep the CHNCapitalStock
    index, linked at 2000 (both 2000 = 100). Without it (Tibet has no FAI price index) the
    CHNCapitalStock index throughout."""
    fallback = ("CHNCapitalStock InvestPrice (secondary copy of the Zhang Jun et al. investment price index; "
                "retail price index after 2019)") if key != "china" else \
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


from assemble import assemble, national_tables, write  # noqa: E402  (kept after the helpers it uses)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the bundled province datasets.")
    parser.add_argument("--out", type=Path, default=DATA / "built")
    parser.add_argument("--provinces", default="", help="comma-separated keys (default: all 31 and china)")
    parser.add_argument("--ratio-multiplier", type=float, default=1.0,
                        help="factor on the GFCF/output ratios of the ICT products (default 1)")
    args = parser.parse_args(argv)
    keys = [province(k).key for k in args.provinces.split(",") if k.strip()] or None
    start = time.perf_counter()
    log = Log()
    written = build(args.out, keys, args.ratio_multiplier, log)
    total = 0
    for key, path in written.items():
        size = path.stat().st_size
        total += size
        print(f"{path.name:24s} {size / 1024:8.1f} KiB  sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}")
    print(f"{len(written)} datasets, {total / 1024 / 1024:.2f} MiB, built in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
