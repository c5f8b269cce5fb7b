"""Workbooks: bilingual headers and units rows, numbers stored as numbers with formats."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from klems.outputs.workbook import Column, Sheet, read_sheet, write_workbook


def test_workbook_headers_numbers_and_formats(tmp_path):
    frame = pd.DataFrame({"year": [2020, 2021], "de": [7000.5, float("nan")],
                          "share": [0.3, 0.344]})
    cols = [Column("year", "Year", "年份", "year"),
            Column("de", "Digital economy", "数字经济规模", "1e8 CNY"),
            Column("share", "Share of GDP", "占GDP比重", "1")]
    path = tmp_path / "w.xlsx"
    write_workbook(path, [Sheet("汇总", frame, cols, title="modelled; klems test")])
    ws = load_workbook(path)["汇总"]
    assert [c.value for c in ws[1]] == ["年份", "数字经济规模", "占GDP比重"]
    assert [c.value for c in ws[2]] == ["Year", "Digital economy", "Share of GDP"]
    assert [c.value for c in ws[3]] == ["year", "1e8 CNY", "1"]
    assert ws["B4"].value == 7000.5 and ws["B4"].number_format == "#,##0.00"
    assert ws["B5"].value is None                      # NaN becomes an empty cell
    assert ws["C5"].number_format == "0.00%" and ws["A4"].value == 2020
    assert ws.freeze_panes == "A4"
    back = read_sheet(path, "汇总")
    assert back["Year"].tolist() == [2020, 2021]
