"""Sweep parameters, designs, reproducibility, Sobol indices and the output Dataset."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from klems.base.errors import ParameterError
from klems.pipeline.compute import compute
from klems.pipeline.options import EstimateOptions
from klems.sweep import designs, evaluation, parameters, runner
from klems.sweep.analysis import sobol_indices


def _inputs(request):
    """The synthetic inputs of tests/conftest.py (for a module-scoped fixture)."""
    import importlib.util
    from pathlib import Path

    path = Path(request.config.rootpath) / "tests" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_sweep_conftest", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.make_synthetic_inputs()


def test_parse_parameter_forms():
    p = parameters.parse_parameter("hardware.depreciation=0.25:0.40")
    assert (p.name, p.low, p.high, p.categorical, p.coord) == (
        "hardware.depreciation", 0.25, 0.40, False, "hardware_depreciation")
    assert parameters.parse_parameter("comm.mean_life=5:9").name == "communication.mean_life"
    assert parameters.parse_parameter("profile=caict, geometric,caict").levels == ("caict", "geometric")
    assert parameters.parse_parameter("attribution=income-share").levels == ("income-share",)
    assert parameters.parse_parameter("theta=0:1").name == "theta"
    np.testing.assert_allclose(p.values(np.array([0.0, 0.5, 1.0])), [0.25, 0.325, 0.40])
    q = parameters.parse_parameter("profile=caict,bls-mixture,geometric")
    assert list(q.values(np.array([0.0, 0.34, 0.67, 1.0]))) == [
        "caict", "bls-mixture", "geometric", "geometric"]


@pytest.mark.parametrize("text,match", [
    ("hardware.depreciation", r"expected NAME=LO:HI"),
    ("hardware.depreciation=0.3", r"expected a range LO:HI of two numbers"),
    ("hardware.depreciation=0.4:0.3", r"the range needs finite LO < HI, got 0.4:0.3"),
    ("printers.depreciation=0.1:0.2", r"unknown ICT asset 'printers'"),
    ("hardware.life=3:5", r"unknown parameter 'life' of asset hardware"),
    ("hardware.depreciation=0.5:1.2", r"depreciation rate must lie in \[0, 1\), got 1.2"),
    ("software.mean_life=0:4", r"mean service life must be a finite number > 0, got 0.0"),
    ("profile=caict,straight-line", r"unknown profile level\(s\) \['straight-line'\]"),
    ("attribution=", r"unknown attribution level"),
    ("theta=0.5:1.5", r"θ is a share of TFP growth in \[0, 1\]"),
    ("ict_scale=0:2", r"ict_scale must be positive, got 0.0"),
    ("nict_depreciation=-0.1:0.2", r"nict_depreciation must lie in \[0, 1\]"),
    ("lifetime=3:5", r"unknown parameter 'lifetime'; expected ASSET.PARAM"),
])
def test_parse_parameter_errors(text, match):
    with pytest.raises(ParameterError, match=match) as info:
        parameters.parse_parameter(text)
    assert f"--param {text!r}" in str(info.value)


PARAMS = ["hardware.depreciation=0.25:0.40", "software.mean_life=3:7",
          "profile=caict,bls-mixture,geometric"]


def _params(texts=PARAMS):
    return [parameters.parse_parameter(t) for t in texts]


def test_sobol_design_size_and_seed():
    values, info = designs.design(_params(), "sobol", 1000, seed=4)
    assert info["base_sample_size"] == 1000 // 5 and info["draws"] == 200 * 5
    again, _ = designs.design(_params(), "sobol", 1000, seed=4)
    other, _ = designs.design(_params(), "sobol", 1000, seed=5)
    for k in values:
        np.testing.assert_array_equal(values[k], again[k])
    assert not np.array_equal(values["software.mean_life"], other["software.mean_life"])
    assert set(values["profile"]) == {"caict", "bls-mixture", "geometric"}
    assert values["hardware.depreciation"].min() >= 0.25
    assert values["hardware.depreciation"].max() <= 0.40


def test_lhs_design_is_stratified():
    values, info = designs.design(_params(PARAMS[:2]), "lhs", 50, seed=1)
    assert info["draws"] == 50
    u = (values["software.mean_life"] - 3.0) / 4.0
    assert sorted(np.floor(u * 50).astype(int)) == list(range(50))


def test_grid_design_is_the_full_product():
    values, info = designs.design(_params(), "grid", 100, seed=0)
    # 3 profiles × k² <= 100 -> k = 5
    assert info["levels"] == 5 and info["draws"] == 75
    combos = set(zip(values["hardware.depreciation"], values["software.mean_life"],
                     values["profile"]))
    assert len(combos) == 75
    np.testing.assert_allclose(np.unique(values["software.mean_life"]), np.linspace(3, 7, 5))
    values, info = designs.design(_params(), "grid", 10, levels=3)
    assert info["draws"] == 27


@pytest.mark.parametrize("kind,draws,match", [
    ("sobol", 9, r"a Sobol design of 3 parameter\(s\) needs at least 10 draws"),
    ("grid", 11, r"--draws 11 is too few for a grid of 2 range\(s\) × 3 categorical"),
    ("latin", 10, r"unknown design 'latin'; expected one of grid, sobol, lhs"),
])
def test_design_errors(kind, draws, match):
    with pytest.raises(ParameterError, match=match):
        designs.design(_params(), kind, draws)


def test_design_needs_distinct_parameters():
    with pytest.raises(ParameterError, match="nothing to sweep"):
        designs.design([], "sobol", 100)
    with pytest.raises(ParameterError, match=r"parameter\(s\) \['software.mean_life'\] given "
                                             "more than once"):
        designs.design(_params([PARAMS[1], "software.mean_life=4:5"]), "lhs", 10)


def test_sobol_indices_of_a_linear_function():
    """y = 3·u1 + u2 (+ 0·u3) with uniform u: S1 = ST = (0.9, 0.1, 0)."""
    params = _params(["theta=0:1", "di_scale=1:2", "ict_scale=1:2"])
    values, _ = designs.design(params, "sobol", 4096 * 5, seed=0)
    u1 = values["theta"]
    u2 = values["di_scale"] - 1.0
    y = (3 * u1 + u2)[:, None]
    res = sobol_indices(y, params, seed=0)
    np.testing.assert_allclose(res["S1"][:, 0], [0.9, 0.1, 0.0], atol=0.02)
    np.testing.assert_allclose(res["ST"][:, 0], [0.9, 0.1, 0.0], atol=0.02)
    assert np.all(res["S1_conf"][:, 0] < 0.05)
    flat = sobol_indices(np.ones((len(u1), 1)), params)
    assert np.all(np.isnan(flat["S1"]))


@pytest.fixture(scope="module")
def small_sweep(request):
    data, ict_p, nict_p = _inputs(request)
    opts = EstimateOptions()
    inputs = evaluation.prepare(data, ict_p, nict_p, opts, "synthetic")
    params = _params(PARAMS + ["attribution=income-share,contribution-rate"])
    ds = runner.run_sweep(inputs, params, opts, kind="sobol", draws=60, seed=2, chunk_size=7)
    return data, ict_p, nict_p, opts, inputs, params, ds


def test_same_seed_same_results_any_chunking(small_sweep):
    _, _, _, opts, inputs, params, ds = small_sweep
    again = runner.run_sweep(inputs, params, opts, kind="sobol", draws=60, seed=2, chunk_size=1000)
    for var in (*evaluation.OUTPUTS, "theta", "sobol_total"):
        np.testing.assert_array_equal(ds[var].values, again[var].values)
    other = runner.run_sweep(inputs, params, opts, kind="sobol", draws=60, seed=3)
    assert not np.array_equal(ds.digital_economy.values, other.digital_economy.values)


def test_dataset_layout_and_attributes(small_sweep):
    data, ict_p, nict_p, opts, inputs, params, ds = small_sweep
    assert dict(ds.sizes) == {"province": 1, "draw": 60, "year": 21, "quantile": 5,
                              "parameter": 4, "output": 3}
    for p in params:
        assert ds[p.coord].dims == ("draw",)
    for name in ds.variables:
        if name in ds.dims:
            continue
        attrs = ds[name].attrs
        is_flag = "flag_masks" in attrs or "flag_values" in attrs   # CF flags: no units
        for key in ("long_name", "long_name_zh") if is_flag else ("units", "long_name",
                                                                    "long_name_zh"):
            assert key in attrs, (name, key)
        if is_flag:
            assert "flag_meanings" in attrs and "units" not in attrs
    de = ds.digital_economy.sel(province="synthetic")
    np.testing.assert_allclose(de, ds.digital_industrialization.sel(province="synthetic")
                               + ds.industrial_digitalization.sel(province="synthetic"))
    q = ds.digital_economy_quantile.sel(province="synthetic")
    assert (q.diff("quantile") >= 0).all()
    np.testing.assert_allclose(q.sel(quantile=0.5), de.median("draw"))
    # the draw's parameters are those on its coordinates: check one draw against compute
    i = 17
    assets = {"hardware": {"depreciation": float(ds.hardware_depreciation[i])},
              "software": {"mean_life": float(ds.software_mean_life[i])}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = compute(data, ict_p, nict_p, opts.with_changes(
            assets=assets, profile=str(ds.profile.values[i]),
            attribution=str(ds.attribution.values[i])))
    np.testing.assert_allclose(de.isel(draw=i), ref.digital_economy, rtol=1e-10)
    np.testing.assert_allclose(ds.digital_economy_base.sel(province="synthetic"),
                               inputs.base["digital_economy"])


def test_tornado_is_one_at_a_time_around_the_fixed_options(small_sweep):
    data, ict_p, nict_p, opts, inputs, params, ds = small_sweep
    year = int(ds.year[-1])
    sel = ds.sel(province="synthetic")
    assert float(sel.tornado_base) == pytest.approx(inputs.base["digital_economy"][-1], rel=1e-10)
    j = list(ds.parameter.values).index("software.mean_life")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ends = [float(compute(data, ict_p, nict_p, opts.with_changes(
            assets={"software": {"mean_life": life}})).digital_economy.sel(year=year))
            for life in (3.0, 7.0)]
    assert float(sel.tornado_low[j]) == pytest.approx(min(ends), rel=1e-10)
    assert float(sel.tornado_high[j]) == pytest.approx(max(ends), rel=1e-10)
    assert {str(sel.tornado_low_setting.values[j]), str(sel.tornado_high_setting.values[j])} == {
        "3", "7"}


def test_report_years_restrict_the_output(small_sweep):
    _, _, _, opts, inputs, params, _ = small_sweep
    ds = runner.run_sweep(inputs, params[:1], opts, kind="lhs", draws=5, report_years="2005-2010")
    assert ds.year.values.tolist() == list(range(2005, 2011))
    assert ds.tornado_base.attrs["year"] == 2010
    with pytest.raises(ParameterError, match=r"years 2030 are outside the sweep's years "
                                             r"2001-2021; the data end in 2021: to add a year, "
                                             r"fill in a yearbook sheet \(klems yearbook "):
        runner.run_sweep(inputs, params[:1], opts, kind="lhs", draws=5, report_years="2030")


def test_chunk_size_must_be_positive():
    with pytest.raises(ParameterError, match="chunk size must be >= 1, got 0"):
        evaluation.chunks(10, 0)
