"""``klems yearbook``: the sheet to fill in from one year's provincial statistical yearbook."""

from __future__ import annotations

from pathlib import Path

from klems.base.provinces import province
from klems.cli.checks import workbook_command
from klems.cli.options import add_data_options
from klems.inputs.reader import read_input
from klems.inputs.yearbook import yearbook_sheets
from klems.outputs.files import OutputSet
from klems.outputs.workbook import write_workbook


def register(sub) -> None:
    p = sub.add_parser(
        "yearbook", help="write the sheet of one year's yearbook figures (to extend the data)",
        description="A short workbook of what a provincial statistical yearbook gives for one "
                    "year: GDP, the three sectors and the nine groups; real and price indices; "
                    "GFCF and fixed-asset investment by section; employment and wages; "
                    "optionally the ICT industries' value added and ICT investment; columns for "
                    "revised figures of earlier years. Chinese and English headers and units, "
                    "pre-filled with what the data already hold (for a new year: blanks, with "
                    "the previous year's figures beside). Fill it in, then run 'klems extend'.")
    p.add_argument("--province", default="guangxi", help="pinyin or Chinese name")
    p.add_argument("--year", type=int, required=True, help="the yearbook's year, e.g. 2025")
    p.add_argument("--out", required=True, help="FILE.xlsx")
    p.add_argument("--base", help="pre-fill from this input workbook (e.g. the output of an "
                                  "earlier 'klems extend') instead of the bundled data (default: the bundled data)")
    add_data_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    out = workbook_command(args, "yearbook")
    key = province(args.province).key
    data, name = None, None
    if args.base:
        data, name = read_input(args.base), Path(args.base).name
    sheets = yearbook_sheets(key, args.year, data=data, vintage=args.vintage, base_name=name)
    outs = OutputSet(out.parent)
    outs.add(out.name, lambda p: write_workbook(p, sheets))
    written = outs.commit()
    print(f"wrote the {args.year} yearbook sheet for {key}: {written[0]}")
    print(f"fill it in, then: klems extend --province {key} --input {out} --out "
          f"{key}_to_{args.year}.xlsx" + (f" --base {args.base}" if args.base else ""))
    return 0
