"""NetCDF output with units and provenance attributes (netCDF4 engine)."""

from __future__ import annotations

import numpy as np
import xarray as xr


def _clean_attrs(attrs: dict) -> dict:
    out = {}
    for k, v in attrs.items():
        if v is None:
            continue
        if isinstance(v, (bool, np.bool_)):
            v = int(v)
        if isinstance(v, (list, tuple)) and v and all(
                isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)
                for x in v):
            v = np.asarray(v)     # numbers stay numbers (CF flag_masks, flag_values)
        elif isinstance(v, (list, tuple, dict)):
            v = str(v)
        out[k] = v
    return out


def prepare_for_netcdf(ds: xr.Dataset) -> xr.Dataset:
    """Booleans as int8 (with a flag note), object arrays as strings, attributes serialisable."""
    ds = ds.copy()
    for name in list(ds.variables):
        var = ds[name]
        if var.dtype == bool:
            ds[name] = var.astype("int8").assign_attrs(var.attrs, flag_values="0 1",
                                                       flag_meanings="false true")
        elif var.dtype == object:
            ds[name] = var.astype(str)
        ds[name].attrs = _clean_attrs(ds[name].attrs)
    ds.attrs = _clean_attrs(ds.attrs)
    return ds


def write_netcdf(ds: xr.Dataset, path) -> None:
    prepare_for_netcdf(ds).to_netcdf(path, engine="netcdf4")
