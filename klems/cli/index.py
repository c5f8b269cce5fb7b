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

from pathlib import Path

import pandas as pd

from klems.base.checks import number
from klems.base.errors import ParameterError
from klems.cli.checks import output_file, output_folder
from klems.cli.config import record
from klems.cli.console import quiet
from klems.cli.options import count, real
from klems.devindex.charts import weight_range_chart
from klems.devindex.reproduction import (
    central_weights,
    grid_solutions,
    is_consistent,
    national_total,
    published_table,
    weight_ranges,
)
from klems.devindex.runner import index_files, index_sheet, run_index
from klems.devindex.workbook import (
    write_template,
)
from klems.outputs.files import OutputSet
from klems.outputs.workbook import write_workbook
from klems.pipeline.options import parse_years


def register(sub) -> None:
    p = sub.add_parser("index", help="industrial-internet development index (AHP weights, "
                                     "national/regional indices, tiers, uncertainty)",
                       description=__doc__.split("\n\n")[0])
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    t = acts.add_parser("template", help="write the input workbook")
    t.add_argument("--out", required=True, help="the .xlsx file to write")
    t.add_argument("--years", default="2020-2023", help="years of the national sheet")
    t.add_argument("--example", action="store_true",
                   help="fill in SYNTHETIC example values (for trying the tool; not real data)")
    t.add_argument("--seed", type=count("--seed", 0, 2**32 - 1), default=2024,
                   help="seed of the synthetic example")
    t.set_defaults(func=run_template)

    r = acts.add_parser("run", help="compute the indices from a filled workbook")
    r.add_argument("--data", required=True, help="the filled .xlsx, or a folder of CSV files")
    r.add_argument("--out", required=True, help="output folder (index.xlsx and PNG charts)")
    r.add_argument("--hierarchy", help="TOML with [[third]] indicators (or a whole hierarchy; "
                                       "default: the CAICT 2024 hierarchy)")
    r.add_argument("--ahp-method", choices=["eigenvector", "geometric"], default="eigenvector",
                   help="priority vector of a judgement matrix")
    r.add_argument("--max-cr", type=real("--max-cr", low=0.0, allow_inf=True), default=0.1,
                   help="largest consistency ratio accepted (inf accepts any)")
    r.add_argument("--ahp-share", type=real("--ahp-share", low=0.0, high=1.0), default=0.5,
                   help="share in [0, 1] of the AHP weights when blended with direct scores")
    r.add_argument("--base-year", type=count("--base-year", 1900, 2100),
                   help="base year of the national index (default: the first year)")
    r.add_argument("--year", type=count("--year", 1900, 2100),
                   help="year of the regional data to rank (default: the last year)")
    r.add_argument("--tiers", type=count("--tiers", 1, 31), default=4,
                   help="number of tiers, 1-31")
    r.add_argument("--tier-method", choices=["jenks", "kmeans"], default="jenks",
                   help="natural breaks (Jenks) or k-means")
    r.add_argument("--draws", type=count("--draws", 1, 10_000_000), default=1000,
                   help="Monte Carlo draws of the weights")
    r.add_argument("--mc-method", choices=["percent", "dirichlet"], default="percent",
                   help="weights drawn ± a fraction, or from a Dirichlet distribution")
    r.add_argument("--spread", type=real("--spread", low=0.0, high=1.0), default=0.2,
                   help="± fraction in [0, 1] for 'percent'")
    r.add_argument("--concentration", type=real("--concentration", low=0.0, low_open=True),
                   default=200.0, help="Dirichlet concentration (> 0)")
    r.add_argument("--seed", type=count("--seed", 0, 2**32 - 1), default=0,
                   help="seed of the Monte Carlo draws and k-means")
    r.add_argument("--no-charts", action="store_true", help="write the workbook only")
    r.set_defaults(func=run_index_command)

    q = acts.add_parser("reproduce", help="first-level weights consistent with the published "
                                          "national series (CAICT 2024, 图1-2)")
    q.add_argument("--weights", help="5 first-level weights to test, comma-separated "
                                     "(foundation,innovation,industry,application,"
                                     "environment; default: none)")
    q.add_argument("--out", help="folder for weight_ranges.xlsx and weight_ranges.png "
                                 "(default: none written)")
    q.add_argument("--grid-step", type=real("--grid-step", low=0.0, high=100.0), default=0.0,
                   help="also list consistent weight vectors on this grid (points; a divisor "
                        "of 100 such as 1 or 2.5; 0: no grid)")
    q.set_defaults(func=run_reproduce)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


# ---- actions -------------------------------------------------------------------------------

def run_template(args) -> int:
    span = parse_years(args.years, name="--years")
    out = output_file(args.out, (".xlsx",))
    outs = OutputSet(out.parent if str(out.parent) else ".")
    outs.add(out.name, lambda p: write_template(p, list(range(span[0], span[1] + 1)),
                                                example=args.example, seed=args.seed))
    record(outs, args, out.stem)
    outs.commit()
    if not quiet(args):
        print(f"wrote {out}" + (" (SYNTHETIC example values)" if args.example else ""))
    return 0


def run_index_command(args) -> int:
    output_folder(args.out)
    if not Path(args.data).exists():
        raise ParameterError(f"--data {args.data!r}: no such file or folder; expected the filled "
                             ".xlsx or a folder of CSV files (see 'klems index template')")
    result = run_index(args.data, hierarchy=args.hierarchy, ahp_method=args.ahp_method,
                       max_cr=args.max_cr, ahp_share=args.ahp_share, base_year=args.base_year,
                       year=args.year, tiers=args.tiers, tier_method=args.tier_method,
                       draws=args.draws, mc_method=args.mc_method, spread=args.spread,
                       concentration=args.concentration, seed=args.seed)
    outs = OutputSet(args.out)
    index_files(result, outs, charts=not args.no_charts)
    record(outs, args, "index")
    written = outs.commit()
    print(result.report)
    for w in result.warnings:
        print(f"warning: {w}")
    if not quiet(args):
        print(f"wrote {args.out}: " + ", ".join(sorted(p.name for p in written)))
    return 0


def run_reproduce(args) -> int:
    weights = None
    if args.weights is not None:
        items = [x.strip() for x in args.weights.split(",")]
        if len(items) != 5:
            raise ParameterError(f"--weights {args.weights!r}: {len(items)} item(s); expected 5 "
                                 "weights separated by commas (foundation,innovation,industry,"
                                 "application,environment)")
        weights = [number(f"--weights item {i + 1}", x, low=0.0) for i, x in enumerate(items)]
        if sum(weights) <= 0:
            raise ParameterError(f"--weights {args.weights!r}: the weights sum to 0; expected a "
                                 "positive sum")
    output_folder(args.out)
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
    if weights is not None:
        w = weights
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
        outs = OutputSet(args.out)
        sheets = [index_sheet("published", tab)] + [
            index_sheet(f"{mode}{'+contribution' if contrib else ''}", r)
            for (mode, contrib), r in blocks.items()]
        outs.add("weight_ranges.xlsx", lambda p: write_workbook(p, sheets))
        r = blocks[("rounded", True)]
        outs.add("weight_ranges.png", lambda p: weight_range_chart(
            r, r["centre"], p, "totals and sub-indices rounded (±0.5) + 17.3 % contribution of "
                               "基础能力 to the 2023 increase (p. 13); bars: ranges, ◆: centre"))
        record(outs, args, "weight_ranges")
        outs.commit()
        print(f"\nwrote {Path(args.out) / 'weight_ranges.xlsx'}, "
              f"{Path(args.out) / 'weight_ranges.png'}")
    return 0
