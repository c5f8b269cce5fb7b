"""Bring your own data: read a filled-in template, validate it strictly, build the dataset.

``read_input(path)`` reads an .xlsx workbook or a folder of CSV files written by ``klems
template`` (layout: :mod:`klems.inputs.layout`; files: :mod:`klems.inputs.cells`), checks everything
and returns an :class:`xarray.Dataset` in the layout of :func:`klems.load_dataset` (plus
``ict_deflator``, which :func:`klems.estimate.estimate` then uses instead of the default ICT
deflators). All problems are collected and raised together as one
:class:`~klems.base.errors.InputDataError`, one line per problem naming the sheet, cell, industry,
asset and year and what was expected:

* missing sheets or columns; header rows not found; merged cells;
* unknown, duplicate, blank or missing industry codes, unknown assets or sectors;
* missing years and gaps; blank, NaN, error or non-numeric cells;
* negative investment or output; non-positive values where logarithms are taken;
* shares outside [0, 1]; unit mix-ups (万元 entered where 亿元 is expected), detected from each
  sheet's yearly totals against GDP; broken identities (value added = labour + net taxes +
  capital compensation; gross output = value added + intermediates; Σ value added = GDP).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.provinces import province as _province
from klems.base.vocabulary import ASSET_ALIASES, ICT_ASSETS as ASSETS, SECTORS
from klems.inputs.cells import Grid, Problems, cell_ref, parse_number, read_grids, text
from klems.inputs.layout import (
    INDUSTRY_SERIES,
    PRICE_SERIES,
    REQUIRED_SHEETS,
    SECTOR_ALIASES,
    SHEET_ZH,
    SMALLEST,
    STATUS_VALUES,
    TOTALS_SERIES,
    Series,
    year_of,
)
from klems.pipeline.published import FIGURES

IDENTITY_TOLERANCE = 0.005      # relative, of value added / gross output
IDENTITY_FLOOR = 0.05           # 1e8 CNY: rounding of published tables
GDP_TOLERANCE = 0.01            # Σ value added against GDP
UNIT_FACTOR = 100.0             # a sheet total this far outside its plausible range is a unit error


def _norm_code(v) -> str | None:
    s = text(v)
    if not s:
        return None
    if s.isdigit() and len(s) < 3:
        s = s.zfill(3)
    return s


class _Sheet:
    """Header of one grid: where the English header row is, the columns and the year columns."""

    def __init__(self, grid: Grid, key: str, P: Problems):
        self.grid, self.ok, self.P = grid, False, P
        self.sheet = grid.source
        for i in range(min(3, len(grid.rows))):
            if text(grid.value(i, 0)).lower() == key:
                self.hrow, self.start = i, (1 if i == 0 else 3)
                break
        else:
            P.add(f"no header row; expected {key!r} in cell A2 (the English header row under the "
                  "Chinese one)", sheet=self.sheet, cell="A2")
            return
        self.cols: dict[str, int] = {}
        self.years: dict[int, int] = {}
        for j, h in enumerate(self.grid.rows[self.hrow]):
            y = year_of(h)
            name = text(h).lower()
            if y is not None:
                if y in self.years:
                    P.add(f"year {y} has two columns ({cell_ref(self.hrow, self.years[y])} and "
                          f"{cell_ref(self.hrow, j)}); expected one column per year",
                          sheet=self.sheet, cell=cell_ref(self.hrow, j), year=y)
                else:
                    self.years[y] = j
            elif name:
                if name in self.cols:
                    P.add(f"column {name!r} appears twice; expected one", sheet=self.sheet,
                          cell=cell_ref(self.hrow, j))
                else:
                    self.cols[name] = j
        self.ok = True

    def need(self, names) -> bool:
        missing = [n for n in names if n not in self.cols]
        if missing:
            self.P.add(f"missing column(s) {', '.join(missing)}; expected English headers "
                       f"{', '.join(names)} in row {self.hrow + 1}", sheet=self.sheet)
        return not missing

    def data_rows(self):
        for r in range(self.start, len(self.grid.rows)):
            row = self.grid.rows[r]
            if any(v is not None and text(v) for v in row):
                yield r, row


def _check_years(years: list[int], sheet: str, P: Problems, ref: list[int] | None) -> None:
    if ref is None:
        ys = sorted(years)
        for a, b in zip(ys, ys[1:]):
            if b != a + 1:
                P.add(f"years jump from {a} to {b}; expected consecutive years (fill in "
                      f"{', '.join(str(y) for y in range(a + 1, b))})", sheet=sheet, year=a + 1)
        if len(ys) < 3:
            P.add(f"{len(ys)} year column(s); expected at least 3 consecutive years",
                  sheet=sheet)
        return
    missing = [y for y in ref if y not in years]
    if missing:
        P.add(f"year(s) {', '.join(map(str, missing))} missing; expected a column for every "
              f"year {ref[0]}-{ref[-1]} as in sheet value_added", sheet=sheet, year=missing[0])


def _value(P, sh, r, c, s: Series, industry=None, asset=None, year=None) -> float:
    x, why = parse_number(sh.grid.value(r, c))
    where = dict(sheet=sh.sheet, cell=cell_ref(r, c), industry=industry, asset=asset, year=year)
    if why == "blank cell" and sh.grid.formula(r, c):
        P.add(f"formula {sh.grid.formula(r, c)[:40]!r} without a calculated value (the file was "
              "saved by a program that does not calculate formulas); expected a number: open "
              "and save it in Excel or WPS, or paste the values", kind="formula", **where)
        return np.nan
    if why:
        P.add(f"{why}; expected a number ({s.en}, {s.units})", kind="value", **where)
        return np.nan
    if abs(x) > s.largest:
        P.add(f"{x:g} is implausibly large for {s.en}; expected at most {s.largest:g} "
              f"{s.units}: check the number and its units", kind="magnitude", **where)
        return np.nan
    if 0 < abs(x) < SMALLEST:
        P.add(f"{x:g} is implausibly small for {s.en} (a non-zero value below {SMALLEST:g} "
              f"{s.units}); expected 0 or a measurable value", kind="magnitude", **where)
        return np.nan
    if s.rule == "nonneg" and x < 0:
        P.add(f"negative value {x:g}; expected {s.en} >= 0", kind="negative", **where)
        return np.nan
    if s.rule == "positive" and x <= 0:
        P.add(f"{'zero' if x == 0 else 'negative'} value {x:g}; expected {s.en} > 0 "
              f"(logarithms are taken for {s.log_reason})", kind="nonpositive", **where)
        return np.nan
    return x


def _industries(grid: Grid, P: Problems):
    sh = _Sheet(grid, "code", P)
    if not sh.ok or not sh.need(["code", "sector", "di_share"]):
        return None
    rows, seen = [], {}
    for r, row in sh.data_rows():
        code = _norm_code(sh.grid.value(r, sh.cols["code"]))
        where = dict(sheet=sh.sheet, cell=cell_ref(r, sh.cols["code"]))
        if code is None:
            P.add("blank industry code; expected a code for every industry row", **where)
            continue
        if code in seen:
            P.add(f"duplicate industry code {code!r} (rows {seen[code] + 1} and {r + 1}); "
                  "expected each code once", industry=code, **where)
            continue
        seen[code] = r
        raw_sector = text(sh.grid.value(r, sh.cols["sector"]))
        sector = SECTOR_ALIASES.get(raw_sector, raw_sector.lower())
        if sector not in SECTORS:
            P.add(f"sector {raw_sector!r}; expected one of {', '.join(SECTORS)} (or 第一/二/三产业)",
                  sheet=sh.sheet, cell=cell_ref(r, sh.cols["sector"]), industry=code)
        c = sh.cols["di_share"]
        share, why = parse_number(sh.grid.value(r, c), percent=True)
        if why:
            P.add(f"{why}; expected a DI share between 0 and 1", sheet=sh.sheet,
                  cell=cell_ref(r, c), industry=code)
        elif not 0.0 <= share <= 1.0:
            P.add(f"DI share {share:g} outside [0, 1]; expected a share of value added between "
                  "0 and 1", sheet=sh.sheet, cell=cell_ref(r, c), industry=code)
        names = [text(sh.grid.value(r, sh.cols[k])) if k in sh.cols else ""
                 for k in ("name_zh", "name_en")]
        rows.append((code, *names, sector, share if share is not None else np.nan))
    if not rows:
        P.add("no industries; expected one row per industry below the header rows",
              sheet=sh.sheet)
        return None
    return rows


def _industry_table(grid: Grid, s: Series, codes: list[str], P: Problems, ref_years):
    """(values array industry[, asset], year) with NaN where a problem was reported."""
    sh = _Sheet(grid, "code", P)
    need = ["code", "asset"] if s.kind == "industry_asset" else ["code"]
    if not sh.ok or not sh.need(need):
        return None, None
    years = sorted(sh.years)
    if not years:
        P.add("no year columns; expected one column per year headed 2000, 2001, ...",
              sheet=sh.sheet)
        return None, None
    _check_years(years, sh.sheet, P, ref_years)
    use = ref_years or years
    pos = {c: i for i, c in enumerate(codes)}
    shape = (len(codes), len(ASSETS), len(use)) if s.kind == "industry_asset" \
        else (len(codes), len(use))
    out = np.full(shape, np.nan)
    filled, seen = np.zeros(shape[:-1], bool), {}
    for r, row in sh.data_rows():
        code = _norm_code(sh.grid.value(r, sh.cols["code"]))
        where = dict(sheet=sh.sheet, cell=cell_ref(r, sh.cols["code"]))
        if code is None:
            P.add("blank industry code; expected a code of sheet industries", **where)
            continue
        if code not in pos:
            P.add(f"unknown industry code {code!r}; expected one of the codes of sheet "
                  "industries", industry=code, **where)
            continue
        idx, asset = (pos[code],), None
        if s.kind == "industry_asset":
            raw = text(sh.grid.value(r, sh.cols["asset"]))
            asset = ASSET_ALIASES.get(raw, raw.lower())
            if asset not in ASSETS:
                P.add(f"unknown asset {raw!r}; expected one of {', '.join(ASSETS)}",
                      sheet=sh.sheet, cell=cell_ref(r, sh.cols["asset"]), industry=code)
                continue
            idx = (pos[code], ASSETS.index(asset))
        key = (code, asset)
        if key in seen:
            P.add(f"industry {code}{f' ({asset})' if asset else ''} appears twice (rows "
                  f"{seen[key] + 1} and {r + 1}); expected one row per industry"
                  f"{' and asset' if asset else ''}", industry=code, asset=asset, **where)
            continue
        seen[key] = r
        filled[idx] = True
        for k, y in enumerate(use):
            if y in sh.years:
                out[idx + (k,)] = _value(P, sh, r, sh.years[y], s, code, asset, y)
    if not filled.all():
        if s.kind == "industry_asset":
            lacking = [f"{codes[i]} ({ASSETS[a]})" for i, a in np.argwhere(~filled)]
        else:
            lacking = [codes[i] for i in np.flatnonzero(~filled)]
        shown = ", ".join(lacking[:10]) + (", ..." if len(lacking) > 10 else "")
        P.add(f"no row for {len(lacking)} industr{'y' if len(lacking) == 1 else 'ies'} "
              f"({shown}); expected one row per industry of sheet industries"
              f"{' and ICT asset' if s.kind == 'industry_asset' else ''}", sheet=sh.sheet,
              industry=lacking[0] if len(lacking) == 1 else None)
    return out, years


def _year_table(grid: Grid, series: tuple[Series, ...], P: Problems, ref_years):
    sh = _Sheet(grid, "year", P)
    names = [s.var for s in series]
    if not sh.ok or not sh.need(["year", *names]):
        return None
    out = {s.var: np.full(len(ref_years), np.nan) for s in series}
    found = {}
    for r, row in sh.data_rows():
        c = sh.cols["year"]
        y = year_of(sh.grid.value(r, c))
        if y is None:
            P.add(f"year cell {text(sh.grid.value(r, c))[:20]!r}; expected a year such as 2000",
                  sheet=sh.sheet, cell=cell_ref(r, c))
            continue
        if y in found:
            P.add(f"year {y} appears twice (rows {found[y] + 1} and {r + 1}); expected one row "
                  "per year", sheet=sh.sheet, cell=cell_ref(r, c), year=y)
            continue
        found[y] = r
        if y in ref_years:
            for s in series:
                out[s.var][ref_years.index(y)] = _value(P, sh, r, sh.cols[s.var], s, year=y)
    if found:
        missing = [y for y in ref_years if y not in found]
        if missing:
            P.add(f"year(s) {', '.join(map(str, missing))} missing; expected a row for every "
                  f"year {ref_years[0]}-{ref_years[-1]}", sheet=sh.sheet, year=missing[0])
    else:
        P.add("no data rows; expected one row per year", sheet=sh.sheet)
    return out


def _unit_checks(values: dict, gdp: np.ndarray, sheets: dict, P: Problems) -> set[str]:
    """Sheets whose yearly totals are implausible against GDP (万元 vs 亿元); returns them."""
    ratios = {}
    for s in (*INDUSTRY_SERIES, *TOTALS_SERIES):
        if s.gdp_ratio is None or values.get(s.var) is None:
            continue
        v = values[s.var]
        total = np.nansum(v.reshape(-1, v.shape[-1]), axis=0) if v.ndim > 1 else v
        with np.errstate(divide="ignore", invalid="ignore"):
            r = total / gdp
        r = r[np.isfinite(r) & (r > 0)]
        if r.size:
            ratios[s] = float(np.median(r))
    low = [s for s, r in ratios.items() if r < s.gdp_ratio[0] / UNIT_FACTOR]
    if len(low) >= max(2, len(ratios) // 2):
        P.add(f"GDP is about {1 / ratios[low[0]]:,.0f} times the industries' "
              f"{low[0].en}; expected GDP in 亿元 (1e8 CNY): it looks like 万元 (10^4 CNY) — "
              "divide by 10 000", sheet=sheets.get("totals", "totals"), column="gdp")
        return {"gdp"}
    bad = set()
    for s, r in ratios.items():
        lo, hi = s.gdp_ratio
        sheet = sheets.get(s.sheet, s.sheet)
        if r > hi * UNIT_FACTOR:
            hint = ("it looks like 万元 (10^4 CNY) — divide by 10 000" if 1e3 <= r / hi <= 1e5
                    else "check the units")
            P.add(f"{s.en} totals about {r:,.0f} times GDP; expected {lo:g}-{hi:g} times GDP "
                  f"in {s.units} (亿元): {hint}", kind="units", sheet=sheet)
            bad.add(s.var)
        elif r < lo / UNIT_FACTOR:
            P.add(f"{s.en} totals only {r:.2g} times GDP; expected {lo:g}-{hi:g} times GDP in "
                  f"{s.units} (亿元): entered in 万亿元 or with too few industries?",
                  kind="units", sheet=sheet)
            bad.add(s.var)
    return bad


def _identities(v: dict, gdp, codes, years, sheets, bad: set, P: Problems) -> None:
    names = ("value_added", "labour_compensation", "net_production_taxes",
             "capital_compensation")
    sheet = sheets.get("value_added", "value_added")
    if all(v.get(n) is not None for n in names) and not bad & set(names):
        va, lab, tax, cap = (v[n] for n in names)
        diff = va - (lab + tax + cap)
        for i, k in np.argwhere(np.abs(diff) > np.maximum(IDENTITY_TOLERANCE * np.abs(va),
                                                          IDENTITY_FLOOR)):
            P.add(f"value added {va[i, k]:,.2f} ≠ labour {lab[i, k]:,.2f} + net taxes "
                  f"{tax[i, k]:,.2f} + capital {cap[i, k]:,.2f} = {va[i, k] - diff[i, k]:,.2f} "
                  f"(difference {diff[i, k]:,.2f}); expected equal within "
                  f"{100 * IDENTITY_TOLERANCE:g} %", kind="identity VA", sheet=sheet,
                  industry=codes[i], year=years[k])
    names = ("gross_output", "value_added", "intermediate_inputs")
    if all(v.get(n) is not None for n in names) and not bad & set(names):
        go, va, mid = (v[n] for n in names)
        diff = go - va - mid
        for i, k in np.argwhere(np.abs(diff) > np.maximum(IDENTITY_TOLERANCE * np.abs(go),
                                                          IDENTITY_FLOOR)):
            P.add(f"gross output {go[i, k]:,.2f} ≠ value added {va[i, k]:,.2f} + intermediate "
                  f"inputs {mid[i, k]:,.2f} (difference {diff[i, k]:,.2f}); expected equal "
                  f"within {100 * IDENTITY_TOLERANCE:g} %", kind="identity GO",
                  sheet=sheets.get("gross_output", "gross_output"), industry=codes[i],
                  year=years[k])
    if v.get("value_added") is not None and gdp is not None and not bad & {"value_added", "gdp"}:
        total = np.nansum(v["value_added"], axis=0)
        for k in np.flatnonzero(np.abs(total / gdp - 1.0) > GDP_TOLERANCE):
            P.add(f"the industries' value added sums to {total[k]:,.2f} but GDP is "
                  f"{gdp[k]:,.2f} ({100 * (total[k] / gdp[k] - 1):+.1f} %); expected equal "
                  f"within {100 * GDP_TOLERANCE:g} % (every industry of the economy)",
                  kind="identity GDP", sheet=sheets.get("totals", "totals"), year=years[k])


def _status(grid: Grid | None, years, P: Problems) -> dict[str, list[str]]:
    if grid is None:
        return {}
    sh = _Sheet(grid, "variable", P)
    if not sh.ok:
        return {}
    known = {s.var for s in (*INDUSTRY_SERIES, *TOTALS_SERIES, *PRICE_SERIES)}
    out = {}
    for r, row in sh.data_rows():
        var = text(sh.grid.value(r, sh.cols.get("variable", 0)))
        if var not in known:
            P.add(f"unknown variable {var!r}; expected one of the input series "
                  f"({', '.join(sorted(known)[:4])}, ...)", sheet=sh.sheet, cell=cell_ref(r, 0))
            continue
        vals = []
        for y in years:
            raw = text(sh.grid.value(r, sh.years[y])).lower() if y in sh.years else "modelled"
            if raw not in STATUS_VALUES:
                P.add(f"status {raw!r}; expected one of {', '.join(STATUS_VALUES)}",
                      kind="status", sheet=sh.sheet, cell=cell_ref(r, sh.years[y]), year=y)
            vals.append(raw)
        out[var] = vals
    return out


def _published(grid: Grid | None, P: Problems) -> list[dict]:
    if grid is None:
        return []

    sh = _Sheet(grid, "figure", P)
    if not sh.ok or not sh.need(["figure", "year", "value"]):
        return []
    out = []
    for r, row in sh.data_rows():
        fig = text(sh.grid.value(r, sh.cols["figure"]))
        if fig not in FIGURES:
            P.add(f"unknown figure {fig!r}; expected one of {', '.join(FIGURES)}",
                  sheet=sh.sheet, cell=cell_ref(r, sh.cols["figure"]))
            continue
        y = year_of(sh.grid.value(r, sh.cols["year"]))
        x, why = parse_number(sh.grid.value(r, sh.cols["value"]))
        if y is None:
            P.add("year is not a year; expected e.g. 2021", sheet=sh.sheet,
                  cell=cell_ref(r, sh.cols["year"]))
        elif why:
            P.add(f"{why}; expected the published value", sheet=sh.sheet,
                  cell=cell_ref(r, sh.cols["value"]), year=y)
        elif abs(x) > 1e12 or 0 < abs(x) < SMALLEST:
            P.add(f"{x:g} is not a plausible published figure; expected a value between "
                  f"{SMALLEST:g} and 1e12 in magnitude", sheet=sh.sheet,
                  cell=cell_ref(r, sh.cols["value"]), year=y)
        else:
            unit = text(sh.grid.value(r, sh.cols["unit"])) if "unit" in sh.cols else ""
            out.append({"figure": fig, "year": y, "value": x, "unit": unit})
    return out


def _summary_status(values: list[str], years) -> str:
    groups: dict[str, list[int]] = {}
    for v, y in zip(values, years):
        groups.setdefault(v, []).append(int(y))
    return "; ".join(f"{k} {_spans(ys)}" for k, ys in groups.items())


def _spans(ys: list[int]) -> str:
    out, start = [], ys[0]
    for a, b in zip(ys, ys[1:] + [None]):
        if b != a + 1:
            out.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ",".join(out)


def read_input(path, *, problems: Problems | None = None) -> xr.Dataset:
    """Read, validate and assemble a user's input (workbook or CSV folder); see the module doc."""
    path = Path(path)
    P = problems or Problems(str(path))
    grids = read_grids(path, SHEET_ZH, P)
    if not any(name in grids for name in REQUIRED_SHEETS):
        P.raise_if_any()
        raise InputDataError(
            f"none of the input sheets found; expected {'CSV files' if path.is_dir() else 'sheets'}"
            f" named {', '.join(REQUIRED_SHEETS[:3])}, ... as written by 'klems template'",
            file=str(path))
    for name in REQUIRED_SHEETS:
        if name not in grids and name not in P.unreadable:
            what = (f"file {name}.csv" if path.is_dir()
                    else f"sheet named {name} or {SHEET_ZH[name]}")
            P.add(f"missing sheet {name!r} ({SHEET_ZH[name]}); expected a {what}",
                  kind="missing sheet", sheet=name)
    sheets = {k: g.source for k, g in grids.items()}
    inds = _industries(grids["industries"], P) if "industries" in grids else None
    if inds is None:
        P.raise_if_any()
    codes = [r[0] for r in inds]
    ref = None
    if "value_added" in grids:
        sh = _Sheet(grids["value_added"], "code", Problems(P.file))  # reported below
        if sh.ok and sh.years:
            ref = sorted(sh.years)
    if ref is None:
        if "value_added" not in P.unreadable:       # an unreadable sheet is reported already
            P.add("no year columns; expected one column per year headed 2000, 2001, ...",
                  sheet=sheets.get("value_added", "value_added"))
        P.raise_if_any()
    values = {}
    for s in INDUSTRY_SERIES:
        if s.sheet in grids:
            values[s.var], _ = _industry_table(grids[s.sheet], s, codes, P,
                                               None if s.var == "value_added" else ref)
    for sheet, group in (("totals", TOTALS_SERIES), ("prices", PRICE_SERIES)):
        if sheet in grids:
            got = _year_table(grids[sheet], group, P, ref)
            if got:
                values.update(got)
    gdp = values.get("gdp")
    bad = _unit_checks(values, gdp, sheets, P) if gdp is not None else set()
    _identities(values, gdp, codes, ref, sheets, bad, P)
    status = _status(grids.get("status"), ref, P)
    published = _published(grids.get("published"), P)
    meta = _meta(grids.get("instructions"))
    P.raise_if_any()
    return _assemble(values, inds, ref, status, published, meta, path)


