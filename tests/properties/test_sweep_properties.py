"""Hypothesis: for any admissible parameters the fused kernel is the plain estimate."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from klems.base.vocabulary import ICT_ASSETS as ICT, RULES
from klems.pipeline.compute import compute
from klems.pipeline.options import EstimateOptions
from klems.sweep import evaluation

_CACHE = {}


def _prepared(request_root):
    if "inputs" not in _CACHE:
        import importlib.util

        spec = importlib.util.spec_from_file_location("_sweep_conftest_p",
                                                      request_root / "tests" / "conftest.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        data, ict_p, nict_p = mod.make_synthetic_inputs(n_industries=5, seed=4)
        _CACHE["inputs"] = (data, ict_p, nict_p,
                            evaluation.prepare(data, ict_p, nict_p, EstimateOptions()))
    return _CACHE["inputs"]


asset_params = st.fixed_dictionaries({
    "depreciation": st.floats(0.05, 0.6), "mean_life": st.floats(1.5, 15.0),
    "beta": st.floats(0.0, 0.95), "sd_ratio": st.floats(0.05, 0.6),
    "max_life_ratio": st.floats(1.0, 2.5)})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(assets=st.fixed_dictionaries({a: asset_params for a in ICT}),
       profile=st.sampled_from(["caict", "bls-mixture", "geometric"]),
       rule=st.sampled_from(RULES), ict_scale=st.floats(0.3, 3.0))
def test_kernel_is_the_plain_estimate(request, assets, profile, rule, ict_scale):
    data, ict_p, nict_p, inputs = _prepared(request.config.rootpath)
    opts = EstimateOptions()
    values = {f"{a}.{k}": np.array([v]) for a, d in assets.items() for k, v in d.items()}
    values |= {"profile": np.array([profile]), "attribution": np.array([rule]),
               "ict_scale": np.array([ict_scale])}
    fast = evaluation.evaluate(inputs, evaluation.draw_arrays(opts, values))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = compute(data, ict_p, nict_p, opts.with_changes(
            assets=assets, profile=profile, attribution=rule, ict_investment_scale=ict_scale))
    assert fast["flags"][0] == 0
    for var in evaluation.OUTPUTS:
        np.testing.assert_allclose(fast[var][0], ref[var].values, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fast["digital_economy"][0], fast["digital_industrialization"][0]
                               + fast["industrial_digitalization"][0], rtol=1e-14)
