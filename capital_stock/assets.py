"""ICT asset specifications: service life, depreciation, age-efficiency profile."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError
from klems.base.vocabulary import PROFILES, TIMINGS


@dataclass(frozen=True)
class AssetSpec:
    """One asset type and the parameters of its age-efficiency / retirement profile.

    Parameters
    ----------
    name : asset name (``hardware``, ``communication``, ``software``, or any other).
    mean_life : expected service life μ in years.
    depreciation : geometric depreciation rate δ (base-year stock; ``geometric`` profile; user cost).
    beta : hyperbolic efficiency parameter β of ``h(x) = (T − x)/(T − βx)``, in [0, 1).
    profile : ``caict`` (default), ``bls-mixture``, ``geometric`` or ``caict-printed``.
    sd_ratio : standard deviation of the retirement distribution as a share of μ (σ = sd_ratio·μ).
    truncation_sd : the normal retirement distribution is truncated at μ ± truncation_sd·σ.
    max_life_ratio : maximum service life T as a multiple of μ (T = 1.5 μ in the white paper).
    timing : ``end-of-year`` (investment of year t is age 0 at the end of t) or ``mid-year``
        (age 0.5).
    """

    name: str
    mean_life: float
    depreciation: float
    beta: float = 0.8
    profile: str = "caict"
    sd_ratio: float = 0.25
    truncation_sd: float = 2.0
    max_life_ratio: float = 1.5
    timing: str = "end-of-year"

    def __post_init__(self):
        where = {"asset": self.name}

        def bad(msg):
            raise ParameterError(msg, **where)

        expected_one_of("profile", self.profile, PROFILES, **where)
        expected_one_of("timing", self.timing, TIMINGS, **where)
        if not (isinstance(self.mean_life, (int, float)) and math.isfinite(self.mean_life)) \
                or self.mean_life <= 0:
            bad(f"mean service life must be a finite number > 0, got {self.mean_life!r}")
        if not math.isfinite(self.depreciation) or not (0.0 <= self.depreciation < 1.0):
            bad(f"depreciation rate must lie in [0, 1), got {self.depreciation!r}")
        if not math.isfinite(self.beta) or not (0.0 <= self.beta < 1.0):
            bad(f"hyperbolic beta must lie in [0, 1), got {self.beta!r}")
        if not math.isfinite(self.sd_ratio) or self.sd_ratio <= 0:
            bad(f"sd_ratio must be > 0, got {self.sd_ratio!r}")
        if not math.isfinite(self.truncation_sd) or self.truncation_sd <= 0:
            bad(f"truncation_sd must be > 0, got {self.truncation_sd!r}")
        if not math.isfinite(self.max_life_ratio) or self.max_life_ratio < 1.0:
            bad(f"max_life_ratio must be >= 1 (T >= μ), got {self.max_life_ratio!r}")

    @property
    def max_life(self) -> float:
        """Maximum service life T = max_life_ratio · μ."""
        return self.max_life_ratio * self.mean_life

    @property
    def sd(self) -> float:
        """Standard deviation σ of the retirement distribution."""
        return self.sd_ratio * self.mean_life

    @property
    def life_bounds(self) -> tuple[float, float]:
        """Support of the truncated normal service-life distribution, capped at T."""
        lo = max(self.mean_life - self.truncation_sd * self.sd, 0.0)
        hi = min(self.mean_life + self.truncation_sd * self.sd, self.max_life)
        return lo, hi

    def replace(self, **changes) -> "AssetSpec":
        """A copy with some parameters changed (validated again)."""
        return replace(self, **changes)


#: The white paper's ICT assets (Appendix 1, step three): μ, δ, β = 0.8, T = 1.5 μ.
HARDWARE = AssetSpec("hardware", mean_life=4.0, depreciation=0.3119)
COMMUNICATION = AssetSpec("communication", mean_life=7.5, depreciation=0.2644)
SOFTWARE = AssetSpec("software", mean_life=5.0, depreciation=0.315)

ICT_ASSETS: tuple[AssetSpec, ...] = (HARDWARE, COMMUNICATION, SOFTWARE)


def ict_assets(**changes) -> dict[str, AssetSpec]:
    """The default ICT assets keyed by name, optionally with parameters changed for all."""
    return {a.name: (a.replace(**changes) if changes else a) for a in ICT_ASSETS}
