"""Reader of EU KLEMS & INTANProd (2023 release) country files into xarray.

The release ships one workbook per country and module (``ES_capital_accounts.xlsx``,
``ES_growth_accounts_basic.xlsx``, ``ES_national_accounts.xlsx``, ...). Every data sheet is one
variable, laid out as rows of industries with the columns ``var``, ``nace_r2_code``, ``geo_code``,
``nace_r2_name``, ``geo_name`` (in a file-dependent order) followed by one column per year.

Industry codes are not spelled alike across the release: the data files write ranges with a
hyphen (``C22-C23``, ``M-N``, ``J62-J63``) while the methodology's Appendix Table A1 writes some
of them with an underscore (``C22_C23``, ``M_N``, ``J62_J63``). :func:`normalize_code` maps every
spelling to the data files' one; ``TOT_IND`` is a name, not a range, and keeps its underscore.
Asset names differ in case (``Rstruc`` vs ``RStruc``); :func:`normalize_asset` maps them to the
capital accounts' spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError

#: Assets of the statistical module's capital accounts, in the capital accounts' spelling.
ASSETS = ("IT", "CT", "Soft_DB", "TraEq", "OMach", "OCon", "Rstruc", "Cult", "RD", "OIPP")

#: Asset groups of the statistical module (methodology D2.3.1, Table 1, p. 17).
STATISTICAL_GROUPS = {
    "TangICT": ["IT", "CT"],
    "TangNICT": ["Rstruc", "OCon", "TraEq", "OMach", "Cult"],
    "Intang": ["RD", "Soft_DB", "OIPP"],
}

_ID_COLUMNS = ("var", "nace_r2_code", "geo_code", "nace_r2_name", "geo_name")
_RANGE = re.compile(r"^([A-U]\d{0,2})[-_]([A-U]\d{0,2})$")
_ASSET_SPELLING = {a.lower(): a for a in ASSETS} | {"gfcf": "GFCF"}


def normalize_code(code: str) -> str:
    """Industry code in the data files' spelling: ``C22_C23`` -> ``C22-C23``, ``M_N`` -> ``M-N``.

    Codes that are not ranges of NACE sections or divisions (``TOT``, ``TOT_IND``, ``MARKT``,
    ``L68A``) are returned unchanged apart from surrounding blanks.
    """
    code = str(code).strip()
    m = _RANGE.match(code)
    return f"{m.group(1)}-{m.group(2)}" if m else code


def normalize_asset(name: str) -> str:
    """Asset name in the capital accounts' spelling (``RStruc`` -> ``Rstruc``)."""
    key = str(name).strip()
    return _ASSET_SPELLING.get(key.lower(), key)


def _sheet_to_frame(frame: pd.DataFrame, *, file: str, sheet: str) -> pd.DataFrame:
    """Industry x year float frame of one variable sheet, with normalised codes."""
    cols = [str(c).strip() for c in frame.columns]
    frame = frame.set_axis(cols, axis=1)
    if "nace_r2_code" not in cols:
        raise InputDataError(
            "expected a column 'nace_r2_code' in an EU KLEMS variable sheet",
            file=file, sheet=sheet, column="nace_r2_code",
        )
    year_cols = [c for c in cols if c not in _ID_COLUMNS and re.fullmatch(r"\d{4}", c)]
    if not year_cols:
        raise InputDataError(
            "expected year columns (e.g. '1995') after the identifier columns",
            file=file, sheet=sheet,
        )
    codes = [normalize_code(c) for c in frame["nace_r2_code"]]
    dup = pd.Index(codes)[pd.Index(codes).duplicated()]
    if len(dup):
        raise InputDataError(
            f"industry code {dup[0]!r} appears twice (after normalising '_' to '-')",
            file=file, sheet=sheet, industry=dup[0],
        )
    values = frame[year_cols].apply(pd.to_numeric, errors="coerce")
    bad = frame[year_cols].notna().to_numpy() & values.isna().to_numpy()
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputDataError(
            f"non-numeric value {frame[year_cols].iat[r, c]!r}, expected a number or blank",
            file=file, sheet=sheet, row=int(r) + 2, industry=codes[r], year=year_cols[c],
        )
    values.index = pd.Index(codes, name="industry")
    values.columns = pd.Index([int(c) for c in year_cols], name="year")
    return values.astype(np.float64)


def read_workbook(path: str | Path, variables: Iterable[str] | None = None) -> xr.DataArray:
    """Read variable sheets of one EU KLEMS workbook as a DataArray ``var × industry × year``.

    ``variables`` selects sheets by name (default: every sheet except ``Legend``). Industries and
    years are the union over the sheets read; missing cells are NaN. Units are those of the
    workbook's ``Legend`` sheet (millions of national currency, indices, percentage points) and
    are listed per variable in the ``legend`` attribute.
    """
    path = Path(path)
    if not path.is_file():
        raise InputDataError("EU KLEMS workbook not found", file=str(path))
    with pd.ExcelFile(path) as book:
        names = [s for s in book.sheet_names if s != "Legend"]
        if variables is not None:
            wanted = list(variables)
            missing = [v for v in wanted if v not in names]
            if missing:
                raise InputDataError(
                    f"sheet {missing[0]!r} not in the workbook; expected one of {names}",
                    file=path.name, sheet=missing[0],
                )
            names = wanted
        frames = {s: _sheet_to_frame(pd.read_excel(book, sheet_name=s), file=path.name, sheet=s)
                  for s in names}
        legend = _legend(book) if "Legend" in book.sheet_names else {}
    industries = list(dict.fromkeys(c for f in frames.values() for c in f.index))
    years = sorted({y for f in frames.values() for y in f.columns})
    data = np.stack(
        [f.reindex(index=industries, columns=years).to_numpy() for f in frames.values()]
    )
    return xr.DataArray(
        data,
        dims=("var", "industry", "year"),
        coords={"var": list(frames), "industry": industries, "year": np.asarray(years)},
        name=path.stem,
        attrs={
            "units": "see legend (millions of national currency, indices or p.p.)",
            "long_name": f"EU KLEMS & INTANProd 2023 release, {path.stem}",
            "long_name_zh": f"EU KLEMS & INTANProd 2023 年版数据 {path.stem}",
            "source_file": path.name,
            "legend": "; ".join(f"{k}: {v}" for k, v in legend.items() if k in frames),
        },
    )


