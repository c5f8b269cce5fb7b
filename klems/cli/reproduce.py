"""``klems reproduce``: published white-paper figures beside the computed values."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from klems.base.errors import ParameterError
from klems.base.provinces import province
from klems.cli.checks import input_province
from klems.cli.options import add_model_options, model_options
from klems.inputs.reader import read_input
from klems.pipeline.options import EstimateOptions, parse_years
from klems.pipeline.reproduction import COEFFICIENTS, reproduce, to_json


def register(sub) -> None:
    p = sub.add_parser(
        "reproduce", help="compare with the published white-paper figures, with calibration",
        description="Every published figure (Guangxi white paper 2022; CAICT national figures) "
                    "beside the computed value and its deviation; the method's free "
                    "coefficients calibrated on chosen years, later years held out.")
    p.add_argument("--province", default=None, help="guangxi or china (or any province "
                   "with published figures; default: the province of --input, else guangxi)")
    add_model_options(p)
    p.set_defaults(attribution=None)
    for action in p._actions:
        if action.dest == "attribution":
            action.help += (" (default: contribution-plus-tfp when θ is calibrated, else "
                            "income-share)")
    p.add_argument("--calibrate", default=None,
                   help="comma-separated coefficients to calibrate (ict_investment_scale, theta, "
                        "di_scale; at most three) or 'none'. Default: ict_investment_scale,theta "
                        "for a province; theta for china, whose GFCF/output ratios are observed "
                        "in the national input-output tables")
    p.add_argument("--calibration-years", default="2017-2020",
                   help="years whose published figures the coefficients are fitted to (later "
                        "years are held out)")
    p.add_argument("--json", action="store_true", help="print JSON (figures, calibrated)")
    p.add_argument("--input", help="a filled-in input workbook instead of the bundled data "
                                   "(default: the bundled data)")
    p.set_defaults(func=run)


def _fmt(v, unit):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    return f"{v:,.1f}" if unit == "1e8 CNY" else f"{v:.2f}"


def run(args) -> int:


    # every option first (ranges, contradictions), then the input against them
    opts = model_options(args)
    if opts["attribution"] is None:
        opts.pop("attribution")
    EstimateOptions(**opts)
    if args.years is not None:
        raise ParameterError(f"--years {args.years}: reproduce compares every published year; "
                             "to choose the years the coefficients are fitted to use "
                             "--calibration-years")
    years = parse_years(args.calibration_years, name="--calibration-years")
    key = province(args.province).key if args.province is not None else None
    text = args.calibrate
    if text is None:
        text = "theta" if key == "china" else "ict_investment_scale,theta"
    items = [c.strip() for c in text.split(",")]
    if text.strip().lower() == "none":
        calibrate = ()
    elif not any(items) or "" in items:
        raise ParameterError(f"--calibrate {text!r}: expected coefficients separated by single "
                             f"commas (some of {', '.join(COEFFICIENTS)}) or none")
    else:
        calibrate = tuple(items)
        bad = [c for c in calibrate if c not in COEFFICIENTS]
        if bad:
            raise ParameterError(f"--calibrate: unknown coefficient(s) {bad}; expected some of "
                                 f"{', '.join(COEFFICIENTS)} or none")
        if len(set(calibrate)) < len(calibrate):
            raise ParameterError(f"--calibrate {text!r}: a coefficient given twice")
    if args.theta is not None and "theta" in calibrate:
        raise ParameterError("--theta gives θ while --calibrate asks to fit it; choose one")
    if "ict_investment_scale" in calibrate and args.ict_scale != 1.0:
        raise ParameterError(f"--ict-scale {args.ict_scale} gives the scale while --calibrate "
                             "asks to fit it; choose one")
    if "di_scale" in calibrate and args.di_scale != 1.0:
        raise ParameterError(f"--di-scale {args.di_scale} gives the scale while --calibrate "
                             "asks to fit it; choose one")
    data = None
    if args.input:
        data = read_input(args.input)
        key = input_province(args.province, data, args.input)
    res = reproduce(key or "guangxi", calibrate=calibrate, calibration_years=years, data=data,
                    **opts)
    if args.json:
        print(json.dumps(to_json(res), ensure_ascii=False, indent=1))
        return 0
    cal, unc = res["calibrated_table"], res["uncalibrated"]
    table = pd.DataFrame({
        "figure": cal["figure"], "year": cal["year"],
        "published": [_fmt(v, u) for v, u in zip(cal["published"], cal["unit"])],
        "calibrated": [_fmt(v, u) for v, u in zip(cal["computed"], cal["unit"])],
        "dev %": cal["deviation_pct"].map(lambda v: f"{v:+.1f}"),
        "uncalibrated": [_fmt(v, u) for v, u in zip(unc["computed"], unc["unit"])],
        "dev % (uncal.)": unc["deviation_pct"].map(lambda v: f"{v:+.1f}"),
        "unit": cal["unit"],
        "held out": cal["held_out"].map({True: "yes", False: ""}),
    })
    print(f"Published figures for {res['province']} beside the estimate "
          f"(calibration years {years[0]}-{years[1]}; attribution "
          f"{res['options']['attribution']})")
    print(table.to_string(index=False))
    if res["calibrated"]:
        print("\nCalibrated coefficients: " + ", ".join(
            f"{k} = {v:.4g}" for k, v in res["calibrated"].items()))
        fit = res.get("fit", {})
        if fit.get("at_bound"):
            print(f"  at the bound of its range: {', '.join(fit['at_bound'])}")
        theta = res["uncalibrated_result"].attrs
        if "theta_se" in theta:
            print(f"  θ by OLS (uncalibrated run): {theta['theta_ols']:.3f} (s.e. "
                  f"{theta['theta_se']:.3f}, R² {theta['theta_r2']:.3f}, n {theta['theta_nobs']}"
                  f"; used {theta['theta']:.3f} after clipping to [0, 1])")
    for label, key in (("calibrated", "diagnostics"), ("uncalibrated", "diagnostics_uncalibrated")):
        if key in res:
            d = res[key]
            d = d[d.year >= years[0]]
            print(f"\nPlausibility ({label}): ICT share of fixed capital formation (national IO "
                  "tables where a table exists) and ICT share of capital compensation")
            print(d.to_string(index=False, float_format=lambda v: f"{100 * v:.2f}%"))
    held = cal[cal.held_out & cal.figure.isin(["digital_economy", "digital_industrialization",
                                                "industrial_digitalization"])]
    if len(held):
        print("\nHeld-out error (levels): " + ", ".join(
            f"{r.figure} {r.year}: {r.deviation_pct:+.1f}%" for r in held.itertuples()))
    return 0
