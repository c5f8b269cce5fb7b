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


# --------------------------------------------------------------------------------------------
# The stages of the accounts after the user costs, compiled once and called by both the estimate
# (through the xarray wrappers in klems.accounts) and the sweep (klems.sweep._kernels, per draw).
# Every sum runs in the order numpy/xarray use for the same reduction (first element, then the
# others in index order), so the wrappers give the same numbers as the numpy twins in the tests.


@numba.njit(cache=True, error_model="numpy")
def user_cost_terms(K, p, q, gains, dep, A, B, value_a, value_b, valid):
    """Inputs of :func:`_user_cost_jit` from stocks and prices, all (m, a, n).

    ``value_a = q`` (the price that multiplies the rate), ``value_b = δ·p − q·π̃``; ``A, B`` are
    the same times the stock. An asset takes part where its stock, both prices, the smoothed
    gain and δ are usable; elsewhere every term is 0.
    """
    m, na, n = K.shape
    for s in range(m):
        for k in range(na):
            for t in range(n):
                kv = K[s, k, t]
                pv = p[s, k, t]
                qv = q[s, k, t]
                gv = gains[s, k, t]
                dv = dep[s, k, t]
                ok = kv > 0 and qv > 0 and pv > 0 and np.isfinite(gv) and np.isfinite(dv)
                valid[s, k, t] = ok
                if ok:
                    b = dv * pv - qv * gv
                    value_a[s, k, t] = qv
                    value_b[s, k, t] = b
                    A[s, k, t] = qv * kv
                    B[s, k, t] = b * kv
                else:
                    value_a[s, k, t] = 0.0
                    value_b[s, k, t] = 0.0
                    A[s, k, t] = 0.0
                    B[s, k, t] = 0.0


@numba.njit(cache=True, error_model="numpy")
def aggregate_growth(vol, lr, val, exclude_entering, out, bad):
    """Törnqvist log growth of an aggregate of items: ``out[s, t] = Σ_k s̄_k Δln vol_k``.

    vol, val (m, k, n) volumes and values, ``lr`` their log changes from :func:`log_changes`
    (computed once where they do not change, e.g. across a sweep's draws); shares ``val / Σ val`` (NaN values count as 0 in the
    total; the total is NaN when every value is). Items with a zero average share drop out;
    ``exclude_entering``: an item with zero volume the year before is left out and the others'
    shares renormalised. ``out`` is NaN in the first year and where a share is undefined;
    ``bad[s, k, t]`` marks items with a positive share but no positive volume in t or t−1
    (the wrapper raises there). Twin: :func:`klems.accounts.growth_accounting.aggregate_growth_reference`.
    """
    m, nk, n = vol.shape
    share0 = np.empty(nk)
    share1 = np.empty(nk)
    avg = np.empty(nk)
    for s in range(m):
        for k in range(nk):
            bad[s, k, 0] = False
        out[s, 0] = np.nan
        for t in range(n):
            # shares of year t (kept for t+1 as the previous year's)
            all_nan = True
            total = 0.0
            for k in range(nk):
                v = val[s, k, t]
                if not np.isnan(v):
                    all_nan = False
                else:
                    v = 0.0
                total = v if k == 0 else total + v
            if all_nan:
                total = np.nan
            for k in range(nk):
                share1[k] = val[s, k, t] / total if total > 0 else np.nan
            if t > 0:
                defined = True
                for k in range(nk):
                    avg[k] = 0.5 * (share1[k] + share0[k])
                    if np.isnan(avg[k]):
                        defined = False
                norm = 0.0
                for k in range(nk):
                    a = 0.0 if np.isnan(avg[k]) else avg[k]
                    active = a > 0
                    if exclude_entering:
                        new = vol[s, k, t - 1] == 0 and vol[s, k, t] > 0
                        w = a if (active and not new) else 0.0
                        norm = w if k == 0 else norm + w
                for k in range(nk):
                    a = 0.0 if np.isnan(avg[k]) else avg[k]
                    active = a > 0
                    if exclude_entering:
                        new = vol[s, k, t - 1] == 0 and vol[s, k, t] > 0
                        keep = active and not new
                        w = a if keep else 0.0
                        avg[k] = w / norm if norm > 0 else 0.0
                        active = keep
                    else:
                        avg[k] = a
                    ok = vol[s, k, t] > 0 and vol[s, k, t - 1] > 0
                    bad[s, k, t] = active and not ok
                    share0[k] = 1.0 if active else 0.0   # reuse as the active mask below
                if exclude_entering and not norm > 0:
                    defined = False
                acc = 0.0
                for k in range(nk):
                    c = avg[k] * lr[s, k, t] if share0[k] > 0 else 0.0
                    acc = c if k == 0 else acc + c
                out[s, t] = acc if defined else np.nan
            for k in range(nk):
                share0[k] = share1[k]


