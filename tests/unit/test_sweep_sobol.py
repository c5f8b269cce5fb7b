"""The compiled Sobol estimator (klems.sweep._sobol) against its reference, SALib 1.6.

SALib's ``sobol.analyze`` is run column by column on the same Saltelli sample and the same seed
(non-zero: with seed 0 SALib draws its resample indices from numpy's global generator); point
estimates and bootstrap half-widths must agree to rounding.
"""

import numpy as np
import pytest
from SALib.analyze import sobol as salib_sobol

from klems.sweep import designs
from klems.sweep.analysis import province_sobol, sobol_indices
from klems.sweep.parameters import parse_parameter

PARAMS = ["theta=0:1", "di_scale=1:2", "ict_scale=1:2", "nict_depreciation=0.05:0.1"]


def _params():
    return [parse_parameter(p) for p in PARAMS]


def _outputs(values, years=5, seed=3):
    """A nonlinear, year-dependent model of the four parameters (with an interaction)."""
    rng = np.random.default_rng(seed)
    u = np.column_stack([values[p.split("=")[0]] for p in PARAMS])
    w = rng.uniform(0.2, 2.0, size=(years, u.shape[1]))
    return np.column_stack([np.sin(3 * u[:, 0]) * w[t, 0] + u[:, 1] ** 2 * w[t, 1]
                            + u[:, 1] * u[:, 2] * w[t, 2] + 0.1 * u[:, 3] * w[t, 3]
                            for t in range(years)])


@pytest.mark.parametrize("seed", [1, 7, 12345])
@pytest.mark.parametrize("resamples", [10, 100])
def test_same_as_salib(seed, resamples):
    params = _params()
    values, _ = designs.design(params, "sobol", 600 * (len(params) + 2), seed=0)
    y = _outputs(values)
    ours = sobol_indices(y, params, seed=seed, num_resamples=resamples, conf_level=0.9)
    problem = {"num_vars": len(params), "names": [p.name for p in params],
               "bounds": [[0.0, 1.0]] * len(params)}
    for t in range(y.shape[1]):
        ref = salib_sobol.analyze(problem, np.ascontiguousarray(y[:, t]),
                                  calc_second_order=False, num_resamples=resamples,
                                  conf_level=0.9, seed=seed)
        for key in ("S1", "ST", "S1_conf", "ST_conf"):
            np.testing.assert_allclose(ours[key][:, t], ref[key], rtol=1e-9, atol=1e-12,
                                       err_msg=f"{key}, year {t}")


def test_constant_and_missing_years_are_nan_and_others_unchanged():
    params = _params()
    values, _ = designs.design(params, "sobol", 300 * (len(params) + 2), seed=0)
    y = _outputs(values, years=3)
    full = sobol_indices(y, params, seed=5)
    y2 = np.column_stack([y[:, 0], np.full(y.shape[0], 2.5), y[:, 2]])
    y2[4, 2] = np.nan
    res = sobol_indices(y2, params, seed=5)
    np.testing.assert_array_equal(res["S1"][:, 0], full["S1"][:, 0])
    np.testing.assert_array_equal(res["ST_conf"][:, 0], full["ST_conf"][:, 0])
    for key in res:
        assert np.all(np.isnan(res[key][:, 1:])), key


def test_threads_do_not_change_a_number():
    import numba

    params = _params()
    values, _ = designs.design(params, "sobol", 400 * (len(params) + 2), seed=0)
    y = _outputs(values, years=6)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = sobol_indices(y, params, seed=9)
    finally:
        numba.set_num_threads(before)
    every = sobol_indices(y, params, seed=9)
    for key in one:
        np.testing.assert_array_equal(one[key], every[key])


def test_province_sobol_reads_outputs_lazily():
    params = _params()
    values, _ = designs.design(params, "sobol", 200 * (len(params) + 2), seed=0)
    y = _outputs(values, years=2)
    blocks = {"digital_economy": y, "industrial_digitalization": y * 2,
              "share_of_gdp": y + 1}
    asked = []

    def read(var):
        asked.append(var)
        return blocks[var]

    lazy = province_sobol(read, params, seed=2)
    eager = province_sobol(blocks, params, seed=2)
    assert len(asked) == len(set(asked)) == 3
    for key in eager:
        np.testing.assert_array_equal(lazy[key], eager[key])
