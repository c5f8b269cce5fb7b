"""Command-line conventions every command follows: defaults in the help, --quiet/--verbose,
the command's own usage on a misspelt option, --config files (the command line overrides
them), and every run recorded so that ``klems rerun`` repeats it bit for bit."""

from __future__ import annotations

import argparse
import tomllib

import pytest

from klems import cli
from klems.cli.rerun import compare_files

LEAVES = [" ".join(path) for path, _ in cli._leaves(cli.build_parser())]


def test_every_option_has_help_and_its_default():
    parser = cli.build_parser()
    for path, p in cli._leaves(parser):
        for a in p._actions:
            if not a.option_strings or isinstance(a, (argparse._HelpAction,
                                                      argparse._VersionAction)):
                continue
            assert a.help, (path, a.option_strings)
            text = p.formatter_class(prog="x")._get_help_string(a)
            flag = isinstance(a, (argparse._StoreTrueAction, argparse._StoreFalseAction))
            if not (flag or a.required):
                assert "default" in text.lower(), (path, a.option_strings, text)


@pytest.mark.parametrize("command", LEAVES)
def test_quiet_verbose_config_on_every_command(command):
    parser = cli.build_parser()
    leaf = cli._leaf(parser, command.split())
    options = {s for a in leaf._actions for s in a.option_strings}
    assert {"--quiet", "--verbose", "--config"} <= options, command


@pytest.mark.parametrize("command", LEAVES)
def test_misspelt_option_shows_the_commands_usage(command, capsys):
    assert cli.main([*command.split(), "--provnce=x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: klems {command} ")
    assert f"\nklems {command}: error: " in err and "Traceback" not in err


def test_config_file_and_command_line_override(tmp_path, capsys):
    cfg = tmp_path / "run.toml"
    cfg.write_text('province = "hunan"\nyears = "2021"\nict_scale = 1.5\nformat = "csv"\n'
                   'set = ["hardware.beta=0.7"]\n', encoding="utf-8")
    assert cli.main(["estimate", "--config", str(cfg), "--province", "hainan", "--quiet",
                     "--out", str(tmp_path / "o")]) == 0
    assert "海南" in capsys.readouterr().out
    rec = tomllib.loads((tmp_path / "o" / "hainan_estimate.run.toml").read_text())
    assert rec["province"] == "hainan" and rec["ict-scale"] == 1.5 and rec["years"] == "2021"
    assert rec["set"] == ["hardware.beta=0.7"] and rec["format"] == "csv"
    assert rec["run"]["command"] == "estimate"
    assert sorted(rec["run"]["outputs"]) == sorted(
        p.name for p in (tmp_path / "o").iterdir() if not p.name.endswith(".run.toml"))
    # a list option on the command line replaces the file's list
    assert cli.main(["estimate", "--config", str(cfg), "--set", "software.beta=0.6",
                     "--quiet", "--out", str(tmp_path / "p")]) == 0
    rec = tomllib.loads((tmp_path / "p" / "hunan_estimate.run.toml").read_text())
    assert rec["set"] == ["software.beta=0.6"]


def test_rerun_is_bit_for_bit(tmp_path, capsys):
    """A run from a configuration file, then ``klems rerun --check`` on its record."""
    cfg = tmp_path / "run.toml"
    cfg.write_text('province = "guangxi"\nyears = "2019-2021"\nattribution = '
                   '"contribution-plus-tfp"\nset = ["software.mean_life=6"]\nformat = '
                   '"xlsx,csv,nc,png"\n', encoding="utf-8")
    out = tmp_path / "o"
    assert cli.main(["estimate", "--config", str(cfg), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    record = out / "guangxi_estimate.run.toml"
    assert cli.main(["rerun", str(record), "--check", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "9 of 9 files identical bit for bit" in text, text
    # the NetCDF file alone is enough to find the record
    assert cli.main(["rerun", str(out / "guangxi_estimate.nc"), "--check", "--quiet"]) == 0
    assert "9 of 9 files identical" in capsys.readouterr().out
    # a changed input is refused, a changed output is reported
    (out / "guangxi_estimate_summary.csv").write_text("tampered")
    assert cli.main(["rerun", str(record), "--check", "--quiet"]) == 1
    assert "DIFFERENT  guangxi_estimate_summary.csv" in capsys.readouterr().out


def test_rerun_of_a_sweep(tmp_path, capsys):
    out = tmp_path / "s.nc"
    assert cli.main(["sweep", "--param", "hardware.beta=0.5:0.8", "--param",
                     "profile=caict,geometric", "--draws", "16", "--seed", "4", "--quiet",
                     "--out", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["rerun", str(out), "--check", "--quiet"]) == 0
    assert "3 of 3 files identical bit for bit" in capsys.readouterr().out


def test_rerun_refuses_a_changed_input(user_input, tmp_path, capsys):
    import shutil

    src = tmp_path / "in"
    shutil.copytree(user_input[0], src)
    out = tmp_path / "o"
    assert cli.main(["estimate", "--input", str(src), "--format", "csv", "--quiet", "--out",
                     str(out)]) == 0
    capsys.readouterr()
    with open(src / "totals.csv", "ab") as fh:
        fh.write(b"\r\n")
    assert cli.main(["rerun", str(out / "guangxi_estimate.run.toml"), "--check"]) == 2
    assert "has changed since the run" in capsys.readouterr().err


def test_compare_detects_one_bit(tmp_path):
    import numpy as np
    import xarray as xr

    a, b = tmp_path / "a.nc", tmp_path / "b.nc"
    x = np.linspace(0, 1, 5)
    xr.Dataset({"v": ("i", x)}, attrs={"created": "1"}).to_netcdf(a)
    y = x.copy()
    y[2] = np.nextafter(y[2], 2)
    xr.Dataset({"v": ("i", y)}, attrs={"created": "2"}).to_netcdf(b)
    same, how = compare_files(a, b)
    assert not same and "values of v differ" in how
    xr.Dataset({"v": ("i", x)}, attrs={"created": "2"}).to_netcdf(b)
    assert compare_files(a, b)[0]


def test_verbose_and_quiet(tmp_path, capsys):
    assert cli.main(["estimate", "--years", "2021", "--verbose"]) == 0
    assert "estimated 1 province(s) in" in capsys.readouterr().err
    assert cli.main(["estimate", "--years", "2021", "--quiet", "--format", "csv", "--out",
                     str(tmp_path)]) == 0
    cap = capsys.readouterr()
    assert cap.err == "" and "写出文件" not in cap.out
