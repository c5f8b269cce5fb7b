"""The 139-industry classification of the NBS 2012 input-output table and its concordances.

The table ``classification_139.csv`` (package data ``klems.data``) has one row per industry:

* ``code`` — sequential code ``001``…``139`` as in ``china_2012_139.csv``;
* ``nbs_code`` — the NBS five-digit code: GB/T 4754-2011 two-digit division of the first division
  the IO industry covers, then the sequential code (e.g. ``39086`` 计算机);
* ``name_zh``, ``name_en``, ``gb_division``, ``section`` (GB/T 4754-2011 letter), ``section_zh``;
* ``sector`` — ``primary`` / ``secondary`` / ``tertiary`` by the NBS 2012 rule (农林牧渔服务 005,
  开采辅助活动 011 and 修理 095 are tertiary);
* ``ict_producing`` (0/1) and ``di_share`` — share of the industry's value added counted in
  数字产业化 (docs/method.md §2.2: 1 for 086–091, 114, 115; 0 elsewhere; editable);
* ``ict_asset`` — ICT investment asset the product supplies (附表1: ``hardware`` 086,
  ``communication`` 087 and 088, ``software`` 115);
* ``fai_section`` — column of the provincial fixed-asset-investment statistics (19 sections);
* ``sector42_2012`` / ``sector42_2017`` — the 42-sector tables (2015 table uses the 2012-type
  grouping; the 2017, 2018 and 2020 tables the 2017-type grouping);
* ``employment_code`` — code(s) of the national employment-by-sector table, ``|``-separated.

Users may pass their own copy (e.g. with other DI shares) to :func:`load_classification`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError
from klems.base.resources import data_root
from klems.base.vocabulary import ICT_ASSETS, SECTORS

CLASSIFICATION_FILE = "classification_139.csv"
INDUSTRIES = tuple(f"{i:03d}" for i in range(1, 140))
FAI_SECTIONS = (
    "农林牧渔业", "采矿业", "制造业", "电力、热力、燃气及水的生产和供应业", "建筑业", "批发和零售业",
    "交通运输、仓储和邮政业", "住宿和餐饮业", "信息传输、软件和信息技术服务业", "金融业", "房地产业",
    "租赁和商务服务业", "科学研究和技术服务业", "水利、环境和公共设施管理业", "居民服务、修理和其他服务业",
    "教育", "卫生和社会工作", "文化、体育和娱乐业", "公共管理、社会保障和社会组织",
)
CONCORDANCES = {
    "149": ("concordance_io149_to_139.csv", "code_149"),
    "153": ("concordance_io153_to_139.csv", "code_153"),
}
_COLUMNS = ("code", "nbs_code", "name_zh", "name_en", "gb_division", "section", "section_zh", "sector",
            "ict_producing", "di_share", "ict_asset", "fai_section", "sector42_2012", "sector42_2017",
            "employment_code")


def _read_csv(source, name: str) -> pd.DataFrame:
    try:
        return pd.read_csv(source, dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise InputDataError("classification file not found", file=name) from exc


def load_classification(path: str | Path | None = None) -> pd.DataFrame:
    """The classification table indexed by ``code`` (``001``…``139``), validated.

    ``path``: a user-edited copy; default the bundled ``classification_139.csv``.
    """
    if path is None:
        return _bundled().copy()
    return _validate(_read_csv(path, str(path)), str(path))


@lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    with (data_root() / CLASSIFICATION_FILE).open("rb") as fh:
        return _validate(_read_csv(fh, CLASSIFICATION_FILE), CLASSIFICATION_FILE)


def _validate(table: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise InputDataError(f"missing columns {missing}; expected {list(_COLUMNS)}", file=name)
    codes = list(table["code"])
    if codes != list(INDUSTRIES):
        bad = next((i for i, (a, b) in enumerate(zip(codes, INDUSTRIES)) if a != b), len(codes))
        raise InputDataError(f"industry codes must be 001…139 in order (139 rows), found {len(codes)} rows",
                             file=name, row=bad + 2, column="code")
    for row, rec in enumerate(table.itertuples(index=False), start=2):
        if rec.sector not in SECTORS:
            raise InputDataError(f"sector {rec.sector!r} is not one of {SECTORS}", file=name, row=row,
                                 column="sector", industry=rec.code)
        if rec.ict_asset not in ("", *ICT_ASSETS):
            raise InputDataError(f"ict_asset {rec.ict_asset!r} is not empty or one of {ICT_ASSETS}",
                                 file=name, row=row, column="ict_asset", industry=rec.code)
        if rec.fai_section not in FAI_SECTIONS:
            raise InputDataError(f"fai_section {rec.fai_section!r} is not one of the 19 FAI sections",
                                 file=name, row=row, column="fai_section", industry=rec.code)
        if rec.ict_producing not in ("0", "1"):
            raise InputDataError(f"ict_producing {rec.ict_producing!r} must be 0 or 1", file=name, row=row,
                                 column="ict_producing", industry=rec.code)
        try:
            share = float(rec.di_share)
        except ValueError:
            share = np.nan
        if not 0.0 <= share <= 1.0:
            raise InputDataError(f"di_share {rec.di_share!r} must be a number in [0, 1]", file=name,
                                 row=row, column="di_share", industry=rec.code)
    out = table.copy()
    out["ict_producing"] = out["ict_producing"].astype(int).astype(bool)
    out["di_share"] = out["di_share"].astype(float)
    return out.set_index("code")


def di_shares(table: pd.DataFrame | None = None) -> xr.DataArray:
    """Share of each industry's value added counted in 数字产业化 (DI), over ``industry``."""
    table = _bundled() if table is None else table
    return xr.DataArray(table["di_share"].to_numpy(float), dims="industry",
                        coords={"industry": list(table.index)}, name="di_share",
                        attrs={"units": "1", "long_name": "share of value added counted in DI",
                               "long_name_zh": "计入数字产业化的增加值比例"})


