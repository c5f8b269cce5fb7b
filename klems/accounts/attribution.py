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
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.accounts import _kernels as kern
from klems.base.choices import expected_one_of
from klems.base.errors import DimensionError, ParameterError
from klems.base.vocabulary import RULES


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
              min_growth: float = 0.01, dim: str = "year") -> xr.Dataset:
    """Industrial digitalization by industry under one rule (nominal, units of value added).

    Parameters are DataArrays over (industry, year, …): value added; ICT capital compensation;
    the ICT capital contribution ``v̄_ICT ΔK_ICT``, output growth ``ΔOTP`` and TFP growth ``ΔHA``
    (log changes) from :func:`klems.accounts.growth_accounting.tornqvist`. Returns a Dataset
    with ``id`` (industry, year), ``rate`` (share of value added attributed to ICT),
    ``fallback`` and ``clipped`` masks. The rates come from the compiled
    :func:`klems.accounts._kernels.attribution_rates`, which the sweep calls per draw.
    """
    expected_one_of("attribution rule", rule, RULES)
    code = RULES.index(rule)
    if code > 0 and (ict_contribution is None or output_growth is None):
        raise ParameterError(f"rule {rule!r} needs the ICT contribution and output growth "
                             "from the growth accounts")
    if code == 2 and (tfp is None or theta is None):
        raise ParameterError("rule 'contribution-plus-tfp' needs TFP growth and θ "
                             "(given, or estimated with estimate_theta)")
    if window < 1:
        raise ParameterError(f"attribution window must be >= 1 year, got {window}")
    missing = xr.full_like(value_added, np.nan)
    parts = [value_added, ict_compensation,
             missing if ict_contribution is None else ict_contribution,
             missing if output_growth is None else output_growth,
             missing if tfp is None else tfp]
    parts = [p.transpose(..., dim) for p in xr.broadcast(*parts)]
    template = parts[0]
    shape = template.shape
    n = shape[-1]
    va, comp, contrib, growth, tfp_arr = (
        np.ascontiguousarray(p.values, dtype=np.float64).reshape(-1, n) for p in parts)
    rate_arr = np.empty_like(va)
    work = np.empty_like(va)
    fallback_arr = np.empty(va.shape, dtype=np.bool_)
    clipped_arr = np.empty(va.shape, dtype=np.bool_)
    kern.attribution_rates(code, va, comp, contrib, growth, tfp_arr,
                           0.0 if theta is None else float(theta), int(window), float(min_growth),
                           work, rate_arr, fallback_arr, clipped_arr)
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
            long_name="contribution rate undefined (small output growth): income share used",
            long_name_zh="贡献率无定义（产出增长过小），改用收入份额",
            flag_meanings="own_rule income_share_used"),
        "clipped": clipped.assign_attrs(long_name="rate outside [0, 1], clipped",
                                        long_name_zh="比率超出[0, 1]，已截断",
                                        flag_meanings="within_0_1 clipped_to_0_1"),
    })
    out.attrs.update(rule=rule, window=window, min_growth=min_growth,
                     theta=np.nan if theta is None else float(theta))
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