@numba.njit(cache=True, error_model="numpy")
def log_changes(volume, out):
    """``out[s, k, t] = ln(volume[s, k, t] / volume[s, k, t−1])``, NaN in the first year
    (volume and out (m, k, n), time last; callers reshape 2-D series to (m, 1, n))."""
    m, nk, n = volume.shape
    for s in range(m):
        for k in range(nk):
            out[s, k, 0] = np.nan
            for t in range(1, n):
                out[s, k, t] = np.log(volume[s, k, t] / volume[s, k, t - 1])


@numba.njit(cache=True, error_model="numpy")
def tornqvist_contributions(out_value, out_growth, in_values, in_growth, tolerance,
                            contribution, share, tfp, problem):
    """Gross-output (or value-added) Törnqvist decomposition of every series.

    out_value (m, n) nominal output and ``out_growth`` its volume's log change; in_values
    (k, m, n) and ``in_growth`` the inputs' volume log changes (both from :func:`log_changes`).
    Shares ``s_j = w_j / (P_Y Y)``; ``s̄`` their two-period average; ``c_j = s̄_j Δln X_j`` (0
    where ``s̄_j`` is not positive); ``tfp = Δln Y − Σ_j c_j``; the first year NaN.
    ``problem[0..2]`` receives the first failing (kind, series, year), kind 1: output value not
    > 0, 2: shares do not sum to 1 within ``tolerance``, 3: an output volume not > 0 (its log
    change not finite), 4: an input volume not > 0 where its share is positive (kind 4 stores
    the input in ``problem[3]``); kind 0 when there is none. Twin: ``tornqvist_reference`` in
    the tests.
    """
    nin, m, n = in_values.shape
    problem[0] = 0
    for s in range(m):
        for t in range(n):
            ov = out_value[s, t]
            if not ov > 0 and problem[0] == 0:
                problem[0], problem[1], problem[2] = 1, s, t
            total = 0.0
            for j in range(nin):
                sh = in_values[j, s, t] / ov
                share[j, s, t] = sh          # the year's share; averaged below
                total = total + sh
            if not abs(total - 1.0) <= tolerance and problem[0] == 0:
                problem[0], problem[1], problem[2] = 2, s, t
        tfp[s, 0] = np.nan
        for t in range(n - 1, -1, -1):      # backwards: the average needs the year's own share
            for j in range(nin):
                if t == 0:
                    share[j, s, t] = np.nan
                else:
                    share[j, s, t] = 0.5 * (share[j, s, t] + in_values[j, s, t - 1]
                                            / out_value[s, t - 1])
        for t in range(1, n):
            og = out_growth[s, t]
            if not np.isfinite(og) and problem[0] == 0:
                problem[0], problem[1], problem[2] = 3, s, t
            csum = 0.0
            for j in range(nin):
                a = share[j, s, t]
                g = 0.0
                if a > 0:
                    g = in_growth[j, s, t]
                    if not np.isfinite(g) and problem[0] == 0:
                        problem[0], problem[1], problem[2], problem[3] = 4, s, t, j
                c = a * g
                contribution[j, s, t] = c
                csum = csum + c
            tfp[s, t] = og - csum
        for j in range(nin):
            contribution[j, s, 0] = np.nan


@numba.njit(cache=True, error_model="numpy")
def _window_sum(x, t, window):
    """``x[t−window+1] + … + x[t]`` in index order (the window cut at the first year)."""
    acc = 0.0
    for u in range(max(0, t - window + 1), t + 1):
        acc = acc + x[u]
    return acc


