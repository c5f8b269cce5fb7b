"""Hostile command lines: every case must end with exit status 2 and one clear message naming
the option (or file) and what was expected — no traceback, no file written, no temporary file
left — before any work starts.

Each case is (id, command line, expected message). ``{csv}`` is a user's input (Guangxi's
template as a CSV folder), ``{tmp}`` the case's own empty folder (the working directory).
Run this file as a script to print the table of cases with the message each produces:
``python tests/adversarial/test_option_cases.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klems import cli

P = "--param hardware.depreciation=0.25:0.40"
CASES = [
    # ---- estimate: model options (EstimateOptions), formats, years, province and input --------
    ("estimate-theta-negative", "estimate --theta -1", r"theta must be a finite number in \[0, 1\], got -1"),
    ("estimate-theta-nan", "estimate --theta nan", r"theta must be a finite number in \[0, 1\], got nan"),
    ("estimate-theta-inf", "estimate --theta inf", r"theta must be a finite number in \[0, 1\], got inf"),
    ("estimate-theta-text", "estimate --theta abc", r"--theta 'abc': expected a number in \[0, 1\] or one of pooled, province, informative"),
    ("estimate-ict-scale-zero", "estimate --ict-scale 0", r"ict_investment_scale must be a finite number > 0, got 0"),
    ("estimate-ict-scale-nan", "estimate --ict-scale nan", r"ict_investment_scale must be a finite number > 0, got nan"),
    ("estimate-di-scale-negative", "estimate --di-scale -2", r"di_scale must be a finite number > 0, got -2"),
    ("estimate-set-nan", "estimate --set hardware.depreciation=nan", r"hardware.depreciation must be a finite number, got nan"),
    ("estimate-set-unknown-asset", "estimate --set tape.depreciation=0.2", r"unknown ICT asset 'tape'"),
    ("estimate-set-unknown-parameter", "estimate --set hardware.colour=1", r"unknown parameter 'colour' of asset hardware"),
    ("estimate-set-no-value", "estimate --set hardware", r"--set 'hardware': expected ASSET.PARAM=NUMBER"),
    ("estimate-set-depreciation-above-one", "estimate --set hardware.depreciation=1.5", r"depreciation"),
    ("estimate-set-mean-life-negative", "estimate --set software.mean_life=-3", r"mean service life must be a finite number > 0, got -3.0 \[asset software\]"),
    ("estimate-format-comma", "estimate --format , --out o", r"--format ',': no format given"),
    ("estimate-format-empty-item", "estimate --format xlsx,,nc --out o", r"--format 'xlsx,,nc': an empty item between commas"),
    ("estimate-format-unknown", "estimate --format pdf --out o", r"--format: unknown format\(s\) \['pdf'\]"),
    ("estimate-format-twice", "estimate --format csv,CSV --out o", r"csv given twice"),
    ("estimate-years-reversed", "estimate --years 2021-2017", r"--years: first year 2021 is after last year 2017"),
    ("estimate-years-text", "estimate --years abc", r"--years must look like 2017-2021 or 2021, got 'abc'"),
    ("estimate-years-open-range", "estimate --years 2017-", r"--years must look like 2017-2021"),
    ("estimate-years-far-future", "estimate --years 99999", r"--years: year 99999 outside 1900-2100"),
    ("estimate-years-before-data", "estimate --years 1990-1995", r"years 1990-1995 are outside the estimate's years 2001-2024; the first year available is 2001"),
    ("estimate-province-unknown", "estimate --province atlantis", r"unknown province 'atlantis'"),
    ("estimate-province-contradicts-input", "estimate --province beijing --input {csv}", r"--province beijing contradicts the input .*province guangxi"),
    ("estimate-province-all-with-input", "estimate --province all --input {csv}", r"--province all estimates the 31 bundled provinces; --input .* is one input"),
    ("estimate-input-missing", "estimate --input nope.xlsx", r"no such file or folder; expected an .xlsx workbook"),
    ("estimate-input-years-outside", "estimate --input {csv} --years 2010-2012", r"--years 2010-2012: years 2010-2012 are outside the input's years 2017-2022; the first year available is 2017"),
    ("estimate-out-is-a-file", "estimate --out file.txt --format csv", r"--out 'file.txt' is a file; expected a folder"),
    ("estimate-attribution-unknown", "estimate --attribution everything", r"argument --attribution: invalid choice: 'everything'"),
    ("estimate-misspelt-option", "estimate --provnce x", r"usage: klems estimate .*klems estimate: error: unrecognized arguments: --provnce x"),
    ("estimate-quiet-and-verbose", "estimate --quiet --verbose", r"argument --verbose/-v: not allowed with argument --quiet/-q"),
    ("estimate-lang-unknown", "estimate --lang fr", r"argument --lang: invalid choice: 'fr'"),
    # ---- sweep ---------------------------------------------------------------------------------
    ("sweep-no-param", "sweep", r"nothing to sweep: give at least one --param"),
    ("sweep-levels-zero", f"sweep {P} --design grid --levels 0", r"argument --levels: must be a whole number in \[2, 10000\], got '0'"),
    ("sweep-levels-one", f"sweep {P} --design grid --levels 1", r"argument --levels: must be a whole number in \[2, 10000\], got '1'"),
    ("sweep-levels-with-sobol", f"sweep {P} --levels 3", r"--levels 3 applies to --design grid only, not --design sobol"),
    ("sweep-draws-negative-grid", f"sweep {P} --design grid --draws -3", r"argument --draws: must be a whole number in \[1, 10000000\], got '-3'"),
    ("sweep-draws-zero", f"sweep {P} --draws 0", r"argument --draws: must be a whole number"),
    ("sweep-draws-fraction", f"sweep {P} --draws 2.5", r"argument --draws: must be a whole number .* got '2.5'"),
    ("sweep-draws-too-many", f"sweep {P} --draws 100000000", r"argument --draws: must be a whole number in \[1, 10000000\]"),
    ("sweep-grid-too-few-draws", f"sweep {P} --param software.beta=0.6:0.9 --design grid --draws 3", r"--draws 3 is too few for a grid of 2 range\(s\)"),
    ("sweep-sobol-too-few-draws", f"sweep {P} --draws 2", r"a Sobol design of 1 parameter\(s\) needs at least 6 draws"),
    ("sweep-chunk-size-zero", f"sweep {P} --chunk-size 0", r"argument --chunk-size: must be a whole number"),
    ("sweep-workers-zero", f"sweep {P} --workers 0", r"argument --workers: must be a whole number in \[1, 1024\], got '0'"),
    ("sweep-workers-and-scheduler", f"sweep {P} --workers 2 --scheduler tcp://h:1", r"argument --scheduler: not allowed with argument --workers"),
    ("sweep-seed-negative", f"sweep {P} --seed -1", r"argument --seed: must be a whole number in \[0, 4294967295\], got '-1'"),
    ("sweep-range-reversed", "sweep --param hardware.depreciation=0.4:0.3", r"the range needs finite LO < HI, got 0.4:0.3"),
    ("sweep-range-nan", "sweep --param hardware.depreciation=nan:0.3", r"the range needs finite LO < HI, got nan:0.3"),
    ("sweep-range-one-number", "sweep --param hardware.depreciation=0.3", r"expected a range LO:HI of two numbers"),
    ("sweep-theta-above-one", "sweep --param theta=0.5:1.5", r"θ is a share of TFP growth in \[0, 1\]"),
    ("sweep-theta-fixed-and-swept", "sweep --param theta=0.1:0.2 --theta 0.3", r"--theta 0.3 fixes θ while --param theta=… sweeps it"),
    ("sweep-ict-scale-negative", "sweep --param ict_scale=-1:2", r"ict_scale must be positive"),
    ("sweep-unknown-parameter", "sweep --param colour=1:2", r"unknown parameter 'colour'"),
    ("sweep-unknown-profile", "sweep --param profile=caict,straight-line", r"unknown profile level\(s\) \['straight-line'\]"),
    ("sweep-parameter-twice", "sweep --param hardware.beta=0.5:0.7 --param hardware.beta=0.6:0.8", r"parameter\(s\) \['hardware.beta'\] given more than once"),
    ("sweep-out-not-netcdf", f"sweep {P} --out x.csv", r"--out 'x.csv': expected a NetCDF file name ending in .nc"),
    ("sweep-out-is-a-folder", f"sweep {P} --out folder.nc", r"--out 'folder.nc' is a folder; expected a file name"),
    ("sweep-no-charts-without-out", f"sweep {P} --no-charts", r"--no-charts without --out"),
    ("sweep-province-empty", f"sweep {P} --province ,", r"--province ',': no province given"),
    ("sweep-attribution-not-swept", "sweep --param attribution=income-share --attribution contribution-rate", r"--attribution contribution-rate is not among the swept levels income-share"),
    ("sweep-design-unknown", f"sweep {P} --design random", r"argument --design: invalid choice: 'random'"),
    ("sweep-set-nan", f"sweep {P} --set software.beta=nan", r"software.beta must be a finite number, got nan"),
    ("sweep-years-reversed", f"sweep {P} --years 2020-2019", r"--years: first year 2020 is after last year 2019"),
    ("sweep-years-outside-data", f"sweep {P} --years 1990-1991", r"--years 1990-1991: years 1990-1991 are outside the sweep's years 2001-2024; the first year available is 2001"),
    ("sweep-theta-nan", f"sweep {P} --theta nan", r"theta must be a finite number in \[0, 1\], got nan"),
    # ---- reproduce -----------------------------------------------------------------------------
    ("reproduce-calibrate-unknown", "reproduce --calibrate everything", r"--calibrate: unknown coefficient\(s\) \['everything'\]"),
    ("reproduce-calibrate-empty-item", "reproduce --calibrate theta,,di_scale", r"--calibrate 'theta,,di_scale': expected coefficients separated by single commas"),
    ("reproduce-calibrate-twice", "reproduce --calibrate theta,theta", r"--calibrate 'theta,theta': a coefficient given twice"),
    ("reproduce-theta-and-calibrate-theta", "reproduce --theta 0.3 --calibrate theta", r"--theta gives θ while --calibrate asks to fit it"),
    ("reproduce-ict-scale-and-calibrate", "reproduce --ict-scale 2 --calibrate ict_investment_scale", r"--ict-scale 2.0 gives the scale while --calibrate asks to fit it"),
    ("reproduce-series-years-outside", "reproduce --no-ranks --years 2017-2031", r"years 2025-2031 are outside the estimate's years 2001-2024; the data end in 2024"),
    ("reproduce-calibration-years-reversed", "reproduce --calibration-years 2020-2017", r"--calibration-years: first year 2020 is after last year 2017"),
    ("reproduce-theta-nan", "reproduce --theta nan --calibrate none", r"theta must be a finite number in \[0, 1\], got nan"),
    ("reproduce-province-contradicts-input", "reproduce --province hunan --input {csv}", r"--province hunan contradicts the input"),
    # ---- prices, profiles, template, validate --------------------------------------------------
    ("prices-smoothing-zero", "prices --smoothing-level 0", r"argument --smoothing-level: must be a finite number in \(0, 1\], got '0'"),
    ("prices-smoothing-nan", "prices --smoothing-level nan", r"argument --smoothing-level: must be a finite number in \(0, 1\], got 'nan'"),
    ("prices-csv-wrong-suffix", "prices --csv prices.txt", r"--csv 'prices.txt': expected a CSV file name ending in .csv"),
    ("prices-png-wrong-suffix", "prices --png chart.jpg", r"--png 'chart.jpg': expected a PNG file name ending in .png"),
    ("prices-province-all", "prices --province all", r"unknown province 'all'"),
    ("profiles-years-zero", "profiles --years 0", r"argument --years: must be a whole number in \[1, 200\], got '0'"),
    ("profiles-years-huge", "profiles --years 100000", r"argument --years: must be a whole number in \[1, 200\]"),
    ("profiles-investment-nan", "profiles --investment nan", r"argument --investment: must be a finite number in \(0, 1e\+12\], got 'nan'"),
    ("profiles-investment-negative", "profiles --investment -5", r"argument --investment: must be a finite number in \(0, 1e\+12\], got '-5'"),
    ("profiles-discount-nan", "profiles --discount-rate nan", r"argument --discount-rate: must be a finite number in \(-1, 1\], got 'nan'"),
    ("profiles-discount-minus-one", "profiles --discount-rate -1", r"argument --discount-rate: must be a finite number in \(-1, 1\], got '-1'"),
    ("profiles-profile-twice", "profiles --profile caict --profile caict", r"--profile: \['caict'\] given twice"),
    ("profiles-distribution-without-ons", "profiles --profile caict --distribution weibull", r"--distribution applies to the ons-1 and ons-2 conventions"),
    ("template-out-not-xlsx", "template --out t.txt", r"--out 't.txt': expected a FILE.xlsx, or --format csv with a folder"),
    ("template-years-reversed", "template --out t.xlsx --years 2022-2016", r"--years: first year 2022 is after last year 2016"),
    ("template-encoding-with-xlsx", "template --out t.xlsx --encoding gbk", r"--encoding gbk applies to --format csv only"),
    ("template-out-is-a-folder", "template --out folder.xlsx", r"--out 'folder.xlsx' is a folder; expected a FILE.xlsx"),
    ("template-province-unknown", "template --out t.xlsx --province atlantis", r"unknown province 'atlantis'"),
    ("validate-missing-file", "validate nope.xlsx", r"no such file or folder"),
    ("validate-province-contradicts-input", "validate {csv} --province hunan", r"--province hunan contradicts the input"),
    ("validate-theta-nan", "validate {csv} --theta nan", r"theta must be a finite number in \[0, 1\], got nan"),
    ("validate-no-file", "validate", r"the following arguments are required: file"),
    # ---- index ---------------------------------------------------------------------------------
    ("index-run-tiers-zero", "index run --data d.xlsx --out o --tiers 0", r"argument --tiers: must be a whole number in \[1, 31\], got '0'"),
    ("index-run-draws-negative", "index run --data d.xlsx --out o --draws -5", r"argument --draws: must be a whole number"),
    ("index-run-spread-nan", "index run --data d.xlsx --out o --spread nan", r"argument --spread: must be a finite number in \[0, 1\], got 'nan'"),
    ("index-run-ahp-share-two", "index run --data d.xlsx --out o --ahp-share 2", r"argument --ahp-share: must be a finite number in \[0, 1\], got '2'"),
    ("index-run-max-cr-negative", "index run --data d.xlsx --out o --max-cr -0.1", r"argument --max-cr: must be a number >= 0, got '-0.1'"),
    ("index-run-concentration-zero", "index run --data d.xlsx --out o --concentration 0", r"argument --concentration: must be a finite number > 0, got '0'"),
    ("index-run-year-text", "index run --data d.xlsx --out o --year last", r"argument --year: must be a whole number in \[1900, 2100\], got 'last'"),
    ("index-run-missing-data", "index run --data nope.xlsx --out o", r"--data 'nope.xlsx': no such file or folder; expected the filled .xlsx"),
    ("index-run-out-is-a-file", "index run --data d.xlsx --out file.txt", r"--out 'file.txt' is a file; expected a folder"),
    ("index-reproduce-weights-text", "index reproduce --weights a,b,c,d,e", r"--weights item 1 must be a number, got 'a'"),
    ("index-reproduce-weights-four", "index reproduce --weights 1,2,3,4", r"--weights '1,2,3,4': 4 item\(s\); expected 5 weights"),
    ("index-reproduce-weights-zero", "index reproduce --weights 0,0,0,0,0", r"the weights sum to 0"),
    ("index-reproduce-weights-nan", "index reproduce --weights nan,1,1,1,1", r"--weights item 1 must be a finite number >= 0, got 'nan'"),
    ("index-reproduce-grid-step-negative", "index reproduce --grid-step -1", r"argument --grid-step: must be a finite number in \[0, 100\], got '-1'"),
    ("index-template-out-not-xlsx", "index template --out data.csv", r"--out 'data.csv': expected an Excel file name ending in .xlsx"),
    ("index-template-seed-negative", "index template --out d.xlsx --seed -1", r"argument --seed: must be a whole number"),
    # ---- configuration files and reruns --------------------------------------------------------
    ("config-unknown-key", "estimate --config unknown.toml", r"unknown key 'bogus' in unknown.toml: not an option of 'klems estimate'"),
    ("config-bad-number", "estimate --config badnumber.toml", r"ict-scale = 'lots' in badnumber.toml: could not convert string to float: 'lots'"),
    ("config-bad-choice", "estimate --config badchoice.toml", r"profile = 'straight' in badchoice.toml: expected one of caict"),
    ("config-nan-theta", "estimate --config nantheta.toml", r"theta = nan in nantheta.toml: expected a finite number"),
    ("config-not-toml", "estimate --config broken.toml", r"not a valid TOML file"),
    ("config-missing-file", "estimate --config nowhere.toml", r"cannot read the configuration file: No such file or directory \[file nowhere.toml\]"),
    ("config-other-command", "estimate --config sweeprun.toml", r"sweeprun.toml records a run of 'klems sweep', not 'klems estimate'"),
    ("config-flag-not-boolean", "sweep --config flag.toml", r"no-charts = 'yes' in flag.toml: expected true or false"),
    ("config-argument-as-key", "validate x --config positional.toml", r"'file' in positional.toml is an argument of 'klems validate', not an option"),
    ("config-list-for-single-value", "estimate --config list.toml", r"years = \[2017, 2021\] in list.toml: expected a single value"),
    ("rerun-missing-file", "rerun nowhere.run.toml", r"no such file; expected a NAME.run.toml"),
    ("rerun-without-record", "rerun plain.csv", r"no recorded configuration found"),
]

CONFIGS = {
    "unknown.toml": 'province = "hunan"\nbogus = 1\n',
    "badnumber.toml": 'ict-scale = "lots"\n',
    "badchoice.toml": 'profile = "straight"\n',
    "nantheta.toml": "theta = nan\n",
    "broken.toml": 'province = "hunan\n',
    "sweeprun.toml": 'draws = 10\n[run]\ncommand = "sweep"\n',
    "flag.toml": 'no-charts = "yes"\nparam = ["hardware.beta=0.5:0.7"]\n',
    "positional.toml": 'file = "x.xlsx"\n',
    "list.toml": "years = [2017, 2021]\n",
}


def _prepare(folder: Path) -> None:
    """The files some cases refer to (config files, an existing file, folders named .nc/.xlsx)."""
    for name, text in CONFIGS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "file.txt").write_text("not a folder")
    (folder / "plain.csv").write_text("a,b\n1,2\n")
    (folder / "folder.nc").mkdir()
    (folder / "folder.xlsx").mkdir()


def run_case(argv: str, folder: Path, csv: Path, capsys) -> tuple[int, str, str]:
    words = [w.replace("{csv}", str(csv)) for w in argv.split()]
    code = cli.main(words)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case, argv, message", CASES, ids=[c[0] for c in CASES])
def test_option_case(case, argv, message, tmp_path, monkeypatch, capsys, user_input):
    monkeypatch.chdir(tmp_path)
    _prepare(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, err = run_case(argv, tmp_path, user_input[0], capsys)
    assert code == 2, (code, err)
    assert re.search(message, err.replace("\n", " ")), err
    assert "Traceback" not in err and "Traceback" not in out
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1, err            # one message (argparse adds its usage above it)
    assert errors[0].startswith(f"klems {argv.split()[0]}") or errors[0].startswith("klems "), err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before     # nothing written, no .part


def test_at_least_100_option_cases():
    assert len(CASES) >= 100 and len({c[0] for c in CASES}) == len(CASES)


if __name__ == "__main__":      # the table of cases: id | message | exit status
    import contextlib
    import io
    import tempfile

    from klems.inputs.template import template_tables, write_csv_sheet

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        csv = root / "guangxi_csv"
        csv.mkdir()
        for s in template_tables("guangxi", "2016-2022"):
            write_csv_sheet(csv / f"{s.name}.csv", s)
        print("| case | command | message | exit status |\n|---|---|---|---|")
        for case, argv, _ in CASES:
            folder = root / case
            folder.mkdir()
            _prepare(folder)
            import os

            os.chdir(folder)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = cli.main([w.replace("{csv}", str(csv)) for w in argv.split()])
            line = next((x for x in err.getvalue().splitlines() if "error:" in x), "")
            line = line.replace(str(csv), "guangxi_csv").replace("|", "\\|")
            print(f"| {case} | `klems {argv.replace('{csv}', 'guangxi_csv')}` | {line} | {code} |")
