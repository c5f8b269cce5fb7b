"""A province's own input-output table: reader checks and the replacement of a dataset's structure.

Fixture: 重庆 2023 42-sector table (重庆市统计局, published 2025-12; data/sources/io_tables/
chongqing_2023_42_grid.csv, cells as in the workbook, 万元); its value added is Chongqing's 2023
GDP after the fifth census, 30,614.3 亿元.
"""

from __future__ import annotations

import csv
from importlib.resources import as_file, files

import numpy as np
import pytest

import klems
from klems.base.errors import InputDataError
from klems.datasets.classification import membership
from klems.datasets.provincial_table import apply_provincial_table, read_provincial_table

COLS = ["excel_row"] + [chr(65 + i) for i in range(26)] + ["A" + chr(65 + i) for i in range(26)] + \
    ["B" + chr(65 + i) for i in range(6)]


@pytest.fixture(scope="module")
def grid_rows():
    with as_file(files("klems.data") / "sources" / "io_tables" / "chongqing_2023_42_grid.csv") as path:
        with open(path, encoding="utf-8") as fh:
            return list(csv.reader(fh))


@pytest.fixture(scope="module")
def table():
    with as_file(files("klems.data") / "sources" / "io_tables" / "chongqing_2023_42_grid.csv") as path:
        return read_provincial_table(path)


def _write(tmp_path, rows, name="t.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _edit(rows, excel_row, col, value):
    out = [list(r) for r in rows]
    i = next(k for k, r in enumerate(out) if r[0] == str(excel_row))
    out[i][COLS.index(col)] = value
    return out


def test_reads_the_chongqing_table(table):
    assert table.attrs["year"] == 2023 and table.attrs["scheme"] == "42"
    assert float(table["value_added"].sum()) == pytest.approx(30614.28, abs=0.01)
    assert table["intermediate"].shape == (42, 42)
    assert "FU201" in table["use"].values
    np.testing.assert_allclose(table["intermediate"].sum("product") + table["value_added"].sum("component"),
                               table["gross_output"], rtol=1e-9)


def test_workbook_and_csv_give_the_same_table(tmp_path, grid_rows, table):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in grid_rows[1:]:
        row = int(r[0])
        for c, v in enumerate(r[1:], start=1):
            if v != "":
                try:
                    ws.cell(row=row, column=c, value=float(v))
                except ValueError:
                    ws.cell(row=row, column=c, value=v)
    path = tmp_path / "cq.xlsx"
    wb.save(path)
    other = read_provincial_table(path)
    np.testing.assert_allclose(other["intermediate"].values, table["intermediate"].values, rtol=1e-12)
    np.testing.assert_allclose(other["value_added"].values, table["value_added"].values, rtol=1e-12)


def test_a_table_in_yuan_is_refused_naming_the_cell(tmp_path, grid_rows):
    path = _write(tmp_path, _edit(grid_rows, 3, "A", "单位：元"))
    with pytest.raises(InputDataError, match=r"values are in '元'; expected 万元 .* \[file t.csv, row 3, column A\]"):
        read_provincial_table(path)


def test_a_broken_column_identity_names_row_and_column(tmp_path, grid_rows):
    path = _write(tmp_path, _edit(grid_rows, 7, "E", "999999999"))
    with pytest.raises(InputDataError, match=r"intermediate inputs do not add up to TII: .* \[file t.csv, row 49, "
                                             r"column E\]"):
        read_provincial_table(path)


def test_a_broken_row_identity_names_row_and_column(tmp_path, grid_rows):
    path = _write(tmp_path, _edit(grid_rows, 9, "BE", "1"))
    with pytest.raises(InputDataError, match=r"TIU \+ TFU differs from total output GO: .* \[file t.csv, row 9, "
                                             r"column BE\]"):
        read_provincial_table(path)


def test_an_unknown_sector_code_is_named(tmp_path, grid_rows):
    path = _write(tmp_path, _edit(grid_rows, 6, "H", "55"))
    with pytest.raises(InputDataError, match=r"unknown or misplaced sector code '55'; expected '05' "
                                             r"\[file t.csv, row 6, column H\]"):
        read_provincial_table(path)


def test_a_non_numeric_cell_is_named(tmp_path, grid_rows):
    path = _write(tmp_path, _edit(grid_rows, 20, "M", "n/a"))
    with pytest.raises(InputDataError, match=r"cell 'n/a' is not a number \[file t.csv, row 20, column M\]"):
        read_provincial_table(path)


def test_missing_file_and_missing_unit(tmp_path, grid_rows):
    with pytest.raises(InputDataError, match="input-output table not found"):
        read_provincial_table(tmp_path / "nope.csv")
    path = _write(tmp_path, _edit(grid_rows, 3, "A", ""))
    with pytest.raises(InputDataError, match="no unit line found in the first 10 rows; expected a cell '单位：万元'"):
        read_provincial_table(path)


def test_apply_replaces_the_table_year_and_anchors_the_neighbours(table):
    ds = klems.load_dataset("chongqing")
    new = apply_provincial_table(ds, table, span=5)
    m = membership("sector42_2017")
    tab = table["value_added"].sum("component").values
    tab = tab / tab.sum()

    def shares(d, y):
        v = (m @ d["value_added"].sel(year=y)).values
        return v / v.sum()

    before = np.abs(shares(ds, 2023) - tab).mean()
    after = np.abs(shares(new, 2023) - tab).mean()
    assert after < 0.2 * before
    # published sector totals kept; identities hold
    for d in (ds, new):
        by_sector = d["value_added"].groupby(d["industry_sector"]).sum().rename(industry_sector="sector")
        np.testing.assert_allclose(by_sector.sel(sector=d.sector.values), d["value_added_sector"].transpose("sector", "year"),
                                   rtol=1e-9)
    np.testing.assert_allclose(new["intermediate_inputs"] + new["value_added"], new["gross_output"], rtol=1e-12)
    np.testing.assert_allclose(new["labour_compensation"] + new["net_production_taxes"] + new["capital_compensation"],
                               new["value_added"], rtol=1e-9, atol=1e-9)
    # the table's labour share of the electronics group in 2023
    elec = [f"{i:03d}" for i in range(86, 92)]
    lab = float(new["labour_compensation"].sel(year=2023, industry=elec).sum() /
                new["value_added"].sel(year=2023, industry=elec).sum())
    assert lab == pytest.approx(float(table["value_added"].sel(component="labour_compensation", industry="20") /
                                      table["value_added"].sel(industry="20").sum()), rel=1e-9)
    # neighbours: 2022 moved part of the way, 2018 (|t - T| = span) untouched
    d22 = np.abs(shares(new, 2022) - shares(ds, 2022)).sum()
    assert 0 < d22 < np.abs(shares(new, 2023) - shares(ds, 2023)).sum()
    np.testing.assert_allclose(new["value_added"].sel(year=2018), ds["value_added"].sel(year=2018), rtol=1e-12)
    assert new["value_added_status"].sel(year=2023).item() == "derived"
    assert new["value_added_status"].sel(year=2022).item() == "modelled"
    np.testing.assert_allclose(new["ict_investment"].sum("industry"), ds["ict_investment"].sum("industry"), rtol=1e-9)
    assert "chongqing_2023_42_grid.csv" in new.attrs["io_table"]


def test_apply_refuses_a_table_outside_the_years(table):
    ds = klems.load_dataset("chongqing").sel(year=slice(2000, 2020))
    with pytest.raises(InputDataError, match="the table's year 2023 is outside the dataset's years 2000-2020"):
        apply_provincial_table(ds, table)
