"""Back-test of the annual update (issue 16): Guangxi through 2022, extended to 2023 and 2024 with
yearbook sheets filled from the published aggregates, against the full build through 2024.

Usage (from the repository root)::

    python -m data.build.backtest_extend [--province guangxi] [--out DIR]

Runs the commands a statistics office runs — ``klems template --years 2000-2022``, ``klems
yearbook --base``, ``klems extend``, ``klems validate``, ``klems estimate --input``, ``klems
diff`` — with the yearbook sheets filled from ``data/sources`` (the NBS provincial exports of GDP,
the three sectors and the nine groups 2023–2024, the GDP index, fixed-asset investment by section
2023 and employment by sector 2023; nothing else of 2023–2024 is in the sources, so prices, GFCF
and the rest are left blank and extended by rule). Prints DE, DI and ID per year of the full
build, of the extension (default: frozen through 2022) and of the extension without the freeze,
with the differences in %, and the diff between the 2022-only and the extended estimate.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

import pandas as pd

from klems.base.provinces import province as _province
from klems.cli import main as klems
from klems.datasets.cells import GROUPS
from klems.inputs.reader import read_input
from klems.inputs.yearbook import fill_yearbook
from klems.inputs.yearbook_layout import SECTION_LETTERS
from klems.pipeline.estimation import estimate

from . import sources as src

FIGURES = ("digital_economy", "digital_industrialization", "industrial_digitalization")
SHORT = {"digital_economy": "DE", "digital_industrialization": "DI",
         "industrial_digitalization": "ID"}


def published(key: str, year: int) -> tuple[dict, dict, dict, str]:
    """(values, growth, previous) of the yearbook items the sources hold for ``year``."""
    values, previous = {}, {}
    nbs = src.nbs_groups().sel(province=key)
    if year in nbs.year.values:
        values["gdp"] = float(nbs["gdp"].sel(year=year))
        for s in ("primary", "secondary", "tertiary"):
            values[f"va_{s}"] = float(nbs["va_sector"].sel(sector=s, year=year))
        for g in GROUPS:
            values[f"group_{g}"] = float(nbs["va_group"].sel(group=g, year=year))
    index = src.provincial_gdp_index().sel(province=key)
    if year in index.year.values:
        values["index_gdp"] = float(index.sel(year=year))
    fai, _ = src.provincial_fai(range(2003, 2024))
    raw_years = list(range(2003, 2024))
    if year in raw_years and year - 1 in raw_years:
        for letter, sec in zip(SECTION_LETTERS, fai.fai_section.values):
            values[f"fai_{letter}"] = float(fai.sel(province=key, fai_section=sec, year=year))
            previous[f"fai_{letter}"] = float(fai.sel(province=key, fai_section=sec,
                                                      year=year - 1))
    emp = src.provincial_employment(range(2000, 2025))
    if year <= emp.attrs["last_source_year"]:
        for s in ("primary", "secondary", "tertiary"):
            values[f"emp_{s}"] = float(emp.sel(province=key, sector=s, year=year))
    return values, {}, previous, "data/sources (NBS 分省年度数据; secondary copies, see PROVENANCE.md)"


def _quiet(argv) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = klems(argv)
    if rc != 0:
        raise SystemExit(f"klems {' '.join(argv)} failed ({rc})")
    return out.getvalue()


def run(key: str, out: Path) -> pd.DataFrame:
    out.mkdir(parents=True, exist_ok=True)
    base = out / "base_2022.xlsx"
    _quiet(["template", "--province", key, "--years", "2000-2022", "--out", str(base)])
    books = []
    current = base
    for year in (2023, 2024):
        book = out / f"yearbook_{year}.xlsx"
        _quiet(["yearbook", "--province", key, "--year", str(year), "--base", str(current),
                "--out", str(book)])
        values, growth, previous, source = published(key, year)
        fill_yearbook(book, values, growth=growth, previous=previous, source=source)
        books.append(book)
        current = out / f"extended_{year}.xlsx"
        argv = ["extend", "--province", key, "--base", str(base), "--out", str(current)]
        for b in books:
            argv += ["--input", str(b)]
        print(_quiet(argv))
    print(_quiet(["validate", str(current)]).splitlines()[0])
    for name, data in (("2022", base), ("ext", current)):
        _quiet(["estimate", "--province", key, "--input", str(data), "--format", "nc", "--out",
                str(out / f"estimate_{name}")])
    full = estimate(key)
    ext = estimate(key, data=read_input(current))
    free = estimate(key, data=read_input(current), freeze_through="none")
    rows = []
    for y in full.year.values:
        row = {"year": int(y)}
        for f in FIGURES:
            a, b, c = (float(r[f].sel(year=y)) for r in (full, ext, free))
            row |= {f"{SHORT[f]} full": a, f"{SHORT[f]} extended": b,
                    f"{SHORT[f]} %": 100 * (b / a - 1),
                    f"{SHORT[f]} % (no freeze)": 100 * (c / a - 1)}
        rows.append(row)
    table = pd.DataFrame(rows)
    diff = _quiet(["diff", str(out / "estimate_2022" / f"{key}_estimate.nc"),
                   str(out / "estimate_ext" / f"{key}_estimate.nc"), "--out", str(out / "diff")])
    return table, diff, (full, ext)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province", default="guangxi")
    parser.add_argument("--out", type=Path, default=Path("backtest_extend"))
    args = parser.parse_args(argv)
    key = _province(args.province).key
    table, diff, (full, ext) = run(key, args.out)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        cols = ["year"] + [c for f in FIGURES for c in
                           (f"{SHORT[f]} full", f"{SHORT[f]} extended", f"{SHORT[f]} %",
                            f"{SHORT[f]} % (no freeze)")]
        fmt = {c: ((lambda v: f"{round(v, 2) + 0.0:+.2f}") if "%" in c else
                   (lambda v: f"{v:,.1f}")) for c in cols if c != "year"}
        print(table[cols].to_string(index=False, formatters=fmt))
    late = table[table.year >= 2023]
    early = table[table.year <= 2022]
    print(f"\n2023-2024 mean |% diff| DE {late['DE %'].abs().mean():.2f}, DI "
          f"{late['DI %'].abs().mean():.2f}, ID {late['ID %'].abs().mean():.2f}; 2001-2022 "
          f"(frozen) DE {early['DE %'].abs().mean():.2f} (no freeze "
          f"{early['DE % (no freeze)'].abs().mean():.2f})")
    table.to_csv(args.out / "backtest.csv", index=False)
    print("\n" + diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
