"""Why an estimate changed: DE, DI and ID of two estimates, the change split into its causes.

``klems diff OLD.nc NEW.nc``. The estimates' NetCDF files record their options, data (bundled
province and vintage, or the input workbook's path and hash) and the freeze year; the change of
each figure and year is split by recomputing with the pieces swapped one after another (a
sequential decomposition; the order is fixed and stated):

1. **data revisions** — the new data restricted to the old years, old options, minus the old
   estimate recomputed: revised figures of the years both cover (and a new vintage or
   input-output table);
2. **added years** — the new data with all its years, old options, minus step 1: what adding
   years does to the earlier ones (nothing when the method's sample is frozen through the old
   last year, :func:`klems.pipeline.options.freeze_year`); the added years themselves are new;
3. **options or method** — the new options minus step 2 (attribution rule, asset parameters,
   ``freeze_through`` given explicitly, …);
4. **unexplained** — what the recomputations do not reproduce of the files (a different version
   of klems, changed code); zero when both files are reproduced.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.errors import InputDataError
from klems.pipeline.estimation import estimate
from klems.pipeline.options import EstimateOptions

FIGURES = ("digital_economy", "digital_industrialization", "industrial_digitalization")
PARTS = ("data_revisions", "added_years", "options_method", "unexplained")
REPRODUCE_TOLERANCE = 1e-9      # relative: a file counts as reproduced within this


def options_of(result: xr.Dataset) -> dict:
    """The estimate options recorded in a result's provenance (``attrs['parameters']``)."""
    try:
        params = json.loads(result.attrs["parameters"])
    except (KeyError, ValueError):
        raise InputDataError("the file has no estimate options in its attribute 'parameters'; "
                             "expected the NetCDF file of 'klems estimate --format nc'") from None
    fields = EstimateOptions.__dataclass_fields__
    return {k: v for k, v in params.items() if k in fields}


def _run(province, data, options, years=None) -> xr.Dataset:
    if years is not None:
        data = data.sel(year=[y for y in data.year.values if int(y) in years])
    return estimate(province, data=data, **options)


def _values(result, figure, years) -> np.ndarray:
    da = result[figure]
    return np.array([float(da.sel(year=y)) if y in da.year.values else np.nan for y in years])


def decompose(old: xr.Dataset, new: xr.Dataset, old_data: xr.Dataset, new_data: xr.Dataset,
              *, province: str | None = None) -> pd.DataFrame:
    """One row per figure (DE, DI, ID) and year of either file: ``old``, ``new``, ``change`` and
    its parts (:data:`PARTS`). ``old_data`` / ``new_data``: the data each file was computed from
    (with a province's own input-output table already applied). ``attrs`` of the frame: the
    options that changed, the freeze years, how well the files were reproduced."""
    province = province or str(new.attrs.get("province") or old.attrs.get("province"))
    o_old, o_new = options_of(old), options_of(new)
    old_years = [int(y) for y in old_data.year.values]
    common = [y for y in old_years if y in set(int(v) for v in new_data.year.values)]
    if len(common) < 3:
        raise InputDataError(f"the two estimates' data share {len(common)} year(s); expected at "
                             "least three to compare")
    e0 = _run(province, old_data, o_old)
    e1 = _run(province, new_data, o_old, set(common))
    e2 = _run(province, new_data, o_old)
    e3 = _run(province, new_data, o_new)
    years = sorted(set(int(y) for y in old.year.values) | set(int(y) for y in new.year.values))
    rows = []
    worst = {"old": 0.0, "new": 0.0}
    for figure in FIGURES:
        v_old, v_new = _values(old, figure, years), _values(new, figure, years)
        r0, r1, r2, r3 = (_values(e, figure, years) for e in (e0, e1, e2, e3))
        with np.errstate(invalid="ignore"):
            for key, a, b in (("old", r0, v_old), ("new", r3, v_new)):
                gap = np.nanmax(np.abs(a - b) / np.maximum(np.abs(b), 1e-300), initial=0.0)
                worst[key] = max(worst[key], float(gap))
        for i, y in enumerate(years):
            both = np.isfinite(v_old[i]) and np.isfinite(v_new[i])
            row = {"figure": figure, "year": y, "old": v_old[i], "new": v_new[i],
                   "change": v_new[i] - v_old[i] if both else np.nan}
            if both:
                row |= {"data_revisions": r1[i] - r0[i], "added_years": r2[i] - r1[i],
                        "options_method": r3[i] - r2[i]}
                row["unexplained"] = row["change"] - sum(row[p] for p in PARTS[:3])
            else:
                row |= dict.fromkeys(PARTS, np.nan)
            row["status"] = "both" if both else ("new year" if np.isfinite(v_new[i])
                                                 else "dropped")
            rows.append(row)
    frame = pd.DataFrame(rows)
    changed = {k: (o_old.get(k), o_new.get(k)) for k in sorted(set(o_old) | set(o_new))
               if o_old.get(k) != o_new.get(k)}
    frame.attrs.update({
        "province": province, "options_changed": changed,
        "freeze_old": str(e0.attrs.get("freeze_through")),
        "freeze_new": str(e3.attrs.get("freeze_through")),
        "freeze_old_on_new_data": str(e2.attrs.get("freeze_through")),
        "data_old": describe_data(old), "data_new": describe_data(new),
        "reproduced_old": worst["old"], "reproduced_new": worst["new"],
        "years_old": f"{old_years[0]}-{old_years[-1]}",
        "years_new": f"{int(new_data.year.values[0])}-{int(new_data.year.values[-1])}",
    })
    return frame


def describe_data(result: xr.Dataset) -> str:
    """Where a result's data came from, in one line (from its attributes)."""
    a = result.attrs
    if a.get("input_path"):
        sha = json.loads(a.get("input_sha256", "{}")).get("dataset", "")
        where = f"input {a['input_path']} (sha256 {sha[:12]})"
    else:
        where = f"bundled {a.get('province', '')}, vintage {a.get('vintage', '')}"
    if a.get("io_table"):
        where += f", input-output table {a['io_table']}"
    return where
