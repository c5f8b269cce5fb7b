"""``estimate(province)``: the bundled (or a user's) data and prices in, the estimate out.

Loads the dataset and the ICT and non-ICT investment prices, runs the pure
:func:`klems.pipeline.compute.compute`, restricts the reported years and adds the provenance.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import xarray as xr

import price_index
from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from klems.datasets.bundled import DATASET_NAMES, LATEST, VINTAGES, load_dataset
from klems.datasets.provincial_table import apply_provincial_table, read_provincial_table
from klems.outputs.provenance import file_sha256, input_statuses, provenance_attrs
from klems.pipeline.compute import compute
from klems.pipeline.options import EstimateOptions, parse_years


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
    return inputs.drop_vars(drop)


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


def estimate(province: str = "guangxi", *, years=None, data: xr.Dataset | None = None,
             vintage: str | None = None, io_table=None, **options) -> xr.Dataset:
    """Estimate the digital economy of a province (or ``china``); see :class:`EstimateOptions`.

    ``years`` (``"2017-2021"`` or a pair) restricts the reported years (the stocks always run
    over the whole dataset). ``data`` replaces the bundled dataset (e.g. a user's own, read by
    the template reader); otherwise the bundled dataset of ``vintage`` is used (default the
    latest, see :data:`klems.datasets.bundled.VINTAGES`). ``io_table``: a province's own
    input-output table (file, NBS layout) that replaces the regionalised structure for its year
    and anchors the neighbouring years (:mod:`klems.datasets.provincial_table`). Returns the
    Dataset that the CLI prints and writes.
    """
    opts = EstimateOptions(**options)
    span = parse_years(years)
    if vintage is not None:
        expected_one_of("vintage", vintage, VINTAGES, hint="--vintage")
    if data is None:
        data = load_dataset(province, vintage=vintage)
    elif vintage is not None:
        raise ParameterError("--vintage chooses among the bundled datasets; it cannot be "
                             "combined with your own data (--input), whose vintage is yours")
    table_info = None
    if io_table is not None:
        table = read_provincial_table(io_table)
        data = apply_provincial_table(data, table)
        table_info = {"io_table": str(io_table), "io_table_year": int(table.attrs.get("year", 0))
                      if table.attrs.get("year") else None}
    data, inputs, ict_p, nict_p = prepare_inputs(province, opts, data)
    result = compute(inputs, ict_p, nict_p, opts)
    if ict_p.attrs.get("fallback"):
        result.attrs["warnings"] = "\n".join(
            w for w in (ict_p.attrs["fallback"], result.attrs.get("warnings", "")) if w)
    if span is not None:
        avail = [int(y) for y in result.year.values]
        missing = [y for y in range(span[0], span[1] + 1) if y not in avail]
        if missing:
            later = [y for y in missing if y > avail[-1]]
            hint = (f"; the data end in {avail[-1]}: to add a year, fill in a yearbook sheet "
                    f"(klems yearbook --province {province} --year {later[0]} --out "
                    f"yearbook_{later[0]}.xlsx) and extend the data (klems extend --province "
                    f"{province} --input yearbook_{later[0]}.xlsx --out extended.xlsx), then "
                    "estimate with --input extended.xlsx" if later else
                    f"; the accounts start in {avail[0]} (the first year of the data has no "
                    "previous-year price)")
            raise ParameterError(f"years {missing} are outside the estimate's years "
                                 f"{avail[0]}-{avail[-1]}{hint}")
        result = result.sel(year=slice(span[0], span[1]))
    result["ict_deflator"] = ict_p.assign_attrs(units="index 2000=100")
    statuses = input_statuses(data)
    result.attrs.update(provenance_attrs(
        {**opts.as_dict(), "years": list(span) if span else None},
        statuses=statuses,
        inputs={"dataset": data.attrs.get("sha256", "")} if data.attrs.get("sha256") else None))
    result.attrs["asset_parameters"] = json.dumps(
        {name: asdict(spec) for name, spec in opts.specs().items()}, sort_keys=True)
    result.attrs["vintage"] = data.attrs.get("vintage", vintage or LATEST)
    if table_info:
        result.attrs.update({k: v for k, v in table_info.items() if v is not None})
        if io_table is not None and Path(io_table).is_file():
            result.attrs["io_table_sha256"] = file_sha256(io_table)
    result.attrs["province"] = data.attrs.get("province", province)
    result.attrs["province_zh"] = data.attrs.get("province_zh", "")
    result.attrs["data_source"] = data.attrs.get(
        "source", "bundled dataset (regionalised national input-output structure)")
    return result
