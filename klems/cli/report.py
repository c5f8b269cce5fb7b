"""``klems report``: a white paper of a province's digital economy, as HTML and PDF.

Example::

    klems report --province guangxi --sweep sweep.nc --calibration 2017-2020 --out report/

writes ``report/guangxi_report.html`` (one self-contained file: charts and the Chinese font
inside) and ``report/guangxi_report.pdf`` (A4). Chapters: scale, growth, DI/ID structure,
sector penetration and the leading industries, rank among the 31 provinces (every province
estimated with the same options), comparison with the published figures, sensitivity (with
``--sweep``), method and assumptions, data provenance. ``--lang en`` writes it in English.
When no PDF engine works (WeasyPrint needs the system library Pango; else Chromium), the HTML is
written and a message says what to install.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

from klems.base.errors import InputDataError, KlemsWarning
from klems.base.provinces import PROVINCES, province
from klems.cli.estimate import industry_names
from klems.cli.options import (
    add_data_options,
    add_model_options,
    calibration_note,
    model_options,
)
from klems.datasets.bundled import load_dataset
from klems.outputs.files import OutputSet
from klems.outputs.netcdf import read_netcdf
from klems.outputs.report.document import render_html
from klems.outputs.report.figures import estimate_figures
from klems.outputs.report.inputs import ReportInputs
from klems.outputs.report.pdf import ENGINES, PDFUnavailable, write_pdf
from klems.pipeline.calibration import load_calibration, select_targets
from klems.pipeline.estimation import estimate
from klems.pipeline.options import parse_years
from klems.pipeline.published import compare, figure_table, published
from klems.pipeline.ranks import rank_table
from klems.pipeline.reproduction import reproduce
from klems.sweep import charts as sweep_charts

RANK_FIGURES = {"digital_economy_rank": ("数字经济规模排名", "scale"),
                "digital_economy_growth_rank": ("增速排名", "growth"),
                "digital_economy_share_of_gdp_rank": ("占GDP比重排名", "share of GDP")}
SWEEP_VARIABLES = ("digital_economy_quantile", "digital_economy_base", "tornado_low",
                   "tornado_high", "tornado_base")


def register(sub) -> None:
    p = sub.add_parser(
        "report", help="a white-paper report (HTML and PDF) of a province's digital economy",
        description="Estimate a province's digital economy and write a report in the shape of a "
                    "digital-economy white paper: one self-contained HTML file and a PDF.")
    p.add_argument("--province", default="guangxi",
                   help="one province (pinyin or Chinese) or china (default: %(default)s)")
    add_model_options(p)
    add_data_options(p)
    p.add_argument("--sweep", metavar="FILE.nc",
                   help="a 'klems sweep' NetCDF file: adds the sensitivity chapter (default: none, "
                        "the chapter says how to make one)")
    p.add_argument("--calibration", metavar="FILE|YEARS",
                   help="a calibration file saved by 'klems reproduce --save' (the report's "
                        "estimate then uses it), or years (e.g. 2017-2020) to calibrate the "
                        "default coefficients on now; the calibrated comparison is shown beside "
                        "the uncalibrated one (default: the uncalibrated comparison only)")
    p.add_argument("--no-ranks", action="store_true",
                   help="do not estimate the other 30 provinces (no rank chapter)")
    p.add_argument("--pdf-engine", choices=(*ENGINES, "none"), default="auto",
                   help="how to print the PDF: weasyprint, chromium, auto (WeasyPrint, then "
                        "Chromium) or none (HTML only) (default: %(default)s)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh",
                   help="language of the report (default: %(default)s)")
    p.add_argument("--out", required=True, help="folder for the report files")
    p.set_defaults(func=run)


def _read_sweep(path: str):
    try:
        ds = read_netcdf(path)
    except (OSError, ValueError) as exc:
        raise InputDataError(f"cannot read the sweep file: {exc}", file=path) from None
    missing = [v for v in SWEEP_VARIABLES if v not in ds]
    if missing:
        ds.close()
        raise InputDataError(f"not a 'klems sweep' file: it lacks {missing}", file=path)
    return ds.load()


def _published_ranks(key: str, lang: str) -> dict:
    table = published(key)
    out = {}
    for r in table[table["figure"].isin(RANK_FIGURES)].itertuples(index=False):
        zh, en = RANK_FIGURES[r.figure]
        out[(zh if lang == "zh" else en, int(r.year))] = int(r.value)
    return out


def _sweep_figures(ds, key: str, lang: str) -> dict[str, bytes]:
    keys = [str(k) for k in ds.province.values]
    prov = key if key in keys else keys[0]
    out = {}
    with tempfile.TemporaryDirectory(prefix="klems-report-") as tmp:
        for name, make in (("fan", sweep_charts.fan_chart),
                           ("tornado", sweep_charts.tornado_chart)):
            path = Path(tmp) / f"{name}.png"
            make(ds, path, prov, lang)
            out[name] = path.read_bytes()
    return out


def run(args) -> int:
    key = province(args.province).key
    opts = model_options(args)
    doc = None
    cal_years = None
    if args.calibration:
        if Path(args.calibration).is_file():
            doc = load_calibration(args.calibration)
            calibration_note(args, doc, args.calibration)
        else:
            cal_years = parse_years(args.calibration, name="--calibration")
    sweep = _read_sweep(args.sweep) if args.sweep else None
    say = (lambda zh, en: print(zh if args.lang == "zh" else en, file=sys.stderr))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KlemsWarning)   # they are listed in the report
        result = estimate(key, years=args.years, vintage=args.vintage,
                          io_table=args.io_table, **opts)
        result.attrs["command"] = "klems " + " ".join(sys.argv[1:])
        ranks = None
        if not args.no_ranks and key != "china":
            say("测算31个省份（排名）……", "estimating the 31 provinces (ranks) ...")
            results = {p.key: (result if p.key == key else
                               estimate(p.key, years=args.years, vintage=args.vintage, **opts))
                       for p in PROVINCES}
            ranks = rank_table(results)
        table = published(key)
        comparison = (compare(result, select_targets(figure_table(table), key, (), None))
                      if not table.empty else None)
        calibration = None
        if doc is not None and not table.empty:
            calibrated = estimate(key, years=args.years, vintage=args.vintage,
                                  io_table=args.io_table, calibration=doc, **opts)
            years = doc.get("calibration_years") or [int(calibrated.year[0]),
                                                     int(calibrated.year[-1])]
            calibration = {"calibrated": doc["calibrated"], "calibration_years": years,
                           "calibrated_table": compare(calibrated, select_targets(
                               figure_table(table), key, tuple(doc["calibrated"]),
                               tuple(years)))}
        elif cal_years is not None:
            say("校准……", "calibrating ...")
            calibration = reproduce(key, calibration_years=cal_years, vintage=args.vintage,
                                    ranks=False, **opts)
    names = industry_names(args.lang)
    figures = estimate_figures(result, ranks, names, args.lang)
    if sweep is not None:
        figures.update(_sweep_figures(sweep, key, args.lang))
    data = load_dataset(key, vintage=args.vintage)
    labels = {str(n): (data[n].attrs.get("long_name_zh"), data[n].attrs.get("long_name"))
              for n in data.data_vars}
    sources = sorted(set(table["source_document"].astype(str))) if not table.empty else []
    inputs = ReportInputs(result=result, ranks=ranks, series_labels=labels,
                          published_sources=sources,
                          published_ranks=_published_ranks(key, args.lang),
                          comparison=comparison, calibration=calibration, sweep=sweep,
                          figures=figures, industry_names=names, command=result.attrs["command"])
    html = render_html(inputs, args.lang)
    stem = f"{key}_report" + ("" if args.lang == "zh" else f"_{args.lang}")
    pdf_bytes, engine, problem = None, None, None
    if args.pdf_engine != "none":
        with tempfile.TemporaryDirectory(prefix="klems-report-") as tmp:
            html_path, pdf_path = Path(tmp) / f"{stem}.html", Path(tmp) / f"{stem}.pdf"
            html_path.write_text(html, encoding="utf-8")
            try:
                engine = write_pdf(html_path, pdf_path, args.pdf_engine)
                pdf_bytes = pdf_path.read_bytes()
            except PDFUnavailable as exc:
                problem = str(exc)
    with OutputSet(args.out) as outs:
        outs.add(f"{stem}.html", lambda p: Path(p).write_text(html, encoding="utf-8"))
        if pdf_bytes is not None:
            outs.add(f"{stem}.pdf", lambda p: Path(p).write_bytes(pdf_bytes))
        written = outs.commit()
    print(("写出文件：" if args.lang == "zh" else "wrote: ") + ", ".join(str(p) for p in written)
          + (f" (PDF: {engine})" if engine else ""))
    if problem:
        say(f"klems report: 未生成PDF：{problem}", f"klems report: no PDF: {problem}")
    if sweep is not None:
        sweep.close()
    return 0
