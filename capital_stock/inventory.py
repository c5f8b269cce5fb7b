"""Productive capital stock by perpetual inventory: ``K_t = Σ_x g(x) · I_{t−x}``.

The first year ``t0`` of the series is the base year. Pre-sample vintages are handled in one of
two ways (``presample``):

``geometric`` (default)  the base-year stock ``K_{t0}`` (given, or by the base-year formula)
                         decays geometrically at δ; vintages ``t0+1, …`` follow the profile:
                         ``K_t = (1−δ)^{t−t0} K_{t0} + Σ_{x=0}^{t−t0−1} g(x) I_{t−x}``.
``backcast``             investment before t0 is back-cast as ``I_{t0}/(1+g)^k`` and every
                         vintage, ``I_{t0}`` included, follows the same profile.
``none``                 there was no capital before t0 (a new economy or a worked example);
                         every vintage, ``I_{t0}`` included, follows the profile.

Works over numpy arrays (time on the last axis) and xarray DataArrays (time on ``dim``) with any
leading dimensions; the inner sum runs in a compiled kernel over all series at once.
"""

from __future__ import annotations

import numpy as np

from capital_stock import _kernels
from capital_stock.assets import AssetSpec
from capital_stock.base_year import _base_year_numpy, average_growth
from capital_stock.profiles import default_n_ages, efficiency_weights
from capital_stock.validation import TimeLastLayout, check_investment
from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError
from klems.base.vocabulary import PRESAMPLE_RULES


def geometric_decay(depreciation, n: int) -> np.ndarray:
    """``(1 − δ)^t`` for t = 0 … n−1, one row per depreciation rate (δ: scalar or (D, 1))."""
    return (1.0 - np.asarray(depreciation, dtype=float)) ** np.arange(n, dtype=float)


def presample_backcast(inv0, growth, *, profile: str, depreciation: float, n_ages: int, n: int,
                       weights_long: np.ndarray, name: str = "asset", raise_errors: bool = True):
    """Contribution of back-cast vintages ``I_{t0}/(1+g)^k`` (k >= 1) to the stock of each year.

    Returns ``(base, decay, decay_row)`` for the kernel: ``base = I_{t0}`` and
    ``decay[r, t] = Σ_k g(t + k) (1+g_r)^{-k}``; with ``raise_errors=False`` an infinite
    back-cast gives NaN rows instead of an error (the sweep flags them).
    """
    g = np.atleast_1d(np.asarray(growth, dtype=float))
    uniq, row = np.unique(g, return_inverse=True)
    if profile == "geometric":
        q = (1.0 - depreciation) / (1.0 + uniq)
        infinite = (q >= 1.0) | (1.0 + uniq <= 0)
        if np.any(infinite) and raise_errors:
            bad = uniq[np.argmax(infinite)]
            raise ParameterError(
                f"back-cast of asset {name}: growth {bad:.6g} with depreciation "
                f"{depreciation:.6g} gives g + δ <= 0; the back-cast stock would be infinite")
        with np.errstate(divide="ignore", invalid="ignore"):
            decay = weights_long[:n][None, :] * (q / (1.0 - q))[:, None]
        decay[infinite] = np.nan
    else:
        K = n_ages
        k = np.arange(1, K + 1)
        # weights at ages t + k for t < n, k <= K
        idx = np.arange(n)[:, None] + k[None, :]
        wk = np.where(idx < weights_long.size, weights_long[np.minimum(idx, weights_long.size - 1)],
                      0.0)
        infinite = 1.0 + uniq <= 0
        if np.any(infinite) and raise_errors:
            raise ParameterError(f"back-cast of asset {name}: growth <= -100%")
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            disc = (1.0 + uniq)[:, None] ** (-k[None, :].astype(float))
        decay = disc @ wk.T
        decay[infinite] = np.nan
    if np.size(growth) == 1:
        row = np.zeros(inv0.shape[0], dtype=np.int64)
    return inv0, decay, row.astype(np.int64)


