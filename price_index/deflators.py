"""Investment deflators 2000–2024 (2000 = 100) for the nation and the provinces.

* :func:`investment_deflator` – the non-ICT (total fixed-asset-investment) deflator: the
  published FAI price index to 2019; 2020–2022 spliced with the retail price index
  (``derived``; the rule of CHNCapitalStock, Zhang Jun et al.); later years by the
  exponential-smoothing forecast of its annual log change (``extrapolated``).
* :func:`gdp_deflator` – nominal over real GDP growth (``derived``), forecast after 2022.
* :func:`ict_deflators` – hardware, communication equipment and software over (asset, year).

Every year carries a status (``published``/``derived``/``extrapolated``) and a rule (text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from klems.base.provinces import province as _province
from klems.base.vocabulary import ICT_ASSETS, INTERNATIONAL_SERIES, REFERENCES
from price_index import sources
from price_index.chaining import annualise
from price_index.harmonized import fit_smoothing

START, END, BASE = 2000, 2024, 2000
ASSETS = ICT_ASSETS
ASSET_ZH = {"hardware": "硬件", "communication": "通信设备", "software": "软件"}
JAPAN_ASSET = {"hardware": "IT", "communication": "CT", "software": "Soft_DB"}
#: Japan's tangible non-ICT assets, the counterpart of China's FAI (construction + equipment)
JAPAN_NON_ICT = ("TraEq", "OMach", "OCon", "Rstruc")
INTERNATIONAL = INTERNATIONAL_SERIES


class _Chain:
    """Annual log changes with a status and a rule per year; becomes a 2000 = 100 index."""

    def __init__(self, name: str):
        self.name = name
        self.dlog: dict[int, float] = {}
        self.status: dict[int, str] = {}
        self.rule: dict[int, str] = {}
        self.attrs: dict = {}

    def add(self, links: pd.Series, status: str, rule: str, years) -> None:
        """Take previous-year = 100 ``links`` for ``years`` not yet covered."""
        for y in years:
            if y in self.dlog or y not in links.index or pd.isna(links.loc[y]):
                continue
            if links.loc[y] <= 0:
                raise InputDataError(f"{self.name}: non-positive index {links.loc[y]} in {y}; "
                                     "expected previous year = 100 values > 0", year=y)
            self.dlog[y] = float(np.log(links.loc[y] / 100.0))
            self.status[y] = status
            self.rule[y] = rule

    def check(self, start: int, upto: int, what: str) -> None:
        missing = [y for y in range(start + 1, upto + 1) if y not in self.dlog]
        if missing:
            raise InputDataError(f"{self.name}: missing years inside the series {missing}; "
                                 f"expected {what} for every year {start + 1}-{upto}",
                                 year=missing[0])

    def extend(self, start: int, end: int) -> None:
        """Fill the years after the last covered one with the SES forecast of the log change."""
        last = max(self.dlog)
        if last >= end:
            return
        hist = pd.Series({y: self.dlog[y] for y in range(start + 1, last + 1)})
        fit = fit_smoothing(hist, name=f"{self.name} (annual log change)")
        for y in range(last + 1, end + 1):
            self.dlog[y] = fit.forecast
            self.status[y] = "extrapolated"
            self.rule[y] = (f"exponential-smoothing forecast of the annual log change "
                            f"(statsmodels SES on {start + 1}-{last}, alpha="
                            f"{fit.smoothing_level:.3f}): {100 * np.expm1(fit.forecast):+.2f}%/yr")
        self.attrs.update(fit.as_dict("extension_"))

    def index(self, start: int, end: int, base: int = BASE) -> pd.Series:
        self.check(start, end, "a previous-year = 100 value")
        years = np.arange(start, end + 1)
        level = np.concatenate([[0.0], np.cumsum([self.dlog[y] for y in years[1:]])])
        out = pd.Series(100.0 * np.exp(level - level[base - start]),
                        index=pd.Index(years, name="year"), name=self.name)
        first = self.status.get(start + 1, "published")
        status = [first] + [self.status[y] for y in years[1:]]
        rule = [f"base year ({base} = 100)"] + [self.rule[y] for y in years[1:]]
        out.attrs.update(self.attrs)
        out.attrs["status"] = pd.Series(status, index=out.index, name="status")
        out.attrs["rule"] = pd.Series(rule, index=out.index, name="rule")
        out.attrs["units"] = f"index {base}=100"
        return out


def investment_deflator(province: str = "guangxi", *, start: int = START, end: int = END,
                        extension: str = "retail") -> pd.Series:
    """Non-ICT (total fixed-asset-investment) deflator, ``start``–``end``, 2000 = 100.

    Published FAI price index to 2019 (``published``); after 2019 the annual change of the
    province's retail price index (``extension="retail"``, default) or of its GDP deflator
    (``extension="gdp"``), labelled ``derived``; after those end (2022) the exponential-smoothing
    forecast of the annual log change (``extrapolated``). ``.attrs["status"]`` and
    ``.attrs["rule"]`` are Series by year.
    """
    if extension not in ("retail", "gdp"):
        raise ParameterError(f"investment_deflator: extension must be 'retail' or 'gdp', "
                             f"got {extension!r}")
    p = _province(province)
    fai = sources.fai_price_index(p.key)
    chain = _Chain(f"investment deflator {p.key}")
    chain.add(fai, "published", "fixed-asset-investment price index (NBS)",
              range(start + 1, end + 1))
    chain.check(start, min(int(fai.index.max()), end), "a fixed-asset-investment price index")
    if extension == "retail":
        ext = sources.retail_price_index(p.key)
        chain.add(ext, "derived", f"no FAI price index after {int(fai.index.max())}: "
                  "spliced with the annual change of the retail price index", range(start, end + 1))
    else:
        g = gdp_deflator(p.key, start=start, end=end)
        links = 100.0 * g / g.shift(1)
        published = g.attrs["status"] != "extrapolated"
        chain.add(links[published], "derived", f"no FAI price index after "
                  f"{int(fai.index.max())}: spliced with the annual change of the GDP deflator",
                  range(start, end + 1))
    chain.extend(start, end)
    out = chain.index(start, end)
    out.name = f"investment_{p.key}"
    out.attrs.update({"province": p.key, "long_name": "non-ICT investment deflator",
                      "long_name_zh": "非ICT固定资产投资价格指数", "extension": extension})
    return out


def gdp_deflator(province: str = "guangxi", *, start: int = START, end: int = END) -> pd.Series:
    """GDP deflator from nominal GDP and the real index (previous year = 100), 2000 = 100.

    Each link uses nominal GDP of one vintage for both years: the nation uses the 1978–2014
    NBS vintage up to 2010 and the 2010–2022 vintage after; provinces use the panel's
    ``sheet1`` to 2015 and the newer, back-revised ``sheet2`` from 2016 (``sheet1`` mixes
    pre- and post-census vintages, e.g. 广西 2017 = 18523 vs 17791 revised), with the real index
    of ``sheet1``. ``derived`` to 2022, ``extrapolated`` after.
    """
    p = _province(province)
    d = sources.gdp_accounts(p.key)
    piv = d.pivot_table(index="year", columns=["vintage", "variable"], values="value")
    if p.key == "china":
        plan = {y: ("nbs-1978-2014" if y <= 2010 else "nbs-2010-2022") for y in range(start, end + 1)}
        index_vintage = plan
    else:
        plan = {y: ("sheet2" if y >= 2016 else "sheet1") for y in range(start, end + 1)}
        index_vintage = {y: "sheet1" for y in plan}
    links = {}
    for y, v in plan.items():
        try:
            nom = piv[(v, "gdp_nominal")]
            real = piv[(index_vintage[y], "gdp_index")]
            value = 100.0 * nom.loc[y] / nom.loc[y - 1] / (real.loc[y] / 100.0)
        except KeyError:
            continue
        if np.isfinite(value):
            links[y] = value
    chain = _Chain(f"GDP deflator {p.key}")
    chain.add(pd.Series(links), "derived", "nominal GDP growth over real GDP growth (same vintage)",
              range(start + 1, end + 1))
    chain.check(start, max(chain.dlog) if chain.dlog else start + 1, "nominal and real GDP")
    chain.extend(start, end)
    out = chain.index(start, end)
    out.name = f"gdp_{p.key}"
    out.attrs.update({"province": p.key, "long_name": "GDP deflator",
                      "long_name_zh": "GDP平减指数"})
    return out


def _published_index(series: str, name: str, start: int, end: int, *, backcast=None) -> pd.Series:
    chain = _Chain(name)
    links = sources.national_series(series)
    chain.add(links, "published", sources.NATIONAL_SERIES[series], range(start + 1, end + 1))
    if backcast is not None:
        chain.add(sources.national_series(backcast), "derived",
                  f"before {int(links.index.min())}: annual change of {backcast}",
                  range(start + 1, end + 1))
    chain.check(start, min(int(links.index.max()), end), sources.NATIONAL_SERIES[series])
    chain.extend(start, end)
    return chain.index(start, end)


def software_deflator(province: str = "guangxi", *, start: int = START, end: int = END) -> pd.Series:
    """CPI transport and communication (交通和通信), 2000 = 100, as printed in the white paper.

    No provincial series is bundled, so every province gets the national one (attrs say so).
    """
    p = _province(province)
    out = _published_index("cpi_transport_communication", "software", start, end)
    out.attrs.update({"province": p.key, "geography": "national (no provincial series bundled)"})
    return out


def ppi_deflator(*, start: int = START, end: int = END) -> pd.Series:
    """National PPI_C39 chained to 2000 = 100 (the white paper's benchmark for ICT hardware).

    Published 2004–2022; 2001–2003 back-cast with the FAI equipment-purchase price index
    (``derived``); after 2022 the smoothing forecast (``extrapolated``).
    """
    return _published_index("ppi_c39", "ppi_c39", start, end, backcast="fai_equipment_purchase")


def international_ict_price(asset: str, international: str = "euklems-japan") -> pd.Series:
    """International ICT investment price of ``asset`` (annual). BEA covers computers only."""
    expected_one_of("international ICT price series", international, INTERNATIONAL)
    if international == "bea" and asset == "hardware":
        q = sources.bea_computers_quarterly()
        s = annualise(q)
        s.name = "BEA computers and peripherals (annual mean)"
        s.attrs.update(q.attrs)
        return s
    s = sources.japan_price(JAPAN_ASSET[asset])
    return s


def international_reference_price(kind: str = "non-ict") -> pd.Series:
    """Japan's reference investment deflator: Törnqvist index of the tangible non-ICT assets
    (transport equipment, other machinery, other construction, residential structures) with
    two-period average nominal investment shares (``"non-ict"``), or ``Ip_GFCF`` (``"gfcf"``)."""
    if kind == "gfcf":
        return sources.japan_price("GFCF")
    if kind != "non-ict":
        raise ParameterError(f"international reference must be 'non-ict' or 'gfcf', got {kind!r}")
    price = sources.japan_investment("Ip")[list(JAPAN_NON_ICT)]
    nominal = sources.japan_investment("I")[list(JAPAN_NON_ICT)]
    ok = (price > 0).all(axis=1) & (nominal > 0).all(axis=1)
    price, nominal = price[ok], nominal[ok]
    share = nominal.div(nominal.sum(axis=1), axis=0)
    wbar = (share + share.shift(1)) / 2
    dlog = (wbar * np.log(price).diff()).sum(axis=1, min_count=1).iloc[1:]
    out = pd.Series(np.exp(np.concatenate([[0.0], dlog.cumsum().to_numpy()])) * 100.0,
                    index=price.index, name="Japan non-ICT investment (Törnqvist)")
    return out


def reference_deflator(province: str, reference: str = "investment", **kw) -> pd.Series:
    expected_one_of("reference deflator", reference, REFERENCES)
    return investment_deflator(province, **kw) if reference == "investment" else gdp_deflator(province, **kw)
