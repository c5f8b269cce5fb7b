"""``klems sweep``: sensitivity of DE, DI and ID to depreciation, service lives and profiles.

Example::

    klems sweep --province guangxi --param hardware.depreciation=0.25:0.40 \\
        --param software.mean_life=3:7 --param communication.beta=0.5:0.9 \\
        --param profile=caict,bls-mixture,geometric --design sobol --draws 10000 --seed 1 \\
        --out sweep.nc

writes ``sweep.nc`` (DE, DI, ID, share of GDP per province, draw and year with the parameter
values as coordinates on ``draw``; quantiles; Sobol indices; the tornado) and, beside it,
``sweep_tornado.png`` and ``sweep_fan.png`` (per province when several, plus
``sweep_provinces.png``). All files are written together or not at all.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from klems.base.errors import ParameterError
from klems.base.provinces import PROVINCES, province
from klems.base.vocabulary import DESIGNS
from klems.cli.checks import output_file, years_within
from klems.cli.config import ATTRIBUTE, attribute_text, command_line, record
from klems.cli.console import note, progress_stream, quiet
from klems.cli.options import (
    add_calibration_option,
    add_model_options,
    calibrated_options,
    count,
)
from klems.datasets.bundled import load_dataset
from klems.outputs.files import OutputSet, writing
from klems.pipeline.calibration import provenance as calibration_provenance
from klems.pipeline.options import EstimateOptions, parse_years
from klems.sweep import charts as sweep_charts
from klems.sweep.designs import design
from klems.sweep.distributed import dask_client
from klems.sweep.parameters import parse_parameter
from klems.sweep.runner import run_sweep

MAX_CHART_PROVINCES = 4
MAX_DRAWS = 10_000_000


class Progress:
    """A progress bar with draws per second on stderr."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream if stream is not None else sys.stderr
        self.t0 = time.perf_counter()
        self.draw(0)

    def __call__(self, n: int) -> None:
        self.draw(n)

    def draw(self, n: int) -> None:
        self.done += n
        dt = max(time.perf_counter() - self.t0, 1e-9)
        rate = self.done / dt
        filled = int(self.width * self.done / max(self.total, 1))
        eta = f"ETA {(self.total - self.done) / rate:5.1f} s" if rate > 0 else "ETA  ... "
        print(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done:,}/{self.total:,} "
              f"draws  {rate:,.0f} draws/s  {eta}", end="", file=self.stream, flush=True)

    def close(self) -> float:
        dt = time.perf_counter() - self.t0
        print(file=self.stream, flush=True)
        return dt


def register(sub) -> None:

    p = sub.add_parser(
        "sweep", help="sensitivity sweep over depreciation, service lives, profiles (敏感性分析)",
        description="Draw parameter sets (grid, Sobol or Latin hypercube), run the whole "
                    "estimate for each in compiled code, and report quantiles, Sobol indices, "
                    "a tornado and a fan chart. Fixed parameters: the options of "
                    "'klems estimate'.")
    p.add_argument("--province", default="guangxi",
                   help="a province (pinyin or Chinese), china, several separated by commas, "
                        "or all (the 31 provinces)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=LO:HI",
                   help="swept parameter: ASSET.PARAM=LO:HI (depreciation, mean_life, beta, "
                        "sd_ratio, truncation_sd, max_life_ratio of hardware, communication, "
                        "software), ict_scale|di_scale|theta|nict_depreciation=LO:HI, "
                        "profile=caict,bls-mixture,... or attribution=income-share,... "
                        "(repeatable; no default: at least one is required)")
    p.add_argument("--design", choices=DESIGNS, default="sobol",
                   help="full grid, Sobol (Saltelli) sample, or Latin hypercube")
    p.add_argument("--draws", type=count("--draws", 1, MAX_DRAWS), default=1024,
                   help=f"number of draws, 1-{MAX_DRAWS:,} (Sobol: N·(D+2) with N = draws // "
                        "(D+2); grid: the largest full grid that fits)")
    p.add_argument("--levels", type=count("--levels", 2, 10_000),
                   help="grid only: levels per range, >= 2 (default: from --draws)")
    p.add_argument("--seed", type=count("--seed", 0, 2**32 - 1), default=0,
                   help="seed of the design, 0-4294967295 (same seed, same draws)")
    p.add_argument("--chunk-size", type=count("--chunk-size", 1, 10_000_000), default=2000,
                   help="draws per kernel call / task")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=count("--workers", 1, 1024),
                       help="start a local Dask cluster of N processes (default: none, "
                            "threads of this process)")
    where.add_argument("--scheduler", help="use a running Dask scheduler, tcp://HOST:PORT "
                                           "(default: none)")
    add_model_options(p)
    add_calibration_option(p)
    p.add_argument("--out", help="NetCDF file to write, NAME.nc (charts go beside it; default: "
                                 "none written)")
    p.add_argument("--no-charts", action="store_true", help="write the NetCDF file only")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of labels")
    p.set_defaults(func=run)


def _provinces(text: str) -> list[str]:

    if text.strip().lower() == "all":
        return [p.key for p in PROVINCES]
    keys = [province(t.strip()).key for t in text.split(",") if t.strip()]
    if not keys:
        raise ParameterError(f"--province {text!r}: no province given")
    return list(dict.fromkeys(keys))


