"""``estimate(province)``: the bundled (or a user's) data and prices in, the estimate out.

Loads the dataset and the ICT and non-ICT investment prices, runs the pure
:func:`klems.pipeline.compute.compute`, restricts the reported years and adds the provenance.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import xarray as xr

import price_index
from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from klems.datasets.bundled import (
    DATASET_NAMES,
    LATEST,
    VINTAGES,
    WHITE_PAPER_VINTAGE,
    load_dataset,
)
from klems.datasets.classification import load_classification
from klems.datasets.provincial_table import apply_provincial_table, read_provincial_table
from klems.outputs.provenance import file_sha256, input_statuses, provenance_attrs
from klems.pipeline.calibration import (
    apply_calibration,
    load_calibration,
    provenance as calibration_provenance,
)
from klems.pipeline.compute import compute
from klems.pipeline.options import EstimateOptions, check_years_available, parse_years
from klems.pipeline.plausibility import caict_penetration, industry_flags, plausibility_notes
from klems.pipeline.published import published_distance


def estimator_inputs(data: xr.Dataset) -> xr.Dataset:
    """The variables of a bundled (or user) dataset under the names :func:`compute` expects."""
    missing = [src for src in DATASET_NAMES.values() if src not in data]
    if missing:
        raise InputDataError(f"dataset lacks variable(s) {missing}; expected the layout of "
                             "klems.load_dataset")
    inputs = xr.Dataset({name: data[src] for name, src in DATASET_NAMES.items()})
    sector = data["industry_sector"] if "industry_sector" in data.coords else data["sector"]
    inputs = inputs.assign_coords(sector=("industry", sector.values),
                                  di_share=("industry", data["di_share"].values))
    drop = [c for c in inputs.coords if c not in ("industry", "year", "asset", "sector",
                                                   "di_share")]
    inputs = inputs.drop_vars(drop)
    # the province and vintage choose the bundled θ (klems.datasets.theta_estimates)
    inputs.attrs = {k: data.attrs[k] for k in ("province", "vintage") if data.attrs.get(k)}
    if data.attrs.get("freeze_through") is not None:     # issue 16: recorded by klems extend
        inputs.attrs["freeze_through"] = data.attrs["freeze_through"]
    return inputs


def prepare_inputs(province: str, opts: EstimateOptions, data: xr.Dataset | None = None):
    """The bundled dataset of a province with its ICT and non-ICT investment prices."""

    if data is None:

        data = load_dataset(province)
    inputs = estimator_inputs(data)
    key = data.attrs.get("province", province)
    if "ict_deflator" in data:      # a user's own deflators (klems.inputs.reader) are used as given
        ict_p = data["ict_deflator"]
    elif (opts.reference, opts.international, opts.smoothing_level) == \
            ("investment", "euklems-japan", None) and \
            (bundled := price_index.bundled_ict_deflators(key)) is not None:
        ict_p = bundled       # default options: the built table, no refit at start-up
    else:
        try:
            ict_p = price_index.ict_deflators(key, reference=opts.reference,
                                              international=opts.international,
                                              smoothing_level=opts.smoothing_level)
        except InputDataError as exc:
            if opts.reference != "investment" or "fixed-asset-investment price index" \
                    not in str(exc):
                raise
            # e.g. Tibet publishes no FAI price index: harmonise against the GDP deflator
            ict_p = price_index.ict_deflators(key, reference="gdp",
                                              international=opts.international,
                                              smoothing_level=opts.smoothing_level)
            ict_p.attrs["fallback"] = (f"{key} has no fixed-asset-investment price index: the "
                                       "ICT deflators use the GDP deflator as domestic reference")
    nict_p = data["non_ict_investment_deflator"]
    return data, inputs, ict_p, nict_p


def flag_undefined(result: xr.Dataset, first_year: int) -> xr.Dataset:
    """No NaN or ±inf reaches an output unflagged: ±inf is an error naming the variable and
    where; NaN (an undefined figure, written as an empty cell or the NetCDF fill value) is
    described on its variable (``undefined``) and, unless it is the first year of a growth rate
    (no previous year), listed in the warnings."""
    notes = []
    for name, var in result.data_vars.items():
        if var.dtype.kind != "f":
            continue
        values = var.values
        inf = np.isinf(values)
        if inf.any():
            where = {d: var[d].values[i] for d, i in zip(var.dims, np.argwhere(inf)[0])
                     if d in var.coords}
            raise InputDataError(f"{name} is infinite in {int(inf.sum())} cell(s); expected "
                                 "finite figures: an input value is implausibly large or small "
                                 "there (see 'klems validate')", variable=name, **where)
        nan = np.isnan(values)
        if not nan.any():
            continue
        if "year" in var.dims:
            first = (var["year"] == first_year).values
            axis = var.dims.index("year")
            idx = [slice(None)] * var.ndim
            idx[axis] = ~first
            rest = nan[tuple(idx)]
        else:
            rest = nan
        var.attrs["undefined"] = int(nan.sum())
        if not rest.any():
            var.attrs["comment"] = (f"undefined (NaN: an empty cell in CSV and workbook) in "
                                    f"{first_year}, the first year of the accounts: no previous "
                                    "year to grow from")
            continue
        where = {d: var[d].values[i] for d, i in zip(var.dims, np.argwhere(nan)[0])
                 if d in var.coords}
        loc = ", ".join(f"{d} {v}" for d, v in where.items())
        var.attrs["comment"] = (f"undefined (NaN: an empty cell in CSV and workbook) in "
                                f"{int(nan.sum())} cell(s), e.g. {loc}")
        notes.append(f"{name} is undefined in {int(nan.sum())} cell(s) (e.g. {loc}): written "
                     "as empty cells")
    if notes:
        result.attrs["warnings"] = "\n".join(
            w for w in (result.attrs.get("warnings", ""), *notes) if w)
    return result


def estimate(province: str = "guangxi", *, years=None, data: xr.Dataset | None = None,
             vintage: str | None = None, io_table=None, calibration=None,
             explicit: dict | None = None, **options) -> xr.Dataset:
    """Estimate the digital economy of a province (or ``china``); see :class:`EstimateOptions`.

    ``years`` (``"2017-2021"`` or a pair) restricts the reported years (the stocks always run
    over the whole dataset). ``data`` replaces the bundled dataset (e.g. a user's own, read by
    the template reader); otherwise the bundled dataset of ``vintage`` is used (default the
    latest, see :data:`klems.datasets.bundled.VINTAGES`, or the calibration's when a calibration
    is given). ``io_table``: a province's own input-output table (file, NBS layout) that
    replaces the regionalised structure for its year and anchors the neighbouring years
    (:mod:`klems.datasets.provincial_table`). ``calibration``: a calibration file written by
    ``klems reproduce --save`` (path, or its content from
    :func:`klems.pipeline.calibration.load_calibration`): its rule, the rule's options and the
    calibrated coefficients are used, and recorded in the provenance; ``explicit`` names the
    options the user gave (default: all of ``options``), and one that contradicts the file is
    refused. Returns the Dataset that the CLI prints and writes, with the distance of the
    headline figures from the published ones (where the region has some), the command that
    reproduces and calibrates them, and the plausibility warnings.
    """
    doc = None
    if calibration is not None:
        doc = calibration if isinstance(calibration, dict) else load_calibration(calibration)
        options = apply_calibration(doc, options, options if explicit is None else explicit)
        if vintage is None and data is None and doc.get("vintage"):
            vintage = doc["vintage"]
    opts = EstimateOptions(**options)
    span = parse_years(years)
    if vintage is not None:
        expected_one_of("vintage", vintage, VINTAGES, hint="--vintage")
    if data is None:
        data = load_dataset(province, vintage=vintage)
    elif vintage is not None and doc is None:
        raise ParameterError("--vintage chooses among the bundled datasets; it cannot be "
                             "combined with your own data (--input), whose vintage is yours")
    table_info = None
    if io_table is not None:
        table = read_provincial_table(io_table)
        data = apply_provincial_table(data, table)
        table_info = {"io_table": str(io_table), "io_table_year": int(table.attrs.get("year", 0))
                      if table.attrs.get("year") else None}
    data, inputs, ict_p, nict_p = prepare_inputs(province, opts, data)
    if span is not None:             # checked before the work: the accounts start in year 2
        avail = [int(y) for y in inputs.year.values[1:]]
        if not avail:
            raise ParameterError("the input has fewer than two years")
        check_years_available(span, avail, province=province,
                              first_note=" (the first year of the data has no previous-year "
                                         "price, so the accounts start one year later)")
    result = compute(inputs, ict_p, nict_p, opts)
    if ict_p.attrs.get("fallback"):
        result.attrs["warnings"] = "\n".join(
            w for w in (ict_p.attrs["fallback"], result.attrs.get("warnings", "")) if w)
    if span is not None:
        result = result.sel(year=slice(span[0], span[1]))
    result["ict_deflator"] = ict_p.assign_attrs(units="index 2000=100")
    result = flag_undefined(result, int(inputs.year.values[1]))
    statuses = input_statuses(data)
    result.attrs.update(provenance_attrs(
        {**opts.as_dict(), "years": list(span) if span else None},
        statuses=statuses,
        inputs={"dataset": data.attrs.get("sha256", "")} if data.attrs.get("sha256") else None))
    result.attrs["input_names_zh"] = json.dumps(      # the warnings name series in Chinese
        {str(k): str(data[k].attrs["long_name_zh"]) for k in data.data_vars
         if data[k].attrs.get("long_name_zh")}, ensure_ascii=False, sort_keys=True)
    result.attrs["asset_parameters"] = json.dumps(
        {name: asdict(spec) for name, spec in opts.specs().items()}, sort_keys=True)
    result.attrs["vintage"] = data.attrs.get("vintage", "" if "input_path" in data.attrs
                                             else vintage or LATEST)
    if table_info:
        result.attrs.update({k: v for k, v in table_info.items() if v is not None})
        if io_table is not None and Path(io_table).is_file():
            result.attrs["io_table_sha256"] = file_sha256(io_table)
    result.attrs["province"] = data.attrs.get("province", province)
    result.attrs["province_zh"] = data.attrs.get("province_zh", "")
    result.attrs["data_source"] = data.attrs.get(
        "source", "bundled dataset (regionalised national input-output structure)")
    if data.attrs.get("input_path"):        # issue 16: klems diff reads the data again
        result.attrs["input_path"] = data.attrs["input_path"]
    if doc is not None:
        result.attrs.update(calibration_provenance(doc))
        if "theta" in doc["calibrated"]:
            result.attrs["theta_source"] = f"calibrated ({doc.get('file', 'calibration')})"
        if doc.get("vintage") and doc["vintage"] != result.attrs["vintage"]:
            result.attrs["warnings"] = "\n".join(w for w in (
                result.attrs.get("warnings", ""),
                f"the calibration was fitted on the {doc['vintage']} data and is applied to "
                f"the {result.attrs['vintage'] or 'user'} data") if w)
    explain(result, opts, doc)
    return result


def explain(result: xr.Dataset, opts: EstimateOptions, doc: dict | None = None) -> None:
    """Attributes that let the outputs explain the estimate (in place): whether the rule is the
    default and calibrated, its distance from the published figures of the region, the command
    that reproduces and calibrates them, the CAICT national penetration beside the sector
    penetration, and the plausibility warnings."""
    key = result.attrs.get("province", "")
    calibrated = doc is not None
    result.attrs.update({
        "default_attribution": EstimateOptions().attribution,
        "attribution_is_default": opts.attribution == EstimateOptions().attribution,
        "calibrated_rule": opts.attribution if calibrated else "",
        "published_vintage": WHITE_PAPER_VINTAGE,
    })
    distance = published_distance(result, key) if key else None
    if distance is not None and len(distance):
        result.attrs["published_comparison"] = json.dumps(
            distance.to_dict("records"), ensure_ascii=False, default=float)
        result.attrs["reproduce_command"] = (
            f"klems reproduce --province {key} --save {key}_calibration.json && klems "
            f"estimate --province {key} --calibration {key}_calibration.json")
    ref = caict_penetration()
    if len(ref):
        pen = ref.pivot(index="sector", columns="year", values="caict") / 100.0
        result["penetration_caict"] = xr.DataArray(
            pen.values, dims=("sector", "caict_year"),
            coords={"sector": pen.index.values, "caict_year": pen.columns.values.astype(int)},
            attrs={"units": "1", "status": "published",
                   "long_name": "CAICT national ID penetration by sector (reference)",
                   "long_name_zh": "中国信通院全国三次产业数字经济渗透率（参考）"})
    flags = industry_flags(result)
    result.attrs["industry_flags"] = json.dumps(flags.to_dict("records"), ensure_ascii=False)
    names = load_classification()["name_en"].to_dict()
    notes = plausibility_notes(result, names)
    if notes:
        result.attrs["warnings"] = "\n".join(
            w for w in (result.attrs.get("warnings", ""), *notes) if w)
