"""``klems estimate``: the digital economy of a province, on the console and in files."""

from __future__ import annotations

import time

from klems.base.errors import ParameterError
from klems.base.provinces import PROVINCES, province
from klems.cli.checks import input_province, output_folder, years_within
from klems.cli.config import ATTRIBUTE, attribute_text, command_line, record
from klems.cli.console import detail, progress_stream, quiet
from klems.cli.options import (
    add_calibration_option,
    add_data_options,
    add_model_options,
    calibration_note,
    formats,
    model_options,
)
from klems.datasets.classification import load_classification
from klems.inputs.reader import read_input
from klems.outputs import charts, tables as report
from klems.outputs.euklems_accounts import euklems_frame, write_euklems_csv
from klems.outputs.files import OutputSet
from klems.outputs.long_table import long_frame, write_long_csv
from klems.outputs.netcdf import write_netcdf
from klems.outputs.stata import long_stata, summary_stata, write_dta
from klems.outputs.tables import console_table
from klems.outputs.workbook import write_workbook
from klems.pipeline.calibration import apply_calibration, load_calibration
from klems.pipeline.estimation import estimate
from klems.pipeline.options import EstimateOptions, parse_years
from klems.pipeline.ranks import rank_table


def register(sub) -> None:
    p = sub.add_parser(
        "estimate", help="estimate a province's digital economy (数字经济规模)",
        description="Digital economy = digital industrialization (ICT industries' value added) "
                    "+ industrial digitalization (ICT's attributed part of the other industries) "
                    "by KLEMS growth accounting over 139 industries.")
    p.add_argument("--province", default=None,
                   help="any of the 31 provinces (pinyin or Chinese), china, or all (default: "
                        "the province of --input, else guangxi)")
    add_model_options(p)
    add_calibration_option(p)
    p.add_argument("--out", help="folder for the output files (default: none written)")
    p.add_argument("--format", default="xlsx,csv,nc,png",
                   help="comma-separated output formats: xlsx, csv (wide tables and the tidy "
                        "long table), nc (CF-1.10 NetCDF), png, dta (Stata), euklems (growth "
                        "accounts under EU KLEMS's variable names)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of labels")
    add_data_options(p)
    p.add_argument("--input", help="a filled-in input workbook or CSV folder instead of the "
                                   "bundled data (see 'klems template'; default: the bundled "
                                   "data)")
    p.set_defaults(func=run)


def add_outputs(outs, result, stem: str, fmts, lang: str, names=None) -> None:
    """Register the files of one estimate in an :class:`~klems.outputs.files.OutputSet`."""

    if "xlsx" in fmts:
        sheets = report.workbook_sheets(result, names, lang)
        outs.add(f"{stem}.xlsx", lambda p: write_workbook(p, sheets))
    if "csv" in fmts:
        summary, _ = report.summary_frame(result)
        industry, _ = report.industry_frame(result, names, lang)
        pen, _ = report.penetration_frame(result)
        outs.add(f"{stem}_summary.csv",
                 lambda p: summary.to_csv(p, index=False, encoding="utf-8-sig"))
        outs.add(f"{stem}_by_industry.csv",
                 lambda p: industry.to_csv(p, index=False, encoding="utf-8-sig"))
        outs.add(f"{stem}_penetration.csv",
                 lambda p: pen.to_csv(p, index=False, encoding="utf-8-sig"))
        outs.add(f"{stem}_long.csv", lambda p: write_long_csv(long_frame(result), p))
    if "dta" in fmts:
        province_name = f"{result.attrs.get('province_zh', '')} {result.attrs.get('province', '')}"
        outs.add(f"{stem}_summary.dta", lambda p: write_dta(
            *summary_stata(result), p, data_label=f"数字经济测算 digital economy, {province_name}"))
        outs.add(f"{stem}_long.dta", lambda p: write_dta(
            *long_stata(result), p, data_label=f"数字经济测算（长表） long table, {province_name}"))
    if "euklems" in fmts:
        outs.add(f"{stem}_euklems.csv",
                 lambda p: write_euklems_csv(euklems_frame(result), p))
    if "nc" in fmts:
        outs.add(f"{stem}.nc", lambda p: write_netcdf(result, p))
    if "png" in fmts:
        outs.add(f"{stem}_de_split.png", lambda p: charts.de_split_chart(result, p, lang))
        outs.add(f"{stem}_id_top20.png",
                 lambda p: charts.id_by_industry_chart(result, p, names, lang))
        outs.add(f"{stem}_penetration.png", lambda p: charts.penetration_chart(result, p, lang))


