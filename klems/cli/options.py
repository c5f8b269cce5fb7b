"""Options shared by several commands, defined once (model options, output formats)."""

from __future__ import annotations

from klems.base.errors import ParameterError
from klems.base.vocabulary import (
    BASE_YEAR_RULES,
    FORMATS,
    INTERNATIONAL_SERIES,
    NET_TAXES,
    PRESAMPLE_RULES,
    PROFILES,
    REFERENCES,
    RULES,
    TIMINGS,
    canonical_asset,
)
from klems.datasets.bundled import VINTAGES, WHITE_PAPER_VINTAGE


def add_model_options(p) -> None:
    """Options shared by estimate, reproduce and sweep (the model's parameters)."""

    p.add_argument("--years", help="reported years, e.g. 2017-2021 (default: all)")
    p.add_argument("--attribution", choices=RULES, default="income-share",
                   help="rule from growth accounts to industrial digitalization")
    p.add_argument("--profile", choices=PROFILES,
                   default="caict", help="age-efficiency profile of the ICT assets")
    p.add_argument("--timing", choices=TIMINGS, default="end-of-year")
    p.add_argument("--base-year", choices=BASE_YEAR_RULES, default="printed",
                   help="base-year stock I_(t0+1)/(g+δ) as printed, or I_t0/(g+δ)")
    p.add_argument("--presample", choices=PRESAMPLE_RULES, default="geometric")
    p.add_argument("--set", action="append", default=[], metavar="ASSET.PARAM=VALUE",
                   help="change an asset parameter, e.g. hardware.depreciation=0.25 or "
                        "software.mean_life=6 (repeatable)")
    p.add_argument("--theta", type=float, help="θ for contribution-plus-tfp (default: OLS)")
    p.add_argument("--ict-scale", type=float, default=1.0,
                   help="multiplier of ICT investment (the GFCF/output ratio coefficient)")
    p.add_argument("--di-scale", type=float, default=1.0,
                   help="multiplier of the DI shares of the classification table")
    p.add_argument("--net-taxes", choices=NET_TAXES, default="exclude",
                   help="net production taxes: excluded from output value, or counted as "
                        "capital compensation")
    p.add_argument("--reference", choices=REFERENCES, default="investment",
                   help="domestic reference deflator of the ICT price harmonisation")
    p.add_argument("--international", choices=INTERNATIONAL_SERIES,
                   default="euklems-japan", help="international ICT price source")


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


def model_options(args) -> dict:
    return {
        "attribution": args.attribution, "profile": args.profile, "timing": args.timing,
        "base_year": args.base_year, "presample": args.presample,
        "assets": parse_sets(args.set), "theta": args.theta,
        "ict_investment_scale": args.ict_scale, "di_scale": args.di_scale,
        "net_taxes": args.net_taxes, "reference": args.reference,
        "international": args.international,
    }


def formats(text: str) -> list[str]:
    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad:
        raise ParameterError(f"--format: unknown format(s) {bad}; expected some of "
                             f"{', '.join(FORMATS)}")
    return chosen


def add_data_options(p) -> None:
    """Which data an estimate runs on: the bundled vintage, a province's own input-output table."""
    p.add_argument("--vintage", choices=VINTAGES, default=None,
                   help=f"vintage of the bundled data: {VINTAGES[0]} (after the fifth economic "
                        f"census, NBS's latest; the default) or {WHITE_PAPER_VINTAGE} (the "
                        "figures of the 2022 white paper)")
    p.add_argument("--io-table", metavar="FILE",
                   help="a province's own input-output table (NBS layout, 42 sectors or the "
                        "139/149/153-sector detail, xlsx or CSV, 万元): replaces the regionalised "
                        "structure for its year and anchors the neighbouring years")
