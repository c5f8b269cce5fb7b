"""``klems validate FILE``: check a filled-in input; exit 0 with a summary, 2 with the problems."""

from __future__ import annotations

from klems.inputs.reader import read_input, summary


def register(sub) -> None:
    p = sub.add_parser(
        "validate", help="check a filled-in input workbook or CSV folder",
        description="Reads the input as 'klems estimate --input' would and lists every problem "
                    "(sheet, cell, industry, year and what was expected); exit status 0 when "
                    "the input is usable, 2 otherwise.")
    p.add_argument("file", help="the .xlsx workbook or CSV folder written by 'klems template'")
    p.set_defaults(func=run)


def run(args) -> int:

    ds = read_input(args.file)
    print(f"{args.file}: " + summary(ds))
    return 0
