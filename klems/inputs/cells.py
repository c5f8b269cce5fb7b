"""Reading a user's input files into grids of cells, with every problem collected.

A *grid* is a sheet as rows of cell values (``None``, ``str``, ``int``, ``float``) whatever the
file: an .xlsx workbook (read with openpyxl, merged cells reported) or a folder of CSV files
(UTF-8, UTF-8 with BOM, UTF-16, or GBK / GB18030 as Chinese Excel writes them; comma or tab
separated). Files that are not workbooks — truncated, password-protected, legacy .xls, empty,
random bytes — are reported with what was expected. Nothing here raises anything but
:class:`~klems.base.errors.InputDataError`.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from klems.base.errors import InputDataError

MAX_PER_KIND = 8          # problems of one kind listed per sheet before "... and N more"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
ERROR_VALUES = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NUM!", "#NAME?", "#NULL!"}
NAN_TEXTS = {"NAN", "NA", "N/A", "NONE", "NULL", "INF", "-INF", "INFINITY", "-INFINITY"}
PLACEHOLDERS = {"-", "--", "—", "——", "…", "...", "x", "X", "/"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")


def column_letter(j: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_ref(r: int, c: int) -> str:
    """0-based row and column -> Excel reference as the user sees it (``D17``)."""
    return f"{column_letter(c)}{r + 1}"


@dataclass
class Problem:
    message: str
    where: dict

    def __str__(self) -> str:
        loc = ", ".join(f"{k} {v}" for k, v in self.where.items() if v is not None)
        return f"{loc}: {self.message}" if loc else self.message


@dataclass
class Problems:
    """Every problem found in one input, capped at :data:`MAX_PER_KIND` per sheet and kind."""

    file: str
    expected: str = "the layout written by 'klems template' (see its sheet instructions)"
    items: list[Problem] = field(default_factory=list)
    unreadable: set = field(default_factory=set)     # sheets present but not readable
    _counts: Counter = field(default_factory=Counter)

    def add(self, message: str, *, kind: str | None = None, sheet=None, cell=None, row=None,
            column=None, industry=None, asset=None, year=None) -> None:
        key = (sheet, kind or message.split(";")[0].split(" ")[0])
        self._counts[key] += 1
        if self._counts[key] > MAX_PER_KIND:
            return
        where = {"sheet": sheet, "cell": cell, "row": row, "column": column,
                 "industry": industry, "asset": asset, "year": year}
        self.items.append(Problem(message, {k: v for k, v in where.items() if v is not None}))

    def __len__(self) -> int:
        return sum(self._counts.values())

    def lines(self) -> list[str]:
        out = [str(p) for p in self.items]
        for (sheet, kind), n in self._counts.items():
            if n > MAX_PER_KIND:
                out.append(f"sheet {sheet}: ... and {n - MAX_PER_KIND} more problem(s) like "
                           f"'{kind}'")
        return out

    def error(self) -> InputDataError:
        lines = self.lines()
        err = InputDataError(
            f"{len(self)} problem(s) in the input data {self.file}; expected {self.expected}:\n"
            + "\n".join(f"  {i}. {line}" for i, line in enumerate(lines, start=1)))
        err.where = {"file": self.file}
        err.problems = list(self.items)
        return err

    def raise_if_any(self) -> None:
        if len(self):
            raise self.error()


@dataclass
class Grid:
    """One sheet: rows of cell values; ``source`` is the sheet name or CSV file name."""

    name: str
    rows: list[list]
    source: str
    formulas: "_Formulas | None" = None

    def value(self, r: int, c: int):
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else None

    def formula(self, r: int, c: int) -> str | None:
        """The formula of a cell that has no calculated value (workbooks only), else None."""
        return self.formulas.get(self.source, r, c) if self.formulas is not None else None


class _Formulas:
    """Formulas of a workbook, read (once, only when asked) to explain cells without values:
    a workbook written by a program that does not calculate formulas has none cached."""

    def __init__(self, raw: bytes):
        self.raw, self.sheets = raw, None

    def get(self, sheet: str, r: int, c: int) -> str | None:
        if self.sheets is None:
            self.sheets = {}
            try:
                import warnings

                from openpyxl import load_workbook

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    wb = load_workbook(io.BytesIO(self.raw), data_only=False, read_only=True)
                for ws in wb.worksheets:
                    self.sheets[ws.title.strip()] = {
                        (i, j): v for i, row in enumerate(ws.iter_rows(values_only=True))
                        for j, v in enumerate(row) if isinstance(v, str) and v.startswith("=")}
                wb.close()
            except Exception:  # noqa: BLE001 - the explanation is a courtesy; the cell is blank
                pass
        return self.sheets.get(sheet, {}).get((r, c))


# ---- numbers -------------------------------------------------------------------------------
# The grammar of a number typed in a cell: an optional sign; digits, with thousands separators
# (a comma, or a space) only between groups of exactly three digits; an optional decimal point
# with digits; an optional exponent; a percent sign only where shares may be typed as percents.
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " "})
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d*)?"
                     r"(?:[eE][+-]?\d+)?|[+-]?\.\d+(?:[eE][+-]?\d+)?")
_DIGITS = re.compile(r"[+-]?[\d.,' ]*\d[\d.,' ]*(?:[eE][+-]?\d+)?")
_LEADING_NUMBER = re.compile(r"([+-]?[\d.,]*\d)\s*(\S.*)")
_TRAILING_NUMBER = re.compile(r"(\D*?)\s*([+-]?\d[\d.,]*)")


def _diagnose(s: str, shown: str) -> str:
    """Why the text ``s`` (as typed: ``shown``) is not a number of the grammar above."""
    if re.fullmatch(r"[+-]\s+\d.*", s) and _NUMBER.fullmatch(s[0] + s[1:].strip()):
        return f"a space after the sign in {shown!r}; expected e.g. {s[0]}{s[1:].strip()}"
    if _DIGITS.fullmatch(s):
        body = s.lstrip("+-")
        if "'" in body:
            return (f"apostrophe in {shown!r}; expected digits, thousands separators (,) between "
                    "groups of three and one decimal point")
        if "," in body and "." in body and body.rfind(",") > body.rfind("."):
            return (f"decimal comma in {shown!r}; expected a decimal point (e.g. "
                    f"{body.replace('.', '').replace(',', '.')})")
        if body.count(".") > 1:
            return f"{body.count('.')} decimal points in {shown!r}; expected one at most"
        if re.fullmatch(r"\d+,\d{1,2}", body) or re.fullmatch(r"\d+,\d{4,}", body):
            return (f"decimal comma in {shown!r}? A comma separates thousands only between groups "
                    f"of three digits (1,234.5); expected a decimal point (e.g. "
                    f"{body.replace(',', '.')})")
        if "," in body and " " in body:
            return f"mixed thousands separators in {shown!r}; expected commas only (1,234,567)"
        return (f"misplaced thousands separator in {shown!r}; expected groups of three digits "
                "(e.g. 1,234,567.8)")
    if re.fullmatch(r"\(\s*[\d.,]+\s*\)", s):
        return (f"a number in parentheses {shown!r}; expected a minus sign for a negative "
                f"number (e.g. -{s.strip('() ')})")
    if re.fullmatch(r"[+-]\s+\d.*", s) and _NUMBER.fullmatch(s[0] + s[1:].strip()):
        return f"a space after the sign in {shown!r}; expected e.g. {s[0]}{s[1:].strip()}"
    m = _LEADING_NUMBER.fullmatch(s)
    if m and _NUMBER.fullmatch(m.group(1)):
        return (f"text {m.group(2)[:12]!r} after the number {m.group(1)} in {shown!r}; expected "
                "the number alone (the units are given in the header)")
    m = _TRAILING_NUMBER.fullmatch(s)
    if m and m.group(1) and _NUMBER.fullmatch(m.group(2)):
        return (f"text {m.group(1)[:12]!r} before the number {m.group(2)} in {shown!r}; expected "
                "the number alone")
    return f"non-numeric value {shown[:40]!r}"


def parse_number(v, *, percent: bool = False) -> tuple[float | None, str | None]:
    """A cell value -> (number, None) or (None, why it is not a usable number).

    Numbers typed as text follow a strict grammar (see above): ``70,30`` is not 7030 but a
    decimal comma, ``1.2.3`` two decimal points, ``12亿元`` a unit glued to the number — each
    reported with what was expected. NaN, ±inf and numbers beyond the floating-point range are
    never numbers; plausible magnitudes are checked by the reader per variable.
    """
    if v is None:
        return None, "blank cell"
    if isinstance(v, bool):
        return None, f"non-numeric value {v!r}"
    if isinstance(v, (int, float)):
        x = float(v)
        if math.isnan(x):
            return None, "NaN"
        if math.isinf(x):
            return None, "infinite value"
        return x, None
    if not isinstance(v, str):
        return None, f"non-numeric value {str(v)!r} ({type(v).__name__})"
    shown = v.strip()
    s = " ".join(v.translate(_FULLWIDTH).translate(_SPACES).split())
    if not s:
        return None, "blank cell"
    if s.upper() in ERROR_VALUES:
        return None, f"Excel error value {s!r}"
    if s.upper().lstrip("+-") in ("INF", "INFINITY", "∞"):
        return None, f"infinite value ({shown!r}); expected a finite number"
    if s.upper().lstrip("+-") in NAN_TEXTS or s.upper() in NAN_TEXTS:
        return None, f"NaN ({shown!r})"
    if s in PLACEHOLDERS:
        return None, f"placeholder {shown!r} instead of a number"
    scale = 1.0
    if s.endswith("%"):
        if not percent:
            return None, (f"a percentage {shown!r}; expected a plain number (the units are "
                          "given in the header)")
        s, scale = s[:-1].rstrip(), 0.01
    if not _NUMBER.fullmatch(s):
        return None, _diagnose(s, shown)
    x = float(s.replace(",", "").replace(" ", ""))
    if not math.isfinite(x):
        return None, f"{shown!r} is beyond the range of numbers (about ±1.8e308)"
    return x * scale, None


def text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# ---- files ---------------------------------------------------------------------------------

def read_grids(path, sheets: dict[str, str], problems: Problems) -> dict[str, Grid]:
    """The sheets named in ``sheets`` (name -> Chinese alias) from a workbook or CSV folder.

    Missing sheets are simply absent from the result (the caller decides which are required).
    File-level problems that make reading impossible raise at once.
    """
    path = Path(path)
    if not path.exists():
        raise InputDataError("no such file or folder; expected an .xlsx workbook or a folder of "
                             "CSV files written by 'klems template'", file=str(path))
    if path.is_dir():
        return _read_csv_folder(path, sheets, problems)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputDataError(f"cannot read the file ({exc.strerror}); expected a readable "
                             ".xlsx workbook", file=str(path)) from None
    return grids_from_bytes(raw, str(path), sheets, problems)


def grids_from_bytes(raw: bytes, name: str, sheets: dict[str, str],
                     problems: Problems) -> dict[str, Grid]:
    """Sniff the content (not the suffix) and read it."""
    if not raw:
        raise InputDataError("empty file (0 bytes); expected an .xlsx workbook written by "
                             "'klems template'", file=name)
    if raw.startswith(OLE_MAGIC):
        if any(m in raw for m in ENCRYPTED_MARKERS):
            raise InputDataError(
                "password-protected (encrypted) workbook; expected an unprotected .xlsx: in "
                "Excel remove the password (文件 > 信息 > 保护工作簿 > 用密码进行加密, clear it) "
                "and save again", file=name)
        raise InputDataError("legacy Excel 97-2003 (.xls) or other OLE file; expected an .xlsx "
                             "workbook: save it as 'Excel 工作簿 (*.xlsx)'", file=name)
    if raw.startswith(b"PK"):
        return _read_xlsx(raw, name, sheets, problems)
    if name.lower().endswith((".csv", ".txt")):
        raise InputDataError("a single CSV file; expected a folder of CSV files, one per sheet "
                             f"({', '.join(f'{s}.csv' for s in list(sheets)[:4])}, ...), as "
                             "written by 'klems template --format csv'", file=name)
    head = raw[:8]
    raise InputDataError(f"not a workbook (the file starts with bytes {head!r}); expected an "
                         ".xlsx workbook or a folder of CSV files", file=name)


def _read_xlsx(raw: bytes, name: str, sheets: dict[str, str],
               problems: Problems) -> dict[str, Grid]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            members = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError,
            NotImplementedError) as exc:
        raise InputDataError(f"truncated or damaged workbook (not a complete zip archive: "
                             f"{exc}); expected a complete .xlsx file: save it again or copy it "
                             "again", file=name) from None
    except Exception as exc:  # noqa: BLE001 - zlib/struct errors of a corrupt archive
        raise InputDataError(f"damaged workbook ({type(exc).__name__}: {exc}); expected a "
                             "complete .xlsx file", file=name) from None
    if bad is not None:
        raise InputDataError(f"damaged workbook (member {bad} fails its checksum); expected a "
                             "complete .xlsx file", file=name)
    if "xl/workbook.xml" not in members:
        raise InputDataError("a zip archive but not an Excel workbook (no xl/workbook.xml); "
                             "expected an .xlsx file", file=name)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise InputDataError(f"cannot read the workbook ({type(exc).__name__}: "
                             f"{str(exc)[:200]}); expected an .xlsx workbook written by Excel, "
                             "WPS or 'klems template'", file=name) from None
    alias = {zh: key for key, zh in sheets.items()}
    formulas = _Formulas(raw)
    out = {}
    for ws in wb.worksheets:
        title = ws.title.strip()
        key = title if title in sheets else alias.get(title) or next(
            (k for k in sheets if title.lower() == k.lower()), None)
        if key is None:
            continue
        if key in out:
            problems.add(f"two sheets for {key!r} ({out[key].source!r} and {title!r}); expected "
                         "one", sheet=title)
            continue
        for rng in ws.merged_cells.ranges:
            part = "header" if rng.min_row <= 3 else "data"
            problems.add(f"merged {part} cells {rng.coord}; expected one "
                         f"{'header' if part == 'header' else 'value'} per cell (unmerge them)",
                         kind="merged", sheet=title, cell=rng.coord)
        try:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001
            problems.add(f"cannot read the sheet ({type(exc).__name__}); expected plain values",
                         sheet=title)
            continue
        out[key] = Grid(key, [[_clean(v) for v in r] for r in rows], title, formulas)
    return out


def _clean(v):
    """openpyxl cell value -> None/str/int/float (dates and times kept as their text)."""
    if v is None or isinstance(v, (str, int, float)) and not isinstance(v, bool):
        if isinstance(v, str) and not v.strip():
            return None
        return v
    return str(v)


def decode_text(raw: bytes) -> tuple[str | None, str]:
    """Bytes of a CSV file -> (text, encoding) trying UTF-16 (BOM), UTF-8, GB18030 (⊃ GBK)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, ""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return None, ""


