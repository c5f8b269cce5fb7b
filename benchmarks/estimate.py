"""``klems estimate --province guangxi``: cold and warm wall time, peak memory, import costs.

Cold = an empty numba cache (every kernel compiles); warm = the cache filled by the previous
run. Each run is a separate process (the way a user runs it); peak memory is the child's
maximum resident set size. The import breakdown times each package's marginal import in a fresh interpreter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

COMMAND = ["estimate", "--province", "guangxi"]


def _run(argv, env) -> tuple[float, int]:
    """Wall time and peak RSS of ``klems ARGV`` in a fresh interpreter, run as the ``klems``
    program runs it (``klems.cli.run``); the peak mark is reset at its start, so it is not the
    parent's inherited one."""
    code = ("import sys; from benchmarks.timing import reset_peak_rss, peak_rss_bytes; "
            "reset_peak_rss(); from klems.cli import run; rc = run(); "
            "print('PEAK_RSS_BYTES', peak_rss_bytes(), file=sys.stderr); sys.exit(rc)")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"klems {' '.join(argv)} failed: {proc.stderr[-2000:]}")
    return wall, int(proc.stderr.rsplit("PEAK_RSS_BYTES", 1)[1].split()[0])


def wall_times(repeats_warm: int = 3, argv=COMMAND) -> dict:
    cache = tempfile.mkdtemp(prefix="klems-numba-bench-")
    env = dict(os.environ, NUMBA_CACHE_DIR=cache, MPLBACKEND="Agg")
    try:
        cold, cold_peak = _run(argv, env)
        warm = []
        for _ in range(repeats_warm):
            warm.append(_run(argv, env)[0])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"cold_s": cold, "warm_s": min(warm), "warm_runs": warm, "peak_rss_bytes": cold_peak}


def import_breakdown() -> list[tuple[str, float]]:
    """Marginal import time (s) of each package, imported one after the other in a fresh
    interpreter in the order the estimate needs them (so shared dependencies count once)."""
    order = ("numpy", "pandas", "scipy.special", "xarray", "numba", "netCDF4", "capital_stock",
             "price_index", "klems.pipeline.estimation", "klems.accounts.user_costs",
             "klems.accounts.growth_accounting",
             "statsmodels.regression.linear_model", "openpyxl", "matplotlib.pyplot")
    code = ("import importlib, time, json\nout = []\n"
            f"for name in {order!r}:\n"
            "    t = time.perf_counter(); importlib.import_module(name)\n"
            "    out.append((name, time.perf_counter() - t))\nprint(json.dumps(out))")
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    import json

    return [tuple(x) for x in json.loads(proc.stdout)]


def run(repeats_warm: int = 3) -> dict:
    out = wall_times(repeats_warm)
    out["imports"] = import_breakdown()
    return out
