"""Calibration on published levels *and* growth: targets, weights, plausible ranges, the fit,
and the calibration file that carries the result to ``estimate`` and ``sweep``.

Design (docs/attribution.md, "Calibration"):

* **Residuals.** Each fitted figure contributes ``r = deviation / tolerance``: levels (DE, DI, ID)
  as a deviation in per cent over a 3 % tolerance; growth rates and shares as a deviation in
  percentage points over 2 pp; sector penetration rates and the contribution to GDP growth in pp
  over 5 pp. The weight of a figure is thus 1 / tolerance, and "every target met" is
  ``max |r| <= 1``.
* **Targets.** The published DE and ID levels, the DE growth rates, and the DE share of GDP in
  years without a published DE level (with GDP given, level and share say the same thing), in
  the calibration years; DI only when ``di_scale`` is calibrated (no other coefficient moves it).
  Figures known not to belong to the data's vintage are compared but not fitted
  (:data:`NOT_FITTED`, each with its reason). Every other published figure is compared and
  marked ``held_out``.
* **Coefficients.** At most three, each with a plausible range (:data:`RANGES`); the fit is
  bounded by it, and the report says whether the value lies inside or at a bound. By default
  the cumulative rule calibrates θ only: θ and the ICT investment scale move DE together (the
  correlation of their columns of the Jacobian, reported by the fit, is above 0.99), so the
  targets cannot tell them apart.
* **Optimizer.** ``scipy.optimize.least_squares`` (bounded trust region; scales on the log
  scale) started from the best point of a coarse grid, so that a local minimum near the
  starting value is not taken for the fit.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from klems.base.errors import InputDataError, ParameterError, os_error_reason
from klems.base.version import __version__
from klems.base.vocabulary import COEFFICIENTS, SECTORS

#: plausible range of each calibrated coefficient, the scale it is fitted on, and why
RANGES = {
    "theta": ((0.0, 1.0), "linear", "a share of TFP growth"),
    "ict_investment_scale": ((0.67, 1.5), "log",
                             ("the input-output tables' GFCF/output ratios of the ICT products, "
                              "within ±50 %")),
    **{f"theta_{s}": ((0.0, 1.0), "linear", f"a share of the {s} sector's TFP growth")
       for s in SECTORS},
    "di_scale": ((0.75, 1.0), "log",
                 ("share of the ICT industries' value added counted in DI; the bundled DI shares "
                  "are 0 or 1 and clipped to [0, 1], so a multiplier above 1 changes nothing")),
}
#: default coefficients calibrated under each rule
DEFAULT_COEFFICIENTS = {
    "income-share": ("ict_investment_scale",),
    "contribution-rate": ("ict_investment_scale",),
    "contribution-plus-tfp": ("theta", "ict_investment_scale"),
    "cumulative": ("theta",),
}
#: tolerance of each figure (per cent for levels, percentage points otherwise)
TOLERANCES = {
    "digital_economy": 3.0, "digital_industrialization": 3.0, "industrial_digitalization": 3.0,
    "gdp": 3.0, "share_of_gdp": 2.0, "nominal_growth": 2.0, "id_share_of_de": 2.0,
    "di_share_of_de": 2.0, "id_share_of_gdp": 2.0, "contribution_to_gdp_growth": 5.0,
    "penetration_primary": 5.0, "penetration_secondary": 5.0, "penetration_tertiary": 5.0,
}
LEVELS = ("digital_economy", "digital_industrialization", "industrial_digitalization", "gdp")
#: published figures compared but never fitted: (region, figure, year) -> reason
NOT_FITTED = {
    ("guangxi", "share_of_gdp", 2017):
        "25.5 % with DE 5,200 implies a GDP of 20,392 亿元, the pre-census vintage, not the "
        "17,790.68 printed in the same table; the level is fitted instead",
    ("guangxi", "nominal_growth", 2017):
        "growth from a 2016 level that is not printed, on the pre-census GDP vintage (see the "
        "2017 share)",
}
CALIBRATION_FORMAT = 1
#: options of an attribution rule recorded in (and checked against) a calibration file
RULE_OPTIONS = {
    "income-share": (),
    "contribution-rate": ("window", "min_growth"),
    "contribution-plus-tfp": ("window", "min_growth"),
    "cumulative": ("cumulative_base_year", "cumulative_basis", "cumulative_negative"),
}


def unit_of(figure: str) -> str:
    """``%`` (relative deviation) for levels, ``pp`` for rates and shares."""
    return "%" if figure in LEVELS else "pp"


def deviation(figure: str, published: float, computed: float) -> float:
    """Levels: per cent of the published figure; rates: percentage points."""
    if figure in LEVELS:
        return 100.0 * (computed / published - 1.0) if published else float("nan")
    return computed - published


def check_coefficients(names) -> tuple[str, ...]:
    names = tuple(names)
    for c in names:
        if c not in COEFFICIENTS:
            raise ParameterError(f"unknown coefficient {c!r}; expected some of "
                                 f"{', '.join(COEFFICIENTS)}")
    if len(set(names)) != len(names):
        raise ParameterError(f"coefficient named twice in {', '.join(names)}")
    if len(names) > 3:
        raise ParameterError("calibrate at most three coefficients")
    return names


def select_targets(table: pd.DataFrame, region: str, calibrate, years=None) -> pd.DataFrame:
    """``table`` (one row per published figure, short names) with ``target`` (fitted or not),
    ``tolerance``, ``weight`` and ``note`` (why a figure is not fitted)."""
    first, last = years if years is not None else (-10**6, 10**6)
    fit_figures = {"digital_economy", "industrial_digitalization", "nominal_growth",
                   "share_of_gdp"}
    if "di_scale" in calibrate:
        fit_figures.add("digital_industrialization")
    if any(c.startswith("theta_") for c in calibrate):     # θ by sector: the sectors' ID
        fit_figures.update(f"penetration_{s}" for s in SECTORS)
    level_years = set(table.loc[table.figure == "digital_economy", "year"].astype(int))
    target, notes = [], []
    for r in table.itertuples(index=False):
        year = int(r.year)
        note = ""
        if r.figure not in fit_figures:
            note = ("compared only (no calibrated coefficient moves it)"
                    if r.figure == "digital_industrialization" else "compared only")
        elif not first <= year <= last:
            note = "held out (outside the calibration years)"
        elif (region, r.figure, year) in NOT_FITTED:
            note = "not fitted: " + NOT_FITTED[(region, r.figure, year)]
        elif r.figure == "share_of_gdp" and year in level_years:
            note = "the DE level of the year is fitted (with GDP given, the same information)"
        target.append(not note)
        notes.append(note)
    out = table.copy()
    out["tolerance"] = [TOLERANCES.get(f, 5.0) for f in out.figure]
    out["weight"] = 1.0 / out["tolerance"]
    out["target"] = target
    out["note"] = notes
    return out


def residuals(compared: pd.DataFrame) -> np.ndarray:
    """``deviation / tolerance`` of the fitted figures (NaN where the model has no value)."""
    t = compared[compared.target]
    return (t["deviation"] / t["tolerance"]).to_numpy(dtype=float)


def fit(evaluate, names, *, grid: int | None = None, max_nfev: int = 80) -> dict:
    """Bounded least squares of ``evaluate(values) -> residual vector`` over ``names``, started
    from the best point of a grid of ``grid`` points per coefficient (default 7, 5, 3 for one,
    two, three coefficients).

    Returns the values, the cost ``Σ r²``, the number of evaluations, the coefficients at a
    bound, and the correlation of the Jacobian's columns (identification) when there are two or
    more coefficients.
    """
    names = check_coefficients(names)
    specs = [RANGES[n] for n in names]
    lower = np.array([np.log(b[0]) if tr == "log" else b[0] for b, tr, _ in specs])
    upper = np.array([np.log(b[1]) if tr == "log" else b[1] for b, tr, _ in specs])

    def values(x):
        return {n: float(np.exp(v) if tr == "log" else v)
                for n, v, (_, tr, _) in zip(names, x, specs)}

    cache = {}

    def fun(x):
        key = tuple(np.round(x, 12))
        if key not in cache:
            r = np.asarray(evaluate(values(x)), dtype=float)
            cache[key] = np.where(np.isfinite(r), r, 1e3)
        return cache[key]

    grid = grid or {1: 7, 2: 5}.get(len(names), 3)
    axes = [np.linspace(lo + 0.05 * (hi - lo), hi - 0.05 * (hi - lo), grid)
            for lo, hi in zip(lower, upper)]
    start = min(itertools.product(*axes), key=lambda x: float(np.sum(fun(np.array(x)) ** 2)))
    from scipy.optimize import least_squares  # here: every command imports this module

    sol = least_squares(fun, np.array(start), bounds=(lower, upper), diff_step=1e-3,
                        max_nfev=max_nfev)
    out = {"values": values(sol.x), "cost": float(np.sum(sol.fun ** 2)),
           "nfev": int(sol.nfev) + len(cache), "status": int(sol.status),
           "at_bound": [n for n, v, lo, hi in zip(names, sol.x, lower, upper)
                        if np.isclose(v, lo, atol=1e-4) or np.isclose(v, hi, atol=1e-4)]}
    if len(names) > 1 and sol.jac is not None:
        with np.errstate(all="ignore"):
            corr = np.corrcoef(np.asarray(sol.jac).T)
        out["jacobian_correlation"] = {f"{a}/{b}": float(corr[i, j])
                                       for (i, a), (j, b) in itertools.combinations(
                                           enumerate(names), 2)}
    return out


def option_changes(values: dict, sector_theta: dict | None = None) -> dict:
    """EstimateOptions changes for calibrated ``values``: ``theta_<sector>`` go into
    ``sector_theta`` (merged with the run's own ``sector_theta``)."""
    changes = {k: v for k, v in values.items() if not k.startswith("theta_")}
    sectors = {k[len("theta_"):]: v for k, v in values.items() if k.startswith("theta_")}
    if sectors:
        changes["sector_theta"] = {**(sector_theta or {}), **sectors}
    return changes


def coefficient_table(values: dict) -> pd.DataFrame:
    """One row per calibrated coefficient: value, plausible range, inside it or not, why."""
    rows = []
    for name, value in values.items():
        (lo, hi), _, why = RANGES[name]
        at = np.isclose(value, lo, rtol=1e-4, atol=1e-6) or np.isclose(value, hi, rtol=1e-4,
                                                                       atol=1e-6)
        rows.append({"coefficient": name, "value": float(value), "low": lo, "high": hi,
                     "inside": bool(lo <= value <= hi and not at), "at_bound": bool(at),
                     "range_reason": why})
    return pd.DataFrame(rows, columns=["coefficient", "value", "low", "high", "inside",
                                       "at_bound", "range_reason"])


# ------------------------------------------------------------------------ calibration files
def rule_options(options: dict) -> dict:
    """The options of the rule named in ``options`` (EstimateOptions as a dict)."""
    rule = options["attribution"]
    return {"attribution": rule, **{k: options[k] for k in RULE_OPTIONS[rule]}}


def calibration_document(result: dict) -> dict:
    """The calibration file's content from :func:`klems.pipeline.reproduction.reproduce`."""
    opts = result["options"]
    return {
        "klems_calibration": CALIBRATION_FORMAT,
        "province": result["province"],
        "vintage": result.get("vintage"),
        "calibrated": dict(result["calibrated"]),
        "options": rule_options(opts),
        "model_options": {k: v for k, v in opts.items() if k not in rule_options(opts)
                          and k not in result["calibrated"]},
        "ranges": {k: list(RANGES[k][0]) for k in result["calibrated"]},
        "targets": [{"figure": r.figure, "year": int(r.year), "published": float(r.published),
                     "tolerance": float(r.tolerance)}
                    for r in result["calibrated_table"].itertuples() if r.target],
        "fit": {k: v for k, v in result.get("fit", {}).items()},
        "project_version": __version__,
    }


def save_calibration(result: dict, path) -> None:
    """Write the calibration file (JSON, UTF-8) to ``path``."""
    doc = calibration_document(result)
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=_plain) + "\n",
                          encoding="utf-8")


