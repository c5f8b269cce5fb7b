"""Tables of an estimate for people: console, Excel, CSV; labels in Chinese or English."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import UnknownProvinceError
from klems.base.provinces import province
from klems.base.vocabulary import RULES
from klems.outputs.warning_text import warning_lines
from klems.outputs.workbook import Column, Sheet

# key: (English, Chinese, units)
LABELS = {
    "year": ("Year", "年份", "year"),
    "digital_economy": ("Digital economy (DE)", "数字经济规模", "1e8 CNY"),
    "digital_industrialization": ("Digital industrialization (DI)", "数字产业化规模", "1e8 CNY"),
    "industrial_digitalization": ("Industrial digitalization (ID)", "产业数字化规模", "1e8 CNY"),
    "gdp": ("GDP", "地区生产总值", "1e8 CNY"),
    "share_of_gdp": ("DE share of GDP", "数字经济占GDP比重", "1"),
    "nominal_growth": ("DE nominal growth", "数字经济名义增速", "1"),
    "contribution_to_gdp_growth": ("DE contribution to GDP growth", "数字经济对GDP增长贡献率",
                                   "1"),
    "di_share_of_de": ("DI share of DE", "数字产业化占比", "1"),
    "id_share_of_de": ("ID share of DE", "产业数字化占比", "1"),
    "industry": ("Industry code", "行业代码", ""),
    "industry_name": ("Industry", "行业名称", ""),
    "sector": ("Sector", "三次产业", ""),
    "value_added": ("Value added", "增加值", "1e8 CNY"),
    "id_industry": ("Industrial digitalization", "产业数字化规模", "1e8 CNY"),
    "di_industry": ("Digital industrialization", "数字产业化规模", "1e8 CNY"),
    "ict_compensation": ("ICT capital compensation", "ICT资本报酬", "1e8 CNY"),
    "penetration": ("ID penetration", "产业数字化渗透率", "1"),
    "id_by_sector": ("Industrial digitalization", "产业数字化规模", "1e8 CNY"),
}
RULE_LABELS = {
    "income-share": ("income share", "收入份额法"),
    "contribution-rate": ("contribution rate", "贡献率法"),
    "contribution-plus-tfp": ("contribution + TFP", "贡献率+TFP法"),
    "cumulative": ("cumulative", "累积贡献法"),
}
SECTOR_LABELS = {"primary": ("primary", "第一产业"), "secondary": ("secondary", "第二产业"),
                 "tertiary": ("tertiary", "第三产业")}
SUMMARY_KEYS = ("digital_economy", "digital_industrialization", "industrial_digitalization",
                "gdp", "share_of_gdp", "nominal_growth", "contribution_to_gdp_growth",
                "di_share_of_de", "id_share_of_de")


def label(key: str, lang: str = "zh") -> str:
    en, zh, _ = LABELS.get(key, (key, key, ""))
    return zh if lang == "zh" else en


def rule_label(rule: str, lang: str = "zh") -> str:
    en, zh = RULE_LABELS.get(rule, (rule, rule))
    return zh if lang == "zh" else en


def _col(key, suffix_en="", suffix_zh="", units=None):
    en, zh, u = LABELS.get(key, (key, key, ""))
    return Column(key + suffix_en.replace(" ", "_"), en + suffix_en, zh + suffix_zh,
                  u if units is None else units)


def summary_frame(result: xr.Dataset) -> tuple[pd.DataFrame, list[Column]]:
    """One row per year: totals of the chosen rule and DE / share under every rule."""
    frame = pd.DataFrame({"year": result.year.values.astype(int)})
    cols = [_col("year")]
    for key in SUMMARY_KEYS:
        frame[key] = result[key].values
        cols.append(_col(key))
    for rule in RULES:
        en, zh = RULE_LABELS[rule]
        if not is_calibrated(result, rule):
            en, zh = f"{en}, uncalibrated", f"{zh}，未校准"
        for key in ("digital_economy", "industrial_digitalization", "share_of_gdp"):
            name = f"{key}__{rule.replace('-', '_')}"   # no hyphens: R and Stata keep it
            frame[name] = result[f"{key}_by_rule"].sel(rule=rule).values
            base = LABELS[key]
            cols.append(Column(name, f"{base[0]} [{en}]", f"{base[1]}（{zh}）", base[2]))
    return frame, cols


def is_calibrated(result: xr.Dataset, rule: str) -> bool:
    """Whether the estimate's coefficients were calibrated for ``rule`` (a calibration file)."""
    return bool(result.attrs.get("calibrated_rule")) and result.attrs["calibrated_rule"] == rule


