"""Reading the NBS national input-output tables and concording them to the 139 industries of 2012.

Source files (``klems.data/sources/io_tables/``, copied from ``ionet``; NBS tables at producers'
prices, 万元): ``china_2012_139.csv`` (the classification), ``china_2017_149.csv``,
``china_2018_153.csv``, ``china_2020_153.csv`` and the 42-sector ``china_2015_42.csv``.

A table is an :class:`xarray.Dataset` in 1e8 CNY (亿元 = 万元 / 1e4) with

* ``intermediate`` (product × industry), ``value_added`` (component × industry; components
  ``labour_compensation`` 劳动者报酬, ``net_production_taxes`` 生产税净额, ``depreciation``
  固定资产折旧, ``operating_surplus`` 营业盈余), ``gross_output`` (industry; row 总投入),
* ``final_use`` (product × use; the final-use columns present in the file: ``TC`` final consumption,
  ``FU201`` gross fixed capital formation, ``FU202`` changes in inventories, ``EX`` exports, ``IM``
  imports, ``ERR`` other) and ``product_output`` (product; column ``GO``).

The 149- and 153-sector tables are concorded with the matrices of :func:`klems.datasets.classification.
load_concordance` (rows and columns alike). The 42-sector table of 2015 is split to the 139 with a
139-sector prior (:func:`split_42_to_139`): each 42-sector cell is distributed in proportion to the
prior within the block, value-added components by the prior within each 42-sector column group (the
operating surplus as the residual so that each industry's components add up to its value added), and
intermediate inputs are then scaled per column so that ``gross output = intermediate inputs + value
added`` holds for every industry (the 42-sector row sums are kept only approximately for 2015).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.resources import data_root
from klems.datasets.classification import (
    INDUSTRIES,
    load_classification,
    load_concordance,
)

WAN_TO_YI = 1e-4
COMPONENTS = ("labour_compensation", "net_production_taxes", "depreciation", "operating_surplus")
_VA_ROWS = {"VA001": "labour_compensation", "VA002": "net_production_taxes", "VA003": "depreciation",
            "VA004": "operating_surplus"}
_USES = ("TC", "FU201", "FU202", "EX", "IM", "ERR")
TABLE_FILES = {2012: "china_2012_139.csv", 2015: "china_2015_42.csv", 2017: "china_2017_149.csv",
               2018: "china_2018_153.csv", 2020: "china_2020_153.csv"}
TABLE_SCHEME = {2012: "139", 2015: "42", 2017: "149", 2018: "153", 2020: "153"}


def read_io_table(year: int) -> xr.Dataset:
    """The national table of ``year`` in its own classification (1e8 CNY), identities checked."""
    if year not in TABLE_FILES:
        raise InputDataError(f"no input-output table for {year}; expected one of {sorted(TABLE_FILES)}",
                             year=year)
    name = TABLE_FILES[year]
    with (data_root() / "sources" / "io_tables" / name).open("rb") as fh:
        raw = pd.read_csv(fh, dtype={"Code": str})
    return _parse(raw, f"sources/io_tables/{name}", year)


def _parse(raw: pd.DataFrame, name: str, year: int) -> xr.Dataset:
    if "Origin" in raw.columns:
        raise InputDataError("non-competitive-import tables (column 'Origin') are not supported",
                             file=name, year=year)
    raw = raw.set_index("Code")
    sectors = [c for c in raw.columns if c.isdigit()]
    missing = [r for r in (*sectors, "TII", *_VA_ROWS, "TVA", "TI") if r not in raw.index]
    if missing:
        raise InputDataError(f"rows {missing[:5]} missing; expected sector rows, TII, VA001-VA004, TVA, TI",
                             file=name, year=year)
    num = raw.drop(columns=[c for c in ("Description", "DescriptionInChinese") if c in raw.columns])
    try:
        num = num.apply(pd.to_numeric, errors="raise") * WAN_TO_YI
    except ValueError as exc:
        raise InputDataError(f"non-numeric cell: {exc}", file=name, year=year) from exc
    uses = [u for u in _USES if u in num.columns]
    ds = xr.Dataset(
        {
            "intermediate": (("product", "industry"), num.loc[sectors, sectors].to_numpy()),
            "value_added": (("component", "industry"), num.loc[list(_VA_ROWS), sectors].to_numpy()),
            "gross_output": ("industry", num.loc["TI", sectors].to_numpy()),
            "final_use": (("product", "use"), num.loc[sectors, uses].to_numpy()),
            "product_output": ("product", num.loc[sectors, "GO"].to_numpy()),
        },
        coords={"product": sectors, "industry": sectors, "component": list(COMPONENTS), "use": uses},
        attrs={"year": year, "source_file": name, "units": "1e8 CNY"},
    )
    check_identities(ds, name=name, totals=num)
    return ds


def check_identities(ds: xr.Dataset, *, name: str = "table", totals: pd.DataFrame | None = None,
                     rtol: float = 1e-6, rows: bool = True) -> None:
    """Column identity (gross output = intermediate inputs + value added) for every industry, and,
    with ``rows``, the row identity (output = intermediate use + final use − imports + other)."""
    go = ds["gross_output"].values
    col = ds["intermediate"].sum("product").values + ds["value_added"].sum("component").values
    scale = np.maximum(np.abs(go), 1.0)
    bad = np.flatnonzero(np.abs(col - go) > rtol * scale)
    if bad.size:
        i = bad[0]
        raise InputDataError(f"inputs {col[i]:.6g} differ from gross output {go[i]:.6g}; expected "
                             "intermediate inputs + value added = total inputs", file=name,
                             industry=str(ds.industry.values[i]), year=ds.attrs.get("year"))
    if totals is not None:
        tva = totals.loc["TVA", list(ds.industry.values)].to_numpy()
        va = ds["value_added"].sum("component").values
        bad = np.flatnonzero(np.abs(va - tva) > rtol * np.maximum(np.abs(tva), 1.0))
        if bad.size:
            i = bad[0]
            raise InputDataError(f"value-added components sum to {va[i]:.6g}, row TVA says {tva[i]:.6g}",
                                 file=name, industry=str(ds.industry.values[i]), year=ds.attrs.get("year"))
    if rows and "product_output" in ds:
        fu = ds["final_use"]
        uses = list(fu.use.values)
        supply = ds["intermediate"].sum("industry").values
        for u in uses:
            sign = -1.0 if u == "IM" else 1.0
            supply = supply + sign * fu.sel(use=u).values
        go_p = ds["product_output"].values
        bad = np.flatnonzero(np.abs(supply - go_p) > 1e-4 * np.maximum(np.abs(go_p), 1.0))
        if bad.size:
            i = bad[0]
            raise InputDataError(f"uses {supply[i]:.6g} differ from product output {go_p[i]:.6g}; "
                                 "expected intermediate + final use − imports (+ other) = output",
                                 file=name, row=str(ds["product"].values[i]), year=ds.attrs.get("year"))


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix product summed by numpy's pairwise summation instead of BLAS, so that the result does
    not depend on the BLAS library or its thread count (the bundled national tables must rebuild
    byte-identically on any machine; BLAS sums in an order that changes with its threads)."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    out = (a2[:, :, None] * b2[None, :, :]).sum(axis=1)
    if a.ndim == 1:
        out = out[0]
    return out[:, 0] if b.ndim == 1 else out


def concord(ds: xr.Dataset, matrix: xr.DataArray) -> xr.Dataset:
    """Aggregate (and split) a table with a (source × industry) concordance whose rows sum to 1."""
    c = matrix.values
    src = list(matrix["source"].values)
    if list(ds.industry.values) != src:
        raise InputDataError(f"table sectors {len(ds.industry)} do not match the concordance's {len(src)}")
    z = _dot(_dot(c.T, ds["intermediate"].values), c)
    out = xr.Dataset(
        {
            "intermediate": (("product", "industry"), z),
            "value_added": (("component", "industry"), _dot(ds["value_added"].values, c)),
            "gross_output": ("industry", _dot(ds["gross_output"].values, c)),
            "final_use": (("product", "use"), _dot(c.T, ds["final_use"].values)),
            "product_output": ("product", _dot(c.T, ds["product_output"].values)),
        },
        coords={"product": list(INDUSTRIES), "industry": list(INDUSTRIES),
                "component": list(COMPONENTS), "use": list(ds.use.values)},
        attrs=dict(ds.attrs),
    )
    return out


def national_table(year: int, prior: xr.Dataset | None = None) -> xr.Dataset:
    """The national table of ``year`` at the 139 industries (1e8 CNY). 2015 needs a 139 ``prior``."""
    ds = read_io_table(year)
    scheme = TABLE_SCHEME[year]
    if scheme == "139":
        out = ds.assign_coords(product=list(INDUSTRIES), industry=list(INDUSTRIES))
    elif scheme in ("149", "153"):
        out = concord(ds, load_concordance(scheme))
    else:
        if prior is None:
            raise InputDataError("the 42-sector table needs a 139-sector prior to be split", year=year)
        out = split_42_to_139(ds, prior, "sector42_2012")
    out.attrs["classification"] = f"{scheme} -> 139"
    check_identities(out, name=f"{TABLE_FILES[year]} concorded to 139", rows=scheme != "42")
    return out


def split_42_to_139(ds42: xr.Dataset, prior: xr.Dataset, column: str) -> xr.Dataset:
    """Split a 42-sector table to the 139 industries in proportion to ``prior`` (a 139 table)."""
    groups = load_classification()[column]
    g = groups.to_numpy()
    codes42 = list(ds42.industry.values)
    pos = np.array([codes42.index(x) for x in g])
    onehot = np.zeros((len(codes42), len(g)))
    onehot[pos, np.arange(len(g))] = 1.0

    def within(vec):  # shares of a 139 vector within its 42-sector group
        sums = _dot(onehot.T, _dot(onehot, vec))
        return np.divide(vec, sums, out=np.zeros_like(vec), where=sums != 0)

    go = ds42["gross_output"].values[pos] * within(prior["gross_output"].values)
    va42 = ds42["value_added"]
    va = np.zeros((len(COMPONENTS), len(g)))
    tva = va42.sum("component").values[pos] * within(prior["value_added"].sum("component").values)
    for k, comp in enumerate(COMPONENTS[:3]):
        va[k] = va42.sel(component=comp).values[pos] * within(prior["value_added"].sel(component=comp).values)
    va[3] = tva - va[:3].sum(axis=0)
    p = prior["intermediate"].values
    block = _dot(_dot(onehot, p), onehot.T)
    spread = _dot(_dot(onehot.T, block), onehot)
    shares = np.divide(p, spread, out=np.zeros_like(p), where=spread != 0)
    z = _dot(_dot(onehot.T, ds42["intermediate"].values), onehot) * shares
    tii = go - tva
    colsum = z.sum(axis=0)
    z = z * np.divide(tii, colsum, out=np.zeros_like(tii), where=colsum > 0)[None, :]
    fu = ds42["final_use"].values[pos, :] * np.stack(
        [within(prior["final_use"].sel(use=u).values) if u in prior.use.values else within(go)
         for u in ds42.use.values], axis=1)
    out = xr.Dataset(
        {
            "intermediate": (("product", "industry"), z),
            "value_added": (("component", "industry"), va),
            "gross_output": ("industry", go),
            "final_use": (("product", "use"), fu),
            "product_output": ("product", ds42["product_output"].values[pos] * within(prior["product_output"].values)),
        },
        coords={"product": list(INDUSTRIES), "industry": list(INDUSTRIES), "component": list(COMPONENTS),
                "use": list(ds42.use.values)},
        attrs=dict(ds42.attrs),
    )
    return out
