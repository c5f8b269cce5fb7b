"""``klems sweep``: files, progress bar, summary, and the error contract (exit 2, no files)."""

from __future__ import annotations

import numpy as np
import pytest

from klems import cli
from klems.outputs.netcdf import read_netcdf


@pytest.fixture(autouse=True)
def sweep_registered(monkeypatch):
    """Register the command for these tests whether or not klems.cli lists it yet."""
    monkeypatch.setitem(cli.COMMANDS, "sweep", "klems.cli.sweep")


ARGS = ["sweep", "--province", "guangxi", "--param", "hardware.depreciation=0.25:0.40",
        "--param", "software.mean_life=3:7", "--param", "profile=caict,geometric",
        "--design", "sobol", "--draws", "40", "--seed", "3", "--chunk-size", "16"]


def test_sweep_writes_netcdf_and_charts(tmp_path, capsys):
    out = tmp_path / "res" / "sweep.nc"
    assert cli.main([*ARGS, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "draws/s" in captured.err
    assert "ETA" not in captured.err and "\r" not in captured.err   # no bar off a terminal
    assert "guangxi" in captured.out and "最重要的假设" in captured.out
    names = sorted(p.name for p in out.parent.iterdir())
    assert names == ["sweep.nc", "sweep.run.toml", "sweep_fan.png", "sweep_tornado.png"]
    for png in ("sweep_fan.png", "sweep_tornado.png"):
        assert (out.parent / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with read_netcdf(out) as ds:
        assert ds.sizes["draw"] == 40 and ds.attrs["design"] == "sobol"
        assert ds.hardware_depreciation.dims == ("draw",)
        assert set(np.unique(ds.profile.values)) == {"caict", "geometric"}
        assert ds.sobol_total.dims == ("province", "output", "parameter", "year")
        assert ds.attrs["command"].startswith("klems ")
        assert ds.digital_economy.attrs["long_name_zh"] == "数字经济规模"


def test_same_seed_same_file_contents(tmp_path):
    a, b = tmp_path / "a.nc", tmp_path / "b.nc"
    for path in (a, b):
        assert cli.main([*ARGS, "--quiet", "--no-charts", "--out", str(path)]) == 0
    with read_netcdf(a) as x, read_netcdf(b) as y:
        for var in ("digital_economy", "share_of_gdp", "sobol_first", "hardware_depreciation"):
            np.testing.assert_array_equal(x[var].values, y[var].values)


def test_several_provinces_and_english_labels(tmp_path, capsys):
    out = tmp_path / "two.nc"
    argv = ["sweep", "--province", "guangxi,北京", "--param", "software.beta=0.5:0.9",
            "--design", "lhs", "--draws", "6", "--lang", "en", "--quiet", "--out", str(out)]
    assert cli.main(argv) == 0
    assert "most important assumption" in capsys.readouterr().out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["two.nc", "two.run.toml", "two_beijing_fan.png", "two_beijing_tornado.png",
                     "two_guangxi_fan.png", "two_guangxi_tornado.png", "two_provinces.png"]


@pytest.mark.parametrize("extra,match", [
    (["--param", "hardware.depreciation=0.4:0.3"], r"the range needs finite LO < HI"),
    (["--param", "hardware.depreciation=0.2:0.3", "--out", "x.csv"],
     r"--out 'x.csv': expected a NetCDF file name ending in .nc"),
    (["--param", "hardware.depreciation=0.2:0.3", "--province", "atlantis"], r"atlantis"),
    (["--param", "hardware.depreciation=0.2:0.3", "--workers", "0"],
     r"argument --workers: must be a whole number in \[1, 1024\], got '0'"),
    (["--param", "hardware.depreciation=0.2:0.3", "--draws", "2"],
     r"a Sobol design of 1 parameter\(s\) needs at least 6 draws"),
    ([], r"nothing to sweep: give at least one --param"),
])
def test_errors_exit_2_and_write_nothing(tmp_path, capsys, extra, match):
    import re

    argv = ["sweep", "--quiet", *extra]
    if "--out" not in extra:
        argv += ["--out", str(tmp_path / "s.nc")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "klems sweep: error: " in err and re.search(match, err), err
    assert len([line for line in err.splitlines() if "error:" in line]) == 1
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_failing_chart_leaves_no_partial_file(tmp_path, monkeypatch):
    from klems.sweep import charts as sweep_charts

    def broken(*args, **kwargs):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(sweep_charts, "fan_chart", broken)
    with pytest.raises(RuntimeError, match="chart failed"):
        cli.main([*ARGS, "--quiet", "--out", str(tmp_path / "s.nc")])
    assert list(tmp_path.iterdir()) == []
