"""``klems template``: the input workbook (or CSV folder) to fill in with one's own data."""

from __future__ import annotations

from pathlib import Path

from klems.base.errors import ParameterError
from klems.cli.config import record
from klems.cli.console import quiet
from klems.inputs.template import template_tables, write_csv_sheet, write_template
from klems.outputs.files import OutputSet
from klems.pipeline.options import parse_years

ENCODINGS = {"utf-8": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030"}


def register(sub) -> None:
    p = sub.add_parser(
        "template", help="write the input template (pre-filled with the bundled data)",
        description="An .xlsx workbook (or, with --format csv, a folder of CSV files) in the "
                    "layout that 'klems validate' and 'klems estimate --input' read: industries, "
                    "totals, value added and its components, gross output, intermediates, "
                    "labour, ICT investment by asset, prices, published totals, data status; "
                    "Chinese and English headers, a units row and an instructions sheet. The "
                    "bundled data are pre-filled: overwrite what you know better.")
    p.add_argument("--province", default="guangxi",
                   help="province whose bundled data pre-fill the template (pinyin or Chinese)")
    p.add_argument("--out", required=True,
                   help="FILE.xlsx, or a folder with --format csv")
    p.add_argument("--format", choices=["xlsx", "csv"], default=None,
                   help="xlsx or csv (a folder of CSV files) (default: xlsx for a name ending "
                        "in .xlsx)")
    p.add_argument("--years", help="years of the template, e.g. 2012-2022 (default: all "
                                   "bundled years)")
    p.add_argument("--encoding", choices=sorted(ENCODINGS), default="utf-8",
                   help="CSV encoding: utf-8 (with BOM; Excel opens it) or gbk/gb18030")
    p.set_defaults(func=run)


def run(args) -> int:

    parse_years(args.years, name="--years")
    if not str(args.out).strip():
        raise ParameterError("--out is empty; expected FILE.xlsx or a folder")
    out = Path(args.out)
    fmt = args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else None)
    if fmt is None:
        raise ParameterError(f"--out {args.out!r}: expected a FILE.xlsx, or --format csv with a "
                             "folder")
    if fmt == "xlsx" and out.suffix.lower() != ".xlsx":
        raise ParameterError(f"--out {args.out!r}: expected a name ending in .xlsx")
    if fmt == "csv" and out.exists() and not out.is_dir():
        raise ParameterError(f"--out {args.out!r} is a file; expected a folder for --format csv")
    if fmt == "xlsx" and out.is_dir():
        raise ParameterError(f"--out {args.out!r} is a folder; expected a FILE.xlsx")
    if args.encoding != "utf-8" and fmt == "xlsx":
        raise ParameterError(f"--encoding {args.encoding} applies to --format csv only")
    sheets = template_tables(args.province, args.years)
    if fmt == "xlsx":
        outs = OutputSet(out.parent if str(out.parent) else Path("."))
        outs.add(out.name, lambda p: write_template(p, sheets))
    else:
        outs = OutputSet(out)
        enc = ENCODINGS[args.encoding]
        for sheet in sheets:
            outs.add(f"{sheet.name}.csv", lambda p, s=sheet: write_csv_sheet(p, s, enc))
    record(outs, args, out.stem if fmt == "xlsx" else "template")
    written = outs.commit()
    n_csv = sum(p.suffix == ".csv" for p in written)
    if quiet(args):
        return 0
    print(f"wrote {fmt} template for {args.province}: "
          + (str(written[0]) if fmt == "xlsx" else f"{out} ({n_csv} CSV files)"))
    print("fill it in, then: klems validate " + str(out) + "; klems estimate --input " + str(out))
    return 0
