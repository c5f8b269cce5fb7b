"""PNG charts of an estimate: DE and its split, growth, DI/ID structure, ID by industry, sector
penetration, provinces.

Labels are Chinese when a font with Chinese glyphs is available (see :mod:`klems.outputs.fonts`),
otherwise English with a warning — never boxes for missing glyphs. Every title names the
province; year axes label at most 12 years; the source footnote is in the chart's language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import UnknownProvinceError
from klems.base.provinces import province
from klems.outputs.figures import chart_language, finish, year_axis
from klems.outputs.tables import RULE_LABELS, SECTOR_LABELS

DATA_SOURCE_ZH = {
    "bundled dataset (regionalised national input-output structure)":
        "随附数据集（全国投入产出结构区域化）",
}


def _t(lang, zh, en):
    return zh if lang == "zh" else en


def province_name(result: xr.Dataset, lang: str) -> str:
    """The province's name in the chart's language (Chinese short name or English)."""
    key = str(result.attrs.get("province", ""))
    try:
        p = province(key)
    except UnknownProvinceError:
        return str(result.attrs.get("province_zh") or key)
    return p.short_zh if lang == "zh" else p.en


def _footer(result, lang) -> str:
    version = result.attrs.get("project_version", "")
    rule = str(result.attrs.get("attribution", ""))
    en_rule, zh_rule = RULE_LABELS.get(rule, (rule, rule))
    source = str(result.attrs.get("data_source", ""))
    if lang == "zh":
        source = DATA_SOURCE_ZH.get(source, source if not source.isascii() else "用户数据")
        return f"来源：klems {version} 模型测算；产业数字化归属方法：{zh_rule}；数据：{source}"
    return (f"Source: klems {version}, modelled; attribution rule: {en_rule}; "
            f"data: {source}")


def de_split_chart(result: xr.Dataset, path, lang: str = "zh") -> str:
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    years = result.year.values.astype(int)
    di = result.digital_industrialization.values
    id_ = result.industrial_digitalization.values
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.bar(years, di, color="#1f77b4", label=_t(lang, "数字产业化", "digital industrialization"))
    ax.bar(years, id_, bottom=di, color="#ff7f0e",
           label=_t(lang, "产业数字化", "industrial digitalization"))
    shown = set(year_axis(ax, years))
    for x, d, i in zip(years, di, id_):
        if int(x) in shown:
            ax.text(x, d + i, f"{d + i:,.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_ylabel(_t(lang, "亿元（现价）", "1e8 CNY, current prices"))
    ax2 = ax.twinx()
    ax2.plot(years, 100 * result.share_of_gdp.values, color="black", marker="o", ms=3,
             label=_t(lang, "占GDP比重（右轴）", "share of GDP (right)"))
    ax2.set_ylabel(_t(lang, "占GDP比重 %", "share of GDP, %"))
    ax2.set_ylim(0, max(5.0, 1.25 * 100 * float(np.nanmax(result.share_of_gdp.values))))
    name = province_name(result, lang)
    ax.set_title(_t(lang, f"{name}数字经济规模及构成", f"{name}: digital economy and its split"))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    finish(fig, path, footer=_footer(result, lang))
    return lang


def growth_chart(result: xr.Dataset, path, lang: str = "zh") -> str:
    """Nominal growth of the digital economy and of GDP, and DE's contribution to GDP growth."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    years = result.year.values.astype(int)
    gdp = result.gdp.values
    gdp_growth = np.full(gdp.shape, np.nan)
    gdp_growth[1:] = gdp[1:] / gdp[:-1] - 1.0
    fig, ax = plt.subplots(figsize=(9, 4.8))
    ax.bar(years, 100 * result.contribution_to_gdp_growth.values, color="#9ecae1",
           label=_t(lang, "数字经济对GDP增长的贡献率（右轴）", "contribution to GDP growth (right)"))
    ax.set_ylabel(_t(lang, "贡献率 %", "contribution, %"))
    ax2 = ax.twinx()
    ax2.plot(years, 100 * result.nominal_growth.values, color="#d62728", marker="o", ms=3,
             label=_t(lang, "数字经济名义增速", "digital economy, nominal growth"))
    ax2.plot(years, 100 * gdp_growth, color="black", ls="--", marker=".",
             label=_t(lang, "GDP名义增速", "GDP, nominal growth"))
    ax2.set_ylabel(_t(lang, "名义增速 %", "nominal growth, %"))
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")
    ax2.yaxis.tick_left()
    ax2.yaxis.set_label_position("left")
    ax.axhline(0, color="0.5", lw=0.8)
    year_axis(ax, years)
    name = province_name(result, lang)
    ax.set_title(_t(lang, f"{name}数字经济增速与对GDP增长的贡献",
                    f"{name}: growth of the digital economy and its contribution to GDP growth"))
    h1, l1 = ax2.get_legend_handles_labels()
    h2, l2 = ax.get_legend_handles_labels()
    top = np.nanmax(100 * result.contribution_to_gdp_growth.values)
    if np.isfinite(top):
        ax.set_ylim(top=1.15 * max(top, 1.0))
    fig.legend(h1 + h2, l1 + l2, loc="lower center", ncol=3, fontsize=8,
               bbox_to_anchor=(0.5, 0.045), frameon=False)
    fig.subplots_adjust(bottom=0.2)
    finish(fig, path, footer=_footer(result, lang), rect=(0, 0.1, 1, 1))
    return lang


