"""What a dataset says about the yearbook's items: its aggregates, year by year.

A dataset in the layout of :func:`klems.load_dataset` (the bundled data, or a user's workbook
read by :func:`klems.inputs.reader.read_input`) holds industries; a yearbook holds aggregates.
:func:`yearbook_figures` sums the one into the other (GDP, sectors, the nine groups, real and
price indices, investment, employment, the ICT industries), each with the status of the series
it comes from — what ``klems yearbook`` pre-fills and what ``klems extend`` compares revisions
with. The helpers (sector and cell sums, implicit deflators, implied non-ICT investment) are
the extension's too.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.vocabulary import ICT_ASSETS, SECTORS
from klems.datasets.cells import CELLS, ELECTRONICS, GROUPS, INFORMATION, cell_group, industry_cells
from klems.datasets.classification import FAI_SECTIONS, INDUSTRIES, load_classification
from klems.inputs.yearbook_layout import SECTION_LETTERS

#: δ of non-ICT capital when the data do not record it (the build's, Zhang Jun et al. 2004).
NON_ICT_DEPRECIATION = 0.096


def check_industries(data: xr.Dataset, what: str = "klems extend") -> None:
    """The yearbook's groups and sections map onto the 139 industries of the 2012 table only."""
    codes = [str(c) for c in data.industry.values]
    if codes != list(INDUSTRIES):
        shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
        raise InputDataError(
            f"{what} needs the 139 industries of the NBS 2012 input-output table (codes 001-139 "
            f"in order) to map them to the yearbook's groups and sections; the data have "
            f"{len(codes)} industries ({shown})")


def sector_of(data: xr.Dataset) -> np.ndarray:
    sector = data["industry_sector"] if "industry_sector" in data.coords else data["sector"]
    return np.asarray(sector.values).astype(str)


def sector_sums(values: np.ndarray, sector: np.ndarray) -> dict[str, float]:
    return {s: float(values[sector == s].sum()) for s in SECTORS}


def cell_sums(values: np.ndarray) -> np.ndarray:
    return np.bincount(industry_cells(), weights=values, minlength=len(CELLS))


def group_sums(cells: np.ndarray) -> dict[str, float]:
    out = dict.fromkeys(GROUPS, 0.0)
    for k, c in enumerate(CELLS):
        out[cell_group(c)] += float(cells[k])
    return out


def block_index(codes) -> np.ndarray:
    return np.array([INDUSTRIES.index(c) for c in codes])


def section_index() -> np.ndarray:
    """Index into the 19 fixed-asset-investment sections of each of the 139 industries."""
    cls = load_classification()
    return np.array([FAI_SECTIONS.index(s) for s in cls["fai_section"]])


def sector_deflator(va: xr.DataArray, deflator: xr.DataArray, sector: np.ndarray) -> dict:
    """Implicit deflator of each sector (year): Σ value added / Σ (value added / deflator)."""
    out = {}
    for s in SECTORS:
        m = sector == s
        nominal = va.isel(industry=m).sum("industry")
        real = (va / deflator).isel(industry=m).sum("industry")
        out[s] = (nominal / real).values
    return out


def implied_nict_investment(data: xr.Dataset, delta: float) -> xr.DataArray:
    """Nominal non-ICT investment by industry implied by the stock:
    ``(K_t − (1 − δ) K_{t−1}) · P_t / 100`` (NaN in the first year)."""
    k = data["non_ict_capital_stock"]
    price = data["non_ict_investment_deflator"] / 100.0
    return (k - (1.0 - delta) * k.shift(year=1)) * price


def non_ict_depreciation(data: xr.Dataset) -> float:
    """δ of the data's non-ICT stocks: the build records it in ``attrs['parameters']``."""
    for part in str(data.attrs.get("parameters", "")).split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "non_ict_depreciation":
            return float(value)
    return float(data.attrs.get("non_ict_depreciation", NON_ICT_DEPRECIATION))


def _status(data: xr.Dataset, name: str, year: int) -> str:
    if f"{name}_status" in data and year in data.year.values:
        return str(data[f"{name}_status"].sel(year=year).values)
    return "modelled"