def _legend(book: pd.ExcelFile) -> dict[str, str]:
    """Variable -> description pairs of a ``Legend`` sheet (best effort; text only)."""
    frame = pd.read_excel(book, sheet_name="Legend", header=None)
    out = {}
    for a, b in frame.iloc[:, :2].itertuples(index=False):
        if isinstance(a, str) and isinstance(b, str) and a.strip() and " " not in a.strip():
            out[a.strip()] = b.strip()
    return out


def capital_accounts(
    path: str | Path, *, measures: Iterable[str] = ("Kq", "Ip", "K", "I"),
    assets: Iterable[str] = ASSETS,
) -> xr.Dataset:
    """Capital accounts by asset: one variable per measure, dims ``asset × industry × year``.

    Sheets are named ``<measure>_<asset>`` (``Kq_IT``, ``Ip_Rstruc``, ...). ``Kq``: net stock,
    chain-linked volumes (end of year); ``Ip``: investment price index; ``K``: net stock at
    current replacement cost; ``I``: gross fixed capital formation, current prices.
    """
    measures, assets = list(measures), [normalize_asset(a) for a in assets]
    sheets = [f"{m}_{a}" for m in measures for a in assets]
    raw = read_workbook(path, sheets)
    info = {
        "Kq": ("millions of national currency, chain-linked volumes", "net capital stock, volume",
               "净资本存量（链式物量）"),
        "Ip": ("index", "investment price index", "投资价格指数"),
        "K": ("millions of national currency", "net capital stock, current replacement cost",
              "净资本存量（现价重置成本）"),
        "I": ("millions of national currency", "gross fixed capital formation, current prices",
              "固定资本形成（现价）"),
        "Iq": ("millions of national currency, chain-linked volumes", "GFCF, volume",
               "固定资本形成（链式物量）"),
        "Kpyp": ("millions of national currency", "net stock, previous year's replacement cost",
                 "净资本存量（上年价格）"),
        "Ipyp": ("millions of national currency", "GFCF, previous year prices", "固定资本形成（上年价格）"),
    }
    out = xr.Dataset(attrs={"source_file": Path(path).name})
    for m in measures:
        da = raw.sel(var=[f"{m}_{a}" for a in assets]).rename(var="asset")
        da = da.assign_coords(asset=assets)
        units, long_name, zh = info.get(m, ("see legend", m, m))
        da.attrs = {"units": units, "long_name": long_name, "long_name_zh": zh}
        out[m] = da
    return out


def depreciation_rates(path: str | Path) -> xr.DataArray:
    """Geometric depreciation rates of Appendix Table A1 (D2.3.1) as ``industry × asset``.

    The CSV transcription has a ``code`` column and one column per asset; codes and asset names
    are normalised (:func:`normalize_code`, :func:`normalize_asset`).
    """
    path = Path(path)
    if not path.is_file():
        raise InputDataError("depreciation-rate table not found", file=str(path))
    frame = pd.read_csv(path, dtype={"code": str})
    if "code" not in frame.columns:
        raise InputDataError("expected a column 'code'", file=path.name, column="code")
    codes = [normalize_code(c) for c in frame.pop("code")]
    assets = [normalize_asset(a) for a in frame.columns]
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputDataError(
            f"depreciation rate {str(frame.iat[r, c])!r} is not a number in [0, 1]",
            file=path.name, row=int(r) + 2, column=frame.columns[c], industry=codes[r],
        )
    return xr.DataArray(
        values, dims=("industry", "asset"), coords={"industry": codes, "asset": assets},
        name="depreciation",
        attrs={"units": "1/year", "long_name": "geometric depreciation rate",
               "long_name_zh": "几何折旧率", "source_file": path.name},
    )


#: Industries of the Spanish files missing from Appendix Table A1, and the row whose rates
#: reproduce the published accounts (found by fit, see tests/validation): the merged codes take
#: the rates of the component with the general R&D rate (0.160), not C21's 0.100 or C26's 0.303;
#: D and E share all rates; MARKTxAG is the market economy less agriculture.
RATE_FALLBACK = {"C20-C21": "C20", "C26-C27": "C27", "D-E": "D", "MARKTxAG": "MARKT"}


def rates_for(table: xr.DataArray, industries: Iterable[str],
              fallback: dict[str, str] | None = None) -> xr.DataArray:
    """Depreciation rates for ``industries`` (rows of ``table``, else of ``fallback[industry]``)."""
    fallback = RATE_FALLBACK if fallback is None else fallback
    rows = []
    for code in industries:
        code = normalize_code(code)
        src = code if code in table.industry.values else fallback.get(code)
        if src is None or src not in table.industry.values:
            raise InputDataError(
                f"no depreciation rates for industry {code!r} in Table A1 and no fallback row",
                file=table.attrs.get("source_file"), industry=code)
        rows.append(table.sel(industry=src).drop_vars("industry"))
    out = xr.concat(rows, dim="industry").assign_coords(industry=[normalize_code(c)
                                                                  for c in industries])
    return out.assign_attrs(table.attrs)
