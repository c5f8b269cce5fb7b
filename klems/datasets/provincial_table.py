"""A province's own input-output table (NBS layout): reading and checking it, and replacing the
regionalised structure of a province dataset with it.

:func:`read_provincial_table` reads the 42-sector table or the 139/149/153-sector detail from a
workbook or CSV and checks the unit (万元), the sector codes and every row and column identity,
naming the spreadsheet row and column of a problem. :func:`apply_provincial_table` puts the
table's structure into a dataset of :func:`klems.load_dataset` for the table's year and anchors
the neighbouring years. Example: 重庆 2023 (``klems.data/sources/io_tables/
chongqing_2023_42_grid.csv``, provenance in ``data/sources/PROVENANCE.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError
from klems.datasets.classification import load_concordance, membership
from klems.datasets.io_tables import _VA_ROWS, COMPONENTS, WAN_TO_YI

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
        def text(v):
            if pd.isna(v):
                return ""
            if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
                return str(int(v))           # codes typed as numbers (1 for "01"); figures keep their value
            return str(v).strip()

        grid = raw.map(text).astype(object)
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
    n = len(sector_cols)
    width = 2 if n == 42 else 3

    def pad(code):  # codes typed as numbers lose their leading zeros
        return code.zfill(width) if code.isdigit() and len(code) < width else code

    codes = [pad(header[c]) for c in sector_cols]
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
        code = pad(grid.iat[r, code_col])
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
