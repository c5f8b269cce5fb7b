"""Hostile input cells and legitimate edge cases, through the command line.

Malformed cells: ``klems validate`` and ``klems estimate --input`` both end with exit status 2 and
the same message naming the cell and what was expected (one code path), writing nothing.
Legitimate edge cases (a year without value added, an asset series that starts late, an
industry without ICT investment, an asset nobody invests in): both end with exit status 0, the
undefined figures listed as warnings and flagged in the files, never ±inf.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from klems import cli


def rows(folder: Path, sheet: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / f"{sheet}.csv").read_text("utf-8-sig"))))


def save(folder: Path, sheet: str, data) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(data)
    (folder / f"{sheet}.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))


def put(sheet: str, row: int, col: int, value: str):
    """An edit: cell (0-based row, column) of a sheet set to ``value``."""
    def edit(folder):
        data = rows(folder, sheet)
        data[row][col] = value
        save(folder, sheet, data)
    return edit


# (id, edit, expected message) — row 3 is industry 001, column 2 the year 2016 (3 in
# ict_investment), as in the messages' cell references (C4 = row 3, column 2)
BAD_CELLS = [
    ("cell-decimal-comma", put("value_added", 3, 2, "70,30"),
     r"cell C4, industry 001, year 2016: decimal comma in '70,30'\? .*expected a decimal point "
     r"\(e.g. 70.30\)"),
    ("cell-european-number", put("labour_compensation", 3, 3, "1.234,56"),
     r"cell D4, industry 001, year 2017: decimal comma in '1.234,56'; expected a decimal point "
     r"\(e.g. 1234.56\)"),
    ("cell-two-decimal-points", put("gross_output", 4, 2, "1.2.3"),
     r"cell C5, industry 002, year 2016: 2 decimal points in '1.2.3'; expected one at most"),
    ("cell-indian-grouping", put("intermediate_inputs", 3, 2, "1,23,456"),
     r"misplaced thousands separator in '1,23,456'; expected groups of three digits"),
    ("cell-unit-glued", put("value_added", 3, 4, "1882.87亿元"),
     r"cell E4, industry 001, year 2018: text '亿元' after the number 1882.87"),
    ("cell-currency-prefix", put("capital_compensation", 3, 2, "¥12"),
     r"text '¥' before the number 12"),
    ("cell-percent-in-money", put("net_production_taxes", 3, 2, "12%"),
     r"a percentage '12%'; expected a plain number"),
    ("cell-absurd-magnitude", put("value_added", 3, 2, "1e308"),
     r"cell C4, industry 001, year 2016: 1e\+308 is implausibly large for value added, current "
     r"prices; expected at most 1e\+12 1e8 CNY"),
    ("cell-denormal-employment", put("employment", 3, 2, "1e-320"),
     r"cell C4, industry 001, year 2016: 9.99989e-321 is implausibly small for employed "
     r"persons"),
    ("cell-beyond-float-range", put("gross_output", 3, 2, "1e400"),
     r"'1e400' is beyond the range of numbers"),
    ("cell-infinity-text", put("non_ict_capital_stock", 3, 2, "-inf"),
     r"infinite value \('-inf'\); expected a finite number"),
    ("cell-parenthesised-negative", put("net_production_taxes", 3, 2, "(12)"),
     r"a number in parentheses '\(12\)'; expected a minus sign"),
    ("cell-space-after-sign", put("net_production_taxes", 3, 2, "- 5"),
     r"a space after the sign in '- 5'; expected e.g. -5"),
    ("cell-employment-in-persons", put("employment", 3, 2, "7953226"),
     r"7.95323e\+06 is implausibly large for employed persons .*expected at most 1e\+06 1e4 "
     r"persons"),
    ("cell-deflator-absurd", put("prices", 3, 1, "1e9"),
     r"sheet prices.csv, cell B4, year 2016: 1e\+09 is implausibly large for hardware investment "
     r"deflator"),
    ("cell-published-absurd", put("published", 3, 2, "1e300"),
     r"1e\+300 is not a plausible published figure"),
    ("cell-di-share-decimal-comma", put("industries", 3, 4, "0,5"),
     r"decimal comma in '0,5'\? .*expected a decimal point \(e.g. 0.5\)"),
    ("cell-nan-text", put("value_added", 3, 2, "NaN"), r"NaN \('NaN'\)"),
    ("cell-underscore-digits", put("value_added", 3, 2, "1_593"),
     r"text '_593' after the number 1"),
]


@pytest.fixture
def copy(user_input, tmp_path):
    folder = tmp_path / "input"
    shutil.copytree(user_input[0], folder)
    return folder


@pytest.mark.parametrize("command", ["validate", "estimate"])
@pytest.mark.parametrize("case, edit, message", BAD_CELLS, ids=[c[0] for c in BAD_CELLS])
def test_bad_cell(case, edit, message, command, copy, tmp_path, capsys):
    edit(copy)
    out = tmp_path / "out"
    argv = ["validate", str(copy)] if command == "validate" else \
        ["estimate", "--input", str(copy), "--out", str(out)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert "Traceback" not in err
    assert err.startswith(f"klems {command}: error: ")
    assert not out.exists()


def test_formula_without_value(user_input, tmp_path, capsys):
    """A workbook saved by a program that does not calculate formulas: the cell is explained."""
    from openpyxl import load_workbook

    wb = load_workbook(user_input[1])
    ws = wb["value_added"] if "value_added" in wb.sheetnames else wb["增加值"]
    ws["D4"] = "=C4*1.1"
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cell D4, industry 001, year 2017: formula '=C4*1.1' without a calculated value" in err
    assert "blank cell" not in err.split("D4")[1].split("\n")[0]


# ---- legitimate edge cases: estimated, with warnings ---------------------------------------

def _zero_value_added(folder):
    """Industry 030 has no value added in 2019 (its output all intermediate inputs)."""
    for sheet in ("value_added", "labour_compensation", "net_production_taxes",
                  "capital_compensation"):
        data = rows(folder, sheet)
        next(r for r in data if r and r[0] == "030")[5] = "0"
        save(folder, sheet, data)
    mid = next(r for r in rows(folder, "intermediate_inputs") if r and r[0] == "030")[5]
    data = rows(folder, "gross_output")
    next(r for r in data if r and r[0] == "030")[5] = mid
    save(folder, "gross_output", data)
    # GDP is the sum of value added: take the industry's value added off it
    return folder


def _late_software(folder):
    data = rows(folder, "ict_investment")
    for r in data[3:]:
        if r[2] == "software":
            r[3] = r[4] = "0"
    save(folder, "ict_investment", data)


def _no_ict_industry(folder):
    data = rows(folder, "ict_investment")
    for r in data[3:]:
        if r[0] == "030":
            r[3:] = ["0"] * len(r[3:])
    save(folder, "ict_investment", data)


def _no_software_at_all(folder):
    data = rows(folder, "ict_investment")
    for r in data[3:]:
        if r[2] == "software":
            r[3:] = ["0"] * len(r[3:])
    save(folder, "ict_investment", data)


EDGES = [
    ("edge-zero-value-added-year", _zero_value_added,
     r"no capital compensation in 1 industry-year\(s\) \(e.g. industry 030, 2019\)"),
    ("edge-asset-starts-late", _late_software,
     r"investment in software starts in 2018 \(zero before\)"),
    ("edge-industry-without-ict", _no_ict_industry, r"estimated with \d+ warning"),
    ("edge-asset-never-invested", _no_software_at_all,
     r"no investment in software in any year: its stock is zero"),
]


@pytest.mark.parametrize("case, edit, warning", EDGES, ids=[c[0] for c in EDGES])
def test_edge_case_is_estimated(case, edit, warning, copy, tmp_path, capsys):
    edit(copy)
    assert cli.main(["validate", str(copy)]) == 0, capsys.readouterr().err
    text = capsys.readouterr().out
    assert re.search(warning, text), text
    out = tmp_path / "out"
    assert cli.main(["estimate", "--input", str(copy), "--out", str(out), "--format", "nc,csv",
                     "--quiet"]) == 0
    capsys.readouterr()
    with xr.open_dataset(out / "guangxi_estimate.nc") as ds:
        for name, var in ds.data_vars.items():
            if var.dtype.kind == "f":
                assert not np.isinf(var.values).any(), name
                if np.isnan(var.values).any():         # every undefined figure is described
                    assert "undefined" in var.attrs and "comment" in var.attrs, name
        assert re.search(warning.replace(r"estimated with \d+ warning", ""), ds.attrs["warnings"])
    assert not list(out.glob(".*.part"))
