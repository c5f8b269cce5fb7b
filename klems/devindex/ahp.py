"""Analytic hierarchy process (层次分析法): priority weights from pairwise judgement matrices.

The development index of CAICT's industrial-internet report (section 二(三)2 权重设计) sets its
weights by AHP "combined with expert scoring": judgement matrices give first weights, then experts
score them; "every level's weights total 100". This module does each step:

* :func:`ahp_weights` — priorities of one reciprocal judgement matrix by the principal
  eigenvector (Saaty 1977, 1980) or, as an option, the normalised row geometric mean
  (Crawford & Williams 1985), with Saaty's consistency ratio CR = CI / RI,
  CI = (λmax − n) / (n − 1), RI the random index of Saaty (1980);
* :func:`aggregate_judgements` — several experts' matrices combined element by element by the
  (weighted) geometric mean, which keeps the result reciprocal (Aczél & Saaty 1983);
* :func:`blend_weights` — AHP priorities blended with the experts' direct scores;
* :func:`to_points` — weights expressed so that they total 100.
"""

from __future__ import annotations

import numpy as np

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError

# Saaty's random consistency index RI(n): mean CI of random reciprocal matrices with entries from
# the 1/9..9 scale, as tabulated by Saaty (1980, The Analytic Hierarchy Process, McGraw-Hill,
# ch. 1) for n = 1..15.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
    11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}

METHODS = ("eigenvector", "geometric")

# judgements typed as rounded decimals (0.33 for 1/3, 0.14 for 1/7) are accepted as reciprocal
_RECIPROCAL_RTOL = 0.025


