"""The layout of a user's input data (``klems template``): sheets, columns, units, rules.

One table drives both the template writer (:mod:`klems.inputs.template`) and the reader and
validator (:mod:`klems.inputs.reader`), so the two cannot drift apart. Every data sheet has three
header rows — Chinese header, English header, units — then one row per industry (or per
industry and ICT asset, or per year). Years are columns in the industry sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTOR_ALIASES = {"第一产业": "primary", "第二产业": "secondary", "第三产业": "tertiary",
                  "一产": "primary", "二产": "secondary", "三产": "tertiary"}
STATUS_VALUES = ("published", "derived", "modelled", "interpolated", "extrapolated")


#: the largest plausible absolute value of a cell, by units (beyond it: a wrong number or unit;
#: money allows 万元 entries through, so that the sheet-level unit check can name the mix-up)
LARGEST = {"1e8 CNY": 1e12, "1e8 CNY at 2000 prices": 1e12, "1e4 persons": 1e6,
           "index 2000=100": 1e5, "": 1e12}
#: the smallest plausible non-zero absolute value of a cell (0.0001 CNY, 0.0001 person, ...);
#: anything smaller (a denormal, 1e-300) is a typing or export error, not a measurement
SMALLEST = 1e-12


@dataclass(frozen=True)
class Series:
    """One input series: its sheet and dataset variable, labels, units and admissible values.

    ``rule``: ``any`` (finite), ``nonneg`` (>= 0: investment, output), ``positive`` (> 0:
    logarithms are taken). ``kind``: ``industry`` (industry × year), ``industry_asset``
    (industry × ICT asset × year) or ``year`` (a column of a year sheet). ``gdp_ratio``: the
    plausible range of the series' yearly total over GDP, used to detect 万元 / 亿元 mix-ups.
    """

    var: str
    sheet: str
    zh: str
    en: str
    units: str
    rule: str = "any"
    kind: str = "industry"
    gdp_ratio: tuple[float, float] | None = None
    log_reason: str = ""

    @property
    def largest(self) -> float:
        """The largest plausible absolute value of one cell of this series."""
        return LARGEST.get(self.units, 1e12)


INDUSTRY_SERIES = (
    Series("value_added", "value_added", "增加值（现价）", "value added, current prices",
           "1e8 CNY", gdp_ratio=(0.5, 2.0)),
    Series("gross_output", "gross_output", "总产出（现价）", "gross output, current prices",
           "1e8 CNY", "positive", gdp_ratio=(1.0, 10.0), log_reason="output volumes"),
    Series("intermediate_inputs", "intermediate_inputs", "中间投入合计", "intermediate inputs",
           "1e8 CNY", "nonneg", gdp_ratio=(0.2, 8.0)),
    Series("labour_compensation", "labour_compensation", "劳动者报酬",
           "compensation of employees", "1e8 CNY", "nonneg", gdp_ratio=(0.1, 1.5)),
    Series("net_production_taxes", "net_production_taxes", "生产税净额",
           "net taxes on production", "1e8 CNY"),
    Series("capital_compensation", "capital_compensation", "资本报酬（固定资产折旧＋营业盈余）",
           "capital compensation (depreciation + operating surplus)", "1e8 CNY"),
    Series("output_deflator", "output_deflator", "产出价格指数（2000年=100）", "output deflator",
           "index 2000=100", "positive", log_reason="output volumes"),
    Series("employment", "employment", "就业人员", "employed persons (labour input)",
           "1e4 persons", "positive", log_reason="labour input growth"),
    Series("non_ict_capital_stock", "non_ict_capital_stock", "非ICT资本存量（2000年价）",
           "non-ICT capital stock at 2000 prices", "1e8 CNY at 2000 prices", "positive",
           gdp_ratio=(0.05, 20.0), log_reason="capital services growth"),
    Series("ict_investment", "ict_investment", "ICT投资（现价）",
           "nominal ICT investment by using industry and asset", "1e8 CNY", "nonneg",
           kind="industry_asset", gdp_ratio=(0.0005, 0.5)),
)
TOTALS_SERIES = (
    Series("gdp", "totals", "地区生产总值（现价）", "GDP, current prices", "1e8 CNY",
           "positive", kind="year", log_reason="GDP growth"),
    Series("gfcf", "totals", "固定资本形成总额", "gross fixed capital formation", "1e8 CNY",
           "nonneg", kind="year", gdp_ratio=(0.05, 2.0)),
)
PRICE_SERIES = tuple(
    Series(f"ict_deflator_{a}", "prices", zh, f"{a} investment deflator", "index 2000=100",
           "positive", kind="year", log_reason="real ICT investment")
    for a, zh in (("hardware", "计算机硬件投资价格指数"), ("communication", "通信设备投资价格指数"),
                  ("software", "软件投资价格指数"))
) + (Series("non_ict_investment_deflator", "prices", "非ICT投资价格指数（固定资产投资价格指数）",
            "non-ICT investment deflator", "index 2000=100", "positive", kind="year",
            log_reason="user costs"),)
ALL_SERIES = INDUSTRY_SERIES + TOTALS_SERIES + PRICE_SERIES

# sheet name -> Chinese sheet title (the reader accepts either name)
SHEET_ZH = {
    "instructions": "填写说明", "industries": "行业", "totals": "总量", "prices": "价格指数",
    "published": "公布数", "status": "数据状态",
    **{s.sheet: s.zh.split("（")[0] for s in INDUSTRY_SERIES},
}
REQUIRED_SHEETS = ("industries", "totals", "prices", *(s.sheet for s in INDUSTRY_SERIES))
OPTIONAL_SHEETS = ("instructions", "published", "status")

# fixed columns of the non-year sheets: sheet -> [(key, en, zh, units)]
INDUSTRY_COLUMNS = [("code", "code", "行业代码", ""), ("name_zh", "name_zh", "行业名称", ""),
                    ("name_en", "name_en", "行业英文名称", ""),
                    ("sector", "sector", "三次产业（primary/secondary/tertiary）", ""),
                    ("di_share", "di_share", "计入数字产业化的增加值比例", "1")]
PUBLISHED_COLUMNS = [("figure", "figure", "指标", ""), ("year", "year", "年份", "year"),
                     ("value", "value", "公布值", ""), ("unit", "unit", "单位", ""),
                     ("source", "source", "来源", "")]


def series(var: str) -> Series:
    return next(s for s in ALL_SERIES if s.var == var)


def year_of(header) -> int | None:
    """A year column header (2000, 2000.0, '2000', '2000年') -> 2000, else None."""
    if isinstance(header, bool) or header is None:
        return None
    if isinstance(header, (int, float)):
        if float(header).is_integer() and 1900 <= header <= 2100:
            return int(header)
        return None
    text = str(header).strip().removesuffix("年").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100:
        return int(text)
    return None
