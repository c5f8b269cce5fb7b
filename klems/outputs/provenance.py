"""Provenance attributes that every output carries: version, parameters, inputs, statuses."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path

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


def describe(path: str | Path) -> str:
    return f"{Path(path).name} (sha256 {file_sha256(path)[:12]})"
