"""``python -m benchmarks``: run the suites, print a table, write benchmarks/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import numba
    import numpy

    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "numpy": numpy.__version__, "numba": numba.__version__}


def fmt_rate(x, unit):
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= scale:
            return f"{x / scale:.2f} {prefix}{unit}"
    return f"{x:.2f} {unit}"


def pim_table(rows) -> list[str]:
    out = ["| draws D | cells | kernel s | cells/s | bytes/s | share of triad bw | public call s | "
           "public peak MiB | numpy s | ×numpy | pandas s | ×pandas | pandas per series s | "
           "×per series |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(
            f"| {r['draws']:,} | {r['cells']:,} | {r['kernel_s']:.4f} | "
            f"{fmt_rate(r['kernel_cells_per_s'], 'cells/s')} | {fmt_rate(r['kernel_Bps'], 'B/s')} | "
            f"{r.get('fraction_of_triad_bandwidth', float('nan')):.0%} | {r['public_s']:.4f} | "
            f"{r['public_peak_bytes'] / 2**20:.1f} | {r['numpy_s']:.4f} | "
            f"{r['speedup_vs_numpy']:.1f} | {r['pandas_s']:.3f} | {r['speedup_vs_pandas']:.0f} | "
            f"{r['per_series_s']:.2f} | {r['speedup_vs_per_series']:.0f} |")
    return out


def estimate_section(est) -> list[str]:
    if not est:
        return []
    lines = ["## `klems estimate --province guangxi` (separate processes)", "",
             "| run | wall s | target |", "|---|---:|---|",
             f"| cold (empty numba cache) | {est['cold_s']:.2f} | <= 20 s: "
             f"{'met' if est['cold_s'] <= 20 else 'NOT met'} |",
             f"| warm (best of {len(est['warm_runs'])}) | {est['warm_s']:.2f} | <= 3 s: "
             f"{'met' if est['warm_s'] <= 3 else 'NOT met'} |", "",
             f"Peak resident memory of the cold run: {est['peak_rss_bytes'] / 2**20:.0f} MiB.", "",
             "Import time by package (marginal, in the order the estimate imports them):", "",
             "| package | s |", "|---|---:|"]
    lines += [f"| {name} | {sec:.3f} |" for name, sec in est["imports"]]
    return lines + [""]


def sweep_section(rows) -> list[str]:
    if not rows:
        return []
    from benchmarks import sweep as sweep_bench

    return ["## Sensitivity sweeps (`klems sweep`): draws per second and peak memory vs N", "",
            "Guangxi, 139 industries × 3 ICT assets × 2000–2024, Sobol design over "
            f"{', '.join(f'`{p}`' for p in sweep_bench.PARAMS)}. Each N runs in its own process "
            "(peak RSS is that process's, including ~290 MiB of Python, numpy, numba, xarray "
            "and SALib). Kernel = the fused compiled pipeline over all draws in chunks of 2,000; "
            "run_sweep adds the design, the one-at-a-time tornado draws and the Sobol indices "
            "(SALib's estimators by their compiled twin, 3 outputs × 24 years, 100 bootstrap "
            "resamples). run_sweep here is the Python call without a file, which keeps the "
            "per-draw results in memory (by design: it returns them); `klems sweep --out` "
            "streams them to the file (the comparison table above).", "",
            *sweep_bench.table(rows), ""]


def stocks_section(rows) -> list[str]:
    if not rows:
        return []
    from benchmarks import stocks as stocks_bench

    return ["## Gross, net and productive stocks and CFC: the 417 Guangxi ICT series", "",
            "139 industries × 3 ICT assets × 2000–2022 (the bundled Guangxi investment), "
            "profiles of each convention (`ons` = pimir combination 1). Kernel = compiled "
            "`capital_stock._stock_kernels.stocks`, gross, net, productive stock and CFC in "
            "one pass (serial below 4 M multiply-adds). Public numpy = `capital_stocks` on "
            "each asset's array (3 calls, validation included); public xarray = one call on "
            "the (industry, asset, year) DataArray with profiles by asset, returning a "
            "labelled Dataset; profiles = `asset_profiles` for the 3 assets. Baselines with "
            "the same weights: per-series `np.convolve` (gross, net, productive: 3 stocks, "
            "not 4) and the per-series formula as Python loops. Target: the 3 stocks of the "
            "417 series in <= 2 ms.", "",
            *stocks_bench.table(rows), ""]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks")
    p.add_argument("--smoke", action="store_true",
                   help="tiny sizes, no RESULTS.md (checks that the runner starts)")
    p.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    p.add_argument("--baseline", metavar="PYTHON",
                   help="interpreter of an installation of an earlier commit: the comparison "
                        "section runs the same commands with it and with this installation")
    args = p.parse_args(argv)

    from benchmarks import bandwidth, pim

    t0 = time.perf_counter()
    info = machine()
    comparison = None
    if args.baseline and not args.smoke:
        from benchmarks import comparison as comparison_bench

        comparison = comparison_bench.table(comparison_bench.run(args.baseline))
        print("\n".join(comparison), flush=True)   # kept even if a later section fails
    # benchmarks that start child processes run first, while this process is still small
    est = None
    if not args.smoke:
        from benchmarks import estimate

        est = estimate.run()
    from benchmarks import sweep as sweep_bench

    sweep_rows = (sweep_bench.run(sizes=(20,), cli_draws=0, with_provinces=False) if args.smoke
                  else sweep_bench.run())
    from benchmarks import stocks as stocks_bench

    if args.smoke:
        bw = bandwidth.memory_bandwidth(1 << 22, repeats=1)
        rows = pim.run(draws=(1, 2), pandas_max=2, bandwidth=bw, repeats=1, per_series_max=1)
        stock_rows = stocks_bench.run(convention="ons", repeats=1, min_time=0.0)
    else:
        bw = bandwidth.memory_bandwidth()
        rows = pim.run(bandwidth=bw)
        stock_rows = stocks_bench.run(convention=["ons", "caict", "bls-mixture", "geometric"])
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; Python "
        f"{info['python']}, numpy {info['numpy']}, numba {info['numba']}.",
        "",
        "## Memory bandwidth (numpy, arrays of "
        f"{bw['array_bytes'] / 2**20:.0f} MiB, larger than the 480 MiB L3)",
        "",
        f"* copy: {fmt_rate(bw['copy_Bps'], 'B/s')}",
        f"* triad `a = b + s·c`: {fmt_rate(bw['triad_Bps_actual'], 'B/s')} counting the 5 "
        f"arrays numpy actually moves ({fmt_rate(bw['triad_Bps_nominal'], 'B/s')} nominal, 3 "
        "arrays)",
        "",
        "## Perpetual inventory: 139 industries × 3 ICT assets × 25 years × D draws",
        "",
        "Kernel = compiled `capital_stock._kernels.pim` (weights and base stocks precomputed); "
        "bytes/s counts the investment read and the stock written (16 bytes per cell); share of "
        "bandwidth is against the triad figure above. Public call = `perpetual_inventory` "
        "including validation, growth rates and base-year stocks. numpy = the vectorised "
        "reference twin; pandas = a DataFrame of all series looping over vintages with `shift` (itself "
        "vectorised over series); pandas per series = the same loop run series by series "
        "(`groupby` over industry and draw), as a statistician often writes it.",
        "",
        *pim_table(rows),
        "",
        *(["## Before and after (the same commands, two installations, one run)", "",
           f"Baseline: `{args.baseline}`. Each command in a fresh process with a warm numba "
           "cache; best of the runs; wall and peak resident memory from GNU time.", "",
           *comparison, ""] if comparison else []),
        *stocks_section(stock_rows),
        *estimate_section(est),
        *sweep_section(sweep_rows),
        f"Total benchmark time {time.perf_counter() - t0:.0f} s.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.smoke:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
