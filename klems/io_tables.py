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

The 149- and 153-sector tables are concorded with the matrices of :func:`klems.classification.
load_concordance` (rows and columns alike). The 42-sector table of 2015 is split to the 139 with a
139-sector prior (:func:`split_42_to_139`): each 42-sector cell is distributed in proportion to the
prior within the block, value-added components by the prior within each 42-sector column group (the
operating surplus as the residual so that each industry's components add up to its value added), and
intermediate inputs are then scaled per column so that ``gross output = intermediate inputs + value
added`` holds for every industry (the 42-sector row sums are kept only approximately for 2015).
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd
import xarray as xr

from klems.classification import INDUSTRIES, load_classification, load_concordance
from klems.errors import InputDataError

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
    with (files("klems.data") / "sources" / "io_tables" / name).open("rb") as fh:
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


def concord(ds: xr.Dataset, matrix: xr.DataArray) -> xr.Dataset:
    """Aggregate (and split) a table with a (source × industry) concordance whose rows sum to 1."""
    c = matrix.values
    src = list(matrix["source"].values)
    if list(ds.industry.values) != src:
        raise InputDataError(f"table sectors {len(ds.industry)} do not match the concordance's {len(src)}")
    z = c.T @ ds["intermediate"].values @ c
    out = xr.Dataset(
        {
            "intermediate": (("product", "industry"), z),
            "value_added": (("component", "industry"), ds["value_added"].values @ c),
            "gross_output": ("industry", ds["gross_output"].values @ c),
            "final_use": (("product", "use"), c.T @ ds["final_use"].values),
            "product_output": ("product", c.T @ ds["product_output"].values),
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
        sums = onehot.T @ (onehot @ vec)
        return np.divide(vec, sums, out=np.zeros_like(vec), where=sums != 0)

    go = ds42["gross_output"].values[pos] * within(prior["gross_output"].values)
    va42 = ds42["value_added"]
    va = np.zeros((len(COMPONENTS), len(g)))
    tva = va42.sum("component").values[pos] * within(prior["value_added"].sum("component").values)
    for k, comp in enumerate(COMPONENTS[:3]):
        va[k] = va42.sel(component=comp).values[pos] * within(prior["value_added"].sel(component=comp).values)
    va[3] = tva - va[:3].sum(axis=0)
    p = prior["intermediate"].values
    block = onehot @ p @ onehot.T
    shares = np.divide(p, onehot.T @ block @ onehot, out=np.zeros_like(p), where=(onehot.T @ block @ onehot) != 0)
    z = (onehot.T @ ds42["intermediate"].values @ onehot) * shares
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


# ---- a province's own input-output table (NBS layout) -------------------------------------------

#: sizes of the NBS sector schemes a provincial table may use
PROVINCIAL_SCHEMES = (42, 139, 149, 153)
_ROW_CODES = ("TII", "VA001", "VA002", "VA003", "VA004", "TVA", "TI")


def _letters(col: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _grid(path) -> tuple[pd.DataFrame, list[int], str]:
    """The worksheet as a grid of strings (rows, columns as in the sheet), the spreadsheet row
    number of each grid row, and the file name for messages. CSV files may be a plain export of
    the sheet or a cell dump whose first column is ``excel_row`` and header row ``excel_row,A,B…``."""
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise InputDataError("input-output table not found", file=str(p))
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        try:
            raw = pd.read_excel(p, header=None, dtype=object, sheet_name=0)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a data error
            raise InputDataError(f"cannot read the workbook: {exc}", file=p.name) from exc
        grid = raw.map(lambda v: "" if pd.isna(v) else str(v).strip()).astype(object)
        return grid, list(range(1, len(grid) + 1)), p.name
    try:
        raw = pd.read_csv(p, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputDataError(f"cannot read the CSV file: {exc}", file=p.name) from exc
    raw = raw.map(lambda v: v.strip() if isinstance(v, str) else "").astype(object)
    if raw.iloc[0, 0] == "excel_row":
        rows = [int(float(v)) for v in raw.iloc[1:, 0]]
        grid = raw.iloc[1:, 1:].reset_index(drop=True)
        grid.columns = range(grid.shape[1])
        return grid, rows, p.name
    return raw, list(range(1, len(raw) + 1)), p.name


def _unit(grid, rows, name) -> float:
    """Factor to 1e8 CNY from the unit line (单位：万元 expected; 亿元 accepted; 元 is an error)."""
    for r in range(min(len(grid), 10)):
        for c in range(grid.shape[1]):
            cell = grid.iat[r, c]
            if cell and "单位" in cell:
                unit = cell.split("：")[-1].split(":")[-1].strip().rstrip("）)")
                if unit.startswith("万元"):
                    return WAN_TO_YI
                if unit.startswith("亿元"):
                    return 1.0
                raise InputDataError(f"values are in {unit!r}; expected 万元 (10^4 CNY) as in NBS tables "
                                     "(convert the table, e.g. divide 元 by 10,000)", file=name, row=rows[r],
                                     column=_letters(c))
    raise InputDataError("no unit line found in the first 10 rows; expected a cell '单位：万元'", file=name)


def read_provincial_table(path, *, year: int | None = None) -> xr.Dataset:
    """A province's input-output table in the NBS layout (42 sectors, or the 139/149/153-sector
    detail), from a workbook (first sheet) or CSV, in 1e8 CNY.

    Layout: a header row with ``代码`` above the code column and the column codes (sector codes,
    ``TIU``, final-use codes such as ``FU201``, ``TFU``, ``GO``); rows coded with the sector codes,
    ``TII``, ``VA001``–``VA004``, ``TVA``, ``TI``; a unit line ``单位：万元``. Checked: the unit,
    the sector codes (``01``…``42`` for 42 sectors; 139/149/153 codes in order), that every cell is a
    number, and the identities of every column (intermediate inputs + value added = total input;
    VA001..VA004 = TVA) and row (intermediate use = TIU; TIU + TFU = GO; GO = TI). Errors name the
    spreadsheet row and column. Returns ``intermediate`` (product × industry), ``value_added``
    (component × industry), ``gross_output``, ``final_use`` (product × use) and ``product_output``,
    with attrs ``year``, ``scheme`` and ``source_file``.
    """
    import re

    grid, rows, name = _grid(path)
    factor = _unit(grid, rows, name)
    head = next((r for r in range(len(grid)) if "GO" in set(grid.iloc[r]) and
                 ("TIU" in set(grid.iloc[r]) or "代码" in set(grid.iloc[r]))), None)
    if head is None:
        raise InputDataError("no header row with the column codes (TIU … GO) found; expected the NBS layout",
                             file=name)
    header = list(grid.iloc[head])
    code_col = next((c for c in range(grid.shape[1]) if any(grid.iat[r, c] == "TII" for r in range(head, len(grid)))),
                    None)
    if code_col is None:
        raise InputDataError("no row coded TII found; expected the row codes in one column", file=name)
    sector_cols = [c for c, v in enumerate(header) if v.isdigit() and c > code_col]
    codes = [header[c] for c in sector_cols]
    n = len(codes)
    if n not in PROVINCIAL_SCHEMES:
        raise InputDataError(f"{n} sector columns; expected one of {PROVINCIAL_SCHEMES} (NBS schemes)", file=name,
                             row=rows[head])
    expected = [f"{i:02d}" for i in range(1, 43)] if n == 42 else None
    if expected is None and all(len(c) == 3 for c in codes):
        expected = [f"{i:03d}" for i in range(1, n + 1)]
    if expected is not None and codes != expected:
        bad = next(i for i, (a, b) in enumerate(zip(codes, expected)) if a != b)
        raise InputDataError(f"unknown or misplaced sector code {codes[bad]!r}; expected {expected[bad]!r}",
                             file=name, row=rows[head], column=_letters(sector_cols[bad]))
    if len(set(codes)) != n:
        raise InputDataError("duplicate sector codes", file=name, row=rows[head])
    row_of = {}
    for r in range(head + 1, len(grid)):
        code = grid.iat[r, code_col]
        if code:
            row_of.setdefault(code, r)
    for code in (*codes, *_ROW_CODES):
        if code not in row_of:
            raise InputDataError(f"row {code!r} missing; expected the sector rows, TII, VA001-VA004, TVA, TI",
                                 file=name, column=_letters(code_col))
    col_of = {v: c for c, v in enumerate(header) if v}
    for code in ("TIU", "TFU", "GO"):
        if code not in col_of:
            raise InputDataError(f"column {code!r} missing; expected TIU, the final uses, TFU and GO", file=name,
                                 row=rows[head])

    def number(r, c):
        v = grid.iat[r, c]
        try:
            x = float(v) if v else 0.0
        except ValueError:
            raise InputDataError(f"cell {v!r} is not a number", file=name, row=rows[r], column=_letters(c)) from None
        if not np.isfinite(x):
            raise InputDataError("cell is not finite", file=name, row=rows[r], column=_letters(c))
        return x * factor

    rs = [row_of[c] for c in codes]
    block = np.array([[number(r, c) for c in sector_cols] for r in rs])
    va = np.array([[number(row_of[v], c) for c in sector_cols] for v in _VA_ROWS])
    tot = {v: np.array([number(row_of[v], c) for c in sector_cols]) for v in ("TII", "TVA", "TI")}
    uses = [v for v in header[max(sector_cols) + 1:] if v and re.fullmatch(r"[A-Z]{2,3}\d*", v)]
    fin = {u: np.array([number(r, col_of[u]) for r in rs]) for u in uses}
    tol = lambda ref: 1e-6 * np.maximum(np.abs(ref), 1.0) + 0.5 * factor  # noqa: E731 (rounding of printed cells)

    def check(lhs, rhs, what, rows_or_cols, axis):
        bad = np.flatnonzero(np.abs(lhs - rhs) > tol(rhs))
        if bad.size:
            i = bad[0]
            where = dict(row=rows[rows_or_cols[i]], column=_letters(axis)) if isinstance(axis, int) else \
                dict(row=rows[axis[0]], column=_letters(rows_or_cols[i]))
            raise InputDataError(f"{what}: {lhs[i] / factor:.6g} vs {rhs[i] / factor:.6g}", file=name, **where)

    check(block.sum(axis=0), tot["TII"], "intermediate inputs do not add up to TII", sector_cols, (row_of["TII"],))
    check(va.sum(axis=0), tot["TVA"], "VA001-VA004 do not add up to TVA", sector_cols, (row_of["TVA"],))
    check(tot["TII"] + tot["TVA"], tot["TI"], "TII + TVA differs from total input TI", sector_cols, (row_of["TI"],))
    check(block.sum(axis=1), fin["TIU"], "intermediate use does not add up to TIU", rs, col_of["TIU"])
    check(fin["TIU"] + fin["TFU"], fin["GO"], "TIU + TFU differs from total output GO", rs, col_of["GO"])
    check(fin["GO"], tot["TI"], "total output GO differs from total input TI of the same sector", rs, col_of["GO"])
    if year is None:
        title = " ".join(v for v in grid.iloc[:head].to_numpy().ravel() if v)
        found = re.findall(r"(20\d\d)", title)
        if not found:
            raise InputDataError("the table's year is not in its title; pass year=", file=name)
        year = int(found[0])
    fu = [u for u in uses if u not in ("TIU", "GO")]
    return xr.Dataset(
        {"intermediate": (("product", "industry"), block), "value_added": (("component", "industry"), va),
         "gross_output": ("industry", tot["TI"]),
         "final_use": (("product", "use"), np.stack([fin[u] for u in fu], axis=1)),
         "product_output": ("product", fin["GO"])},
        coords={"product": codes, "industry": codes, "component": list(COMPONENTS), "use": fu},
        attrs={"year": year, "scheme": str(n), "source_file": name, "units": "1e8 CNY"})


def _to_139(table: xr.Dataset, weights: xr.DataArray) -> dict[str, np.ndarray]:
    """Value added, components and gross output of a provincial table at the 139 industries: the
    149/153 detail by the concordances, the 42 sectors split by ``weights`` (the province's own
    value added by industry) within each 42-sector group (equal split where those are all 0)."""
    from klems.classification import membership

    scheme = table.attrs["scheme"]
    comps = table["value_added"].values
    go = table["gross_output"].values
    if scheme == "139":
        return {"components": comps, "gross_output": go}
    if scheme in ("149", "153"):
        c = load_concordance(scheme).values
        if c.shape[0] != comps.shape[1]:
            raise InputDataError(f"{comps.shape[1]} sectors do not match the {scheme}-sector concordance",
                                 file=table.attrs.get("source_file"))
        return {"components": comps @ c, "gross_output": go @ c}
    m = membership("sector42_2017").values                     # 42 x 139
    w = weights.values
    sums = m.T @ (m @ w)
    n = m.T @ m.sum(axis=1)
    share = np.where(sums > 0, w / np.where(sums > 0, sums, 1.0), 1.0 / n)
    return {"components": (comps @ m) * share, "gross_output": (go @ m) * share}


def apply_provincial_table(ds: xr.Dataset, table: xr.Dataset, *, span: int = 5) -> xr.Dataset:
    """A province dataset (``klems.load_dataset``) with its structure replaced by the province's own
    input-output table (:func:`read_provincial_table`) in the table's year T and anchored in the
    neighbouring years.

    Year T: value added by industry takes the table's structure (42-sector groups split by the
    dataset's own industry shares; 149/153 by the concordances), scaled within each sector to the
    dataset's published sector totals; the output/value-added ratio and the value-added components
    (labour compensation, net production taxes, depreciation, operating surplus) are the table's.
    Year t ≠ T: the dataset's series moved towards the table by the weight
    ``w = max(0, 1 − |t − T| / span)`` (value added and output ratios multiplicatively, component
    shares additively), value added again scaled to the sector totals. Employment follows value added
    within sectors; ICT investment is re-allocated over industries with the change of gross output
    (each asset's provincial total kept, as the build allocates by use × output). Statuses: T
    ``derived``, anchored years ``modelled``. Non-ICT capital stocks are left as built.
    """
    from klems.classification import membership

    year = int(table.attrs["year"])
    if year not in ds.year.values:
        raise InputDataError(f"the table's year {year} is outside the dataset's years "
                             f"{int(ds.year.values[0])}-{int(ds.year.values[-1])}", year=year)
    if span < 1:
        raise InputDataError(f"span must be >= 1 year, got {span}")
    out = ds.copy(deep=True)
    t139 = _to_139(table, ds["value_added"].sel(year=year))
    sec = membership("sector", groups=("primary", "secondary", "tertiary")).values
    va_tab = t139["components"].sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        comp_tab = np.where(va_tab > 0, t139["components"] / np.where(va_tab > 0, va_tab, 1.0), np.nan)
        ratio_tab = np.where(va_tab > 0, t139["gross_output"] / np.where(va_tab > 0, va_tab, 1.0), np.nan)
    years = [int(y) for y in ds.year.values]
    va_old = ds["value_added"].transpose("industry", "year").values
    go_old = ds["gross_output"].transpose("industry", "year").values
    names = ("labour_compensation", "net_production_taxes", "depreciation")
    comps_old = np.stack([ds[n].transpose("industry", "year").values for n in names], axis=0)
    surplus_old = ds["capital_compensation"].transpose("industry", "year").values - comps_old[2]
    comps_old = np.concatenate([comps_old, surplus_old[None]], axis=0)
    sector_tot = ds["value_added_sector"].transpose("sector", "year").values
    T = years.index(year)
    base = va_old[:, T]
    tab_scaled = va_tab * (sec.T @ np.divide(sector_tot[:, T], sec @ va_tab, out=np.zeros(3), where=sec @ va_tab > 0))
    factor = np.divide(tab_scaled, base, out=np.ones_like(base), where=base > 0)
    va_new = np.zeros_like(va_old)
    go_new = np.zeros_like(go_old)
    comps_new = np.zeros_like(comps_old)
    for t, y in enumerate(years):
        w = max(0.0, 1.0 - abs(y - year) / span)
        v = np.where(base > 0, va_old[:, t] * (1 + w * (factor - 1)),
                     va_old[:, t] + w * tab_scaled * (sec.T @ np.divide(sector_tot[:, t], sector_tot[:, T])))
        v = v * (sec.T @ np.divide(sector_tot[:, t], sec @ v, out=np.zeros(3), where=sec @ v > 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            r_old = np.where(va_old[:, t] > 0, go_old[:, t] / va_old[:, t], np.nan)
            r_old_T = np.where(base > 0, go_old[:, T] / base, np.nan)
            s_old = np.where(va_old[:, t] > 0, comps_old[:, :, t] / va_old[:, t], np.nan)
            s_old_T = np.where(base > 0, comps_old[:, :, T] / base, np.nan)
        g = np.where(np.isfinite(ratio_tab) & np.isfinite(r_old_T), ratio_tab / r_old_T, 1.0)
        r = np.where(np.isfinite(r_old), r_old, np.where(np.isfinite(ratio_tab), ratio_tab, 1.0)) * (1 + w * (g - 1))
        shift = np.where(np.isfinite(comp_tab) & np.isfinite(s_old_T), comp_tab - s_old_T, 0.0)
        s = np.where(np.isfinite(s_old), s_old, np.where(np.isfinite(comp_tab), comp_tab, 0.25)) + w * shift
        va_new[:, t], go_new[:, t], comps_new[:, :, t] = v, v * r, s * v
    changed = {"value_added": va_new, "gross_output": go_new, "intermediate_inputs": go_new - va_new,
               "labour_compensation": comps_new[0], "net_production_taxes": comps_new[1],
               "depreciation": comps_new[2], "capital_compensation": comps_new[2] + comps_new[3]}
    status = np.array(["derived" if y == year else ("modelled" if abs(y - year) < span else None) for y in years],
                      dtype=object)
    for name, values in changed.items():
        if name not in out:
            continue
        out[name] = (("industry", "year"), values, dict(ds[name].attrs))
        st = out[f"{name}_status"].values.copy()
        st[status != None] = status[status != None]  # noqa: E711 (object array)
        out[f"{name}_status"] = ("year", st, dict(ds[f"{name}_status"].attrs))
    ratio_go = np.divide(go_new, go_old, out=np.ones_like(go_new), where=go_old > 0)
    if "ict_investment" in out:
        ict = ds["ict_investment"].transpose("industry", "asset", "year")
        moved = ict * xr.DataArray(ratio_go, dims=("industry", "year"), coords={"industry": ict.industry,
                                                                                 "year": ict.year})
        moved = moved * (ict.sum("industry") / moved.sum("industry").where(moved.sum("industry") > 0)).fillna(0.0)
        out["ict_investment"] = moved.transpose(*ds["ict_investment"].dims).assign_attrs(ds["ict_investment"].attrs)
        if "ict_allocation" in out:
            alloc = moved / moved.sum("industry").where(moved.sum("industry") > 0)
            out["ict_allocation"] = alloc.fillna(0.0).transpose(*ds["ict_allocation"].dims).assign_attrs(
                ds["ict_allocation"].attrs)
    if "employment" in out and "employment_sector" in out:
        emp = ds["employment"].transpose("industry", "year").values * np.divide(va_new, va_old, out=np.ones_like(va_new),
                                                                                 where=va_old > 0)
        emp_tot = ds["employment_sector"].transpose("sector", "year").values
        emp = emp * (sec.T @ np.divide(emp_tot, sec @ emp, out=np.zeros_like(emp_tot), where=sec @ emp > 0))
        out["employment"] = (("industry", "year"), emp, dict(ds["employment"].attrs))
    out.attrs["io_table"] = (f"{table.attrs.get('source_file', '')} ({table.attrs['scheme']} sectors, {year}); "
                             f"anchored over +/-{span - 1} years with weight 1 - |t - {year}|/{span}")
    return out
