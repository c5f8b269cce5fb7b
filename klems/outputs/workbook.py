"""Excel workbooks that statisticians can use: bilingual headers, units, numbers as numbers.

Each sheet has three header rows — Chinese header, English header, units — then the data,
with panes frozen below the headers, number formats by unit (亿元 with thousands separators,
shares as percentages, years as integers) and column widths fitted to the content. Printed, a
sheet is A4 landscape, fitted to the page width, with the header rows repeated on every page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

HEADER_ROWS = 3

FORMATS = {
    "1e8 CNY": "#,##0.00",
    "1": "0.00%",
    "percent": "0.00",
    "year": "0",
    "index": "0.00",
    "count": "#,##0",
}


@dataclass
class Column:
    key: str                 # column of the frame
    en: str                  # English header
    zh: str                  # Chinese header
    units: str = ""          # units label (e.g. "1e8 CNY", "1" for shares)
    number_format: str | None = None

    def fmt(self) -> str | None:
        if self.number_format:
            return self.number_format
        return FORMATS.get(self.units)


@dataclass
class Sheet:
    name: str
    frame: pd.DataFrame
    columns: list[Column] = field(default_factory=list)
    title: str | None = None   # written as a comment on A1 (keeps the grid machine-readable)
    freeze_columns: int = 0    # columns kept in view when scrolling right (e.g. a named index)
    banner: str | None = None  # shown on every printed page's header and the tab turns red
                               # (e.g. SYNTHETIC example values)

    def resolved_columns(self) -> list[Column]:
        known = {c.key: c for c in self.columns}
        return [known.get(k, Column(str(k), str(k), str(k))) for k in self.frame.columns]


def _cell_value(v):
    if v is None:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if pd.isna(v) if not isinstance(v, (list, tuple, dict)) else False:
        return None
    return v if isinstance(v, (int, str)) else str(v)


def write_workbook(path: str | Path, sheets: list[Sheet]) -> None:
    """Write ``sheets`` to ``path`` (xlsx). Caller handles atomic placement (see output_files)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        cols = sheet.resolved_columns()
        for j, col in enumerate(cols, start=1):
            for i, text in enumerate((col.zh, col.en, col.units), start=1):
                cell = ws.cell(row=i, column=j, value=text)
                cell.font = bold if i < 3 else Font(italic=True)
                cell.fill = grey
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        formats = [c.fmt() for c in cols]
        for r, row in enumerate(sheet.frame.itertuples(index=False), start=HEADER_ROWS + 1):
            for j, v in enumerate(row, start=1):
                cell = ws.cell(row=r, column=j, value=_cell_value(v))
                if formats[j - 1] and isinstance(cell.value, (int, float)) \
                        and not isinstance(cell.value, bool):
                    cell.number_format = formats[j - 1]
        for j, col in enumerate(cols, start=1):
            sample = [str(col.zh), str(col.en)] + [
                str(x) for x in sheet.frame.iloc[:200, j - 1].tolist()]
            width = min(60, max(8, max(len(s) for s in sample) + 2))
            ws.column_dimensions[get_column_letter(j)].width = width
        ws.freeze_panes = ws.cell(row=HEADER_ROWS + 1, column=1 + sheet.freeze_columns)
        print_setup(ws, sheet.name)
        note = "\n".join(t for t in (sheet.banner, sheet.title) if t)
        if note:
            ws["A1"].comment = Comment(note, "klems")
        if sheet.banner:
            ws.sheet_properties.tabColor = "C00000"
            ws.oddHeader.center.text = sheet.banner
            ws.oddHeader.center.color = "C00000"
    wb.save(path)


def print_setup(ws, name: str = "") -> None:
    """A4 landscape, all columns on one page width (as many pages down as needed), the three
    header rows repeated on every page, the sheet name and page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{HEADER_ROWS}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.left.text = name
    ws.oddFooter.right.text = "&P / &N"


def read_sheet(path: str | Path, name: str) -> pd.DataFrame:
    """Read a sheet written by :func:`write_workbook` back (English headers; units dropped)."""
    raw = pd.read_excel(path, sheet_name=name, header=None, dtype=object)
    frame = raw.iloc[HEADER_ROWS:].reset_index(drop=True)
    frame.columns = [str(c) for c in raw.iloc[1].tolist()]
    return frame.infer_objects()
