"""θ from a panel of provinces: the pooled regression, its clustered standard errors, and the
test that decides where a province's own θ is informative.

Regression (as :func:`klems.accounts.attribution.estimate_theta`): ``ΔHA_pit = α + b x_pit + ε``
with ΔHA the gross-output TFP growth and x the ICT capital deepening of industry i of province p
in year t, from the accounts of :func:`klems.pipeline.compute.compute` at the given options. θ
is the share of TFP growth explained by ICT deepening, ``θ = b Σx / ΣΔHA`` over the sample, with
``s.e.(θ) = s.e.(b) |Σx / ΣΔHA|``. Standard errors by statsmodels: classical, clustered by
province, by industry, and two-way (province and industry; Cameron–Gelbach–Miller) — the one
reported, since the residuals of an industry are correlated across provinces (the provincial
data are regionalised from the same national tables) and those of a province across industries.

A province's own θ is *informative* when all three hold:

1. its own slope is significant: t-test with standard errors clustered by industry, p < 0.05
   after Holm's correction over the 31 provinces;
2. its slope differs from the pooled slope: the interaction ``x·1[p]`` (with the dummy
   ``1[p]``) added to the pooled regression, clustered by industry, p < 0.05 after Holm;
3. the 95 % interval of its own θ lies inside [0, 1] (θ is a share of TFP growth).

Elsewhere the pooled θ is used. Used by the build script ``python -m data.build.theta``, which
writes the bundle :mod:`klems.datasets.theta_estimates` reads, and by the test that checks the
bundle is current.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from klems.datasets.bundled import load_dataset
from klems.pipeline.compute import compute
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions

INFORMATIVE_TEST = (
    "own slope significant (t-test, standard errors clustered by industry, p < 0.05 after "
    "Holm's correction over the 31 provinces) AND own slope different from the pooled one "
    "(interaction x·1[province] in the pooled regression, clustered by industry, p < 0.05 after "
    "Holm) AND the 95 % interval of the own θ inside [0, 1]")
ALPHA = 0.05
#: options that do not change the accounts behind θ (the rule, θ itself, DI)
NOT_ACCOUNTS = ("attribution", "theta", "sector_theta", "cumulative_base_year",
                "cumulative_basis", "cumulative_negative", "window", "min_growth", "di_scale")
#: the options of the bundled regressions (θ given, so that building them never reads them)
BUNDLE_OPTIONS = EstimateOptions(theta=0.0)


def accounts_options(opts: EstimateOptions) -> dict:
    """The options of ``opts`` that the accounts behind θ depend on (recorded in the bundle)."""
    return {k: v for k, v in opts.as_dict().items() if k not in NOT_ACCOUNTS}


def theta_observations(key: str, vintage: str | None, opts: EstimateOptions) -> pd.DataFrame:
    """One row per industry-year of ``key``: ``tfp`` (ΔHA) and ``deepening`` (x), finite only."""
    data = load_dataset(key, vintage=vintage)
    data, inputs, ict_p, nict_p = prepare_inputs(key, opts, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = compute(inputs, ict_p, nict_p, opts)
    x = res["ict_deepening"]
    y = res["tfp"].sel(year=x.year)
    frame = pd.DataFrame({
        "industry": np.repeat(x.industry.values.astype(str), x.sizes["year"]),
        "year": np.tile(x.year.values.astype(int), x.sizes["industry"]),
        "tfp": y.transpose("industry", "year").values.ravel(),
        "deepening": x.transpose("industry", "year").values.ravel()})
    frame.insert(0, "province", key)
    return frame[np.isfinite(frame.tfp) & np.isfinite(frame.deepening)].reset_index(drop=True)


def _codes(frame: pd.DataFrame, columns) -> np.ndarray:
    cols = [pd.factorize(frame[c])[0] for c in columns]
    return cols[0] if len(cols) == 1 else np.column_stack(cols)


def _theta(frame: pd.DataFrame, b: float, se: float) -> tuple[float, float]:
    ratio = float(frame["deepening"].sum()) / float(frame["tfp"].sum())
    return b * ratio, abs(ratio) * se


def pooled_fit(panel: pd.DataFrame) -> dict:
    """The pooled regression over ``panel`` (rows of :func:`theta_observations`)."""
    X = sm.add_constant(panel["deepening"].to_numpy(), has_constant="add")
    y = panel["tfp"].to_numpy()
    model = sm.OLS(y, X)
    fits = {"classical": model.fit(),
            "province": model.fit(cov_type="cluster",
                                  cov_kwds={"groups": _codes(panel, ["province"])}),
            "industry": model.fit(cov_type="cluster",
                                  cov_kwds={"groups": _codes(panel, ["industry"])}),
            "two-way": model.fit(cov_type="cluster",
                                 cov_kwds={"groups": _codes(panel, ["province", "industry"])})}
    b = float(fits["classical"].params[1])
    out = {"b": b, "r2": float(fits["classical"].rsquared), "nobs": int(fits["classical"].nobs),
           "n_provinces": int(panel["province"].nunique()),
           "sum_deepening": float(panel["deepening"].sum()), "sum_tfp": float(panel["tfp"].sum())}
    for name, fit in fits.items():
        _, se = _theta(panel, b, float(fit.bse[1]))
        out[f"b_se_{name}"] = float(fit.bse[1])
        out[f"se_{name}"] = se
    out["theta"] = _theta(panel, b, 0.0)[0]
    out["se"] = out["se_two-way"]
    out["b_se"] = out["b_se_two-way"]
    out["se_kind"] = "two-way clustered (province, industry)"
    return out


def province_fits(panel: pd.DataFrame, pooled: dict) -> dict:
    """Each province's own regression and the test of :data:`INFORMATIVE_TEST`."""
    rows = {}
    industry = _codes(panel, ["industry"])
    x_all = panel["deepening"].to_numpy()
    y_all = panel["tfp"].to_numpy()
    for key, d in panel.groupby("province", sort=False):
        own = sm.OLS(d["tfp"].to_numpy(),
                     sm.add_constant(d["deepening"].to_numpy(), has_constant="add")).fit(
            cov_type="cluster", cov_kwds={"groups": _codes(d, ["industry"])})
        theta, se = _theta(d, float(own.params[1]), float(own.bse[1]))
        dummy = (panel["province"] == key).to_numpy(dtype=float)
        X = np.column_stack([np.ones_like(x_all), x_all, x_all * dummy, dummy])
        inter = sm.OLS(y_all, X).fit(cov_type="cluster", cov_kwds={"groups": industry})
        rows[key] = {"theta": theta, "se": se, "b": float(own.params[1]),
                     "b_se": float(own.bse[1]), "p_own": float(own.pvalues[1]),
                     "r2": float(own.rsquared), "nobs": int(own.nobs),
                     "slope_difference": float(inter.params[2]),
                     "p_difference": float(inter.pvalues[2]),
                     "theta_pooled_here": _theta(d, pooled["b"], 0.0)[0],
                     "sum_deepening": float(d["deepening"].sum()),
                     "sum_tfp": float(d["tfp"].sum())}
    keys = list(rows)
    p_own = multipletests([rows[k]["p_own"] for k in keys], method="holm")[1]
    p_diff = multipletests([rows[k]["p_difference"] for k in keys], method="holm")[1]
    for k, a, b in zip(keys, p_own, p_diff):
        r = rows[k]
        lo, hi = r["theta"] - 1.96 * r["se"], r["theta"] + 1.96 * r["se"]
        r.update(p_own_holm=float(a), p_difference_holm=float(b),
                 informative=bool(a < ALPHA and b < ALPHA and lo >= 0.0 and hi <= 1.0))
    return rows


def own_fit(frame: pd.DataFrame) -> dict:
    """One region's own regression outside the panel (the nation): θ, its industry-clustered
    standard error; never 'informative' (the test compares a province with its panel)."""
    own = sm.OLS(frame["tfp"].to_numpy(),
                 sm.add_constant(frame["deepening"].to_numpy(), has_constant="add")).fit(
        cov_type="cluster", cov_kwds={"groups": _codes(frame, ["industry"])})
    theta, se = _theta(frame, float(own.params[1]), float(own.bse[1]))
    return {"theta": theta, "se": se, "b": float(own.params[1]), "b_se": float(own.bse[1]),
            "p_own": float(own.pvalues[1]), "r2": float(own.rsquared), "nobs": int(own.nobs),
            "sum_deepening": float(frame["deepening"].sum()),
            "sum_tfp": float(frame["tfp"].sum()), "informative": False,
            "note": "not part of the 31-province panel: its own θ is reported, never used by "
                    "the 'informative' source"}
