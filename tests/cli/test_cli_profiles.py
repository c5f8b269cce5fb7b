"""``klems profiles``: the foundation's main job, and the CLI's error contract."""

from __future__ import annotations

import subprocess

import pytest

from klems.cli import main


def test_profiles_prints_weights_and_example_stock(capsys):
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    assert "Weights g(x) by age" in out
    assert "0.9615" in out          # hardware g(1) under caict = 5/5.2
    lines = [ln for ln in out.splitlines() if ln.startswith("caict ")]
    assert lines and lines[-1].split()[1] == "401.36"   # 100 · Σ_{x<10} g(x), hardware


def test_bad_argument_exits_2_without_traceback(klems_command):
    proc = subprocess.run([*klems_command, "profiles", "--years", "0"], capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert "klems profiles: error: argument --years: must be a whole number in [1, 200], got '0'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: klems" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--version"]])
def test_version(argv, capsys):
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("klems ")