def yearbook_figures(data: xr.Dataset, ict_prices: xr.DataArray, year: int) -> dict:
    """Item -> (value, status) of ``year`` as the dataset has it; items it cannot give are
    absent. Sums of modelled industries are ``modelled``; indices from a series' levels take
    the series' status."""
    out: dict[str, tuple[float, str]] = {}
    years = [int(y) for y in data.year.values]
    if year not in years:
        return out
    t = years.index(year)
    sector = sector_of(data)
    va = data["value_added"].transpose("industry", "year").values
    out["gdp"] = (float(data["gdp"].values[t]), _status(data, "gdp", year))
    st_va = _status(data, "value_added", year)
    if "value_added_sector" in data:
        st = _status(data, "value_added_sector", year)
        for s in SECTORS:
            out[f"va_{s}"] = (float(data["value_added_sector"].sel(sector=s).values[t]), st)
    else:
        out |= {f"va_{s}": (v, st_va) for s, v in sector_sums(va[:, t], sector).items()}
    codes = [str(c) for c in data.industry.values]
    if codes == list(INDUSTRIES):
        if "value_added_cell" in data:
            cells = data["value_added_cell"].sel(cell=list(CELLS)).values[:, t]
            st = _status(data, "value_added_cell", year)
        else:
            cells, st = cell_sums(va[:, t]), st_va
        out |= {f"group_{g}": (v, st) for g, v in group_sums(cells).items()}
        out["va_electronics"] = (float(va[block_index(ELECTRONICS), t].sum()), st_va)
        out["va_information"] = (float(va[block_index(INFORMATION), t].sum()), st_va)
        if "fai_by_section" in data:
            fai = data["fai_by_section"].sel(fai_section=list(FAI_SECTIONS)).values[:, t]
            st = _status(data, "fai_by_section", year)
            out |= {f"fai_{k}": (float(v), st) for k, v in zip(SECTION_LETTERS, fai)}
            out["fai_total"] = (float(fai.sum()), st)
    if "gfcf" in data:
        out["gfcf"] = (float(data["gfcf"].values[t]), _status(data, "gfcf", year))
    emp = data["employment"].transpose("industry", "year").values
    if "employment_sector" in data:
        st = _status(data, "employment_sector", year)
        for s in SECTORS:
            out[f"emp_{s}"] = (float(data["employment_sector"].sel(sector=s).values[t]), st)
    else:
        st = _status(data, "employment", year)
        out |= {f"emp_{s}": (v, st) for s, v in sector_sums(emp[:, t], sector).items()}
    ict = data["ict_investment"].sel(asset=list(ICT_ASSETS)).sum("industry").values[:, t]
    st = _status(data, "ict_investment", year)
    out |= {f"ict_{a}": (float(v), st) for a, v in zip(ICT_ASSETS, ict)}
    if t == 0:
        return out
    # indices: previous year = 100
    if "real_index_sector" in data:
        st = _status(data, "real_index_sector", year)
        idx = {s: float(data["real_index_sector"].sel(sector=s).values[t]) for s in SECTORS}
    else:
        defl = sector_deflator(data["value_added"], data["output_deflator"], sector)
        prev = sector_sums(va[:, t - 1], sector)
        cur = sector_sums(va[:, t], sector)
        idx = {s: 100.0 * cur[s] / prev[s] / (defl[s][t] / defl[s][t - 1]) for s in SECTORS}
        st = "derived"
    out |= {f"index_{s}": (v, st) for s, v in idx.items()}
    prev = sector_sums(va[:, t - 1], sector)
    out["index_gdp"] = (sum(prev[s] * idx[s] for s in SECTORS) / sum(prev.values()), "derived")
    p = data["non_ict_investment_deflator"].values
    out["fai_price"] = (100.0 * p[t] / p[t - 1],
                        _status(data, "non_ict_investment_deflator", year))
    soft = ict_prices.sel(asset="software")
    if year in soft.year.values and year - 1 in soft.year.values:
        st = str(soft["status"].sel(year=year).values) if "status" in soft.coords else "modelled"
        out["cpi_transport_communication"] = (
            100.0 * float(soft.sel(year=year)) / float(soft.sel(year=year - 1)), st)
    return out
