"""The sweep's compiled loop over draws: each draw runs the estimate's own compiled stages.

No step of the method is written here. For every draw, :func:`evaluate_draws` calls, in the
order of :func:`klems.pipeline.compute.compute`:

1. :func:`capital_stock._kernels.pim_block` — the perpetual inventory of each ICT asset (with the
   draw's weights, base-year stocks and pre-sample decay, computed beforehand by
   ``capital_stock``'s own functions, see :mod:`klems.sweep.evaluation`);
2. :func:`klems.accounts._kernels.user_cost_terms` and ``_user_cost_jit`` — user costs with the
   ex-post rate;
3. :func:`klems.accounts._kernels.log_changes` and ``aggregate_growth`` — Törnqvist capital
   services by group;
4. :func:`klems.accounts._kernels.tornqvist_contributions` — contributions and TFP;
5. :func:`klems.accounts._kernels.theta_ols` — θ when it is estimated (the compiled twin of the
   statsmodels regression of :func:`klems.accounts.attribution.estimate_theta`);
6. :func:`klems.accounts._kernels.attribution_rates` (every rule, the cumulative one included)
   and ``digital_totals`` — ID and DE.

So a change of method made in those kernels reaches the estimate and the sweep together; a test
runs ``compute`` and the sweep on the same parameters and finds the same numbers.

Draws run in parallel (``prange`` over blocks of draws, one set of work arrays per block); a
draw's result depends only on its parameters, so the number of threads never changes a number.

Layout: industries ``I``, assets ``a`` (3 ICT + non-ICT last), years ``n`` (time last); the
accounts' years ``m = n − 1`` (the first year has no previous price).

Per-draw ``flags`` (bit mask) mark draws where ``compute`` would raise: ``FLAG_SHARES`` input
shares do not sum to 1; ``FLAG_VOLUME`` a volume is not positive where its share is;
``FLAG_THETA`` the θ regression is undefined; ``FLAG_BASE`` g + δ <= 0 in the base-year stock or
an infinite back-cast.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from capital_stock._kernels import BLOCK, pim_block
from klems.accounts._kernels import (
    _user_cost_jit,
    aggregate_growth,
    attribution_rates,
    digital_totals,
    log_changes,
    theta_ols,
    tornqvist_contributions,
    user_cost_terms,
)

FLAG_SHARES, FLAG_VOLUME, FLAG_THETA, FLAG_BASE = 1, 2, 4, 8
FLAG_TEXT = {FLAG_SHARES: "input shares of gross output do not sum to 1",
             FLAG_VOLUME: "a capital volume is not positive where its share is",
             FLAG_THETA: "θ regression is undefined",
             FLAG_BASE: "g + δ <= 0 in the base-year stock (or an infinite back-cast)"}

#: Inputs of a province that no swept parameter changes (numpy arrays and scalars).
Fixed = namedtuple("Fixed", [
    "nominal",        # (3, I, n) nominal ICT investment
    "price",          # (3, n) ICT investment price / 100
    "nict_stock",     # (I, n) non-ICT productive stock
    "p", "q", "gains",  # (I, 4, n) price, the price that multiplies the rate, smoothed gains
    "comp",           # (I, n) capital compensation
    "rate",           # (I, n) exogenous rate (used when rate_given)
    "rate_given",     # bool
    "nict_lr",        # (I, 1, n) log changes of the non-ICT stock
    "out_value", "out_growth",            # (I, m) output value, log change of its volume
    "labour_value", "labour_growth",      # (I, m)
    "mid_value", "mid_growth",            # (I, m)
    "value_added",    # (I, m)
    "di_share",       # (I,)
    "gdp",            # (m,)
    "weight_row",     # (I,) zeros: one weight row per asset
    "start",          # 1: the base-year vintage is the base stock; 0: it follows the profile
    "window", "min_growth", "share_tolerance",
    "theta_end",      # issue 16: θ's regression uses accounts years [1, theta_end) (freeze year)
    "base_index",     # index of the cumulative rule's base year in the accounts' years
    "basis",          # output basis of the cumulative rule (index in OUTPUT_BASES)
    "floor",          # the cumulative rule floors negative yearly terms at 0
    "theta_sector",   # (I,) θ of industries whose sector has its own (NaN: the draw's θ)
])

#: Per-draw parameters (leading dimension D).
Draws = namedtuple("Draws", [
    "rule",           # (D,) attribution rule code (index in klems.base.vocabulary.RULES)
    "weights",        # (D, 3, L) age-efficiency weights (first ``lengths`` entries used)
    "lengths",        # (D, 3) number of weights used
    "base",           # (D, 3, I) base-year stocks
    "decay",          # (D, 3, R, n) pre-sample decay rows
    "decay_row",      # (D, 3, I) row of each industry in ``decay``
    "depreciation",   # (D, 4) δ of the three ICT assets and of non-ICT capital
    "ict_scale",      # (D,)
    "di_scale",       # (D,)
    "theta",          # (D,) NaN: estimate by OLS
    "flags",          # (D,) flags found before the kernel (base-year stock)
])


@numba.njit(cache=True, error_model="numpy")
def _one_draw(fx, dr, d, w, out_de, out_di, out_id, out_share, out_theta, out_flags,
              out_clipped):
    (inv, X, Y, W, K, dep, A, B, va, vb, valid, r_out, uc, value, clipped, g_ict, g_nict,
     bad3, bad1, vol_ict, vol_nict, in_values, in_growth, lr_ict, contribution, share, tfp,
     problem, deep, rate, work, fallback, clip2, id_ind, dss, di, id_, theta_ind) = w
    n_ind, n = fx.nict_stock.shape
    m = n - 1
    flag = dr.flags[d]
    # 1. perpetual inventory of each ICT asset
    for a in range(3):
        scale = dr.ict_scale[d]
        for i in range(n_ind):
            for t in range(n):
                inv[i, t] = fx.nominal[a, i, t] * scale / fx.price[a, t]
        L = dr.lengths[d, a]
        weights = dr.weights[d, a:a + 1, :L]
        stock = K[:, a, :]
        for i0 in range(0, n_ind, BLOCK):
            nb = min(i0 + BLOCK, n_ind) - i0
            pim_block(inv, weights, fx.weight_row, fx.start, dr.base[d, a], dr.decay[d, a],
                      dr.decay_row[d, a], stock, i0, nb, X, Y, W)
    # 2. user costs with the ex-post (or given) rate
    for i in range(n_ind):
        for k in range(4):
            for t in range(n):
                dep[i, k, t] = dr.depreciation[d, k]
    user_cost_terms(K, fx.p, fx.q, fx.gains, dep, A, B, va, vb, valid)
    _user_cost_jit(A, B, fx.comp, valid, fx.rate_given, fx.rate, 0, va, vb, r_out, uc, value,
                   clipped)
    n_clip = 0
    for i in range(n_ind):
        for k in range(4):
            for t in range(n):
                if clipped[i, k, t]:
                    n_clip += 1
    # 3. capital services by group (entering assets excluded) and their volume
    log_changes(K[:, 0:3, :], lr_ict)
    aggregate_growth(K[:, 0:3, :], lr_ict, value[:, 0:3, :], True, g_ict, bad3)
    aggregate_growth(K[:, 3:4, :], fx.nict_lr, value[:, 3:4, :], True, g_nict, bad1)
    if bad3.any() or bad1.any():
        flag |= FLAG_VOLUME
    for i in range(n_ind):     # a year without a Törnqvist index counts as no change
        for j in range(m):
            g = g_ict[i, j + 1]
            in_growth[0, i, j] = 0.0 if np.isnan(g) else g
            g = g_nict[i, j + 1]
            in_growth[1, i, j] = 0.0 if np.isnan(g) else g
    # 4. gross-output Törnqvist over the accounts' years
    for i in range(n_ind):
        for j in range(m):
            t = j + 1
            c = 0.0
            for k in range(3):
                v = value[i, k, t]
                v = 0.0 if np.isnan(v) else v
                c = v if k == 0 else c + v
            in_values[0, i, j] = c
            in_values[1, i, j] = value[i, 3, t]
    tornqvist_contributions(fx.out_value, fx.out_growth, in_values, in_growth,
                            fx.share_tolerance, contribution, share, tfp, problem)
    if problem[0] == 2:
        flag |= FLAG_SHARES
    elif problem[0] != 0:
        flag |= FLAG_VOLUME
    # 5. θ
    theta = dr.theta[d]
    if np.isnan(theta):
        for i in range(n_ind):
            deep[i, 0] = np.nan
            for j in range(1, m):
                deep[i, j] = in_growth[0, i, j] - fx.labour_growth[i, j]
        theta = theta_ols(tfp[:, 1:fx.theta_end], deep[:, 1:fx.theta_end])  # issue 16
        if np.isnan(theta):
            flag |= FLAG_THETA
        else:
            theta = min(max(theta, 0.0), 1.0)
    out_theta[d] = theta
    # 6. attribution and totals
    for i in range(n_ind):
        own = fx.theta_sector[i]
        theta_ind[i] = own if not np.isnan(own) else (0.0 if np.isnan(theta) else theta)
    attribution_rates(dr.rule[d], fx.value_added, in_values[0], contribution[0], fx.out_growth,
                      tfp, fx.out_value, share[3], theta_ind, fx.window, fx.min_growth,
                      fx.base_index, fx.basis, fx.floor, work, rate, fallback, clip2)
    for i in range(n_ind):
        x = fx.di_share[i] * dr.di_scale[d]
        dss[i] = min(max(x, 0.0), 1.0)
        for j in range(m):
            id_ind[i, j] = fx.value_added[i, j] * rate[i, j]
    digital_totals(fx.value_added, id_ind, dss, di, id_)
    for j in range(m):
        out_di[d, j] = di[j]
        out_id[d, j] = id_[j]
        out_de[d, j] = di[j] + id_[j]
        out_share[d, j] = (di[j] + id_[j]) / fx.gdp[j]
    out_flags[d] = flag
    out_clipped[d] = n_clip


@numba.njit(cache=True, error_model="numpy")
def _work_arrays(n_ind, n, L):
    m = n - 1
    return (np.empty((n_ind, n)), np.empty((n, BLOCK)), np.empty((n, BLOCK)),
            np.empty((max(L, 1), BLOCK)),
            np.zeros((n_ind, 4, n)), np.empty((n_ind, 4, n)),
            np.empty((n_ind, 4, n)), np.empty((n_ind, 4, n)), np.empty((n_ind, 4, n)),
            np.empty((n_ind, 4, n)), np.empty((n_ind, 4, n), dtype=np.bool_),
            np.empty((n_ind, n)), np.empty((n_ind, 4, n)), np.empty((n_ind, 4, n)),
            np.empty((n_ind, 4, n), dtype=np.bool_),
            np.empty((n_ind, n)), np.empty((n_ind, n)),
            np.empty((n_ind, 3, n), dtype=np.bool_), np.empty((n_ind, 1, n), dtype=np.bool_),
            np.empty((n_ind, m)), np.empty((n_ind, m)),
            np.empty((4, n_ind, m)), np.empty((4, n_ind, m)),
            np.empty((n_ind, 3, n)), np.empty((4, n_ind, m)), np.empty((4, n_ind, m)),
            np.empty((n_ind, m)), np.zeros(4, dtype=np.int64),
            np.empty((n_ind, m)), np.empty((n_ind, m)), np.empty((n_ind, m)),
            np.empty((n_ind, m), dtype=np.bool_), np.empty((n_ind, m), dtype=np.bool_),
            np.empty((n_ind, m)), np.empty(n_ind), np.empty(m), np.empty(m), np.empty(n_ind))


@numba.njit(cache=True, parallel=True, error_model="numpy")
def evaluate_draws(fx, dr, n_blocks, out_de, out_di, out_id, out_share, out_theta, out_flags,
                   out_clipped):
    """Run the estimate for every draw of ``dr`` (see the module docstring); outputs (D, m)
    and (D,). ``n_blocks`` blocks of draws run in parallel, each with its own work arrays."""
    n_draws = dr.rule.shape[0]
    n_ind, n = fx.nict_stock.shape
    m = n - 1
    L = dr.weights.shape[2]
    n_blocks = max(1, min(n_draws, n_blocks))
    for blk in numba.prange(n_blocks):
        d0 = blk * n_draws // n_blocks
        d1 = (blk + 1) * n_draws // n_blocks
        w = _work_arrays(n_ind, n, L)
        K = w[4]
        for i in range(n_ind):
            for t in range(n):
                K[i, 3, t] = fx.nict_stock[i, t]
        # the labour and intermediate inputs do not change between draws
        in_values, in_growth = w[21], w[22]
        for i in range(n_ind):
            for j in range(m):
                in_values[2, i, j] = fx.labour_value[i, j]
                in_values[3, i, j] = fx.mid_value[i, j]
                in_growth[2, i, j] = fx.labour_growth[i, j]
                in_growth[3, i, j] = fx.mid_growth[i, j]
        for d in range(d0, d1):
            _one_draw(fx, dr, d, w, out_de, out_di, out_id, out_share, out_theta, out_flags,
                      out_clipped)
