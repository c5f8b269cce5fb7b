"""``klems profiles``: the conventions side by side (caict, bls-mixture, geometric, ons-1, ons-2)
and the gross, net and productive stocks and CFC of the example investment."""

from __future__ import annotations

import subprocess

from klems.cli import main


def test_default_shows_ons_combinations_beside_the_project_conventions(capsys):
    """Hardware, age 0: caict 1, ons-1 0.955724 and ons-2 0.967742 (pimir's cohort profiles,
    the reference values of issue 19), printed to 4 decimals."""
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    header = next(ln for ln in out.splitlines() if "ons-1" in ln and "caict" in ln)
    assert header.split() == ["caict", "bls-mixture", "geometric", "ons-1", "ons-2"]
    age0 = next(ln for ln in out.splitlines() if ln.startswith("0 "))
    values = age0.split()[1:]
    assert values[0] == "1.0000" and values[9] == "0.9557" and values[12] == "0.9677"
    assert "Gross, net and productive stock and consumption of fixed capital" in out
    gross = next(ln for ln in out.splitlines() if ln.startswith("hardware") and "gross" in ln)
    assert gross.split()[2:] == ["450.00"] * 5          # 100 · Σ S(a) = 100 · 4.5
    cfc = [ln for ln in out.splitlines() if ln.strip().startswith("cfc")][0]
    assert cfc.split()[1] == "100.00"                   # steady state: CFC = investment


def test_distributions_and_weights(capsys):
    assert main(["profiles", "--convention", "ons-2", "--distribution", "normal",
                 "--distribution", "weibull", "--distribution", "none", "--weights",
                 "gross"]) == 0
    out = capsys.readouterr().out
    assert "survival (gross stock)" in out
    assert "ons-2/normal" in out and "ons-2/weibull" in out and "ons-2/none" in out
    age3 = next(ln for ln in out.splitlines() if ln.startswith("3 "))
    assert age3.split()[1] == "0.8576"                  # S(3) of hardware, normal
    assert float(age3.split()[7]) == 1.0                # none: every asset lives until Max


def test_bad_discount_rate_exits_2(klems_command):
    proc = subprocess.run([*klems_command, "profiles", "--discount-rate", "-2"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "argument --discount-rate: must be a finite number in (-1, 1], got '-2'" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_printed_formula_alone_and_mid_year(capsys):
    """The printed formula has no stocks (it is not a profile); mid-year timing runs for all."""
    assert main(["profiles", "--profile", "caict-printed"]) == 0
    out = capsys.readouterr().out
    assert "caict-printed" in out and "consumption of fixed capital" not in out
    assert main(["profiles", "--timing", "mid-year", "--weights", "net"]) == 0
    out = capsys.readouterr().out
    age0 = next(ln for ln in out.splitlines() if ln.startswith("0 "))
    assert age0.split()[7] == "0.8295"                  # geometric hardware: (1 − 0.3119)^0.5
