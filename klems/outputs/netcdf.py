"""NetCDF output that follows the CF conventions (CF-1.10), and reading it back.

What the writer does to a Dataset (:func:`prepare_for_netcdf`):

* global attributes ``Conventions``, ``title``, ``history``, ``source``, ``institution``,
  ``references`` (beside the project's provenance attributes);
* units that UDUNITS reads: the project's money unit "1e8 CNY" (亿元) becomes the UDUNITS scale
  factor ``1e8`` with ``currency = "CNY"``; log changes, shares and indices become ``1``; the
  human unit stays in ``units_label`` (and ``units_label_zh``);
* CF coordinate variables are numeric: a dimension with text labels (industry codes, assets,
  rules, provinces, ...) keeps no coordinate variable and gets a string-valued auxiliary
  coordinate ``<dim>_label`` (CF §6.1); :func:`read_netcdf` turns them back into indexes;
* coordinates get ``long_name`` (and ``units``/``axis`` where they mean something);
* booleans become ``int8`` flag variables with numeric ``flag_values`` and ``flag_meanings``;
  no units;
* every numeric variable is compressed (zlib level 4, shuffle).

The checks: ``tests/unit/test_netcdf_cf.py`` runs the IOOS compliance checker's CF-1.10 suite
on the estimate's and the sweep's files.
"""

from __future__ import annotations

import datetime as _dt
import threading

import numpy as np
import xarray as xr

CONVENTIONS = "CF-1.10"
INSTITUTION = ("computed with klems (open-source digital-economy accounts) by its user; input "
               "data: National Bureau of Statistics of China, provincial statistics bureaus")
REFERENCES = ("CAICT, 中国数字经济发展白皮书 (China Digital Economy White Paper); Guangxi Digital "
              "Economy White Paper 2022, Appendix 1 (KLEMS method); O'Mahony and Timmer (2009), "
              "Output, input and productivity measures at the industry level: the EU KLEMS "
              "database, Economic Journal 119(538)")
COMPRESSION = {"zlib": True, "complevel": 4, "shuffle": True}

# the project's unit labels -> (UDUNITS string, extra attributes, Chinese label)
UNITS = {
    "1e8 CNY": ("1e8", {"currency": "CNY", "price_basis": "current prices"}, "亿元"),
    "1e8 CNY at 2000 prices": ("1e8", {"currency": "CNY", "price_basis": "constant 2000 prices"},
                               "亿元（2000年不变价）"),
    "1e4 persons": ("1e4", {"counted": "persons"}, "万人"),
    "log change": ("1", {}, "对数变化"),
    "index 2000=100": ("1", {"index_base": "2000 = 100"}, "指数（2000年=100）"),
    "index": ("1", {}, "指数"),
    "previous year = 100": ("1", {"index_base": "previous year = 100"}, "指数（上年=100）"),
    "1/year": ("1/year", {}, "每年"),
    "years": ("year", {}, "年"),
    "year": ("year", {}, "年"),
    "1": ("1", {}, ""),
    "percent": ("percent", {}, "%"),
}

# coordinates: name -> attributes (long names in English and Chinese)
COORDINATES = {
    "year": {"long_name": "calendar year", "long_name_zh": "年份"},
    "industry": {"long_name": "industry code of the 2012 input-output table (139 industries)",
                 "long_name_zh": "行业代码（2012年投入产出表139部门）"},
    "asset": {"long_name": "asset type", "long_name_zh": "资产类型"},
    "rule": {"long_name": "attribution rule of industrial digitalization",
             "long_name_zh": "产业数字化归属方法"},
    "sector": {"long_name": "sector (primary, secondary, tertiary)", "long_name_zh": "三次产业"},
    "group": {"long_name": "capital group", "long_name_zh": "资本类别"},
    "province": {"long_name": "province (pinyin key)", "long_name_zh": "省份"},
    "draw": {"long_name": "draw number of the sensitivity design", "long_name_zh": "抽样序号",
             "units": "1"},
    "quantile": {"long_name": "probability of the quantile over draws",
                 "long_name_zh": "分位数概率", "units": "1"},
    "parameter": {"long_name": "swept parameter", "long_name_zh": "敏感性参数"},
    "output": {"long_name": "output variable", "long_name_zh": "输出变量"},
    "industry_sector": {"long_name": "sector of the industry", "long_name_zh": "行业所属三次产业"},
    "status": {"long_name": "data status (published, derived, modelled, interpolated, "
                            "extrapolated)", "long_name_zh": "数据状态"},
    "di_share": {"long_name": "share of the industry's value added counted as digital "
                              "industrialization", "long_name_zh": "数字产业化比例",
                 "units": "1"},
}


