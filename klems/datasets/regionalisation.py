"""Bi-proportional (RAS) balancing and interpolation of input-output structure between table years.

RAS
    :func:`ras` scales a non-negative prior matrix ``X0`` to ``X = diag(r) X0 diag(s)`` so that its
    row sums equal ``row_totals`` and its column sums ``col_totals`` (Stone's bi-proportional method,
    Miller & Blair 2009, section 7.4). The totals must add up to the same grand total; a row (column)
    of zeros in the prior can only be matched to a zero target.

Interpolation between table years ("giving adjacent years more weight")
    The white paper (Appendix 1, step two) interpolates years without a table "giving adjacent years
    more weight" (给予相邻年份数据较大权重进行插补). The project implements it as named rules:

    * ``linear`` (default): a year t between two table years a < t < b takes the structures of a and
      b with weights ``(b − t)/(b − a)`` and ``(t − a)/(b − a)``: the nearer table gets the larger
      weight, in proportion to its closeness; the weights of all other tables are 0.
    * ``inverse-distance``: every table year y gets weight ``∝ 1/|t − y|^power`` (default power 2),
      so adjacent tables dominate while the farther ones still count.
    * ``nearest``: the structure of the nearest table year (ties to the earlier one).

    Table years keep their own structure (weight 1). Years before the first or after the last table
    take the structure of the nearest table (constant extrapolation) under every rule; such years are
    reported as ``extrapolated``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from klems.base.choices import expected_one_of
from klems.base.errors import DimensionError, InputDataError, ParameterError

RULES = ("linear", "inverse-distance", "nearest")


def ras(prior, row_totals, col_totals, *, tol: float = 1e-10, max_iter: int = 10_000,
        names: tuple[Sequence, Sequence] | None = None) -> np.ndarray:
    """Bi-proportional scaling of ``prior`` (m × n, non-negative) to the given margins.

    ``names``: optional (row labels, column labels) used in error messages. Converged when every
    row and column sum is within ``tol`` × grand total of its target; the last step is a row scaling,
    so the row totals (e.g. published provincial figures) hold to rounding.
    Returns the balanced matrix (numpy array). Raises :class:`InputDataError` for negative or
    non-finite inputs, margins that do not add to the same total, rows or columns whose prior is zero
    but whose target is positive, and when the iteration does not converge.
    """
    x0 = np.asarray(prior, dtype=float)
    u = np.asarray(row_totals, dtype=float)
    v = np.asarray(col_totals, dtype=float)
    if x0.ndim != 2 or u.shape != (x0.shape[0],) or v.shape != (x0.shape[1],):
        raise DimensionError(f"prior {x0.shape}, row totals {u.shape} and column totals {v.shape} do not "
                             "match: expected (m, n), (m,) and (n,)")
    rows, cols = names if names is not None else (range(x0.shape[0]), range(x0.shape[1]))
    for label, arr in (("prior", x0), ("row totals", u), ("column totals", v)):
        if not np.all(np.isfinite(arr)):
            raise InputDataError(f"RAS {label} contain NaN or infinite values; expected finite numbers")
        if np.any(arr < 0):
            idx = np.unravel_index(np.argmin(arr), arr.shape)
            raise InputDataError(f"RAS {label} contain a negative value {arr[idx]:.6g} at position {idx}; "
                                 "expected non-negative values")
    total_u, total_v = u.sum(), v.sum()
    if abs(total_u - total_v) > 1e-9 * max(total_u, total_v, 1.0):
        raise InputDataError(f"RAS row totals sum to {total_u:.10g} but column totals to {total_v:.10g}; "
                             "expected equal grand totals")
    for axis, targets, labels, kind in ((1, u, rows, "row"), (0, v, cols, "column")):
        empty = (x0.sum(axis=axis) == 0) & (targets > 0)
        if empty.any():
            i = int(np.flatnonzero(empty)[0])
            raise InputDataError(f"RAS {kind} {list(labels)[i]!r} has a zero prior but target "
                                 f"{targets[i]:.6g}; expected a positive prior entry")
    x = x0.copy()
    scale = max(total_u, 1e-300)
    for _ in range(max_iter):
        rs = x.sum(axis=1)
        r = np.divide(u, rs, out=np.zeros_like(u), where=rs > 0)
        x *= r[:, None]
        cs = x.sum(axis=0)
        s = np.divide(v, cs, out=np.zeros_like(v), where=cs > 0)
        x *= s[None, :]
        err = max(np.abs(x.sum(axis=1) - u).max(initial=0.0), np.abs(x.sum(axis=0) - v).max(initial=0.0))
        if err <= tol * scale:
            rs = x.sum(axis=1)  # end on a row step: row totals to rounding, columns within tol
            x *= np.divide(u, rs, out=np.zeros_like(u), where=rs > 0)[:, None]
            return x
    raise InputDataError(f"RAS did not converge in {max_iter} iterations (largest margin gap {err:.3g}); "
                         "expected margins attainable from the prior's zero pattern")


def interpolation_weights(year: int, table_years: Sequence[int], rule: str = "linear",
                          power: float = 2.0) -> np.ndarray:
    """Weights of each table year for ``year`` (sum to 1); see the module docstring for the rules."""
    expected_one_of("interpolation rule", rule, RULES)
    if power <= 0:
        raise ParameterError(f"inverse-distance power must be > 0, got {power}")
    ty = np.asarray(sorted(table_years), dtype=float)
    if ty.size == 0:
        raise ParameterError("no table years given; expected at least one")
    if list(ty) != [float(y) for y in table_years]:
        raise ParameterError(f"table years must be increasing, got {list(table_years)}")
    w = np.zeros(ty.size)
    t = float(year)
    exact = np.flatnonzero(ty == t)
    if exact.size:
        w[exact[0]] = 1.0
    elif t < ty[0]:
        w[0] = 1.0
    elif t > ty[-1]:
        w[-1] = 1.0
    elif rule == "linear":
        b = int(np.searchsorted(ty, t))
        a = b - 1
        w[a] = (ty[b] - t) / (ty[b] - ty[a])
        w[b] = (t - ty[a]) / (ty[b] - ty[a])
    elif rule == "inverse-distance":
        w = 1.0 / np.abs(ty - t) ** power
        w /= w.sum()
    else:  # nearest
        w[int(np.argmin(np.abs(ty - t)))] = 1.0
    return w


def year_status(years: Sequence[int], table_years: Sequence[int]) -> list[str]:
    """``benchmark`` (a table year), ``interpolated`` or ``extrapolated`` for each year."""
    lo, hi = min(table_years), max(table_years)
    return ["benchmark" if y in table_years else ("interpolated" if lo < y < hi else "extrapolated")
            for y in years]


def interpolate_structure(structure: xr.DataArray, years: Sequence[int], *, rule: str = "linear",
                          power: float = 2.0, dim: str = "table_year") -> xr.DataArray:
    """Structure (shares, ratios, coefficients) given for table years along ``dim``, carried to
    ``years`` with :func:`interpolation_weights`. Returns the same variable over ``year``."""
    if dim not in structure.dims:
        raise DimensionError(f"structure has no dimension {dim!r}; dims are {structure.dims}")
    table_years = [int(y) for y in structure[dim].values]
    weights = np.array([interpolation_weights(y, table_years, rule, power) for y in years])
    w = xr.DataArray(weights, dims=("year", dim), coords={"year": list(years), dim: table_years})
    out = xr.dot(w, structure, dim=dim)
    out.attrs = dict(structure.attrs)
    out.attrs["interpolation_rule"] = rule
    return out.transpose("year", *[d for d in structure.dims if d != dim])


def scale_to_groups(values: xr.DataArray, membership: xr.DataArray, targets: xr.DataArray, *,
                    dim: str = "industry") -> xr.DataArray:
    """Scale ``values`` (non-negative, over ``dim``) proportionally within each group so that the group
    sums equal ``targets`` (over ``group``). ``membership`` is a 0/1 (group × dim) matrix; each element
    must belong to exactly one group. A group whose values are all zero but whose target is positive
    raises :class:`InputDataError`."""
    per_elem = membership.sum("group")
    if not bool((per_elem == 1).all()):
        raise InputDataError(f"each {dim} must belong to exactly one group")
    sums = xr.dot(membership, values, dim=dim)
    bad = (sums == 0) & (targets > 0)
    if bool(bad.any()):
        where = bad.where(bad, drop=True)
        raise InputDataError(f"group {str(where['group'].values[0])!r} has zero values but a positive target; "
                             "expected a positive prior")
    factor = xr.where(sums > 0, targets / sums.where(sums > 0), 0.0)
    return values * xr.dot(membership, factor, dim="group")
