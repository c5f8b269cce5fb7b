"""The input template of ``klems template``: a workbook (or CSV folder) to fill in.

Pre-filled with the bundled dataset of a province and the default price indices, so that a
statistics office only overwrites what it knows better; the ``status`` sheet keeps the status
of every series and year (published / derived / modelled) and should be set to ``published``
where the office enters its own figures. Layout: :mod:`klems.inputs.layout`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.provinces import province as _province
from klems.base.vocabulary import ICT_ASSETS as ASSETS
from klems.datasets.bundled import load_dataset, published_figures
from klems.inputs.layout import (
    INDUSTRY_COLUMNS,
    INDUSTRY_SERIES,
    PRICE_SERIES,
    PUBLISHED_COLUMNS,
    SHEET_ZH,
    TOTALS_SERIES,
)
from klems.outputs.workbook import Column, Sheet, write_workbook
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions, check_years_available, parse_years
from klems.pipeline.published import FIGURES

INSTRUCTIONS = [
    ("填写说明：每个工作表前三行为中文表头、英文表头、单位，请勿修改；从第4行起填写数据。",
     "Each sheet has three header rows (Chinese, English, units): keep them; data from row 4."),
    ("已预填本项目内置数据（多为模型估计，见 status 表），只需覆盖您掌握的更准确数据，并把 "
     "status 表相应年份改为 published。",
     "Bundled (mostly modelled) data are pre-filled: overwrite what you know better and set the "
     "year to 'published' in sheet status."),
    ("金额单位：亿元（1e8 CNY），不是万元；就业单位：万人；价格指数：2000年=100。",
     "Money in 亿元 (1e8 CNY), not 万元; employment in 万人 (1e4 persons); price indices 2000=100."),
    ("行业表（industries）定义行业分类：可用自己的行业代码，但每个数据表必须逐行业、逐年份填写，"
     "并给出三次产业（primary/secondary/tertiary）和计入数字产业化的比例（0–1）。",
     "Sheet industries defines the classification (your own codes are allowed): every data sheet "
     "needs one row per industry and a column per year; give each industry its sector and its "
     "DI share (0-1)."),
    ("核算恒等式：增加值 = 劳动者报酬 + 生产税净额 + 资本报酬；总产出 = 增加值 + 中间投入；"
     "各行业增加值之和 = 地区生产总值。",
     "Identities: value added = labour + net taxes + capital compensation; gross output = value "
     "added + intermediate inputs; the industries' value added sums to GDP."),
    ("总产出、就业、价格指数、资本存量须为正数（取对数）；投资不得为负。",
     "Gross output, employment, price indices and capital stocks must be > 0 (logarithms); "
     "investment must be >= 0."),
    ("价格指数（prices）：ICT三类资产及非ICT投资价格指数，估算时直接使用。",
     "Sheet prices: the ICT asset deflators and the non-ICT investment deflator are used as "
     "given."),
    ("公布数（published）：要复现的公布总量（可选）。检查：klems validate 文件；估算：klems "
     "estimate --input 文件。",
     "Sheet published: published totals to reproduce (optional). Check with 'klems validate "
     "FILE'; run with 'klems estimate --input FILE'."),
]


def _years(data: xr.Dataset, years, province: str = "guangxi") -> list[int]:
    avail = [int(y) for y in data.year.values]
    if years is None:
        return avail

    first, last = parse_years(years)
    check_years_available((first, last), avail, province=province, what="the bundled years")
    return [y for y in avail if first <= y <= last]


def _status(data: xr.Dataset, name: str, years: list[int]) -> list[str]:
    if f"{name}_status" in data:
        return [str(v) for v in data[f"{name}_status"].sel(year=years).values]
    return ["modelled"] * len(years)


def template_tables(province: str = "guangxi", years=None, *, data: xr.Dataset | None = None,
                    ict_prices: xr.DataArray | None = None) -> list[Sheet]:
    """The sheets of the template, pre-filled with the bundled data of ``province``.

    ``years``: e.g. ``"2015-2022"`` (default: every bundled year). ``data`` / ``ict_prices``
    replace the bundled dataset and the ICT deflators that an estimate with default options
    uses (:func:`klems.estimate.prepare_inputs`).
    """

    prov = _province(province)
    data = load_dataset(prov.key) if data is None else data
    ys = _years(data, years, prov.key)
    if ict_prices is None:      # the deflators an estimate with default options uses

        ict_prices = prepare_inputs(prov.key, EstimateOptions(), data)[2]
    data = data.sel(year=ys)
    ycols = [str(y) for y in ys]
    codes = [str(c) for c in data.industry.values]
    sheets = []

    intro = [("province", prov.key), ("province_zh", prov.zh), ("years", f"{ys[0]}-{ys[-1]}")]
    intro += [(f"note {i}", f"{zh}\n{en}") for i, (zh, en) in enumerate(INSTRUCTIONS, start=1)]
    sheets.append(Sheet("instructions", pd.DataFrame(intro, columns=["item", "value"]),
                        [Column("item", "item", "项目"), Column("value", "value", "内容")],
                        title="klems input template 输入模板"))

    sector = data["industry_sector"] if "industry_sector" in data.coords else data["sector"]
    ind = pd.DataFrame({"code": codes,
                        "name_zh": [str(v) for v in data["industry_name_zh"].values],
                        "name_en": [str(v) for v in data["industry_name_en"].values],
                        "sector": [str(v) for v in sector.values],
                        "di_share": data["di_share"].values.astype(float)})
    sheets.append(Sheet("industries", ind, [Column(k, en, zh, u) for k, en, zh, u
                                            in INDUSTRY_COLUMNS]))

    totals = pd.DataFrame({"year": ys, **{s.var: data[s.var].values for s in TOTALS_SERIES}})
    sheets.append(Sheet("totals", totals, [Column("year", "year", "年份", "year")]
                        + [Column(s.var, s.var, s.zh, s.units) for s in TOTALS_SERIES]))

    prices = pd.DataFrame({"year": ys})
    ict = ict_prices.sel(year=ys)
    for s in PRICE_SERIES:
        prices[s.var] = (ict.sel(asset=s.var.removeprefix("ict_deflator_")).values
                         if s.var.startswith("ict_deflator_") else data[s.var].values)
    sheets.append(Sheet("prices", prices, [Column("year", "year", "年份", "year")]
                        + [Column(s.var, s.var, s.zh, s.units) for s in PRICE_SERIES]))

    names = ind["name_zh"].tolist()
    for s in INDUSTRY_SERIES:
        values = data[s.var]
        if s.kind == "industry_asset":
            frame = pd.DataFrame({"code": np.repeat(codes, len(ASSETS)),
                                  "name_zh": np.repeat(names, len(ASSETS)),
                                  "asset": list(ASSETS) * len(codes)})
            block = values.sel(asset=list(ASSETS)).transpose("industry", "asset", "year")
            block = block.values.reshape(len(codes) * len(ASSETS), len(ys))
            cols = [Column("code", "code", "行业代码"), Column("name_zh", "name_zh", "行业名称"),
                    Column("asset", "asset", "资产（hardware/communication/software）")]
        else:
            frame = pd.DataFrame({"code": codes, "name_zh": names})
            block = values.transpose("industry", "year").values
            cols = [Column("code", "code", "行业代码"), Column("name_zh", "name_zh", "行业名称")]
        frame = pd.concat([frame, pd.DataFrame(block, columns=ycols)], axis=1)
        cols += [Column(y, y, f"{y}年", s.units) for y in ycols]
        sheets.append(Sheet(s.sheet, frame, cols, title=f"{s.zh} {s.en} ({s.units})"))

    status_rows = []
    for s in (*TOTALS_SERIES, *INDUSTRY_SERIES):
        status_rows.append([s.var, *_status(data, s.var, ys)])
    status_rows.append(["non_ict_investment_deflator",
                        *_status(data, "non_ict_investment_deflator", ys)])
    if "status" in ict.coords:
        for a in ASSETS:
            status_rows.append([f"ict_deflator_{a}",
                                *[str(v) for v in ict["status"].sel(asset=a).values]])
    sheets.append(Sheet("status", pd.DataFrame(status_rows, columns=["variable", *ycols]),
                        [Column("variable", "variable", "变量")]
                        + [Column(y, y, f"{y}年", "status") for y in ycols]))

    pub = _published(prov.key)
    sheets.append(Sheet("published", pub, [Column(k, en, zh, u) for k, en, zh, u
                                           in PUBLISHED_COLUMNS]))
    order = ["instructions", "industries", "totals", *(s.sheet for s in INDUSTRY_SERIES),
             "prices", "published", "status"]
    return sorted(sheets, key=lambda sh: order.index(sh.name))


def _published(key: str) -> pd.DataFrame:

    table = published_figures()
    rows = table[(table["region"] == key) & table["figure"].isin(FIGURES)]
    return pd.DataFrame({"figure": rows["figure"].astype(str).values,
                         "year": rows["year"].astype(int).values,
                         "value": rows["value"].astype(float).values,
                         "unit": rows["unit"].astype(str).values,
                         "source": (rows["source_document"].astype(str) + ", "
                                    + rows["section_page"].astype(str)).values})


def write_template(path, sheets: list[Sheet]) -> None:
    """Write the template sheets as one xlsx workbook at ``path``."""
    write_workbook(path, sheets)


def csv_text(sheet: Sheet) -> str:
    """One sheet as CSV text with the same three header rows as the workbook."""
    import io

    cols = sheet.resolved_columns()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.zh for c in cols])
    w.writerow([c.en for c in cols])
    w.writerow([c.units for c in cols])
    for row in sheet.frame.itertuples(index=False):
        w.writerow(["" if v is None or (isinstance(v, float) and np.isnan(v))
                    else repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)
                    for v in row])
    return buf.getvalue()


def write_csv_sheet(path, sheet: Sheet, encoding: str = "utf-8-sig") -> None:
    Path(path).write_bytes(csv_text(sheet).encode(encoding))


def sheet_title_zh(name: str) -> str:
    return SHEET_ZH.get(name, name)
