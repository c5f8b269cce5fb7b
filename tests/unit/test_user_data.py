"""Bring your own data: template contents, readers (xlsx, UTF-8 / GBK CSV), the round trip
template → filled with the bundled data → estimate, and the user's prices being used."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from klems.datasets.bundled import load_dataset
from klems.inputs.cells import column_letter, decode_text, parse_number
from klems.inputs.reader import read_input, summary
from klems.inputs.template import csv_text, template_tables, write_csv_sheet, write_template
from klems.pipeline.estimation import estimate

TOTALS = ("digital_economy", "digital_industrialization", "industrial_digitalization",
          "share_of_gdp", "id_industry")


@pytest.fixture(scope="module")
def sheets():
    return template_tables("guangxi")


@pytest.fixture(scope="module")
def bundled_estimate():
    return estimate("guangxi")


@pytest.fixture(scope="module")
def xlsx(sheets, tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "guangxi.xlsx"
    write_template(path, sheets)
    return path


@pytest.fixture(scope="module")
def gbk_folder(sheets, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tpl_gbk")
    for s in sheets:
        write_csv_sheet(folder / f"{s.name}.csv", s, encoding="gb18030")
    return folder


def test_template_layout(xlsx, sheets):
    """Three header rows (Chinese, English, units), instructions, every required sheet."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["instructions", "industries", "totals", "value_added",
                             "gross_output", "intermediate_inputs", "labour_compensation",
                             "net_production_taxes", "capital_compensation", "output_deflator",
                             "employment", "non_ict_capital_stock", "ict_investment", "prices",
                             "published", "status"]
    va = [list(r) for r in wb["value_added"].iter_rows(min_row=1, max_row=4, values_only=True)]
    assert va[0][:3] == ["行业代码", "行业名称", "2000年"]
    assert va[1][:3] == ["code", "name_zh", "2000"]
    assert va[2][2] == "1e8 CNY"
    ds = load_dataset("guangxi")
    assert va[3][0] == "001" and va[3][2] == pytest.approx(float(ds["value_added"][0, 0]))
    notes = [r[1] for r in wb["instructions"].iter_rows(min_row=4, values_only=True)]
    assert notes[0] == "guangxi" and any("万元" in str(n) for n in notes)
    prices = [list(r) for r in wb["prices"].iter_rows(min_row=2, max_row=2, values_only=True)]
    assert prices[0] == ["year", "ict_deflator_hardware", "ict_deflator_communication",
                         "ict_deflator_software", "non_ict_investment_deflator"]


def test_round_trip_xlsx_equals_bundled_estimate(xlsx, bundled_estimate):
    """Template → (pre-filled with the bundled data) → estimate reproduces the bundled estimate.

    The workbook stores numbers with 16 significant digits (openpyxl; Excel keeps 15), hence a
    relative tolerance of 1e-12 rather than bit equality; the CSV route below is exact.
    """
    ds = read_input(xlsx)
    mine = estimate("guangxi", data=ds)
    for name in TOTALS:
        np.testing.assert_allclose(mine[name].values, bundled_estimate[name].values,
                                   rtol=1e-12, atol=1e-9, err_msg=name)
    assert mine.attrs["theta"] == pytest.approx(bundled_estimate.attrs["theta"], rel=1e-12)


