"""Every parameter of an estimate, checked once: :class:`EstimateOptions` and the years parser.

The admissible values come from :mod:`klems.base.vocabulary`; asset parameters are validated by
:class:`capital_stock.AssetSpec`. The options are recorded in every output's provenance.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import capital_stock as cs
from klems.base.checks import number, whole_number
from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError
from klems.base.vocabulary import (
    ASSET_PARAMETERS,
    BASE_YEAR_RULES,
    FREEZE_RULES,
    GROWTH_METHODS,
    GROWTH_SCOPES,
    ICT_ASSETS,
    INTERNATIONAL_SERIES,
    NEGATIVE_TERMS,
    NET_TAXES,
    OUTPUT_BASES,
    PRESAMPLE_RULES,
    REFERENCES,
    RULES,
    SECTORS,
    THETA_SOURCES,
)


def _number(name, value, *, low=-math.inf, high=math.inf, low_open=False, hint=""):
    """Check that an option is a finite real number in [low, high] (or (low, high])."""
    return number(name, value, low=low, high=high, low_open=low_open, hint=hint)


def _integer(name, value, *, low):
    if isinstance(value, float) or isinstance(value, str):   # 3.0 or "3" are not counts here
        raise ParameterError(f"{name} must be a whole number >= {low}, got {value!r}",
                             parameter=name)
    return whole_number(name, value, low=low)


@dataclass(frozen=True)
class EstimateOptions:
    """Every parameter of an estimate (recorded in the output's provenance)."""

    attribution: str = "cumulative"
    profile: str = "caict"
    timing: str = "end-of-year"
    base_year: str = "printed"
    presample: str = "geometric"
    growth_scope: str = "aggregate"
    growth_method: str = "geometric"
    assets: dict = field(default_factory=dict)      # {"hardware": {"depreciation": 0.25}, ...}
    nict_depreciation: float = 0.096
    net_taxes: str = "exclude"
    rate: str | float = "ex-post"
    smooth_gains: int = 3
    window: int = 3
    min_growth: float = 0.01
    theta: float | str | None = "pooled"   # a number, or one of THETA_SOURCES (None: "province")
    cumulative_base_year: int | None = None  # t0 of the cumulative rule (None: first accounts year)
    cumulative_basis: str = "value-added"
    cumulative_negative: str = "sum"
    sector_theta: dict = field(default_factory=dict)  # {"primary": θ, ...}: θ of those sectors
    ict_investment_scale: float = 1.0
    di_scale: float = 1.0
    reference: str = "investment"
    international: str = "euklems-japan"
    smoothing_level: float | None = None
    # issue 16: sample-wide quantities from the data up to this year only (see freeze_year)
    freeze_through: int | str = "data"

    def __post_init__(self):
        expected_one_of("attribution rule", self.attribution, RULES)
        expected_one_of("net_taxes", self.net_taxes, NET_TAXES)
        expected_one_of("growth_scope", self.growth_scope, GROWTH_SCOPES)
        expected_one_of("growth method", self.growth_method, GROWTH_METHODS)
        expected_one_of("base-year rule", self.base_year, BASE_YEAR_RULES)
        expected_one_of("pre-sample rule", self.presample, PRESAMPLE_RULES)
        expected_one_of("reference deflator", self.reference, REFERENCES)
        expected_one_of("international ICT price series", self.international,
                        INTERNATIONAL_SERIES)
        for name, value in (("ict_investment_scale", self.ict_investment_scale),
                            ("di_scale", self.di_scale)):
            _number(name, value, low=0.0, low_open=True)
        _number("nict_depreciation", self.nict_depreciation, low=0.0, high=1.0)
        _number("min_growth", self.min_growth, low=0.0, high=1.0)
        if self.theta is None:
            object.__setattr__(self, "theta", "province")
        if isinstance(self.theta, str):
            expected_one_of("source of θ", self.theta, THETA_SOURCES,
                            hint="or give θ as a number in [0, 1]")
        else:
            object.__setattr__(self, "theta", _number(
                "theta", self.theta, low=0.0, high=1.0,
                hint="θ is the share of TFP growth attributed to ICT"))
        expected_one_of("output basis of the cumulative rule", self.cumulative_basis,
                        OUTPUT_BASES)
        if not isinstance(self.sector_theta, dict):
            raise ParameterError(f"sector_theta must be a dict sector -> θ, got "
                                 f"{type(self.sector_theta).__name__}", parameter="sector_theta")
        for sector, value in self.sector_theta.items():
            expected_one_of("sector", sector, SECTORS, of="sector_theta")
            _number(f"theta of the {sector} sector", value, low=0.0, high=1.0,
                    hint="θ is the share of TFP growth attributed to ICT")
        expected_one_of("treatment of negative terms of the cumulative rule",
                        self.cumulative_negative, NEGATIVE_TERMS)
        if self.cumulative_base_year is not None:
            _integer("cumulative_base_year", self.cumulative_base_year, low=1950)
        if self.smoothing_level is not None:
            _number("smoothing_level", self.smoothing_level, low=0.0, high=1.0, low_open=True)
        if isinstance(self.rate, str):
            expected_one_of("rate of return", self.rate, ("ex-post",),
                            hint="or give an exogenous rate as a number")
        else:
            _number("rate", self.rate, low=-0.5, high=1.0)
        _integer("window", self.window, low=1)
        _integer("smooth_gains", self.smooth_gains, low=1)
        if self.smooth_gains % 2 == 0:
            raise ParameterError(f"smooth_gains must be a positive odd number of years, got "
                                 f"{self.smooth_gains!r}", parameter="smooth_gains")
        if not isinstance(self.assets, dict):
            raise ParameterError(f"assets must be a dict asset -> {{parameter: value}}, got "
                                 f"{type(self.assets).__name__}", parameter="assets")
        for asset, changes in self.assets.items():
            expected_one_of("ICT asset", asset, ICT_ASSETS)
            for key, value in changes.items():
                expected_one_of("parameter", key, ASSET_PARAMETERS, of=f"asset {asset}")
                _number(f"{asset}.{key}", value)
        self.specs()  # validates the asset parameters (capital_stock.AssetSpec)
        _check_freeze(self.freeze_through)     # issue 16

    @property
    def theta_value(self) -> float | None:
        """θ when it is given as a number, else None (it comes from :attr:`theta`'s source)."""
        return None if isinstance(self.theta, str) else float(self.theta)

    def specs(self) -> dict[str, cs.AssetSpec]:
        base = cs.ict_assets(profile=self.profile, timing=self.timing)
        return {name: spec.replace(**self.assets.get(name, {})) for name, spec in base.items()}

    def with_changes(self, **changes) -> "EstimateOptions":
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


def _check_freeze(value) -> None:
    if isinstance(value, str):
        expected_one_of("freeze_through", value, FREEZE_RULES,
                        hint="or a year such as 2022 (--freeze-through)")
    elif isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise ParameterError(f"freeze_through must be a year such as 2022, 'data' or 'none', got "
                             f"{value!r}", parameter="freeze_through")


def freeze_year(option, recorded, years) -> int | None:
    """The year through which the method's sample-wide quantities are computed, or None.

    No silent revision (issue 16): the average investment growth g of the base-year stock, θ's
    regression sample and the centred smoothing of capital gains use the data up to the freeze
    year only (later years' gains as if the series ended in that year), so a year added after it
    never changes an earlier year's figures. ``option`` is :attr:`EstimateOptions.freeze_through`:
    a year, ``"none"`` (every quantity from the whole sample; an added year may revise every
    earlier one) or ``"data"`` (the default: the year ``recorded`` in the data — ``klems extend``
    records the last year of the data it extended — or none when the data record none).
    ``years``: the data's years. A freeze year at or after the last year changes nothing (None);
    one that leaves fewer than three years raises :class:`ParameterError`.
    """
    _check_freeze(option)
    if option == "none":
        return None
    if option == "data":
        if recorded is None or (isinstance(recorded, str) and recorded.strip().lower() in
                                ("", "none")):
            return None
        try:
            year = int(recorded)
        except (TypeError, ValueError):
            raise ParameterError(f"the data record freeze_through {recorded!r}; expected a year "
                                 "such as 2022 or none", parameter="freeze_through") from None
    else:
        year = int(option)
    ys = [int(y) for y in years]
    if year >= ys[-1]:
        return None
    if year < ys[0] + 2:
        raise ParameterError(f"freeze_through {year} leaves too few years: the data run "
                             f"{ys[0]}-{ys[-1]} and the growth rates, θ and the accounts need "
                             f"the years up to at least {ys[0] + 2}", parameter="freeze_through")
    return year


def parse_years(years, *, name: str = "years") -> tuple[int, int] | None:
    """``"2017-2021"``, ``"2021"``, ``(2017, 2021)`` or None -> (first, last), each in
    1900-2100 and first <= last; anything else is a :class:`ParameterError` naming ``name``."""
    if years is None:
        return None
    if isinstance(years, str):
        text = years.strip()
        parts = text.split("-", 1) if "-" in text else [text, text]
        if not all(p.strip().isdigit() for p in parts):
            raise ParameterError(f"{name} must look like 2017-2021 or 2021, got {years!r}",
                                 parameter=name)
        first, last = (int(p) for p in parts)
    else:
        try:
            first, last = years[0], years[-1]
        except (TypeError, IndexError, KeyError):
            raise ParameterError(f"{name} must look like 2017-2021, 2021 or a pair of years, "
                                 f"got {years!r}", parameter=name) from None
        first = whole_number(name, first, low=1900, high=2100)
        last = whole_number(name, last, low=1900, high=2100)
    for y in (first, last):
        if not 1900 <= y <= 2100:
            raise ParameterError(f"{name}: year {y} outside 1900-2100; expected e.g. 2017-2021",
                                 parameter=name)
    if first > last:
        raise ParameterError(f"{name}: first year {first} is after last year {last}",
                             parameter=name)
    return first, last



def check_years_available(span, available, *, province: str = "guangxi",
                          what: str = "the estimate's years", first_note: str = "") -> None:
    """Raise :class:`ParameterError` when ``span`` (first, last) asks for years outside
    ``available``; a year beyond the data names the last year there is and the commands that add
    one (``klems yearbook``, ``klems extend``), a year before it the first year (issue 16)."""
    if span is None:
        return
    avail = [int(y) for y in available]
    missing = [y for y in range(span[0], span[1] + 1) if y not in avail]
    if not missing:
        return
    later = [y for y in missing if y > avail[-1]]
    if later:
        y = later[0]
        hint = (f"; the data end in {avail[-1]}: to add a year, fill in a yearbook sheet "
                f"(klems yearbook --province {province} --year {y} --out yearbook_{y}.xlsx) and "
                f"extend the data (klems extend --province {province} --input yearbook_{y}.xlsx "
                "--out extended.xlsx), then use --input extended.xlsx")
    else:
        hint = f"; the first year available is {avail[0]}{first_note}"
    runs, start = [], missing[0]
    for a, b in zip(missing, missing[1:] + [None]):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    raise ParameterError(f"years {','.join(runs)} are outside {what} {avail[0]}-{avail[-1]}"
                         f"{hint}")