def _meta(grid: Grid | None) -> dict:
    if grid is None:
        return {}
    return {text(r[0]).lower(): text(r[1]) for r in grid.rows
            if len(r) > 1 and text(r[0]).lower() in ("province", "province_zh",
                                                     "freeze_through")}


def _hash(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for f in files:
        h.update(f.name.encode() if path.is_dir() else b"")
        h.update(f.read_bytes())
    return h.hexdigest()


def _assemble(values, inds, years, status, published, meta, path: Path) -> xr.Dataset:
    codes = [r[0] for r in inds]
    coords = {"industry": codes, "year": years, "asset": list(ASSETS),
              "industry_name_zh": ("industry", [r[1] for r in inds]),
              "industry_name_en": ("industry", [r[2] for r in inds]),
              "industry_sector": ("industry", [r[3] for r in inds])}
    ds = xr.Dataset(coords=coords)
    for s in (*INDUSTRY_SERIES, *TOTALS_SERIES, PRICE_SERIES[-1]):
        dims = {"industry": ("industry", "year"), "industry_asset": ("industry", "asset", "year"),
                "year": ("year",)}[s.kind]
        st = status.get(s.var, ["published"] * len(years))
        ds[s.var] = xr.DataArray(values[s.var], dims=dims, attrs={
            "units": s.units, "long_name": s.en, "long_name_zh": s.zh,
            "status": _summary_status(st, years)})
        ds[f"{s.var}_status"] = xr.DataArray(np.array(st, dtype=object).astype(str), dims="year",
                                             attrs={"units": "1",
                                                    "long_name": f"status of {s.var} by year",
                                                    "long_name_zh": "数据状态"})
    ict = np.stack([values[f"ict_deflator_{a}"] for a in ASSETS])
    ict_status = [status.get(f"ict_deflator_{a}", ["published"] * len(years)) for a in ASSETS]
    ds["ict_deflator"] = xr.DataArray(ict, dims=("asset", "year"), coords={
        "status": (("asset", "year"), np.array(ict_status, dtype=object).astype(str))}, attrs={
        "units": "index 2000=100", "long_name": "ICT investment deflator (user input)",
        "long_name_zh": "ICT投资价格指数（用户输入）",
        "status": "; ".join(f"{a}: {_summary_status(s, years)}"
                            for a, s in zip(ASSETS, ict_status))})
    ds["di_share"] = xr.DataArray([r[4] for r in inds], dims="industry", attrs={
        "units": "1", "long_name": "share of value added counted in DI",
        "long_name_zh": "计入数字产业化的增加值比例"})
    ds.attrs.update({
        "title": f"KLEMS input data from {path.name}",
        "source": f"user input {path.name}",
        "sha256": _hash(path),
        "published_figures": json.dumps(published, ensure_ascii=False),
        "input_path": str(path.resolve()),
    })
    if meta.get("freeze_through"):     # recorded by klems extend (issue 16)
        try:
            ds.attrs["freeze_through"] = int(float(meta["freeze_through"]))
        except ValueError:
            ds.attrs["freeze_through"] = meta["freeze_through"]   # freeze_year explains

    if meta.get("province"):
        try:
            p = _province(meta["province"])
            ds.attrs.update(province=p.key, province_zh=p.zh)
        except ValueError:
            pass
    return ds


def summary(ds: xr.Dataset) -> str:
    """A few lines describing a valid input (what ``klems validate`` prints)."""
    years = [int(y) for y in ds.year.values]
    lines = [f"valid input: {ds.sizes['industry']} industries, years {years[0]}-{years[-1]}, "
             f"province {ds.attrs.get('province', '(not given)')}"]
    vars_ = [s.var for s in (*TOTALS_SERIES, *INDUSTRY_SERIES, PRICE_SERIES[-1])]
    published = sum(int((ds[f"{v}_status"] == "published").sum()) for v in vars_)
    total = len(vars_) * len(years)
    lines.append(f"series-years published: {published} of {total}; the rest derived or "
                 "modelled (sheet status)")
    for v in vars_:
        if "modelled" in ds[v].attrs.get("status", "") or "interpolated" in ds[v].attrs.get(
                "status", ""):
            lines.append(f"  warning: {v} is {ds[v].attrs['status']}")
    n_published = len(json.loads(ds.attrs["published_figures"]))
    lines.append(f"published figures to reproduce: {n_published}")
    lines.append(f"sha256 {ds.attrs['sha256'][:16]}")
    return "\n".join(lines)
