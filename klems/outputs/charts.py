"""PNG charts of an estimate: DE and its split, ID by industry, sector penetration, provinces.

Labels are Chinese when a font with Chinese glyphs is available (see :mod:`klems.outputs.fonts`),
otherwise English with a warning — never boxes for missing glyphs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.outputs.figures import chart_language, finish
from klems.outputs.tables import SECTOR_LABELS


def _t(lang, zh, en):
    return zh if lang == "zh" else en


def _footer(result, lang) -> str:
    return _t(
        lang,
        f"来源：klems {result.attrs.get('project_version', '')} 模型测算（modelled）；"
        f"归属方法 {result.attrs.get('attribution', '')}；{result.attrs.get('data_source', '')}",
        f"Source: klems {result.attrs.get('project_version', '')}, modelled; attribution "
        f"{result.attrs.get('attribution', '')}; {result.attrs.get('data_source', '')}")


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
    for x, d, i in zip(years, di, id_):
        ax.text(x, d + i, f"{d + i:,.0f}", ha="center", va="bottom", fontsize=8)
    ax.set_ylabel(_t(lang, "亿元（现价）", "1e8 CNY, current prices"))
    ax2 = ax.twinx()
    ax2.plot(years, 100 * result.share_of_gdp.values, color="black", marker="o",
             label=_t(lang, "占GDP比重（右轴）", "share of GDP (right)"))
    ax2.set_ylabel(_t(lang, "占GDP比重 %", "share of GDP, %"))
    ax2.set_ylim(0, max(5.0, 1.25 * 100 * float(np.nanmax(result.share_of_gdp.values))))
    name = result.attrs.get("province_zh") if lang == "zh" else result.attrs.get("province", "")
    ax.set_title(_t(lang, f"{name}数字经济规模及构成", f"{str(name).title()}: digital economy "
                                                     "and its split"))
    ax.set_xticks(years)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    finish(fig, path, footer=_footer(result, lang))
    return lang


def id_by_industry_chart(result: xr.Dataset, path, names: pd.Series | None = None,
                         lang: str = "zh", top: int = 20) -> str:
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    year = int(result.year.values[-1])
    rule = result.attrs.get("attribution", "income-share")
    ids = result.id_industry.sel(rule=rule, year=year).to_series().sort_values(ascending=False)
    ids = ids.head(top)[::-1]
    labels = [f"{c} {names.get(c, '')}" if (names is not None and lang == "zh") else c
              for c in ids.index]
    if names is not None and lang != "zh" and "name_en" in getattr(names, "attrs", {}):
        labels = ids.index.tolist()
    fig, ax = plt.subplots(figsize=(9, 7))
    ax.barh(labels, ids.values, color="#ff7f0e")
    ax.set_xlabel(_t(lang, "亿元（现价）", "1e8 CNY, current prices"))
    ax.set_title(_t(lang, f"{year}年产业数字化规模前{top}的行业",
                    f"Industrial digitalization by industry, top {top}, {year}"))
    ax.tick_params(axis="y", labelsize=8)
    finish(fig, path, footer=_footer(result, lang))
    return lang


def penetration_chart(result: xr.Dataset, path, lang: str = "zh") -> str:
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    years = result.year.values.astype(int)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for s in result.sector.values:
        en, zh = SECTOR_LABELS.get(str(s), (str(s), str(s)))
        ax.plot(years, 100 * result.penetration.sel(sector=s).values, marker="o",
                label=zh if lang == "zh" else en)
    ax.set_ylabel(_t(lang, "产业数字化占增加值比重 %", "ID share of value added, %"))
    ax.set_title(_t(lang, "三次产业数字化渗透率", "Industrial digitalization penetration by sector"))
    ax.set_xticks(years)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    finish(fig, path, footer=_footer(result, lang))
    return lang


def provinces_chart(table: pd.DataFrame, path, highlight: str = "guangxi", lang: str = "zh",
                    year: int | None = None) -> str:
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
    ax.set_title(_t(lang, f"{year or ''}年各省数字经济规模", f"Digital economy by province {year or ''}"))
    ax.tick_params(axis="y", labelsize=8)
    finish(fig, path)
    return lang
