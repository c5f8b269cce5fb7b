"""Options shared by several commands, defined once (model options, output formats)."""

from __future__ import annotations

import argparse

from klems.base.checks import number, whole_number
from klems.base.errors import ParameterError
from klems.base.vocabulary import (
    BASE_YEAR_RULES,
    FORMATS,
    INTERNATIONAL_SERIES,
    NEGATIVE_TERMS,
    NET_TAXES,
    OUTPUT_BASES,
    PRESAMPLE_RULES,
    PROFILES,
    REFERENCES,
    RULES,
    THETA_SOURCES,
    TIMINGS,
    canonical_asset,
)
from klems.cli.console import note
from klems.datasets.bundled import VINTAGES, WHITE_PAPER_VINTAGE
from klems.pipeline.calibration import apply_calibration, load_calibration


def add_model_options(p) -> None:
    """Options shared by estimate, reproduce and sweep (the model's parameters)."""

    p.add_argument("--years", help="reported years, e.g. 2017-2021 or 2021 (default: every "
                                   "year of the estimate)")
    p.add_argument("--attribution", choices=RULES, default=None,
                   help="rule from growth accounts to industrial digitalization (default: "
                        "cumulative; docs/attribution.md)")
    p.add_argument("--profile", choices=PROFILES,
                   default="caict", help="age-efficiency profile of the ICT assets")
    p.add_argument("--timing", choices=TIMINGS, default="end-of-year",
                   help="when a year's investment enters the stock: at the end of the year, or "
                        "half of it in the middle")
    p.add_argument("--base-year", choices=BASE_YEAR_RULES, default="printed",
                   help="base-year stock I_(t0+1)/(g+δ) as printed, or I_t0/(g+δ)")
    p.add_argument("--presample", choices=PRESAMPLE_RULES, default="geometric",
                   help="vintages before the first year: a geometric stream behind the base-"
                        "year stock, a backcast of investment, or none")
    p.add_argument("--set", action="append", default=[], metavar="ASSET.PARAM=VALUE",
                   help="change an asset parameter, e.g. hardware.depreciation=0.25 or "
                        "software.mean_life=6 (repeatable; default: the white paper's "
                        "parameters)")
    p.add_argument("--theta",
                   help="θ, the share of TFP growth attributed to ICT (cumulative and "
                        "contribution-plus-tfp): a number in [0, 1], or pooled (default: the "
                        "31-province regression), province (the province's own regression) or "
                        "informative (its own where its regression is informative)")
    p.add_argument("--sector-theta", metavar="SECTOR=θ,...", default=None,
                   help="θ of some sectors, e.g. primary=0.06,secondary=0.23,tertiary=0.59 "
                        "(the others keep --theta; default: none, one θ for every sector)")
    p.add_argument("--cumulative-base-year", type=int, default=None,
                   help="base year t0 of the cumulative rule (default: the first year of the "
                        "accounts, 2001)")
    p.add_argument("--cumulative-basis", choices=OUTPUT_BASES, default=None,
                   help="output basis of the cumulative rule (default value-added)")
    p.add_argument("--cumulative-negative", choices=NEGATIVE_TERMS, default=None,
                   help="negative yearly terms of the cumulative rule: sum (default; ID "
                        "clipped at 0) or floor (a negative term adds nothing)")
    p.add_argument("--ict-scale", type=float, default=None,
                   help="multiplier (> 0) of ICT investment (the GFCF/output ratio coefficient; "
                        "default 1)")
    p.add_argument("--di-scale", type=float, default=None,
                   help="multiplier (> 0) of the DI shares of the classification table (default 1)")
    p.add_argument("--net-taxes", choices=NET_TAXES, default="exclude",
                   help="net production taxes: excluded from output value, or counted as "
                        "capital compensation")
    p.add_argument("--reference", choices=REFERENCES, default="investment",
                   help="domestic reference deflator of the ICT price harmonisation")
    p.add_argument("--international", choices=INTERNATIONAL_SERIES,
                   default="euklems-japan", help="international ICT price source")
    p.add_argument("--freeze-through", metavar="YEAR|data|none", default="data",
                   help="compute the method's sample-wide quantities (average investment growth "
                        "of the base-year stock, θ's regression sample, the centred smoothing "
                        "of capital gains) from the data up to YEAR only, so that later years "
                        "never revise earlier ones; 'data' (default): the year recorded in the "
                        "data by 'klems extend' (none for the bundled data); 'none': the whole "
                        "sample (an added year may revise every earlier one)")


def _type_error(exc: ParameterError, name: str) -> argparse.ArgumentTypeError:
    text = str(exc).split(" [parameter ")[0]
    return argparse.ArgumentTypeError(text.removeprefix(f"{name} "))


def count(name: str, low: int = 1, high: int | None = None):
    """An argparse type: a whole number in [low, high] (checked by klems.base.checks)."""
    def convert(text: str) -> int:
        try:
            return whole_number(name, text, low=low, high=high)
        except ParameterError as exc:
            raise _type_error(exc, name) from None
    convert.__name__ = "whole number"
    return convert


def real(name: str, **bounds):
    """An argparse type: a finite number in a range (checked by klems.base.checks)."""
    def convert(text: str) -> float:
        try:
            return number(name, text, **bounds)
        except ParameterError as exc:
            raise _type_error(exc, name) from None
    convert.__name__ = "number"
    return convert


