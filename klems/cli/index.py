"""``klems index``: the industrial-internet development index (CAICT 2024 method).

    klems index template --out data.xlsx [--example]   the input workbook (example values: synthetic)
    klems index run --data data.xlsx --out DIR          national and regional indices, tiers,
                                                        rank intervals: DIR/index.xlsx and PNGs
    klems index reproduce [--out DIR]                   weights consistent with the published
                                                        national series (linear programmes)

The input is an Excel workbook (or a folder of CSV files of the same names) with sheets
``indicators`` (third-level indicators: code, parent, name_zh, name_en, direction, units),
``weights`` (direct scores: parent, code, score), ``judgements`` (pairwise judgements: parent,
expert, row, column, value — "row is `value` times as important as column"), ``national``
(code, then one column per year) and ``regional`` (year, province, then one column per code).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from klems.base.errors import InputDataError
from klems.base.provinces import province
from klems.devindex import charts as ch
from klems.devindex.charts import weight_range_chart
from klems.devindex.indicators import ROOT, national_index, regional_index, resolve_weights
from klems.devindex.reproduction import (
    central_weights,
    grid_solutions,
    is_consistent,
    national_total,
    published_table,
    weight_ranges,
)
from klems.devindex.tiers import assign_tiers, compare_with_published, tier_table
from klems.devindex.weight_uncertainty import rank_intervals
from klems.devindex.workbook import (
    build_inputs,
    national_array,
    read_tables,
    regional_array,
    write_template,
)
from klems.outputs.fonts import use_cjk_font
from klems.outputs.provenance import file_sha256, provenance_attrs


def register(sub) -> None:
    p = sub.add_parser("index", help="industrial-internet development index (AHP weights, "
                                     "national/regional indices, tiers, uncertainty)",
                       description=__doc__.split("\n\n")[0])
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    t = acts.add_parser("template", help="write the input workbook")
    t.add_argument("--out", required=True, help="the .xlsx file to write")
    t.add_argument("--years", default="2020-2023", help="years of the national sheet (2020-2023)")
    t.add_argument("--example", action="store_true",
                   help="fill in SYNTHETIC example values (for trying the tool; not real data)")
    t.add_argument("--seed", type=int, default=2024, help="seed of the synthetic example")
    t.set_defaults(func=run_template)

    r = acts.add_parser("run", help="compute the indices from a filled workbook")
    r.add_argument("--data", required=True, help="the filled .xlsx, or a folder of CSV files")
    r.add_argument("--out", required=True, help="output folder (index.xlsx and PNG charts)")
    r.add_argument("--hierarchy", help="TOML with [[third]] indicators (or a whole hierarchy)")
    r.add_argument("--ahp-method", choices=["eigenvector", "geometric"], default="eigenvector")
    r.add_argument("--max-cr", type=float, default=0.1,
                   help="largest consistency ratio accepted (default 0.1; --max-cr inf to accept any)")
    r.add_argument("--ahp-share", type=float, default=0.5,
                   help="share of the AHP weights when blended with direct scores (default 0.5)")
    r.add_argument("--base-year", type=int, help="base year of the national index (default first)")
    r.add_argument("--year", type=int, help="year of the regional data to rank (default last)")
    r.add_argument("--tiers", type=int, default=4, help="number of tiers (default 4)")
    r.add_argument("--tier-method", choices=["jenks", "kmeans"], default="jenks")
    r.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws of the weights")
    r.add_argument("--mc-method", choices=["percent", "dirichlet"], default="percent")
    r.add_argument("--spread", type=float, default=0.2, help="± fraction for 'percent' (0.2)")
    r.add_argument("--concentration", type=float, default=200.0, help="Dirichlet concentration")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--no-charts", action="store_true", help="write the workbook only")
    r.set_defaults(func=run_index)

    q = acts.add_parser("reproduce", help="first-level weights consistent with the published "
                                          "national series (CAICT 2024, 图1-2)")
    q.add_argument("--weights", help="5 first-level weights to test, comma-separated "
                                     "(foundation,innovation,industry,application,environment)")
    q.add_argument("--out", help="folder for weight_ranges.xlsx and weight_ranges.png")
    q.add_argument("--grid-step", type=float, default=0.0,
                   help="also list consistent weight vectors on this grid (points), e.g. 1")
    q.set_defaults(func=run_reproduce)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


# ---- actions -------------------------------------------------------------------------------

def _atomic_outputs(out_dir):
    """A temporary folder beside ``out_dir``; call the returned commit() to move files in."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".klems-index-", dir=out.parent))

    def commit():
        out.mkdir(parents=True, exist_ok=True)
        for f in sorted(tmp.iterdir()):
            os.replace(f, out / f.name)
        tmp.rmdir()

    return tmp, commit


