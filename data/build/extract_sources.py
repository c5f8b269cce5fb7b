"""Copy the raw extracts that the dataset build reads from ``../shared/reference-data`` into
``data/sources/`` (run once by a maintainer; the build itself never reads ``../shared``).
Build-only code (not installed with the package).

Usage (from the repository root)::

    python -m data.build.extract_sources [--shared PATH]

Files are copied byte for byte where they are CSV already. Workbooks (.xlsx) of the NBS national
database are converted to CSV with pandas (figures unchanged, first sheet, the year column renamed
``year`` and the trailing 年 dropped). ``data/sources/PROVENANCE.md`` lists where each file comes from.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
OUT = DATA / "sources"

# target (relative to data/sources) -> source (relative to reference-data)
COPIES = {
    "io_tables/china_2012_139.csv": "china-io-tables/china_2012_139.csv",
    "io_tables/china_2015_42.csv": "china-io-tables/china_2015_42.csv",
    "io_tables/china_2017_149.csv": "china-io-tables/china_2017_149.csv",
    "io_tables/china_2018_153.csv": "china-io-tables/china_2018_153.csv",
    "io_tables/china_2020_153.csv": "china-io-tables/china_2020_153.csv",
    "national/china_employment_by_sector_1990_2018.csv": "china-io-tables/china_employment.csv",
    "national/china_national_price_indices_annual.csv":
        "price-indices/china_national_price_indices_annual.csv",
    "provincial/gdp_by_province_1952_2024.csv": "provincial-panels/gdp_by_province_1952_2024.csv",
    "provincial/fai_by_province_by_industry_2003_2023.csv":
        "provincial-panels/fai_by_province_by_industry_2003_2023.csv",
    "provincial/employment_by_province_3sectors_1985_2023.csv":
        "provincial-panels/employment_by_province_3sectors_1985_2023.csv",
    "provincial/chncapitalstock_asset_1952_2022.csv":
        "provincial-capital-stock/chncapitalstock_asset_1952_2022.csv",
    "published/caict_digital_economy_scale_published_figures.csv":
        "caict-digital-economy/caict_digital_economy_scale_published_figures.csv",
    "published/caict_national_digital_economy_penetration_2019_2023.csv":
        "caict-digital-economy/caict_national_digital_economy_penetration_2019_2023.csv",
    # provincial detail below the three sectors (../shared PROVENANCE section 10)
    **{f"provincial_industry/nbs_provincial_value_added_by_industry_{y}.csv":
       f"provincial-industry/nbs_provincial_value_added_by_industry_{y}.csv" for y in range(2019, 2024)},
    "provincial_industry/nbs_provincial_gdp_index_2016_2025.csv":
        "provincial-industry/nbs_provincial_gdp_index_2016_2025.csv",
    "provincial_industry/nbs_census2023_electronics_c39_by_province.json":
        "provincial-industry/nbs_census2023_electronics_c39_by_province.json",
    "io_tables/chongqing_2023_42_grid.csv": "provincial-industry/chongqing_io_table_2023_42_grid.csv",
}

#: urban-unit employment and wage bill by the 19 sections (the rows the build reads, tidy)
WAGE_SOURCE = "provincial-industry/nbs_provincial_employment_wages_by_section_2012_2020.csv"
WAGE_TARGET = "provincial_industry/nbs_provincial_urban_units_by_section_2012_2020.csv"

# target -> (source workbook or csv, kind)
CONVERSIONS = {
    "national/nbs_gdp_2010_2022.csv":
        "china-national-annual-nbs-2010-2022/国民经济核算/国内生产总值.xlsx",
    "national/nbs_gdp_index_2010_2022.csv":
        "china-national-annual-nbs-2010-2022/国民经济核算/国内生产总值指数/国内生产总值指数(上年=100).xlsx",
    "national/nbs_gdp_expenditure_2010_2022.csv":
        "china-national-annual-nbs-2010-2022/国民经济核算/支出法国内生产总值.xlsx",
    "national/nbs_gdp_1978_2014.csv":
        "china-national-annual-nbs-1978-2014/国民经济核算/国内生产总值.csv",
    "national/nbs_gdp_index_1978_2014.csv":
        "china-national-annual-nbs-1978-2014/国民经济核算/国内生产总值指数/国内生产总值指数(上年=100).csv",
    "national/nbs_gdp_expenditure_1978_2014.csv":
        "china-national-annual-nbs-1978-2014/国民经济核算/支出法国内生产总值.csv",
}


def _convert(src: Path, dst: Path) -> None:
    if src.suffix == ".xlsx":
        frame = pd.read_excel(src)
    else:
        frame = pd.read_csv(src)
    first = frame.columns[0]
    frame = frame.rename(columns={first: "year"})
    frame["year"] = frame["year"].astype(str).str.replace("年", "", regex=False).astype(int)
    frame = frame.sort_values("year")
    frame.to_csv(dst, index=False, float_format="%.10g")


def _wages(src: Path, dst: Path) -> None:
    """Rows 城镇单位就业人员 (万人) and 城镇单位就业人员工资总额 (亿元) by section, wide layout
    (province, indicator as printed, unit, one column a year 2012-2020); figures unchanged. The wage rows keep
    the GB/T 4754-2002 section names, the employment rows the 2011 names, as in the source."""
    raw = pd.read_csv(src)
    keep = raw["industry"].str.endswith("城镇单位就业人员") | raw["industry"].str.endswith("城镇单位就业人员工资总额")
    keep &= ~raw["industry"].str.contains("私营|国有|集体|其他城镇")
    raw = raw[keep].drop_duplicates(["city", "industry"])
    cols = [f"list_{y}" for y in range(2012, 2021)]
    out = raw[["city", "industry", "unit", *cols]].rename(
        columns={"city": "province", "industry": "indicator", **{c: c[5:] for c in cols}})
    out = out.sort_values(["province", "indicator"], kind="mergesort")
    out.to_csv(dst, index=False, float_format="%.10g", lineterminator="\n")


def _sheet2(src: Path, dst: Path) -> None:
    """Sheet2 of the GDP workbook (newer vintage of provincial GDP totals 2015-2024), long layout."""
    frame = pd.read_excel(src, sheet_name="Sheet2")
    rows = [{"province": r.iloc[0], "year": int(y), "gdp": float(r[y])}
            for _, r in frame.iterrows() for y in frame.columns[1:] if pd.notna(r[y])]
    pd.DataFrame(rows).to_csv(dst, index=False, float_format="%.10g", lineterminator="\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DATA.parent.parent / "shared")
    args = parser.parse_args(argv)
    ref = args.shared / "reference-data"
    for target, source in COPIES.items():
        dst = OUT / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ref / source, dst)
        print(f"copied    {target:70s} sha256 {hashlib.sha256(dst.read_bytes()).hexdigest()[:16]}")
    for target, source in CONVERSIONS.items():
        dst = OUT / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        _convert(ref / source, dst)
        print(f"converted {target:70s} sha256 {hashlib.sha256(dst.read_bytes()).hexdigest()[:16]}")
    for target, (func, source) in {
        WAGE_TARGET: (_wages, ref / WAGE_SOURCE),
        "provincial/gdp_by_province_2015_2024_sheet2.csv":
            (_sheet2, ref / "provincial-panels/gdp_by_province_1952_2024.xlsx"),
    }.items():
        dst = OUT / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        func(source, dst)
        print(f"converted {target:70s} sha256 {hashlib.sha256(dst.read_bytes()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