def _latest(rows: list[dict]) -> list[dict]:
    """The latest published year of each headline figure."""
    best: dict[str, dict] = {}
    for r in rows:
        if r["figure"] not in best or r["year"] > best[r["figure"]]["year"]:
            best[r["figure"]] = r
    return list(best.values())


def explanation_lines(result: xr.Dataset, lang: str = "zh") -> list[str]:
    """What the estimate is: its rule (default or not, calibrated or not), θ, its distance from
    the published figures of the region, and the command that reproduces and calibrates them."""
    zh = lang == "zh"
    rule = result.attrs.get("attribution", "")
    theta = result.attrs.get("theta")
    default = bool(result.attrs.get("attribution_is_default"))
    if is_calibrated(result, rule):
        how = (f"按校准文件 {result.attrs.get('calibration_file', '')}（校准系数 "
               f"{result.attrs.get('calibrated', '')}）" if zh else
               f"calibrated by {result.attrs.get('calibration_file', '')} (coefficients "
               f"{result.attrs.get('calibrated', '')})")
    else:
        how = "未校准" if zh else "uncalibrated"
    source = result.attrs.get("theta_source", "")
    if zh:
        lines = [f"产业数字化归属方法：{rule_label(rule, lang)}（{rule}"
                 f"{'，默认方法' if default else ''}），{how}；θ = {theta:.3f}（{source}）。"]
    else:
        lines = [f"Industrial digitalization by the {rule} rule"
                 f"{' (the default)' if default else ''}, {how}; θ = {theta:.3f} ({source})."]
    rows = json.loads(result.attrs.get("published_comparison", "[]"))
    vintage = result.attrs.get("vintage", "")
    pub_vintage = result.attrs.get("published_vintage", "")
    if rows:
        parts = []
        for r in _latest(rows):
            unit = r["deviation_unit"]
            fmt = "{:,.0f}" if unit == "%" else "{:.1f}%"
            dev = f"{r['deviation']:+.1f} %" if unit == "%" else f"{r['deviation']:+.1f} pp"
            parts.append(f"{label(r['figure'], lang)} {r['year']}: {fmt.format(r['computed'])} "
                         f"{'对' if zh else 'vs'} {fmt.format(r['published'])} ({dev})")
        if zh:
            lines.append(f"与公布数据的距离（数据口径 {vintage}，公布数据口径 {pub_vintage}）："
                         + "；".join(parts))
            lines.append(f"复现并校准：{result.attrs.get('reproduce_command', '')}")
        else:
            lines.append(f"Distance from the published figures (data vintage {vintage}; the "
                         f"published figures' {pub_vintage}): " + "; ".join(parts))
            lines.append(f"To reproduce and calibrate: {result.attrs.get('reproduce_command', '')}")
    else:
        lines.append("本地区无公布数据可比；全国与广西的对照：klems reproduce --province china / "
                     "guangxi" if zh else
                     "No published figure of this region to compare with; the nation's and "
                     "Guangxi's: klems reproduce --province china / guangxi")
    return lines


def plausibility_frames(result: xr.Dataset):
    """Sector penetration of every rule beside CAICT's national figures, and the flagged
    industries (:mod:`klems.pipeline.plausibility`), as one sheet."""
    rows = []
    if "penetration_caict" in result:
        ref = result["penetration_caict"]
        for year in ref.caict_year.values:
            if int(year) not in result.year.values:
                continue
            for sec in ref.sector.values:
                row = {"year": int(year), "sector": str(sec),
                       "caict": float(ref.sel(sector=sec, caict_year=year))}
                for rule in RULES:
                    row[rule] = float(result["penetration_by_rule"].sel(
                        rule=rule, sector=sec, year=int(year)))
                rows.append(row)
    frame = pd.DataFrame(rows, columns=["year", "sector", "caict", *RULES])
    cols = [_col("year"), Column("sector", "Sector", "三次产业"),
            Column("caict", "CAICT national penetration (reference)", "中国信通院全国渗透率（参考）",
                   "1")]
    cols += [Column(r, f"ID penetration [{RULE_LABELS[r][0]}]",
                    f"产业数字化渗透率（{RULE_LABELS[r][1]}）", "1") for r in RULES]
    return frame, cols


def flags_frame(result: xr.Dataset, names=None):
    flags = pd.DataFrame(json.loads(result.attrs.get("industry_flags", "[]")),
                         columns=["industry", "sector", "flag", "years", "n_years",
                                  "worst_share"])
    if names is not None:
        flags.insert(1, "industry_name", flags["industry"].map(names).fillna(""))
    cols = [_col("industry"), _col("industry_name"), _col("sector"),
            Column("flag", "Flag", "提示"), Column("years", "Years", "年份"),
            Column("n_years", "Number of years", "年数", "count"),
            Column("worst_share", "Largest ID share of value added", "产业数字化占增加值最高比重",
                   "1")]
    return flags, cols


