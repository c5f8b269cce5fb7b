"""The chapters of the report, each an HTML fragment written from the numbers it shows.

Every sentence with a number is built from the estimate (no number is typed in); every chart
and table says whether its numbers are published, derived or modelled.
"""

from __future__ import annotations

import base64
import json
from html import escape

import numpy as np
import pandas as pd
import xarray as xr

from klems.outputs.charts import DATA_SOURCE_ZH
from klems.outputs.report.inputs import ReportInputs
from klems.outputs.tables import ASSET_ZH, LABELS, RULE_LABELS, SECTOR_LABELS
from klems.outputs.warning_text import STATUS_ZH, warning_lines


def tr(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def money(v, lang: str) -> str:
    if v is None or not np.isfinite(v):
        return "—"
    return f"{v:,.1f}" + ("亿元" if lang == "zh" else " × 10⁸ CNY")


def pct(v, digits: int = 1) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{100 * v:.{digits}f}%"


def num(v, digits: int = 1) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{v:,.{digits}f}"


def status_text(status, lang: str) -> str:
    text = str(status or "")
    if lang != "zh":
        return text
    for en, zh in STATUS_ZH.items():
        text = text.replace(en, zh)
    return text


def table(header: list[str], rows: list[list], classes: str = "") -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def figure(inputs: ReportInputs, name: str, caption: str, lang: str, status: str) -> str:
    png = inputs.figures.get(name)
    if not png:
        return ""
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    note = tr(lang, f"数据状态：{status}", f"Status: {status}")
    return (f'<figure><img src="{src}" alt="{escape(caption)}"><figcaption>{escape(caption)}'
            f'<span class="status">{escape(note)}</span></figcaption></figure>')


def section(number: int, title: str, body: str, lang: str) -> str:
    label = tr(lang, f"{'一二三四五六七八九十'[number - 1]}、", f"{number}. ")
    return (f'<section class="chapter" id="s{number}"><h2>{escape(label + title)}</h2>'
            f"{body}</section>")


def para(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _last(result: xr.Dataset, name: str, year: int) -> float:
    return float(result[name].sel(year=year))


# ------------------------------------------------------------------------------ chapters
def scale(inputs: ReportInputs, lang: str, name: str) -> str:
    r = inputs.result
    years = r.year.values.astype(int)
    y0, y1 = int(years[0]), int(years[-1])
    de0, de1 = _last(r, "digital_economy", y0), _last(r, "digital_economy", y1)
    share1 = _last(r, "share_of_gdp", y1)
    share0 = _last(r, "share_of_gdp", y0)
    n = y1 - y0
    cagr = (de1 / de0) ** (1.0 / n) - 1.0 if n > 0 and de0 > 0 else float("nan")
    text = tr(lang,
              f"{y1}年，{name}数字经济规模达到{money(de1, lang)}，占地区生产总值（GDP）的"
              f"{pct(share1)}；{y0}年为{money(de0, lang)}，占GDP的{pct(share0)}。{y0}—{y1}年"
              f"数字经济规模年均名义增长{pct(cagr)}。",
              f"In {y1} the digital economy of {name} reached {money(de1, lang)}, "
              f"{pct(share1)} of regional GDP; in {y0} it was {money(de0, lang)} "
              f"({pct(share0)} of GDP). From {y0} to {y1} it grew by {pct(cagr)} a year in "
              "nominal terms.")
    rows = [[int(y), num(_last(r, "digital_economy", y)),
             num(_last(r, "digital_industrialization", y)),
             num(_last(r, "industrial_digitalization", y)), num(_last(r, "gdp", y)),
             pct(_last(r, "share_of_gdp", y))] for y in years]
    head = tr(lang, "年份|数字经济|数字产业化|产业数字化|GDP|占GDP比重",
              "Year|Digital economy|Digital industrialization|Industrial digitalization|GDP|"
              "Share of GDP").split("|")
    unit = tr(lang, "单位：亿元（现价）；数字经济为模型测算，GDP的数据状态见第九章。",
              "Unit: 10⁸ CNY, current prices; the digital economy is modelled, GDP's status is in "
              "chapter 9.")
    return section(1, tr(lang, "数字经济总体规模", "Scale of the digital economy"),
                   para(text) + figure(inputs, "de_split", tr(
                       lang, f"图1 {name}数字经济规模及占GDP比重",
                       f"Figure 1. {name}: digital economy and its share of GDP"), lang,
                       tr(lang, "模型测算", "modelled"))
                   + f'<p class="note">{escape(unit)}</p>'
                   + table(head, rows, "numbers"), lang)


def growth(inputs: ReportInputs, lang: str, name: str) -> str:
    r = inputs.result
    y1 = int(r.year.values[-1])
    g = _last(r, "nominal_growth", y1)
    c = _last(r, "contribution_to_gdp_growth", y1)
    gdp = r.gdp.values
    gdp_g = gdp[-1] / gdp[-2] - 1.0 if gdp.size > 1 else float("nan")
    faster = g > gdp_g
    text = tr(lang,
              f"{y1}年{name}数字经济名义增长{pct(g)}，"
              f"{'高于' if faster else '低于'}同期GDP名义增速（{pct(gdp_g)}）；数字经济对GDP增长的"
              f"贡献率为{pct(c)}。",
              f"In {y1} the digital economy of {name} grew by {pct(g)} in nominal terms, "
              f"{'faster' if faster else 'slower'} than nominal GDP ({pct(gdp_g)}); it "
              f"contributed {pct(c)} of GDP growth.")
    return section(2, tr(lang, "增长态势", "Growth"),
                   para(text) + figure(inputs, "growth", tr(
                       lang, f"图2 {name}数字经济名义增速与对GDP增长的贡献率",
                       f"Figure 2. {name}: nominal growth and contribution to GDP growth"), lang,
                       tr(lang, "模型测算", "modelled")), lang)


def structure(inputs: ReportInputs, lang: str, name: str) -> str:
    r = inputs.result
    y1 = int(r.year.values[-1])
    di, id_ = _last(r, "digital_industrialization", y1), _last(r, "industrial_digitalization", y1)
    text = tr(lang,
              f"{y1}年，{name}数字产业化规模为{money(di, lang)}，占数字经济的"
              f"{pct(_last(r, 'di_share_of_de', y1))}；产业数字化规模为{money(id_, lang)}，占"
              f"{pct(_last(r, 'id_share_of_de', y1))}。数字产业化为信息通信产业的增加值（推算），"
              "产业数字化为ICT资本在其他行业增加值中归属的部分（模型测算）。",
              f"In {y1} digital industrialization (the value added of the ICT industries, "
              f"derived) was {money(di, lang)}, {pct(_last(r, 'di_share_of_de', y1))} of the "
              f"digital economy; industrial digitalization (the part of the other industries' "
              f"value added attributed to ICT capital, modelled) was {money(id_, lang)}, "
              f"{pct(_last(r, 'id_share_of_de', y1))}.")
    return section(3, tr(lang, "数字产业化与产业数字化结构",
                         "Digital industrialization and industrial digitalization"),
                   para(text) + figure(inputs, "structure", tr(
                       lang, f"图3 {name}数字经济内部结构",
                       f"Figure 3. {name}: structure of the digital economy"), lang,
                       tr(lang, "推算与模型测算", "derived and modelled")), lang)


def penetration(inputs: ReportInputs, lang: str, name: str) -> str:
    r = inputs.result
    y1 = int(r.year.values[-1])
    rows = []
    parts = []
    for s in r.sector.values:
        en, zh = SECTOR_LABELS.get(str(s), (str(s), str(s)))
        p = float(r.penetration.sel(sector=s, year=y1))
        rows.append([tr(lang, zh, en), num(float(r.id_by_sector.sel(sector=s, year=y1))),
                     pct(p)])
        parts.append(tr(lang, f"{zh}{pct(p)}", f"{en} {pct(p)}"))
    text = tr(lang, f"{y1}年{name}三次产业的数字化渗透率（产业数字化规模占本产业增加值的比重）分别为："
                    + "、".join(parts) + "。",
              f"In {y1} the digital penetration of {name}'s sectors (industrial digitalization "
              "over the sector's value added) was: " + ", ".join(parts) + ".")
    head = tr(lang, "产业|产业数字化（亿元）|渗透率", "Sector|Industrial digitalization (10⁸ CNY)|"
              "Penetration").split("|")
    top = ""
    if inputs.figures.get("top20"):
        top = figure(inputs, "top20", tr(lang, f"图5 {name}{y1}年产业数字化规模前20的行业",
                                         f"Figure 5. {name}: top 20 industries, {y1}"),
                     lang, tr(lang, "模型测算", "modelled"))
    return section(4, tr(lang, "产业数字化渗透率", "Digital penetration of the sectors"),
                   para(text) + figure(inputs, "penetration", tr(
                       lang, f"图4 {name}三次产业数字化渗透率",
                       f"Figure 4. {name}: penetration by sector"), lang,
                       tr(lang, "模型测算", "modelled")) + table(head, rows, "numbers") + top,
                   lang)


def ranking(inputs: ReportInputs, lang: str, name: str) -> str:
    t = inputs.ranks
    key = str(inputs.result.attrs.get("province", ""))
    if t is None or key not in t.index:
        return section(5, tr(lang, "全国排名", "Rank among the provinces"), para(tr(
            lang, "本报告未计算其他省份（排名需要31个省份的测算）。",
            "The other provinces were not estimated (ranks need all 31).")), lang)
    y1 = int(inputs.result.year.values[-1])
    row = t.loc[key]
    text = tr(lang,
              f"按相同参数测算31个省份，{y1}年{name}数字经济规模居全国第{int(row.rank_digital_economy)}"
              f"位，名义增速居第{int(row.rank_nominal_growth)}位，占GDP比重居第"
              f"{int(row.rank_share_of_gdp)}位。",
              f"With the same options for all 31 provinces, {name} ranks "
              f"{int(row.rank_digital_economy)} by the scale of its digital economy in {y1}, "
              f"{int(row.rank_nominal_growth)} by nominal growth and "
              f"{int(row.rank_share_of_gdp)} by share of GDP.")
    pub = inputs.published_ranks
    if pub:
        items = [tr(lang, f"{k}（{y}年）第{int(v)}位", f"{k} ({y}): {int(v)}")
                 for (k, y), v in sorted(pub.items())]
        text += tr(lang, " 公开发布的排名：", " Published ranks: ") + \
            tr(lang, "；", "; ").join(items) + tr(lang, "。", ".")
    order = t.sort_values("digital_economy", ascending=False)
    rows = [[int(r.rank_digital_economy), r.name_zh if lang == "zh" else r.name_en,
             num(r.digital_economy), pct(r.share_of_gdp), pct(r.nominal_growth),
             int(r.rank_share_of_gdp), int(r.rank_nominal_growth)]
            for r in order.itertuples()]
    head = tr(lang, "规模排名|省份|数字经济（亿元）|占GDP比重|名义增速|比重排名|增速排名",
              "Rank|Province|Digital economy (10⁸ CNY)|Share of GDP|Nominal growth|"
              "Rank (share)|Rank (growth)").split("|")
    body = para(text) + figure(inputs, "provinces", tr(
        lang, f"图6 {y1}年各省数字经济规模", f"Figure 6. Digital economy by province, {y1}"),
        lang, tr(lang, "模型测算", "modelled")) + table(head, rows, "numbers small")
    return section(5, tr(lang, "全国排名", "Rank among the provinces"), body, lang)


FIGURE_ZH = {"digital_economy": "数字经济规模", "digital_industrialization": "数字产业化规模",
             "industrial_digitalization": "产业数字化规模", "share_of_gdp": "占GDP比重",
             "nominal_growth": "名义增速", "contribution_to_gdp_growth": "对GDP增长贡献率",
             "id_share_of_de": "产业数字化占比", "di_share_of_de": "数字产业化占比",
             "id_share_of_gdp": "产业数字化占GDP比重"}


UNIT_ZH = {"percent": "%", "1e8 CNY": "亿元"}
FIGURE_EN = {"digital_economy": "digital economy", "digital_industrialization":
             "digital industrialization", "industrial_digitalization":
             "industrial digitalization", "share_of_gdp": "share of GDP",
             "nominal_growth": "nominal growth", "contribution_to_gdp_growth":
             "contribution to GDP growth", "id_share_of_de": "ID share of DE",
             "di_share_of_de": "DI share of DE", "id_share_of_gdp": "ID share of GDP"}


def _comparison_rows(table_: pd.DataFrame, lang: str, held_out: bool) -> list[list]:
    rows = []
    ordered = table_.sort_values(["figure", "year"], kind="stable")
    for r in ordered.itertuples(index=False):
        label = FIGURE_ZH.get(r.figure, r.figure) if lang == "zh" \
            else FIGURE_EN.get(r.figure, r.figure)
        unit = UNIT_ZH.get(str(r.unit), str(r.unit)) if lang == "zh" else str(r.unit)
        dev_unit = getattr(r, "deviation_unit", "%")
        dev = getattr(r, "deviation", r.deviation_pct)
        shown = "—" if not np.isfinite(dev) else (f"{dev:+.1f}%" if dev_unit == "%" else
                                                   f"{dev:+.2f} pp")
        row = [label, int(r.year), num(r.published, 2), num(r.computed, 2), shown, unit]
        if held_out:
            row.append(tr(lang, "校准外", "held out") if r.held_out else tr(lang, "校准", "fitted"))
        rows.append(row)
    return rows


def comparison(inputs: ReportInputs, lang: str, name: str) -> str:
    head = tr(lang, "指标|年份|公布值|测算值|偏差|单位",
              "Figure|Year|Published|Computed|Deviation|Unit").split("|")
    body = ""
    if inputs.comparison is None or inputs.comparison.empty:
        body = para(tr(lang, f"data/published_figures.csv中没有{name}的公布数据，无法比较。",
                       f"data/published_figures.csv holds no published figures of {name}."))
    else:
        body += para(tr(lang,
                        "下表将本报告的测算值（未校准）与白皮书等公开发布的数据逐项对比；规模的偏差为"
                        "相对公布值的百分比（%），增速与比重的偏差为百分点（pp）。公布值为发布机构的"
                        "测算，不是统计局的统计数据。",
                        "The table sets the estimate (uncalibrated) beside every published figure "
                        "(white papers); deviations of levels are in per cent of the published "
                        "value, of growth rates and shares in percentage points (pp). Published "
                        "figures are the publishers' own estimates, not official statistics."))
        body += table(head, _comparison_rows(inputs.comparison, lang, False), "numbers small")
        if inputs.published_sources:
            body += f'<p class="note">{escape(tr(lang, "公布值来源：", "Published figures: "))}' \
                + escape(tr(lang, "；", "; ").join(inputs.published_sources)) + "</p>"
    cal = inputs.calibration
    if cal and cal.get("calibrated"):
        coef = "；".join(f"{k} = {v:.4g}" for k, v in cal["calibrated"].items()) \
            if lang == "zh" else "; ".join(f"{k} = {v:.4g}" for k, v in cal["calibrated"].items())
        years = cal.get("calibration_years", [])
        body += para(tr(lang, f"校准：以{years[0]}—{years[-1]}年公布值为目标，最小二乘估计系数"
                              f"{coef}；其余年份为校准外检验。",
                        f"Calibration: least squares on the published figures of "
                        f"{years[0]}–{years[-1]}: {coef}; other years are held out."))
        body += table(head + [tr(lang, "用途", "Use")],
                      _comparison_rows(cal["calibrated_table"], lang, True), "numbers small")
    return section(6, tr(lang, "与公开数据的对比", "Comparison with published figures"), body,
                   lang)


def sensitivity(inputs: ReportInputs, lang: str, name: str) -> str:
    ds = inputs.sweep
    if ds is None:
        return section(7, tr(lang, "敏感性分析", "Sensitivity"), para(tr(
            lang, "未提供敏感性分析文件。用 klems sweep 生成（例如折旧率、服务年限、年龄-效率曲线的"
                  "取值范围），再以 --sweep 文件名 加入本报告。",
            "No sweep was given. Make one with klems sweep (ranges of depreciation, service "
            "lives, profiles) and add it with --sweep FILE.")), lang)
    key = str(inputs.result.attrs.get("province", ""))
    prov = key if key in [str(p) for p in ds.province.values] else str(ds.province.values[0])
    year = int(ds.year.values[-1])
    q = ds.digital_economy_quantile.sel(province=prov, year=year)
    base = float(ds.digital_economy_base.sel(province=prov, year=year))
    lo, med, hi = (float(q.sel(quantile=v)) for v in (0.05, 0.5, 0.95))
    text = tr(lang,
              f"在敏感性分析的{int(ds.attrs.get('draws', ds.sizes.get('draw', 0))):,}组参数抽样"
              f"（{ds.attrs.get('parameters_swept', '')}）下，{year}年数字经济规模的中位数为"
              f"{money(med, lang)}，90%区间为{num(lo)}—{num(hi)}亿元；固定参数估计为"
              f"{money(base, lang)}。",
              f"Over {int(ds.attrs.get('draws', ds.sizes.get('draw', 0))):,} draws of the swept "
              f"parameters ({ds.attrs.get('parameters_swept', '')}) the digital economy of {year} "
              f"has the median {money(med, lang)} and the 90 % interval {num(lo)}–{num(hi)}; "
              f"the estimate with the fixed options is {money(base, lang)}.")
    rows = []
    for j, p in enumerate(ds.parameter.values):
        low = float(ds.tornado_low.sel(province=prov).values[j])
        high = float(ds.tornado_high.sel(province=prov).values[j])
        st = ""
        if "sobol_total" in ds:
            st = num(float(ds.sobol_total.sel(province=prov, output="digital_economy",
                                              year=year).values[j]), 2)
        rows.append([str(p), num(low), num(high), st])
    head = tr(lang, "参数|单因素最低（亿元）|单因素最高（亿元）|总效应Sobol指数",
              "Parameter|Lowest (10⁸ CNY)|Highest (10⁸ CNY)|Total Sobol index").split("|")
    body = para(text) + figure(inputs, "fan", tr(lang, f"图7 {name}数字经济规模的不确定性区间",
                                                 f"Figure 7. {name}: uncertainty band"),
                               lang, tr(lang, "模型测算", "modelled")) \
        + figure(inputs, "tornado", tr(lang, f"图8 {name}单因素敏感性",
                                       f"Figure 8. {name}: one-at-a-time sensitivity"), lang,
                 tr(lang, "模型测算", "modelled")) + table(head, rows, "numbers small")
    return section(7, tr(lang, "敏感性分析", "Sensitivity"), body, lang)


def method(inputs: ReportInputs, lang: str, name: str) -> str:
    r = inputs.result
    rule = str(r.attrs.get("attribution", "income-share"))
    en_rule, zh_rule = RULE_LABELS.get(rule, (rule, rule))
    text = tr(lang,
              "数字经济规模 = 数字产业化 + 产业数字化（中国信息通信研究院方法，《广西数字经济发展白皮书"
              "（2022年）》附录1）。数字产业化为2012年投入产出表139个部门中信息通信产业的增加值；"
              "产业数字化用KLEMS增长核算：以永续盘存法估计计算机硬件、通信设备、软件三类ICT资本的"
              "生产性资本存量，按事后内部收益率计算资本使用成本与ICT资本报酬，以Törnqvist指数分解"
              f"各行业产出增长，再按“{zh_rule}”把增加值中归属于ICT的部分计为产业数字化。",
              "Digital economy = digital industrialization + industrial digitalization (CAICT "
              "method, Guangxi Digital Economy White Paper 2022, Appendix 1). Digital "
              "industrialization is the value added of the ICT industries among the 139 "
              "industries of the 2012 input-output table; industrial digitalization comes from "
              "KLEMS growth accounting: productive stocks of computers, communication equipment "
              "and software by perpetual inventory, user costs and ICT capital compensation with "
              "the ex-post internal rate of return, Törnqvist decomposition of each industry's "
              f"output growth, and the part of value added attributed to ICT by the {en_rule} "
              "rule.")
    rows = []
    assets = json.loads(r.attrs.get("asset_parameters", "{}"))
    for asset in [a for a in ASSET_ZH if a in assets]:
        spec = assets[asset]
        rows.append([ASSET_ZH[asset] if lang == "zh" else asset,
                     num(spec.get("mean_life", np.nan), 1), num(spec.get("depreciation", np.nan), 4),
                     num(spec.get("beta", np.nan), 2), str(spec.get("profile", ""))])
    head = tr(lang, "资产|平均服务年限μ（年）|折旧率δ|双曲线参数β|年龄-效率曲线",
              "Asset|Mean life μ (years)|Depreciation δ|β|Profile").split("|")
    theta = r.attrs.get("theta")
    src = str(r.attrs.get("theta_source", ""))
    theta_text = tr(lang, f"TFP中归因于ICT的份额θ = {num(float(theta), 3)}（{'OLS估计' if 'OLS' in src else '给定'}"
                          + (f"，OLS点估计{num(float(r.attrs['theta_ols']), 3)}，标准误"
                             f"{num(float(r.attrs['theta_se']), 3)}" if "theta_ols" in r.attrs
                             else "") + "）。",
                    f"Share of TFP growth attributed to ICT θ = {num(float(theta), 3)} ({src}"
                    + (f"; OLS point estimate {num(float(r.attrs['theta_ols']), 3)}, s.e. "
                       f"{num(float(r.attrs['theta_se']), 3)}" if "theta_ols" in r.attrs
                       else "") + ").")
    params = json.loads(r.attrs.get("parameters", "{}"))
    other = [[k, "—" if v is None else (json.dumps(v, ensure_ascii=False)
                                        if isinstance(v, (dict, list)) else str(v))]
             for k, v in sorted(params.items()) if k not in ("assets", "theta")]
    warn = "".join(f"<li>{escape(w)}</li>" for w in warning_lines(r, lang))
    body = (para(text) + f"<h3>{escape(tr(lang, 'ICT资本参数', 'ICT capital parameters'))}</h3>"
            + table(head, rows, "numbers") + para(theta_text)
            + f"<h3>{escape(tr(lang, '全部选项', 'All options'))}</h3>"
            + table([tr(lang, "选项", "Option"), tr(lang, "取值", "Value")], other, "small")
            + f"<h3>{escape(tr(lang, '警示', 'Warnings'))}</h3><ul class='warnings'>{warn}</ul>")
    return section(8, tr(lang, "方法与假设", "Method and assumptions"), body, lang)


def provenance(inputs: ReportInputs, lang: str, name: str) -> str:
    r = inputs.result
    legend = tr(lang,
                "数据状态：公布（published）= 统计部门或发布机构公布的数字；推算（derived）= 由公布数字"
                "按恒等式计算；模型估计（modelled）= 区域化、插值、外推或衔接得到。本报告所有数字经济"
                "指标均为模型测算，不是官方统计数据。",
                "Status: published = a figure printed by a statistics office or publisher; derived "
                "= computed from published figures by identities; modelled = regionalised, "
                "interpolated, extrapolated or linked. Every digital-economy figure of this report "
                "is modelled, not an official statistic.")
    statuses = json.loads(r.attrs.get("input_status", "{}"))

    def label(k):
        zh, en = inputs.series_labels.get(k, (None, None))
        if k in LABELS:
            en, zh = LABELS[k][0], LABELS[k][1]
        text = zh if lang == "zh" else en
        return f"{text}（{k}）" if text and lang == "zh" else (f"{text} ({k})" if text else k)

    rows = [[label(k), status_text(v, lang)] for k, v in sorted(statuses.items())]
    outs = [[label(k), status_text(r[k].attrs.get("status", ""), lang)]
            for k in ("digital_economy", "digital_industrialization",
                      "industrial_digitalization", "gdp") if k in r]
    meta = [[tr(lang, "软件", "Software"), f"klems {r.attrs.get('project_version', '')}"],
            [tr(lang, "生成时间", "Created"), str(r.attrs.get("created", ""))],
            [tr(lang, "数据", "Data"), DATA_SOURCE_ZH.get(str(r.attrs.get("data_source", "")),
                                                       str(r.attrs.get("data_source", "")))
             if lang == "zh" else str(r.attrs.get("data_source", ""))],
            [tr(lang, "命令", "Command"), inputs.command or str(r.attrs.get("command", ""))]]
    if r.attrs.get("input_sha256"):
        meta.append([tr(lang, "输入数据SHA-256", "Input SHA-256"), str(r.attrs["input_sha256"])])
    head = [tr(lang, "序列", "Series"), tr(lang, "状态（按年份）", "Status (by years)")]
    body = (para(legend) + f"<h3>{escape(tr(lang, '测算结果', 'Results'))}</h3>"
            + table(head, outs, "small")
            + f"<h3>{escape(tr(lang, '输入数据', 'Inputs'))}</h3>" + table(head, rows, "small")
            + f"<h3>{escape(tr(lang, '本报告', 'This report'))}</h3>"
            + table([tr(lang, "项目", "Item"), tr(lang, "内容", "Value")], meta, "small"))
    return section(9, tr(lang, "数据来源与状态", "Data provenance"), body, lang)


CHAPTERS = (scale, growth, structure, penetration, ranking, comparison, sensitivity, method,
            provenance)
