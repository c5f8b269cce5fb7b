"""Provenance attributes that every output carries: version, parameters, inputs, statuses."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path

import numpy as np

from klems.base.version import __version__


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def resource_sha256(package: str, name: str) -> str:
    """SHA-256 of a file shipped inside a package (read through importlib.resources)."""
    from importlib.resources import files

    return hashlib.sha256(files(package).joinpath(name).read_bytes()).hexdigest()


def provenance_attrs(parameters: dict, *, inputs: dict | None = None,
                     statuses: dict | None = None, command: str | None = None) -> dict:
    """Flat attributes for NetCDF / workbook sheets (values are strings or numbers).

    ``parameters``: every option of the run; ``inputs``: name -> sha256 of input files;
    ``statuses``: input series -> published / derived / modelled (per year where it varies).
    """

    attrs = {
        "project": "klems-digital-economy",
        "project_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "parameters": json.dumps(parameters, ensure_ascii=False, sort_keys=True, default=str),
    }
    if command:
        attrs["command"] = command
    if inputs:
        attrs["input_sha256"] = json.dumps(inputs, sort_keys=True)
    if statuses:
        attrs["input_status"] = json.dumps(statuses, ensure_ascii=False, sort_keys=True,
                                           default=str)
    return attrs


#: status of inputs that carry no ``status`` attribute (and no ``<name>_status`` companion)
DEFAULT_STATUS = {
    "di_share": "derived (DI shares of the 2012 input-output classification, CAICT's digital "
                "industries)",
}


def input_statuses(data) -> dict:
    """Status (published / derived / modelled, by years) of each input series of a dataset.

    The ``<name>_status`` companions are not series of their own: they are summarised into
    their series' status when it has no ``status`` attribute. A series with neither says so
    (``"not recorded"``), never ``"unknown"``.
    """
    out = {}
    for name in data.data_vars:
        if str(name).endswith("_status"):
            continue
        status = data[name].attrs.get("status")
        companion = f"{name}_status"
        if not status and companion in data:
            values = [str(v) for v in np.asarray(data[companion].values).ravel()]
            status = "; ".join(sorted(set(values)))
        out[str(name)] = status or DEFAULT_STATUS.get(str(name), "not recorded in the dataset")
    return out


def describe(path: str | Path) -> str:
    return f"{Path(path).name} (sha256 {file_sha256(path)[:12]})"