def ict_products(table: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """ICT investment asset -> the IO products that supply it (附表1)."""
    table = _bundled() if table is None else table
    return {a: list(table.index[table["ict_asset"] == a]) for a in ICT_ASSETS}


def ict_producing(table: pd.DataFrame | None = None) -> list[str]:
    table = _bundled() if table is None else table
    return list(table.index[table["ict_producing"]])


def sector_of(table: pd.DataFrame | None = None) -> xr.DataArray:
    """Three-sector class of each industry, over ``industry``."""
    table = _bundled() if table is None else table
    return xr.DataArray(table["sector"].to_numpy(object), dims="industry",
                        coords={"industry": list(table.index)}, name="sector")


def membership(column: str, table: pd.DataFrame | None = None,
               groups: tuple[str, ...] | None = None) -> xr.DataArray:
    """0/1 matrix (``group`` × ``industry``) of a grouping column (``sector``, ``fai_section``,
    ``sector42_2012``, ``sector42_2017``, ``section``)."""
    table = _bundled() if table is None else table
    if column not in table.columns:
        raise InputDataError(f"unknown grouping column {column!r}", file=CLASSIFICATION_FILE, column=column)
    values = table[column].to_numpy(object)
    groups = tuple(groups) if groups is not None else tuple(sorted(set(values)))
    mat = np.array([[1.0 if v == g else 0.0 for v in values] for g in groups])
    return xr.DataArray(mat, dims=("group", "industry"),
                        coords={"group": list(groups), "industry": list(table.index)})


def load_concordance(scheme: str) -> xr.DataArray:
    """Concordance matrix (``source`` × ``industry``) from the 149- or 153-sector tables to the 139.

    Rows sum to 1: a source sector maps to one 2012 industry, or is split with the stated weights
    (装卸搬运和仓储 is split between 109 and 110 by their 2012 output).
    """
    expected_one_of("concordance", scheme, sorted(CONCORDANCES), error=InputDataError)
    name, key = CONCORDANCES[scheme]
    with (data_root() / name).open("rb") as fh:
        table = _read_csv(fh, name)
    sources = sorted(set(table[key]))
    mat = np.zeros((len(sources), len(INDUSTRIES)))
    pos = {c: i for i, c in enumerate(INDUSTRIES)}
    for row, rec in enumerate(table.itertuples(index=False), start=2):
        src, dst, w = getattr(rec, key), rec.code_139, float(rec.weight)
        if dst not in pos:
            raise InputDataError(f"unknown 2012 industry {dst!r}", file=name, row=row, column="code_139")
        mat[sources.index(src), pos[dst]] += w
    sums = mat.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
    if bad.size:
        raise InputDataError(f"weights of source sector {sources[bad[0]]} sum to {sums[bad[0]]:.6f}, expected 1",
                             file=name, column="weight")
    return xr.DataArray(mat, dims=("source", "industry"), coords={"source": sources, "industry": list(INDUSTRIES)})