def run_template(args) -> int:

    out = Path(args.out)
    try:
        y0, y1 = (int(x) for x in args.years.split("-"))
    except ValueError:
        raise InputDataError(f"years {args.years!r}; expected FIRST-LAST such as 2020-2023") from None
    tmp, commit = _atomic_outputs(out.parent)
    try:
        write_template(tmp / out.name, list(range(y0, y1 + 1)), example=args.example,
                       seed=args.seed)
        commit()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {out}" + (" (SYNTHETIC example values)" if args.example else ""))
    return 0


def run_index(args) -> int:
    
    tmp, commit = _atomic_outputs(args.out)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            report = compute_and_write(args, tmp)
        commit()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(report)
    for w in caught:
        print(f"warning: {w.message}")
    print(f"wrote {args.out}: " + ", ".join(sorted(p.name for p in Path(args.out).iterdir()
                                                   if not p.name.startswith("."))))
    return 0


def run_reproduce(args) -> int:

    pd.set_option("display.width", 200)
    tab = published_table()
    print("Published national series (CAICT 2024, 图1 p. 12 and 图2 p. 13; 2020 = 100):")
    print(tab.to_string())
    blocks = {}
    for mode, contrib, label in [("rounded", False, "totals and sub-indices rounded (±0.5)"),
                                 ("exact", False, "sub-indices exact, totals rounded (±0.5)"),
                                 ("growth", False, "sub-indices narrowed by printed growth rates"),
                                 ("rounded", True, "rounded + 17.3 % contribution of 基础能力 "
                                                   "to the 2023 increase (p. 13)")]:
        r = weight_ranges(mode=mode, contribution=contrib)
        c, rad = central_weights(mode=mode, contribution=contrib)
        r["centre"] = c
        blocks[(mode, contrib)] = r
        print(f"\nFirst-level weight ranges (points of 100), {label}:")
        print(r.round(2).to_string())
        print(f"  centre: farthest from every constraint by {rad:.2f} points")
    if args.weights:
        w = [float(x) for x in args.weights.split(",")]
        tot = national_total(w)
        print(f"\nTotal for weights {w}: " + ", ".join(f"{y}: {v:.1f}" for y, v in tot.items()))
        print("consistent with the published totals (±0.5, sub-indices ±0.5): "
              f"{'yes' if is_consistent(w) else 'no'}")
    if args.grid_step:
        g = grid_solutions(step=args.grid_step, contribution=True)
        print(f"\n{len(g)} weight vectors on a {args.grid_step:g}-point grid are consistent "
              "(rounded + contribution); first ones:")
        print(g.head(10).to_string(index=False))
    if args.out:

        tmp, commit = _atomic_outputs(args.out)
        try:
            with pd.ExcelWriter(tmp / "weight_ranges.xlsx") as xw:
                tab.to_excel(xw, sheet_name="published")
                for (mode, contrib), r in blocks.items():
                    r.to_excel(xw, sheet_name=f"{mode}{'+contribution' if contrib else ''}")
            r = blocks[("rounded", True)]
            weight_range_chart(r, r["centre"], tmp / "weight_ranges.png",
                               "totals and sub-indices rounded (±0.5) + 17.3 % contribution of "
                               "基础能力 to the 2023 increase (p. 13); bars: ranges, ◆: centre")
            commit()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"\nwrote {Path(args.out) / 'weight_ranges.xlsx'}, "
              f"{Path(args.out) / 'weight_ranges.png'}")
    return 0