@numba.njit(cache=True, error_model="numpy")
def attribution_rates(rule, value_added, ict_compensation, ict_contribution, output_growth,
                      tfp, output_value, share_intermediates, theta, window, min_growth,
                      base_index, basis, floor, numerator, rate, fallback, clipped):
    """Share of each industry's value added attributed to ICT under ``rule`` (see
    :mod:`klems.accounts.attribution`), all (m, n): 0 income share, 1 contribution rate,
    2 contribution plus θ·TFP, 3 cumulative; ``theta`` (m,) is each series' θ. ``numerator`` is a
    work array (rule 3: it receives each year's term before the floor at 0). Rates clipped to
    [0, 1] (marked in ``clipped``).

    Rules 1–2: where the windowed output growth is below ``min_growth`` a year (or no rate is
    defined) the income share is used (``fallback``). Window sums count a missing year as 0.
    Twin: ``contribution_rate`` (xarray rolling sums) in :mod:`klems.accounts.attribution`.

    Rule 3 (cumulative): with ``t0 = base_index`` and ``Y`` value added (``basis`` 0) or output
    value (``basis`` 1), ``term_t = v̄_ICT ΔK_ICT + θ·ΔHA`` (divided by the two-period average
    value-added share ``1 − v̄_MID`` on the value-added basis; a missing term counts as 0),
    ``S_t = Σ_{τ=t0+1..t} term_τ`` (with ``floor``: ``Σ max(0, term_τ)``), ``s0 = ICT
    compensation / Y`` in t0 (in [0, 1]) and ``ID_t = Y_t (1 − (1 − s0) e^{−S_t})``; the rate is
    ``ID_t / VA_t``, clipped to [0, 1] like every rule's (a negative ID, possible without the
    floor, and ID above value added on the gross-output basis are marked in ``clipped``). In t0
    and before, the income share (``fallback``). Twin: ``cumulative_rate_reference`` in the
    tests.
    """
    m, n = value_added.shape
    growth = np.empty(n)
    valid = np.empty(n)
    for s in range(m):
        if rule == 1 or rule == 2:
            for t in range(n):
                num = ict_contribution[s, t] + theta[s] * tfp[s, t] if rule == 2 \
                    else ict_contribution[s, t]
                numerator[s, t] = 0.0 if np.isnan(num) else num
                g = output_growth[s, t]
                growth[t] = 0.0 if np.isnan(g) else g
                valid[t] = 0.0 if np.isnan(g) else 1.0
        acc = 0.0
        s0 = 0.0
        if rule == 3:
            y0 = value_added[s, base_index] if basis == 0 else output_value[s, base_index]
            s0 = ict_compensation[s, base_index] / y0 if y0 > 0 else 0.0
            s0 = 0.0 if not s0 > 0 else (1.0 if s0 > 1 else s0)
        for t in range(n):
            va = value_added[s, t]
            inc = ict_compensation[s, t] / va if va > 0 else 0.0
            fb = False
            if rule == 0:
                r = inc
            elif rule == 3:
                if t <= base_index:
                    numerator[s, t] = 0.0
                    r = inc
                    fb = True
                else:
                    term = ict_contribution[s, t] + theta[s] * tfp[s, t]
                    if basis == 0:
                        share_va = 1.0 - share_intermediates[s, t]
                        term = term / share_va if share_va > 0 else np.nan
                    term = 0.0 if not np.isfinite(term) else term
                    numerator[s, t] = term
                    if term > 0 or not floor:
                        acc = acc + term
                    level = 1.0 - (1.0 - s0) * np.exp(-acc)
                    if basis == 0:
                        r = level if va > 0 else 0.0
                    else:
                        r = output_value[s, t] * level / va if va > 0 else 0.0
            else:
                cnt = _window_sum(valid, t, window)
                den = _window_sum(growth, t, window)
                num = _window_sum(numerator[s], t, window)
                undefined = den < min_growth * cnt and cnt > 0
                r = num / den if (not undefined and cnt > 0) else np.nan
                fb = undefined or np.isnan(r)
                if fb:
                    r = inc
            clipped[s, t] = r < 0 or r > 1
            if r < 0:
                r = 0.0
            elif r > 1:
                r = 1.0
            rate[s, t] = r
            fallback[s, t] = fb


@numba.njit(cache=True, error_model="numpy")
def digital_totals(value_added, id_industry, di_share, di, id_):
    """``DI_t = Σ_i VA_i,t · d_i`` and ``ID_t = Σ_i ID_i,t · (1 − d_i)`` (NaN terms count as 0;
    industries summed in index order). value_added, id_industry (m, n); di_share (m,)."""
    m, n = value_added.shape
    for t in range(n):
        a = 0.0
        b = 0.0
        for s in range(m):
            x = value_added[s, t] * di_share[s]
            y = id_industry[s, t] * (1.0 - di_share[s])
            x = 0.0 if np.isnan(x) else x
            y = 0.0 if np.isnan(y) else y
            a = x if s == 0 else a + x
            b = y if s == 0 else b + y
        di[t] = a
        id_[t] = b


@numba.njit(cache=True, error_model="numpy")
def theta_ols(tfp, deepening):
    """θ = b·Σx/ΣΔHA with b the OLS slope of TFP growth on ICT deepening (with a constant), over
    the cells where both are finite; NaN when fewer than 3 cells or ΣΔHA is 0. The compiled twin
    of :func:`klems.accounts.attribution.estimate_theta` (statsmodels) for the sweep; a test
    checks that the two agree."""
    m, n = tfp.shape
    cnt = 0
    sx = 0.0
    sy = 0.0
    for s in range(m):
        for t in range(n):
            x = deepening[s, t]
            y = tfp[s, t]
            if np.isfinite(x) and np.isfinite(y):
                cnt += 1
                sx += x
                sy += y
    if cnt < 3 or abs(sy) < 1e-12:
        return np.nan
    mx = sx / cnt
    my = sy / cnt
    sxy = 0.0
    sxx = 0.0
    for s in range(m):
        for t in range(n):
            x = deepening[s, t]
            y = tfp[s, t]
            if np.isfinite(x) and np.isfinite(y):
                sxy += (x - mx) * (y - my)
                sxx += (x - mx) * (x - mx)
    if not sxx > 0:
        return np.nan
    return sxy / sxx * (sx / sy)