def summary_lines(ds, lang: str = "zh") -> list[str]:
    year = int(ds.year.values[-1])
    zh = lang == "zh"
    head = (f"{'省份':<12s}{year}年数字经济 固定参数   中位数     5%–95%          最重要的假设（总效应）"
            if zh else f"{'province':<12s}DE {year}: estimate   median    5%–95%           "
                       "most important assumption (total Sobol index)")
    lines = [head]
    for p in ds.province.values:
        q = ds.digital_economy_quantile.sel(province=p, year=year)
        top = ""
        if "sobol_total" in ds:
            st = ds.sobol_total.sel(province=p, output="digital_economy", year=year)
            if bool(st.notnull().any()):
                j = int(np.nanargmax(st.values))
                top = f"{ds.parameter.values[j]} ({float(st[j]):.2f})"
        lines.append(f"{str(p):<12s}{float(ds.digital_economy_base.sel(province=p, year=year)):>14,.0f}"
                     f"{float(q.sel(quantile=0.5)):>10,.0f}  {float(q.sel(quantile=0.05)):>8,.0f}–"
                     f"{float(q.sel(quantile=0.95)):<8,.0f}  {top}")
    return lines


def check(args):
    """Every option of a sweep, against each other too; returns (params, options, provinces,
    output file, number of draws, calibration file's content or None). Nothing runs before this
    passes."""
    params = [parse_parameter(t) for t in args.param]
    if not params:
        raise ParameterError("nothing to sweep: give at least one --param, e.g. "
                             "--param hardware.depreciation=0.25:0.40")
    options, calibration = calibrated_options(args)
    opts = EstimateOptions(**options)
    if args.levels is not None and args.design != "grid":
        raise ParameterError(f"--levels {args.levels} applies to --design grid only, not "
                             f"--design {args.design}; leave it out or use --design grid")
    if args.workers is not None and args.scheduler is not None:
        raise ParameterError("--workers starts a local cluster and --scheduler uses a running "
                             "one; give one of them")
    if args.scheduler is not None and not str(args.scheduler).strip():
        raise ParameterError("--scheduler is empty; expected tcp://HOST:PORT")
    if args.no_charts and args.out is None:
        raise ParameterError("--no-charts without --out: no file is written anyway")
    for p in params:
        if p.name == "theta" and args.theta is not None:
            raise ParameterError(f"--theta {args.theta} fixes θ while --param {p.name}=… sweeps "
                                 "it; give one of them")
        if p.name == "attribution" and args.attribution is not None and \
                args.attribution not in p.levels:
            raise ParameterError(f"--attribution {args.attribution} is not among the swept "
                                 f"levels {', '.join(p.levels)}")
    keys = _provinces(args.province)
    out = output_file(args.out, (".nc",))
    span = parse_years(args.years, name="--years")
    if span is not None:         # the bundled years (the accounts start in the second year)
        years_within(span, load_dataset(keys[0]).year.values[1:], "sweep")
    n = design(params, args.design, args.draws, args.seed, args.levels)[1]["draws"]
    return params, opts, keys, out, n, calibration


def run(args) -> int:
    params, opts, keys, out, n, calibration = check(args)
    n_oat = 1 + sum(len(p.levels) if p.categorical else 2 for p in params)
    stream = progress_stream(args)
    bar = Progress(len(keys) * (n + n_oat), stream) if stream is not None else None
    kwargs = dict(kind=args.design, draws=args.draws, seed=args.seed, levels=args.levels,
                  chunk_size=args.chunk_size, progress=bar, report_years=args.years,
                  attrs={"command": command_line(args),
                         **({ATTRIBUTE: attribute_text(args)} if attribute_text(args) else {}),
                         **(calibration_provenance(calibration) if calibration else {})})
    t0 = time.perf_counter()
    with OutputSet(out.parent if out is not None and str(out.parent) else ".") as outs:
        path = outs.reserve(out.name) if out is not None else None
        try:
            with writing(out if out is not None else Path(".")):
                if args.workers is not None or args.scheduler is not None:
                    with dask_client(args.workers, args.scheduler) as client:
                        ds = run_sweep(keys, params, opts, client=client, path=path, **kwargs)
                else:
                    ds = run_sweep(keys, params, opts, path=path, **kwargs)
        finally:
            if bar is not None:
                bar.close()
        elapsed = time.perf_counter() - t0
        total = len(keys) * n
        note(args, ("完成" if args.lang == "zh" else "done") +
             f": {len(keys)} × {n:,} draws in {elapsed:.1f} s ({total / elapsed:,.0f} draws/s)")
        try:
            if out is not None:
                write_outputs(ds, outs, out, args.lang, charts=not args.no_charts, args=args)
            for line in summary_lines(ds, args.lang):
                print(line)
        finally:
            ds.close()
    return 0


def write_outputs(ds, outs: OutputSet, out: Path, lang: str = "zh",
                  charts: bool = True, args=None) -> list[Path]:
    """The charts beside the sweep's NetCDF file (already written into ``outs``), then all
    files renamed into place together."""
    if charts:
        stem = out.stem
        keys = [str(k) for k in ds.province.values]
        for k in keys[:MAX_CHART_PROVINCES] if len(keys) > 1 else keys:
            tag = f"{stem}_{k}" if len(keys) > 1 else stem
            outs.add(f"{tag}_tornado.png",
                     lambda p, k=k: sweep_charts.tornado_chart(ds, p, k, lang))
            outs.add(f"{tag}_fan.png", lambda p, k=k: sweep_charts.fan_chart(ds, p, k, lang))
        if len(keys) > 1:
            outs.add(f"{stem}_provinces.png",
                     lambda p: sweep_charts.provinces_interval_chart(ds, p, lang))
    if args is not None:
        record(outs, args, out.stem)
    written = outs.commit()
    if args is None or not quiet(args):
        print(("写出文件：" if lang == "zh" else "wrote: ") + ", ".join(str(p) for p in written))
    return written
