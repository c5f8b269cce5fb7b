"""Loaders of the published price series bundled in ``data/sources/prices`` (tidy pandas).

Every loader returns the figures as published (previous year = 100 unless stated), indexed by
``year`` (int), with ``attrs`` naming the source file, the unit and the original publisher.
Provinces are looked up with :func:`klems.base.provinces.province` (pinyin key, Chinese or English
name; ``"china"`` is the nation). See ``data/sources/prices/PROVENANCE.md``.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError
from klems.base.provinces import province as _province, province_keys
from klems.base.resources import data_root

SOURCE_DIR = "sources/prices"

#: national series in ``national_price_indices.csv`` (key -> description)
NATIONAL_SERIES = {
    "ppi_c39": "PPI, manufacture of computers, communication and other electronic equipment "
               "(计算机、通信和其他电子设备制造业)",
    "fai_total": "fixed-asset-investment price index, total (固定资产投资价格指数)",
    "fai_equipment_purchase": "fixed-asset-investment price index, equipment purchase "
                              "(设备工器具购置)",
    "cpi_transport_communication": "CPI, transport and communication (交通和通信)",
    "cpi_all": "CPI, all items (居民消费价格指数)",
    "rpi": "retail price index (商品零售价格指数)",
}

JAPAN_ASSETS = ("IT", "CT", "Soft_DB", "TraEq", "OMach", "OCon", "Rstruc", "Cult", "RD", "OIPP",
                "GFCF")


def _path(name: str):
    return data_root().joinpath(SOURCE_DIR).joinpath(name)


@lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    path = _path(name)
    if not path.is_file():
        raise InputDataError(f"price source file is missing; expected the bundled extract "
                             f"data/{SOURCE_DIR}/{name}", file=name)
    with path.open("rb") as fh:
        return pd.read_csv(fh)


def _series(frame: pd.DataFrame, *, name: str, file: str, unit: str, publisher: str) -> pd.Series:
    s = pd.Series(frame["value"].to_numpy(float), index=pd.Index(frame["year"].astype(int),
                                                                   name="year"), name=name)
    s = s.sort_index()
    s.attrs.update({"file": f"data/{SOURCE_DIR}/{file}", "units": unit, "publisher": publisher})
    return s


def national_series(series: str) -> pd.Series:
    """A national price index (previous year = 100): one of :data:`NATIONAL_SERIES`."""
    expected_one_of("national price series", series, NATIONAL_SERIES, error=InputDataError,
                    file="national_price_indices.csv")
    d = _read("national_price_indices.csv")
    s = _series(d[d.series == series], name=series, file="national_price_indices.csv",
                unit="previous year = 100", publisher="National Bureau of Statistics of China")
    s.attrs["long_name"] = NATIONAL_SERIES[series]
    return s


def _provincial_index(province, *, national: str, file: str, prefix: str, what: str,
                      expected: str = "", publisher=None) -> pd.Series:
    """A provincial previous-year = 100 index from ``file``; the nation uses ``national``."""
    p = _province(province)
    if p.key == "china":
        return national_series(national)
    d = _read(file)
    d = d[d.province == p.key]
    if d.empty:
        raise InputDataError(f"no {what} for {p.key} ({p.zh}) in the bundled sources{expected}",
                             file=file, column="province")
    return _series(d, name=f"{prefix}_{p.key}", file=file, unit="previous year = 100",
                   publisher=publisher(p) if publisher else "National Bureau of Statistics of China")


def fai_price_index(province: str = "guangxi") -> pd.Series:
    """Fixed-asset-investment price index (previous year = 100), to 2019; nation: ``fai_total``."""
    return _provincial_index(province, national="fai_total", file="province_fai_price_index.csv",
                             prefix="fai", what="fixed-asset-investment price index",
                             expected="; expected a row per year for this province")


def retail_price_index(province: str = "guangxi") -> pd.Series:
    """Retail price index 商品零售价格指数 (previous year = 100), to 2022; nation: ``rpi``."""
    return _provincial_index(province, national="rpi", file="province_retail_price_index.csv",
                             prefix="rpi", what="retail price index",
                             publisher=lambda p: f"{p.zh}统计局")


def gdp_accounts(province: str = "guangxi") -> pd.DataFrame:
    """Nominal GDP (1e8 CNY) and real GDP index (previous year = 100) by year and vintage.

    Columns ``vintage``, ``variable`` (``gdp_nominal``/``gdp_index``), ``year``, ``value``.
    Nation: the NBS national accounts (vintages ``nbs-1978-2014`` and ``nbs-2010-2022``).
    Provinces: the provincial panel (vintages ``sheet1`` and ``sheet2``).
    """
    p = _province(province)
    if p.key == "china":
        return _read("national_gdp.csv").copy()
    d = _read("province_gdp.csv")
    d = d[d.province == p.key].drop(columns="province")
    if d.empty:
        raise InputDataError(f"no GDP accounts for {p.key} in the bundled sources",
                             file="province_gdp.csv", column="province")
    return d.reset_index(drop=True)


def japan_investment(variable: str = "Ip") -> pd.DataFrame:
    """EU KLEMS 2023 Japan, total economy: ``Ip`` (price, 2020=100) or ``I`` (nominal) by asset.

    Wide frame, index ``year``, one column per asset (IT, CT, Soft_DB, ..., GFCF); missing
    years are NaN.
    """
    if variable not in ("Ip", "I"):
        raise InputDataError(f"unknown EU KLEMS variable {variable!r}; expected 'Ip' or 'I'",
                             file="euklems2023_japan_investment.csv", column="variable")
    d = _read("euklems2023_japan_investment.csv")
    d = d[d.variable == variable]
    wide = d.pivot(index="year", columns="asset", values="value")
    wide.index = wide.index.astype(int)
    wide.index.name = "year"
    wide = wide[[a for a in JAPAN_ASSETS if a in wide.columns]]
    wide.attrs.update({"file": f"data/{SOURCE_DIR}/euklems2023_japan_investment.csv",
                       "units": "index 2020=100" if variable == "Ip" else "million JPY",
                       "publisher": "EUKLEMS & INTANProd (LUISS), 2023 release"})
    return wide


def japan_price(asset: str) -> pd.Series:
    """EU KLEMS 2023 Japan investment price index ``Ip_<asset>`` (2020 = 100), total economy."""
    wide = japan_investment("Ip")
    if asset not in wide.columns:
        raise InputDataError(f"no EU KLEMS Japan price index Ip_{asset}; expected one of "
                             + ", ".join(wide.columns), file="euklems2023_japan_investment.csv",
                             column="asset")
    s = wide[asset].dropna()
    s = s[s > 0]  # Ip_Rstruc 2021 is 0 in the source, i.e. not available
    s.name = f"Ip_{asset}"
    s.attrs.update(wide.attrs)
    return s


def bea_computers_quarterly() -> pd.Series:
    """BEA chain-type price index for computers and peripheral equipment (quarterly).

    The base is 2009 = 100 (the 2009 quarters average 100.0), not 2012 = 100 as the shared
    reference data's PROVENANCE states; only growth rates are used here.
    """
    d = _read("bea_computers_price_index_quarterly.csv")
    idx = pd.PeriodIndex(pd.to_datetime(d["quarter_start"]), freq="Q", name="quarter")
    s = pd.Series(d["value"].to_numpy(float), index=idx, name="B935RG3Q086SBEA")
    s.attrs.update({"file": f"data/{SOURCE_DIR}/bea_computers_price_index_quarterly.csv",
                    "units": "index 2009=100", "publisher": "U.S. Bureau of Economic Analysis"})
    return s


def provinces_with_fai_price_index() -> list[str]:
    """Province keys with a fixed-asset-investment price index (the nation first)."""
    keys = set(_read("province_fai_price_index.csv").province)
    return ["china"] + [k for k in province_keys() if k in keys]
