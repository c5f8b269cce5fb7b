"""The layout of a yearbook sheet (``klems yearbook``): what a provincial statistical yearbook
gives for one year, item by item.

One table (:data:`ITEMS`) drives the writer and the reader of :mod:`klems.inputs.yearbook` and
the extension of :mod:`klems.inputs.extension`. Every sheet lists items as rows (Chinese and
English names, units) with the columns of :func:`columns`: the year's value, its status and
source, the previous year's figure (pre-filled where the project knows it) and optional columns
``revised_YYYY`` for revised figures of earlier years.
"""

from __future__ import annotations

from dataclasses import dataclass

from klems.datasets.cells import GROUP_EN, GROUP_ZH, GROUPS
from klems.datasets.classification import FAI_SECTIONS
from klems.outputs.workbook import Column

#: GB/T 4754 letters of the 19 sections of the fixed-asset-investment statistics (A … S).
SECTION_LETTERS = tuple(chr(ord("A") + i) for i in range(len(FAI_SECTIONS)))
SECTION_OF_LETTER = dict(zip(SECTION_LETTERS, FAI_SECTIONS))
SECTION_EN = dict(zip(SECTION_LETTERS, (
    "agriculture", "mining", "manufacturing", "electricity, heat, gas and water", "construction",
    "wholesale and retail trade", "transport, storage and post", "hotels and catering",
    "information transmission, software and IT services", "finance", "real estate",
    "leasing and business services", "research and technical services",
    "water, environment and public facilities", "household and other services", "education",
    "health and social work", "culture, sports and entertainment",
    "public administration and social organisations")))
SECTOR_ZH = {"primary": "第一产业", "secondary": "第二产业", "tertiary": "第三产业"}

YUAN = "1e8 CNY"
PERSONS = "1e4 persons"
INDEX = "previous year = 100"
WAGE = "CNY per person"


@dataclass(frozen=True)
class Item:
    """One figure of the yearbook: its key, sheet, names and units.

    ``kind``: ``level`` (≥ 0), ``index`` (previous year = 100). ``revisable``: a revised figure
    of an earlier year changes the data (:mod:`klems.inputs.extension`); the others shape only
    the new year's split.
    """

    key: str
    sheet: str
    zh: str
    en: str
    units: str
    kind: str = "level"
    required: bool = False
    revisable: bool = True


def _items() -> tuple[Item, ...]:
    out = [Item("gdp", "gdp", "地区生产总值", "gross regional product", YUAN, required=True)]
    out += [Item(f"va_{s}", "gdp", f"{zh}增加值", f"value added, {s} sector", YUAN, required=True)
            for s, zh in SECTOR_ZH.items()]
    out += [Item(f"group_{g}", "gdp", f"{GROUP_ZH[g]}增加值", f"value added, {GROUP_EN[g]}", YUAN)
            for g in GROUPS]
    out += [Item("index_gdp", "prices", "地区生产总值指数", "real GDP index", INDEX, "index")]
    out += [Item(f"index_{s}", "prices", f"{zh}增加值指数", f"real value-added index, {s} sector",
                 INDEX, "index") for s, zh in SECTOR_ZH.items()]
    out += [Item("fai_price", "prices", "固定资产投资价格指数", "fixed-asset-investment price index",
                 INDEX, "index"),
            Item("rpi", "prices", "商品零售价格指数", "retail price index", INDEX, "index"),
            Item("cpi_transport_communication", "prices", "居民消费价格指数：交通和通信",
                 "consumer price index, transport and communication", INDEX, "index")]
    out += [Item("gfcf", "investment", "固定资本形成总额（支出法）",
                 "gross fixed capital formation (expenditure approach)", YUAN),
            Item("fai_total", "investment", "全社会固定资产投资", "fixed-asset investment, total",
                 YUAN, revisable=False)]
    out += [Item(f"fai_{k}", "investment", f"固定资产投资：{SECTION_OF_LETTER[k]}",
                 f"fixed-asset investment, {SECTION_EN[k]}", YUAN, revisable=False)
            for k in SECTION_LETTERS]
    out += [Item(f"emp_{s}", "employment", f"{zh}就业人员（年末）",
                 f"employed persons, {s} sector (year end)", PERSONS) for s, zh in SECTOR_ZH.items()]
    out += [Item(f"urban_emp_{k}", "employment", f"城镇非私营单位就业人员：{SECTION_OF_LETTER[k]}",
                 f"urban non-private units' employment, {SECTION_EN[k]}", PERSONS,
                 revisable=False) for k in SECTION_LETTERS]
    out += [Item(f"wage_{k}", "employment", f"城镇非私营单位平均工资：{SECTION_OF_LETTER[k]}",
                 f"urban non-private units' average wage, {SECTION_EN[k]}", WAGE,
                 revisable=False) for k in SECTION_LETTERS]
    out += [Item("va_electronics", "ict", "计算机、通信和其他电子设备制造业增加值（C39）",
                 "value added of electronics manufacturing (C39: industries 086-091)", YUAN),
            Item("va_information", "ict", "信息传输、软件和信息技术服务业增加值（I）",
                 "value added of information services (section I: industries 114-115)", YUAN),
            Item("ict_hardware", "ict", "ICT投资：计算机硬件", "ICT investment, hardware", YUAN),
            Item("ict_communication", "ict", "ICT投资：通信设备",
                 "ICT investment, communication equipment", YUAN),
            Item("ict_software", "ict", "ICT投资：软件", "ICT investment, software", YUAN)]
    return tuple(out)


