"""``run_index``: the industrial-internet development index from a filled workbook, as a library
call (``klems index run`` is a thin command over it), and ``index_files``: its workbook and charts.

    result = run_index("data.xlsx", tiers=4, draws=1000, seed=0)
    result.national            # xarray Dataset of the national index (None without national data)
    result.regional_table      # pandas DataFrame: score, rank, tier, rank intervals per province
    result.report              # the text the command prints

Every keyword is checked here (ranges, NaN), so the command and a script get the same errors.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from klems.base.provinces import province
from klems.devindex import charts as ch
from klems.devindex.ahp import METHODS as AHP_METHODS
from klems.devindex.indicators import ROOT, national_index, regional_index, resolve_weights
from klems.devindex.tiers import (
    METHODS as TIER_METHODS,
    assign_tiers,
    compare_with_published,
    tier_table,
)
from klems.devindex.weight_uncertainty import METHODS as MC_METHODS, rank_intervals
from klems.devindex.workbook import build_inputs, national_array, read_tables, regional_array
from klems.outputs.files import OutputSet
from klems.outputs.fonts import use_cjk_font
from klems.outputs.provenance import file_sha256, provenance_attrs
from klems.outputs.workbook import Column, Sheet, write_workbook


@dataclass
class IndexResult:
    """Everything ``klems index run`` computes and writes."""

    sheets: dict[str, pd.DataFrame]
    report: str
    synthetic: bool
    year: int | None = None
    national: xr.Dataset | None = None
    regional: xr.Dataset | None = None
    tiers: xr.DataArray | None = None
    uncertainty: xr.Dataset | None = None
    warnings: list[str] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)

    @property
    def regional_table(self) -> pd.DataFrame | None:
        return self.sheets.get("regional")


def _check(name, value, *, low=-math.inf, high=math.inf, integer=False, allow_inf=False):
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if ok and integer:
        ok = float(value).is_integer()
    if ok:
        ok = (math.isfinite(value) or (allow_inf and value == math.inf)) and low <= value <= high
    if not ok:
        kind = "a whole number" if integer else "a number"
        raise ParameterError(f"{name} must be {kind} in [{low:g}, {high:g}], got {value!r}",
                             parameter=name)


def run_index(data, *, hierarchy=None, ahp_method: str = "eigenvector", max_cr: float = 0.1,
              ahp_share: float = 0.5, base_year: int | None = None, year: int | None = None,
              tiers: int = 4, tier_method: str = "jenks", draws: int = 1000,
              mc_method: str = "percent", spread: float = 0.2, concentration: float = 200.0,
              seed: int = 0) -> IndexResult:
    """National and regional indices, tiers and rank intervals from the workbook ``data`` (an
    .xlsx file or a folder of CSV files; see ``klems index template``).

    ``max_cr``: the largest consistency ratio accepted (``math.inf`` accepts any);
    ``ahp_share``: share of the AHP weights when blended with direct scores; ``tiers`` and
    ``tier_method`` (jenks, kmeans); ``draws``, ``mc_method`` (percent, dirichlet), ``spread``,
    ``concentration`` and ``seed`` of the Monte Carlo over the weights.
    """
    expected_one_of("AHP method", ahp_method, AHP_METHODS)
    expected_one_of("tier method", tier_method, TIER_METHODS)
    expected_one_of("weight-uncertainty method", mc_method, MC_METHODS)
    _check("max_cr", max_cr, low=0.0, allow_inf=True)
    _check("ahp_share", ahp_share, low=0.0, high=1.0)
    _check("tiers", tiers, low=1, high=31, integer=True)
    _check("draws", draws, low=1, high=10_000_000, integer=True)
    _check("spread", spread, low=0.0, high=1.0)
    _check("concentration", concentration, low=1e-9)
    _check("seed", seed, low=0, high=2**32 - 1, integer=True)
    file = str(data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = read_tables(data)
        h, direct, judgements = build_inputs(tables, file, hierarchy)
        nat = national_array(tables["national"], file)
        reg, year = regional_array(tables["regional"], file, year)
        if nat is None and reg is None:
            raise InputDataError("the 'national' and 'regional' sheets are both empty; expected "
                                 "data in at least one", file=file)
        weights, wtable = resolve_weights(h, direct=direct, judgements=judgements,
                                          share_ahp=ahp_share, method=ahp_method,
                                          max_cr=None if not math.isfinite(max_cr) else max_cr)
        readme = tables.get("README", pd.DataFrame())
        synthetic = any("SYNTHETIC" in str(v) for v in readme.to_numpy().ravel())
        result = IndexResult(sheets={"weights": wtable}, report="", synthetic=synthetic,
                             year=year)
        lines = (["NOTE: the input holds SYNTHETIC example values (klems index template "
                  "--example): the results are a demonstration, not a measurement.", ""]
                 if synthetic else [])
        lines += ["Weights (points of 100 within each group; global = share of the total):",
                  wtable[wtable.level <= 1][["parent", "code", "ahp_points", "direct_points",
                                             "weight_points", "consistency_ratio", "method"]]
                  .round(3).to_string(index=False)]
        if nat is not None:
            nds = national_index(nat, h, weights, base_year=base_year, file=file)
            df = nds["index"].to_pandas()
            df.insert(0, "name_zh", nds.name_zh.values)
            df.insert(1, "level", nds.level.values)
            result.national = nds
            result.sheets["national"] = df
            lines += ["", f"National index ({nds['index'].attrs['units']}), total and first "
                      "level:", df[df.level <= 1].round(2).to_string()]
        if reg is not None:
            ds = regional_index(reg, h, weights, file=file)
            score = ds["score"]
            total = score.sel(node=ROOT, drop=True)
            tier = assign_tiers(total, int(tiers), method=tier_method, seed=int(seed))
            unc = rank_intervals(ds["normalised"], h, weights, n_draws=int(draws),
                                 method=mc_method, spread=spread, concentration=concentration,
                                 seed=int(seed))
            names = {p: province(p).short_zh for p in total.province.values.tolist()}
            table = pd.DataFrame({
                "province": total.province.values, "name_zh": [names[p] for p in names],
                "score": total.values, "rank": ds["rank"].sel(node=ROOT).values,
                "tier": tier.values, "rank_low": unc["rank_low"].values,
                "rank_median": unc["rank_median"].values, "rank_high": unc["rank_high"].values,
                "rank_min": unc["rank_min"].values,
                "rank_max": unc["rank_max"].values}).sort_values("rank")
            first = score.where(score.level <= 1, drop=True).to_pandas().T
            result.regional, result.tiers, result.uncertainty = ds, tier, unc
            result.sheets.update({
                "regional": table, "regional_by_indicator": score.to_pandas().T,
                "regional_first_level": first,
                "tiers": tier_table(tier, total).assign(members_zh=lambda d: d["members"].map(
                    lambda s: "、".join(names[p] for p in s.split(", ")))),
                "normalised": ds["normalised"].to_pandas().T})
            lines += ["", f"Regional index {year} (0-100), tiers ({tier_method}, k={tiers})"
                      f" and {unc.attrs['interval']:.0%} rank intervals over {draws} weight "
                      f"draws ({mc_method}):", table.round(2).to_string(index=False),
                      "", "Tier membership:",
                      result.sheets["tiers"].round(2).to_string(index=False)]
            try:
                cross = compare_with_published(tier)
                result.sheets["tiers_vs_report"] = cross
                lines += ["", "Computed tiers (rows) vs the report's 图12 tiers (columns):",
                          cross.to_string()]
            except InputDataError:
                pass
    params = dict(hierarchy=hierarchy and str(hierarchy), ahp_method=ahp_method, max_cr=max_cr,
                  ahp_share=ahp_share, base_year=base_year, year=year, tiers=tiers,
                  tier_method=tier_method, draws=draws, mc_method=mc_method, spread=spread,
                  concentration=concentration, seed=seed, synthetic=synthetic)
    result.provenance = provenance_attrs(
        params, inputs={Path(file).name: file_sha256(file)} if Path(file).is_file() else None,
        command="klems index run")
    result.sheets["provenance"] = pd.DataFrame({"key": list(result.provenance),
                                                "value": [str(v) for v in
                                                          result.provenance.values()]})
    result.report = "\n".join(lines)
    result.warnings = [str(w.message) for w in caught]
    return result


#: sheet key -> Chinese sheet name of the index workbook
SHEET_NAMES = {"weights": "权重", "national": "全国指数", "regional": "各省指数",
               "regional_by_indicator": "各省分指标得分", "regional_first_level": "各省一级指标得分",
               "tiers": "梯队", "normalised": "标准化指标值", "tiers_vs_report": "梯队与报告对比",
               "provenance": "来源", "published": "已公布指数"}
#: column -> (Chinese header, units of the number format; see klems.outputs.workbook.FORMATS)
COLUMNS = {
    "code": ("指标代码", ""), "node": ("指标代码", ""), "parent": ("上级指标", ""),
    "level": ("层级", "count"), "name_zh": ("名称", ""), "name_en": ("英文名称", ""),
    "province": ("省份", ""), "score": ("得分（0-100）", "index"), "rank": ("排名", "count"),
    "tier": ("梯队", "count"), "rank_low": ("排名区间下限", "count"),
    "rank_median": ("排名中位数", "index"), "rank_high": ("排名区间上限", "count"),
    "rank_min": ("最高排名", "count"), "rank_max": ("最低排名", "count"),
    "ahp_points": ("AHP权重（分）", "index"), "direct_points": ("直接赋权（分）", "index"),
    "weight_points": ("权重（分）", "index"), "global_weight": ("全局权重", "1"),
    "consistency_ratio": ("一致性比率CR", "index"), "method": ("方法", ""),
    "members": ("成员", ""), "members_zh": ("成员（中文）", ""), "key": ("项目", ""),
    "value": ("内容", ""), "min_points": ("最小值（分）", "index"),
    "max_points": ("最大值（分）", "index"), "centre": ("中心值（分）", "index"),
}
SYNTHETIC_BANNER = "SYNTHETIC 示例数据（klems index template --example），仅供演示，非实测结果"


def index_sheet(name: str, frame: pd.DataFrame, *, banner: str | None = None) -> Sheet:
    """A sheet of the project's workbook writer: a Chinese sheet name, a labelled index as a
    named first column kept in view, Chinese headers and number formats by column."""
    if frame.index.name is None and pd.api.types.is_integer_dtype(frame.index):
        frame = frame.reset_index(drop=True)        # row positions (e.g. after sorting)
    named_index = not isinstance(frame.index, pd.RangeIndex)
    if named_index:
        frame = frame.reset_index()
        if frame.columns[0] in ("index", None, 0):
            frame = frame.rename(columns={frame.columns[0]: "code"})
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    cols = []
    for c in frame.columns:
        zh, units = COLUMNS.get(c, (c, ""))
        fmt = None
        if not units and pd.api.types.is_numeric_dtype(frame[c]) \
                and not pd.api.types.is_bool_dtype(frame[c]):
            fmt = "0" if pd.api.types.is_integer_dtype(frame[c]) else "0.00"
            if c.isdigit():
                zh = f"{c}年"        # a year's values (national index by year)
        cols.append(Column(c, c, zh, units, number_format=fmt))
    first_is_label = len(frame.columns) > 1 and not pd.api.types.is_numeric_dtype(frame.iloc[:, 0])
    return Sheet(SHEET_NAMES.get(name, name), frame, cols,
                 freeze_columns=int(named_index or first_is_label), banner=banner)


def synthetic_sheet() -> Sheet:
    """The first sheet of a workbook made from the template's example values."""
    text = [SYNTHETIC_BANNER,
            "The input holds SYNTHETIC example values made by 'klems index template --example' "
            "for trying the tool: every number in this workbook is a demonstration, not a "
            "measurement.",
            "输入为“klems index template --example”生成的示例数据：本工作簿中的所有数字仅供演示，"
            "不是测算结果。"]
    frame = pd.DataFrame({"note": text})
    return Sheet("SYNTHETIC示例数据", frame, [Column("note", "SYNTHETIC", "示例数据说明")],
                 banner=SYNTHETIC_BANNER)