def parse_sets(items) -> dict:
    assets: dict[str, dict] = {}
    for item in items:
        try:
            key, value = item.split("=", 1)
            asset, param = key.strip().split(".", 1)
            number = float(value)
        except ValueError:
            raise ParameterError(f"--set {item!r}: expected ASSET.PARAM=NUMBER, e.g. "
                                 "hardware.depreciation=0.25") from None
        assets.setdefault(canonical_asset(asset), {})[param] = number
    return assets


def parse_sector_theta(text: str | None) -> dict | None:
    """``--sector-theta primary=0.06,tertiary=0.5`` -> {"primary": 0.06, "tertiary": 0.5}."""
    if text is None:
        return None
    out = {}
    for item in filter(None, (t.strip() for t in text.split(","))):
        try:
            sector, value = item.split("=", 1)
            out[sector.strip().lower()] = float(value)
        except ValueError:
            raise ParameterError(f"--sector-theta {item!r}: expected SECTOR=NUMBER, e.g. "
                                 "primary=0.06") from None
    return out


def theta_value(text: str):
    """``--theta``: a number, or the name of a source of θ."""
    if text.strip().lower() in THETA_SOURCES:
        return text.strip().lower()
    try:
        return float(text)
    except ValueError:
        raise ParameterError(f"--theta {text!r}: expected a number in [0, 1] or one of "
                             f"{', '.join(THETA_SOURCES)}") from None


def model_options(args) -> dict:
    """The model options of a command line; options left at their default are omitted (the
    defaults of :class:`klems.pipeline.options.EstimateOptions` apply), so that the dict is
    also the set of options the user gave explicitly (checked against a calibration file)."""
    given = {
        "attribution": args.attribution, "profile": args.profile, "timing": args.timing,
        "base_year": args.base_year, "presample": args.presample,
        "assets": parse_sets(args.set),
        "theta": None if args.theta is None else theta_value(args.theta),
        "sector_theta": parse_sector_theta(args.sector_theta),
        "cumulative_base_year": args.cumulative_base_year,
        "cumulative_basis": args.cumulative_basis,
        "cumulative_negative": args.cumulative_negative,
        "ict_investment_scale": args.ict_scale, "di_scale": args.di_scale,
        "net_taxes": args.net_taxes, "reference": args.reference,
        "international": args.international,
        "freeze_through": freeze_option(args.freeze_through),
    }
    return {k: v for k, v in given.items() if v is not None}


def add_calibration_option(p) -> None:
    """``--calibration FILE`` of estimate and sweep."""
    p.add_argument("--calibration", metavar="FILE",
                   help="a calibration file written by 'klems reproduce --save': its rule, the "
                        "rule's options and the calibrated coefficients are used (an option "
                        "given here that contradicts it is refused; default: none, the "
                        "uncalibrated default rule)")


def calibration_note(args, doc: dict, path) -> None:
    """Say so when a calibration file made for one province is applied to another: valid (a
    statistician may borrow a neighbour's θ) but never silent. The provenance records both."""
    made_for = str(doc.get("province", "") or "")
    target = str(getattr(args, "province", "") or "").strip().lower()
    if made_for and target and target != made_for:
        note(args, f"警告：校准文件 {path} 是为 {made_for} 校准的，现用于 {target}"
             if getattr(args, "lang", "zh") == "zh" else
             f"warning: the calibration file {path} was calibrated for {made_for}; it is "
             f"applied to {target}")


def calibrated_options(args) -> tuple[dict, dict | None]:
    """The model options with the calibration file applied (and the file's content)."""
    opts = model_options(args)
    path = getattr(args, "calibration", None)
    if not path:
        return opts, None
    doc = load_calibration(path)
    calibration_note(args, doc, path)
    return apply_calibration(doc, opts, opts), doc


def freeze_option(text):
    """``--freeze-through``: a year (int), ``data`` or ``none``."""
    value = str(text).strip()
    return int(value) if value.isdigit() else value.lower()


def formats(text: str, allowed=FORMATS, option: str = "--format") -> list[str]:
    """``xlsx,csv`` -> the formats, each once; an empty list or an empty item is an error."""
    items = [f.strip().lower() for f in str(text).split(",")]
    if not any(items):
        raise ParameterError(f"{option} {text!r}: no format given; expected some of "
                             f"{', '.join(allowed)}, separated by commas")
    if "" in items:
        raise ParameterError(f"{option} {text!r}: an empty item between commas; expected "
                             f"formats separated by single commas, e.g. xlsx,csv")
    bad = [f for f in items if f not in allowed]
    if bad:
        raise ParameterError(f"{option}: unknown format(s) {bad}; expected some of "
                             f"{', '.join(allowed)}")
    dup = sorted({f for f in items if items.count(f) > 1})
    if dup:
        raise ParameterError(f"{option} {text!r}: {', '.join(dup)} given twice; expected each "
                             "format once")
    return items


def add_data_options(p) -> None:
    """Which data an estimate runs on: the bundled vintage, a province's own input-output table."""
    p.add_argument("--vintage", choices=VINTAGES, default=None,
                   help=f"vintage of the bundled data: {VINTAGES[0]} (after the fifth economic "
                        f"census, NBS's latest) or {WHITE_PAPER_VINTAGE} (the figures of the "
                        f"2022 white paper); default: {VINTAGES[0]}, or the calibration's with --calibration")
    p.add_argument("--io-table", metavar="FILE",
                   help="a province's own input-output table (NBS layout, 42 sectors or the "
                        "139/149/153-sector detail, xlsx or CSV, 万元): replaces the regionalised "
                        "structure for its year and anchors the neighbouring years; default: "
                        "none (the regionalised national structure)")
