"""Compiled inner loops of user costs and Törnqvist aggregation (numba), with numpy twins.

Layout: series ``m`` (industries × draws × provinces, flattened), assets ``a``, years ``n``;
time is the last, contiguous axis. The public wrappers in :mod:`klems.accounts.user_costs` validate,
broadcast and allocate; these functions only compute.

User cost of asset ``k`` in year ``t`` (per unit of stock), with ``q`` the price that multiplies the
rate (``p_{t-1}`` in the methodology's formula as printed, or ``p_t``) and ``g`` the price that
multiplies the smoothed capital gain ``π̃``::

    u[k, t] = q[k, t]·i_t + δ[k, t]·p[k, t] − g[k, t]·π̃[k, t]  = A[k, t]·i_t + B[k, t]

with ``A = q·K`` and ``B = (δ·p − g·π̃)·K`` in value terms. The ex-post internal rate makes
``Σ_k u·K = C_t`` (capital compensation), i.e. ``i_t = (C_t − Σ B) / Σ A``.

Negative user costs, ``clip_mode``:

* 0 "rescale" (EU KLEMS D2.3.1 p. 19): keep ``i_t`` from the unclipped equation, set negative user
  costs to zero, then rescale every asset's compensation so that it sums to ``C_t``;
* 1 "resolve": solve ``Σ_k max(A_k i + B_k, 0) = C_t`` for ``i_t`` (piecewise linear and
  non-decreasing in ``i``; the exact root is found by walking the sorted kinks), so that clipped
  user costs exhaust compensation without rescaling.

Assets with ``valid[k, t] == False`` (no stock, or an undefined price) take no part in year ``t``.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _solve_clipped_rate(a, b, c, na):
    """Root ``i`` of ``Σ_k max(a_k·i + b_k, 0) = c`` with ``a_k > 0``; NaN when none exists."""
    kinks = np.empty(na)
    for k in range(na):
        kinks[k] = -b[k] / a[k]
    order = np.argsort(kinks)
    # f(i) = Σ_{k: kink_k < i} (a_k i + b_k); walk kinks upward accumulating the active set
    sa = 0.0
    sb = 0.0
    for j in range(na):
        k = order[j]
        sa += a[k]
        sb += b[k]
        upper = kinks[order[j + 1]] if j + 1 < na else np.inf
        root = (c - sb) / sa
        if root <= upper:
            return root
    return np.nan


@numba.njit(cache=True)
def _user_cost_jit(A, B, comp, valid, rate_given, rate, clip_mode, value_a, value_b, out_rate, out_uc, out_value, out_clipped):
    """Rates, user costs (per unit and in value) and clipping flags; see the module docstring.

    A, B, value_a, value_b: (m, a, n) — A, B in value terms (price·stock), ``value_a/_b`` per unit
    (q and δp − gπ̃). comp (m, n). valid (m, a, n) bool. rate (m, n) used when ``rate_given``.
    Outputs: out_rate (m, n), out_uc (m, a, n) per-unit user cost after clipping,
    out_value (m, a, n) asset compensation, out_clipped (m, a, n) bool.
    """
    m, na, n = A.shape
    a_buf = np.empty(na)
    b_buf = np.empty(na)
    for s in range(m):
        for t in range(n):
            sa = 0.0
            sb = 0.0
            cnt = 0
            for k in range(na):
                if valid[s, k, t]:
                    sa += A[s, k, t]
                    sb += B[s, k, t]
                    a_buf[cnt] = A[s, k, t]
                    b_buf[cnt] = B[s, k, t]
                    cnt += 1
            if rate_given:
                i = rate[s, t]
            elif cnt == 0 or sa <= 0.0 or not comp[s, t] > 0.0:
                i = np.nan
            else:
                i = (comp[s, t] - sb) / sa
                if clip_mode == 1:
                    neg = False
                    for k in range(cnt):
                        if a_buf[k] * i + b_buf[k] < 0.0:
                            neg = True
                    if neg:
                        i = _solve_clipped_rate(a_buf, b_buf, comp[s, t], cnt)
            out_rate[s, t] = i
            total = 0.0
            for k in range(na):
                if not np.isfinite(i):
                    out_uc[s, k, t] = np.nan
                    out_value[s, k, t] = np.nan
                    out_clipped[s, k, t] = False
                    continue
                if not valid[s, k, t]:
                    out_uc[s, k, t] = 0.0
                    out_value[s, k, t] = 0.0
                    out_clipped[s, k, t] = False
                    continue
                u = value_a[s, k, t] * i + value_b[s, k, t]
                if u < 0.0:
                    out_clipped[s, k, t] = True
                    u = 0.0
                else:
                    out_clipped[s, k, t] = False
                out_uc[s, k, t] = u
                v = A[s, k, t] * i + B[s, k, t]
                v = v if v > 0.0 else 0.0
                out_value[s, k, t] = v
                total += v
            if clip_mode == 0 and not rate_given and np.isfinite(i) and total > 0.0:
                f = comp[s, t] / total
                for k in range(na):
                    out_value[s, k, t] *= f
                    out_uc[s, k, t] *= f


def user_cost_reference(A, B, comp, valid, rate_given, rate, clip_mode, value_a, value_b):
    """Plain-numpy twin of :func:`_user_cost_jit` (the reference its tests compare against)."""
    A = np.where(valid, A, 0.0)
    B = np.where(valid, B, 0.0)
    if rate_given:
        i = np.array(rate, dtype=np.float64)
    else:
        sa = A.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            i = np.where((sa > 0) & (comp > 0), (comp - B.sum(axis=1)) / sa, np.nan)
        if clip_mode == 1:
            for s, t in zip(*np.nonzero(np.isfinite(i))):
                v = valid[s, :, t]
                a, b = A[s, v, t], B[s, v, t]
                if np.any(a * i[s, t] + b < 0):
                    # bisection on the monotone piecewise-linear equation, to machine precision
                    lo, hi = -1.0, 1.0
                    f = lambda x: np.maximum(a * x + b, 0).sum() - comp[s, t]  # noqa: E731
                    while f(lo) > 0:
                        lo *= 2
                    while f(hi) < 0:
                        hi *= 2
                    for _ in range(200):
                        mid = 0.5 * (lo + hi)
                        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
                    i[s, t] = 0.5 * (lo + hi)
    ok = valid & np.isfinite(i)[:, None, :]
    u = value_a * i[:, None, :] + value_b
    clipped = ok & (u < 0)
    undefined = ~np.isfinite(i)[:, None, :] & np.ones_like(valid)
    uc = np.where(ok, np.maximum(u, 0.0), np.where(undefined, np.nan, 0.0))
    value = np.where(ok, np.maximum(A * i[:, None, :] + B, 0.0), np.where(undefined, np.nan, 0.0))
    if clip_mode == 0 and not rate_given:
        total = value.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(np.isfinite(i) & (total > 0), comp / total, 1.0)
        value = value * f[:, None, :]
        uc = uc * f[:, None, :]
    return i, uc, value, clipped


def user_costs(A, B, comp, valid, rate, clip_mode, value_a, value_b):
    """Run the compiled kernel on contiguous float64 arrays; returns (rate, uc, value, clipped)."""
    A = np.ascontiguousarray(A, dtype=np.float64)
    m, na, n = A.shape
    rate_given = rate is not None
    rate_arr = (np.zeros((m, n)) if rate is None
                else np.ascontiguousarray(np.broadcast_to(rate, (m, n)), dtype=np.float64))
    out_rate = np.empty((m, n))
    out_uc = np.empty((m, na, n))
    out_value = np.empty((m, na, n))
    out_clipped = np.empty((m, na, n), dtype=np.bool_)
    _user_cost_jit(
        A, np.ascontiguousarray(B, dtype=np.float64),
        np.ascontiguousarray(comp, dtype=np.float64),
        np.ascontiguousarray(valid, dtype=np.bool_), rate_given, rate_arr, int(clip_mode),
        np.ascontiguousarray(value_a, dtype=np.float64),
        np.ascontiguousarray(value_b, dtype=np.float64),
        out_rate, out_uc, out_value, out_clipped,
    )
    return out_rate, out_uc, out_value, out_clipped
