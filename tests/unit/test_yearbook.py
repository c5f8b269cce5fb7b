"""The yearbook sheet (klems yearbook): pre-filled from the data, read back strictly; every
problem named by sheet, cell, item and what was expected."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from klems.base.errors import InputDataError
from klems.inputs.yearbook import fill_yearbook, read_yearbook, yearbook_sheets
from klems.outputs.workbook import read_sheet, write_workbook

# Guangxi 2025 figures for the tests (made up, of plausible size; the previous-year column
# holds the bundled 2024 figures: GDP 28694.1, NBS 分省年度数据 2024)
FIGURES = {"gdp": 30000.0, "va_primary": 5000.0, "va_secondary": 9800.0,
           "va_tertiary": 15200.0, "index_gdp": 105.0}


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("yb") / "yearbook_2025.xlsx"
    write_workbook(path, yearbook_sheets("guangxi", 2025))
    return path


@pytest.fixture
def sheet(blank, tmp_path):
    path = tmp_path / "yearbook_2025.xlsx"
    path.write_bytes(blank.read_bytes())
    return path


def _set(path, sheet, item, column, value):
    wb = load_workbook(path)
    ws = wb[sheet]
    head = {c.value: c.column for c in ws[2]}
    for row in ws.iter_rows(min_row=4):
        if row[0].value == item:
            ws.cell(row=row[0].row, column=head[column]).value = value
            wb.save(path)
            return f"{ws.cell(row=row[0].row, column=head[column]).coordinate}"
    raise KeyError(item)


def test_new_year_is_blank_with_last_years_figures_beside(blank):
    gdp = read_sheet(blank, "gdp").set_index("item")
    assert gdp["value"].isna().all()
    assert gdp.loc["gdp", "reference_2024"] == pytest.approx(28694.1)
    assert list(gdp.columns[-2:]) == ["reference_2024", "revised_2024"]
    raw = load_workbook(blank)["gdp"]
    assert [c.value for c in raw[1]][:5] == ["指标代码", "指标", "indicator", "单位", "2025年数值"]
    assert raw["D4"].value == "1e8 CNY"
    inv = read_sheet(blank, "investment").set_index("item")
    assert "growth_pct" in inv.columns and len(inv) == 21
    info = read_sheet(blank, "instructions").set_index("item")["value"]
    assert info["year"] == 2025 and "beyond the data (2000-2024)" in info["prefilled"]


def test_a_year_inside_the_data_is_prefilled_with_its_figures_and_status(tmp_path):
    sheets = {s.name: s.frame.set_index("item") for s in yearbook_sheets("guangxi", 2023)}
    gdp = sheets["gdp"]
    assert gdp.loc["gdp", "value"] == pytest.approx(27501.7)      # NBS 2023
    assert gdp.loc["gdp", "status"] == "published"
    assert gdp.loc["va_tertiary", "value"] == pytest.approx(14055.1)
    assert sheets["investment"].loc["gfcf", "status"] == "modelled"
    assert sheets["prices"].loc["fai_price", "status"] == "modelled"


def test_read_back_what_was_filled_in(sheet):
    fill_yearbook(sheet, {**FIGURES, "fai_C": 12500.0, "wage_I": 150000.0},
                  growth={"fai_A": 3.5}, revised={("gdp", 2023): 27600.0}, source="广西统计年鉴")
    yb = read_yearbook(sheet)
    assert yb.year == 2025 and yb.province == "guangxi"
    assert yb.values["gdp"] == 30000.0 and yb.values["fai_C"] == 12500.0
    assert yb.growth == {"fai_A": 3.5}
    assert yb.previous["gdp"] == pytest.approx(28694.1)
    assert yb.revisions == {("gdp", 2023): 27600.0}
    assert yb.status["gdp"] == "published"
    assert yb.where["gdp"] == "sheet gdp, cell E4"


@pytest.mark.parametrize("edit, message", [
    (lambda p: _set(p, "gdp", "gdp", "value", None),
     r"sheet gdp, cell E4, year 2025: item gdp \(地区生产总值\) is blank; expected the published "
     r"figure of 2025 \(required\)"),
    (lambda p: _set(p, "prices", "index_gdp", "value", 5.2),
     r"sheet prices, cell E4, year 2025: item index_gdp: index 5.2; expected previous year = "
     r"100, between 50 and 200 \(e.g. 104.2\); it looks like a growth rate: enter 105.2"),
    (lambda p: _set(p, "gdp", "va_tertiary", "value", 25200.0),
     r"sheet gdp, year 2025: the three sectors sum to 40,000.00 but GDP is 30,000.00 "
     r"\(\+33.3 %\); expected equal within 1 %"),
    (lambda p: _set(p, "gdp", "gdp", "value", "3万亿"),
     r"cell E4, year 2025: item gdp: text '万亿' after the number 3 in '3万亿'; expected the number alone"),
    (lambda p: _set(p, "gdp", "gdp", "value", 300000000.0),
     r"sheet gdp, cell E4, year 2025: item gdp: 300,000,000.00 is 1.05e\+04 times the previous "
     r"year's 28,694.10; expected a figure in 1e8 CNY: it looks like 万元: divide by 10 000"),
    (lambda p: _set(p, "gdp", "group_industry", "value", 8000.0),
     r"groups group_agriculture, group_construction, .* are blank while group_industry are "
     r"given; expected all nine groups or none"),
    (lambda p: _set(p, "employment", "wage_C", "value", 8.5),
     r"sheet employment, cell E28, year 2025: item wage_C: average wage 8.5; expected 元 per "
     r"person \(e.g. 85000\); it looks like 万元: multiply by 10 000"),
    (lambda p: _set(p, "investment", "fai_C", "revised_2024", 100.0),
     r"sheet investment, cell J8, year 2024: item fai_C: a revised figure of 2024 is not used"),
    (lambda p: _set(p, "investment", "fai_B", "growth_pct", -120.0),
     r"sheet investment, cell F7, year 2025: item fai_B: growth -120 %; expected a growth rate"),
    (lambda p: _set(p, "gdp", "va_primary", "item", "va_first"),
     r"sheet gdp, cell A5: unknown item 'va_first'; expected one of gdp, va_primary"),
    (lambda p: _set(p, "gdp", "va_primary", "status", "guessed"),
     r"sheet gdp, cell F5: item va_primary: status 'guessed'; expected one of published"),
])
def test_bad_sheets_name_the_cell_and_what_was_expected(sheet, edit, message):
    fill_yearbook(sheet, FIGURES)
    edit(sheet)
    with pytest.raises(InputDataError, match=message) as err:
        read_yearbook(sheet)
    assert str(sheet) in str(err.value)


def test_a_missing_sheet_and_a_wrong_file(sheet, tmp_path):
    wb = load_workbook(sheet)
    del wb["prices"]
    wb.save(sheet)
    with pytest.raises(InputDataError, match=r"sheet prices: missing sheet 'prices' \(价格指数\)"):
        read_yearbook(sheet)
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(InputDataError, match=r"not a workbook"):
        read_yearbook(bad)


def test_a_revised_column_of_the_same_year_is_refused(sheet):
    fill_yearbook(sheet, FIGURES, revised={("gdp", 2025): 1.0})
    with pytest.raises(InputDataError, match=r"column revised_2025: a revision must be of an "
                                             r"earlier year than 2025"):
        read_yearbook(sheet)
