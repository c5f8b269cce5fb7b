"""Compiled twin of SALib's Sobol estimator with bootstrap intervals, for every year at once.

Why this is hand-written: :func:`SALib.analyze.sobol.analyze` (the reference, kept and tested
against this twin in ``tests/unit/test_sweep_sobol.py``) analyses one output column per call and
materialises its bootstrap as copies ``A[r]``, ``B[r]``, ``AB[r, j]`` and ``np.r_[A[r], B[r]]`` of
shape (base sample, resamples) for every parameter. A 100,000-draw sweep over 10 parameters holds
about 60 MB per year that way and takes 8 s per output on one core (the copies are too large to
analyse years on both cores). The same estimators summed over the resample indices need no copy:
memory is the index array (shared by all years, as in SALib, which draws the same indices for
every call with the same seed) and the work runs in parallel over years.

Estimators, as in SALib 1.6 (``calc_second_order=False``): the output of one year is centred
and scaled by its mean and standard deviation over all draws; rows ``A``, ``AB_j`` (j = 1..D),
``B`` follow each other in steps of D + 2 (Saltelli's design);

* first order (Saltelli et al. 2010): ``S1_j = mean(B·(AB_j − A)) / var([A; B])``;
* total order (Jansen 1999): ``ST_j = ½·mean((A − AB_j)²) / var([A; B])``;
* confidence half-width: ``Z · sd(estimates over resamples, ddof 1)``, Z the normal quantile of
  ``0.5 + conf/2``; the resample indices ``r`` (base sample × resamples) are
  ``numpy.random.default_rng(seed).integers(N, size=(N, resamples))`` as SALib draws them;
* an estimate whose variance is at most machine epsilon is 0 (SALib's ``where=y_var > eps``).
"""

from __future__ import annotations

import numba
import numpy as np

EPS = float(np.finfo(float).eps)


@numba.njit(cache=True, nogil=True)
def _one_year(y, d, r, z, out, j_year):
    n_all = y.size
    step = d + 2
    n = n_all // step
    mean = 0.0
    for i in range(n_all):
        mean += y[i]
    mean /= n_all
    ss = 0.0
    for i in range(n_all):
        ss += (y[i] - mean) ** 2
    sd = np.sqrt(ss / n_all)
    a = np.empty(n)
    b = np.empty(n)
    ab = np.empty((n, d))
    for i in range(n):
        a[i] = (y[i * step] - mean) / sd
        b[i] = (y[i * step + step - 1] - mean) / sd
        for j in range(d):
            ab[i, j] = (y[i * step + j + 1] - mean) / sd
    # point estimates
    s_ab = 0.0
    s_ab2 = 0.0
    for i in range(n):
        s_ab += a[i] + b[i]
    m = s_ab / (2 * n)
    for i in range(n):
        s_ab2 += (a[i] - m) ** 2 + (b[i] - m) ** 2
    var = s_ab2 / (2 * n)
    for j in range(d):
        f = 0.0
        t = 0.0
        for i in range(n):
            f += b[i] * (ab[i, j] - a[i])
            t += (a[i] - ab[i, j]) ** 2
        out[0, j, j_year] = (f / n) / var if var > EPS else 0.0
        out[2, j, j_year] = (0.5 * t / n) / var if var > EPS else 0.0
    # bootstrap
    n_res = r.shape[1]
    s1 = np.empty((d, n_res))
    st = np.empty((d, n_res))
    f = np.empty(d)
    t = np.empty(d)
    lo = np.inf
    hi = -np.inf
    for k in range(n_res):
        s = 0.0
        for i in range(n):
            p = r[i, k]
            s += a[p] + b[p]
            lo = min(lo, a[p], b[p])
            hi = max(hi, a[p], b[p])
        m = s / (2 * n)
        v = 0.0
        f[:] = 0.0
        t[:] = 0.0
        for i in range(n):
            p = r[i, k]
            v += (a[p] - m) ** 2 + (b[p] - m) ** 2
            for j in range(d):
                f[j] += b[p] * (ab[p, j] - a[p])
                t[j] += (a[p] - ab[p, j]) ** 2
        v /= 2 * n
        for j in range(d):
            s1[j, k] = (f[j] / n) / v if v > EPS else 0.0
            st[j, k] = (0.5 * t[j] / n) / v if v > EPS else 0.0
    constant = hi - lo <= EPS
    for j in range(d):
        for which, arr in ((1, s1), (3, st)):
            if constant:
                out[which, j, j_year] = 0.0
                continue
            mu = 0.0
            for k in range(n_res):
                mu += arr[j, k]
            mu /= n_res
            q = 0.0
            for k in range(n_res):
                q += (arr[j, k] - mu) ** 2
            out[which, j, j_year] = z * np.sqrt(q / (n_res - 1))


@numba.njit(cache=True, parallel=True)
def _all_years(y, todo, d, r, z, out):
    for q in numba.prange(todo.size):
        j = todo[q]
        _one_year(np.ascontiguousarray(y[:, j]), d, r, z, out, j)


def sobol_first_total(y: np.ndarray, n_params: int, todo: np.ndarray, seed: int,
                      num_resamples: int, conf_level: float) -> np.ndarray:
    """S1, S1_conf, ST, ST_conf (4, parameters, years) of the columns ``todo`` of ``y``
    (draws, years) in the order of the Saltelli design; other columns are NaN."""
    from scipy.special import ndtri

    n = y.shape[0] // (n_params + 2)
    r = np.random.default_rng(seed).integers(n, size=(n, num_resamples))
    out = np.full((4, n_params, y.shape[1]), np.nan)
    if todo.size:
        _all_years(np.asarray(y, dtype=np.float64), np.asarray(todo, dtype=np.int64),
                   n_params, r, float(ndtri(0.5 + conf_level / 2)), out)
    return out
