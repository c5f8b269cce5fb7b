"""Timing and memory helpers shared by the benchmark suites."""

from __future__ import annotations

import gc
import resource
import time
import tracemalloc
from dataclasses import dataclass


@dataclass
class Measurement:
    seconds: float          # best of the repeats
    peak_bytes: int         # peak Python/numpy allocation during one call (tracemalloc)
    repeats: int


def measure(fn, *, repeats: int = 3, min_time: float = 0.0, trace_memory: bool = True):
    """Best wall time of ``fn()`` over ``repeats`` calls (more calls while under ``min_time``)."""
    fn()  # warm-up: compilation and caches are not part of the figure
    gc.collect()
    peak = 0
    if trace_memory:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    best = float("inf")
    n = 0
    start_all = time.perf_counter()
    while n < repeats or (time.perf_counter() - start_all) < min_time:
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        n += 1
    return Measurement(best, peak, n)


def max_rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak_rss() -> bool:
    """Reset this process's peak-RSS mark (Linux ``/proc/self/clear_refs``, value 5).

    A child started from a large parent inherits the parent's resident size in its high-water
    mark (``ru_maxrss`` survives exec), so a child that measures its own peak resets it first.
    Returns False where the kernel does not allow it (then :func:`peak_rss_bytes` may be high).
    """
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss_bytes() -> int:
    """Peak RSS since the last :func:`reset_peak_rss` (``VmHWM``), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return max_rss_bytes()
