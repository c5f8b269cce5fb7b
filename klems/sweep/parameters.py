"""Swept parameters: a range ``LO:HI`` of an asset parameter or a global, or the levels of a
categorical (profile, attribution), parsed and checked like every other option."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import capital_stock as cs
from klems.base.errors import ParameterError
from klems.base.vocabulary import (
    ASSET_PARAMETERS,
    ICT_ASSETS as ICT,
    PROFILES,
    RULES,
    canonical_asset,
)

CATEGORICAL = {"profile": PROFILES, "attribution": RULES}
GLOBALS = {"ict_scale": "ict_investment_scale", "di_scale": "di_scale", "theta": "theta",
           "nict_depreciation": "nict_depreciation"}


@dataclass(frozen=True)
class Parameter:
    """One swept parameter: a range ``low:high`` or categorical ``levels``."""

    name: str
    low: float = math.nan
    high: float = math.nan
    levels: tuple[str, ...] = ()

    @property
    def categorical(self) -> bool:
        return bool(self.levels)

    @property
    def coord(self) -> str:
        """Name of the parameter's coordinate on ``draw`` (dots are not valid in NetCDF)."""
        return self.name.replace(".", "_")

    def values(self, u: np.ndarray) -> np.ndarray:
        """Map uniforms on [0, 1] to parameter values (level names for categoricals)."""
        if self.categorical:
            idx = np.minimum((u * len(self.levels)).astype(np.int64), len(self.levels) - 1)
            return np.asarray(self.levels, dtype=object)[idx].astype(str)
        return self.low + u * (self.high - self.low)


def parse_parameter(text: str) -> Parameter:
    """``asset.param=LO:HI``, ``global=LO:HI`` or ``profile|attribution=a,b,...``."""

    where = f"--param {text!r}"
    if "=" not in text:
        raise ParameterError(f"{where}: expected NAME=LO:HI (e.g. hardware.depreciation="
                             "0.25:0.40) or profile=caict,geometric")
    name, spec = (s.strip() for s in text.split("=", 1))
    if name in CATEGORICAL:
        levels = tuple(dict.fromkeys(s.strip() for s in spec.split(",") if s.strip()))
        bad = [x for x in levels if x not in CATEGORICAL[name]]
        if bad or not levels:
            raise ParameterError(f"{where}: unknown {name} level(s) {bad or [spec]}; expected "
                                 f"some of {', '.join(CATEGORICAL[name])}")
        return Parameter(name, levels=levels)
    try:
        lo, hi = (float(x) for x in spec.split(":"))
    except ValueError:
        raise ParameterError(f"{where}: expected a range LO:HI of two numbers") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ParameterError(f"{where}: the range needs finite LO < HI, got {lo!r}:{hi!r}")
    if name in GLOBALS:
        if name in ("ict_scale", "di_scale") and lo <= 0:
            raise ParameterError(f"{where}: {name} must be positive, got {lo!r}")
        if name == "theta" and not (0.0 <= lo and hi <= 1.0):
            raise ParameterError(f"{where}: θ is a share of TFP growth in [0, 1]")
        if name == "nict_depreciation" and not (0.0 <= lo and hi <= 1.0):
            raise ParameterError(f"{where}: nict_depreciation must lie in [0, 1]")
        return Parameter(name, lo, hi)
    if "." not in name:
        raise ParameterError(f"{where}: unknown parameter {name!r}; expected ASSET.PARAM, one of "
                             f"{', '.join(GLOBALS)}, profile or attribution")
    asset, param = name.split(".", 1)
    asset = canonical_asset(asset)
    if asset not in ICT:
        raise ParameterError(f"{where}: unknown ICT asset {asset!r}; expected one of "
                             f"{', '.join(ICT)}", asset=asset)
    if param not in ASSET_PARAMETERS:
        raise ParameterError(f"{where}: unknown parameter {param!r} of asset {asset}; expected "
                             f"one of {', '.join(ASSET_PARAMETERS)}", asset=asset)
    base = cs.ict_assets()[asset]
    for value in (lo, hi):   # every admissible set is an interval: both ends valid => all valid
        try:
            base.replace(**{param: value})
        except ParameterError as exc:
            raise ParameterError(f"{where}: {exc}", asset=asset) from None
    return Parameter(f"{asset}.{param}", lo, hi)