def csv_rows(text_: str) -> list[list]:
    """CSV text -> rows of cells (empty cells None); comma or tab separated."""
    first = text_.split("\n", 1)[0]
    delim = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text_, newline=""), delimiter=delim)
    return [[c if c.strip() else None for c in row] for row in reader]


def _read_csv_folder(folder: Path, sheets: dict[str, str],
                     problems: Problems) -> dict[str, Grid]:
    files = {p.name: p for p in folder.iterdir() if p.is_file()}
    out = {}
    for key, zh in sheets.items():
        cands = [n for n in (f"{key}.csv", f"{zh}.csv", f"{key}.txt") if n in files]
        cands += [n for n in files if n.lower() == f"{key}.csv" and n not in cands]
        if not cands:
            continue
        fname = cands[0]
        problems.unreadable.add(key)    # until it is read
        try:
            raw = files[fname].read_bytes()
        except OSError as exc:
            problems.add(f"cannot read the file ({exc.strerror}); expected a readable CSV file",
                         sheet=fname)
            continue
        if raw.startswith(b"PK") or raw.startswith(OLE_MAGIC):
            problems.add("an Excel workbook saved under a .csv name; expected CSV text (in "
                         "Excel: 另存为 'CSV UTF-8' or 'CSV (逗号分隔)')", sheet=fname)
            continue
        decoded, _ = decode_text(raw)
        if decoded is None:
            problems.add("cannot decode the text; expected UTF-8 or GBK/GB18030 (as Excel "
                         "saves 'CSV (逗号分隔)')", sheet=fname)
            continue
        if "\x00" in decoded:
            problems.add("binary content (NUL bytes); expected CSV text", sheet=fname)
            continue
        try:
            rows = csv_rows(decoded)
        except csv.Error as exc:
            problems.add(f"not valid CSV ({exc}); expected comma-separated text", sheet=fname)
            continue
        out[key] = Grid(key, rows, fname)
        problems.unreadable.discard(key)
    return out
