"""Copy the raw extracts that the dataset build reads from ``../shared/reference-data`` into
``data/sources/`` (run once by a maintainer; the build itself never reads ``../shared``).

Usage::

    python data/build/extract_sources.py [--shared PATH]

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
}

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


if __name__ == "__main__":
    main()
