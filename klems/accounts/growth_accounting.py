"""Törnqvist growth accounting: contributions of inputs and the TFP residual.

For output ``Y`` with nominal value ``P_Y·Y`` and inputs ``X_j`` with nominal values ``w_j``,
between years ``t−1`` and ``t`` (docs/method.md §5.4; EU KLEMS D2.3.1 eqs. 1, 2, 15):

    s_j,t   = w_j,t / (P_Y·Y)_t                       nominal share in output
    s̄_j,t   = (s_j,t + s_j,t−1) / 2                   two-period average share
    c_j,t   = s̄_j,t · Δln X_j,t                       contribution of input j
    tfp_t   = Δln Y_t − Σ_j c_j,t                     the residual

In the value-added framework the inputs are capital (by group) and labour and their values sum to
value added; in the gross-output framework intermediate inputs join them and the values sum to
gross output. Everything is in log differences (multiply by 100 for percentage points). The first
year has no growth and is NaN.

An input whose average share is zero contributes zero without its volume being looked at (an
industry without intangible capital); where the average share is positive the volume must be
positive in both years.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from klems.accounts import _kernels as kern
from klems.base.choices import expected_one_of
from klems.base.errors import DimensionError, InputDataError, ParameterError

FRAMEWORKS = ("value-added", "gross-output")


def _where(da: xr.DataArray) -> dict:
    """Coordinates of the first True element of the boolean DataArray ``da``."""
    idx = np.unravel_index(int(np.argmax(da.values)), da.shape)
    out = {}
    for d, i in zip(da.dims, idx):
        v = da[d].values[i] if d in da.coords else int(i)
        out[d] = v.item() if hasattr(v, "item") else v
    return out


def _log_growth(volume: xr.DataArray, active: xr.DataArray, *, dim: str, name: str):
    """``Δln volume`` where ``active``; 0 elsewhere. Raises where a needed volume is not > 0."""
    prev = volume.shift({dim: 1})
    first = volume[dim] == volume[dim][0]
    need = active & ~first
    bad = need & ~((volume > 0) & (prev > 0))
    if bool(bad.any()):
        where = _where(bad)
        raise InputDataError(
            f"volume of {name} is zero, negative or missing in year {where.get(dim)} or the "
            f"year before while its value share is positive; expected a positive volume "
            "where logarithms are taken", input=name, **where,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(volume / prev)
    return xr.where(need, g, 0.0).where(~first)


def aggregate_growth_reference(vol: np.ndarray, val: np.ndarray, entering: str = "raise"):
    """Plain-numpy twin of the compiled :func:`klems.accounts._kernels.aggregate_growth` (the
    reference its tests compare against), on (..., item, year); returns (growth, bad mask).

    ``entering="exclude"``: an item whose volume is zero the year before (a new asset in that
    industry) is left out of that year's growth and the others' shares are renormalised; the
    aggregate's growth is NaN when no item continues.
    """
    all_nan = np.isnan(val).all(axis=-2)
    total = np.where(all_nan, np.nan, np.nansum(val, axis=-2))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total[..., None, :] > 0, val / total[..., None, :], np.nan)
        avg = np.full_like(share, np.nan)
        avg[..., 1:] = 0.5 * (share[..., 1:] + share[..., :-1])
        defined = ~np.isnan(avg).any(axis=-2)
        active = np.nan_to_num(avg) > 0
        g = np.zeros_like(avg)
        g[..., 1:] = np.log(vol[..., 1:] / vol[..., :-1])
        ok = np.ones_like(active)
        ok[..., 1:] = (vol[..., 1:] > 0) & (vol[..., :-1] > 0)
        if entering == "exclude":
            new = np.zeros_like(active)
            new[..., 1:] = (vol[..., :-1] == 0) & (vol[..., 1:] > 0)
            keep = active & ~new
            weight = np.where(keep, np.nan_to_num(avg), 0.0)
            norm = weight.sum(axis=-2, keepdims=True)
            weight = np.where(norm > 0, weight / np.where(norm > 0, norm, 1.0), 0.0)
            defined = defined & (norm[..., 0, :] > 0)
            active = keep
            avg = weight
        bad = active & ~ok
        out = np.where(active, np.nan_to_num(avg) * g, 0.0).sum(axis=-2)
    out = np.where(defined, out, np.nan)
    out[..., 0] = np.nan
    return out, bad


def tornqvist_growth(volume: xr.DataArray, value: xr.DataArray, *, item_dim: str,
                     dim: str = "year", name: str = "aggregate",
                     entering: str = "raise") -> xr.DataArray:
    """Törnqvist log growth of an aggregate of the items along ``item_dim``.

    ``Δln X = Σ_k s̄_k Δln X_k`` with ``s_k = value_k / Σ value``. Items with zero value in both
    years drop out. NaN where the aggregate's value is zero or undefined in either year.
    ``entering``: ``"raise"`` (default) when an item with a positive share has no volume the
    year before, or ``"exclude"`` it from that year's growth (see :func:`_aggregate_growth`).
    """
    if entering not in ("raise", "exclude"):
        raise ParameterError(f"entering must be 'raise' or 'exclude', got {entering!r}",
                             parameter="entering")
    volume, value = xr.broadcast(volume, value)
    volume = volume.transpose(..., item_dim, dim)
    value = value.transpose(..., item_dim, dim)
    vol = np.ascontiguousarray(volume.values, dtype=np.float64)
    val = np.ascontiguousarray(value.values, dtype=np.float64)
    shape = vol.shape
    k, n = shape[-2:]
    vol = vol.reshape(-1, k, n)
    out = np.empty((vol.shape[0], n))
    bad = np.empty(vol.shape, dtype=np.bool_)
    lr = np.empty_like(vol)
    kern.log_changes(vol, lr)
    kern.aggregate_growth(vol, lr, val.reshape(-1, k, n), entering == "exclude", out, bad)
    out = out.reshape(shape[:-2] + (n,))
    bad = bad.reshape(shape)
    if bad.any():
        where = _where(volume.copy(data=bad))
        raise InputDataError(
            f"volume of {name} ({item_dim} item) is zero, negative or missing in year "
            f"{where.get(dim)} or the year before while its value share is positive; expected "
            "a positive volume where logarithms are taken", input=name, **where)
    return value.isel({item_dim: 0}, drop=True).copy(data=out)


def _check_inputs(output_value, output_volume, input_values, input_volumes, dim):
    if not isinstance(input_values, Mapping) or not isinstance(input_volumes, Mapping):
        raise ParameterError("input_values and input_volumes must be dicts name -> DataArray",
                             parameter="input_values")
    if set(input_values) != set(input_volumes):
        raise DimensionError(
            f"input_values has {sorted(input_values)} but input_volumes has "
            f"{sorted(input_volumes)}; expected the same input names", argument="input_volumes")
    if not input_values:
        raise ParameterError("at least one input is needed", parameter="input_values")
    arrays = {"output_value": output_value, "output_volume": output_volume}
    arrays |= {f"input_values[{k!r}]": v for k, v in input_values.items()}
    arrays |= {f"input_volumes[{k!r}]": v for k, v in input_volumes.items()}
    for label, da in arrays.items():
        if not isinstance(da, xr.DataArray):
            raise DimensionError(f"{label} must be an xarray.DataArray, got {type(da).__name__}",
                                 argument=label)
        if dim not in da.dims:
            raise DimensionError(f"{label} lacks dimension {dim!r}; it has {da.dims}",
                                 argument=label)
    ref = output_value[dim].values
    for label, da in arrays.items():
        if not np.array_equal(da[dim].values, ref):
            raise DimensionError(
                f"{label} has {dim} {da[dim].values.tolist()} but output_value has "
                f"{ref.tolist()}; expected the same {dim} labels", argument=label)
    try:
        xr.align(*arrays.values(), join="exact", exclude=[dim])
    except ValueError as exc:
        raise DimensionError(f"coordinates of the inputs differ: {exc}",
                             argument="input_values") from None


def log_change(volume: xr.DataArray, *, dim: str = "year") -> xr.DataArray:
    """``ln(x_t / x_{t−1})`` along ``dim`` (NaN in the first year), by the compiled
    :func:`klems.accounts._kernels.log_changes` that the sweep uses."""
    v = volume.transpose(..., dim)
    n = v.sizes[dim]
    flat = np.ascontiguousarray(v.values, dtype=np.float64).reshape(-1, 1, n)
    out = np.empty_like(flat)
    with np.errstate(all="ignore"):
        kern.log_changes(flat, out)
    return v.copy(data=out.reshape(v.shape)).transpose(*volume.dims)


def tornqvist_from_growth(output_value, output_growth, input_values, input_growth, *,
                          dim: str = "year", share_tolerance: float = 1e-6) -> xr.Dataset:
    """The decomposition of :func:`tornqvist` from the log changes of the volumes (output and
    inputs, e.g. capital services growth straight from :func:`capital_services`) instead of the
    volumes. ``compute`` and the sweep use this form; the values are checked as in
    :func:`tornqvist`, except the volumes (a growth that is not finite where the share is
    positive raises)."""
    return _accounts(output_value, input_values, growths=(output_growth, input_growth),
                     dim=dim, share_tolerance=share_tolerance)


def _accounts(output_value, input_values, *, volumes=None, growths=None, dim="year",
              share_tolerance=1e-6) -> xr.Dataset:
    """Run :func:`klems.accounts._kernels.tornqvist_contributions` on broadcast arrays."""
    names = list(input_values)
    second = volumes if volumes is not None else growths
    arrays = xr.broadcast(output_value, second[0], *[input_values[k] for k in names],
                          *[second[1][k] for k in names])
    arrays = [a.transpose(..., dim) for a in arrays]
    template = arrays[0]
    shape = template.shape
    n = shape[-1]

    def flat(a):
        return np.ascontiguousarray(a.values, dtype=np.float64).reshape(-1, n)

    ov = flat(arrays[0])
    k = len(names)
    iv = np.stack([flat(a) for a in arrays[2:2 + k]])
    if volumes is not None:
        oq = flat(arrays[1])
        iq = np.stack([flat(a) for a in arrays[2 + k:]])
        og = np.empty_like(ov)
        ig = np.empty_like(iq)
        with np.errstate(all="ignore"):
            kern.log_changes(oq.reshape(-1, 1, n), og.reshape(-1, 1, n))
            kern.log_changes(iq.reshape(-1, 1, n), ig.reshape(-1, 1, n))
    else:
        og = flat(arrays[1])
        ig = np.stack([flat(a) for a in arrays[2 + k:]])
    contribution = np.empty_like(iv)
    share = np.empty_like(iv)
    tfp = np.empty_like(ov)
    problem = np.zeros(4, dtype=np.int64)
    kern.tornqvist_contributions(ov, og, iv, ig, float(share_tolerance), contribution, share,
                                 tfp, problem)
    if problem[0] in (3, 4):
        j = int(problem[3])
        name = "output" if problem[0] == 3 else names[j]
        pos = np.unravel_index(int(problem[1]) * n + int(problem[2]), shape)
        where = {d: (template[d].values[i].item() if d in template.coords else int(i))
                 for d, i in zip(template.dims, pos)}
        raise InputDataError(
            f"volume of {name} is zero, negative or missing in year {where.get(dim)} or the "
            f"year before while its value share is positive; expected a positive volume "
            "where logarithms are taken", input=name, **where)
    if problem[0] in (1, 2):
        pos = np.unravel_index(int(problem[1]) * n + int(problem[2]), shape)
        where = {d: (template[d].values[i].item() if d in template.coords else int(i))
                 for d, i in zip(template.dims, pos)}
        what = ("output value is zero, negative or missing; expected > 0" if problem[0] == 1
                else f"input shares do not sum to 1 within {share_tolerance:g} (inputs {names})")
        raise InputDataError(what, **where)

    def back(a):
        return template.copy(data=a.reshape(shape))

    out = xr.Dataset()
    growth = og.copy()
    growth[:, 0] = np.nan
    out["output_growth"] = back(growth).assign_attrs(
        units="log change", long_name="output growth", long_name_zh="产出增长（对数差）")
    for j, key in enumerate(names):
        out[f"share_{key}"] = back(share[j]).assign_attrs(
            units="1", long_name=f"two-period average nominal share of {key}",
            long_name_zh=f"{key} 两期平均名义份额")
        out[f"contribution_{key}"] = back(contribution[j]).assign_attrs(
            units="log change", long_name=f"contribution of {key} to output growth",
            long_name_zh=f"{key} 对产出增长的贡献")
    out["tfp"] = back(tfp).assign_attrs(
        units="log change", long_name="total factor productivity growth (residual)",
        long_name_zh="全要素生产率增长（余项）")
    return out


def tornqvist(output_value: xr.DataArray, output_volume: xr.DataArray,
              input_values: Mapping[str, xr.DataArray],
              input_volumes: Mapping[str, xr.DataArray], *, dim: str = "year",
              framework: str | None = None, intermediates: str = "intermediates",
              share_tolerance: float = 1e-6,
              partial_volumes: Mapping[str, tuple[str, xr.DataArray]] | None = None,
              ) -> xr.Dataset:
    """Decompose output growth into input contributions and TFP (see the module docstring).

    Parameters
    ----------
    output_value, output_volume
        Nominal output (value added or gross output) and its volume, with ``dim``.
    input_values, input_volumes
        Dicts input name -> nominal value / volume, e.g. ``{"ict": ..., "nict": ...,
        "labour": ..., "intermediates": ...}``. Other dimensions broadcast.
    framework
        ``"value-added"`` (no input named ``intermediates``) or ``"gross-output"`` (requires it);
        None accepts either. Recorded in ``attrs``.
    share_tolerance
        Largest admitted ``|Σ_j s_j − 1|`` in any year.
    partial_volumes
        Name -> (input, volume): extra contributions ``s̄_input · Δln volume`` that split an input
        (e.g. ``{"hours": ("labour", hours_worked)}``); they do not enter TFP.

    Returns
    -------
    xarray.Dataset with ``output_growth``, ``contribution_<name>``, ``share_<name>`` for each
    input, ``contribution_<partial>`` for each partial volume, and ``tfp``.
    """
    _check_inputs(output_value, output_volume, input_values, input_volumes, dim)
    if framework is not None:
        expected_one_of("framework", framework, FRAMEWORKS, parameter="framework")
    if framework == "gross-output" and intermediates not in input_values:
        raise ParameterError(
            f"the gross-output framework needs an input named {intermediates!r}; got "
            f"{sorted(input_values)}", parameter="input_values")
    if framework == "value-added" and intermediates in input_values:
        raise ParameterError(
            f"the value-added framework takes no {intermediates!r} input", parameter="input_values")
    if not share_tolerance >= 0:
        raise ParameterError("share_tolerance must be >= 0", parameter="share_tolerance")

    bad = ~(output_value > 0)
    if bool(bad.any()):
        raise InputDataError("output value is zero, negative or missing; expected > 0",
                             input="output", **_where(bad))
    shares = {}
    for k, v in input_values.items():
        neg = v < 0
        if bool(neg.any()):
            raise InputDataError(f"value of input {k!r} is negative; expected >= 0", input=k,
                                 **_where(neg))
        shares[k] = v / output_value
    total = sum(shares.values())
    off = ~(abs(total - 1.0) <= share_tolerance)
    if bool(off.any()):
        where = _where(off)
        got = float(total.sel({d: v for d, v in where.items() if d in total.coords}).values)
        raise InputDataError(
            f"input shares sum to {got:.6g}, expected 1 within {share_tolerance:g} "
            f"(inputs {sorted(input_values)})", **where)

    out = _accounts(output_value, {k: input_values[k] for k in input_values},
                    volumes=(output_volume, input_volumes), dim=dim,
                    share_tolerance=share_tolerance)
    avg = {k: out[f"share_{k}"] for k in input_values}
    for p, (k, vol) in (partial_volumes or {}).items():
        if k not in avg:
            raise ParameterError(f"partial volume {p!r} refers to unknown input {k!r}",
                                 parameter="partial_volumes")
        if f"contribution_{p}" in out:
            raise ParameterError(f"partial volume name {p!r} clashes with an input",
                                 parameter="partial_volumes")
        _check_inputs(output_value, output_volume, {p: vol}, {p: vol}, dim)
        out[f"contribution_{p}"] = (avg[k] * _log_growth(vol, avg[k] > 0, dim=dim, name=p)
                                    ).assign_attrs(
            units="log change", long_name=f"contribution of {p} (part of {k})",
            long_name_zh=f"{p}（{k} 的组成部分）的贡献")
    out.attrs.update(framework=framework or ("gross-output" if intermediates in input_values
                                             else "value-added"),
                     inputs=list(input_values))
    return out
