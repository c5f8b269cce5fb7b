"""The bundled θ regressions: pooled over the 31 provinces, and each province's own with its test.

θ is the share of TFP growth attributed to ICT: ``θ = b Σx / ΣΔHA`` with ``b`` the OLS slope of
TFP growth on ICT capital deepening (:func:`klems.accounts.attribution.estimate_theta`). One
province's regression is noise (R² of a few per cent), so the default θ of every province is the
slope of the pooled panel of the 31 provinces, with a standard error clustered by province and
industry; a province's own θ is used only where its regression is *informative* (the test is
stated in the file and in docs/attribution.md).

Running 31 provinces takes about a minute, so the regressions are precomputed by the build script
``python -m data.build.theta`` into ``klems.data/built/theta.json``, with their provenance: the
data vintage and the SHA-256 of every dataset used, the options of the accounts, the project
version and commit. ``tests/validation/test_theta_bundle.py`` checks that the file is current.
"""

from __future__ import annotations

import functools
import json

from klems.base.errors import InputDataError, ParameterError
from klems.base.provinces import province as _province
from klems.base.resources import data_root

THETA_FILE = "theta.json"


@functools.lru_cache(maxsize=1)
def theta_bundle() -> dict:
    """The whole bundled file (provenance, and per vintage the pooled and per-province fits)."""
    resource = data_root() / "built" / THETA_FILE
    if not resource.is_file():
        raise InputDataError("bundled θ regressions missing; run `python -m data.build.theta`",
                             file=f"klems.data/built/{THETA_FILE}")
    return json.loads(resource.read_text(encoding="utf-8"))


def _vintage(vintage: str | None) -> dict:
    bundle = theta_bundle()
    key = vintage or bundle["default_vintage"]
    if key not in bundle["vintages"]:
        raise ParameterError(f"no bundled θ regression for vintage {key!r}; expected one of "
                             f"{', '.join(bundle['vintages'])}")
    return bundle["vintages"][key]


def pooled_theta(vintage: str | None = None) -> dict:
    """The pooled θ of ``vintage`` (default: the bundle's default vintage): ``theta``, ``se``
    (two-way clustered by province and industry), ``b``, ``b_se``, ``r2``, ``nobs``, the other
    standard errors and the vintage."""
    entry = _vintage(vintage)
    return {**entry["pooled"], "vintage": vintage or theta_bundle()["default_vintage"]}


def province_theta(key: str, vintage: str | None = None) -> dict:
    """A province's own regression and its test against the pooled one (``informative``)."""
    entry = _vintage(vintage)
    name = _province(key).key
    if name not in entry["provinces"]:
        raise ParameterError(f"no bundled θ regression for {name!r} in vintage "
                             f"{vintage or theta_bundle()['default_vintage']!r}")
    return entry["provinces"][name]


def informative_test() -> str:
    """The test that makes a province's own θ informative, in words (as stored in the file)."""
    return theta_bundle()["informative_test"]
