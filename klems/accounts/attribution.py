"""From growth accounting to industrial digitalization (产业数字化): named attribution rules.

The white paper (Appendix 1, step five) says the ICT capital measured by the KLEMS model "is" the
scale of industrial digitalization but does not pin the rule down. Three rules are offered
(docs/attribution.md); all are computed and reported side by side, one is the default.

``income-share`` (default)
    ``ID_i = Σ_{a ∈ ICT} p_K,a · K_a``: the ICT capital compensation of industry i, i.e. the ICT
    share of value added times value added.
``contribution-rate``
    ``ID_i = VA_i · c_i`` with ``c_i = Σ_w v̄_ICT ΔK_ICT / Σ_w ΔOTP``: the ICT capital
    contribution rate to output growth over a trailing window of ``window`` years. Guard: where
    the window's average output growth is below ``min_growth`` (log points a year) the rate is
    not defined and the industry's ICT income share is used instead; rates are clipped to
    [0, 1]. Both events are counted and listed.
``contribution-plus-tfp``
    as above plus ``θ · Σ_w ΔHA / Σ_w ΔOTP``, the part of TFP growth attributed to ICT; θ is
    given or estimated by :func:`estimate_theta`.
``cumulative``
    ``ID_i,t = Y_i,t (1 − (1 − s0_i) e^{−S_i,t})`` with ``S_i,t = Σ_{τ=t0+1..t} max(0, term_i,τ)``
    and ``term = v̄_ICT ΔK_ICT + θ ΔHA`` — the share of output that would not exist without the
    ICT capital deepening and the ICT part of TFP growth accumulated since the base year t0
    (CAICT's "added output", 先贡献度、后增量、再总量). On the value-added basis (default) Y is value
    added and the term is divided by the two-period average value-added share of output
    ``1 − v̄_MID`` (contribution to value-added growth, EU KLEMS), so ID < VA by construction;
    on the gross-output basis Y is output and ID is capped at VA (flagged). ``s0`` is the
    industry's ICT income share in t0, so in t0 (and before) the rule equals ``income-share``.
    Yearly terms are summed with their sign and a negative ID is clipped at 0 (``negative=
    "sum"``, the default), or a negative term adds nothing (``"floor"``). docs/attribution.md has
    the reasons.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.accounts import _kernels as kern
from klems.base.choices import expected_one_of
from klems.base.errors import DimensionError, ParameterError
from klems.base.vocabulary import NEGATIVE_TERMS, OUTPUT_BASES, RULES


def _window_sum(x: xr.DataArray, window: int, dim: str) -> xr.DataArray:
    return x.rolling({dim: window}, min_periods=1).sum()


def contribution_rate(ict_contribution, output_growth, *, window=3, min_growth=0.01,
                      extra=None, dim="year"):
    """Windowed contribution rate ``Σ_w (contribution [+ extra]) / Σ_w output growth`` (xarray).

    The plain twin of the compiled :func:`klems.accounts._kernels.attribution_rates`, which
    :func:`attribute` and the sweep run; kept as the reference its tests compare against.

    Returns ``(rate, undefined)``: ``undefined`` marks cells whose window average output growth
    is below ``min_growth`` (rate NaN there). Years without growth data (the first year) are NaN.
    """
    if window < 1:
        raise ParameterError(f"attribution window must be >= 1 year, got {window}")
    num = ict_contribution if extra is None else ict_contribution + extra
    valid = output_growth.notnull()
    n = _window_sum(valid.astype(float), window, dim)
    den = _window_sum(output_growth.fillna(0.0), window, dim)
    num_w = _window_sum(num.fillna(0.0), window, dim)
    undefined = (den < min_growth * n) & (n > 0)
    rate = (num_w / den).where(~undefined & (n > 0))
    return rate, undefined


def attribute(rule: str, *, value_added, ict_compensation, ict_contribution=None,
              output_growth=None, tfp=None, theta=None, window: int = 3,
              min_growth: float = 0.01, output_value=None, share_intermediates=None,
              base_year: int | None = None, basis: str = "value-added",
              negative: str = "sum", dim: str = "year") -> xr.Dataset:
    """Industrial digitalization by industry under one rule (nominal, units of value added).

    Parameters are DataArrays over (industry, year, …): value added; ICT capital compensation;
    the ICT capital contribution ``v̄_ICT ΔK_ICT``, output growth ``ΔOTP`` and TFP growth ``ΔHA``
    (log changes) from :func:`klems.accounts.growth_accounting.tornqvist`; for ``cumulative``
    also the two-period average share of intermediates in output (value-added basis) or the
    output value (gross-output basis), the base year (default: the first year) and the basis.
    Returns a Dataset with ``id`` (industry, year), ``rate`` (share of value added attributed to
    ICT), ``fallback`` (income share used) and ``clipped`` masks, and for ``cumulative`` the
    yearly ``term`` before its floor at 0. The rates come from the compiled
    :func:`klems.accounts._kernels.attribution_rates`, which the sweep calls per draw.
    """
    expected_one_of("attribution rule", rule, RULES)
    expected_one_of("output basis of the cumulative rule", basis, OUTPUT_BASES)
    expected_one_of("treatment of negative terms of the cumulative rule", negative,
                    NEGATIVE_TERMS)
    code = RULES.index(rule)
    if code > 0 and (ict_contribution is None or output_growth is None):
        raise ParameterError(f"rule {rule!r} needs the ICT contribution and output growth "
                             "from the growth accounts")
    if code >= 2 and (tfp is None or theta is None):
        raise ParameterError(f"rule {rule!r} needs TFP growth and θ "
                             "(given, or estimated with estimate_theta)")
    if code == 3:
        need = ("share_intermediates", share_intermediates) if basis == "value-added" \
            else ("output_value", output_value)
        if need[1] is None:
            raise ParameterError(f"rule 'cumulative' on the {basis} basis needs {need[0]} "
                                 "from the growth accounts")
    if window < 1:
        raise ParameterError(f"attribution window must be >= 1 year, got {window}")
    missing = xr.full_like(value_added, np.nan)
    parts = [value_added, ict_compensation, ict_contribution, output_growth, tfp, output_value,
             share_intermediates]
    parts = [missing if p is None else p for p in parts]
    parts = [p.transpose(..., dim) for p in xr.broadcast(*parts)]
    template = parts[0]
    years = [int(y) for y in template[dim].values]
    base_index = 0
    if code == 3 and base_year is not None:
        if int(base_year) not in years:
            raise ParameterError(f"base year {base_year} of the cumulative rule is outside the "
                                 f"accounts' years {years[0]}-{years[-1]}", year=int(base_year))
        base_index = years.index(int(base_year))
    shape = template.shape
    n = shape[-1]
    va, comp, contrib, growth, tfp_arr, out_value, mid = (
        np.ascontiguousarray(p.values, dtype=np.float64).reshape(-1, n) for p in parts)
    rate_arr = np.empty_like(va)
    work = np.zeros_like(va)
    fallback_arr = np.empty(va.shape, dtype=np.bool_)
    clipped_arr = np.empty(va.shape, dtype=np.bool_)
    theta_arr = np.zeros(va.shape[0])
    if isinstance(theta, xr.DataArray):      # θ by industry (e.g. by sector)
        theta_arr = np.ascontiguousarray(
            xr.broadcast(theta, template)[0].transpose(*template.dims).values[..., 0],
            dtype=np.float64).reshape(-1)
    elif theta is not None:
        theta_arr[:] = float(theta)
    kern.attribution_rates(code, va, comp, contrib, growth, tfp_arr, out_value, mid,
                           theta_arr, int(window), float(min_growth),
                           base_index, OUTPUT_BASES.index(basis), negative == "floor", work,
                           rate_arr, fallback_arr, clipped_arr)
    rate = template.copy(data=rate_arr.reshape(shape))
    # masks: value added's coordinates, not its units or names
    fallback = xr.DataArray(fallback_arr.reshape(shape), dims=template.dims,
                            coords=template.coords)
    clipped = xr.DataArray(clipped_arr.reshape(shape), dims=template.dims,
                           coords=template.coords)
    value_added = template
    out = xr.Dataset({
        "id": (value_added * rate).assign_attrs(
            units=value_added.attrs.get("units", "1e8 CNY"),
            long_name=f"industrial digitalization ({rule})", long_name_zh="产业数字化规模"),
        "rate": rate.assign_attrs(units="1", long_name="share of value added attributed to ICT",
                                  long_name_zh="ICT贡献占增加值比重"),
        "fallback": fallback.assign_attrs(
            long_name="income share used (contribution rate undefined, or the cumulative "
                      "rule's base year and before)",
            long_name_zh="改用收入份额（贡献率无定义，或累积法基年及以前）",
            flag_meanings="own_rule income_share_used"),
        "clipped": clipped.assign_attrs(long_name="rate outside [0, 1], clipped",
                                        long_name_zh="比率超出[0, 1]，已截断",
                                        flag_meanings="within_0_1 clipped_to_0_1"),
    })
    if code == 3:
        out["term"] = template.copy(data=work.reshape(shape)).assign_attrs(
            units="log change", long_name="yearly term of the cumulative rule before its floor "
                                          "at 0 (0 in the base year and before)")
    out.attrs.update(rule=rule, window=window, min_growth=min_growth,
                     theta=np.nan if theta is None or isinstance(theta, xr.DataArray)
                     else float(theta))
    if code == 3:
        out.attrs.update(base_year=years[base_index], basis=basis, negative=negative)
    return out


def estimate_theta(tfp, ict_deepening, *, dims=("industry", "year")) -> dict:
    """θ: the share of TFP growth attributed to ICT, by OLS across industries and years.

    Fits ``ΔHA_it = α + b · x_it + ε`` with ``x`` the ICT capital deepening (log change of ICT
    capital services per unit of labour). The ICT-attributed TFP growth is ``b · x``; θ is its
    share of total TFP growth over the sample, ``θ = b Σx / ΣΔHA``, with the standard error
    ``SE(b) |Σx / ΣΔHA|`` (θ is linear in b given the data). Returns θ, its standard error, b,
    SE(b), R², the number of observations, and the statsmodels summary text.

    The sweep cannot call statsmodels from compiled code: its twin is
    :func:`klems.accounts._kernels.theta_ols` (the same estimator in closed form), and a test
    checks that the two agree.
    """
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    if set(tfp.dims) != set(ict_deepening.dims):
        raise DimensionError(f"TFP dims {tfp.dims} and ICT deepening dims {ict_deepening.dims} "
                             "differ")
    y = tfp.transpose(*ict_deepening.dims).values.ravel()
    x = ict_deepening.values.ravel()
    ok = np.isfinite(y) & np.isfinite(x)
    if ok.sum() < 3:
        raise ParameterError(f"θ regression needs at least 3 industry-years with TFP and ICT "
                             f"deepening, got {int(ok.sum())}")
    model = OLS(y[ok], add_constant(x[ok], has_constant="add")).fit()
    b, b_se = float(model.params[1]), float(model.bse[1])
    sum_tfp = float(y[ok].sum())
    if abs(sum_tfp) < 1e-12:
        raise ParameterError("θ is undefined: total TFP growth over the sample is zero")
    ratio = float(x[ok].sum()) / sum_tfp
    return {"theta": b * ratio, "theta_se": abs(ratio) * b_se, "b": b, "b_se": b_se,
            "r2": float(model.rsquared), "nobs": int(model.nobs),
            "summary": str(model.summary())}
