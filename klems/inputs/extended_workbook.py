"""The workbook ``klems extend`` writes: a complete input workbook (the layout of
``klems template``, which ``klems validate`` and ``klems estimate --input`` read) plus the
status and rule of every added variable-year (sheet ``extension``) and every revision (sheet
``revisions``), and the freeze year in the instructions."""

from __future__ import annotations

import pandas as pd

from klems.inputs.extension import Extension
from klems.inputs.template import template_tables
from klems.outputs.workbook import Column, Sheet

FREEZE_NOTE = ("估算时方法的全样本量（基年存量的投资平均增速、θ回归样本、资本收益的中心移动平均）只用到该年为止"
               "的数据，已发布年份不因新增年份而改变（klems estimate --freeze-through 可改）。\n"
               "The estimate computes the method's sample-wide quantities (the average investment "
               "growth of the base-year stock, θ's regression sample, the centred smoothing of "
               "capital gains) from the data up to this year only, so the years already "
               "published do not change when years are added (klems estimate --freeze-through "
               "overrides it).")


def extended_sheets(ext: Extension, province: str, sources: list[str]) -> list[Sheet]:
    data = ext.data
    ict = data["ict_deflator"].assign_coords(status=data["ict_deflator_status"])
    sheets = template_tables(province, data=data, ict_prices=ict)
    years = sorted({int(n["year"]) for n in ext.notes})
    for sheet in sheets:
        if sheet.name == "instructions":
            extra = pd.DataFrame([
                ("freeze_through", ext.freeze_through),
                ("freeze_through note", FREEZE_NOTE),
                ("extended", f"{years[0]}-{years[-1]} by klems extend from "
                             f"{', '.join(sources)}; see sheets extension and revisions"
                 if years else "no year added"),
            ], columns=["item", "value"])
            sheet.frame = pd.concat([sheet.frame, extra], ignore_index=True)
    sheets.append(Sheet("extension", ext.notes_frame(), [
        Column("year", "year", "年份", "year"), Column("variable", "variable", "变量"),
        Column("status", "status", "数据状态"), Column("rule", "rule", "推算方法")],
        title="status and rule of every added variable-year 新增年份各变量的状态与推算方法"))
    sheets.append(Sheet("revisions", ext.revisions_frame(), [
        Column("year", "year", "年份", "year"), Column("item", "item", "指标"),
        Column("old", "old", "原数"), Column("new", "new", "修订数"),
        Column("change_pct", "change_pct", "变化（%）", "percent"),
        Column("source", "source", "来源（文件、表、单元格）"),
        Column("changed", "changed", "改变的数据")],
        title="every revision of an earlier year 对以前年份的全部修订"))
    return sheets
