"""The input workbook of ``klems index``: the template, and reading it back.

Sheets (or CSV files of the same names in a folder):

* ``README`` — what to fill in;
* ``indicators`` — the hierarchy: levels 1 and 2 from 表1 (for reference), level 3 the user's
  (code, parent = a second-level code, name_zh, name_en, direction higher/lower, units);
* ``weights`` — experts' direct scores: parent, code, score (any scale; per parent);
* ``judgements`` — pairwise judgements: parent, expert, row, column, value (row is `value` times
  as important as column, Saaty's 1-9 scale); each expert gives every pair of children once;
* ``national`` — code, then one column per year (values of the lowest-level indicators);
* ``regional`` — year, province, then one column per lowest-level indicator code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError
from klems.base.provinces import PROVINCES, province
from klems.devindex.indicators import ROOT, load_hierarchy
from klems.devindex.reproduction import central_weights, grid_solutions

SHEETS = ("indicators", "weights", "judgements", "national", "regional")
EXAMPLE_THIRD = {   # one illustrative third-level indicator per second-level one
    "network": ("5G基站数", "5G base stations", "higher"),
    "platform": ("重点工业互联网平台数", "key industrial-internet platforms", "higher"),
    "security": ("安全监测覆盖企业数", "firms under security monitoring", "higher"),
    "data": ("在用数据中心机架数", "data-centre racks in use", "higher"),
    "identifier": ("标识注册量", "identifiers registered", "higher"),
    "rd_input": ("研发经费投入强度", "R&D intensity", "higher"),
    "innovation_output": ("工业互联网相关专利数", "industrial-internet patents", "higher"),
    "innovation_carrier": ("省级以上创新中心数", "innovation centres", "higher"),
    "industry_scale": ("工业互联网产业规模", "industry value", "higher"),
    "industry_structure": ("软件业务收入占比", "software revenue share", "higher"),
    "industry_quality": ("专精特新企业数", "specialised SMEs", "higher"),
    "industry_vitality": ("新注册企业数", "new firms registered", "higher"),
    "benchmark": ("智能制造示范工厂数", "smart-manufacturing demo factories", "higher"),
    "diffusion": ("企业上云率", "firms on the cloud (share)", "higher"),
    "application_level": ("数字化研发设计工具普及率", "digital R&D tool adoption", "higher"),
    "policy": ("专项政策文件数", "dedicated policy documents", "higher"),
    "funding": ("专项资金规模", "dedicated funds", "higher"),
    "talent": ("数字人才缺口率", "digital-skills gap (share)", "lower"),
    "ecosystem": ("产业联盟成员数", "industry-alliance members", "higher"),
}


# ---- reading -------------------------------------------------------------------------------

def read_tables(path) -> dict[str, pd.DataFrame]:
    """The input sheets from a workbook or a folder of CSV files (missing ones are empty)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    out = {}
    if path.is_dir():
        for name in SHEETS:
            f = path / f"{name}.csv"
            out[name] = pd.read_csv(f) if f.exists() else pd.DataFrame()
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            book = pd.read_excel(path, sheet_name=None, keep_default_na=False, na_values=[""])
        except Exception as exc:  # openpyxl raises several types for a bad file
            raise InputDataError(f"cannot read the workbook ({exc}); expected an .xlsx file "
                                 "written by 'klems index template'", file=str(path)) from None
        out = {name: book.get(name, pd.DataFrame()).dropna(how="all")
               for name in (*SHEETS, "README")}
    else:
        raise InputDataError(f"unsupported input {path.suffix!r}; expected an .xlsx workbook or "
                             "a folder of CSV files", file=str(path))
    return out


def _need(df, cols, file, sheet):
    miss = [c for c in cols if c not in df.columns]
    if miss:
        raise InputDataError(f"missing column(s) {', '.join(miss)}; expected columns "
                             f"{', '.join(cols)}", file=file, sheet=sheet)


def _number(v, file, sheet, row, column):
    try:
        x = float(v)
    except (TypeError, ValueError):
        x = np.nan
    if not np.isfinite(x):
        shown = ("empty cell" if v is None or (isinstance(v, float) and np.isnan(v))
                 else f"value {v!r}")
        raise InputDataError(f"{shown} is not a number; expected a finite number",
                             file=file, sheet=sheet, row=row, column=column)
    return x