def industry_frame(result: xr.Dataset, names: pd.Series | None = None, lang="zh"):
    """Industry × year detail of the chosen rule (long format: one row per industry-year)."""
    rule = result.attrs.get("attribution", "income-share")
    parts = {
        "value_added": result["value_added"],
        "di_industry": result["di_industry"],
        "id_industry": result["id_industry"].sel(rule=rule, drop=True),
        "ict_compensation": result["ict_compensation"],
    }
    frame = xr.Dataset(parts).to_dataframe().reset_index()
    frame = frame[["industry", "year", *parts]]
    if "industry_sector" in result.coords:
        frame.insert(1, "sector",
                     result["industry_sector"].sel(industry=frame["industry"].values).values)
    if names is not None:
        frame.insert(1, "industry_name", frame["industry"].map(names).fillna(""))
    frame["year"] = frame["year"].astype(int)
    cols = [_col(c) for c in frame.columns]
    return frame, cols


def penetration_frame(result: xr.Dataset):
    pen = result["penetration"].transpose("year", "sector")
    ids = result["id_by_sector"].transpose("year", "sector")
    frame = pd.DataFrame({"year": result.year.values.astype(int)})
    cols = [_col("year")]
    for s in pen.sector.values:
        en, zh = SECTOR_LABELS.get(str(s), (str(s), str(s)))
        frame[f"penetration_{s}"] = pen.sel(sector=s).values
        cols.append(Column(f"penetration_{s}", f"ID penetration, {en}", f"{zh}产业数字化渗透率",
                           "1"))
        frame[f"id_{s}"] = ids.sel(sector=s).values
        cols.append(Column(f"id_{s}", f"Industrial digitalization, {en}", f"{zh}产业数字化规模",
                           "1e8 CNY"))
    return frame, cols


ASSET_ZH = {"hardware": "计算机硬件", "communication": "通信设备", "software": "软件"}
# asset parameter -> (English, Chinese)
ASSET_PARAMETER_LABELS = {
    "mean_life": ("mean service life μ (years)", "平均服务年限μ（年）"),
    "depreciation": ("depreciation rate δ", "折旧率δ"),
    "beta": ("hyperbolic profile β", "双曲线参数β"),
    "profile": ("age-efficiency profile", "年龄-效率曲线"),
    "sd_ratio": ("retirement s.d. / mean life", "退役标准差系数"),
    "truncation_sd": ("truncation (s.d.)", "截断标准差倍数"),
    "max_life_ratio": ("maximum life / mean life", "最长寿命倍数"),
    "timing": ("investment timing", "投资时点"),
}


def parameters_frame(result: xr.Dataset, lang: str = "zh"):
    """The parameters actually used: μ, δ, β of each ICT asset, θ used (and its OLS fit), then
    every other option of the run."""
    zh = lang == "zh"
    rows = []
    assets = json.loads(result.attrs.get("asset_parameters", "{}"))
    order = [a for a in ASSET_ZH if a in assets] + [a for a in assets if a not in ASSET_ZH]
    for asset, spec in ((a, assets[a]) for a in order):
        name = ASSET_ZH.get(asset, asset) if zh else asset
        for key, (en, zh_label) in ASSET_PARAMETER_LABELS.items():
            if key in spec:
                rows.append((f"{name}：{zh_label}" if zh else f"{name}: {en}", spec[key]))
    theta = result.attrs.get("theta")
    source = str(result.attrs.get("theta_source", ""))
    rows.append(("θ（实际使用）" if zh else "θ used", theta))
    rows.append(("θ来源" if zh else "θ source",
                 {"given": "给定", "estimated (OLS)": "OLS估计"}.get(source, source) if zh
                 else source))
    rows.append(("冻结年份（样本统计量计算至该年）" if zh else
                 "freeze_through applied (sample-wide quantities up to this year)",
                 result.attrs.get("freeze_through", "none")))
    for k, zh_label in (("theta_ols", "θ的OLS估计值"), ("theta_se", "θ标准误"),
                        ("theta_b", "回归系数b"), ("theta_b_se", "b的标准误"),
                        ("theta_r2", "R²"), ("theta_nobs", "观测数")):
        if k in result.attrs:
            rows.append((zh_label if zh else k, result.attrs[k]))
    params = json.loads(result.attrs.get("parameters", "{}"))
    for k, v in sorted(params.items()):
        if k in ("assets", "theta"):
            continue        # shown above: the specs actually used, θ actually used
        if isinstance(v, (dict, list)) and not v:
            v = "无" if zh else "none"
        rows.append((k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list))
                     else ("—" if v is None else v)))
    frame = pd.DataFrame(rows, columns=["parameter", "value"])
    frame["value"] = frame["value"].map(lambda v: v if isinstance(v, (int, float)) else str(v))
    return frame, [Column("parameter", "Parameter", "参数"), Column("value", "Value", "取值")]


