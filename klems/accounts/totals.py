"""Digital-economy totals and the indicators derived from them (docs/method.md §1 and §7).

``DE = DI + ID``. ``DI`` (数字产业化) is the value added of the ICT industries, each counted with
its share in the classification table (default 1 for the eight ICT sectors, 0 elsewhere).
``ID`` (产业数字化) is the attributed ICT part of the *other* industries: industry i contributes
``(1 − DI share_i) · ID_i`` so that no value added is counted twice.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.accounts import _kernels as kern
from klems.base.vocabulary import SECTORS


def _attrs(units, en, zh, status="modelled"):
    return {"units": units, "long_name": en, "long_name_zh": zh, "status": status}


def _weighted_industry_sum(values, weight, dim, industry_dim, *, complement=False):
    """``Σ_i values_i · w_i`` (or ``· (1 − w_i)``) over industries, per year and any extra
    dimension, by the compiled :func:`klems.accounts._kernels.digital_totals` (the sum the
    sweep runs per draw). Dimensions come out in the order of ``values · weight``."""
    prod_dims = (values * weight).dims
    va, w = xr.broadcast(values, weight)
    order = [d for d in prod_dims if d not in (industry_dim, dim)] + [industry_dim, dim]
    va, w = va.transpose(*order), w.transpose(*order)
    shape = va.shape
    m, n = shape[-2:]
    arr = np.ascontiguousarray(va.values, dtype=np.float64).reshape(-1, m, n)
    share = np.ascontiguousarray(w.isel({dim: 0}).values, dtype=np.float64).reshape(-1, m)
    zeros = np.zeros((m, n))
    out = np.empty((arr.shape[0], n))
    scratch = np.empty(n)
    for e in range(arr.shape[0]):
        if complement:
            kern.digital_totals(zeros, arr[e], share[e], scratch, out[e])
        else:
            kern.digital_totals(arr[e], zeros, share[e], out[e], scratch)
    template = va.isel({industry_dim: 0}, drop=True)
    result = template.copy(data=out.reshape(shape[:-2] + (n,)))
    return result.transpose(*[d for d in prod_dims if d != industry_dim])


def digital_economy_totals(*, value_added, id_industry, di_share, sector, gdp,
                           dim: str = "year", industry_dim: str = "industry") -> xr.Dataset:
    """Totals per year (and any extra dimension such as ``draw`` or ``province``).

    ``value_added`` and ``id_industry``: (industry, year, …) nominal 1e8 CNY; ``di_share``:
    share of each industry's value added counted in DI (industry); ``sector``: primary /
    secondary / tertiary label per industry; ``gdp``: (year, …).
    """
    id_net = id_industry * (1.0 - di_share)
    di = _weighted_industry_sum(value_added, di_share, dim, industry_dim)
    id_ = _weighted_industry_sum(id_industry, di_share, dim, industry_dim, complement=True)
    de = di + id_
    out = xr.Dataset()
    out["digital_economy"] = de.assign_attrs(_attrs("1e8 CNY", "digital economy", "数字经济规模"))
    out["digital_industrialization"] = di.assign_attrs(
        _attrs("1e8 CNY", "digital industrialization", "数字产业化规模", "derived"))
    out["industrial_digitalization"] = id_.assign_attrs(
        _attrs("1e8 CNY", "industrial digitalization", "产业数字化规模"))
    out["gdp"] = gdp.assign_attrs(_attrs("1e8 CNY", "gross domestic product", "地区生产总值",
                                         gdp.attrs.get("status", "published")))
    out["share_of_gdp"] = (de / gdp).assign_attrs(
        _attrs("1", "digital economy share of GDP", "数字经济占GDP比重"))
    out["nominal_growth"] = (de / de.shift({dim: 1}) - 1.0).assign_attrs(
        _attrs("1", "nominal growth of the digital economy", "数字经济名义增速"))
    out["contribution_to_gdp_growth"] = (
        (de - de.shift({dim: 1})) / (gdp - gdp.shift({dim: 1}))).assign_attrs(
        _attrs("1", "digital economy contribution to GDP growth (ΔDE/ΔGDP)",
               "数字经济对GDP增长的贡献率"))
    out["di_share_of_de"] = (di / de).assign_attrs(
        _attrs("1", "digital industrialization share of the digital economy", "数字产业化占比"))
    out["id_share_of_de"] = (id_ / de).assign_attrs(
        _attrs("1", "industrial digitalization share of the digital economy", "产业数字化占比"))
    sec = xr.DataArray(list(SECTORS), dims="sector", name="sector")
    member = sector == sec
    pen_id = (id_net * member).sum(industry_dim)
    pen_va = (value_added * member).sum(industry_dim)
    out["penetration"] = (pen_id / pen_va).assign_attrs(
        _attrs("1", "industrial digitalization over value added, by sector",
               "产业数字化渗透率（分三次产业）"))
    out["id_by_sector"] = pen_id.assign_attrs(
        _attrs("1e8 CNY", "industrial digitalization by sector", "分三次产业产业数字化规模"))
    out = out.assign_coords(sector=sec.values)
    return out