def build_inputs(tables, file, hierarchy_path=None):
    """Hierarchy, weight specs and data arrays from the input sheets."""

    h = load_hierarchy(hierarchy_path)
    ind = tables["indicators"]
    if len(ind):
        _need(ind, ["level", "code", "parent"], file, "indicators")
        third = ind[pd.to_numeric(ind["level"], errors="coerce") == 3]
        h = h.with_third_level([{**r, "zh": r.get("name_zh"), "en": r.get("name_en")}
                                for r in third.to_dict("records")])
    direct = {}
    w = tables["weights"]
    if len(w):
        _need(w, ["parent", "code", "score"], file, "weights")
        for k, r in w.iterrows():
            if pd.isna(r["score"]):
                continue
            direct.setdefault(str(r["parent"]), {})[str(r["code"])] = _number(
                r["score"], file, "weights", k + 2, "score")
    judgements = {}
    j = tables["judgements"]
    if len(j):
        _need(j, ["parent", "expert", "row", "column", "value"], file, "judgements")
        j = j[j["value"].notna()]
        for (parent, expert), g in j.groupby(["parent", "expert"], sort=False):
            parent = str(parent)
            kids = h.children(parent) if parent in h else []
            if not kids:
                raise InputDataError(f"judgements for {parent!r}, which has no children; expected "
                                     "'total' or an indicator with children", file=file,
                                     sheet="judgements", indicator=parent)
            m = np.full((len(kids), len(kids)), np.nan)
            np.fill_diagonal(m, 1.0)
            for k, r in g.iterrows():
                a, b = str(r["row"]), str(r["column"])
                if a not in kids or b not in kids:
                    raise InputDataError(f"judgement {a!r} vs {b!r} under {parent!r}; expected "
                                         f"children of {parent!r} ({', '.join(kids)})", file=file,
                                         sheet="judgements", row=k + 2)
                v = _number(r["value"], file, "judgements", k + 2, "value")
                m[kids.index(a), kids.index(b)] = v
                m[kids.index(b), kids.index(a)] = 1.0 / v
            if np.isnan(m).any():
                i, jj = np.argwhere(np.isnan(m))[0]
                raise InputDataError(f"no judgement {kids[i]!r} vs {kids[jj]!r} under {parent!r} "
                                     f"from expert {expert}; expected every pair", file=file,
                                     sheet="judgements", indicator=parent)
            spec = judgements.setdefault(parent, {"children": kids, "experts": []})
            spec["experts"].append(m)
    return h, direct, judgements


def national_array(df, file) -> xr.DataArray | None:
    if not len(df):
        return None
    _need(df, ["code"], file, "national")
    years = [c for c in df.columns if str(c).strip().isdigit()]
    if not years:
        raise InputDataError("no year columns; expected columns named by year (2020, 2021, ...)",
                             file=file, sheet="national")
    vals = np.array([[_number(r[y], file, "national", k + 2, y) for y in years]
                     for k, r in df.iterrows()])
    return xr.DataArray(vals, dims=("indicator", "year"),
                        coords={"indicator": df["code"].astype(str).tolist(),
                                "year": [int(str(y)) for y in years]})


def regional_array(df, file, year=None) -> tuple[xr.DataArray | None, int | None]:

    if not len(df):
        return None, None
    _need(df, ["year", "province"], file, "regional")
    years = sorted(int(y) for y in pd.to_numeric(df["year"], errors="coerce").dropna().unique())
    year = years[-1] if year is None else int(year)
    sub = df[pd.to_numeric(df["year"], errors="coerce") == year]
    if not len(sub):
        raise InputDataError(f"no regional rows for year {year}; expected one of {years}",
                             file=file, sheet="regional", year=year)
    codes = [c for c in sub.columns if c not in ("year", "province")]
    provs = []
    for k, p in zip(sub.index, sub["province"]):
        try:
            provs.append(province(p).key)
        except InputDataError as exc:
            raise InputDataError(str(exc), file=file, sheet="regional", row=k + 2) from None
    vals = np.array([[_number(sub.loc[k, c], file, "regional", k + 2, c) for c in codes]
                     for k in sub.index])
    return xr.DataArray(vals, dims=("province", "indicator"),
                        coords={"province": provs, "indicator": codes}), year




# ---- the template --------------------------------------------------------------------------

