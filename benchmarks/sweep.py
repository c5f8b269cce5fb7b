"""Sweeps: draws per second and peak memory against N; 31 provinces on a local cluster.

* ``scaling``: a Sobol design over the issue's parameters for Guangxi (139 industries, 3 ICT
  assets, 2000–2022), N = 100 … 100,000 draws, each N in a fresh subprocess so that its peak
  resident set size (``ru_maxrss``) is its own. Timed: the fused kernel over all draws (after
  one warm-up draw), and the whole ``run_sweep`` (design, inputs, kernel, tornado, Sobol
  indices). Peak RSS covers the process (Python, numpy, numba, xarray, SALib are ~300 MB).
* ``provinces``: all 31 provinces × 1,000 draws, one process vs a 2-worker LocalCluster
  (cluster start-up reported apart), with a check that both give identical numbers.
* ``cli``: ``klems sweep`` end to end (10,000-draw Sobol of Guangxi, NetCDF and PNGs), wall time
  and peak RSS of the child process.

``python -m benchmarks.sweep`` prints the rows as JSON; :func:`run` returns them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

PARAMS = ["hardware.depreciation=0.25:0.40", "software.mean_life=3:7",
          "communication.beta=0.5:0.9", "profile=caict,bls-mixture,geometric"]


def _rss_mb() -> float:
    from benchmarks.timing import peak_rss_bytes

    return peak_rss_bytes() / 2**20


def one_size(n: int, province: str = "guangxi", chunk_size: int = 2000) -> dict:
    """Run in a fresh process: kernel and full-sweep timings for N draws."""
    import numpy as np

    from benchmarks.timing import reset_peak_rss

    reset_peak_rss()   # the high-water mark inherited from the parent is not this run's

    from klems.pipeline.options import EstimateOptions
    from klems.sweep import designs, evaluation, parameters, runner

    opts = EstimateOptions()
    params = [parameters.parse_parameter(t) for t in PARAMS]
    t = time.perf_counter()
    inputs = evaluation.prepare_province(province, opts)
    prep_s = time.perf_counter() - t
    values, info = designs.design(params, "sobol", n, seed=1)
    draws = evaluation.draw_arrays(opts, values)
    evaluation.evaluate(inputs, evaluation.take(draws, slice(0, 1)))      # load/compile the kernel
    rss_before = _rss_mb()
    t = time.perf_counter()
    res = evaluation.evaluate_all(inputs, draws, chunk_size)
    kernel_s = time.perf_counter() - t
    rss_kernel = _rss_mb()
    t = time.perf_counter()
    ds = runner.run_sweep([inputs], params, opts, kind="sobol", draws=n, seed=1,
                         chunk_size=chunk_size)
    full_s = time.perf_counter() - t
    assert np.array_equal(ds.digital_economy.values[0], res["digital_economy"])
    return {"kind": "scaling", "draws": info["draws"], "prepare_s": prep_s,
            "kernel_s": kernel_s, "kernel_draws_per_s": info["draws"] / kernel_s,
            "run_sweep_s": full_s, "run_sweep_draws_per_s": info["draws"] / full_s,
            "rss_before_kernel_mb": rss_before, "rss_after_kernel_mb": rss_kernel,
            "peak_rss_mb": _rss_mb()}


def provinces(draws: int = 1000, workers: int = 2) -> list[dict]:
    """All 31 provinces × ``draws``: one process, then a local cluster of ``workers``."""
    import numpy as np

    from klems.base.provinces import PROVINCES
    from klems.pipeline.options import EstimateOptions
    from klems.sweep import evaluation, parameters, runner
    from klems.sweep.distributed import dask_client

    keys = [p.key for p in PROVINCES]
    opts = EstimateOptions()
    params = [parameters.parse_parameter(t) for t in PARAMS]
    kw = dict(kind="sobol", draws=draws, seed=1, chunk_size=500)
    evaluation.evaluate(evaluation.prepare_province("guangxi", opts),
                   evaluation.draw_arrays(opts, {}, 1))               # warm numba in this process
    t = time.perf_counter()
    one = runner.run_sweep(keys, params, opts, **kw)
    one_s = time.perf_counter() - t
    t = time.perf_counter()
    with dask_client(workers=workers) as client:
        start_s = time.perf_counter() - t
        t1 = time.perf_counter()
        many = runner.run_sweep(keys, params, opts, client=client, **kw)
        cluster_s = time.perf_counter() - t1
    total_s = time.perf_counter() - t
    same = all(np.array_equal(one[v].values, many[v].values, equal_nan=True)
               for v in ("digital_economy", "industrial_digitalization", "share_of_gdp",
                         "theta", "sobol_total"))
    n = one.sizes["draw"]
    cells = len(keys) * n
    return [
        {"kind": "provinces", "mode": "one process", "provinces": len(keys), "draws": n,
         "wall_s": one_s, "draws_per_s": cells / one_s, "identical": True},
        {"kind": "provinces", "mode": f"LocalCluster {workers} workers", "provinces": len(keys),
         "draws": n, "wall_s": cluster_s, "cluster_start_s": start_s,
         "wall_with_start_s": total_s, "draws_per_s": cells / cluster_s, "identical": same,
         "speedup": one_s / cluster_s},
    ]


def cli_run(draws: int = 10000) -> dict:
    """``klems sweep`` for Guangxi, 10,000-draw Sobol, in a child process (wall, peak RSS)."""
    code = ("import sys; from benchmarks.timing import reset_peak_rss, peak_rss_bytes; "
            "reset_peak_rss(); from klems import cli; rc = cli.run(); "
            "print('PEAK_RSS_KB', peak_rss_bytes() // 1024, file=sys.stderr); sys.exit(rc)")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sweep.nc")
        argv = ["sweep", "--province", "guangxi", *sum((["--param", p] for p in PARAMS), []),
                "--design", "sobol", "--draws", str(draws), "--seed", "1", "--quiet",
                "--out", out]
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                              text=True)
        wall = time.perf_counter() - t
        if proc.returncode:
            raise RuntimeError(f"klems sweep failed: {proc.stderr[-2000:]}")
        peak = int(proc.stderr.rsplit("PEAK_RSS_KB", 1)[1].split()[0])
        size = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp))
    return {"kind": "cli", "command": "klems " + " ".join(argv[:-1]) + " sweep.nc",
            "wall_s": wall, "peak_rss_mb": peak / 1024.0, "output_bytes": size,
            "stdout": proc.stdout.strip()}


def _child(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.sweep", *args],
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"benchmark child {args} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(sizes=(100, 1_000, 10_000, 100_000), province_draws: int = 1000, workers: int = 2,
        cli_draws: int = 10_000, with_provinces: bool = True) -> list[dict]:
    """All sweep benchmarks; each size (and the province runs) in its own subprocess."""
    rows = [_child(["--one", str(n)]) for n in sizes]
    if cli_draws:
        rows.append(cli_run(cli_draws))
    if with_provinces:
        rows.extend(json.loads(_child(["--provinces", str(province_draws), "--workers",
                                       str(workers)])["rows"]))
    return rows


def table(rows: list[dict]) -> list[str]:
    """Markdown lines for benchmarks/RESULTS.md."""
    out = ["| draws N | kernel s | kernel draws/s | run_sweep s | run_sweep draws/s | "
           "RSS before kernel MiB | RSS after kernel MiB | peak RSS MiB |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r["kind"] == "scaling":
            out.append(f"| {r['draws']:,} | {r['kernel_s']:.3f} | {r['kernel_draws_per_s']:,.0f} | "
                       f"{r['run_sweep_s']:.2f} | {r['run_sweep_draws_per_s']:,.0f} | "
                       f"{r['rss_before_kernel_mb']:.0f} | {r['rss_after_kernel_mb']:.0f} | "
                       f"{r['peak_rss_mb']:.0f} |")
    for r in rows:
        if r["kind"] == "cli":
            out += ["", f"`{r['command']}`: wall {r['wall_s']:.1f} s, peak RSS "
                        f"{r['peak_rss_mb']:.0f} MiB, output {r['output_bytes'] / 2**20:.1f} MiB."]
    prov = [r for r in rows if r["kind"] == "provinces"]
    if prov:
        out += ["", "| 31 provinces × draws | mode | wall s | draws/s | cluster start s | "
                    "speed-up | identical |", "|---:|---|---:|---:|---:|---:|---|"]
        for r in prov:
            out.append(f"| {r['draws']:,} | {r['mode']} | {r['wall_s']:.1f} | "
                       f"{r['draws_per_s']:,.0f} | {r.get('cluster_start_s', float('nan')):.1f} | "
                       f"{r.get('speedup', 1.0):.2f} | {'yes' if r['identical'] else 'NO'} |")
    return out


def main(argv=None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m benchmarks.sweep")
    p.add_argument("--one", type=int, help="(child) one size N")
    p.add_argument("--provinces", type=int, help="(child) 31 provinces × N draws")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--sizes", default="100,1000,10000,100000")
    p.add_argument("--cli-draws", type=int, default=10_000)
    p.add_argument("--no-provinces", action="store_true")
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one)))
    elif args.provinces:
        print(json.dumps({"rows": json.dumps(provinces(args.provinces, args.workers))}))
    else:
        rows = run(tuple(int(s) for s in args.sizes.split(",")), workers=args.workers,
                   cli_draws=args.cli_draws, with_provinces=not args.no_provinces)
        print("\n".join(table(rows)))
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