def compute_and_write(args, folder: Path) -> str:
    """Compute every result of ``klems index run`` and write them into ``folder``."""

    file = str(args.data)
    tables = read_tables(args.data)
    h, direct, judgements = build_inputs(tables, file, args.hierarchy)
    nat = national_array(tables["national"], file)
    reg, year = regional_array(tables["regional"], file, args.year)
    if nat is None and reg is None:
        raise InputDataError("the 'national' and 'regional' sheets are both empty; expected data "
                             "in at least one", file=file)
    max_cr = None if not np.isfinite(args.max_cr) else args.max_cr
    weights, wtable = resolve_weights(h, direct=direct, judgements=judgements,
                                      share_ahp=args.ahp_share, method=args.ahp_method,
                                      max_cr=max_cr)
    sheets = {"weights": wtable}
    readme = tables.get("README", pd.DataFrame())
    synthetic = any("SYNTHETIC" in str(v) for v in readme.to_numpy().ravel())
    lines = (["NOTE: the input holds SYNTHETIC example values (klems index template --example): "
              "the results are a demonstration, not a measurement.", ""] if synthetic else [])
    lines += ["Weights (points of 100 within each group; global = share of the total):",
             wtable[wtable.level <= 1][["parent", "code", "ahp_points", "direct_points",
                                        "weight_points", "consistency_ratio", "method"]]
             .round(3).to_string(index=False)]
    charts = []

    if nat is not None:
        nds = national_index(nat, h, weights, base_year=args.base_year, file=file)
        df = nds["index"].to_pandas()
        df.insert(0, "name_zh", nds.name_zh.values)
        df.insert(1, "level", nds.level.values)
        sheets["national"] = df
        lines += ["", f"National index ({nds['index'].attrs['units']}), total and first level:",
                  df[df.level <= 1].round(2).to_string()]
        if not args.no_charts:
            charts.append(lambda: ch.national_chart(nds, folder / "national.png"))
    if reg is not None:
        ds = regional_index(reg, h, weights, file=file)
        score = ds["score"]
        total = score.sel(node=ROOT, drop=True)
        tier = assign_tiers(total, args.tiers, method=args.tier_method, seed=args.seed)
        unc = rank_intervals(ds["normalised"], h, weights, n_draws=args.draws,
                             method=args.mc_method, spread=args.spread,
                             concentration=args.concentration, seed=args.seed)
        names = {p: province(p).short_zh for p in total.province.values.tolist()}
        table = pd.DataFrame({
            "province": total.province.values, "name_zh": [names[p] for p in names],
            "score": total.values, "rank": ds["rank"].sel(node=ROOT).values, "tier": tier.values,
            "rank_low": unc["rank_low"].values, "rank_median": unc["rank_median"].values,
            "rank_high": unc["rank_high"].values, "rank_min": unc["rank_min"].values,
            "rank_max": unc["rank_max"].values}).sort_values("rank")
        first = score.where(score.level <= 1, drop=True).to_pandas().T
        sheets.update({"regional": table, "regional_by_indicator": score.to_pandas().T,
                       "regional_first_level": first,
                       "tiers": tier_table(tier, total).assign(
                           members_zh=lambda d: d["members"].map(
                               lambda s: "、".join(names[p] for p in s.split(", ")))),
                       "normalised": ds["normalised"].to_pandas().T})
        lines += ["", f"Regional index {year} (0-100), tiers ({args.tier_method}, k={args.tiers})"
                  f" and {unc.attrs['interval']:.0%} rank intervals over {args.draws} weight "
                  f"draws ({args.mc_method}):", table.round(2).to_string(index=False),
                  "", "Tier membership:", sheets["tiers"].round(2).to_string(index=False)]
        try:
            cross = compare_with_published(tier)
            sheets["tiers_vs_report"] = cross
            lines += ["", "Computed tiers (rows) vs the report's 图12 tiers (columns):",
                      cross.to_string()]
        except InputDataError:
            pass
        if not args.no_charts:

            use_zh = use_cjk_font(warn=False) is not None
            label = names if use_zh else {p: province(p).en for p in names}
            charts.append(lambda: ch.tier_map(tier, total, folder / "tier_map.png", label))
            charts.append(lambda: ch.rank_interval_chart(unc, folder / "rank_intervals.png",
                                                         label))
            for p in names:
                charts.append(lambda p=p: ch.radar_chart(score, p, folder / f"radar_{p}.png",
                                                         title=label[p]))
    params = {k: v for k, v in vars(args).items() if k != "func"}
    prov = provenance_attrs(params, inputs={Path(file).name: file_sha256(file)}
                            if Path(file).is_file() else None,
                            command="klems index run")
    sheets["provenance"] = pd.DataFrame({"key": list(prov), "value": list(prov.values())})
    with pd.ExcelWriter(folder / "index.xlsx", engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name[:31], index=not isinstance(df.index, pd.RangeIndex))
    for make in charts:
        make()
    return "\n".join(lines)