README = [
    "klems index: input workbook of the industrial-internet development index (CAICT 2024 method)",
    "indicators: levels 1-2 are 表1 of the report (reference only, edit in a --hierarchy TOML);",
    "  level 3 rows are YOUR indicators: code, parent (a level-2 code), names, direction "
    "(higher/lower is better), units. The rows given are illustrative examples: replace them.",
    "weights: experts' direct scores per group (parent -> its children), any scale; blank = none.",
    "judgements: pairwise judgements per group and expert: 'row' is 'value' times as important as "
    "'column' (Saaty 1-9, 1/3 etc.); every pair once per expert; blank values are ignored.",
    "  A group with judgements and scores gets share s of AHP (--ahp-share, default 0.5).",
    "national: one row per lowest-level indicator, one column per year (index = ratio to base).",
    "regional: one row per province and year, one column per lowest-level indicator (min-max).",
]
SYNTHETIC = ("SYNTHETIC EXAMPLE VALUES generated by 'klems index template --example' for trying "
             "the tool: they are NOT data of any province.")


def _saaty_round(x):
    scale = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7,
                      8, 9])
    return scale[np.argmin(np.abs(np.log(scale) - np.log(x)))]


def template_tables(years, *, example=False, seed=2024) -> dict[str, pd.DataFrame]:
    """The template's sheets; with ``example`` synthetic values in every sheet."""

    base = load_hierarchy()
    third = [{"code": f"{c}_1", "parent": c, "name_zh": EXAMPLE_THIRD[c][0],
              "name_en": EXAMPLE_THIRD[c][1], "direction": EXAMPLE_THIRD[c][2], "units": ""}
             for c in base.level(2)]
    h = base.with_third_level([{**r, "zh": r["name_zh"], "en": r["name_en"]} for r in third])
    ind = h.table()
    rng = np.random.default_rng(seed)
    leaves = h.leaves()
    weights = pd.DataFrame([{"parent": p, "code": c, "score": np.nan}
                            for p in h.parents() for c in h.children(p)])
    judg = pd.DataFrame([{"parent": ROOT, "expert": e, "row": a, "column": b, "value": np.nan}
                         for e in (1, 2) for i, a in enumerate(h.children(ROOT))
                         for b in h.children(ROOT)[i + 1:]])
    national = pd.DataFrame({"code": leaves, **{int(y): np.nan for y in years}})
    regional = pd.DataFrame([{"year": years[-1], "province": p.key, **{c: np.nan for c in leaves}}
                             for p in PROVINCES])
    if example:

        # first-level scores: the 1-point grid vector nearest the centre of the weights that
        # reproduce the published national series (see `klems index reproduce`)
        centre, _ = central_weights(contribution=True)
        grid = grid_solutions(step=1.0, contribution=True)
        best = grid.iloc[int(np.argmin(((grid - centre) ** 2).sum(axis=1)))]
        weights["score"] = [best[c] if p == ROOT else 10.0 for p, c in
                            zip(weights["parent"], weights["code"])]
        w = best.to_numpy(float)
        vals = []
        for e in (1, 2):
            for i in range(len(w)):
                for k in range(i + 1, len(w)):
                    vals.append(_saaty_round(w[i] / w[k] * np.exp(rng.normal(0, 0.15))))
        judg["value"] = vals
        growth = rng.lognormal(np.log(1.25), 0.12, size=len(leaves))
        level0 = rng.lognormal(3, 1, size=len(leaves))
        for k, y in enumerate(years):
            national[int(y)] = np.round(level0 * growth ** k, 3)
        latent = rng.normal(0, 1, size=len(PROVINCES))
        for c in leaves:
            sign = 1 if h[c].direction > 0 else -1
            regional[c] = np.round(np.exp(2 + sign * 0.8 * latent
                                          + rng.normal(0, 0.6, size=len(PROVINCES))), 3)
    return {"README": pd.DataFrame({"klems index": README + ([SYNTHETIC] if example else [])}),
            "indicators": ind, "weights": weights, "judgements": judg,
            "national": national, "regional": regional}


def write_template(path, years, *, example=False, seed=2024) -> Path:
    path = Path(path)
    tables = template_tables(years, example=example, seed=seed)
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in tables.items():
            df.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            for col in ws.columns:
                width = max(len(str(c.value or "")) for c in col[:40])
                ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
    return path
