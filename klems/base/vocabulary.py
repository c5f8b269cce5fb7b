"""The project's vocabulary, defined once: assets, profiles, rules, sectors, options' values.

Every module that names an ICT asset, an age-efficiency profile, an attribution rule, a sector or
one of the options' admissible values imports it from here, so that a new value is added in one
place and every command, check and message sees it.
"""

from __future__ import annotations

#: ICT assets of the white paper (附表1), in the order of every output.
ICT_ASSETS = ("hardware", "communication", "software")
#: Name of the non-ICT asset in the capital accounts.
NON_ICT = "non_ict"
#: Other spellings accepted for the ICT assets (input files, --set, --param).
ASSET_ALIASES = {
    "communication_equipment": "communication", "comm": "communication",
    "硬件": "hardware", "计算机硬件": "hardware", "通信设备": "communication",
    "软件": "software", "通信": "communication",
}
#: Parameters of an asset's age-efficiency / retirement profile (capital_stock.AssetSpec).
ASSET_PARAMETERS = ("mean_life", "depreciation", "beta", "sd_ratio", "truncation_sd",
                    "max_life_ratio")

#: Age-efficiency profiles of the perpetual inventory (capital_stock.profiles).
PROFILES = ("caict", "bls-mixture", "geometric", "caict-printed")
#: Timing of investment within the year.
TIMINGS = ("end-of-year", "mid-year")
#: Base-year stock formula: printed ``I_{t0+1}/(g+δ)`` or ``I_{t0}/(g+δ)``.
BASE_YEAR_RULES = ("printed", "t0")
#: Pre-sample vintages.
PRESAMPLE_RULES = ("geometric", "backcast", "none")
#: Average growth rate of investment for the base-year stock.
GROWTH_METHODS = ("geometric", "arithmetic", "regression")
#: Whose investment growth enters the base-year stock: the aggregate or each industry's own.
GROWTH_SCOPES = ("aggregate", "industry")

#: ``freeze_through`` words (besides a year): the year recorded in the data, or no freezing.
FREEZE_RULES = ("data", "none")

#: Attribution rules of industrial digitalization (产业数字化), in the order of every output.
RULES = ("income-share", "contribution-rate", "contribution-plus-tfp", "cumulative")
#: Output basis of the cumulative rule: value added (its term in value-added units) or output.
OUTPUT_BASES = ("value-added", "gross-output")
#: Negative yearly terms of the cumulative rule: summed with their sign (ID clipped at 0), or
#: floored at 0 (a bad year adds nothing but undoes nothing).
NEGATIVE_TERMS = ("sum", "floor")
#: Where θ comes from when it is not given as a number: the pooled 31-province regression
#: (bundled), the province's own regression, or its own where that regression is informative.
THETA_SOURCES = ("pooled", "province", "informative")
#: Calibrated coefficients (``klems reproduce``), at most three at a time.
COEFFICIENTS = ("theta", "ict_investment_scale", "di_scale", "theta_primary", "theta_secondary",
                "theta_tertiary")
#: Treatment of net production taxes.
NET_TAXES = ("exclude", "capital")
#: Domestic reference deflator of the harmonised ICT prices.
REFERENCES = ("investment", "gdp")
#: International ICT price series of the harmonisation.
INTERNATIONAL_SERIES = ("euklems-japan", "bea")

#: The three sectors (三次产业).
SECTORS = ("primary", "secondary", "tertiary")
SECTOR_NAMES_ZH = {"primary": "第一产业", "secondary": "第二产业", "tertiary": "第三产业"}

#: Designs of a sensitivity sweep.
DESIGNS = ("grid", "sobol", "lhs")
#: Output formats of ``klems estimate``.
FORMATS = ("xlsx", "csv", "nc", "png", "dta", "euklems")
#: Languages of labels and messages.
LANGUAGES = ("zh", "en")

#: Status of every input series, per year.
STATUSES = ("published", "derived", "modelled")


def canonical_asset(name: str) -> str:
    """The canonical ICT asset name of ``name`` (aliases resolved, case folded); unchanged when
    it is not a known spelling (the caller checks membership)."""
    text = str(name).strip()
    return ASSET_ALIASES.get(text, ASSET_ALIASES.get(text.lower(), text.lower()))