ITEMS = _items()
ITEM = {it.key: it for it in ITEMS}
#: sheet -> (Chinese title, what it holds)
SHEETS = {
    "gdp": ("地区生产总值", "GDP, the three sectors and the nine groups, current prices (亿元)"),
    "prices": ("价格指数", "real indices and price indices the method uses (上年=100)"),
    "investment": ("投资", "gross fixed capital formation and fixed-asset investment by section "
                           "(亿元, or the growth rate in %)"),
    "employment": ("就业和工资", "employment by sector; urban units' employment and average "
                               "wage by section, where published"),
    "ict": ("数字产业", "optional: the ICT industries' value added and ICT investment"),
}
SHEET_ZH = {"instructions": "填写说明", **{k: v[0] for k, v in SHEETS.items()}}
REQUIRED_SHEETS = ("instructions", "gdp", "prices")

INSTRUCTIONS = [
    ("每个表前三行为中文表头、英文表头、单位，请勿修改；每行一个指标，只填 value 列（本年数）。",
     "Three header rows (Chinese, English, units): keep them. One item a row: fill in column "
     "'value' (this year's figure)."),
    ("金额单位亿元（不是万元）；就业万人；工资元/人；价格指数上年=100（如 104.2，不是 4.2）。",
     "Money in 亿元 (1e8 CNY, not 万元); employment in 万人; wages in 元 per person; indices "
     "with the previous year = 100 (e.g. 104.2, not 4.2)."),
    ("必填：地区生产总值、三次产业增加值、地区生产总值指数（或三次产业增加值指数）。其余未公布的留空："
     "klems extend 按上年结构推算并标为 modelled。",
     "Required: GDP, the three sectors and the real GDP index (or the three sector indices). "
     "Leave blank what is not published: klems extend carries last year's structure and labels "
     "it modelled."),
    ("九个行业组（农林牧渔业……其他行业）要么全部填写，要么全部留空（其他行业可留空，按差额计算）。",
     "The nine groups: all or none (other services may be left blank: it is the remainder)."),
    ("固定资产投资分行业：填金额（value）或比上年增长%（growth_pct）。上年数列为参考；基础数据"
     "没有的上年数（城镇单位就业、工资、投资分行业）请按年鉴填入，用于计算增速。",
     "Fixed-asset investment by section: the amount (value) or the growth rate in % "
     "(growth_pct). The previous-year column is for reference; where the data do not hold the "
     "previous year (urban units' employment, wages, investment by section) fill it in from the "
     "yearbook: it gives the growth rates."),
    ("上年及更早年份的修订数填在 revised_YYYY 列（可增加列，如 revised_2022）；每个修订都会列在 "
     "klems extend 输出的 revisions 表中。",
     "Revised figures of earlier years go in columns revised_YYYY (add columns such as "
     "revised_2022); klems extend lists every revision in sheet revisions of its output."),
    ("status 列：published（公布数，默认）、derived（按公布数推算）或 modelled（估计）。",
     "Column status: published (default), derived or modelled."),
]


def columns(sheet: str, year: int) -> list[Column]:
    """The columns of an item sheet for ``year`` (the writer's headers; the reader's keys)."""
    prev = year - 1
    cols = [Column("item", "item", "指标代码"), Column("name_zh", "name_zh", "指标"),
            Column("name_en", "name_en", "indicator"), Column("units", "units", "单位"),
            Column("value", "value", f"{year}年数值", "see units", "#,##0.00")]
    if sheet == "investment":
        cols.append(Column("growth_pct", "growth_pct", f"{year}年比上年增长（%）", "percent",
                           "0.0"))
    cols += [Column("status", "status", "数据状态"), Column("source", "source", "来源（年鉴表号）"),
             Column(f"reference_{prev}", f"reference_{prev}", f"{prev}年数（参考）",
                    "see units", "#,##0.00"),
             Column(f"revised_{prev}", f"revised_{prev}", f"{prev}年修订数（可选）", "see units",
                    "#,##0.00")]
    return cols
