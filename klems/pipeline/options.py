"""Every parameter of an estimate, checked once: :class:`EstimateOptions` and the years parser.

The admissible values come from :mod:`klems.base.vocabulary`; asset parameters are validated by
:class:`capital_stock.AssetSpec`. The options are recorded in every output's provenance.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import capital_stock as cs
from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError
from klems.base.vocabulary import (
    ASSET_PARAMETERS,
    BASE_YEAR_RULES,
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
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"{name} must be a number, got {value!r}",
                                 parameter=name) from None
    ok = math.isfinite(value) and (value > low if low_open else value >= low) and value <= high
    if not ok:
        lo = "(" if low_open else "["
        rng = f"{lo}{low:g}, {high:g}]" if math.isfinite(high) else (
            f"> {low:g}" if low_open else f">= {low:g}") if math.isfinite(low) else "finite"
        extra = f"; {hint}" if hint else ""
        raise ParameterError(f"{name} must be a finite number {'in ' if math.isfinite(high) else ''}"
                             f"{rng}, got {value!r}{extra}", parameter=name)
    return float(value)


def _integer(name, value, *, low):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ParameterError(f"{name} must be a whole number >= {low}, got {value!r}",
                             parameter=name)
    return value


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


def parse_years(years) -> tuple[int, int] | None:
    """``"2017-2021"``, ``"2021"``, ``(2017, 2021)`` or None -> (first, last)."""
    if years is None:
        return None
    if isinstance(years, str):
        text = years.strip()
        try:
            if "-" in text:
                a, b = text.split("-", 1)
                first, last = int(a), int(b)
            else:
                first = last = int(text)
        except ValueError:
            raise ParameterError(f"years must look like 2017-2021 or 2021, got {years!r}") \
                from None
    else:
        first, last = int(years[0]), int(years[-1])
    if first > last:
        raise ParameterError(f"years: first year {first} is after last year {last}")
    return first, last

