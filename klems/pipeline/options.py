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
    GROWTH_METHODS,
    GROWTH_SCOPES,
    ICT_ASSETS,
    INTERNATIONAL_SERIES,
    NET_TAXES,
    PRESAMPLE_RULES,
    REFERENCES,
    RULES,
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

    attribution: str = "income-share"
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
    theta: float | None = None
    ict_investment_scale: float = 1.0
    di_scale: float = 1.0
    reference: str = "investment"
    international: str = "euklems-japan"
    smoothing_level: float | None = None

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
        if self.theta is not None:
            _number("theta", self.theta, low=0.0, high=1.0,
                    hint="θ is the share of TFP growth attributed to ICT")
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

    def specs(self) -> dict[str, cs.AssetSpec]:
        base = cs.ict_assets(profile=self.profile, timing=self.timing)
        return {name: spec.replace(**self.assets.get(name, {})) for name, spec in base.items()}

    def with_changes(self, **changes) -> "EstimateOptions":
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


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
