"""The warnings of an estimate in the reader's language (the 警示 sheet, the report).

The pipeline records its warnings as English sentences (``result.attrs["warnings"]``), built
from a few templates. :func:`translate` turns each known template into Chinese with its
numbers, industries and years; a sentence of no known template is kept in English, marked as
such, so that nothing is lost. :func:`estimate_warnings` adds the warnings every output shows
(fallbacks of the attribution rule, figures that are not published, modelled input series).
"""

from __future__ import annotations

import json
import re

import xarray as xr

from klems.datasets.bundled import DATASET_NAMES
from klems.datasets.classification import load_classification

# (pattern of the English sentence, Chinese template with the pattern's groups)
TEMPLATES = (
    (r"negative capital compensation in (?P<n>\d+) industry-years \(e\.g\. industry "
     r"(?P<ind>[^)]+)\): set to 5 % of labour plus capital compensation, labour the rest "
     r"\(EU KLEMS D2\.3\.1 rule\)",
     "{n}个行业-年份的资本报酬为负（如行业{ind}）：按EU KLEMS D2.3.1的规则设为劳动者报酬与资本"
     "报酬之和的5%，其余计入劳动者报酬"),
    (r"(?P<n>\d+) negative user cost\(s\) set to zero; first at (?P<where>.+)",
     "{n}个负的资本使用成本被置为零；首次出现于{where}"),
    (r"θ estimated by OLS is (?P<theta>-?[\d.]+) \(s\.e\. (?P<se>[\d.]+), R² (?P<r2>[\d.]+)\); "
     r"as a share of TFP growth it is clipped to \[0, 1\]",
     "OLS估计的θ为{theta}（标准误{se}，R² {r2}）；θ是TFP增长中归因于ICT的份额，截断到[0, 1]"),
    (r"(?P<prov>\S+) has no fixed-asset-investment price index: the ICT deflators use the GDP "
     r"deflator as domestic reference",
     "{prov}无固定资产投资价格指数：ICT平减指数以GDP平减指数为国内参照"),
    (r"(?P<n>\d+) industry-years used the income share because output growth was too small "
     r"for a contribution rate",
     "{n}个行业-年份产出增长过小、贡献率无定义，改用收入份额法"),
    (r"(?P<name>\w+) is (?P<status>.+), not published", "{name}为{status}，并非公布数据"),
    (r"input series (?P<name>\w+) is not \(only\) published: (?P<status>.+)",
     "输入序列{name}并非（全部）公布数据：{status}"),
    (r"cumulative rule: ID negative in (?P<n>\d+) industry-years \(in (?P<k>\d+) industries: "
     r"the sum of their yearly terms is below the start\), set to 0",
     "累积法：{k}个行业共{n}个行业-年份的产业数字化规模为负（各年增量之和低于起点），置为0"),
    (r"cumulative rule: (?P<n>\d+) industry-years have a negative yearly term \(ICT "
     r"contribution \+ θ·TFP\), floored at 0 \(sum (?P<s>-?[\d.]+) log points\)",
     "累积法：{n}个行业-年份的年度增量（ICT贡献+θ·TFP）为负，按0计（合计{s}个对数点）"),
    (r"(?P<n>\d+) industries with ID above (?P<p>[\d.]+) % of value added \((?P<rule>[\w-]+)\): "
     r"(?P<list>.+)",
     "{n}个行业的产业数字化规模超过其增加值的{p}%（{rule}）：{list}"),
    (r"(?P<n>\d+) industries with ID negative \((?P<rule>[\w-]+)\): (?P<list>.+)",
     "{n}个行业的产业数字化规模为负（{rule}）：{list}"),
    (r"θ: the regression of (?P<prov>\w+) is not informative by the bundled test; the pooled θ "
     r"is used",
     "θ：{prov}自身的回归按内置检验不具信息量，采用31省合并估计的θ"),
    (r"θ: the data name no province; the pooled θ is used",
     "θ：数据未注明省份，采用31省合并估计的θ"),
    (r"(?P<sec>primary|secondary|tertiary) sector: ID is (?P<v>-?[\d.]+) % of value added in "
     r"(?P<y>\d+) against CAICT's (?P<c>[\d.]+) % \((?P<d>[+-][\d.]+) pp; (?P<k>\d+) of the "
     r"CAICT years beyond 5 pp\)",
     "{sec}：{y}年产业数字化渗透率{v}%，中国信通院全国为{c}%（相差{d}个百分点；{k}个年份偏差超过"
     "5个百分点）"),
)
SECTOR_ZH = {"primary": "第一产业", "secondary": "第二产业", "tertiary": "第三产业"}
RULE_ZH = {"income-share": "收入份额法", "contribution-rate": "贡献率法",
           "contribution-plus-tfp": "贡献率+TFP法", "cumulative": "累积法"}
