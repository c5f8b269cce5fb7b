"""Extract the price series the deflators need from ``../shared/reference-data`` into
``data/sources/prices/`` as tidy CSV (figures only; see ``data/sources/prices/PROVENANCE.md``).

Run from the repository root::

    python -m data.build.extract_price_sources [--shared ../shared]   (build-only code)

The script copies numbers; it computes nothing. Province names become the keys of
``klems.base.provinces`` ('china' for the nation). Output is deterministic (sorted rows, fixed float
formatting), so re-running it on the same reference data gives byte-identical files.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

from klems.base.provinces import province

OUT = Path("data/sources/prices")

NATIONAL_SERIES = {
    "PPI_C39_computer_communication_electronic_equipment": "ppi_c39",
    "FAI_price_index_total": "fai_total",
    "FAI_price_index_equipment_purchase": "fai_equipment_purchase",
    "CPI_transport_and_communication": "cpi_transport_communication",
    "CPI_all": "cpi_all",
    "RPI_retail_price_index": "rpi",
}


def _key(name: str) -> str:
    name = str(name).split(":")[0].split("_")[0].strip()
    return province(name).key


def national(shared: Path) -> pd.DataFrame:
    d = pd.read_csv(shared / "price-indices/china_national_price_indices_annual.csv")
    d = d[d.series.isin(NATIONAL_SERIES)].copy()
    d["series"] = d.series.map(NATIONAL_SERIES)
    d = d[d.year >= 1990]
    d["unit"] = "previous year = 100"
    d["origin"] = d.source.str.split(" ").str[0]
    return d[["series", "year", "value", "unit", "origin"]].sort_values(["series", "year"])


def national_gdp(shared: Path) -> pd.DataFrame:
    rows = []
    old = shared / "china-national-annual-nbs-1978-2014/国民经济核算"
    new = shared / "china-national-annual-nbs-2010-2022/国民经济核算"
    for vintage, nominal, index in (
        ("nbs-1978-2014", pd.read_csv(old / "国内生产总值.csv"),
         pd.read_csv(old / "国内生产总值指数/国内生产总值指数(上年=100).csv")),
        ("nbs-2010-2022", pd.read_excel(new / "国内生产总值.xlsx"),
         pd.read_excel(new / "国内生产总值指数/国内生产总值指数(上年=100).xlsx")),
    ):
        for frame, col, var, unit in ((nominal, "国内生产总值", "gdp_nominal", "1e8 CNY"),
                                      (index, "国内生产总值指数(上年=100)", "gdp_index",
                                       "previous year = 100")):
            years = frame.iloc[:, 0].astype(str).str.rstrip("年").astype(int)
            for y, v in zip(years, frame[col]):
                if 1990 <= y and pd.notna(v):
                    rows.append({"vintage": vintage, "variable": var, "year": y, "value": v,
                                 "unit": unit})
    return pd.DataFrame(rows).sort_values(["vintage", "variable", "year"])


def _wind_wide(path: Path, unit: str, first_year: int) -> pd.DataFrame:
    """Wind-style export: rows = provinces (column 1 '广西:…'), columns from 8 on = years."""
    raw = pd.read_excel(path, header=None)
    years = pd.to_datetime(raw.iloc[0, 8:]).dt.year.to_numpy()
    rows = []
    for _, r in raw.iloc[1:].iterrows():
        if not isinstance(r[1], str) or ":" not in r[1]:
            continue
        key = _key(r[1])
        for y, v in zip(years, r.iloc[8:]):
            if y >= first_year and pd.notna(v):
                rows.append({"province": key, "year": int(y), "value": float(v), "unit": unit,
                             "indicator_id": r[4]})
    return pd.DataFrame(rows).sort_values(["province", "year"])


def province_gdp(shared: Path) -> pd.DataFrame:
    path = shared / "provincial-panels/gdp_by_province_1952_2024.xlsx"
    s1 = pd.read_excel(path, sheet_name="sheet1")
    rows = []
    for _, r in s1.iterrows():
        y = int(r["年份"])
        if y < 1995:
            continue
        key = _key(r["省级"])
        for col, var, unit in (("地区生产总值/亿元", "gdp_nominal", "1e8 CNY"),
                               ("地区生产总值指数(上年=100)", "gdp_index", "previous year = 100")):
            if pd.notna(r[col]):
                rows.append({"province": key, "vintage": "sheet1", "variable": var, "year": y,
                             "value": float(r[col]), "unit": unit})
    s2 = pd.read_excel(path, sheet_name="Sheet2")
    for _, r in s2.iterrows():
        key = _key(r.iloc[0])
        for y in s2.columns[1:]:
            if pd.notna(r[y]):
                rows.append({"province": key, "vintage": "sheet2", "variable": "gdp_nominal",
                             "year": int(y), "value": float(r[y]), "unit": "1e8 CNY"})
    return pd.DataFrame(rows).sort_values(["province", "vintage", "variable", "year"])


def japan(shared: Path) -> pd.DataFrame:
    sheets = pd.read_excel(shared / "international-ict-prices/euklems2023_JP_capital_accounts.xlsx",
                           sheet_name=None)
    rows = []
    for name, frame in sheets.items():
        if not (name.startswith("I_") or name.startswith("Ip_")):
            continue
        tot = frame[frame.nace_r2_code == "TOT"]
        if tot.empty:
            continue
        var, asset = name.split("_", 1)
        unit = "million JPY, current prices" if var == "I" else "index 2020=100"
        for y in range(1995, 2022):
            row = tot.iloc[0]
            v = row.get(y, row.get(str(y)))
            if pd.notna(v):
                rows.append({"variable": var, "asset": asset, "year": y, "value": float(v),
                             "unit": unit})
    return pd.DataFrame(rows).sort_values(["variable", "asset", "year"])


def bea(shared: Path) -> pd.DataFrame:
    d = pd.read_csv(shared / "international-ict-prices/"
                    "B935RG3Q086SBEA_computers_peripherals_price_index_quarterly.csv")
    d = d.rename(columns={"DATE": "quarter_start", "B935RG3Q086SBEA": "value"})
    # the shared PROVENANCE says 2012 = 100, but the figures average 100.0 over 2009 (90.1 in
    # 2012): this vintage is on the 2009 base
    d["unit"] = "index 2009=100"
    return d


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", type=Path)
    args = ap.parse_args(argv)
    ref = args.shared / "reference-data"
    OUT.mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings("ignore", module="openpyxl")
    pcs = ref / "provincial-capital-stock"
    outputs = {
        "national_price_indices.csv": national(ref),
        "national_gdp.csv": national_gdp(ref),
        "province_fai_price_index.csv": _wind_wide(pcs / "fai_price_index_by_province_to2019.xlsx",
                                                   "previous year = 100", 1990),
        "province_retail_price_index.csv": _wind_wide(
            pcs / "retail_price_index_by_province_to2022.xlsx", "previous year = 100", 1990),
        "province_gdp.csv": province_gdp(ref),
        "euklems2023_japan_investment.csv": japan(ref),
        "bea_computers_price_index_quarterly.csv": bea(ref),
    }
    for name, frame in outputs.items():
        frame.to_csv(OUT / name, index=False, float_format="%.10g", lineterminator="\n")
        print(f"wrote {OUT / name}: {len(frame)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
