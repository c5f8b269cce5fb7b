"""Compiled recursion of simple exponential smoothing (numba) and its plain-numpy twin.

The level of simple exponential smoothing is ``l_t = α x_t + (1 − α) l_{t−1}`` with ``l_{−1}``
the initial level. statsmodels estimates α and ``l_{−1}``; this kernel applies them (to many
series at once, time on the last axis) so that the level can be recomputed without refitting,
e.g. for a fixed smoothing level or a sweep over α.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _ses_level_jit(x, alpha, initial, out):
    """``out[i, t] = α_i x[i, t] + (1 − α_i) out[i, t − 1]``, ``out[i, −1] = initial[i]``.

    x (m, n) float64, time last; alpha (m,), initial (m,); out (m, n) is written in place.
    """
    m, n = x.shape
    for i in range(m):
        a = alpha[i]
        level = initial[i]
        for t in range(n):
            level = a * x[i, t] + (1.0 - a) * level
            out[i, t] = level


def ses_level_reference(x, alpha, initial):
    """Plain-numpy twin of :func:`_ses_level_jit` by the closed form
    ``l_t = (1 − α)^{t+1} l_{−1} + Σ_{k ≤ t} α (1 − α)^{t−k} x_k`` (the reference of the tests)."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    alpha = np.asarray(alpha, dtype=float).reshape(-1, 1, 1)
    initial = np.asarray(initial, dtype=float).reshape(-1, 1)
    n = x.shape[-1]
    t = np.arange(n)
    lag = t[:, None] - t[None, :]                       # (t, k)
    decay = np.where(lag >= 0, (1.0 - alpha) ** np.maximum(lag, 0), 0.0)  # (m, t, k)
    weights = alpha * decay
    return np.einsum("mtk,mk->mt", weights, x) + (1.0 - alpha[:, :, 0]) ** (t + 1) * initial


def ses_level(x, alpha, initial):
    """Levels of simple exponential smoothing for one series (1-D) or many (2-D, time last)."""
    arr = np.asarray(x, dtype=float)
    one = arr.ndim == 1
    x2 = np.ascontiguousarray(np.atleast_2d(arr))
    m = x2.shape[0]
    a = np.ascontiguousarray(np.broadcast_to(np.asarray(alpha, dtype=float), (m,)))
    l0 = np.ascontiguousarray(np.broadcast_to(np.asarray(initial, dtype=float), (m,)))
    out = np.empty_like(x2)
    _ses_level_jit(x2, a, l0, out)
    return out[0] if one else out