WHERE_ZH = {"industry": "行业", "asset": "资产", "year": "年份", "group": "资本类别"}
STATUS_ZH = {"published": "公布", "derived": "推算", "modelled": "模型估计",
             "interpolated": "插值", "extrapolated": "外推", "linked": "衔接"}
NONE = {"zh": "（无）", "en": "(none)"}


def _status_zh(text: str) -> str:
    for en, zh in STATUS_ZH.items():
        text = re.sub(rf"\b{en}\b", f"{zh}（{en}）", text)
    return text


def _where_zh(text: str) -> str:
    parts = []
    for item in text.split(","):
        key, _, value = item.strip().partition(" ")
        parts.append(f"{WHERE_ZH.get(key, key)} {value}".strip())
    return "，".join(parts)


_ITEM = re.compile(r"(?P<code>\d{3}) (?P<name>[^,]*?) \((?P<first>\d{4})(?:-(?P<last>\d{4}) "
                   r"\((?P<n>\d+) years\))?\)")


def _industries_zh(text: str) -> str:
    """``001 Agriculture (2023-2024 (2 years)), ... and 15 more`` with the industries' Chinese
    names: ``001 农产品（2023—2024年，2年）、……等另15个``; unknown shapes are kept."""
    names = load_classification()["name_zh"]
    text, more = (text.rsplit(" and ", 1) + [""])[:2] if re.search(r" and \d+ more$", text) \
        else (text, "")
    items = []
    for m in _ITEM.finditer(text):
        name = names.get(m["code"], m["name"])
        span = (f"{m['first']}年" if m["last"] is None
                else f"{m['first']}—{m['last']}年，{m['n']}年")
        items.append(f"{m['code']} {name}（{span}）")
    if not items:
        return text + (f" and {more}" if more else "")
    tail = re.fullmatch(r"(\d+) more", more)
    return "、".join(items) + (f"等，另有{tail[1]}个" if tail else "")


def translate(message: str, lang: str = "zh", names: dict | None = None) -> str:
    """One warning in ``lang`` (English is returned as it is); ``names`` gives series' Chinese
    names (variable -> name), shown as ``名称（variable）``."""
    if lang != "zh":
        return message
    for pattern, template in TEMPLATES:
        m = re.fullmatch(pattern, message.strip())
        if m:
            values = m.groupdict()
            if "where" in values:
                values["where"] = _where_zh(values["where"])
            if "status" in values:
                values["status"] = _status_zh(values["status"])
            if "sec" in values:
                values["sec"] = SECTOR_ZH.get(values["sec"], values["sec"])
            if "rule" in values:
                values["rule"] = RULE_ZH.get(values["rule"], values["rule"])
            if "list" in values:
                values["list"] = _industries_zh(values["list"])
            if "name" in values and (names or {}).get(values["name"]):
                values["name"] = f"{names[values['name']]}（{values['name']}）"
            return template.format(**values)
    return f"（英文原文）{message}"


def estimate_warnings(result: xr.Dataset) -> list[str]:
    """Every warning an estimate's outputs show, in English (see :func:`translate`)."""
    lines = [w for w in str(result.attrs.get("warnings", "")).split("\n") if w.strip()]
    rule = result.attrs.get("attribution", "income-share")
    if "fallback" in result and rule != "income-share":
        n_fb = int(result["fallback"].sel(rule=rule).sum())
        if n_fb:
            lines.append(f"{n_fb} industry-years used the income share because output growth "
                         "was too small for a contribution rate")
    statuses = json.loads(result.attrs.get("input_status", "{}"))
    for name in ("digital_economy", "gdp"):
        status = result[name].attrs.get("status") if name in result else None
        if name in statuses:
            continue                # said below, with the input series
        if status and status != "published":
            lines.append(f"{name} is {status}, not published")
    for name in (*DATASET_NAMES.values(), "non_ict_investment_deflator", "ict_deflator"):
        status = str(statuses.get(name, ""))
        if any(w in status for w in ("modelled", "interpolated", "extrapolated")):
            lines.append(f"input series {name} is not (only) published: {status}")
    return lines


def warning_lines(result: xr.Dataset, lang: str = "zh") -> list[str]:
    """The warnings of :func:`estimate_warnings` in ``lang`` (``(none)`` when there are none)."""
    names = json.loads(result.attrs.get("input_names_zh", "{}"))
    for var in ("digital_economy", "gdp"):
        if var in result and result[var].attrs.get("long_name_zh"):
            names.setdefault(var, str(result[var].attrs["long_name_zh"]))
    lines = [translate(w, lang, names) for w in estimate_warnings(result)]
    return lines or [NONE.get(lang, NONE["en"])]
