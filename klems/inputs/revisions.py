"""Revised figures of earlier years (a yearbook's ``revised_YYYY`` columns) applied to the data.

Earlier years change only where a yearbook carries a revision, and every revision is listed
(year, item, old and new figure, the cell it came from, what it changed). What a revision does:

* GDP, a sector, a group, the ICT blocks: value added of that year balanced again to the revised
  margins with the year's own structure as prior
  (:func:`klems.inputs.value_added_balancing.balance_value_added`); output, intermediates and the
  value-added components keep their ratios to value added; the deflators are kept (a revision of
  nominal value added without a revised real index revises the volume). GDP without a revised
  figure moves with the sectors.
* A real index (sector, or GDP for the sectors without their own): the sector's deflator from that
  year on moves by the ratio of the new link (nominal growth over the index) to the old one.
* The FAI price index (or the retail price index that stands in for it): the non-ICT deflator from
  that year on, and the ICT hardware and communication deflators with it (their harmonised rule);
  the CPI for transport and communication: the software deflator.
* GFCF, ICT investment by asset: that year's non-ICT investment (GFCF less ICT investment,
  split as before) and the non-ICT stocks from that year on, ``K_t = (1 − δ) K_{t−1} + I_t/P_t``.
* Employment of a sector: that year's industries of the sector in proportion.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.vocabulary import ICT_ASSETS, SECTORS
from klems.datasets.cells import GROUPS
from klems.inputs import dataset_figures as fig
from klems.inputs.value_added_balancing import balance_value_added

VA_ITEMS = ("gdp", *(f"va_{s}" for s in SECTORS), *(f"group_{g}" for g in GROUPS),
            "va_electronics", "va_information")
COMPONENTS = ("gross_output", "intermediate_inputs", "labour_compensation",
              "net_production_taxes", "capital_compensation")


def _figures(d: xr.Dataset, year: int) -> dict:
    ict = d["ict_deflator"].assign_coords(status=d["ict_deflator_status"])
    return {k: v for k, (v, _) in fig.yearbook_figures(d, ict, year).items()}


def apply_revisions(data: xr.Dataset, yb, delta: float) -> tuple[xr.Dataset, list[dict]]:
    """``data`` with the revisions of yearbook ``yb`` applied, and one row per revision."""
    if not yb.revisions:
        return data, []
    years = [int(y) for y in data.year.values]
    name = Path(yb.path).name
    by_year: dict[int, dict[str, float]] = {}
    for (key, t), value in yb.revisions.items():
        if t not in years:
            raise InputDataError(
                f"{name}, {yb.revision_where[(key, t)]}: a revised figure of {t}, but the data "
                f"run {years[0]}-{years[-1]}; expected a year of the data", year=t)
        by_year.setdefault(t, {})[key] = value
    d = data.copy(deep=True)
    sector = fig.sector_of(d)
    investment = fig.implied_nict_investment(d, delta).transpose("industry", "year").values
    stock_from = None
    rows = []
    for t in sorted(by_year):
        ti = years.index(t)
        old = _figures(d, t)
        changed = {k: v for k, v in by_year[t].items()
                   if k not in old or not np.isclose(v, old[k], rtol=1e-9, atol=1e-12)}
        effects: dict[str, list[str]] = {}
        va_keys = [k for k in changed if k in VA_ITEMS]
        if va_keys:
            effects.update({k: _value_added(d, ti, sector, old, changed) for k in va_keys})
        for key in [k for k in changed if k.startswith("index_")]:
            effects[key] = _real_index(d, ti, sector, key, changed)
        price_key = "fai_price" if "fai_price" in changed else (
            "rpi" if "rpi" in changed else None)
        if price_key:
            effects[price_key] = _deflator(d, ti, "non_ict_investment_deflator",
                                           changed[price_key], ("hardware", "communication"))
            stock_from = ti if stock_from is None else min(stock_from, ti)
        if "cpi_transport_communication" in changed:
            effects["cpi_transport_communication"] = _deflator(
                d, ti, None, changed["cpi_transport_communication"], ("software",))
        invest = [k for k in changed if k == "gfcf" or k.startswith("ict_")]
        if invest:
            if ti == 0:
                raise InputDataError(f"{name}: a revised {invest[0]} of {t}, the first year of "
                                     "the data, cannot be applied (its stock is the base-year "
                                     "stock); expected a revision of a later year", year=t)
            effects.update({k: msg for k, msg in
                            _investment(d, ti, investment, changed, old, invest).items()})
            stock_from = ti if stock_from is None else min(stock_from, ti)
        for s in SECTORS:
            key = f"emp_{s}"
            if key in changed:
                m = sector == s
                e = d["employment"].values
                e[m, ti] *= changed[key] / old[key]
                effects[key] = [f"employment of the {s} sector's industries {t}"]
        for key in changed:
            rows.append({"year": t, "item": key, "old": old.get(key, np.nan),
                         "new": changed[key],
                         "change_pct": 100.0 * (changed[key] / old[key] - 1.0)
                         if old.get(key) else np.nan,
                         "source": f"{name}, {yb.revision_where[(key, t)]}",
                         "changed": "; ".join(effects.get(key, []))})
    if stock_from is not None:
        _stocks(d, investment, stock_from, delta)
    return d, rows


def _value_added(d, ti, sector, old, changed) -> list[str]:
    t = int(d.year.values[ti])
    va = d["value_added"].values
    prior = va[:, ti].copy()
    sectors = {s: changed.get(f"va_{s}", old[f"va_{s}"]) for s in SECTORS}
    groups = None
    if any(k.startswith("group_") for k in changed):
        groups = {g: changed.get(f"group_{g}", old[f"group_{g}"]) for g in GROUPS}
    blocks = {k: changed[k] for k in ("va_electronics", "va_information") if k in changed}
    new, _, _ = balance_value_added(prior, sector, sectors, groups, blocks,
                                    what=f"revision of {t}: ")
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(prior > 0, new / prior, 1.0)
    va[:, ti] = new
    for name in COMPONENTS:
        d[name].values[:, ti] *= growth
    d["capital_compensation"].values[:, ti] = new - d["labour_compensation"].values[:, ti] - \
        d["net_production_taxes"].values[:, ti]
    d["intermediate_inputs"].values[:, ti] = d["gross_output"].values[:, ti] - new
    gdp = changed.get("gdp", old["gdp"] + sum(sectors.values()) - sum(
        old[f"va_{s}"] for s in SECTORS))
    d["gdp"].values[ti] = gdp
    if "gdp" in changed:
        d["gdp_status"].values[ti] = "published"
    return [f"value added, output, intermediates and value-added components of {t} "
            "(rebalanced to the revised margins)"] + (["GDP"] if "gdp" not in changed else [])


def _real_index(d, ti, sector, key, changed) -> list[str]:
    if ti == 0:
        raise InputDataError(f"a revised {key} of the first year {int(d.year.values[0])} has no "
                             "previous year to link; expected a later year")
    t = int(d.year.values[ti])
    targets = [key.removeprefix("index_")] if key != "index_gdp" else \
        [s for s in SECTORS if f"index_{s}" not in changed]
    va, p = d["value_added"], d["output_deflator"]
    defl = fig.sector_deflator(va, p, sector)
    out = []
    for s in targets:
        m = sector == s
        nominal = va.values[m, ti].sum() / va.values[m, ti - 1].sum()
        ratio = (nominal / (changed[key] / 100.0)) / (defl[s][ti] / defl[s][ti - 1])
        p.values[np.ix_(m, np.arange(ti, p.sizes["year"]))] *= ratio
        out.append(f"output deflators of the {s} sector {t}-{int(d.year.values[-1])} "
                   f"(x {ratio:.5f})")
    return out


def _deflator(d, ti, name, index, ict_assets) -> list[str]:
    t, last = int(d.year.values[ti]), int(d.year.values[-1])
    if ti == 0:
        raise InputDataError(f"a revised price index of the first year {t} has no previous year "
                             "to link; expected a later year")
    if name is not None:
        p = d[name].values
        ratio = (index / 100.0) / (p[ti] / p[ti - 1])
        p[ti:] *= ratio
    else:
        a = ICT_ASSETS.index(ict_assets[0])
        p = d["ict_deflator"].values[a]
        ratio = (index / 100.0) / (p[ti] / p[ti - 1])
    for asset in ict_assets:
        d["ict_deflator"].values[ICT_ASSETS.index(asset), ti:] *= ratio
    return ([f"{name} {t}-{last}"] if name else []) + \
        [f"ICT deflator {a} {t}-{last}" for a in ict_assets] + \
        (["non-ICT stocks from that year"] if name else []) + [f"(x {ratio:.5f})"]


def _investment(d, ti, investment, changed, old, keys) -> dict[str, list[str]]:
    t = int(d.year.values[ti])
    delta_ict = 0.0
    out = {}
    for a, asset in enumerate(ICT_ASSETS):
        key = f"ict_{asset}"
        if key in changed:
            d["ict_investment"].values[:, a, ti] *= changed[key] / old[key]
            delta_ict += changed[key] - old[key]
            out[key] = [f"ICT investment in {asset} of {t} (each industry in proportion)"]
    delta_gfcf = changed["gfcf"] - old["gfcf"] if "gfcf" in changed else 0.0
    if "gfcf" in changed:
        d["gfcf"].values[ti] = changed["gfcf"]
        d["gfcf_status"].values[ti] = "published"
        out["gfcf"] = [f"GFCF {t}"]
    col = investment[:, ti]
    total = np.nansum(col)
    target = total + delta_gfcf - delta_ict
    if not target > 0 or not total > 0:
        raise InputDataError(f"the revisions of {t} leave non-ICT investment of {target:,.2f} "
                             "(GFCF less ICT investment); expected a positive amount", year=t)
    investment[:, ti] = col * (target / total)
    for key in keys:
        out.setdefault(key, []).append(f"non-ICT investment of {t} and the non-ICT stocks from "
                                       f"{t} (K = (1 - δ) K_prev + I / P)")
    return out


def _stocks(d, investment, start, delta) -> None:
    """Non-ICT stocks from ``start`` on by the recursion with the (revised) nominal investment
    and deflator."""
    k = d["non_ict_capital_stock"].values
    p = d["non_ict_investment_deflator"].values / 100.0
    for t in range(start, k.shape[1]):
        k[:, t] = (1.0 - delta) * k[:, t - 1] + investment[:, t] / p[t]