def cf_units(attrs: dict) -> dict:
    """The attributes with ``units`` readable by UDUNITS; the human unit kept in ``units_label``.

    Units the table does not know are left as they are (the CF test then fails, which is how a
    new unit gets noticed)."""
    attrs = dict(attrs)
    label = attrs.get("units")
    if not isinstance(label, str) or label not in UNITS or attrs.get("units_label"):
        return attrs
    udunits, extra, zh = UNITS[label]
    attrs["units"] = udunits
    if udunits != label:
        attrs["units_label"] = label
        if zh:
            attrs["units_label_zh"] = zh
    for k, v in extra.items():
        attrs.setdefault(k, v)
    return attrs


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


def _is_text(var) -> bool:
    return var.dtype == object or var.dtype.kind in "US"


def flag_attrs(attrs: dict, meanings: str | None = None) -> dict:
    """Attributes of a 0/1 flag variable: numeric ``flag_values``, no units."""
    meanings = meanings or attrs.get("flag_meanings") or "false true"
    attrs = {k: v for k, v in attrs.items()
             if k not in ("units", "units_label", "units_label_zh", "currency", "price_basis",
                          "flag_values", "flag_meanings")}
    return {**attrs, "flag_values": np.array([0, 1], dtype=np.int8), "flag_meanings": meanings}


def global_attrs(ds: xr.Dataset, title: str | None = None) -> dict:
    """CF's global attributes for ``ds`` (keeps what the Dataset already says)."""
    attrs = dict(ds.attrs)
    created = attrs.get("created") or _dt.datetime.now(_dt.timezone.utc).replace(
        microsecond=0).isoformat()
    command = attrs.get("command") or "klems (Python interface)"
    version = attrs.get("project_version", "")
    history = f"{created}: {command} (klems {version})"
    if attrs.get("history") and history not in str(attrs["history"]):
        history = f"{attrs['history']}\n{history}"
    place = attrs.get("province", "")
    return {
        "Conventions": CONVENTIONS,
        "title": title or attrs.get("title") or (
            f"Digital economy of {place} by KLEMS growth accounting" if place
            else "Digital economy by KLEMS growth accounting"),
        "history": history,
        "source": attrs.get("cf_source") or (
            f"klems {version}: KLEMS growth accounting over the 139 industries of China's 2012 "
            "input-output table (modelled); data: "
            + str(attrs.get("data_source", "the bundled provincial datasets"))),
        "institution": attrs.get("institution", INSTITUTION),
        "references": attrs.get("references", REFERENCES),
        "comment": attrs.get("comment", "values in units of 1e8 CNY (亿元) carry units = \"1e8\" "
                                        "and currency = \"CNY\"; the human-readable unit is in "
                                        "units_label"),
    }


def prepare_for_netcdf(ds: xr.Dataset, title: str | None = None) -> xr.Dataset:
    """The CF form of ``ds`` (see the module docstring); the data values are unchanged."""
    ds = ds.copy()
    # text-labelled dimensions: no coordinate variable, a string auxiliary coordinate instead
    for dim in list(ds.dims):
        if dim in ds.coords and _is_text(ds[dim]):
            labels = ds[dim].values.astype(str)
            attrs = {**COORDINATES.get(dim, {"long_name": dim}), **ds[dim].attrs}
            attrs["long_name"] = f"{attrs.get('long_name', dim)}: label"
            ds = ds.drop_vars(dim).assign_coords({f"{dim}_label": (dim, labels, attrs)})
    # CF label (string auxiliary coordinate) variables have one dimension besides the string
    # length: text coordinates over several dimensions (e.g. the status of the ICT deflator by
    # asset and year) are written as data variables
    ds = ds.reset_coords([c for c in ds.coords if c not in ds.dims and ds[c].ndim > 1
                          and _is_text(ds[c])])
    for name in list(ds.variables):
        var = ds[name]
        attrs = dict(var.attrs)
        if name in COORDINATES or name in ds.dims:
            attrs = {**COORDINATES.get(name, {"long_name": name}), **attrs}
        if var.dtype == bool:
            ds[name] = var.astype("int8")
            attrs = flag_attrs(attrs)
        elif var.dtype == object:
            ds[name] = var.astype(str)
        attrs = cf_units(attrs)
        if "flag_values" in attrs and isinstance(attrs["flag_values"], str):
            attrs["flag_values"] = np.array([int(x) for x in attrs["flag_values"].split()],
                                            dtype=ds[name].dtype)
        ds[name].attrs = _clean_attrs(attrs)
        ds[name].encoding.pop("coordinates", None)     # stale ones from the input files
    if "year" in ds.dims and "year" in ds.coords and "time" not in ds.variables:
        ds = _add_time(ds)
    ds.attrs = _clean_attrs({**ds.attrs, **global_attrs(ds, title)})
    return ds


