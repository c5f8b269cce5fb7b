"""Compiled per-draw pipeline of the sensitivity sweep (numba), one chunk of draws at a time.

For every draw of a chunk the kernel runs the whole estimate of :func:`klems.estimate.compute`
for the draw's parameters: age-efficiency weights → perpetual inventory of the three ICT assets →
user costs with the ex-post rate (the compiled :func:`klems.accounts._kernels._user_cost_jit`) →
Törnqvist capital services by group (entering assets excluded) → gross-output Törnqvist
contributions and TFP → θ by OLS (unless given) → attribution under the draw's rule → DI, ID, DE
and the share of GDP. Only one draw's (industry, asset, year) arrays exist at a time (work arrays
allocated once per chunk); a chunk's outputs are (draw, year).

Layout: industries ``I``, assets ``a`` (3 ICT + non-ICT last), years ``n`` (time last);
``j`` indexes the accounts' years ``years[1:]`` (the first year has no previous price).

The reference twin of :func:`sweep_chunk` is the plain pipeline :func:`klems.estimate.compute`
(tests compare the two draw by draw for every profile and rule); the twin of
:func:`profile_weights` is :func:`capital_stock.efficiency_weights`.

Per-draw ``flags`` (bit mask) mark draws where ``compute`` would raise: ``FLAG_SHARES`` input
shares do not sum to 1; ``FLAG_VOLUME`` a volume is not positive where its share is;
``FLAG_THETA`` the θ regression is undefined; ``FLAG_BASE`` g + δ <= 0 in the base-year stock or
an infinite back-cast.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from klems.accounts._kernels import _user_cost_jit

PROFILE_CODES = {"caict": 0, "bls-mixture": 1, "geometric": 2, "caict-printed": 3}
RULE_CODES = {"income-share": 0, "contribution-rate": 1, "contribution-plus-tfp": 2}
PRESAMPLE_CODES = {"geometric": 0, "backcast": 1, "none": 2}
FLAG_SHARES, FLAG_VOLUME, FLAG_THETA, FLAG_BASE = 1, 2, 4, 8
FLAG_TEXT = {FLAG_SHARES: "input shares of gross output do not sum to 1",
             FLAG_VOLUME: "a capital volume is not positive where its share is",
             FLAG_THETA: "θ regression is undefined",
             FLAG_BASE: "g + δ <= 0 in the base-year stock (or an infinite back-cast)"}
GL_NODES, GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


@numba.njit(cache=True)
def _ndtr(z):
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@numba.njit(cache=True)
def _hyperbolic(x, life, beta):
    if x < life:
        return (life - x) / (life - beta * x)
    return 0.0


@numba.njit(cache=True)
def _quad_life(start, hi, mu, sd, beta, age, nodes, weights):
    """Gauss–Legendre integral over lives in [start, hi] of efficiency × normal density."""
    half = 0.5 * (hi - start)
    acc = 0.0
    for q in range(nodes.shape[0]):
        life = start + half * (nodes[q] + 1.0)
        z = (life - mu) / sd
        eff = 1.0 if age < 0.0 else _hyperbolic(age, life, beta)
        acc += weights[q] * eff * math.exp(-0.5 * z * z)
    return half * acc


@numba.njit(cache=True)
def n_ages(mu, max_ratio):
    """``floor(T) + 1`` with T = max_ratio·μ (capital_stock.profiles.default_n_ages)."""
    return int(math.floor(max_ratio * mu + 1e-12)) + 1


@numba.njit(cache=True, error_model="numpy")
def profile_weights(code, mu, delta, beta, sd_ratio, trunc_sd, max_ratio, offset, nodes,
                    weights, out):
    """``out[k] = g(k + offset)`` for the profile ``code`` (see capital_stock.profiles)."""
    T = max_ratio * mu
    sd = sd_ratio * mu
    lo = max(mu - trunc_sd * sd, 0.0)
    hi = min(mu + trunc_sd * sd, T)
    n = out.shape[0]
    if code == 0:
        a = _ndtr((lo - mu) / sd)
        b = _ndtr((hi - mu) / sd)
        for k in range(n):
            x = k + offset
            cdf = min(max((_ndtr((x - mu) / sd) - a) / (b - a), 0.0), 1.0)
            out[k] = _hyperbolic(x, T, beta) * (1.0 - cdf)
    elif code == 1:
        norm = _quad_life(lo, hi, mu, sd, beta, -1.0, nodes, weights)
        for k in range(n):
            x = k + offset
            start = max(x, lo)
            out[k] = _quad_life(start, hi, mu, sd, beta, x, nodes, weights) / norm \
                if start < hi else 0.0
    elif code == 2:
        for k in range(n):
            out[k] = (1.0 - delta) ** (k + offset)
    else:
        scale = 1.0 / math.sqrt(2 * math.pi * 0.5) * math.sqrt(2 * math.pi) * 0.5
        for k in range(n):
            x = k + offset
            f = scale * (_ndtr((x - mu) / 0.5) - _ndtr((0.0 - mu) / 0.5))
            out[k] = _hyperbolic(x, T, beta) * f


@numba.njit(cache=True, error_model="numpy")
def _stocks(nominal, price, growth, scale, code, mu, delta, beta, sd_ratio, trunc_sd, max_ratio,
            offset, presample, base_t0, nodes, gl_weights, wbuf, decay, inv, K, a):
    """Perpetual inventory of ICT asset ``a`` for all industries into ``K[:, a, :]``.

    Mirrors capital_stock.inventory._pim_numpy and the compiled _pim_jit. Returns a flag.
    """
    n_ind, n = K.shape[0], K.shape[2]
    nd = n_ages(mu, max_ratio)
    geo = code == 2
    L = n if geo else min(nd, n)
    n_need = L
    if presample == 1:
        n_need = n + 1 if geo else max(nd, n) + nd + 1
    w = wbuf[:n_need]
    profile_weights(code, mu, delta, beta, sd_ratio, trunc_sd, max_ratio, offset, nodes,
                    gl_weights, w)
    flag = 0
    g_prev = np.nan
    for i in range(n_ind):
        for t in range(n):
            inv[t] = nominal[i, t] * scale / price[t]
        g = growth[i]
        if presample == 0:
            denom = g + delta
            if not denom > 0:
                flag |= FLAG_BASE
            base = (inv[0] if base_t0 else inv[1]) / denom
            start = 1
            if i == 0:
                for t in range(n):
                    decay[t] = (1.0 - delta) ** float(t)
        elif presample == 2:
            base = 0.0
            start = 0
            for t in range(n):
                decay[t] = 0.0
        else:
            base = inv[0]
            start = 0
            if not (g == g_prev):
                if 1.0 + g <= 0:
                    flag |= FLAG_BASE
                if geo:
                    q = (1.0 - delta) / (1.0 + g)
                    if q >= 1.0:
                        flag |= FLAG_BASE
                    for t in range(n):
                        decay[t] = w[t] * (q / (1.0 - q))
                else:
                    for t in range(n):
                        acc = 0.0
                        for k in range(1, nd + 1):
                            acc += (1.0 + g) ** (-float(k)) * w[t + k]
                        decay[t] = acc
            g_prev = g
        for t in range(n):
            acc = base * decay[t]
            xmax = min(t - start, L - 1)
            for x in range(xmax + 1):
                acc += w[x] * inv[t - x]
            K[i, a, t] = acc
    return flag


@numba.njit(cache=True, error_model="numpy")
def _group_growth(K, lr, val, k0, k1, out):
    """Törnqvist growth of the assets k0..k1-1 (klems.accounts.growth_accounting._aggregate_growth, entering
    assets excluded); ``lr`` holds ``ln(K_t / K_{t-1})``. Returns True where a needed volume is
    not positive."""
    n_ind, n = K.shape[0], K.shape[2]
    bad = False
    for i in range(n_ind):
        out[i, 0] = np.nan
        for t in range(1, n):
            tot1 = 0.0
            tot0 = 0.0
            nan1 = True
            nan0 = True
            for k in range(k0, k1):
                if not np.isnan(val[i, k, t]):
                    tot1 += val[i, k, t]
                    nan1 = False
                if not np.isnan(val[i, k, t - 1]):
                    tot0 += val[i, k, t - 1]
                    nan0 = False
            if nan1:
                tot1 = np.nan
            if nan0:
                tot0 = np.nan
            defined = True
            norm = 0.0
            for k in range(k0, k1):
                s1 = val[i, k, t] / tot1 if tot1 > 0 else np.nan
                s0 = val[i, k, t - 1] / tot0 if tot0 > 0 else np.nan
                avg = 0.5 * (s1 + s0)
                if np.isnan(avg):
                    defined = False
                    avg = 0.0
                new = K[i, k, t - 1] == 0 and K[i, k, t] > 0
                if avg > 0 and not new:
                    norm += avg
            s = 0.0
            for k in range(k0, k1):
                s1 = val[i, k, t] / tot1 if tot1 > 0 else np.nan
                s0 = val[i, k, t - 1] / tot0 if tot0 > 0 else np.nan
                avg = 0.5 * (s1 + s0)
                if np.isnan(avg):
                    avg = 0.0
                new = K[i, k, t - 1] == 0 and K[i, k, t] > 0
                if avg > 0 and not new:
                    wgt = avg / norm if norm > 0 else 0.0
                    if not (K[i, k, t] > 0 and K[i, k, t - 1] > 0):
                        bad = True
                    s += wgt * lr[i, k, t]
            out[i, t] = s if (defined and norm > 0) else np.nan
    return bad


@numba.njit(cache=True, error_model="numpy")
def sweep_chunk(nominal, price, growth, nict_stock, p, q, gains, comp, rate_given, rate,
                output_value, out_growth, share_fixed, c_labour, c_mid, ln_labour, value_added,
                di_share, gdp, window, min_growth, presample, base_t0, offset,
                nodes, gl_weights, wlen,
                profile, rule, mu, delta, beta, sd_ratio, trunc_sd, max_ratio, ict_scale,
                di_scale, theta_in, nict_dep,
                out_de, out_di, out_id, out_share, out_theta, out_flags, out_clipped):
    """Run the estimate for each draw of a chunk; see the module docstring.

    Fixed inputs: nominal (3, I, n) ICT investment; price (3, n) ICT price / 100; growth (3, I)
    average investment growth; nict_stock (I, n); p, q, gains (4, n) prices, previous prices and
    smoothed gains; comp (I, n) capital compensation; rate (I, n) used when ``rate_given``;
    output_value (I, n); out_growth, share_fixed, c_labour, c_mid, ln_labour, value_added (I, m)
    over the accounts' m = n - 1 years; di_share (I); gdp (m). Per-draw parameters: profile,
    rule (D) codes; mu, delta, beta, sd_ratio, trunc_sd, max_ratio (D, 3); ict_scale, di_scale,
    theta_in (NaN: estimate by OLS), nict_dep (D). Outputs (D, m) and (D).
    """
    n_ind, n = nict_stock.shape
    m = n - 1
    na = 4
    K = np.zeros((n_ind, na, n))
    A = np.empty((n_ind, na, n))
    B = np.empty((n_ind, na, n))
    va = np.empty((n_ind, na, n))
    vb = np.empty((n_ind, na, n))
    valid = np.empty((n_ind, na, n), dtype=np.bool_)
    r_out = np.empty((n_ind, n))
    uc = np.empty((n_ind, na, n))
    value = np.empty((n_ind, na, n))
    clipped = np.empty((n_ind, na, n), dtype=np.bool_)
    g_ict = np.empty((n_ind, n))
    g_nict = np.empty((n_ind, n))
    c_ict = np.empty((n_ind, m))
    tfp = np.empty((n_ind, m))
    ict_comp = np.empty((n_ind, m))
    lnv = np.empty((n_ind, m))
    gi_f = np.empty(m)
    gn_f = np.empty(m)
    lnn = np.empty(m)
    wbuf = np.empty(wlen)
    decay = np.empty(n)
    inv = np.empty(n)
    dep = np.empty(na)
    lr = np.zeros((n_ind, na, n))
    for i in range(n_ind):
        for t in range(n):
            K[i, 3, t] = nict_stock[i, t]
            if t > 0:
                lr[i, 3, t] = np.log(nict_stock[i, t] / nict_stock[i, t - 1])
    for d in range(profile.shape[0]):
        flag = 0
        for a in range(3):
            flag |= _stocks(nominal[a], price[a], growth[a], ict_scale[d], profile[d],
                            mu[d, a], delta[d, a], beta[d, a], sd_ratio[d, a], trunc_sd[d, a],
                            max_ratio[d, a], offset, presample, base_t0, nodes, gl_weights,
                            wbuf, decay, inv, K, a)
            dep[a] = delta[d, a]
        dep[3] = nict_dep[d]
        # user costs (klems.accounts.user_costs.capital_services)
        for i in range(n_ind):
            for k in range(na):
                for t in range(n):
                    pv = p[k, t]
                    qv = q[k, t]
                    gv = gains[k, t]
                    kv = K[i, k, t]
                    ok = kv > 0 and qv > 0 and pv > 0 and np.isfinite(gv) and \
                        np.isfinite(dep[k])
                    valid[i, k, t] = ok
                    if ok:
                        b = dep[k] * pv - qv * gv
                        va[i, k, t] = qv
                        vb[i, k, t] = b
                        A[i, k, t] = qv * kv
                        B[i, k, t] = b * kv
                    else:
                        va[i, k, t] = 0.0
                        vb[i, k, t] = 0.0
                        A[i, k, t] = 0.0
                        B[i, k, t] = 0.0
        _user_cost_jit(A, B, comp, valid, rate_given, rate, 0, va, vb, r_out, uc, value,
                       clipped)
        n_clip = 0
        for i in range(n_ind):
            for k in range(na):
                for t in range(n):
                    if clipped[i, k, t]:
                        n_clip += 1
        for i in range(n_ind):
            for k in range(3):
                for t in range(1, n):
                    lr[i, k, t] = np.log(K[i, k, t] / K[i, k, t - 1])
        if _group_growth(K, lr, value, 0, 3, g_ict):
            flag |= FLAG_VOLUME
        if _group_growth(K, lr, value, 3, 4, g_nict):
            flag |= FLAG_VOLUME
        # gross-output Törnqvist over the accounts' years (klems.accounts.growth_accounting.tornqvist). compute
        # builds volumes exp(cumsum(growth filled with 0)) and takes their log changes; here the
        # log volume is the cumulated growth itself (equal to rounding), and a volume is
        # positive unless exp underflows
        for i in range(n_ind):
            cum_i = 0.0
            cum_n = 0.0
            for j in range(m):
                g = g_ict[i, j + 1]
                gi_f[j] = 0.0 if np.isnan(g) else g
                cum_i += gi_f[j]
                g = g_nict[i, j + 1]
                gn_f[j] = 0.0 if np.isnan(g) else g
                cum_n += gn_f[j]
                lnv[i, j] = cum_i
                lnn[j] = cum_n
            s_ict0 = np.nan
            s_nict0 = np.nan
            for j in range(m):
                t = j + 1
                ov = output_value[i, t]
                ic = 0.0
                for k in range(3):
                    if not np.isnan(value[i, k, t]):
                        ic += value[i, k, t]
                ict_comp[i, j] = ic
                s_ict = ic / ov
                s_nict = value[i, 3, t] / ov
                if not abs(0.0 + s_ict + s_nict + share_fixed[i, j] - 1.0) <= 1e-6:
                    flag |= FLAG_SHARES
                if j == 0:
                    c_ict[i, j] = np.nan
                    tfp[i, j] = np.nan
                else:
                    a_ict = 0.5 * (s_ict + s_ict0)
                    a_nict = 0.5 * (s_nict + s_nict0)
                    if a_ict > 0 and not (lnv[i, j] > -745.0 and lnv[i, j - 1] > -745.0):
                        flag |= FLAG_VOLUME
                    if a_nict > 0 and not (lnn[j] > -745.0 and lnn[j - 1] > -745.0):
                        flag |= FLAG_VOLUME
                    ci = a_ict * (gi_f[j] if a_ict > 0 else 0.0)
                    cn = a_nict * (gn_f[j] if a_nict > 0 else 0.0)
                    c_ict[i, j] = ci
                    tfp[i, j] = out_growth[i, j] - (0.0 + ci + cn + c_labour[i, j] + c_mid[i, j])
                s_ict0 = s_ict
                s_nict0 = s_nict
        # θ by OLS of TFP on ICT capital deepening (klems.accounts.attribution.estimate_theta)
        theta = theta_in[d]
        if np.isnan(theta):
            cnt = 0
            sx = 0.0
            sy = 0.0
            for i in range(n_ind):
                for j in range(1, m):
                    x = (lnv[i, j] - ln_labour[i, j]) - (lnv[i, j - 1] - ln_labour[i, j - 1])
                    y = tfp[i, j]
                    if np.isfinite(x) and np.isfinite(y):
                        cnt += 1
                        sx += x
                        sy += y
            if cnt < 3 or abs(sy) < 1e-12:
                flag |= FLAG_THETA
                theta = np.nan
            else:
                mx = sx / cnt
                my = sy / cnt
                sxy = 0.0
                sxx = 0.0
                for i in range(n_ind):
                    for j in range(1, m):
                        x = (lnv[i, j] - ln_labour[i, j]) - (lnv[i, j - 1] - ln_labour[i, j - 1])
                        y = tfp[i, j]
                        if np.isfinite(x) and np.isfinite(y):
                            sxy += (x - mx) * (y - my)
                            sxx += (x - mx) * (x - mx)
                theta = min(max(sxy / sxx * (sx / sy), 0.0), 1.0)
        out_theta[d] = theta
        # attribution and totals (klems.accounts.attribution.attribute, klems.accounts.totals)
        rc = rule[d]
        for j in range(m):
            di_sum = 0.0
            id_sum = 0.0
            for i in range(n_ind):
                vav = value_added[i, j]
                inc = ict_comp[i, j] / vav if vav > 0 else 0.0
                if rc == 0:
                    rt = inc
                else:
                    nval = 0.0
                    den = 0.0
                    num = 0.0
                    for s in range(max(0, j - window + 1), j + 1):
                        og = out_growth[i, s]
                        if not np.isnan(og):
                            nval += 1.0
                            den += og
                        x = c_ict[i, s]
                        if rc == 2:
                            x = x + theta * tfp[i, s]
                        if not np.isnan(x):
                            num += x
                    undefined = den < min_growth * nval and nval > 0
                    rt = num / den if (not undefined and nval > 0) else np.nan
                    if undefined or np.isnan(rt):
                        rt = inc
                if not np.isnan(rt):
                    rt = min(max(rt, 0.0), 1.0)
                ds = min(max(di_share[i] * di_scale[d], 0.0), 1.0)
                x = vav * ds
                if not np.isnan(x):
                    di_sum += x
                x = vav * rt * (1.0 - ds)
                if not np.isnan(x):
                    id_sum += x
            out_di[d, j] = di_sum
            out_id[d, j] = id_sum
            out_de[d, j] = di_sum + id_sum
            out_share[d, j] = (di_sum + id_sum) / gdp[j]
        out_flags[d] = flag
        out_clipped[d] = n_clip