def _judgement_matrix(judgements, name=None) -> np.ndarray:
    """Validate a pairwise judgement matrix and return it as an exactly reciprocal float array.

    The lower triangle may be left empty (NaN or 0): it is filled with the reciprocals of the upper
    triangle. A full matrix must be reciprocal within 2.5 % (decimals typed for fractions); it is
    then made exactly reciprocal by the geometric mean a_ij' = sqrt(a_ij / a_ji).
    """
    try:
        a = np.array(judgements, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputDataError(f"judgement matrix is not numeric ({exc}); expected an n × n array "
                             "of positive numbers", matrix=name) from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise InputDataError(f"judgement matrix has shape {a.shape}; expected a square n × n "
                             "matrix with n >= 1", matrix=name)
    n = a.shape[0]
    if n > max(RANDOM_INDEX):
        raise ParameterError(f"judgement matrix of order {n}; Saaty's random index is tabulated "
                             f"for n <= {max(RANDOM_INDEX)}: split the criteria into groups",
                             matrix=name)
    lower = np.tril_indices(n, -1)
    if n > 1 and np.all(np.isnan(a[lower]) | (a[lower] == 0)):
        a[lower] = 1.0 / a.T[lower]
    for i, j in zip(*np.nonzero(~np.isfinite(a) | (a <= 0))):
        raise InputDataError(f"judgement a[{i + 1},{j + 1}] = {a[i, j]:g}; expected a positive "
                             "finite number (Saaty's scale 1/9 .. 9)", matrix=name,
                             row=int(i) + 1, column=int(j) + 1)
    for i in range(n):
        if abs(a[i, i] - 1.0) > 1e-9:
            raise InputDataError(f"diagonal judgement a[{i + 1},{i + 1}] = {a[i, i]:g}; expected 1",
                                 matrix=name, row=i + 1, column=i + 1)
    prod = a * a.T
    bad = np.argwhere(np.abs(prod - 1.0) > _RECIPROCAL_RTOL)
    if len(bad):
        i, j = bad[0]
        raise InputDataError(
            f"judgements a[{i + 1},{j + 1}] = {a[i, j]:g} and a[{j + 1},{i + 1}] = {a[j, i]:g} "
            f"are not reciprocal; expected a[{j + 1},{i + 1}] = 1/{a[i, j]:g} = "
            f"{1 / a[i, j]:.4g}", matrix=name, row=int(i) + 1, column=int(j) + 1)
    return np.sqrt(a / a.T)


def _principal_eigenvector(a: np.ndarray) -> tuple[np.ndarray, float]:
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    return w / w.sum(), float(vals[k].real)


def consistency(judgements, weights=None, *, name=None) -> dict[str, float]:
    """Saaty's consistency measures of a judgement matrix.

    Returns ``lambda_max`` (principal eigenvalue), ``ci`` = (λmax − n)/(n − 1), ``ri`` (random
    index for n) and ``cr`` = CI/RI (0 for n <= 2, whose matrices are always consistent).
    ``weights`` is ignored for λmax, which is a property of the matrix; it is accepted so that a
    caller can pass the priorities it uses.
    """
    a = _judgement_matrix(judgements, name)
    n = a.shape[0]
    _, lam = _principal_eigenvector(a)
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ci = max(ci, 0.0)  # λmax >= n for a positive reciprocal matrix; clip round-off
    ri = RANDOM_INDEX[n]
    return {"lambda_max": lam, "ci": ci, "ri": ri, "cr": ci / ri if ri > 0 else 0.0}


def ahp_weights(judgements, *, method: str = "eigenvector", max_cr: float | None = 0.1,
                name: str | None = None) -> tuple[np.ndarray, float]:
    """Priority weights (summing to 1) and consistency ratio of a pairwise judgement matrix.

    ``judgements[i][j]`` says how much more important criterion i is than j on Saaty's 1–9 scale
    (``judgements[j][i] = 1/judgements[i][j]``; the lower triangle may be left empty).
    ``method="eigenvector"`` (default) takes the principal right eigenvector; ``"geometric"`` the
    normalised geometric means of the rows. The consistency ratio is Saaty's CR, from the principal
    eigenvalue, whatever the method. When CR exceeds ``max_cr`` (Saaty's 0.1 by default) a
    :class:`~klems.base.errors.ParameterError` is raised; pass ``max_cr=None`` to accept any CR.
    """
    expected_one_of("AHP method", method, METHODS, matrix=name)
    a = _judgement_matrix(judgements, name)
    if method == "eigenvector":
        w, _ = _principal_eigenvector(a)
    else:
        g = np.exp(np.log(a).mean(axis=1))
        w = g / g.sum()
    cr = consistency(a)["cr"]
    if max_cr is not None and cr > max_cr:
        raise ParameterError(
            f"judgement matrix is inconsistent: consistency ratio CR = {cr:.3f} > {max_cr:g}; "
            "expected CR <= 0.1 (revise the judgements, or override the limit with "
            "max_cr=None / --max-cr)", matrix=name)
    return w, float(cr)


def aggregate_judgements(matrices, expert_weights=None, *, name=None) -> np.ndarray:
    """Several experts' judgement matrices combined by the element-wise weighted geometric mean.

    ``matrices``: a sequence of n × n judgement matrices (one per expert); ``expert_weights``:
    non-negative weights of the experts (equal by default). The result is reciprocal.
    """
    mats = [_judgement_matrix(m, f"{name or 'matrix'} expert {k + 1}")
            for k, m in enumerate(matrices)]
    if not mats:
        raise InputDataError("no expert judgement matrices given; expected at least one",
                             matrix=name)
    shapes = {m.shape for m in mats}
    if len(shapes) > 1:
        raise InputDataError(f"experts' judgement matrices have different shapes {sorted(shapes)}; "
                             "expected the same criteria for every expert", matrix=name)
    if expert_weights is None:
        ew = np.full(len(mats), 1.0 / len(mats))
    else:
        ew = np.asarray(expert_weights, dtype=float)
        if ew.shape != (len(mats),) or np.any(~np.isfinite(ew)) or np.any(ew < 0) or ew.sum() <= 0:
            raise ParameterError(f"expert weights {ew.tolist()}; expected {len(mats)} "
                                 "non-negative numbers with a positive sum", matrix=name)
        ew = ew / ew.sum()
    logs = np.stack([np.log(m) for m in mats])
    return np.exp(np.tensordot(ew, logs, axes=1))


def blend_weights(ahp, direct, share_ahp: float = 0.5, *, name=None) -> np.ndarray:
    """AHP priorities blended with experts' direct scores: ``s·ahp + (1 − s)·direct`` (both
    normalised to sum 1 first); returns weights summing to 1.

    ``direct`` may be in any unit (points out of 100, shares); ``share_ahp`` in [0, 1].
    """
    a = np.asarray(ahp, dtype=float)
    d = np.asarray(direct, dtype=float)
    if not 0.0 <= share_ahp <= 1.0:
        raise ParameterError(f"AHP share {share_ahp!r} in the blend; expected a number in [0, 1]",
                             matrix=name)
    if a.shape != d.shape:
        raise InputDataError(f"{d.size} direct scores for {a.size} AHP weights; expected one score "
                             "per criterion", matrix=name)
    for label, v in (("AHP weights", a), ("direct scores", d)):
        if np.any(~np.isfinite(v)) or np.any(v < 0) or v.sum() <= 0:
            raise InputDataError(f"{label} {v.tolist()}; expected non-negative numbers with a "
                                 "positive sum", matrix=name)
    w = share_ahp * a / a.sum() + (1.0 - share_ahp) * d / d.sum()
    return w / w.sum()


def to_points(weights, total: float = 100.0) -> np.ndarray:
    """Weights rescaled to total ``total`` (100 points, as the report states its weights)."""
    w = np.asarray(weights, dtype=float)
    return w * (total / w.sum())