def industry_names(lang: str = "zh"):
    try:

        table = load_classification()
    except Exception:  # noqa: BLE001 - names are decoration; the estimate does not need them
        return None
    col = "name_zh" if lang == "zh" else "name_en"
    if col not in table.columns:
        return None
    codes = table["code"] if "code" in table.columns else table.index
    return dict(zip(codes.astype(str), table[col].astype(str)))


def run(args) -> int:
    # every option first, then the input against the options; no work before both are checked
    fmts = formats(args.format)
    opts = model_options(args)
    calibration = load_calibration(args.calibration) if args.calibration else None
    if calibration:
        calibration_note(args, calibration, args.calibration)
    EstimateOptions(**(apply_calibration(calibration, opts, opts) if calibration else opts))
    span = parse_years(args.years, name="--years")
    out = output_folder(args.out)
    data = None
    if args.input:
        data = read_input(args.input)
        keys = [input_province(args.province, data, args.input)]
        years_within(span, data.year.values[1:], "input")
    elif (args.province or "guangxi").strip().lower() == "all":
        keys = [p.key for p in PROVINCES]
    else:
        keys = [province(args.province or "guangxi").key]
    if args.io_table and len(keys) > 1:
        raise ParameterError("--io-table is one province's own input-output table; it cannot be "
                             "combined with --province all (name the province it belongs to)")
    names = industry_names(args.lang)
    outs = OutputSet(out) if out is not None else None
    config = attribute_text(args)
    results = {}
    t0 = time.perf_counter()
    bar = progress_stream(args) if len(keys) > 1 else None
    for n, key in enumerate(keys, start=1):
        if bar is not None:
            rate = (n - 1) / max(time.perf_counter() - t0, 1e-9)
            print(f"\r[{n:2d}/{len(keys)}] {key:<13s} {rate:.2f} provinces/s", end="",
                  file=bar, flush=True)
        result = estimate(key, years=args.years, data=data, vintage=args.vintage,
                          io_table=args.io_table, calibration=calibration, **opts)
        result.attrs["command"] = command_line(args)
        if config:
            result.attrs[ATTRIBUTE] = config
        results[key] = result
        if outs is not None:
            add_outputs(outs, result, f"{key}_estimate", fmts, args.lang, names)
    if bar is not None:
        print(file=bar)
    detail(args, f"estimated {len(keys)} province(s) in {time.perf_counter() - t0:.1f} s")
    table = None
    if len(keys) > 1:
        table = rank_table(results)
        if outs is not None:
            outs.add("provinces_summary.csv",
                     lambda p: table.to_csv(p, encoding="utf-8-sig"))
            if "png" in fmts:
                year = int(next(iter(results.values())).year.values[-1])
                outs.add("provinces_de.png", lambda p: charts.provinces_chart(
                    table, p, lang=args.lang, year=year))
    written = []
    if outs is not None:
        record(outs, args, f"{keys[0]}_estimate" if len(keys) == 1 else "provinces_estimate")
        written = outs.commit()       # files first: a closed pipe below cannot lose them
    for key, result in results.items():
        print(console_table(result, args.lang))
        print()
    if table is not None:
        print(table.to_string())
    if outs is not None and not quiet(args):
        if len(written) <= 10:
            listing = ", ".join(str(p) for p in written)
        else:
            listing = f"{len(written)} files in {args.out}"
        print(("写出文件：" if args.lang == "zh" else "wrote: ") + listing)
    return 0
