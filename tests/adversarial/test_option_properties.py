"""Property tests over the command line's options (hypothesis): whatever a user types, a command
ends either with exit status 0 and finite (or flagged) outputs, or with exit status 2 and one
message — never a traceback, never a partial or temporary file. Option values come from the
command line or from a --config file."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from hypothesis import HealthCheck, example, given, settings, strategies as st

from klems import cli
from klems.inputs.cells import parse_number

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

OUTCOMES: dict[str, list[int]] = {"estimate": [], "sweep": []}
NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-2, 3).map(lambda x: f"{x:.3g}"),
    st.sampled_from(["0", "1", "-1", "nan", "inf", "1e308", "1e-320", "", "abc", "0.5", "2"]))
YEARS = st.one_of(st.none(), st.sampled_from(["2021", "2019-2021", "2021-2019", "1999", "2030",
                                              "abc", "2020-", "-2020", "2020-2021-2022"]),
                  st.integers(1800, 2200).map(str))
FORMATS = st.one_of(
    st.lists(st.sampled_from(["csv", "nc", "CSV", "pdf", "", " "]), min_size=0, max_size=3)
    .map(",".join),
    st.sampled_from([",", "csv,,nc", "csv,csv", "nc"]))


def _check_outcome(code: int, err: str, out: Path, command: str) -> None:
    OUTCOMES[command].append(code)
    assert "Traceback" not in err, err
    assert not [p for p in out.parent.rglob("*") if p.name.endswith(".part")]
    if code == 0:
        for nc in out.rglob("*.nc") if out.is_dir() else [out] if out.exists() else []:
            with xr.open_dataset(nc) as ds:
                for name, var in ds.data_vars.items():
                    if var.dtype.kind == "f":
                        assert not np.isinf(var.values).any(), name
                        if np.isnan(var.values).any() and "per draw" not in str(var.attrs):
                            assert "undefined" in var.attrs or "draw" in var.dims, name
        for csv in (out.rglob("*.csv") if out.is_dir() else []):
            frame = pd.read_csv(csv)
            numbers = frame.select_dtypes("number").to_numpy(dtype=float)
            assert not np.isinf(numbers).any(), csv.name
        return
    assert code == 2, (code, err)
    lines = [x for x in err.splitlines() if "error:" in x]
    assert len(lines) == 1 and lines[0].startswith(f"klems {command}"), err
    assert not out.exists() or not any(out.iterdir() if out.is_dir() else [out]), err


def _run(argv: list[str], options: dict, via_config: bool, folder: Path, capsys):
    if via_config:
        import json

        lines = []
        for k, v in options.items():
            lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}" if isinstance(v, str)
                         else f"{k} = {v}")
        (folder / "run.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv = [*argv, "--config", str(folder / "run.toml")]
    else:
        for k, v in options.items():
            argv = [*argv, f"--{k}={v}"]
    code = cli.main(argv)
    return code, capsys.readouterr().err


@SETTINGS
@given(theta=st.one_of(st.none(), st.floats(0, 1).map(repr), NUMBER_TEXT),
       ict=st.one_of(st.none(), st.floats(0.2, 3).map(repr), NUMBER_TEXT),
       di=st.one_of(st.none(), st.floats(0.2, 3).map(repr), NUMBER_TEXT),
       years=st.one_of(st.none(), st.sampled_from(["2021", "2020-2021"]), YEARS),
       fmt=st.one_of(st.sampled_from(["csv", "nc", "csv,nc"]), FORMATS),
       attribution=st.sampled_from(["income-share", "contribution-rate",
                                    "contribution-plus-tfp", "all"]),
       depreciation=st.one_of(st.none(), st.floats(0.05, 0.6).map(repr), NUMBER_TEXT),
       via_config=st.booleans())
@example(theta=None, ict=None, di=None, years="2021", fmt="csv", attribution="income-share",
         depreciation=None, via_config=False)
@example(theta="0.3", ict="1.2", di=None, years="2020-2021", fmt="nc",
         attribution="contribution-plus-tfp", depreciation="0.3", via_config=True)
@example(theta=None, ict=None, di="0.9", years=None, fmt="csv,nc", attribution="all",
         depreciation=None, via_config=False)
def test_estimate_options(theta, ict, di, years, fmt, attribution, depreciation, via_config,
                          capsys):
    options = {"attribution": attribution, "format": fmt}
    for key, value in (("theta", theta), ("ict-scale", ict), ("di-scale", di),
                       ("years", years)):
        if value is not None:
            options[key] = value
    if via_config:      # TOML numbers where they are numbers; text stays text
        for key in ("theta", "ict-scale", "di-scale"):
            if key in options:
                try:
                    x = float(options[key])
                    options[key] = x if math.isfinite(x) else options[key]
                except ValueError:
                    pass
    argv = ["estimate", "--quiet"]
    if depreciation is not None:
        argv += ["--set", f"hardware.depreciation={depreciation}"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = folder / "out"
        if "years" not in options:
            options["years"] = "2020-2021"     # keep each example short
        code, err = _run([*argv, "--out", str(out)], options, via_config, folder, capsys)
        _check_outcome(code, err, out, "estimate")


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(design=st.sampled_from(["grid", "sobol", "lhs", "random"]),
       draws=st.one_of(st.integers(6, 30), st.integers(-5, 40),
                       st.sampled_from(["2.5", "nan", "1e9", "x"])),
       levels=st.one_of(st.none(), st.none(), st.integers(-1, 5)),
       chunk=st.one_of(st.none(), st.integers(1, 50), st.integers(-1, 50)),
       low=st.one_of(st.floats(0.1, 0.3).map(repr), NUMBER_TEXT),
       high=st.one_of(st.floats(0.3, 0.5).map(repr), NUMBER_TEXT),
       seed=st.one_of(st.none(), st.integers(0, 100), st.integers(-3, 2**33)),
       via_config=st.booleans())
# valid runs that every execution tries (the drawn examples are mostly refused ones)
@example(design="lhs", draws=8, levels=None, chunk=None, low="0.2", high="0.4", seed=1,
         via_config=False)
@example(design="sobol", draws=12, levels=None, chunk=5, low="0.15", high="0.35", seed=None,
         via_config=True)
@example(design="grid", draws=9, levels=3, chunk=None, low="0.1", high="0.45", seed=0,
         via_config=False)
def test_sweep_options(design, draws, levels, chunk, low, high, seed, via_config, capsys):
    options = {"design": design, "draws": draws, "years": "2021"}
    for key, value in (("levels", levels), ("chunk-size", chunk), ("seed", seed)):
        if value is not None:
            options[key] = value
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = folder / "s.nc"
        argv = ["sweep", "--quiet", "--no-charts", "--out", str(out), "--param",
                f"hardware.depreciation={low}:{high}"]
        code, err = _run(argv, options, via_config, folder, capsys)
        _check_outcome(code, err, out, "sweep")


@SETTINGS
@given(x=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_number_grammar_round_trip(x):
    """A finite number written as Excel or a statistician writes it reads back exactly."""
    for text in (repr(x), f"{x:,}", f"{x:,.6f}", f"{x:.6e}"):
        got, why = parse_number(text)
        assert why is None and got == float(text.replace(",", "")), (text, why)


@SETTINGS
@given(text=st.text(alphabet="0123456789,.+-eE% 亿元万¥()", max_size=12))
def test_number_grammar_total(text):
    """Any text: a finite number, or None with a reason; never an exception; a comma only
    between groups of three digits."""
    got, why = parse_number(text)
    assert (got is None) != (why is None)
    if got is not None:
        assert math.isfinite(got)
        body = text.strip().split(".")[0].split("e")[0].split("E")[0].lstrip("+-")
        if "," in body:
            groups = body.split(",")
            assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


def test_both_outcomes_were_exercised():
    """The properties above saw runs that succeed and runs that are refused."""
    for command, codes in OUTCOMES.items():
        if codes:           # (empty when a test above was deselected)
            assert codes.count(0) >= 3 and codes.count(2) >= 3, (command, codes)

