"""Compiled sum over vintages for several stocks at once (numba); the numpy twin lives beside it.

``out[k, i, t] = Σ_{a=0}^{min(L−1, t)} W[k, g(i), r(t−a), a] · inv[i, t−a]``: stock kind k
(gross, net, productive, consumption of fixed capital), series i in profile group g(i), vintage
``t − a`` with profile row r(·) (vintage-specific life tables), age a.
"""

from __future__ import annotations

import numba
import numpy as np

BLOCK = 32  # series per block: the inner loop runs across series, contiguous in the block
#: multiply-adds below which the serial kernel runs (a parallel region costs tens of µs, and
#: far more when the other cores are busy)
PARALLEL_MIN_WORK = 4_000_000


@numba.njit(cache=True)
def _block_jit(inv, weights, vintage_row, g, i0, nb, out):
    """Every stock kind of the series ``i0 … i0+nb−1`` (one block of profile group g).

    The block is copied into year-major buffers so that the innermost loop runs across its
    series (contiguous, vectorisable); every cell is summed in the order of the reference
    (ages 0, 1, …), so results equal it bit for bit.
    """
    n = inv.shape[1]
    K, G, R, L = weights.shape
    X = np.empty((n, BLOCK))
    Y = np.zeros((K, n, BLOCK))
    for j in range(nb):
        for t in range(n):
            X[t, j] = inv[i0 + j, t]
    for a in range(min(L, n)):
        for t in range(a, n):
            r = vintage_row[t - a]
            for k in range(K):
                w = weights[k, g, r, a]
                for j in range(nb):
                    Y[k, t, j] += w * X[t - a, j]
    for k in range(K):
        for j in range(nb):
            for t in range(n):
                out[k, i0 + j, t] = Y[k, t, j]


@numba.njit(cache=True)
def _stocks_jit(inv, weights, vintage_row, block_group, block_start, block_len, out):
    """All stock kinds of every series, block after block (serial).

    inv (m, n) real investment, time last; weights (K, G, R, L); vintage_row (n,) the profile
    row of each vintage; blocks of at most ``BLOCK`` consecutive series of one group (the
    series of a group are contiguous): ``block_group``, ``block_start``, ``block_len``;
    out (K, m, n).
    """
    for b in range(block_group.size):
        _block_jit(inv, weights, vintage_row, block_group[b], block_start[b], block_len[b], out)


@numba.njit(cache=True, parallel=True)
def _stocks_parallel_jit(inv, weights, vintage_row, block_group, block_start, block_len, out):
    """:func:`_stocks_jit` with the blocks spread over threads (``prange``), for large inputs."""
    for b in numba.prange(block_group.size):
        _block_jit(inv, weights, vintage_row, block_group[b], block_start[b], block_len[b], out)


def stocks_reference(inv, weights, series_group, vintage_row):
    """Plain-numpy twin of :func:`_stocks_jit` (the reference its tests compare against).

    ``series_group`` (m,) gives the profile group of each series (any order).
    """
    m, n = inv.shape
    K, G, R, L = weights.shape
    out = np.zeros((K, m, n))
    for a in range(min(L, n)):
        w = weights[:, series_group[:, None], vintage_row[None, :n - a], a]   # (K, m, n−a)
        out[:, :, a:] += w * inv[None, :, :n - a]
    return out


def blocks(group_sizes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blocks of at most ``BLOCK`` series that never straddle two groups."""
    grp, start, length = [], [], []
    i = 0
    for g, size in enumerate(group_sizes):
        for s in range(0, int(size), BLOCK):
            grp.append(g)
            start.append(i + s)
            length.append(min(BLOCK, int(size) - s))
        i += int(size)
    return (np.asarray(grp, dtype=np.int64), np.asarray(start, dtype=np.int64),
            np.asarray(length, dtype=np.int64))


def stocks(inv, weights, group_sizes, vintage_row, *, parallel: bool | None = None):
    """Run the compiled kernel; series of group g are rows ``sum(sizes[:g]) …`` of ``inv``.

    ``parallel``: None chooses by the amount of work (:data:`PARALLEL_MIN_WORK`).
    """
    inv = np.ascontiguousarray(inv, dtype=np.float64)
    weights = np.ascontiguousarray(weights, dtype=np.float64)
    bg, bs, bl = blocks(group_sizes)
    out = np.empty((weights.shape[0],) + inv.shape)
    work = inv.size * weights.shape[0] * min(weights.shape[-1], inv.shape[-1])
    if parallel is None:
        parallel = work >= PARALLEL_MIN_WORK
    kernel = _stocks_parallel_jit if parallel else _stocks_jit
    kernel(inv, weights, np.ascontiguousarray(vintage_row, dtype=np.int64), bg, bs, bl, out)
    return out
