"""The sweep's compiled loop against ``compute``: the same numbers, bit for bit.

The sweep runs the estimate's own compiled stages per draw (weights and pre-sample terms from
``capital_stock``, the PIM block, user costs, Törnqvist, attribution, totals), so every result
must equal :func:`klems.pipeline.compute.compute` exactly; the one exception is θ estimated by
OLS, which statsmodels computes in ``compute`` and the closed-form twin in the sweep (equal to
about 1e-12).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import capital_stock as cs
from klems.base.errors import ParameterError
from klems.base.vocabulary import ICT_ASSETS as ICT, RULES
from klems.pipeline.compute import compute
from klems.pipeline.options import EstimateOptions
from klems.sweep import _kernels as kern, designs, evaluation, parameters

PROFILES = tuple(evaluation.PROFILE_CODES)


def _compute(data, ict_p, nict_p, opts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute(data, ict_p, nict_p, opts)


def _random_assets(rng):
    return {a: {"depreciation": rng.uniform(0.15, 0.4), "mean_life": rng.uniform(3, 9),
                "beta": rng.uniform(0.4, 0.95), "sd_ratio": rng.uniform(0.1, 0.4),
                "truncation_sd": rng.uniform(1.0, 3.0), "max_life_ratio": rng.uniform(1.1, 2.0)}
            for a in ICT}


def _values(assets, **extra):
    out = {f"{a}.{k}": np.array([v]) for a, d in assets.items() for k, v in d.items()}
    return out | {k: np.array([v]) for k, v in extra.items()}


def _assert_same(fast, ref, i=0):
    """Identical, unless θ was estimated by OLS and enters the rule (statsmodels vs twin)."""
    ols = ref.attrs["theta_source"] == "estimated (OLS)" and ref.attrs["attribution"] in \
        ("contribution-plus-tfp", "cumulative")
    for var in evaluation.OUTPUTS:
        if ols:
            np.testing.assert_allclose(fast[var][i], ref[var].values, rtol=1e-10, atol=1e-9,
                                       err_msg=var)
        else:
            np.testing.assert_array_equal(fast[var][i], ref[var].values, err_msg=var)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("timing", ["end-of-year", "mid-year"])
def test_weight_table_of_many_draws_equals_efficiency_weights(profile, timing):
    """The sweep's weights (one call for many parameter sets) are the estimate's, bit for bit."""
    rng = np.random.default_rng(7)
    specs = [cs.AssetSpec("x", mean_life=rng.uniform(2, 12), depreciation=rng.uniform(0.05, 0.5),
                          beta=rng.uniform(0, 0.95), profile=profile,
                          sd_ratio=rng.uniform(0.05, 0.5), truncation_sd=rng.uniform(0.5, 3),
                          max_life_ratio=rng.uniform(1.0, 2.5), timing=timing)
             for _ in range(20)]
    n = max(cs.profiles.default_n_ages(s) for s in specs) + 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = cs.profiles.weight_table(profile, cs.profiles.ProfileParameters.from_specs(specs),
                                         n, 0.5 if timing == "mid-year" else 0.0)
        for row, spec in zip(table, specs):
            np.testing.assert_array_equal(row, cs.efficiency_weights(spec, n))


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("rule", RULES)
def test_fast_path_equals_compute_for_random_draws(synthetic_inputs, profile, rule):
    """Every profile × rule, random asset parameters, on the synthetic inputs."""
    data, ict_p, nict_p = synthetic_inputs
    rng = np.random.default_rng(abs(hash((profile, rule))) % 2**32)
    base_opts = EstimateOptions(profile=profile, attribution=rule)
    inputs = evaluation.prepare(data, ict_p, nict_p, base_opts)
    for _ in range(2):
        assets = _random_assets(rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fast = evaluation.evaluate(inputs, evaluation.draw_arrays(base_opts, _values(assets)))
        ref = _compute(data, ict_p, nict_p, base_opts.with_changes(assets=assets))
        _assert_same(fast, ref)
        assert fast["flags"][0] == 0
        assert fast["theta"][0] == pytest.approx(ref.attrs["theta"], rel=1e-9, abs=1e-12)


CASES = [  # (presample, profile, rule, other fixed options): every presample, profile and rule
    ("geometric", "caict", "contribution-plus-tfp", {"timing": "mid-year"}),
    ("backcast", "bls-mixture", "contribution-rate", {"base_year": "t0"}),
    ("none", "geometric", "income-share", {"growth_scope": "industry"}),
    ("backcast", "geometric", "contribution-plus-tfp", {"net_taxes": "capital"}),
    ("geometric", "bls-mixture", "contribution-rate", {"window": 1, "min_growth": 0.05}),
    ("none", "caict", "contribution-plus-tfp", {"theta": 0.4}),
    ("backcast", "caict", "income-share", {"growth_method": "regression",
                                           "growth_scope": "industry"}),
    ("geometric", "caict-printed", "contribution-rate", {"timing": "mid-year"}),
    ("geometric", "caict", "cumulative", {"cumulative_basis": "gross-output",
                                          "cumulative_base_year": 2005}),
    ("backcast", "bls-mixture", "cumulative", {"theta": "province",
                                               "cumulative_negative": "floor"}),
    ("none", "geometric", "cumulative", {"theta": 0.3, "cumulative_base_year": 2003}),
    ("geometric", "caict", "contribution-plus-tfp", {"theta": "province"}),
    ("geometric", "caict", "cumulative", {"sector_theta": {"primary": 0.1, "tertiary": 0.8}}),
    ("none", "caict", "contribution-plus-tfp", {"sector_theta": {"secondary": 0.2},
                                                "theta": "province"}),
]


@pytest.mark.parametrize("presample,profile,rule,fixed", CASES)
def test_fast_path_equals_compute_under_fixed_options(synthetic_inputs, presample, profile, rule,
                                                      fixed):
    data, ict_p, nict_p = synthetic_inputs
    rng = np.random.default_rng(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opts = EstimateOptions(presample=presample, profile=profile, attribution=rule, **fixed)
        inputs = evaluation.prepare(data, ict_p, nict_p, opts)
        assets = _random_assets(rng)
        fast = evaluation.evaluate(inputs, evaluation.draw_arrays(opts, _values(assets)))
    _assert_same(fast, _compute(data, ict_p, nict_p, opts.with_changes(assets=assets)))


def test_global_parameters_equal_compute(synthetic_inputs):
    data, ict_p, nict_p = synthetic_inputs
    opts = EstimateOptions(attribution="contribution-plus-tfp")
    inputs = evaluation.prepare(data, ict_p, nict_p, opts)
    for ict_scale, di_scale, theta, nict_dep in ((1.3, 0.7, 0.25, 0.08), (0.6, 2.5, 0.9, 0.12)):
        vals = {"ict_scale": np.array([ict_scale]), "di_scale": np.array([di_scale]),
                "theta": np.array([theta]), "nict_depreciation": np.array([nict_dep])}
        fast = evaluation.evaluate(inputs, evaluation.draw_arrays(opts, vals))
        ref = _compute(data, ict_p, nict_p, opts.with_changes(
            ict_investment_scale=ict_scale, di_scale=di_scale, theta=theta,
            nict_depreciation=nict_dep))
        _assert_same(fast, ref)


def test_draws_in_one_chunk_equal_draws_one_by_one(synthetic_inputs):
    """No state leaks between the draws of a chunk."""
    data, ict_p, nict_p = synthetic_inputs
    opts = EstimateOptions()
    params = [parameters.parse_parameter(t) for t in (
        "hardware.mean_life=2:9", "software.depreciation=0.1:0.5", "profile=caict,bls-mixture,"
        "geometric", "attribution=income-share,contribution-rate,contribution-plus-tfp")]
    values, _ = designs.design(params, "lhs", 24, seed=5)
    draws = evaluation.draw_arrays(opts, values)
    inputs = evaluation.prepare(data, ict_p, nict_p, opts)
    together = evaluation.evaluate(inputs, draws)
    for i in range(24):
        alone = evaluation.evaluate(inputs, evaluation.take(draws, slice(i, i + 1)))
        for var in (*evaluation.OUTPUTS, "theta"):
            np.testing.assert_array_equal(together[var][i], alone[var][0])


def test_one_thread_and_every_core_give_the_same_numbers(synthetic_inputs):
    """Draws run in parallel blocks; the number of threads never changes a number."""
    import numba

    data, ict_p, nict_p = synthetic_inputs
    opts = EstimateOptions()
    params = [parameters.parse_parameter(t) for t in (
        "hardware.mean_life=2:9", "communication.beta=0.5:0.9", "profile=caict,bls-mixture,"
        "geometric", "attribution=income-share,contribution-rate,contribution-plus-tfp,"
        "cumulative")]
    values, _ = designs.design(params, "lhs", 64, seed=11)
    draws = evaluation.draw_arrays(opts, values)
    inputs = evaluation.prepare(data, ict_p, nict_p, opts)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = evaluation.evaluate(inputs, draws)
    finally:
        numba.set_num_threads(before)
    every = evaluation.evaluate(inputs, draws)
    for var in (*evaluation.OUTPUTS, "theta", "flags", "clipped_user_costs"):
        np.testing.assert_array_equal(one[var], every[var], err_msg=var)


def test_guangxi_draws_equal_compute():
    """The real bundled dataset (139 industries): random draws of every profile and rule."""
    from klems.pipeline.estimation import prepare_inputs

    opts = EstimateOptions()
    _, data, ict_p, nict_p = prepare_inputs("guangxi", opts)
    inputs = evaluation.prepare(data, ict_p, nict_p, opts, "guangxi")
    rng = np.random.default_rng(11)
    for profile, rule in zip(("caict", "bls-mixture", "geometric", "caict"), RULES):
        assets = {"hardware": {"depreciation": rng.uniform(0.25, 0.4)},
                  "software": {"mean_life": rng.uniform(3, 7)},
                  "communication": {"beta": rng.uniform(0.5, 0.9)}}
        vals = _values(assets) | {"profile": np.array([profile]),
                                  "attribution": np.array([rule])}
        fast = evaluation.evaluate(inputs, evaluation.draw_arrays(opts, vals))
        ref = _compute(data, ict_p, nict_p, opts.with_changes(assets=assets, profile=profile,
                                                              attribution=rule))
        _assert_same(fast, ref)


def test_draw_where_compute_raises_is_flagged(synthetic_inputs):
    """Falling investment with a small δ: g + δ <= 0; compute raises, the kernel flags it."""
    data, ict_p, nict_p = synthetic_inputs
    years = np.arange(data.sizes["year"])
    data = data.assign(ict_investment=data.ict_investment.isel(year=0)
                       * 0.8 ** data.year.copy(data=years))
    opts = EstimateOptions()
    inputs = evaluation.prepare(data, ict_p, nict_p, opts)
    vals = {"hardware.depreciation": np.array([0.05, 0.35])}
    res = evaluation.evaluate(inputs, evaluation.draw_arrays(opts, vals))
    assert res["flags"][0] & kern.FLAG_BASE and res["flags"][1] == 0
    msg = evaluation.flagged_draws(res, "synthetic", vals)
    assert "1 draw(s) cannot be estimated" in msg and "hardware.depreciation=0.05" in msg
    assert "g + δ <= 0" in msg
    with pytest.raises(ParameterError, match=r"g \+ δ"):
        compute(data, ict_p, nict_p, opts.with_changes(assets={"hardware": {"depreciation":
                                                                            0.05}}))


FREEZE_CASES = [  # issue 16: freeze_through — every presample, growth scope and rule
    ("geometric", "caict", "contribution-plus-tfp", {"freeze_through": 2015}),
    ("backcast", "bls-mixture", "contribution-rate", {"freeze_through": 2010,
                                                      "growth_scope": "industry"}),
    ("none", "geometric", "contribution-plus-tfp", {"freeze_through": 2019,
                                                    "smooth_gains": 5}),
    ("geometric", "caict", "income-share", {"freeze_through": 2003,
                                            "growth_method": "regression"}),
    ("backcast", "caict", "contribution-plus-tfp", {"freeze_through": "data"}),
]


@pytest.mark.parametrize("presample,profile,rule,fixed", FREEZE_CASES)
def test_fast_path_equals_compute_with_freeze_through(synthetic_inputs, presample, profile,
                                                      rule, fixed):
    """The sweep honours freeze_through as compute does (g, θ's sample, the smoothed gains);
    ``"data"`` takes the year recorded in the data's attributes (here 2012)."""
    data, ict_p, nict_p = synthetic_inputs
    rng = np.random.default_rng(9)
    # uneven investment growth and price changes, so that the frozen quantities differ
    data = data.assign(ict_investment=data.ict_investment
                       * rng.uniform(0.7, 1.3, data.ict_investment.shape))
    data = data.assign_attrs(freeze_through=2012)
    ict_p = ict_p * rng.uniform(0.95, 1.05, ict_p.shape)
    nict_p = nict_p * rng.uniform(0.97, 1.03, nict_p.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opts = EstimateOptions(presample=presample, profile=profile, attribution=rule, **fixed)
        inputs = evaluation.prepare(data, ict_p, nict_p, opts)
        assets = _random_assets(rng)
        fast = evaluation.evaluate(inputs, evaluation.draw_arrays(opts, _values(assets)))
    ref = _compute(data, ict_p, nict_p, opts.with_changes(assets=assets))
    expected = 2012 if fixed["freeze_through"] == "data" else fixed["freeze_through"]
    assert ref.attrs["freeze_through"] == expected
    _assert_same(fast, ref)
    assert fast["theta"][0] == pytest.approx(ref.attrs["theta"], rel=1e-9, abs=1e-12)
    # and the freeze changes the numbers (the test can fail)
    free = _compute(data, ict_p, nict_p, opts.with_changes(assets=assets, freeze_through="none"))
    assert not np.array_equal(free["digital_economy"].values, ref["digital_economy"].values)
