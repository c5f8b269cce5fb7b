"""``klems extend``: a province's data extended by filled-in yearbook sheets."""

from __future__ import annotations

from pathlib import Path

from klems.base.provinces import province
from klems.cli.checks import workbook_command
from klems.cli.options import add_data_options
from klems.datasets.bundled import load_dataset
from klems.inputs.extended_workbook import extended_sheets
from klems.inputs.extension import extend
from klems.inputs.reader import read_input
from klems.inputs.yearbook import read_yearbook
from klems.outputs.files import OutputSet
from klems.outputs.workbook import write_workbook
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions


def register(sub) -> None:
    p = sub.add_parser(
        "extend", help="extend a province's data by yearbook sheets (klems yearbook)",
        description="Adds the years of the filled-in yearbook sheets to the bundled data (or "
                    "your own workbook, --base): last year's structure carried forward and "
                    "balanced to the yearbook's margins, each added variable-year labelled "
                    "published/derived/modelled with its rule; earlier years change only where a "
                    "yearbook carries a revision, and every revision is listed. Writes a complete "
                    "input workbook for 'klems validate' and 'klems estimate --input'; it "
                    "records the freeze year (--freeze-through of klems estimate) so that the "
                    "years already published do not move.")
    p.add_argument("--province", default="guangxi", help="pinyin or Chinese name")
    p.add_argument("--input", action="append", required=True, metavar="YEARBOOK.xlsx",
                   help="a filled-in yearbook sheet (repeat for several years)")
    p.add_argument("--base", help="your own input workbook to extend (default: the bundled data)")
    p.add_argument("--out", required=True, help="FILE.xlsx")
    add_data_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    out = workbook_command(args, "extend")
    key = province(args.province).key
    yearbooks = [read_yearbook(path) for path in args.input]
    if args.base:
        data = read_input(args.base)
        ict = data["ict_deflator"]
    else:
        data = load_dataset(key, vintage=args.vintage)
        ict = prepare_inputs(key, EstimateOptions(), data)[2]
    ext = extend(data, ict, yearbooks, province=key)
    sheets = extended_sheets(ext, key, [Path(p).name for p in args.input])
    outs = OutputSet(out.parent)
    outs.add(out.name, lambda p: write_workbook(p, sheets))
    written = outs.commit()
    years = [int(y) for y in ext.data.year.values]
    print(f"wrote {written[0]}: {key} {years[0]}-{years[-1]} "
          f"({len(yearbooks)} year(s) added; freeze_through {ext.freeze_through})")
    notes = ext.notes_frame()
    for y, part in notes.groupby("year"):
        counts = part["status"].value_counts().to_dict()
        print(f"  {y}: " + ", ".join(f"{n} {s}" for s, n in counts.items())
              + " variables (sheet extension lists each with its rule)")
    revs = ext.revisions_frame()
    if len(revs):
        print(f"revisions of earlier years ({len(revs)}; sheet revisions):")
        for r in revs.itertuples():
            print(f"  {r.year} {r.item}: {r.old:,.2f} -> {r.new:,.2f} ({r.change_pct:+.2f} %) "
                  f"[{r.source}]")
    else:
        print("no revision of earlier years: the years already in the data are unchanged")
    print(f"next: klems validate {out}; klems estimate --input {out}")
    return 0