def provenance_frame(result: xr.Dataset):
    rows = []
    for key in ("project", "project_version", "created", "province", "data_source", "vintage",
                "input_path", "command"):
        if key in result.attrs:
            rows.append((key, str(result.attrs[key]), ""))
    statuses = json.loads(result.attrs.get("input_status", "{}"))
    for name, status in sorted(statuses.items()):
        rows.append((f"input: {name}", str(status), "published / derived / modelled"))
    for key in ("digital_economy", "digital_industrialization", "industrial_digitalization",
                "gdp"):
        rows.append((f"output: {key}", result[key].attrs.get("status", ""),
                     result[key].attrs.get("long_name", "")))
    frame = pd.DataFrame(rows, columns=["item", "value", "note"])
    return frame, [Column("item", "Item", "项目"), Column("value", "Value", "内容"),
                   Column("note", "Note", "说明")]


def warnings_frame(result: xr.Dataset, lang: str = "zh"):
    """The warnings in the chosen language (see :mod:`klems.outputs.warning_text`)."""
    frame = pd.DataFrame({"warning": warning_lines(result, lang)})
    return frame, [Column("warning", "Warning", "警示")]


def workbook_sheets(result: xr.Dataset, names: pd.Series | None = None, lang="zh"):
    zh = lang == "zh"
    sheets = []
    about = pd.DataFrame({"note": explanation_lines(result, lang)})
    for title_zh, title_en, maker in (
            ("说明", "about", lambda: (about, [Column("note", "About this estimate",
                                                       "本测算说明")])),
            ("汇总", "summary", lambda: summary_frame(result)),
            ("分行业", "by industry", lambda: industry_frame(result, names, lang)),
            ("三次产业渗透率", "sector penetration", lambda: penetration_frame(result)),
            ("参数", "parameters", lambda: parameters_frame(result, lang)),
            ("来源", "provenance", lambda: provenance_frame(result)),
            ("合理性诊断", "plausibility", lambda: plausibility_frames(result)),
            ("行业提示", "flagged industries", lambda: flags_frame(result, names)),
            ("警示", "warnings", lambda: warnings_frame(result, lang))):
        frame, cols = maker()
        sheets.append(Sheet(title_zh if zh else title_en, frame, cols,
                            title=f"klems {result.attrs.get('project_version', '')}; "
                                  f"{result.attrs.get('province', '')}"))
    return sheets


def console_table(result: xr.Dataset, lang: str = "zh") -> str:
    frame, cols = summary_frame(result)
    keep = ["year", "digital_economy", "digital_industrialization", "industrial_digitalization",
            "gdp", "share_of_gdp", "nominal_growth", "contribution_to_gdp_growth"]
    main = frame[keep].copy()
    for c in ("share_of_gdp", "nominal_growth", "contribution_to_gdp_growth"):
        main[c] = main[c].map(lambda v: "" if np.isnan(v) else f"{100 * v:.1f}%")
    for c in ("digital_economy", "digital_industrialization", "industrial_digitalization", "gdp"):
        main[c] = main[c].map(lambda v: f"{v:,.1f}")
    main.columns = [label(c, lang) for c in keep]
    side = pd.DataFrame({label("year", lang): frame["year"]})
    for rule in RULES:
        tag = rule_label(rule, lang)
        if not is_calibrated(result, rule):
            tag += "（未校准）" if lang == "zh" else " (uncal.)"
        side[f"{label('digital_economy', lang)} {tag}"] = \
            frame[f"digital_economy__{rule.replace('-', '_')}"].map(lambda v: f"{v:,.1f}")
        side[f"{label('share_of_gdp', lang)} {tag}"] = \
            frame[f"share_of_gdp__{rule.replace('-', '_')}"].map(lambda v: f"{100 * v:.1f}%")
    chosen = rule_label(result.attrs.get("attribution", "income-share"), lang)
    key = result.attrs.get("province", "")
    if lang == "zh":
        name = result.attrs.get("province_zh") or key
    else:

        try:
            name = province(key).en
        except UnknownProvinceError:
            name = key
    head = (f"{name} "
            + ("数字经济规模（亿元，现价）；产业数字化采用" if lang == "zh"
               else "digital economy (1e8 CNY, current prices); industrial digitalization by ")
            + chosen)
    rules_head = "各归属方法对比" if lang == "zh" else "The attribution rules side by side"
    return "\n".join([head, *explanation_lines(result, lang), main.to_string(index=False), "",
                      rules_head, side.to_string(index=False)])