def _pim_numpy(values, spec, initial_stock, growth, base_year, presample, growth_method,
               leading=None, years=None, kernel=_kernels.pim):
    v = np.asarray(values, dtype=float)
    check_investment(v, spec.name, leading, years)
    expected_one_of("pre-sample rule", presample, PRESAMPLE_RULES, asset=spec.name)
    lead_shape, n = v.shape[:-1], v.shape[-1]
    flat = v.reshape(-1, n)
    m = flat.shape[0]
    n_long = max(default_n_ages(spec), n) + default_n_ages(spec) + 1
    if spec.profile == "geometric":
        n_long = n + 1
    weights_long = efficiency_weights(spec, n_long)
    weights = weights_long[:n][None, :] if spec.profile == "geometric" else \
        weights_long[:min(default_n_ages(spec), n)][None, :]
    weight_row = np.zeros(m, dtype=np.int64)

    if presample == "geometric":
        if initial_stock is None:
            base = _base_year_numpy(v, spec.depreciation, growth, base_year, growth_method,
                                    spec.name, leading, years)
            base = np.broadcast_to(base, lead_shape).reshape(m)
        else:
            base = np.broadcast_to(np.asarray(initial_stock, dtype=float), lead_shape).reshape(m)
            if np.any(~np.isfinite(base)) or np.any(base < 0):
                raise ParameterError(
                    f"initial stock of asset {spec.name} must be finite and >= 0, got "
                    f"{base[~np.isfinite(base) | (base < 0)][0]!r}")
        decay = geometric_decay(spec.depreciation, n)[None, :]
        decay_row = np.zeros(m, dtype=np.int64)
        start = 1
    elif presample == "none":
        if initial_stock is not None:
            raise ParameterError(
                f"asset {spec.name}: an initial stock cannot be combined with presample='none'")
        base = np.zeros(m)
        decay = np.zeros((1, n))
        decay_row = np.zeros(m, dtype=np.int64)
        start = 0
    else:
        if initial_stock is not None:
            raise ParameterError(
                f"asset {spec.name}: an initial stock cannot be combined with presample="
                "'backcast' (the back-cast vintages imply the base-year stock); use "
                "presample='geometric'")
        if growth is None:
            g = average_growth(v, growth_method, asset=spec.name, leading=leading, years=years)
        else:
            g = np.asarray(growth, dtype=float)
        g = np.broadcast_to(g, lead_shape).reshape(m) if np.size(g) > 1 else g.reshape(-1)[:1]
        base, decay, decay_row = presample_backcast(
            flat[:, 0].copy(), g, profile=spec.profile, depreciation=spec.depreciation,
            n_ages=default_n_ages(spec), n=n, weights_long=weights_long, name=spec.name)
        start = 0
    out = kernel(flat, weights, weight_row, start, base, decay, decay_row)
    return out.reshape(v.shape)


def perpetual_inventory(investment, spec: AssetSpec, *, initial_stock=None, dim: str = "year",
                        base_year: str = "printed", presample: str = "geometric", growth=None,
                        growth_method: str = "geometric"):
    """Productive capital stock of one asset from real investment.

    Parameters
    ----------
    investment : numpy array with time on the last axis, or xarray DataArray with ``dim``;
        any leading dimensions (industry, province, draw, …).
    spec : the asset (:class:`AssetSpec`): profile, service life, δ, β, timing.
    initial_stock : stock at the first year (scalar or over the leading dimensions); ``None``
        uses the base-year formula (``base_year``: ``printed`` = ``I_{t0+1}/(g+δ)``, ``t0`` =
        ``I_{t0}/(g+δ)``).
    presample : ``geometric`` (base-year stock decays at δ), ``backcast`` or ``none``.
    growth : average investment growth g for the base-year formula or the back-cast; estimated
        per series by ``growth_method`` when ``None``.

    Returns the same kind and shape as ``investment`` (a DataArray keeps its coordinates).
    """
    if not isinstance(spec, AssetSpec):
        raise ParameterError(f"perpetual_inventory needs an AssetSpec, got {type(spec).__name__}")
    try:
        import xarray as xr
    except ImportError:  # pragma: no cover
        xr = None
    if xr is not None and isinstance(investment, xr.DataArray):
        lay = TimeLastLayout(investment, dim, spec.name, error=ParameterError)
        da, as_lead, leading, years = lay.da, lay.as_lead, lay.leading, lay.years

        out = _pim_numpy(da.values, spec, as_lead(initial_stock), as_lead(growth), base_year,
                         presample, growth_method, leading, years)
        res = da.copy(data=out).transpose(*investment.dims)
        res.name = f"stock_{spec.name}"
        units = investment.attrs.get("units")
        res.attrs = {
            "long_name": f"productive capital stock, {spec.name}",
            "long_name_zh": "生产性资本存量",
            "profile": spec.profile,
            "mean_life": spec.mean_life,
            "depreciation": spec.depreciation,
            "beta": spec.beta,
            "base_year_rule": base_year if initial_stock is None else "given",
            "presample": presample,
            "timing": spec.timing,
        }
        if units:
            res.attrs["units"] = units
        return res
    return _pim_numpy(investment, spec, initial_stock, growth, base_year, presample,
                      growth_method)
