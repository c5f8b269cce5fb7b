"""``klems profiles``: the age-efficiency weights g(x) of the ICT assets and an example stock."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from capital_stock import ICT_ASSETS, efficiency_weights, perpetual_inventory
from klems.base.errors import ParameterError
from klems.base.version import __version__
from klems.base.vocabulary import PROFILES, TIMINGS


def register(sub) -> None:
    p = sub.add_parser(
        "profiles",
        help="print the ICT assets' age-efficiency weights g(x) and an example capital stock",
        description="Age-efficiency × survival weights g(x) of the white paper's ICT assets "
                    "(hardware μ=4 δ=0.3119, communication μ=7.5 δ=0.2644, software μ=5 "
                    "δ=0.315; β=0.8, T=1.5μ) under every profile, and the stock built from a "
                    "constant real investment stream.",
    )
    p.add_argument("--profile", action="append",
                   choices=PROFILES,
                   help="profile(s) to show (default: caict, bls-mixture, geometric)")
    p.add_argument("--investment", type=float, default=100.0,
                   help="constant real investment per year for the example stock (default 100)")
    p.add_argument("--years", type=int, default=10,
                   help="length of the example investment stream (default 10)")
    p.add_argument("--timing", choices=TIMINGS, default="end-of-year")
    p.set_defaults(func=run)


def profile_table(profiles, timing="end-of-year") -> pd.DataFrame:

    cols = {}
    for prof in profiles:
        for asset in ICT_ASSETS:
            spec = asset.replace(profile=prof, timing=timing)
            n = int(np.floor(asset.max_life)) + 1
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cols[(prof, asset.name)] = pd.Series(efficiency_weights(spec, n))
    table = pd.DataFrame(cols)
    table.index.name = "age"
    return table


def example_stocks(profiles, investment=100.0, years=10, timing="end-of-year") -> pd.DataFrame:
    """Stock after ``years`` years of constant investment, with no capital before the first year."""

    rows = {}
    inv = np.full(years, float(investment))
    for prof in profiles:
        row = {}
        for asset in ICT_ASSETS:
            spec = asset.replace(profile=prof, timing=timing)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row[asset.name] = perpetual_inventory(inv, spec, presample="none")[-1]
        rows[prof] = row
    return pd.DataFrame(rows).T


def run(args) -> int:


    if args.years < 1:
        raise ParameterError(f"--years must be at least 1, got {args.years}")
    profiles = args.profile or ["caict", "bls-mixture", "geometric"]
    pd.set_option("display.width", 200)
    print(f"klems {__version__}: ICT capital stock profiles (modelled; parameters from the "
          "Guangxi Digital Economy White Paper 2022, Appendix 1)")
    print(f"\nWeights g(x) by age ({args.timing} timing):")
    print(profile_table(profiles, args.timing).round(4).to_string(na_rep=""))
    print(f"\nStock after {args.years} years of constant real investment of "
          f"{args.investment:g} per year, no capital before the first year:")
    print(example_stocks(profiles, args.investment, args.years, args.timing).round(2).to_string())
    return 0
