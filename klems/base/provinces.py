"""The 31 provinces of mainland China and the nation: keys, Chinese and English names, codes."""

from __future__ import annotations

from dataclasses import dataclass

from klems.base.errors import UnknownProvinceError


@dataclass(frozen=True)
class Province:
    key: str        # lower-case pinyin key used on the command line and in files
    zh: str         # full Chinese name as in the statistical yearbooks
    short_zh: str   # short Chinese name (广西)
    en: str         # English name
    code: str       # GB/T 2260 administrative division code (first two digits)


PROVINCES: tuple[Province, ...] = (
    Province("beijing", "北京市", "北京", "Beijing", "11"),
    Province("tianjin", "天津市", "天津", "Tianjin", "12"),
    Province("hebei", "河北省", "河北", "Hebei", "13"),
    Province("shanxi", "山西省", "山西", "Shanxi", "14"),
    Province("neimenggu", "内蒙古自治区", "内蒙古", "Inner Mongolia", "15"),
    Province("liaoning", "辽宁省", "辽宁", "Liaoning", "21"),
    Province("jilin", "吉林省", "吉林", "Jilin", "22"),
    Province("heilongjiang", "黑龙江省", "黑龙江", "Heilongjiang", "23"),
    Province("shanghai", "上海市", "上海", "Shanghai", "31"),
    Province("jiangsu", "江苏省", "江苏", "Jiangsu", "32"),
    Province("zhejiang", "浙江省", "浙江", "Zhejiang", "33"),
    Province("anhui", "安徽省", "安徽", "Anhui", "34"),
    Province("fujian", "福建省", "福建", "Fujian", "35"),
    Province("jiangxi", "江西省", "江西", "Jiangxi", "36"),
    Province("shandong", "山东省", "山东", "Shandong", "37"),
    Province("henan", "河南省", "河南", "Henan", "41"),
    Province("hubei", "湖北省", "湖北", "Hubei", "42"),
    Province("hunan", "湖南省", "湖南", "Hunan", "43"),
    Province("guangdong", "广东省", "广东", "Guangdong", "44"),
    Province("guangxi", "广西壮族自治区", "广西", "Guangxi", "45"),
    Province("hainan", "海南省", "海南", "Hainan", "46"),
    Province("chongqing", "重庆市", "重庆", "Chongqing", "50"),
    Province("sichuan", "四川省", "四川", "Sichuan", "51"),
    Province("guizhou", "贵州省", "贵州", "Guizhou", "52"),
    Province("yunnan", "云南省", "云南", "Yunnan", "53"),
    Province("xizang", "西藏自治区", "西藏", "Tibet", "54"),
    Province("shaanxi", "陕西省", "陕西", "Shaanxi", "61"),
    Province("gansu", "甘肃省", "甘肃", "Gansu", "62"),
    Province("qinghai", "青海省", "青海", "Qinghai", "63"),
    Province("ningxia", "宁夏回族自治区", "宁夏", "Ningxia", "64"),
    Province("xinjiang", "新疆维吾尔自治区", "新疆", "Xinjiang", "65"),
)

NATION = Province("china", "全国", "全国", "China", "00")

_BY_NAME: dict[str, Province] = {}
for _p in (*PROVINCES, NATION):
    for _name in (_p.key, _p.zh, _p.short_zh, _p.en.lower(), _p.code):
        _BY_NAME[_name] = _p
_BY_NAME.update({"nation": NATION, "national": NATION, "中国": NATION, "inner mongolia": PROVINCES[4],
                 "tibet": PROVINCES[25], "neimeng": PROVINCES[4]})


def province(name: str) -> Province:
    """Look a province up by pinyin key, Chinese name (full or short), English name or code."""
    p = _BY_NAME.get(str(name).strip().lower()) or _BY_NAME.get(str(name).strip())
    if p is None:
        raise UnknownProvinceError(
            f"unknown province {name!r}; expected one of: china, "
            + ", ".join(x.key for x in PROVINCES))
    return p


def province_keys(include_nation: bool = False) -> list[str]:
    keys = [p.key for p in PROVINCES]
    return (["china"] + keys) if include_nation else keys
