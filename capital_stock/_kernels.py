"""Compiled inner loop of the perpetual inventory (numba); the numpy twin lives beside it."""

from __future__ import annotations

import numba
import numpy as np

BLOCK = 32  # series per block: the inner loop runs across series, contiguous in the block


@numba.njit(cache=True, error_model="numpy")
def pim_block(inv, weights, weight_row, start, base, decay, decay_row, out, i0, nb, X, Y, W):
    """The stocks of series ``i0 .. i0+nb−1`` (at most ``BLOCK``) into ``out``; see
    :func:`_pim_jit`. ``X``, ``Y`` (n, BLOCK) and ``W`` (L, BLOCK) are work buffers. The sweep
    calls this directly for each draw (klems.sweep._kernels), the estimate through
    :func:`_pim_jit`: one implementation of the perpetual inventory."""
    n = inv.shape[1]
    L = weights.shape[1]
    for j in range(nb):
        i = i0 + j
        w = weights[weight_row[i]]
        d = decay[decay_row[i]]
        b = base[i]
        for t in range(n):
            X[t, j] = inv[i, t]
            Y[t, j] = b * d[t]
        for x in range(L):
            W[x, j] = w[x]
    for x in range(min(L, n - start)):
        for t in range(start + x, n):
            for j in range(nb):
                Y[t, j] += W[x, j] * X[t - x, j]
    for j in range(nb):
        for t in range(n):
            out[i0 + j, t] = Y[t, j]


@numba.njit(cache=True, parallel=True)
def _pim_jit(inv, weights, weight_row, start, base, decay, decay_row, out):
    """Sum of vintages: ``out[i, t] = base[i]·decay[r, t] + Σ_{x ≤ t−start} w[q, x]·inv[i, t−x]``.

    inv (m, n) real investment, time last; weights (Q, L) with the row of series i in
    ``weight_row[i]``; decay (R, n) with the row of series i in ``decay_row[i]``.
    ``start`` = 1 excludes the base-year vintage (its stock is ``base``), 0 includes it.

    Blocks of ``BLOCK`` series run in parallel (``prange``), each by :func:`pim_block`, which
    copies the block into small year-major buffers so that the innermost loop runs across the
    block's series (long, contiguous, vectorisable) instead of along a 25-year row; every cell is
    still summed in the textbook order (base first, then ages 0, 1, …), so results equal the
    reference bit for bit.
    """
    m, n = inv.shape
    L = weights.shape[1]
    nblocks = (m + BLOCK - 1) // BLOCK
    for blk in numba.prange(nblocks):
        i0 = blk * BLOCK
        nb = min(i0 + BLOCK, m) - i0
        X = np.empty((n, BLOCK))
        Y = np.empty((n, BLOCK))
        W = np.empty((L, BLOCK))
        pim_block(inv, weights, weight_row, start, base, decay, decay_row, out, i0, nb, X, Y, W)


def pim_reference(inv, weights, weight_row, start, base, decay, decay_row):
    """Plain-numpy twin of :func:`_pim_jit` (the reference its tests compare against)."""
    m, n = inv.shape
    out = base[:, None] * decay[decay_row]
    w = weights[weight_row]
    for x in range(min(weights.shape[1], n - start)):
        out[:, start + x:] += w[:, x:x + 1] * inv[:, start:n - x]
    return out


def pim(inv, weights, weight_row, start, base, decay, decay_row):
    """Run the compiled kernel on contiguous float64 arrays and return the stocks."""
    inv = np.ascontiguousarray(inv, dtype=np.float64)
    out = np.empty_like(inv)
    _pim_jit(
        inv,
        np.ascontiguousarray(weights, dtype=np.float64),
        np.ascontiguousarray(weight_row, dtype=np.int64),
        int(start),
        np.ascontiguousarray(base, dtype=np.float64),
        np.ascontiguousarray(decay, dtype=np.float64),
        np.ascontiguousarray(decay_row, dtype=np.int64),
        out,
    )
    return out
