"""``klems diff OLD.nc NEW.nc``: the change of DE, DI and ID between two estimates, explained."""

from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from klems.base.errors import InputDataError
from klems.datasets.bundled import load_dataset
from klems.datasets.provincial_table import apply_provincial_table, read_provincial_table
from klems.inputs.reader import read_input
from klems.outputs.change_report import change_chart, change_table
from klems.outputs.files import OutputSet
from klems.outputs.provenance import file_sha256
from klems.pipeline.change_decomposition import decompose


def register(sub) -> None:
    p = sub.add_parser(
        "diff", help="explain the change between two estimates (data revisions, added years, "
                     "options)",
        description="Reads two NetCDF files of 'klems estimate --format nc', recomputes the "
                    "estimate with the pieces swapped one after another (the new data on the "
                    "old years, then all new years, then the new options) and splits the change "
                    "of DE, DI and ID of every year into data revisions, added years, options "
                    "or method and what the recomputation does not reproduce. Prints a table; "
                    "with --out writes a CSV and a chart.")
    p.add_argument("old", help="the earlier estimate (NetCDF)")
    p.add_argument("new", help="the later estimate (NetCDF)")
    p.add_argument("--old-input", help="the input workbook OLD.nc was computed from, where it "
                                       "has moved (default: the path recorded in the file)")
    p.add_argument("--new-input", help="the same for NEW.nc (default: the path NEW.nc records)")
    p.add_argument("--out", help="folder for diff.csv and diff.png (default: none, the table is printed only)")
    p.add_argument("--lang", choices=["zh", "en"], default="en", help="language of labels")
    p.set_defaults(func=run)


def _open(path) -> xr.Dataset:
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            return ds.load()
    except (OSError, ValueError) as exc:
        raise InputDataError(f"cannot read the estimate ({exc}); expected a NetCDF file of "
                             "'klems estimate --format nc'", file=str(path)) from None


def data_of(result: xr.Dataset, override, label: str) -> xr.Dataset:
    """The data a result was computed from: its input workbook (checked against the recorded
    hash) or the bundled vintage, with its own input-output table applied."""
    a = result.attrs
    path = override or a.get("input_path")
    if path:
        if not Path(path).exists():
            raise InputDataError(f"{label} was computed from the input {path}, which is not "
                                 f"there; expected it, or its new place with --{label.lower()}"
                                 "-input FILE")
        data = read_input(path)
        recorded = json.loads(a.get("input_sha256", "{}")).get("dataset")
        if recorded and data.attrs.get("sha256") != recorded:
            raise InputDataError(f"the input {path} has changed since {label} was computed "
                                 f"(sha256 {data.attrs.get('sha256', '')[:12]}, recorded "
                                 f"{recorded[:12]}); expected the workbook {label} was computed "
                                 f"from (--{label.lower()}-input FILE)")
    else:
        data = load_dataset(str(a.get("province", "guangxi")), vintage=a.get("vintage"))
    if a.get("io_table"):
        table = a["io_table"]
        if not Path(table).is_file():
            raise InputDataError(f"{label} used the input-output table {table}, which is not "
                                 "there; expected it at that path")
        if a.get("io_table_sha256") and file_sha256(table) != a["io_table_sha256"]:
            raise InputDataError(f"the input-output table {table} has changed since {label} "
                                 "was computed; expected the same file")
        data = apply_provincial_table(data, read_provincial_table(table))
    return data


def run(args) -> int:
    old, new = _open(args.old), _open(args.new)
    if old.attrs.get("province") != new.attrs.get("province"):
        raise InputDataError(f"OLD is an estimate of {old.attrs.get('province')}, NEW of "
                             f"{new.attrs.get('province')}; expected two estimates of one province")
    frame = decompose(old, new, data_of(old, args.old_input, "OLD"),
                      data_of(new, args.new_input, "NEW"), province=old.attrs.get("province"))
    print(change_table(frame, args.lang))
    if args.out:
        outs = OutputSet(args.out)
        outs.add("diff.csv", lambda p: frame.to_csv(p, index=False, encoding="utf-8-sig"))
        outs.add("diff.png", lambda p: change_chart(frame, p, args.lang))
        written = outs.commit()
        print("wrote: " + ", ".join(str(p) for p in written))
    return 0
