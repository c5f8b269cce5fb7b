"""The benchmark runner starts and produces its table (sizes tiny; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys


def test_benchmark_runner_starts(request):
    root = request.config.rootpath
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "## Perpetual inventory" in proc.stdout
    assert "| 2 | 20,850 |" in proc.stdout
    assert "## Gross, net and productive stocks and CFC" in proc.stdout