def test_round_trip_gbk_csv_is_exact(gbk_folder, bundled_estimate):
    """GBK/GB18030-encoded CSV files (as Chinese Excel saves them) are read, and exactly."""
    raw = (gbk_folder / "industries.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    ds = read_input(gbk_folder)
    assert str(ds["industry_name_zh"].sel(industry="001").values) == "农产品"
    mine = estimate("guangxi", data=ds)
    for name in TOTALS:
        np.testing.assert_array_equal(mine[name].values, bundled_estimate[name].values,
                                      err_msg=name)


def test_dataset_layout_matches_bundled(gbk_folder):
    ds = read_input(gbk_folder)
    ref = load_dataset("guangxi")
    for name in ("gdp", "value_added", "ict_investment", "employment", "non_ict_capital_stock",
                 "non_ict_investment_deflator"):
        assert ds[name].dims == ref[name].dims
        np.testing.assert_array_equal(ds[name].values, ref[name].values)
        assert set(ds[name].attrs) >= {"units", "long_name", "long_name_zh", "status"}
        assert list(ds[f"{name}_status"].values) == list(ref[f"{name}_status"].values)
    assert ds.attrs["province"] == "guangxi"
    assert ds["gdp"].attrs["status"] == "modelled 2000-2014; published 2015-2024"


def test_user_prices_are_used(gbk_folder, tmp_path, bundled_estimate):
    """A user's ICT deflators replace the default ones (estimate.prepare_inputs)."""
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(gbk_folder, folder)
    text = (folder / "prices.csv").read_bytes().decode("gb18030").splitlines()
    rows = [line.split(",") for line in text]
    for r in rows[4:]:          # hardware deflator falls 10 % faster each year after 2000
        r[1] = repr(float(r[1]) * 0.9 ** (int(r[0]) - 2000))
    (folder / "prices.csv").write_bytes("\r\n".join(",".join(r) for r in rows).encode("gb18030"))
    ds = read_input(folder)
    mine = estimate("guangxi", data=ds)
    np.testing.assert_allclose(mine["ict_deflator"].sel(asset="hardware").values,
                               ds["ict_deflator"].sel(asset="hardware", year=mine.year).values)
    assert mine["ict_deflator"].sel(asset="hardware", year=2010) == pytest.approx(
        bundled_estimate["ict_deflator"].sel(asset="hardware", year=2010) * 0.9 ** 10)
    # cheaper hardware = more real investment = larger stocks
    assert float(mine["ict_stock"].sel(asset="hardware").sum()) > float(
        bundled_estimate["ict_stock"].sel(asset="hardware").sum())


def test_dataset_without_prices_gets_default_deflators(gbk_folder, bundled_estimate):
    """A dataset without ``ict_deflator`` gets the default deflators, as the bundled one does;
    the template pre-fills exactly those."""
    ds = read_input(gbk_folder)
    mine = estimate("guangxi", data=ds.drop_vars("ict_deflator"))
    np.testing.assert_array_equal(mine["ict_deflator"].values,
                                  bundled_estimate["ict_deflator"].values)
    np.testing.assert_array_equal(ds["ict_deflator"].sel(year=mine.year).values,
                                  mine["ict_deflator"].values)


def test_own_classification(gbk_folder, tmp_path):
    """A user classification (other codes) is read; its sheets must use the same codes."""
    import shutil

    folder = tmp_path / "own"
    shutil.copytree(gbk_folder, folder)
    for f in folder.glob("*.csv"):
        if f.name in ("totals.csv", "prices.csv", "published.csv", "status.csv",
                      "instructions.csv"):
            continue
        lines = f.read_bytes().decode("gb18030").splitlines()
        out = lines[:3] + ["X" + line if line[:3].isdigit() else line for line in lines[3:]]
        f.write_bytes("\r\n".join(out).encode("gb18030"))
    ds = read_input(folder)
    assert ds.industry.values[0] == "X001" and ds.sizes["industry"] == 139


def test_summary_lists_modelled_series(gbk_folder):
    text = summary(read_input(gbk_folder))
    assert "valid input: 139 industries, years 2000-2024, province guangxi" in text
    assert "warning: value_added is modelled 2000-2024" in text


def test_warnings_sheet_lists_modelled_inputs(gbk_folder):
    from klems.outputs.tables import warnings_frame

    frame, _ = warnings_frame(estimate("guangxi", data=read_input(gbk_folder)), lang="en")
    lines = list(frame["warning"])
    assert "input series value_added is not (only) published: modelled 2000-2024" in lines
    assert any(line.startswith("input series gdp is not (only) published") for line in lines)


@pytest.mark.parametrize("value, expected", [
    (3, 3.0), (2.5, 2.5), ("1,234.5", 1234.5), (" 12 ", 12.0), ("１２．５", 12.5),
    ("-0.5", -0.5), ("1e3", 1000.0)])
def test_parse_number_accepts(value, expected):
    assert parse_number(value) == (expected, None)


@pytest.mark.parametrize("value, why", [
    (None, "blank cell"), ("", "blank cell"), (float("nan"), "NaN"), (float("inf"),
                                                                       "infinite value"),
    ("#DIV/0!", "Excel error value '#DIV/0!'"), ("n/a", "NaN ('n/a')"), ("…", "placeholder"),
    ("12 万", "text '万' after the number 12"), (True, "non-numeric value True")])
def test_parse_number_rejects(value, why):
    x, reason = parse_number(value)
    assert x is None and reason.startswith(why)


def test_parse_percent_only_for_shares():
    assert parse_number("25%", percent=True) == (0.25, None)
    assert parse_number("25%")[0] is None


def test_decode_text_encodings():
    text = "行业代码,增加值\r\n001,1.5\r\n"
    for enc, name in (("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8-sig"),
                      ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16")):
        assert decode_text(text.encode(enc)) == (text, name)
    assert decode_text(b"\x80\x81\xff") == (None, "")


def test_column_letters():
    assert [column_letter(j) for j in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB",
                                                                      "ZZ", "AAA"]


def test_csv_text_is_exact(sheets):
    """CSV numbers are written with repr (17 significant digits), so they read back exactly."""
    va = next(s for s in sheets if s.name == "value_added")
    line = csv_text(va).splitlines()[3].split(",")
    assert float(line[2]) == float(va.frame.iloc[0, 2])


def test_dataset_round_trips_through_netcdf(gbk_folder, tmp_path):
    ds = read_input(gbk_folder)
    path = tmp_path / "user.nc"
    ds.to_netcdf(path)
    with xr.open_dataset(path) as back:
        np.testing.assert_array_equal(back["value_added"].values, ds["value_added"].values)
