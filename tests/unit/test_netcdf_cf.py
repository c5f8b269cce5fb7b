"""Every NetCDF file the project writes follows CF-1.10: the IOOS compliance checker's CF-1.10
suite (``compliance-checker``, which checks units with UDUNITS through ``cf-units``) passes on
the estimate's and the sweep's files with every check scored, and the files read back."""

from __future__ import annotations

import json
import re
import warnings

import netCDF4
import numpy as np
import pytest

from klems.outputs.netcdf import read_netcdf, write_netcdf
from klems.pipeline.estimation import estimate
from klems.pipeline.options import EstimateOptions
from klems.sweep.parameters import parse_parameter
from klems.sweep.runner import run_sweep

pytest.importorskip("compliance_checker")


def cf_check(path, tmp_path) -> dict:
    """Run the CF-1.10 suite in strict mode; return the JSON report of the file."""
    from compliance_checker.runner import CheckSuite, ComplianceChecker

    CheckSuite.load_all_available_checkers()
    report = tmp_path / f"{path.stem}_cf.json"
    ok, errors = ComplianceChecker.run_checker(
        str(path), ["cf:1.10"], verbose=1, criteria="strict", output_filename=str(report),
        output_format="json")
    result = json.loads(report.read_text())["cf:1.10"]
    problems = [m for group in ("high_priorities", "medium_priorities", "low_priorities")
                for item in result.get(group, []) for m in item.get("msgs", [])]
    assert not errors, errors
    assert problems == [], problems
    assert result["scored_points"] == result["possible_points"]
    assert ok
    return result


@pytest.fixture(scope="module")
def estimate_file(tmp_path_factory):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = estimate("guangxi")
    path = tmp_path_factory.mktemp("cf") / "guangxi_estimate.nc"
    write_netcdf(result, path)
    return path, result, [str(w.message) for w in caught]


def test_estimate_file_passes_the_cf_checker(estimate_file, tmp_path):
    path, _, _ = estimate_file
    result = cf_check(path, tmp_path)
    assert result["possible_points"] > 50


def test_estimate_file_attributes(estimate_file):
    path, result, _ = estimate_file
    with netCDF4.Dataset(path) as nc:
        for name in ("Conventions", "title", "history", "source", "institution",
                     "references"):
            assert nc.getncattr(name), name
        assert nc.Conventions == "CF-1.10"
        assert "klems estimate" in nc.history or "Python interface" in nc.history
        va = nc["value_added"]
        assert va.units == "1e8" and va.units_label == "1e8 CNY" and va.currency == "CNY"
        assert nc["tfp"].units == "1" and nc["tfp"].units_label == "log change"
        # text-labelled dimensions: numeric CF layout, labels as auxiliary coordinates
        assert "industry" not in nc.variables
        assert nc["industry_label"].dimensions[0] == "industry"
        assert nc["year"].long_name == "calendar year"
        assert nc["time"].standard_name == "time" and nc["time"].axis == "T"
        # the fallback mask: numeric flags, neither value added's units nor its names
        fb = nc["fallback"]
        assert fb.dtype == np.int8
        assert list(fb.flag_values) == [0, 1] and fb.flag_values.dtype == np.int8
        assert len(fb.flag_meanings.split()) == 2
        assert "units" not in fb.ncattrs()
        assert "增加值" not in fb.long_name_zh and "value added" not in fb.long_name
        # compression on every numeric variable
        for name in ("value_added", "id_industry", "digital_economy", "fallback"):
            assert nc[name].filters()["zlib"] and nc[name].filters()["complevel"] == 4


def test_estimate_file_reads_back(estimate_file):
    path, result, _ = estimate_file
    with read_netcdf(path) as back:
        for name in ("digital_economy", "id_industry", "fallback", "ict_stock"):
            a = result[name].transpose(*back[name].dims)
            np.testing.assert_array_equal(back[name].values, a.values)
        assert back.industry.values.tolist() == result.industry.values.tolist()
        assert float(back.id_industry.sel(industry="078", rule="income-share",
                                          year=2020)) == \
            float(result.id_industry.sel(industry="078", rule="income-share", year=2020))


def test_clipped_user_costs_agrees_with_the_warning(estimate_file):
    """The count in the NetCDF is the count the warning prints (not the number of warnings)."""
    path, result, messages = estimate_file
    text = result.attrs["warnings"]
    match = re.search(r"(\d+) negative user cost\(s\) set to zero", text)
    assert match, text
    assert result.attrs["clipped_user_costs"] == int(match.group(1)) > 2
    assert "{" not in text and "}" not in text        # no raw dicts
    with netCDF4.Dataset(path) as nc:
        assert nc.clipped_user_costs == int(match.group(1))
    # the sweep counts the same clipped user costs for a draw with the fixed options
    from klems.sweep.evaluation import draw_arrays, evaluate, prepare_province

    opts = EstimateOptions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = evaluate(prepare_province("guangxi", opts), draw_arrays(opts, {}, 1))
    assert int(out["clipped_user_costs"][0]) == int(match.group(1))


def test_sweep_file_passes_the_cf_checker(tmp_path):
    params = [parse_parameter("hardware.depreciation=0.25:0.40"),
              parse_parameter("profile=caict,geometric")]
    path = tmp_path / "sweep.nc"
    ds = run_sweep("guangxi", params, EstimateOptions(), kind="sobol", draws=16, seed=1,
                   report_years="2019-2021", path=path)
    ds.close()
    cf_check(path, tmp_path)
    with netCDF4.Dataset(path) as nc:
        assert nc.Conventions == "CF-1.10" and nc.title.startswith("Sensitivity")
        flags = nc["flags"]
        assert flags.flag_masks.dtype.kind == "i" and list(flags.flag_masks) == [1, 2, 4, 8]
        assert len(flags.flag_meanings.split()) == 4
        assert nc["digital_economy"].units == "1e8"
        assert nc["digital_economy"].filters()["zlib"]
    with read_netcdf(path) as back:
        assert back.province.values.tolist() == ["guangxi"]
        assert back.sizes["draw"] == 16
        assert np.isfinite(back.digital_economy.sel(province="guangxi").values).all()
