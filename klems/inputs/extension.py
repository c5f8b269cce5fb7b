"""``klems extend``: a province's dataset extended by the years of filled-in yearbook sheets.

For each new year Y (the year after the data's last year T), the industry structure of T is
carried forward and balanced to the yearbook's margins; every variable-year gets a status and
its rule is listed (:attr:`Extension.notes`). Rules (see also ``docs/annual_update.md``):

* **Value added.** GDP and the three sectors are published (required). Cells (group × sector,
  :mod:`klems.datasets.cells`): from the nine groups by identities (``derived``) or, without
  groups, each cell's share of its sector in T (``modelled``). Inside a cell each industry keeps
  its share of T (a one-row RAS); the ICT blocks the yearbook may give (C39 electronics inside
  industrial value added, section I inside other services) are margins of their own. Gross
  output, intermediates, labour compensation and net taxes keep their ratios to value added of T;
  capital compensation is the rest, so the accounting identities hold exactly.
* **Output deflators.** Each sector's implicit value-added deflator moves by nominal growth over
  the real index (the sector's, else the GDP index): ``P_Y = P_T · (VA_Y/VA_T) / (index/100)``;
  industries move with their sector.
* **Employment.** The sectors' year-end employment (published; else held, as the build holds
  its last source year); within a sector industries keep their shares of T, tilted by the
  growth of urban units' employment of their section (or value added over the average wage)
  where the yearbook gives them with the previous year's figure.
* **Investment.** GFCF (published; else T's ratio to GDP × GDP, the build's rule). Investment by
  section: T's (ICT + the non-ICT investment the stocks imply) moved by the growth of
  fixed-asset investment of the section (growth rate, or the level over the previous year's),
  scaled to GFCF. ICT investment by section and asset keeps its share of the section's
  investment (balanced by RAS, :func:`klems.datasets.regionalisation.ras`, to published ICT
  investment by asset when given) and is split over industries by T's shares moved with value
  added; non-ICT investment is the rest of the section, split by T's implied shares, and the
  stocks follow ``K_Y = (1 − δ) K_T + I_Y / P_Y``.
* **Prices.** Non-ICT investment deflator: the FAI price index, else the retail price index
  (the price build's splice after 2019), both ``derived``; else the exponential-smoothing
  forecast of its annual log change (``modelled``, the price build's rule after its sources
  end). ICT hardware and communication equipment: ``Δln P = Δln P_non-ICT + λ`` with λ the last
  year's differential held (the harmonised deflators' rule past the last international year).
  Software: the CPI for transport and communication, else its forecast.

Revised figures of earlier years (columns ``revised_YYYY``) are applied by
:mod:`klems.inputs.revisions` before the new year is added; every one is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.vocabulary import ICT_ASSETS, SECTORS
from klems.datasets.cells import GROUPS
from klems.datasets.classification import FAI_SECTIONS
from klems.datasets.regionalisation import ras
from klems.inputs import dataset_figures as fig
from klems.inputs.layout import INDUSTRY_SERIES, TOTALS_SERIES
from klems.inputs.revisions import apply_revisions
from klems.inputs.value_added_balancing import balance_value_added, scale
from klems.inputs.yearbook import Yearbook
from klems.inputs.yearbook_layout import SECTION_LETTERS
from price_index.harmonized import fit_smoothing

#: the variables of an input workbook (klems.inputs.layout) that extend carries
VARIABLES = tuple(s.var for s in (*TOTALS_SERIES, *INDUSTRY_SERIES)) + (
    "non_ict_investment_deflator",)


@dataclass
class Extension:
    """The extended dataset, the status and rule of every new variable-year, the revisions."""

    data: xr.Dataset
    notes: list[dict] = field(default_factory=list)
    revisions: list[dict] = field(default_factory=list)
    freeze_through: int | None = None

    def notes_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.notes, columns=["year", "variable", "status", "rule"])

    def revisions_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.revisions, columns=[
            "year", "item", "old", "new", "change_pct", "source", "changed"])


def working_dataset(data: xr.Dataset, ict_prices: xr.DataArray) -> xr.Dataset:
    """The input variables of ``data`` (bundled or a user's), the ICT deflators with their
    status per year, and the bundled extras the extension uses (investment by section)."""
    fig.check_industries(data)
    years = [int(y) for y in data.year.values]
    keep = [v for v in VARIABLES if v in data]
    missing = [v for v in VARIABLES if v not in data]
    if missing:
        raise InputDataError(f"the data lack {missing}; expected the variables of an input "
                             "workbook (klems template)")
    out = data[keep + [f"{v}_status" for v in keep if f"{v}_status" in data]].copy()
    for v in keep:      # industry (asset) first, the year last: the extension's layout
        out[v] = out[v].transpose(*[x for x in ("industry", "asset") if x in out[v].dims],
                                  "year")
    for v in keep:
        if f"{v}_status" not in out:
            out[f"{v}_status"] = xr.DataArray(np.array(["published"] * len(years), dtype=object),
                                              dims="year", coords={"year": years})
    if "fai_by_section" in data:
        out["fai_by_section"] = data["fai_by_section"]
    ict = ict_prices.sel(asset=list(ICT_ASSETS)).reindex(year=years)
    if bool(ict.isnull().any()):
        raise InputDataError("the ICT investment deflators do not cover every year of the data "
                             f"{years[0]}-{years[-1]}")
    status = ict["status"].values.astype(object) if "status" in ict.coords else \
        np.full(ict.shape, "modelled", dtype=object)
    out["ict_deflator"] = ict.reset_coords(drop=True).assign_attrs(
        units="index 2000=100", long_name="ICT investment deflator",
        long_name_zh="ICT投资价格指数")
    out["ict_deflator_status"] = (("asset", "year"), status)
    out["di_share"] = data["di_share"]
    out.attrs = {k: data.attrs[k] for k in ("province", "province_zh", "vintage",
                                             "freeze_through", "parameters", "source")
                 if k in data.attrs}
    return out


def _forecast(levels: np.ndarray, name: str) -> float:
    """The exponential-smoothing forecast of a series' annual log change (price_index's rule
    past the end of its sources)."""
    logs = np.diff(np.log(levels))
    fit = fit_smoothing(pd.Series(logs, index=range(len(logs))), name=name)
    return float(fit.forecast)


class _Year:
    """The new year's arrays, built step by step from the data's last year T."""

    def __init__(self, data: xr.Dataset, yb: Yearbook, notes: list[dict]):
        self.d, self.yb, self.notes = data, yb, notes
        self.T = int(data.year.values[-1])
        self.Y = yb.year
        self.sector = fig.sector_of(data)
        self.at = lambda name: data[name].sel(year=self.T).values
        self.new: dict[str, np.ndarray] = {}
        self.status: dict[str, str] = {}

    def note(self, variable, status, rule):
        self.status[variable] = status
        self.notes.append({"year": self.Y, "variable": variable, "status": status, "rule": rule})

    def value_added(self):
        yb, va_t = self.yb, self.at("value_added")
        sectors = {s: yb.get(f"va_{s}") for s in SECTORS}
        groups = None
        if all(yb.get(f"group_{g}") is not None for g in GROUPS[:-1]):
            groups = {g: yb.get(f"group_{g}") for g in GROUPS}
        blocks = {k: yb.get(k) for k in ("va_electronics", "va_information")}
        try:
            out, _, fell = balance_value_added(va_t, self.sector, sectors, groups, blocks,
                                               what=f"{self.Y}: ")
        except InputDataError as exc:
            raise InputDataError(f"{exc} (yearbook {self.yb.path})", year=self.Y) from None
        if groups is not None:
            cells = ("cells from the published sectors and nine groups by identities (derived)"
                     + (f"; {', '.join(fell)}: {self.T}'s share of the sector" if fell else ""))
        else:
            cells = f"cells: {self.T}'s shares of the published sectors (modelled)"
        ict = [k for k, v in blocks.items() if v is not None]
        self.new["value_added"] = out
        self.note("value_added", "modelled",
                  f"{cells}; within each cell {self.T}'s industry shares"
                  + (f"; published ICT blocks {', '.join(ict)}" if ict else ""))
        self.new["gdp"] = np.array(yb.get("gdp"))
        self.note("gdp", yb.status.get("gdp", "published"), f"yearbook {yb.cell('gdp')}")

    def components(self):
        va_t, va = self.at("value_added"), self.new["value_added"]
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = np.where(va_t > 0, va / va_t, 0.0)
        go = self.at("gross_output") * growth
        lab = self.at("labour_compensation") * growth
        tax = self.at("net_production_taxes") * growth
        self.new |= {"gross_output": go, "intermediate_inputs": go - va,
                     "labour_compensation": lab, "net_production_taxes": tax,
                     "capital_compensation": va - lab - tax}
        for v in ("gross_output", "intermediate_inputs", "labour_compensation",
                  "net_production_taxes", "capital_compensation"):
            self.note(v, "modelled", f"{self.T}'s ratio to value added of each industry"
                      + (" (capital compensation: the rest of value added)"
                         if v == "capital_compensation" else ""))

    def output_deflator(self):
        yb, va_t, va = self.yb, self.at("value_added"), self.new["value_added"]
        p_t = self.at("output_deflator")
        out = np.empty_like(p_t)
        used = []
        for s in SECTORS:
            m = self.sector == s
            index = yb.get(f"index_{s}")
            used.append(f"index_{s}" if index is not None else "index_gdp")
            index = index if index is not None else yb.get("index_gdp")
            link = (va[m].sum() / va_t[m].sum()) / (index / 100.0)
            out[m] = p_t[m] * link
        self.new["output_deflator"] = out
        self.note("output_deflator", "modelled",
                  "each sector's implicit value-added deflator: nominal growth over the real "
                  f"index ({', '.join(dict.fromkeys(used))}); industries move with their sector")

    def employment(self):
        yb, e_t = self.yb, self.at("employment")
        sec = fig.section_index()
        va_t, va = self.at("value_added"), self.new["value_added"]
        tilt, how = np.ones(len(FAI_SECTIONS)), set()
        for k, letter in enumerate(SECTION_LETTERS):
            u, u0 = yb.get(f"urban_emp_{letter}"), yb.previous.get(f"urban_emp_{letter}")
            w, w0 = yb.get(f"wage_{letter}"), yb.previous.get(f"wage_{letter}")
            if u and u0:
                tilt[k] = u / u0
                how.add("urban units' employment growth")
            elif w and w0:
                tilt[k] = np.nan    # by industry: value added over the wage
                how.add("value added over the average wage")
        prior = e_t * tilt[sec]
        by_wage = np.isnan(prior)
        if by_wage.any():
            wage = np.array([(yb.get(f"wage_{x}") or 1.0) / (yb.previous.get(f"wage_{x}") or 1.0)
                             for x in SECTION_LETTERS])
            with np.errstate(divide="ignore", invalid="ignore"):
                g = np.where(va_t > 0, va / va_t, 1.0) / wage[sec]
            prior = np.where(by_wage, e_t * g, prior)
        out = np.empty_like(e_t)
        published = []
        for s in SECTORS:
            m = self.sector == s
            total = yb.get(f"emp_{s}")
            if total is not None:
                published.append(s)
            else:
                total = e_t[m].sum()
            out[m] = scale(prior[m], total, f"{self.Y}: employment of the {s} sector")
        self.new["employment"] = out
        rule = (f"sector totals {'published' if len(published) == 3 else 'held from ' + str(self.T)}"
                f"; within sectors {self.T}'s shares"
                + (f" tilted by {' and '.join(sorted(how))} of the section" if how else ""))
        self.note("employment", "modelled", rule)

    def prices(self):
        yb, d = self.yb, self.d
        p = d["non_ict_investment_deflator"].values
        if yb.get("fai_price") is not None:
            link, st, rule = yb.get("fai_price") / 100.0, "derived", "FAI price index"
        elif yb.get("rpi") is not None:
            link, st, rule = yb.get("rpi") / 100.0, "derived", \
                "retail price index (the price build's splice after the FAI price index ended)"
        else:
            link = float(np.exp(_forecast(p, "non-ICT investment deflator")))
            st, rule = "modelled", ("exponential-smoothing forecast of the annual log change "
                                    f"({100 * (link - 1):+.2f} %)")
        self.new["non_ict_investment_deflator"] = np.array(p[-1] * link)
        self.note("non_ict_investment_deflator", st, rule)
        ict = d["ict_deflator"].transpose("asset", "year").values
        out, status = np.empty(3), []
        for a, asset in enumerate(ICT_ASSETS):
            if asset == "software":
                index = yb.get("cpi_transport_communication")
                if index is not None:
                    out[a], s, r = ict[a, -1] * index / 100.0, "derived", \
                        "CPI transport and communication"
                else:
                    g = _forecast(ict[a], "software deflator")
                    out[a], s, r = ict[a, -1] * np.exp(g), "modelled", \
                        f"exponential-smoothing forecast ({100 * np.expm1(g):+.2f} %)"
            else:
                lam = np.log(ict[a, -1] / ict[a, -2]) - np.log(p[-1] / p[-2])
                out[a], s = ict[a, -1] * link * np.exp(lam), st
                r = (f"non-ICT deflator change plus {self.T}'s differential λ = {lam:+.4f} "
                     "(held, as past the last international year)")
            status.append(s)
            self.notes.append({"year": self.Y, "variable": f"ict_deflator_{asset}", "status": s,
                               "rule": r})
        self.new["ict_deflator"] = out
        self.ict_status = status

    def _section_growth(self, inv_t: np.ndarray) -> tuple[np.ndarray, str]:
        """Growth of fixed-asset investment of each section (growth rate, or the level over
        the previous year's); sections the yearbook does not give take the total's growth, or
        the known sections' mean."""
        yb, d = self.yb, self.d
        prev_level = {}
        if "fai_by_section" in d and self.T in d.year.values:
            levels = d["fai_by_section"].sel(year=self.T).values
            prev_level = {f"fai_{k}": float(v) for k, v in zip(SECTION_LETTERS, levels)
                          if np.isfinite(v) and v > 0}
            prev_level["fai_total"] = float(np.nansum(levels)) if np.isfinite(levels).all() \
                else None

        def growth(key):
            if key in yb.growth:
                return 1.0 + yb.growth[key] / 100.0
            value, before = yb.get(key), prev_level.get(key) or yb.previous.get(key)
            return value / before if value is not None and before else None

        g = np.array([growth(f"fai_{k}") or np.nan for k in SECTION_LETTERS])
        known = np.isfinite(g)
        if not known.any():
            return np.ones(len(g)), f"{self.T}'s section mix held (no investment by section)"
        total = growth("fai_total")
        fill = total if total else float(np.average(g[known], weights=inv_t[known] + 1e-300))
        g[~known] = fill
        self.fai_level = np.array([(prev_level.get(f"fai_{k}") or yb.previous.get(f"fai_{k}")
                                    or np.nan) * gk for k, gk in zip(SECTION_LETTERS, g)])
        return g, (f"fixed-asset investment growth of {int(known.sum())} sections"
                   + (f" (the others: {'the total' if total else 'their mean'})"
                      if not known.all() else ""))

    def investment(self, delta: float):
        yb, d, T = self.yb, self.d, self.T
        gdp_t, gfcf_t = float(d["gdp"].sel(year=T)), float(d["gfcf"].sel(year=T))
        if yb.get("gfcf") is not None:
            gfcf = yb.get("gfcf")
            self.note("gfcf", yb.status.get("gfcf", "published"), f"yearbook {yb.cell('gfcf')}")
        else:
            gfcf = gfcf_t / gdp_t * float(self.new["gdp"])
            self.note("gfcf", "modelled", f"{T}'s ratio to GDP x GDP (the build's rule)")
        self.new["gfcf"] = np.array(gfcf)
        sec = fig.section_index()
        n_sec = len(FAI_SECTIONS)
        ict_t = d["ict_investment"].sel(year=T, asset=list(ICT_ASSETS)).transpose(
            "industry", "asset").values
        nict_t = np.clip(fig.implied_nict_investment(d, delta).sel(year=T).values, 0.0, None)
        inv_t = np.bincount(sec, ict_t.sum(axis=1) + nict_t, minlength=n_sec)
        self.fai_level = None
        g, how = self._section_growth(inv_t)
        mix = inv_t * g
        inv = gfcf * mix / mix.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(inv_t > 0, inv / inv_t, 0.0)
        ict_sa_t = np.stack([np.bincount(sec, ict_t[:, a], minlength=n_sec) for a in range(3)],
                            axis=1)
        ict_sa = ict_sa_t * ratio[:, None]
        totals = [yb.get(f"ict_{a}") for a in ICT_ASSETS]
        if all(v is not None for v in totals):
            rows = ict_sa.sum(axis=1) * (sum(totals) / ict_sa.sum())
            ict_sa = ras(ict_sa, rows, np.array(totals), names=(FAI_SECTIONS, ICT_ASSETS))
            ict_rule = "balanced by RAS to the published ICT investment by asset"
        else:
            for a, v in enumerate(totals):
                if v is not None:
                    ict_sa[:, a] *= v / ict_sa[:, a].sum()
            ict_rule = "each section's ICT share of its investment held" + (
                "; published totals of " + ", ".join(
                    a for a, v in zip(ICT_ASSETS, totals) if v is not None)
                if any(v is not None for v in totals) else "")
        va_t, va = self.at("value_added"), self.new["value_added"]
        with np.errstate(divide="ignore", invalid="ignore"):
            va_growth = np.where(va_t > 0, va / va_t, 0.0)
        va_sec = np.bincount(sec, va, minlength=n_sec)
        weight = ict_t * va_growth[:, None]
        w_sec = np.stack([np.bincount(sec, weight[:, a], minlength=n_sec) for a in range(3)],
                         axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(w_sec[sec] > 0, weight / w_sec[sec],
                             (va / va_sec[sec])[:, None])
        ict = ict_sa[sec] * np.nan_to_num(share)
        nict_sec = inv - ict_sa.sum(axis=1)
        bad = np.flatnonzero(nict_sec < -1e-9 * gfcf)
        if bad.size:
            k = bad[0]
            raise InputDataError(
                f"{self.Y}: ICT investment of section {FAI_SECTIONS[k]} ({ict_sa[k].sum():,.2f}) "
                f"exceeds its fixed capital formation ({inv[k]:,.2f}); expected the published "
                f"ICT investment ({yb.path}, sheet ict) within GFCF", year=self.Y)
        nict_sec = np.clip(nict_sec, 0.0, None)
        n_sec_t = np.bincount(sec, nict_t, minlength=n_sec)
        with np.errstate(divide="ignore", invalid="ignore"):
            nshare = np.where(n_sec_t[sec] > 0, nict_t / n_sec_t[sec], va / va_sec[sec])
        nict = nict_sec[sec] * np.nan_to_num(nshare)
        price = float(self.new["non_ict_investment_deflator"]) / 100.0
        stock = (1.0 - delta) * self.at("non_ict_capital_stock") + nict / price
        self.new["ict_investment"] = ict
        self.new["non_ict_capital_stock"] = stock
        self.note("ict_investment", "modelled",
                  f"investment by section: {T}'s moved by {how}, scaled to GFCF; ICT: {ict_rule}"
                  f"; industries by {T}'s shares moved with value added")
        self.note("non_ict_capital_stock", "modelled",
                  f"K = (1 - {delta:g}) K_{T} + (the section's investment less ICT, split by "
                  f"{T}'s implied shares) / the non-ICT deflator")


def _append(d: xr.Dataset, y: _Year) -> xr.Dataset:
    """The data with the new year's values and statuses (statuses carried by ``y.status``)."""
    new = d.isel(year=[-1]).assign_coords(year=[y.Y])
    for name in VARIABLES:
        new[name] = new[name].copy(data=np.asarray(y.new[name], dtype=float)[..., None])
        new[f"{name}_status"] = new[f"{name}_status"].copy(
            data=np.array([y.status[name]], dtype=object))
    new["ict_deflator"] = new["ict_deflator"].copy(
        data=np.asarray(y.new["ict_deflator"]).reshape(3, 1))
    new["ict_deflator_status"] = new["ict_deflator_status"].copy(
        data=np.array(y.ict_status, dtype=object).reshape(3, 1))
    if "fai_by_section" in new:
        level = y.fai_level if y.fai_level is not None else np.full(len(FAI_SECTIONS), np.nan)
        new["fai_by_section"] = new["fai_by_section"].copy(data=level.reshape(-1, 1))
    out = xr.concat([d, new], dim="year", data_vars="minimal", coords="minimal",
                    compat="override")
    _check_year(out, y.Y)
    return out


def _check_year(d: xr.Dataset, year: int) -> None:
    rules = {"gross_output": "positive", "employment": "positive",
             "non_ict_capital_stock": "positive", "output_deflator": "positive",
             "value_added": "nonneg", "ict_investment": "nonneg",
             "intermediate_inputs": "nonneg", "labour_compensation": "nonneg"}
    for name in VARIABLES:
        v = d[name].sel(year=year)
        bad = ~np.isfinite(v.values)
        rule = rules.get(name)
        if rule == "positive":
            bad |= ~(v.values > 0)
        elif rule == "nonneg":
            bad |= ~(v.values >= -1e-9)
        if bad.any():
            where = {dim: str(v[dim].values[i]) for dim, i in
                     zip(v.dims, np.unravel_index(int(np.argmax(bad)), bad.shape))}
            raise InputDataError(f"the extension gives {name} = "
                                 f"{float(v.values[bad].ravel()[0]):.6g}; expected a finite "
                                 f"{'positive' if rule == 'positive' else ''} number — check "
                                 "the yearbook's figures of that year", year=year, **where)


def extend(data: xr.Dataset, ict_prices: xr.DataArray, yearbooks: list[Yearbook], *,
           province: str | None = None) -> Extension:
    """``data`` (bundled or a user's, with its ICT deflators) extended by ``yearbooks``, one
    year after another; revisions first. The extended data record ``freeze_through``: the year
    recorded in ``data``, else its last year (the estimate then freezes the method's sample
    there, so the years already published do not move; see
    :func:`klems.pipeline.options.freeze_year`)."""
    w = working_dataset(data, ict_prices)
    years = [int(y) for y in w.year.values]
    recorded = w.attrs.get("freeze_through")
    freeze = int(recorded) if recorded not in (None, "", "none") else years[-1]
    delta = fig.non_ict_depreciation(data)
    ext = Extension(w, freeze_through=freeze)
    order = sorted(yearbooks, key=lambda yb: yb.year)
    seen = {}
    for yb in order:
        if yb.year in seen:
            raise InputDataError(f"two yearbooks for {yb.year} ({seen[yb.year]} and {yb.path}); "
                                 "expected one per year", year=yb.year)
        seen[yb.year] = yb.path
        if province and yb.province and yb.province != province:
            raise InputDataError(f"the yearbook is for {yb.province}, not {province}; expected "
                                 "a yearbook of the province extended", file=yb.path)
    for yb in order:
        last = int(w.year.values[-1])
        if yb.year != last + 1:
            raise InputDataError(
                f"the yearbook's year {yb.year} does not follow the data's last year {last}; "
                f"expected {last + 1}" + (f" (fill in a yearbook for {last + 1} first: klems "
                                          f"yearbook --year {last + 1})" if yb.year > last + 1
                                          else " (the data already hold it)"), file=yb.path)
        w, rows = apply_revisions(w, yb, delta)
        ext.revisions += rows
        y = _Year(w, yb, ext.notes)
        y.value_added()
        y.components()
        y.output_deflator()
        y.employment()
        y.prices()
        y.investment(delta)
        w = _append(w, y)
    w.attrs["freeze_through"] = freeze
    w.attrs["non_ict_depreciation"] = delta
    ext.data = w
    return ext
