"""Malformed inputs: every case is read by ``klems.inputs.reader.read_input`` and must raise one
``InputDataError`` whose list of problems contains the expected message (naming the sheet, cell,
industry, asset and year, and what was expected).

The base input is the template of Guangxi for 2016-2022 (bundled data), as a CSV folder and as
a workbook; each case changes it the way users do. Run this file as a script to print the table
of cases and the message each produces:
``/work/venv/bin/python tests/unit/test_user_data_errors.py``.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from klems.base.errors import InputDataError
from klems.inputs.reader import read_input
from klems.inputs.template import template_tables, write_csv_sheet, write_template

YEARS = "2016-2022"   # columns C.. (D.. in ict_investment); row 4 is industry 001


def make_base(folder: Path) -> tuple[Path, Path]:
    sheets = template_tables("guangxi", YEARS)
    csv_dir = folder / "base_csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    for s in sheets:
        write_csv_sheet(csv_dir / f"{s.name}.csv", s)
    xlsx = folder / "base.xlsx"
    write_template(xlsx, sheets)
    return csv_dir, xlsx


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return make_base(tmp_path_factory.mktemp("user_data_base"))


# ---- editing helpers (Excel-style references, as in the messages) --------------------------

def _rc(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def rows(folder: Path, sheet: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / f"{sheet}.csv").read_text("utf-8-sig"))))


def save(folder: Path, sheet: str, data: list[list[str]], encoding="utf-8-sig") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(data)
    (folder / f"{sheet}.csv").write_bytes(buf.getvalue().encode(encoding))


def get(folder, sheet, ref) -> str:
    r, c = _rc(ref)
    return rows(folder, sheet)[r][c]


def put(folder, sheet, ref, value) -> None:
    data = rows(folder, sheet)
    r, c = _rc(ref)
    data[r][c] = str(value)
    save(folder, sheet, data)


def scale(folder, sheet, factor, ref=None, first_col=2) -> None:
    data = rows(folder, sheet)
    cells = [_rc(ref)] if ref else [(r, c) for r in range(3, len(data))
                                    for c in range(first_col, len(data[r]))]
    for r, c in cells:
        data[r][c] = repr(float(data[r][c]) * factor)
    save(folder, sheet, data)


def drop_column(folder, sheet, col) -> None:
    save(folder, sheet, [r[:col] + r[col + 1:] for r in rows(folder, sheet)])


# ---- the cases -----------------------------------------------------------------------------
# (id, what is wrong, edit(folder) on the CSV copy, expected message regex)

def _dup_row(f, sheet, r):
    d = rows(f, sheet)
    d.insert(r + 1, list(d[r]))
    save(f, sheet, d)


def _del_row(f, sheet, r):
    d = rows(f, sheet)
    del d[r]
    save(f, sheet, d)


def _dup_year_col(f):
    d = rows(f, "labour_compensation")
    for row in d:
        row.append(row[3])
    save(f, "labour_compensation", d)


def _many_blanks(f):
    d = rows(f, "output_deflator")
    for r in range(3, 23):
        d[r][2] = ""
    save(f, "output_deflator", d)


def _three_sheets(f):
    put(f, "value_added", "D5", "")
    put(f, "employment", "E6", "abc")
    put(f, "industries", "E4", "2")


CSV_CASES = [
    ("blank", "blank cell", lambda f: put(f, "value_added", "D5", ""),
     r"sheet value_added\.csv, cell D5, industry 002, year 2017: blank cell; expected a number "
     r"\(value added, current prices, 1e8 CNY\)"),
    ("text", "non-numeric cell", lambda f: put(f, "labour_compensation", "C4", "abc"),
     r"cell C4, industry 001, year 2016: non-numeric value 'abc'; expected a number"),
    ("nan", "NaN typed in", lambda f: put(f, "employment", "E10", "NaN"),
     r"cell E10, industry 007, year 2018: NaN \('NaN'\); expected a number \(employed persons"),
    ("excel-error", "Excel error value", lambda f: put(f, "gross_output", "F4", "#N/A"),
     r"cell F4, industry 001, year 2019: Excel error value '#N/A'; expected a number"),
    ("placeholder", "dash placeholder", lambda f: put(f, "intermediate_inputs", "C5", "—"),
     r"cell C5, industry 002, year 2016: placeholder '—' instead of a number"),
    ("neg-investment", "negative ICT investment", lambda f: put(f, "ict_investment", "E6", -1),
     r"ict_investment\.csv, cell E6, industry 001, asset software, year 2017: negative value -1;"
     r" expected nominal ICT investment by using industry and asset >= 0"),
    ("neg-output", "negative gross output", lambda f: put(f, "gross_output", "C7", -5),
     r"cell C7, industry 004, year 2016: negative value -5; expected gross output, current "
     r"prices > 0 \(logarithms are taken for output volumes\)"),
    ("zero-employment", "zero where logs are taken", lambda f: put(f, "employment", "D4", 0),
     r"employment\.csv, cell D4, industry 001, year 2017: zero value 0; expected employed "
     r"persons \(labour input\) > 0 \(logarithms are taken for labour input growth\)"),
    ("zero-price", "zero price index", lambda f: put(f, "prices", "D5", 0),
     r"prices\.csv, cell D5, year 2017: zero value 0; expected software investment deflator > 0"),
    ("neg-deflator", "negative output deflator", lambda f: put(f, "output_deflator", "I4", -100),
     r"cell I4, industry 001, year 2022: negative value -100; expected output deflator > 0"),
    ("neg-stock", "negative capital stock",
     lambda f: put(f, "non_ict_capital_stock", "C4", -3.5),
     r"non_ict_capital_stock\.csv, cell C4, industry 001, year 2016: negative value -3.5; "
     r"expected non-ICT capital stock at 2000 prices > 0"),
    ("share>1", "DI share above 1", lambda f: put(f, "industries", "E4", 1.5),
     r"industries\.csv, cell E4, industry 001: DI share 1.5 outside \[0, 1\]; expected a share"),
    ("share<0", "DI share below 0 (percent)", lambda f: put(f, "industries", "E5", "-20%"),
     r"cell E5, industry 002: DI share -0.2 outside \[0, 1\]"),
    ("sector", "unknown sector", lambda f: put(f, "industries", "D4", "quaternary"),
     r"cell D4, industry 001: sector 'quaternary'; expected one of primary, secondary, tertiary"),
    ("unknown-code", "unknown industry code", lambda f: put(f, "value_added", "A6", "999"),
     r"value_added\.csv, cell A6, industry 999: unknown industry code '999'; expected one of the "
     r"codes of sheet industries"),
    ("missing-industry", "industry row missing", lambda f: _del_row(f, "employment", 7),
     r"sheet employment\.csv, industry 005: no row for 1 industry \(005\); expected one row per "
     r"industry of sheet industries"),
    ("duplicate-row", "industry row twice", lambda f: _dup_row(f, "gross_output", 10),
     r"gross_output\.csv, cell A12, industry 008: industry 008 appears twice \(rows 11 and 12\);"
     r" expected one row per industry"),
    ("duplicate-code", "code twice in industries", lambda f: put(f, "industries", "A5", "001"),
     r"industries\.csv, cell A5, industry 001: duplicate industry code '001' \(rows 4 and 5\)"),
    ("blank-code", "blank industry code", lambda f: put(f, "capital_compensation", "A9", ""),
     r"capital_compensation\.csv, cell A9: blank industry code; expected a code of sheet "
     r"industries"),
    ("unknown-asset", "unknown ICT asset", lambda f: put(f, "ict_investment", "C5", "servers"),
     r"ict_investment\.csv, cell C5, industry 001: unknown asset 'servers'; expected one of "
     r"hardware, communication, software"),
    ("missing-year", "year column missing",
     lambda f: drop_column(f, "labour_compensation", 4),
     r"sheet labour_compensation\.csv, year 2018: year\(s\) 2018 missing; expected a column for "
     r"every year 2016-2022 as in sheet value_added"),
    ("year-gap", "gap in the years", lambda f: drop_column(f, "value_added", 5),
     r"sheet value_added\.csv, year 2019: years jump from 2018 to 2020; expected consecutive "
     r"years \(fill in 2019\)"),
    ("duplicate-year", "year column twice", _dup_year_col,
     r"labour_compensation\.csv, cell J2, year 2017: year 2017 has two columns \(D2 and J2\); "
     r"expected one column per year"),
    ("missing-column", "column missing", lambda f: put(f, "totals", "C2", "gfcf_total"),
     r"sheet totals\.csv: missing column\(s\) gfcf; expected English headers year, gdp, gfcf in "
     r"row 2"),
    ("missing-sheet", "sheet (file) missing", lambda f: (f / "prices.csv").unlink(),
     r"sheet prices: missing sheet 'prices' \(价格指数\); expected a file prices\.csv"),
    ("no-header", "English header row replaced", lambda f: put(f, "gross_output", "A2", "行业"),
     r"sheet gross_output\.csv, cell A2: no header row; expected 'code' in cell A2"),
    ("units-wan", "value added in 万元", lambda f: scale(f, "value_added", 1e4),
     r"sheet value_added\.csv: value added, current prices totals about 10,000 times GDP; "
     r"expected 0\.5-2 times GDP in 1e8 CNY \(亿元\): it looks like 万元 \(10\^4 CNY\) — divide "
     r"by 10 000"),
    ("gdp-wan", "GDP in 万元", lambda f: scale(f, "totals", 1e4, first_col=1),
     r"sheet totals\.csv, column gdp: GDP is about 10,000 times the industries' value added, "
     r"current prices; expected GDP in 亿元 \(1e8 CNY\): it looks like 万元"),
    ("identity-va", "VA ≠ L + T + K", lambda f: scale(f, "capital_compensation", 1.5, "F9"),
     r"sheet value_added\.csv, industry 006, year 2019: value added [\d,.]+ ≠ labour [\d,.]+ \+ "
     r"net taxes -?[\d,.]+ \+ capital [\d,.]+ = [\d,.]+ \(difference -?[\d,.]+\); expected equal"
     r" within 0\.5 %"),
    ("identity-go", "GO ≠ VA + intermediates",
     lambda f: scale(f, "intermediate_inputs", 0.5, "H20"),
     r"sheet gross_output\.csv, industry 017, year 2021: gross output [\d,.]+ ≠ value added "
     r"[\d,.]+ \+ intermediate inputs [\d,.]+ \(difference [\d,.]+\); expected equal within"),
    ("identity-gdp", "Σ VA ≠ GDP", lambda f: scale(f, "totals", 1.05, "B7"),
     r"sheet totals\.csv, year 2019: the industries' value added sums to [\d,.]+ but GDP is "
     r"[\d,.]+ \(-4\.8 %\); expected equal within 1 %"),
    ("duplicate-year-row", "year row twice", lambda f: _dup_row(f, "prices", 5),
     r"prices\.csv, cell A7, year 2018: year 2018 appears twice \(rows 6 and 7\); expected one "
     r"row per year"),
    ("bad-year", "year written in words", lambda f: put(f, "totals", "A5", "二〇一七"),
     r"totals\.csv, cell A5: year cell '二〇一七'; expected a year such as 2000"),
    ("status", "unknown status", lambda f: put(f, "status", "C5", "guess"),
     r"status\.csv, cell C5, year 2017: status 'guess'; expected one of published, derived, "
     r"modelled"),
    ("published", "unknown published figure", lambda f: put(f, "published", "A4", "foo"),
     r"published\.csv, cell A4: unknown figure 'foo'; expected one of digital_economy"),
    ("undecodable", "bytes that are neither UTF-8 nor GBK",
     lambda f: (f / "totals.csv").write_bytes(b"year,gdp\r\n2016,\x80\x81\xff\r\n"),
     r"sheet totals\.csv: cannot decode the text; expected UTF-8 or GBK/GB18030"),
    ("xlsx-as-csv", "a workbook renamed .csv",
     lambda f: (f / "prices.csv").write_bytes(b"PK\x03\x04" + b"\0" * 40),
     r"sheet prices\.csv: an Excel workbook saved under a \.csv name; expected CSV text"),
    ("all-at-once", "three problems in three sheets", _three_sheets,
     r"^3 problem\(s\) in the input data"),
    ("capped", "20 blank cells in one sheet", _many_blanks,
     r"sheet output_deflator\.csv: \.\.\. and 12 more problem\(s\) like 'value'"),
]


def _message(path) -> str:
    with pytest.raises(InputDataError) as exc:
        read_input(path)
    return str(exc.value)


@pytest.mark.parametrize("case", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_malformed_csv_input(case, base, tmp_path):
    _, _, edit, pattern = case
    folder = tmp_path / "in"
    shutil.copytree(base[0], folder)
    edit(folder)
    message = _message(folder)
    assert re.search(pattern, message, re.M), message


# ---- workbook cases ------------------------------------------------------------------------

def _edit_xlsx(src: Path, dst: Path, edit) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(src)
    edit(wb)
    wb.save(dst)


def _fake_ole(encrypted: bool) -> bytes:
    """An OLE2 (Compound File) header and a directory entry, as in an encrypted .xlsx or .xls."""
    name = "EncryptionInfo" if encrypted else "Workbook"
    entry = name.encode("utf-16-le").ljust(64, b"\0")
    return bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504 + entry + b"\0" * 448


def _zip_not_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


XLSX_CASES = [
    ("merged-header", "merged header cells",
     lambda src, dst: _edit_xlsx(src, dst, lambda wb: wb["value_added"].merge_cells("C1:D1")),
     r"sheet value_added, cell C1:D1: merged header cells C1:D1; expected one header per cell "
     r"\(unmerge them\)"),
    ("merged-data", "merged data cells",
     lambda src, dst: _edit_xlsx(src, dst, lambda wb: wb["employment"].merge_cells("C10:C11")),
     r"sheet employment, cell C10:C11: merged data cells C10:C11; expected one value per cell"),
    ("missing-sheet-xlsx", "sheet deleted",
     lambda src, dst: _edit_xlsx(src, dst, lambda wb: wb.remove(wb["employment"])),
     r"sheet employment: missing sheet 'employment' \(就业人员\); expected a sheet named "
     r"employment or 就业人员"),
    ("truncated", "workbook cut in half",
     lambda src, dst: dst.write_bytes(src.read_bytes()[: src.stat().st_size // 2]),
     r"^truncated or damaged workbook \(not a complete zip archive: .*\); expected a complete "
     r"\.xlsx file"),
    ("password", "password-protected workbook (OLE container with EncryptionInfo)",
     lambda src, dst: dst.write_bytes(_fake_ole(True)),
     r"^password-protected \(encrypted\) workbook; expected an unprotected \.xlsx"),
    ("xls", "legacy .xls workbook", lambda src, dst: dst.write_bytes(_fake_ole(False)),
     r"^legacy Excel 97-2003 \(\.xls\) or other OLE file; expected an \.xlsx workbook"),
    ("not-workbook", "a text file named .xlsx",
     lambda src, dst: dst.write_text("year,gdp\n2016,1\n"),
     r"^not a workbook \(the file starts with bytes b'year,gdp'\); expected an \.xlsx workbook"),
    ("zip-not-xlsx", "a zip archive that is not a workbook",
     lambda src, dst: dst.write_bytes(_zip_not_xlsx()),
     r"^a zip archive but not an Excel workbook \(no xl/workbook\.xml\)"),
    ("empty", "empty file", lambda src, dst: dst.write_bytes(b""),
     r"^empty file \(0 bytes\); expected an \.xlsx workbook"),
    ("missing", "no such file", lambda src, dst: None,
     r"^no such file or folder; expected an \.xlsx workbook or a folder of CSV files"),
    ("single-csv", "one CSV file instead of a folder",
     lambda src, dst: None, r"^a single CSV file; expected a folder of CSV files"),
]


@pytest.mark.parametrize("case", XLSX_CASES, ids=[c[0] for c in XLSX_CASES])
def test_malformed_workbook(case, base, tmp_path):
    name, _, make, pattern = case
    dst = tmp_path / ("input.csv" if name == "single-csv" else "input.xlsx")
    make(base[1], dst)
    if name == "single-csv":
        shutil.copy(base[0] / "totals.csv", dst)
    message = _message(dst)
    assert re.search(pattern, message, re.M), message


def test_real_encrypted_workbook(base, tmp_path):
    """A workbook encrypted with a password by msoffcrypto-tool (as Excel does)."""
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml",
                                reason="msoffcrypto-tool not installed (test extra)")
    dst = tmp_path / "locked.xlsx"
    with open(base[1], "rb") as fh, open(dst, "wb") as out:
        ooxml.OOXMLFile(fh).encrypt("secret", out)
    assert "password-protected (encrypted) workbook" in _message(dst)


def test_problem_names_file_and_count(base, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(base[0], folder)
    _three_sheets(folder)
    with pytest.raises(InputDataError) as exc:
        read_input(folder)
    err = exc.value
    assert err.where == {"file": str(folder)}
    assert len(err.problems) == 3
    assert {p.where["sheet"] for p in err.problems} == {"value_added.csv", "employment.csv",
                                                        "industries.csv"}


def test_case_count():
    """The issue asks for at least 30 malformed-input cases, each with its message."""
    assert len(CSV_CASES) + len(XLSX_CASES) >= 30


def main() -> None:  # pragma: no cover - prints the table for the closing note
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_dir, xlsx = make_base(tmp)
        print("| # | case | what is wrong | message |\n|---|---|---|---|")
        n = 0
        for name, what, edit, _ in CSV_CASES:
            folder = tmp / f"c_{name}"
            shutil.copytree(csv_dir, folder)
            edit(folder)
            n += 1
            print(f"| {n} | {name} | {what} | {_first(folder, name == 'all-at-once')} |")
        for name, what, make, _ in XLSX_CASES:
            dst = tmp / (f"x_{name}.csv" if name == "single-csv" else f"x_{name}.xlsx")
            make(xlsx, dst)
            if name == "single-csv":
                shutil.copy(csv_dir / "totals.csv", dst)
            n += 1
            print(f"| {n} | {name} | {what} | {_first(dst, False)} |")


def _first(path, whole: bool) -> str:
    try:
        read_input(path)
    except InputDataError as exc:
        lines = str(exc).splitlines()
        if whole or len(lines) == 1:
            text = " / ".join(line.strip() for line in lines)
        else:
            text = " / ".join(line.strip()[3:] for line in lines[1:3])
        return text.replace(str(path), "FILE").replace("|", "\\|")
    return "(no error!)"


if __name__ == "__main__":  # pragma: no cover
    main()
