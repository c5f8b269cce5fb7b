"""The machine's memory bandwidth, measured with numpy over arrays larger than the caches."""

from __future__ import annotations

import numpy as np

from benchmarks.timing import measure


def memory_bandwidth(n_bytes: int = 1 << 30, repeats: int = 3) -> dict:
    """Copy (``b[:] = a``, 2 arrays moved) and triad (``a = b + s·c``, 3 arrays moved), in B/s.

    ``n_bytes`` per array must exceed the last-level cache (480 MiB on the reference machine)
    for a memory, not cache, figure. numpy's triad runs as two passes (``s·c`` into a temporary,
    then the add), so its true traffic is 5 arrays; both counts are reported.
    """
    n = n_bytes // 8
    a = np.ones(n)
    b = np.full(n, 2.0)
    c = np.full(n, 3.0)
    tmp = np.empty(n)

    def copy():
        np.copyto(b, a)

    def triad():
        np.multiply(c, 3.0, out=tmp)
        np.add(b, tmp, out=a)

    t_copy = measure(copy, repeats=repeats, trace_memory=False).seconds
    t_triad = measure(triad, repeats=repeats, trace_memory=False).seconds
    return {
        "array_bytes": n * 8,
        "copy_Bps": 2 * n * 8 / t_copy,
        "triad_Bps_nominal": 3 * n * 8 / t_triad,
        "triad_Bps_actual": 5 * n * 8 / t_triad,
    }
