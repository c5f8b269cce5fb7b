"""``klems validate FILE``: check a filled-in input; exit 0 with a summary, 2 with the problems.

Validation is the estimate itself: the input is read by the same reader and then estimated with
the same options, so every check ``klems estimate --input FILE`` runs (cells, identities, units,
and the pipeline's own checks of shares, stocks and growth rates) runs here, and an input that
passes cannot fail later. Figures that are undefined (e.g. a share in a year without value added)
are listed as warnings.
"""

from __future__ import annotations

from klems.cli.checks import input_province
from klems.cli.options import add_model_options, model_options
from klems.inputs.reader import read_input, summary
from klems.pipeline.estimation import estimate
from klems.pipeline.options import EstimateOptions, parse_years


def register(sub) -> None:
    p = sub.add_parser(
        "validate", help="check a filled-in input workbook or CSV folder",
        description="Reads the input as 'klems estimate --input' does, estimates it with the "
                    "same options, and lists every problem (sheet, cell, industry, year and "
                    "what was expected); exit status 0 when the input is usable, 2 otherwise.")
    p.add_argument("file", help="the .xlsx workbook or CSV folder written by 'klems template'")
    p.add_argument("--province", default=None,
                   help="the input's province (default: the one its instructions sheet names, "
                        "else guangxi); must agree with the sheet")
    add_model_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    opts = model_options(args)
    EstimateOptions(**opts)
    parse_years(args.years, name="--years")
    ds = read_input(args.file)
    key = input_province(args.province, ds, args.file)
    result = estimate(key, years=args.years, data=ds, **opts)
    print(f"{args.file}: " + summary(ds))
    lines = [w for w in result.attrs.get("warnings", "").split("\n") if w]
    if lines:
        print(f"estimated with {len(lines)} warning(s):")
        for w in lines:
            print(f"  warning: {w}")
    else:
        print("estimated without warnings")
    return 0