def index_files(result: IndexResult, outs: OutputSet, *, charts: bool = True) -> None:
    """Register the workbook ``index.xlsx`` and the charts of ``result`` in ``outs``."""
    banner = SYNTHETIC_BANNER if result.synthetic else None
    sheets = ([synthetic_sheet()] if result.synthetic else []) + [
        index_sheet(name, df, banner=banner) for name, df in result.sheets.items()]
    outs.add("index.xlsx", lambda p: write_workbook(p, sheets))
    if not charts:
        return
    mark = ch.SYNTHETIC_MARK if result.synthetic else None
    if result.national is not None:
        nds = result.national
        outs.add("national.png", lambda p: ch.national_chart(nds, p, watermark=mark))
    if result.regional is not None:
        score = result.regional["score"]
        total = score.sel(node=ROOT, drop=True)
        names = {p: province(p).short_zh for p in total.province.values.tolist()}
        use_zh = use_cjk_font(warn=False) is not None
        label = names if use_zh else {p: province(p).en for p in names}
        tier, unc = result.tiers, result.uncertainty
        outs.add("tier_map.png", lambda p: ch.tier_map(tier, total, p, label, watermark=mark))
        outs.add("rank_intervals.png",
                 lambda p: ch.rank_interval_chart(unc, p, label, watermark=mark))
        for key in names:
            outs.add(f"radar_{key}.png", lambda p, key=key: ch.radar_chart(
                score, key, p, title=label[key], watermark=mark))