def structure_chart(result: xr.Dataset, path, lang: str = "zh") -> str:
    """Shares of digital industrialization and industrial digitalization in the digital
    economy (stacked to 100 %)."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    years = result.year.values.astype(int)
    di = 100 * result.di_share_of_de.values
    id_ = 100 * result.id_share_of_de.values
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.bar(years, di, color="#1f77b4", label=_t(lang, "数字产业化占比", "digital industrialization"))
    ax.bar(years, id_, bottom=di, color="#ff7f0e",
           label=_t(lang, "产业数字化占比", "industrial digitalization"))
    shown = set(year_axis(ax, years))
    for x, d in zip(years, di):
        if int(x) in shown:
            ax.text(x, d / 2, f"{d:.0f}", ha="center", va="center", fontsize=7, color="white")
    ax.set_ylim(0, 100)
    ax.set_ylabel(_t(lang, "占数字经济比重 %", "share of the digital economy, %"))
    name = province_name(result, lang)
    ax.set_title(_t(lang, f"{name}数字经济内部结构", f"{name}: structure of the digital economy"))
    ax.legend(loc="lower left", fontsize=8)
    finish(fig, path, footer=_footer(result, lang))
    return lang


def id_by_industry_chart(result: xr.Dataset, path, names=None, lang: str = "zh",
                         top: int = 20) -> str:
    """The ``top`` industries by industrial digitalization in the last year; ``names``: code ->
    name in the chart's language (codes alone without it)."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    year = int(result.year.values[-1])
    rule = result.attrs.get("attribution", "income-share")
    ids = result.id_industry.sel(rule=rule, year=year).to_series().sort_values(ascending=False)
    ids = ids.head(top)[::-1]
    names = dict(names) if names is not None else {}

    def label(code):
        text = str(names.get(code, "")).strip()
        if len(text) > 34:
            text = text[:33] + "…"
        return f"{code} {text}".strip()

    fig, ax = plt.subplots(figsize=(9, 7))
    ax.barh([label(c) for c in ids.index], ids.values, color="#ff7f0e")
    ax.set_xlabel(_t(lang, "亿元（现价）", "1e8 CNY, current prices"))
    name = province_name(result, lang)
    ax.set_title(_t(lang, f"{name}{year}年产业数字化规模前{top}的行业",
                    f"{name}: industrial digitalization by industry, top {top}, {year}"))
    ax.tick_params(axis="y", labelsize=8)
    finish(fig, path, footer=_footer(result, lang))
    return lang


def penetration_chart(result: xr.Dataset, path, lang: str = "zh") -> str:
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    years = result.year.values.astype(int)
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for s in result.sector.values:
        en, zh = SECTOR_LABELS.get(str(s), (str(s), str(s)))
        ax.plot(years, 100 * result.penetration.sel(sector=s).values, marker="o", ms=3,
                label=zh if lang == "zh" else en)
    ax.set_ylabel(_t(lang, "产业数字化占增加值比重 %", "ID share of value added, %"))
    name = province_name(result, lang)
    ax.set_title(_t(lang, f"{name}三次产业数字化渗透率",
                    f"{name}: industrial digitalization penetration by sector"))
    year_axis(ax, years)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    finish(fig, path, footer=_footer(result, lang))
    return lang


def provinces_chart(table: pd.DataFrame, path, highlight: str = "guangxi", lang: str = "zh",
                    year: int | None = None, footer: str | None = None) -> str:
    """Bar chart of DE by province (``table``: index province key, columns ``digital_economy``,
    ``share_of_gdp``, ``name_zh``, ``name_en``), the highlighted province in another colour."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    t = table.sort_values("digital_economy", ascending=True)
    names = t["name_zh"] if lang == "zh" else t["name_en"]
    colours = ["#d62728" if k == highlight else "#7f7f7f" for k in t.index]
    fig, ax = plt.subplots(figsize=(9, 9))
    ax.barh(names, t["digital_economy"], color=colours)
    for y, (v, s) in enumerate(zip(t["digital_economy"], t["share_of_gdp"])):
        ax.text(v, y, f" {100 * s:.1f}%", va="center", fontsize=7)
    ax.set_xlabel(_t(lang, "数字经济规模，亿元（标注：占GDP比重）",
                     "digital economy, 1e8 CNY (label: share of GDP)"))
    ax.set_title(_t(lang, f"{year or ''}年各省数字经济规模（31个省份）",
                    f"Digital economy of the 31 provinces, {year or ''}"))
    ax.tick_params(axis="y", labelsize=8)
    finish(fig, path, footer=footer or _t(lang, "来源：klems 模型测算（各省相同参数）",
                                          "Source: klems, modelled (same options for every "
                                          "province)"))
    return lang
