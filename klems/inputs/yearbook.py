"""The yearbook sheet of ``klems yearbook``: write it pre-filled, read it back strictly.

A short workbook of what a provincial statistical yearbook gives for one year (layout:
:mod:`klems.inputs.yearbook_layout`). :func:`yearbook_sheets` pre-fills it with what the project
already knows — for a year inside the data its figures (with their status), for a new year
blanks with the previous year's figure beside for reference. :func:`read_yearbook` reads a
filled-in sheet and collects every problem (sheet, cell, item, what was expected) into one
:class:`~klems.base.errors.InputDataError`; :mod:`klems.inputs.extension` extends a dataset with
it (``klems extend``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.provinces import province as _province
from klems.datasets.bundled import LATEST, load_dataset
from klems.inputs.cells import Problems, cell_ref, parse_number, read_grids, text
from klems.inputs.dataset_figures import yearbook_figures
from klems.inputs.layout import STATUS_VALUES, year_of
from klems.inputs.yearbook_layout import (
    INSTRUCTIONS,
    ITEM,
    ITEMS,
    REQUIRED_SHEETS,
    SHEET_ZH,
    SHEETS,
    columns,
)
from klems.outputs.workbook import Column, Sheet
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions

SUM_TOLERANCE = 0.01      # the three sectors against GDP (rounding of published figures)
INDEX_RANGE = (50.0, 200.0)
WAGE_RANGE = (1_000.0, 2_000_000.0)
UNIT_JUMP = 20.0          # a figure this many times its previous year's is a unit mix-up
_REVISED = re.compile(r"^revised_(\d{4})$")
_REFERENCE = re.compile(r"^reference_(\d{4})$")


@dataclass
class Yearbook:
    """A filled-in yearbook sheet: the year's figures, growth rates, previous-year figures,
    statuses, and revised figures of earlier years, each with the cell it came from."""

    path: str
    year: int
    province: str | None = None
    values: dict[str, float] = field(default_factory=dict)
    growth: dict[str, float] = field(default_factory=dict)
    previous: dict[str, float] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    revisions: dict[tuple[str, int], float] = field(default_factory=dict)
    revision_where: dict[tuple[str, int], str] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)

    def get(self, key: str) -> float | None:
        return self.values.get(key)

    def cell(self, key: str) -> str:
        return f"{Path(self.path).name}, {self.where.get(key, 'sheet ' + ITEM[key].sheet)}"


# ---- writing ------------------------------------------------------------------------------

def yearbook_sheets(province: str, year: int, *, data: xr.Dataset | None = None,
                    ict_prices: xr.DataArray | None = None, vintage: str | None = None,
                    base_name: str | None = None) -> list[Sheet]:
    """The sheets of a yearbook for ``year``, pre-filled from ``data`` (default the bundled
    dataset of ``province`` and ``vintage``) and its ICT deflators."""
    prov = _province(province)
    if data is None:
        data = load_dataset(prov.key, vintage=vintage)
        base_name = base_name or f"bundled data {prov.key}, vintage {vintage or LATEST}"
    if ict_prices is None:
        ict_prices = data["ict_deflator"] if "ict_deflator" in data else \
            prepare_inputs(prov.key, EstimateOptions(), data)[2]
    years = [int(y) for y in data.year.values]
    now = yearbook_figures(data, ict_prices, year)
    before = yearbook_figures(data, ict_prices, year - 1)
    inside = year in years
    fill = (f"{year} is in the data ({base_name}): its figures are pre-filled with their status "
            "(modelled figures are estimates: overwrite them with the yearbook's)" if inside else
            f"{year} is beyond the data ({years[0]}-{years[-1]}): column value is blank; "
            f"column reference_{year - 1} holds the data's {year - 1} figures")
    intro = [("province", prov.key), ("province_zh", prov.zh), ("year", year),
             ("data", f"{base_name or 'user data'}: {years[0]}-{years[-1]}"),
             ("prefilled", fill)]
    intro += [(f"note {i}", f"{zh}\n{en}") for i, (zh, en) in enumerate(INSTRUCTIONS, start=1)]
    sheets = [Sheet("instructions", pd.DataFrame(intro, columns=["item", "value"]),
                    [Column("item", "item", "项目"), Column("value", "value", "内容")],
                    title=f"klems yearbook sheet {year} 年鉴数据表")]
    for name, (zh, what) in SHEETS.items():
        cols = columns(name, year)
        rows = []
        for it in (i for i in ITEMS if i.sheet == name):
            value, status = now.get(it.key, (None, ""))
            row = {"item": it.key, "name_zh": it.zh, "name_en": it.en, "units": it.units,
                   "value": value, "status": status if value is not None else "",
                   "source": base_name if value is not None else "",
                   f"reference_{year - 1}": before.get(it.key, (None, ""))[0],
                   f"revised_{year - 1}": None}
            if name == "investment":
                row["growth_pct"] = None
            rows.append(row)
        frame = pd.DataFrame(rows, columns=[c.key for c in cols])
        sheets.append(Sheet(name, frame, cols, title=f"{zh}: {what}"))
    return sheets


# ---- reading ------------------------------------------------------------------------------

def _instructions(grid, P: Problems) -> tuple[int | None, str | None]:
    year, prov = None, None
    for r, row in enumerate(grid.rows):
        key = text(row[0]).lower() if row else ""
        value = row[1] if len(row) > 1 else None
        if key == "year":
            year = year_of(value)
            if year is None:
                P.add(f"year {text(value)[:20]!r}; expected the yearbook's year such as 2025",
                      sheet=grid.source, cell=cell_ref(r, 1))
        elif key == "province" and text(value):
            try:
                prov = _province(text(value)).key
            except ValueError:
                P.add(f"unknown province {text(value)!r}; expected a province's pinyin or Chinese "
                      "name", sheet=grid.source, cell=cell_ref(r, 1))
    if year is None and not len(P):
        P.add("no row 'year'; expected the row year | 2025 written by 'klems yearbook'",
              sheet=grid.source)
    return year, prov


def _header(grid, P: Problems):
    for i in range(min(3, len(grid.rows))):
        if text(grid.value(i, 0)).lower() == "item":
            return i, {text(h).lower(): j for j, h in enumerate(grid.rows[i]) if text(h)}
    P.add("no header row; expected 'item' in cell A2 (the English header row under the Chinese "
          "one)", sheet=grid.source, cell="A2")
    return None, {}


def _number(P, grid, r, c, it, what: str, year: int):
    raw = grid.value(r, c)
    x, why = parse_number(raw)
    where = dict(sheet=grid.source, cell=cell_ref(r, c), year=year)
    if why == "blank cell":
        return None
    if why:
        P.add(f"item {it.key}: {why}; expected {what} ({it.units}) or a blank cell", **where)
        return None
    if it.kind == "index" and what != "a growth rate in %":
        lo, hi = INDEX_RANGE
        if not lo < x < hi:
            hint = (f"; it looks like a growth rate: enter {100 + x:g}" if -50 < x < 50 else "")
            P.add(f"item {it.key}: index {x:g}; expected previous year = 100, between {lo:g} and "
                  f"{hi:g} (e.g. 104.2){hint}", kind="index", **where)
            return None
    elif what == "a growth rate in %":
        if not -95.0 < x < 1000.0:
            P.add(f"item {it.key}: growth {x:g} %; expected a growth rate in % over the previous "
                  "year (e.g. 5.3)", kind="growth", **where)
            return None
    elif x < 0:
        P.add(f"item {it.key}: negative value {x:g}; expected {what} >= 0 ({it.units})",
              kind="negative", **where)
        return None
    elif it.units == "CNY per person" and not WAGE_RANGE[0] <= x <= WAGE_RANGE[1]:
        P.add(f"item {it.key}: average wage {x:g}; expected 元 per person (e.g. 85000)"
              + ("; it looks like 万元: multiply by 10 000" if x < 100 else ""),
              kind="wage", **where)
        return None
    return x


def _item_sheet(grid, year: int, yb: Yearbook, P: Problems) -> None:
    hrow, cols = _header(grid, P)
    if hrow is None:
        return
    missing = [c for c in ("item", "value") if c not in cols]
    if missing:
        P.add(f"missing column(s) {', '.join(missing)}; expected English headers item, name_zh, "
              f"name_en, units, value, ... in row {hrow + 1}", sheet=grid.source)
        return
    revised = {int(m.group(1)): j for h, j in cols.items() if (m := _REVISED.match(h))}
    for y, j in revised.items():
        if y >= year:
            P.add(f"column revised_{y}: a revision must be of an earlier year than {year}",
                  sheet=grid.source, cell=cell_ref(hrow, j), year=y)
    refs = {int(m.group(1)): j for h, j in cols.items() if (m := _REFERENCE.match(h))}
    for y, j in refs.items():
        if y != year - 1:
            P.add(f"column reference_{y}; expected reference_{year - 1} (the previous year)",
                  sheet=grid.source, cell=cell_ref(hrow, j), year=y)
    seen = {}
    for r in range(hrow + 2 if hrow == 1 else hrow + 1, len(grid.rows)):
        key = text(grid.value(r, cols["item"]))
        if not key:
            continue
        it = ITEM.get(key)
        if it is None or it.sheet != grid.name:
            known = [i.key for i in ITEMS if i.sheet == grid.name]
            P.add(f"unknown item {key!r}; expected one of {', '.join(known[:6])}, ... (the "
                  "items of this sheet as written by 'klems yearbook')", kind="item",
                  sheet=grid.source, cell=cell_ref(r, cols["item"]))
            continue
        if key in seen:
            P.add(f"item {key} appears twice (rows {seen[key] + 1} and {r + 1}); expected one "
                  "row per item", sheet=grid.source, cell=cell_ref(r, cols["item"]))
            continue
        seen[key] = r
        yb.where[key] = f"sheet {grid.source}, cell {cell_ref(r, cols['value'])}"
        before = len(P)
        x = _number(P, grid, r, cols["value"], it, "the figure of " + str(year), year)
        if x is not None:
            yb.values[key] = x
        elif len(P) > before:
            yb.unreadable.add(key)      # reported once, not again as a blank figure
        if "growth_pct" in cols:
            g = _number(P, grid, r, cols["growth_pct"], it, "a growth rate in %", year)
            if g is not None:
                yb.growth[key] = g
        if year - 1 in refs:
            p = _number(P, grid, r, refs[year - 1], it, f"the figure of {year - 1}", year - 1)
            if p is not None:
                yb.previous[key] = p
        if "status" in cols:
            st = text(grid.value(r, cols["status"])).lower()
            if st and st not in STATUS_VALUES:
                P.add(f"item {key}: status {st!r}; expected one of {', '.join(STATUS_VALUES)} "
                      "(blank: published)", kind="status", sheet=grid.source,
                      cell=cell_ref(r, cols["status"]))
            yb.status[key] = st or "published"
        if "source" in cols:
            yb.source[key] = text(grid.value(r, cols["source"]))
        for y, j in revised.items():
            if y >= year:
                continue
            v = _number(P, grid, r, j, it, f"the revised figure of {y}", y)
            if v is None:
                continue
            if not it.revisable:
                P.add(f"item {key}: a revised figure of {y} is not used (a revision of "
                      f"{it.en} would change only the modelled split of an earlier year); "
                      "expected revisions of GDP, the sectors, groups, GFCF, employment by "
                      "sector, the ICT figures or the price indices", kind="revision",
                      sheet=grid.source, cell=cell_ref(r, j), year=y)
                continue
            yb.revisions[(key, y)] = v
            yb.revision_where[(key, y)] = f"sheet {grid.source}, cell {cell_ref(r, j)}"
        p = yb.previous.get(key)
        if x is not None and p and x > 0 and it.kind == "level" and \
                not 1 / UNIT_JUMP < x / p < UNIT_JUMP:
            hint = ("it looks like 万元: divide by 10 000" if 1e3 < x / p < 1e5 else
                    "check the units")
            P.add(f"item {key}: {x:,.2f} is {x / p:,.3g} times the previous year's {p:,.2f}; "
                  f"expected a figure in {it.units}: {hint}", kind="units", sheet=grid.source,
                  cell=cell_ref(r, cols["value"]), year=year)


def _consistency(yb: Yearbook, grids, P: Problems) -> None:
    v = yb.values
    for key in ("gdp", "va_primary", "va_secondary", "va_tertiary"):
        if key not in v and key not in yb.unreadable:
            sheet = grids["gdp"].source if "gdp" in grids else "gdp"
            P.add(f"item {key} ({ITEM[key].zh}) is blank; expected the published figure of "
                  f"{yb.year} (required)", kind="required", sheet=sheet,
                  cell=yb.where.get(key, "").rpartition("cell ")[2] or None, year=yb.year)
    if "index_gdp" not in v and not all(f"index_{s}" in v for s in
                                        ("primary", "secondary", "tertiary")):
        P.add(f"item index_gdp ({ITEM['index_gdp'].zh}) is blank; expected the real GDP index "
              f"of {yb.year} (previous year = 100), or the three sector indices",
              kind="required", sheet=grids["prices"].source if "prices" in grids else "prices",
              year=yb.year)
    if all(k in v for k in ("gdp", "va_primary", "va_secondary", "va_tertiary")):
        total = v["va_primary"] + v["va_secondary"] + v["va_tertiary"]
        if abs(total / v["gdp"] - 1.0) > SUM_TOLERANCE:
            P.add(f"the three sectors sum to {total:,.2f} but GDP is {v['gdp']:,.2f} "
                  f"({100 * (total / v['gdp'] - 1):+.1f} %); expected equal within "
                  f"{100 * SUM_TOLERANCE:g} %", kind="sum", sheet=grids["gdp"].source,
                  year=yb.year)
    groups = [k for k in ITEM if k.startswith("group_")]
    given = [k for k in groups if k in v]
    if given:
        lacking = [k for k in groups[:-1] if k not in v]
        if lacking:
            P.add(f"groups {', '.join(lacking)} are blank while {', '.join(given[:3])} are "
                  "given; expected all nine groups or none (group_other may be blank)",
                  kind="groups", sheet=grids["gdp"].source, year=yb.year)
        elif "va_secondary" in v and v["group_construction"] >= v["va_secondary"]:
            P.add(f"construction {v['group_construction']:,.2f} is not below the secondary "
                  f"sector {v['va_secondary']:,.2f}; expected 建筑业 < 第二产业",
                  kind="groups", sheet=grids["gdp"].source, year=yb.year)


def read_yearbook(path) -> Yearbook:
    """Read and check a yearbook sheet written by :func:`yearbook_sheets` (see the module doc)."""
    path = Path(path)
    P = Problems(str(path), expected="the layout written by 'klems yearbook' (see its sheet "
                                     "instructions)")
    grids = read_grids(path, SHEET_ZH, P)
    for name in REQUIRED_SHEETS:
        if name not in grids:
            P.add(f"missing sheet {name!r} ({SHEET_ZH[name]}); expected the sheets written by "
                  "'klems yearbook'", kind="missing sheet", sheet=name)
    if "instructions" not in grids:
        P.raise_if_any()
    year, prov = _instructions(grids["instructions"], P)
    if year is None:
        P.raise_if_any()
    yb = Yearbook(str(path), year, prov)
    for name in SHEETS:
        if name in grids:
            _item_sheet(grids[name], year, yb, P)
    _consistency(yb, grids, P)
    P.raise_if_any()
    return yb


def fill_yearbook(path, values: dict[str, float], *, growth: dict[str, float] | None = None,
                  previous: dict[str, float] | None = None,
                  revised: dict[tuple[str, int], float] | None = None,
                  source: str = "") -> None:
    """Write figures into a yearbook sheet written by :func:`yearbook_sheets` (in place): item ->
    value of the year, growth rates in % (investment), previous-year figures, revised figures
    ``(item, year) -> value`` (a ``revised_YYYY`` column is added where missing). For scripts
    that fill the sheet from a machine-readable yearbook table; blank items stay blank."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    growth, previous, revised = growth or {}, previous or {}, revised or {}
    unknown = [k for k in (*values, *growth, *previous, *(k for k, _ in revised))
               if k not in ITEM]
    if unknown:
        raise InputDataError(f"unknown item(s) {unknown}; expected items of "
                             f"klems.inputs.yearbook_layout.ITEMS", file=str(path))
    for name in SHEETS:
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        head = {str(c.value): c.column for c in ws[2] if c.value is not None}
        for (key, year) in revised:
            col = f"revised_{year}"
            if ITEM[key].sheet == name and col not in head:
                head[col] = ws.max_column + 1
                for r, label in ((1, f"{year}年修订数（可选）"), (2, col), (3, "see units")):
                    ws.cell(row=r, column=head[col], value=label)
        for row in ws.iter_rows(min_row=4):
            key = row[0].value
            if key not in ITEM:
                continue
            r = row[0].row
            for table, col in ((values, "value"), (growth, "growth_pct"),
                               (previous, next((h for h in head if h.startswith("reference_")),
                                               None))):
                if key in table and col in head:
                    ws.cell(row=r, column=head[col], value=float(table[key]))
                    if col == "value" and "status" in head:
                        ws.cell(row=r, column=head["status"], value="published")
                    if col == "value" and "source" in head and source:
                        ws.cell(row=r, column=head["source"], value=source)
            for (k, year), v in revised.items():
                if k == key:
                    ws.cell(row=r, column=head[f"revised_{year}"], value=float(v))
    wb.save(path)