def _plain(v):
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return str(v)


def load_calibration(path) -> dict:
    """Read and check a calibration file; adds ``file`` and ``sha256``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputDataError(f"cannot read the calibration file: {os_error_reason(exc)}",
                             file=str(path)) from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputDataError(f"not a calibration file: invalid JSON ({exc}); expected the file "
                             "written by 'klems reproduce --save'", file=str(path)) from None
    if not isinstance(doc, dict) or "calibrated" not in doc or "options" not in doc:
        raise InputDataError("not a calibration file: expected a JSON object with 'calibrated' "
                             "(name -> value) and 'options' (the rule's options), as written by "
                             "'klems reproduce --save'", file=str(path))
    calibrated = doc["calibrated"]
    if not isinstance(calibrated, dict) or not isinstance(doc["options"], dict) \
            or "attribution" not in doc["options"]:
        raise InputDataError("calibration file: 'calibrated' must map names to numbers and "
                             "'options' must name the rule ('attribution')", file=str(path))
    try:
        check_coefficients(calibrated)
    except ParameterError as exc:
        raise InputDataError(f"calibration file: {exc}", file=str(path)) from None
    for name, value in calibrated.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not np.isfinite(value):
            raise InputDataError(f"calibration file: coefficient {name} must be a finite "
                                 f"number, got {value!r}", file=str(path))
    return {**doc, "file": str(path), "sha256": hashlib.sha256(raw).hexdigest()}


def apply_calibration(doc: dict, options: dict, explicit: dict) -> dict:
    """The options of a run with the calibration ``doc`` applied.

    ``options``: the run's options (EstimateOptions keywords); ``explicit``: the ones the user
    gave (e.g. on the command line). An explicit option that contradicts the file's rule, its
    options or a calibrated coefficient is refused with a message naming both values.
    """
    wanted = {**doc["options"], **option_changes(doc["calibrated"],
                                                 options.get("sector_theta"))}
    clashes = [f"{k}: {explicit[k]!r} given, the calibration has {v!r}"
               for k, v in wanted.items() if k in explicit and explicit[k] is not None
               and not _same(explicit[k], v)]
    if clashes:
        raise ParameterError(f"the calibration file {doc.get('file', '')} contradicts the "
                             f"command line ({'; '.join(clashes)}); drop the option or use "
                             "another calibration")
    return {**options, **wanted}


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=1e-12))
    return a == b


def provenance(doc: dict) -> dict:
    """Attributes an estimate records about the calibration it used."""
    return {"calibration_file": doc.get("file", ""),
            "calibration_sha256": doc.get("sha256", ""),
            "calibrated": json.dumps(doc["calibrated"], sort_keys=True),
            "calibration_province": str(doc.get("province", "")),
            "calibration_vintage": str(doc.get("vintage", ""))}