def _add_time(ds: xr.Dataset) -> xr.Dataset:
    """An auxiliary CF time coordinate ``time(year)`` (mid-year, days since 2000-01-01) with
    bounds from 1 January to 1 January of the next year: the year as CF time, beside the integer
    ``year`` labels the project reads."""
    years = ds["year"].values.astype(int)
    epoch = np.datetime64("2000-01-01", "D")

    def days(y, m=1, d=1):
        return (np.datetime64(f"{y:04d}-{m:02d}-{d:02d}", "D") - epoch).astype(float)

    start = np.array([days(y) for y in years])
    end = np.array([days(y + 1) for y in years])
    attrs = {"standard_name": "time", "long_name": "middle of the year", "axis": "T",
             "units": "days since 2000-01-01 00:00:00", "calendar": "standard",
             "bounds": "time_bounds"}
    ds = ds.assign_coords(time=("year", (start + end) / 2.0, attrs))
    ds["time_bounds"] = (("year", "nv"), np.stack([start, end], axis=1))
    ds["time"].encoding.update(units=attrs["units"], calendar="standard")
    return ds


def encoding(ds: xr.Dataset) -> dict:
    """Compression for every numeric variable (text variables are not compressed)."""
    out = {}
    for name, var in ds.variables.items():
        enc = {}
        if var.dtype.kind in "fiub" and var.ndim:
            enc.update(COMPRESSION)
        if (name in ds.coords or name == "time_bounds") and var.dtype.kind in "fiu":
            enc["_FillValue"] = None        # coordinates and bounds have no missing values
        if var.dtype.kind in "OUS":
            enc["dtype"] = "S1"             # text as CF character arrays (UTF-8)
        if enc:
            out[name] = enc
    return out


def store_netcdf(cf: xr.Dataset, path, mode: str = "w") -> None:
    """Write a prepared (:func:`prepare_for_netcdf`) Dataset with its CF :func:`encoding` into
    ``path`` (``mode="a"`` adds it to a file being written, e.g. a sweep's per-draw store).

    xarray's own encoder and netCDF4 store write it, as ``Dataset.to_netcdf`` does; the store
    is opened here with a process-local lock because ``to_netcdf`` asks dask for its scheduler
    on every call when dask is installed, which imports dask and distributed (0.4 s) in every
    command that writes a file although none of our arrays is a dask array.
    """
    store = xr.backends.NetCDF4DataStore.open(str(path), mode=mode, format="NETCDF4",
                                              lock=threading.Lock())
    try:
        cf.dump_to_store(store, encoding=encoding(cf))
    finally:
        store.close()


def write_netcdf(ds: xr.Dataset, path, title: str | None = None) -> None:
    store_netcdf(prepare_for_netcdf(ds, title), path)


def restore_labels(ds: xr.Dataset) -> xr.Dataset:
    """Turn the ``<dim>_label`` auxiliary coordinates of a CF file back into dimension
    indexes (``ds.sel(industry="078")`` works again)."""
    for name in list(ds.coords):
        if name.endswith("_label") and ds[name].ndim == 1:
            dim = ds[name].dims[0]
            if name == f"{dim}_label" and dim not in ds.coords:
                attrs = dict(ds[name].attrs)
                attrs["long_name"] = str(attrs.get("long_name", dim)).removesuffix(": label")
                ds = ds.rename_vars({name: dim}).set_xindex(dim)
                ds[dim].attrs = attrs
    return ds


def read_netcdf(path, **kwargs) -> xr.Dataset:
    """Open a NetCDF file written by the project, text labels as indexes again (without the
    auxiliary CF time coordinate: the project indexes by ``year``)."""
    ds = restore_labels(xr.open_dataset(path, engine="netcdf4", decode_times=False, **kwargs))
    return ds.drop_vars([v for v in ("time", "time_bounds") if v in ds.variables])
