"""``klems estimate --province guangxi``: cold and warm wall time, peak memory, import costs.

Cold = an empty numba cache (every kernel compiles); warm = the cache filled by the previous
run. Each run is a separate process (the way a user runs it); peak memory is the child's
maximum resident set size. The import breakdown comes from ``python -X importtime``.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

COMMAND = ["estimate", "--province", "guangxi"]
PACKAGES = ("numpy", "pandas", "xarray", "scipy", "numba", "llvmlite", "statsmodels",
            "matplotlib", "openpyxl", "netCDF4", "capital_stock", "price_index", "klems")


def _klems() -> list[str]:
    exe = shutil.which("klems")
    return [exe] if exe else [sys.executable, "-m", "klems.cli"]


def _run(args, env) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) * 1024


def wall_times(repeats_warm: int = 3, argv=COMMAND) -> dict:
    cache = tempfile.mkdtemp(prefix="klems-numba-bench-")
    env = dict(os.environ, NUMBA_CACHE_DIR=cache, MPLBACKEND="Agg")
    try:
        cold, cold_peak = _run([*_klems(), *argv], env)
        warm = []
        for _ in range(repeats_warm):
            warm.append(_run([*_klems(), *argv], env)[0])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"cold_s": cold, "warm_s": min(warm), "warm_runs": warm, "peak_rss_bytes": cold_peak}


def import_breakdown() -> list[tuple[str, float]]:
    """Cumulative import time (s) of each top-level package the estimate imports."""
    code = ("import klems.cli_estimate, klems.estimate, klems.user_cost, klems.tornqvist, "
            "klems.report, klems.datasets, price_index, capital_stock, statsmodels.api")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True,
                          text=True)
    totals: dict[str, float] = defaultdict(float)
    pattern = re.compile(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|(\s*)(\S+)")
    for line in proc.stderr.splitlines():
        m = pattern.match(line)
        if not m:
            continue
        cumulative, indent, name = int(m.group(1)), len(m.group(2)), m.group(3)
        top = name.split(".")[0]
        if indent == 1 and top in PACKAGES:   # a top-level import of that package
            totals[top] += cumulative / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])


def run(repeats_warm: int = 3) -> dict:
    out = wall_times(repeats_warm)
    out["imports"] = import_breakdown()
    return out
