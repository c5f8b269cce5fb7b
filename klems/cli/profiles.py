"""``klems profiles``: the ICT assets' stock weights under each convention, side by side, and the
gross, net and productive stocks and consumption of fixed capital of an example investment."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from capital_stock import (
    ICT_ASSETS,
    STOCKS,
    asset_profiles,
    capital_stocks,
    efficiency_weights,
    perpetual_inventory,
)
from klems.base.errors import ParameterError
from klems.base.version import __version__
from klems.cli.options import count, real

PROJECT = ["caict", "bls-mixture", "geometric", "caict-printed"]
ONS = ["ons-1", "ons-2"]
DEFAULT = ["caict", "bls-mixture", "geometric", "ons-1", "ons-2"]
WEIGHTS = {"productive": "age-efficiency weights (productive stock)",
           "net": "age-price weights (net stock)",
           "gross": "survival (gross stock)",
           "cfc": "depreciation weights (consumption of fixed capital)"}


def register(sub) -> None:
    p = sub.add_parser(
        "profiles",
        help="print the ICT assets' stock weights under each convention and example stocks",
        description="Weights of the white paper's ICT assets (hardware μ=4 δ=0.3119, "
                    "communication μ=7.5 δ=0.2644, software μ=5 δ=0.315; β=0.8, T=1.5μ) under "
                    "the project's conventions (caict, bls-mixture, geometric) and ONS's pimir "
                    "conventions (ons-1, ons-2: combination method 1 or 2), side by side; and "
                    "the gross, net and productive stocks and consumption of fixed capital "
                    "built from a constant real investment stream.",
    )
    p.add_argument("--profile", "--convention", dest="profile", action="append",
                   choices=PROJECT + ONS,
                   help="convention(s) to show (default: caict, bls-mixture, geometric, ons-1, "
                        "ons-2)")
    p.add_argument("--distribution", action="append",
                   choices=["normal", "weibull", "lognormal", "gamma", "none"],
                   help="retirement distribution(s) of the ons conventions (default normal)")
    p.add_argument("--weights", choices=list(WEIGHTS), default="productive",
                   help="which weights to tabulate by age")
    p.add_argument("--discount-rate", type=real("--discount-rate", low=-1.0, high=1.0,
                                                 low_open=True), default=0.0,
                   help="real discount rate in (-1, 1] for age-price (net stock) weights")
    p.add_argument("--investment", type=real("--investment", low=0.0, high=1e12,
                                              low_open=True), default=100.0,
                   help="constant real investment per year (> 0) for the example stock")
    p.add_argument("--years", type=count("--years", 1, 200), default=10,
                   help="length of the example investment stream, 1-200 years")
    p.add_argument("--timing", choices=["end-of-year", "mid-year"], default="end-of-year",
                   help="when a year's investment enters the stock")
    p.set_defaults(func=run)


def _columns(profiles, distributions):
    """(label, convention, combination, distribution) for each column to show."""
    cols = []
    for prof in profiles:
        if prof in ONS:
            for dist in distributions:
                label = prof if distributions == ["normal"] else f"{prof}/{dist}"
                cols.append((label, "ons", int(prof[-1]), dist))
        else:
            cols.append((prof, prof, 1, None))
    return cols


def _stock_profiles(asset, conv, comb, dist, discount_rate):

    if conv == "ons":
        return asset_profiles(asset, "ons", combination=comb, distribution=dist,
                              discount_rate=discount_rate)
    return asset_profiles(asset, conv, discount_rate=discount_rate)


def profile_table(profiles, timing="end-of-year", *, distributions=("normal",),
                  weights="productive", discount_rate=0.0) -> pd.DataFrame:
    """Weights by age (rows) for each convention and ICT asset (columns)."""

    cols = {}
    for label, conv, comb, dist in _columns(profiles, list(distributions)):
        for asset in ICT_ASSETS:
            spec = asset.replace(timing=timing)
            if conv == "caict-printed":
                if weights != "productive":
                    continue
                n = int(np.floor(asset.max_life)) + 1
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    values = efficiency_weights(spec.replace(profile=conv), n)
            else:
                prof = _stock_profiles(spec, conv, comb, dist, discount_rate)
                values = prof.table()[weights].to_numpy()
                if conv == "geometric":
                    values = values[:int(np.floor(asset.max_life)) + 1]
            cols[(label, asset.name)] = pd.Series(values)
    table = pd.DataFrame(cols)
    table.index.name = "age"
    return table


def example_stocks(profiles, investment=100.0, years=10, timing="end-of-year") -> pd.DataFrame:
    """Productive stock after ``years`` years of constant investment, no capital before."""

    rows = {}
    inv = np.full(years, float(investment))
    for prof in profiles:
        row = {}
        for asset in ICT_ASSETS:
            spec = asset.replace(timing=timing)
            if prof in ONS:
                row[asset.name] = _national_accounts(spec, "ons", int(prof[-1]), "normal", 0.0,
                                                     inv)["productive_stock"][-1]
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row[asset.name] = perpetual_inventory(inv, spec.replace(profile=prof),
                                                      presample="none")[-1]
        rows[prof] = row
    return pd.DataFrame(rows).T


def _national_accounts(spec, conv, comb, dist, discount_rate, inv):

    return capital_stocks(inv, _stock_profiles(spec, conv, comb, dist, discount_rate))


def stock_table(profiles, investment=100.0, years=10, timing="end-of-year", *,
                distributions=("normal",), discount_rate=0.0) -> pd.DataFrame:
    """Gross, net, productive stock and CFC in the last year (rows: asset × variable)."""

    inv = np.full(years, float(investment))
    short = {"gross_stock": "gross", "net_stock": "net", "productive_stock": "productive",
             "consumption_of_fixed_capital": "cfc"}
    cols = {}
    for label, conv, comb, dist in _columns(profiles, list(distributions)):
        if conv == "caict-printed":
            continue
        values = {}
        for asset in ICT_ASSETS:
            res = _national_accounts(asset.replace(timing=timing), conv, comb, dist,
                                     discount_rate, inv)
            for name in STOCKS:
                values[(asset.name, short[name])] = res[name][-1]
        cols[label] = pd.Series(values)
    if not cols:
        return pd.DataFrame()
    table = pd.DataFrame(cols)
    table.index.names = ["asset", "stock"]
    return table


def run(args) -> int:


    for opt, values in (("--profile", args.profile), ("--distribution", args.distribution)):
        if values and len(set(values)) < len(values):
            raise ParameterError(f"{opt}: {sorted({v for v in values if values.count(v) > 1})} "
                                 "given twice; expected each once")
    if args.distribution and not any(p in ONS for p in (args.profile or DEFAULT)):
        raise ParameterError("--distribution applies to the ons-1 and ons-2 conventions; "
                             "none of them is among --profile")
    profiles = args.profile or DEFAULT
    distributions = args.distribution or ["normal"]
    weights = profile_table(profiles, args.timing, distributions=distributions,
                            weights=args.weights, discount_rate=args.discount_rate)
    stocks = stock_table(profiles, args.investment, args.years, args.timing,
                         distributions=distributions, discount_rate=args.discount_rate)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 100)
    print(f"klems {__version__}: ICT capital stock profiles (modelled; parameters from the "
          "Guangxi Digital Economy White Paper 2022, Appendix 1; ons = ONS pimir conventions, "
          "see docs/capital_stock.md)")
    print(f"\nWeights g(x) by age: {WEIGHTS[args.weights]}, {args.timing} timing, discount "
          f"rate {args.discount_rate:g}:")
    print(weights.round(4).to_string(na_rep=""))
    print(f"\nProductive stock after {args.years} years of constant real investment of "
          f"{args.investment:g} per year, no capital before the first year:")
    print(example_stocks(profiles, args.investment, args.years, args.timing).round(2)
          .to_string())
    if not stocks.empty:
        print(f"\nGross, net and productive stock and consumption of fixed capital (cfc) in "
              f"year {args.years}:")
        print(stocks.round(2).to_string())
    return 0
