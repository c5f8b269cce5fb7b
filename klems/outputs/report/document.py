"""The report as one self-contained HTML file (A4 pages when printed), in Chinese or English.

Everything is inside the file: the charts as ``data:`` PNGs, the Chinese font as a subset
``@font-face`` (:mod:`klems.outputs.report.fontface`), the styles; no script, no link to the
network. The same file prints to PDF (:mod:`klems.outputs.report.pdf`) with the ``@page`` rules:
A4, margins, the province and page numbers in the margin boxes, a page break before each
chapter.
"""

from __future__ import annotations

import re
from html import escape

from klems.base.errors import UnknownProvinceError
from klems.base.provinces import province
from klems.outputs.report.fontface import FAMILY, font_face
from klems.outputs.report.inputs import ReportInputs
from klems.outputs.report.sections import CHAPTERS, money, pct, tr
from klems.outputs.tables import RULE_LABELS

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt;
                         color: #666; font-family: %(family)s; }
        @top-right { content: "%(running)s"; font-size: 8pt; color: #666;
                     font-family: %(family)s; } }
@page:first { @top-right { content: none; } @bottom-center { content: none; } }
html { font-family: %(family)s; font-size: 10.5pt; color: #1a1a1a; line-height: 1.6; }
body { margin: 0 auto; max-width: 178mm; }
.cover { page-break-after: always; break-after: page; padding-top: 35mm; }
.cover .band { border-top: 6px solid #b22222; padding-top: 8mm; }
.cover h1 { font-size: 26pt; line-height: 1.3; margin: 0 0 4mm 0; }
.cover .subtitle { font-size: 14pt; color: #444; margin-bottom: 14mm; }
.cover .notice { border: 1px solid #b22222; color: #b22222; padding: 3mm 4mm; margin: 10mm 0;
                 font-size: 9.5pt; }
.cover table.meta td { padding: 1mm 4mm 1mm 0; font-size: 9.5pt; color: #333; }
.keyfigs { display: flex; flex-wrap: wrap; gap: 4mm; margin: 6mm 0; }
.keyfig { flex: 1 1 30%%; border-left: 4px solid #b22222; background: #f6f6f6;
          padding: 2mm 3mm; }
.keyfig .v { font-size: 15pt; font-weight: bold; display: block; }
.keyfig .k { font-size: 8.5pt; color: #555; }
nav.toc { page-break-after: always; break-after: page; }
nav.toc ol { list-style: none; padding-left: 0; font-size: 11pt; }
nav.toc li { padding: 1.2mm 0; border-bottom: 1px dotted #bbb; }
nav.toc a { color: inherit; text-decoration: none; }
section.chapter { page-break-before: always; break-before: page; }
h2 { font-size: 16pt; color: #b22222; border-bottom: 2px solid #b22222; padding-bottom: 1mm;
     margin-top: 0; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm 0; page-break-after: avoid; break-after: avoid; }
p { text-align: justify; margin: 2mm 0 3mm 0; }
p.note { font-size: 8.5pt; color: #555; }
figure { margin: 3mm 0 5mm 0; page-break-inside: avoid; break-inside: avoid; text-align: center; }
figure img { max-width: 100%%; max-height: 150mm; }
figcaption { font-size: 9pt; color: #333; margin-top: 1mm; }
figcaption .status { display: block; font-size: 8pt; color: #777; }
table { border-collapse: collapse; width: 100%%; margin: 2mm 0 5mm 0; font-size: 9pt; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th { background: #eee; border-bottom: 1.5px solid #555; padding: 1mm 1.5mm; text-align: left; }
td { border-bottom: 0.5px solid #ccc; padding: 0.8mm 1.5mm; vertical-align: top;
     overflow-wrap: anywhere; }
table.numbers td { text-align: right; }
table.numbers td:first-child { text-align: left; }
table.small { font-size: 8pt; }
ul.warnings li { font-size: 9pt; margin-bottom: 1mm; }
@media screen { body { padding: 10mm; background: #fff; } }
"""


def _names(result, lang: str) -> tuple[str, str]:
    key = str(result.attrs.get("province", ""))
    try:
        p = province(key)
    except UnknownProvinceError:
        name = str(result.attrs.get("province_zh") or key)
        return name, name
    return (p.short_zh, p.zh) if lang == "zh" else (p.en, p.en)


def _cover(inputs: ReportInputs, lang: str, short: str, full: str) -> str:
    r = inputs.result
    years = r.year.values.astype(int)
    y0, y1 = int(years[0]), int(years[-1])
    rule = str(r.attrs.get("attribution", "income-share"))
    en_rule, zh_rule = RULE_LABELS.get(rule, (rule, rule))
    title = tr(lang, f"{full}数字经济发展测算报告", f"The Digital Economy of {full}")
    subtitle = tr(lang, f"{y0}—{y1}年 · 基于KLEMS增长核算的数字经济规模测算",
                  f"{y0}–{y1} · measured by KLEMS growth accounting")
    key = [
        (money(float(r.digital_economy.sel(year=y1)), lang),
         tr(lang, f"{y1}年数字经济规模", f"digital economy {y1}")),
        (pct(float(r.share_of_gdp.sel(year=y1))), tr(lang, "占GDP比重", "share of GDP")),
        (pct(float(r.nominal_growth.sel(year=y1))), tr(lang, "名义增速", "nominal growth")),
        (money(float(r.digital_industrialization.sel(year=y1)), lang),
         tr(lang, "数字产业化", "digital industrialization")),
        (money(float(r.industrial_digitalization.sel(year=y1)), lang),
         tr(lang, "产业数字化", "industrial digitalization")),
        (pct(float(r.contribution_to_gdp_growth.sel(year=y1))),
         tr(lang, "对GDP增长的贡献率", "contribution to GDP growth")),
    ]
    figs = "".join(f'<div class="keyfig"><span class="v">{escape(v)}</span>'
                   f'<span class="k">{escape(k)}</span></div>' for v, k in key)
    notice = tr(lang, "本报告的数字经济指标均为模型测算值（modelled），依据公开统计数据与投入产出结构"
                      "估计，不是官方统计数据；方法、参数与数据状态见第八、九章。",
                "Every digital-economy figure in this report is modelled from published "
                "statistics and input-output structures; none is an official statistic. "
                "Method, parameters and data status: chapters 8 and 9.")
    meta = [(tr(lang, "地区", "Region"), full),
            (tr(lang, "年份", "Years"), f"{y0}–{y1}"),
            (tr(lang, "归属方法", "Attribution rule"), tr(lang, zh_rule, en_rule)),
            (tr(lang, "软件", "Software"), f"klems {r.attrs.get('project_version', '')}"),
            (tr(lang, "生成时间", "Created"), str(r.attrs.get("created", "")))]
    rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(str(b))}</td></tr>" for a, b in meta)
    return (f'<div class="cover"><div class="band"><h1>{escape(title)}</h1>'
            f'<div class="subtitle">{escape(subtitle)}</div></div>'
            f'<div class="keyfigs">{figs}</div>'
            f'<div class="notice">{escape(notice)}</div>'
            f'<table class="meta">{rows}</table></div>')


def _toc(chapters_html: list[str], lang: str) -> str:
    items = []
    for html in chapters_html:
        m = re.search(r'id="(s\d+)"><h2>(.*?)</h2>', html)
        if m:
            items.append(f'<li><a href="#{m.group(1)}">{m.group(2)}</a></li>')
    return (f'<nav class="toc"><h2>{escape(tr(lang, "目录", "Contents"))}</h2>'
            f'<ol>{"".join(items)}</ol></nav>')


def render_html(inputs: ReportInputs, lang: str = "zh") -> str:
    """The whole report as one HTML document (a string)."""
    short, full = _names(inputs.result, lang)
    chapters = [chapter(inputs, lang, short) for chapter in CHAPTERS]
    body = _cover(inputs, lang, short, full) + _toc(chapters, lang) + "".join(chapters)
    title = tr(lang, f"{full}数字经济发展测算报告", f"The Digital Economy of {full}")
    text = re.sub(r"<[^>]+>|data:[^\"')]+", " ", body + title)
    face = font_face(text)
    family = (f"'{FAMILY}', " if face else "") + ("'Noto Sans CJK SC', 'Source Han Sans SC', "
                                                  "'Microsoft YaHei', 'PingFang SC', sans-serif")
    running = title.replace('"', "'")
    css = CSS % {"family": family, "running": running}
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            '<meta name="generator" content="klems">'
            f"<style>{face}\n{css}</style></head><body>{body}</body></html>\n")
