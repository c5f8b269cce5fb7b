"""Conventions of the files people read: workbook print setup, the parameters actually used,
real statuses, warnings in the chosen language, charts that name the province with readable
year axes and footnotes in their language, index outputs marked SYNTHETIC."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from openpyxl import load_workbook

from klems.outputs import charts, figures
from klems.outputs.tables import workbook_sheets
from klems.outputs.warning_text import translate, warning_lines
from klems.outputs.workbook import write_workbook
from klems.pipeline.estimation import estimate


@pytest.fixture(scope="module")
def result():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate("guangxi", assets={"hardware": {"depreciation": 0.25}})


@pytest.fixture(scope="module")
def workbook(result, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "e.xlsx"
    write_workbook(path, workbook_sheets(result, None, "zh"))
    return load_workbook(path)


def test_every_sheet_prints_landscape_fitted_with_repeated_headers(workbook):
    for ws in workbook.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$3"


def test_parameters_sheet_shows_what_was_used(workbook, result):
    rows = {r[0]: r[1] for r in workbook["参数"].iter_rows(min_row=4, values_only=True)}
    assert rows["计算机硬件：折旧率δ"] == 0.25                 # the --set change, as used
    assert rows["软件：折旧率δ"] == pytest.approx(0.315)
    for asset in ("计算机硬件", "通信设备", "软件"):
        assert f"{asset}：平均服务年限μ（年）" in rows and f"{asset}：双曲线参数β" in rows
    assert rows["θ（实际使用）"] == pytest.approx(result.attrs["theta"])
    assert "assets" not in rows and "theta" not in rows
    assert not any(isinstance(v, str) and v in ("{}", "None") for v in rows.values())


def test_provenance_sheet_has_real_statuses(workbook):
    values = [r[1] for r in workbook["来源"].iter_rows(min_row=4, values_only=True)]
    items = [r[0] for r in workbook["来源"].iter_rows(min_row=4, values_only=True)]
    assert not any("unknown" in str(v) for v in values)
    assert not any(str(i).endswith("_status") for i in items)
    assert any(re.search(r"published \d{4}", str(v)) for v in values)


def test_warnings_sheet_in_the_chosen_language(workbook, result):
    lines = [r[0] for r in workbook["警示"].iter_rows(min_row=4, values_only=True)]
    assert lines and all("{" not in line for line in lines)
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in lines)
    assert not any(line.startswith("（英文原文）") for line in lines)   # every template known
    en = warning_lines(result, "en")
    assert any("negative user cost" in line for line in en)
    assert translate("something new", "zh") == "（英文原文）something new"


def test_series_named_in_chinese_in_the_warnings(result):
    """Warnings about the status of a series name it in Chinese, the variable in brackets."""
    lines = [line for line in warning_lines(result, "zh") if line.startswith("输入序列")]
    assert lines
    for line in lines:
        assert re.match(r"输入序列[\u4e00-\u9fff]", line), line
        assert re.search(r"（[a-z_]+）并非", line), line
    assert translate("input series gdp is not (only) published: modelled 2000-2014", "zh",
                     {"gdp": "地区生产总值"}).startswith("输入序列地区生产总值（gdp）")


def test_flagged_industries_named_in_chinese():
    """The industry lists of the plausibility warnings carry the classification's Chinese
    names and Chinese year spans; the count of the rest is kept."""
    en = ("20 industries with ID above 60 % of value added (cumulative): 001 Agriculture "
          "(2023-2024 (2 years)), 015 Manufacture of sugar (2018) and 18 more")
    zh = translate(en, "zh")
    assert zh == ("20个行业的产业数字化规模超过其增加值的60%（累积法）：001 农产品（2023—2024年，2年）、"
                  "015 糖及糖制品（2018年）等，另有18个")
    assert not re.search(r"[A-Za-z]{3,}", zh)
    assert translate(en, "en") == en
    odd = "2 industries with ID negative (cumulative): something unexpected"
    assert translate(odd, "zh").endswith("something unexpected")


def _capture(monkeypatch):
    seen = {}

    def fake_finish(fig, path, *, footer=None, **kw):
        seen["title"] = fig.axes[0].get_title()
        seen["footer"] = footer or ""
        seen["xticks"] = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        seen["yticks"] = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        import matplotlib.pyplot as plt

        plt.close(fig)

    monkeypatch.setattr(charts, "finish", fake_finish)
    return seen


@pytest.mark.parametrize("maker", ["de_split_chart", "growth_chart", "structure_chart",
                                   "penetration_chart", "id_by_industry_chart"])
def test_charts_name_the_province_in_both_languages(result, maker, monkeypatch, tmp_path):
    seen = _capture(monkeypatch)
    for lang, name in (("zh", "广西"), ("en", "Guangxi")):
        got = getattr(charts, maker)(result, tmp_path / "c.png", lang=lang)
        assert got == lang
        assert name in seen["title"]
        if lang == "zh":   # the footnote has no English words but the software's name
            words = re.findall(r"[A-Za-z]+", seen["footer"])
            assert set(words) <= {"klems"}, seen["footer"]
        else:
            assert not re.search(r"[\u4e00-\u9fff]", seen["footer"])
        if maker != "id_by_industry_chart":
            labels = [t for t in seen["xticks"] if t]
            assert 2 <= len(labels) <= 12 and labels[-1] == str(int(result.year.values[-1]))


def test_english_top20_shows_industry_names(result, monkeypatch, tmp_path):
    seen = _capture(monkeypatch)
    names = {"116": "Monetary finance and other financial services"}
    charts.id_by_industry_chart(result, tmp_path / "c.png", names, lang="en")
    assert any(t.startswith("116 Monetary finance") for t in seen["yticks"])


def test_year_axis_never_labels_more_than_twelve_years():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    shown = figures.year_axis(ax, range(2001, 2025))
    plt.close(fig)
    assert len(shown) <= 12 and shown[-1] == 2024
    assert np.all(np.diff(shown) == np.diff(shown)[0])


def test_index_outputs_marked_synthetic(tmp_path):
    from klems.devindex.runner import index_files, run_index
    from klems.devindex.workbook import write_template
    from klems.outputs.files import OutputSet

    example = write_template(tmp_path / "ex.xlsx", [2020, 2021, 2022], example=True)
    res = run_index(example, draws=20)
    assert res.synthetic
    seen = []
    orig = figures.finish

    def spy(fig, path, **kw):
        seen.append(kw.get("watermark"))
        orig(fig, path, **kw)

    import klems.devindex.charts as dch

    outs = OutputSet(tmp_path / "o")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dch, "finish", spy)
        index_files(res, outs)
        outs.commit()
    assert seen and all(w and "SYNTHETIC" in w for w in seen)
    wb = load_workbook(tmp_path / "o" / "index.xlsx")
    assert wb.sheetnames[0] == "SYNTHETIC示例数据" and "各省指数" in wb.sheetnames
    for ws in wb.worksheets:
        assert "SYNTHETIC" in ws.oddHeader.center.text
        assert ws.sheet_properties.tabColor is not None
    reg = wb["各省指数"]
    assert reg.freeze_panes == "B4" and reg["A1"].value == "省份"
    assert reg.cell(row=4, column=3).number_format == "0.00"       # score
