"""Fuzzing the readers of user data: whatever the bytes or cell contents, ``read_input`` either
returns a dataset or raises the project's own ``InputDataError`` — never a KeyError, a
zipfile/openpyxl/unicode/csv exception or a traceback of some library."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from klems.base.errors import InputDataError
from klems.inputs.cells import decode_text
from klems.inputs.layout import INDUSTRY_SERIES
from klems.inputs.reader import read_input
from klems.inputs.template import template_tables, write_csv_sheet, write_template

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
SHEETS = ["industries", "totals", "prices", "status", "published",
          *(s.sheet for s in INDUSTRY_SERIES)]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz_base")
    sheets = template_tables("guangxi", "2019-2022")
    folder = root / "csv"
    folder.mkdir()
    for s in sheets:
        write_csv_sheet(folder / f"{s.name}.csv", s)
    xlsx = root / "base.xlsx"
    write_template(xlsx, sheets)
    return folder, xlsx


def _read_only_own_errors(path) -> None:
    try:
        read_input(path)
    except InputDataError:
        pass


@SETTINGS
@given(prefix=st.sampled_from([b"", b"PK\x03\x04", bytes.fromhex("d0cf11e0a1b11ae1"),
                               b"\xef\xbb\xbf", b"\xff\xfe"]),
       body=st.binary(max_size=2000))
def test_random_bytes_as_workbook(prefix, body):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.xlsx"
        path.write_bytes(prefix + body)
        _read_only_own_errors(path)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_workbook(base, data):
    raw = bytearray(base[1].read_bytes())
    cut = data.draw(st.integers(0, len(raw)), label="truncate at")
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 255)),
                               max_size=5), label="byte changes")
    for pos, value in flips:
        raw[pos] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.xlsx"
        path.write_bytes(bytes(raw[:cut]) if data.draw(st.booleans(), label="truncate")
                         else bytes(raw))
        _read_only_own_errors(path)


CELL_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "NaN", "#N/A", "-1", "0", "1e400", "1,0", "１２", "%", "12%", "2019",
                     "2019年", "nan%", "\x00", "\"", "\n", "inf", "-inf", "—"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@SETTINGS
@given(data=st.data())
def test_random_cells_in_csv(base, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        shutil.copytree(base[0], folder)
        for _ in range(data.draw(st.integers(1, 4), label="edits")):
            sheet = data.draw(st.sampled_from(SHEETS), label="sheet")
            f = folder / f"{sheet}.csv"
            lines = (decode_text(f.read_bytes())[0] or "").split("\r\n")
            r = data.draw(st.integers(0, len(lines) - 1), label="row")
            cells = lines[r].split(",")
            c = data.draw(st.integers(0, len(cells)), label="column")
            value = data.draw(CELL_TEXT, label="value")
            if c == len(cells):
                cells.append(value)
            else:
                cells[c] = value
            lines[r] = ",".join(cells)
            encoding = data.draw(st.sampled_from(["utf-8-sig", "gb18030", "utf-16"]),
                                 label="encoding")
            try:
                f.write_bytes("\r\n".join(lines).encode(encoding))
            except UnicodeEncodeError:
                f.write_bytes("\r\n".join(lines).encode("utf-8", "surrogatepass"))
        _read_only_own_errors(folder)


@SETTINGS
@given(sheet=st.sampled_from(SHEETS), body=st.binary(max_size=500))
def test_random_bytes_as_csv(base, sheet, body):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        shutil.copytree(base[0], folder)
        (folder / f"{sheet}.csv").write_bytes(body)
        _read_only_own_errors(folder)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(),
                                        st.text(max_size=6)), max_size=6), max_size=8))
def test_random_grids(rows):
    """Any grid of cell values given as the industries sheet of a workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "industries"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.xlsx"
        try:
            for row in rows:
                ws.append([None if isinstance(v, float) and v != v else v for v in row])
            wb.save(path)
        except Exception:  # noqa: BLE001 - openpyxl refuses control characters: no such file
            return
        _read_only_own_errors(path)
