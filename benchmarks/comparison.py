"""Before/after comparison: the same commands run by two installations in one run.

``python -m benchmarks --baseline PYTHON`` runs each command with ``PYTHON`` (the interpreter of an
installation of an earlier commit, e.g. ``git worktree add ../before <commit>`` and
``python3 -m venv ../before/.venv && ../before/.venv/bin/pip install ../before``) and with this
installation, alternating the two, every command in a fresh process with its own warm numba cache
(one warm-up run first). Wall time and peak resident memory come from GNU time (``%e``, ``%M``).

The commands are the architecture issue's targets: the warm Guangxi estimate, the 10,000-draw
Sobol sweep over the 10 parameters of the benchmarks (3 δ, 3 μ, 3 β, profile), the same at
100,000 draws (peak memory), and the 31 provinces × 10,000 draws on one machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PARAMS = ["hardware.depreciation=0.25:0.40", "communication.depreciation=0.20:0.30",
          "software.depreciation=0.25:0.40", "hardware.mean_life=3:5",
          "communication.mean_life=6:9", "software.mean_life=4:6", "hardware.beta=0.6:0.9",
          "communication.beta=0.6:0.9", "software.beta=0.6:0.9",
          "profile=caict,bls-mixture,geometric"]
SWEEP = ["sweep", *sum((["--param", p] for p in PARAMS), []), "--design", "sobol", "--seed", "1",
         "--quiet"]

#: name -> (arguments of klems, target description, target test on (wall s, peak MiB))
CASES = {
    "estimate": (["estimate", "--province", "guangxi"], "warm wall <= 2 s",
                 lambda w, m: w <= 2.0),
    "sweep 10k": ([*SWEEP, "--province", "guangxi", "--draws", "10000", "--out", "{tmp}/s.nc"],
                  "wall <= 5 s", lambda w, m: w <= 5.0),
    "sweep 100k": ([*SWEEP, "--province", "guangxi", "--draws", "100000", "--no-charts",
                    "--out", "{tmp}/s.nc"], "peak RSS <= 400 MiB", lambda w, m: m <= 400),
    "31 provinces × 10k": ([*SWEEP, "--province", "all", "--draws", "10000", "--no-charts",
                            "--out", "{tmp}/s.nc"], "wall <= 120 s", lambda w, m: w <= 120),
}


def _klems(python: str) -> list[str]:
    """The installation's own ``klems`` program (its console script beside ``python``), as a
    user runs it; the module's ``main`` where an installation has no script."""
    script = Path(python).with_name("klems")
    if script.is_file():
        return [str(script)]
    return [python, "-c", "import sys; from klems.cli import main; sys.exit(main())"]


def run_case(python: str, args: list[str], cache: str) -> tuple[float, float]:
    """Wall seconds and peak MiB of ``klems ARGS`` run by ``python`` in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        argv = [a.replace("{tmp}", tmp) for a in args]
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, MPLBACKEND="Agg")
        proc = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *_klems(python), *argv],
                              capture_output=True, text=True, env=env, cwd=tmp)
        if proc.returncode:
            raise RuntimeError(f"{python} klems {' '.join(argv)} failed: {proc.stderr[-1500:]}")
        wall, kb = proc.stderr.rsplit("TIME", 1)[1].split()[:2]
        return float(wall), int(kb) / 1024.0


def run(baseline: str, repeats: int = 2, cases=None) -> list[dict]:
    """Each case: one warm-up run per installation, then ``repeats`` alternating runs; the best
    wall time and the peak memory of the best run are kept."""
    rows = []
    caches = {who: tempfile.mkdtemp(prefix=f"klems-bench-{who}-") for who in ("before", "after")}
    pythons = {"before": baseline, "after": sys.executable}
    try:
        for name, (args, target, ok) in CASES.items():
            if cases and name not in cases:
                continue
            best = {}
            for who, py in pythons.items():   # warm-up (numba compiles into the cache)
                run_case(py, args if "100k" not in name else
                         [a if a != "100000" else "200" for a in args], caches[who])
            for _ in range(repeats if "31" not in name and "100k" not in name else 1):
                for who, py in pythons.items():
                    wall, mem = run_case(py, args, caches[who])
                    if who not in best or wall < best[who][0]:
                        best[who] = (wall, mem)
            rows.append({"case": name, "command": "klems " + " ".join(
                a.replace("{tmp}/", "") for a in args), "target": target,
                "before_s": best["before"][0], "before_mib": best["before"][1],
                "after_s": best["after"][0], "after_mib": best["after"][1],
                "met": bool(ok(*best["after"]))})
    finally:
        for c in caches.values():
            shutil.rmtree(c, ignore_errors=True)
    return rows


def table(rows) -> list[str]:
    out = ["| case | before s | after s | × faster | before peak MiB | after peak MiB | target | "
           "met |", "|---|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        out.append(f"| {r['case']} | {r['before_s']:.2f} | {r['after_s']:.2f} | "
                   f"{r['before_s'] / r['after_s']:.2f} | {r['before_mib']:.0f} | "
                   f"{r['after_mib']:.0f} | {r['target']} | {'yes' if r['met'] else 'NO'} |")
    out += ["", "Commands (the same for both installations):", ""]
    out += [f"* {r['case']}: `{r['command']}`" for r in rows]
    return out


if __name__ == "__main__":   # python -m benchmarks.comparison BASELINE_PYTHON [case ...]
    res = run(sys.argv[1], cases=sys.argv[2:] or None)
    print("\n".join(table(res)))
    Path(tempfile.gettempdir(), "klems_comparison.txt").write_text("\n".join(table(res)))
