"""ICT investment deflators over (asset, year) and the long table of all provinces.

Hardware and communication equipment: the domestic reference deflator (non-ICT investment by
default, or the GDP deflator) harmonised with the smoothed international ICT price differential
(:func:`price_index.harmonized_deflator`); or, with ``method="ppi"``, the national PPI_C39
(the white paper's benchmark). Software: the CPI for transport and communication, as printed
(``software="cpi"``), or harmonised like hardware (``software="harmonized"``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError
from klems.base.provinces import province as _province, province_keys
from klems.base.resources import data_root
from price_index import deflators as _d
from price_index.harmonized import harmonized_deflator

METHODS = ("harmonized", "ppi")
SOFTWARE = ("cpi", "harmonized")


def _asset_series(asset, province, *, reference, international, international_reference,
                  smoothing, smoothing_level, method, software, start, end, ref_series):
    if asset == "software" and software == "cpi":
        s = _d.software_deflator(province, start=start, end=end)
        return s, {"source": "CPI transport and communication (national)"}
    if asset != "software" and method == "ppi":
        s = _d.ppi_deflator(start=start, end=end)
        return s, {"source": "PPI_C39 (national)"}
    source = international if (asset == "hardware" or international != "bea") else "euklems-japan"
    intl = _d.international_ict_price(asset, source)
    intl_ref = _d.international_reference_price(international_reference)
    s = harmonized_deflator(ref_series, intl, intl_ref, smoothing=smoothing,
                            smoothing_level=smoothing_level, base_year=_d.BASE)
    info = {"source": f"harmonized: {reference} deflator + smoothed differential "
                      f"({intl.name} − Japan {international_reference})"}
    if source != international:
        info["note"] = f"{international} has no {asset} series; EU KLEMS Japan used"
    return s, info


def ict_deflators(province: str = "guangxi", *, reference: str = "investment",
                  international: str = "euklems-japan", smoothing_level: float | None = None,
                  smoothing: str = "exponential", international_reference: str = "non-ict",
                  method: str = "harmonized", software: str = "cpi", start: int = _d.START,
                  end: int = _d.END) -> xr.DataArray:
    """Hardware, communication and software investment deflators, 2000 = 100, over (asset, year).

    ``reference``: domestic reference deflator, ``"investment"`` (non-ICT FAI deflator, default)
    or ``"gdp"``. ``international``: ``"euklems-japan"`` (Ip_IT, Ip_CT, Ip_Soft_DB) or ``"bea"``
    (computers; communication then falls back to EU KLEMS Japan). ``international_reference``:
    Japan's ``"non-ict"`` Törnqvist aggregate (default) or ``"gfcf"``. ``smoothing_level``:
    ``None`` estimates α per asset, a float fixes it. The coordinate ``status`` (asset, year)
    says ``published``, ``derived`` or ``extrapolated``; attrs hold the fitted parameters.
    """
    p = _province(province)
    expected_one_of("ICT deflator method", method, METHODS)
    expected_one_of("software deflator", software, SOFTWARE)
    expected_one_of("international ICT price series", international, _d.INTERNATIONAL)
    ref_series = _d.reference_deflator(p.key, reference, start=start, end=end)
    values, status, attrs = [], [], {}
    for asset in _d.ASSETS:
        s, info = _asset_series(asset, p.key, reference=reference, international=international,
                                international_reference=international_reference,
                                smoothing=smoothing, smoothing_level=smoothing_level,
                                method=method, software=software, start=start, end=end,
                                ref_series=ref_series)
        values.append(s.to_numpy())
        status.append(s.attrs["status"].to_numpy().astype(str))
        attrs[f"{asset}_source"] = info["source"]
        if "note" in info:
            attrs[f"{asset}_note"] = info["note"]
        for key in ("smoothing_level", "initial_level", "sse", "n_obs", "fit_years", "forecast",
                    "international_years", "smoothing_level_estimated"):
            if key in s.attrs:
                attrs[f"{asset}_{key}"] = s.attrs[key]
    years = np.arange(start, end + 1)
    da = xr.DataArray(
        np.vstack(values), dims=("asset", "year"),
        coords={"asset": list(_d.ASSETS), "year": years,
                "status": (("asset", "year"), np.vstack(status))},
        name="ict_deflator",
        attrs={"units": f"index {_d.BASE}=100", "long_name": "ICT investment deflator",
               "long_name_zh": "ICT投资价格指数", "province": p.key, "reference": reference,
               "international": international, "international_reference": international_reference,
               "method": method, "software": software, "smoothing": smoothing,
               "reference_status_last_published": int(
                   ref_series.index[ref_series.attrs["status"] == "published"].max()
                   if (ref_series.attrs["status"] == "published").any() else -1),
               **attrs})
    da["status"].attrs.update({"long_name": "status of each value",
                               "long_name_zh": "数据状态", "units": "1",
                               "flag_values": "published derived extrapolated"})
    return da


def deflator_table(provinces=None, **options) -> pd.DataFrame:
    """Long table: province, asset, year, index (2000 = 100), status, rule — every province
    with a reference series (the nation first). Provinces without one are skipped and listed
    in ``attrs["skipped"]``."""

    keys = provinces or province_keys(include_nation=True)
    rows, skipped, params = [], {}, {}
    for key in keys:
        try:
            da = ict_deflators(key, **options)
        except InputDataError as exc:
            skipped[key] = str(exc)
            continue
        for a in da.asset.values:
            for y, v, s in zip(da.year.values, da.sel(asset=a).values,
                               da.status.sel(asset=a).values):
                rows.append({"province": key, "asset": str(a), "year": int(y),
                             "index": float(v), "status": str(s)})
        params[key] = {k: v for k, v in da.attrs.items()}
    out = pd.DataFrame(rows)
    out.attrs["skipped"] = skipped
    out.attrs["parameters"] = params
    return out


BUNDLED_TABLE = "price_deflators_2000_2024.csv"


def bundled_ict_deflators(province: str = "guangxi") -> xr.DataArray | None:
    """The default-option deflators as built into ``data/price_deflators_2000_2024.csv``.

    Same values as ``ict_deflators(province)`` with default options (to the table's six
    decimals; a test checks that the table is what the code computes), without refitting the
    smoothing — the estimate's start-up then needs neither statsmodels nor the fits. Returns
    None when the province is not in the table (e.g. no reference series).
    """

    p = _province(province)
    with data_root().joinpath(BUNDLED_TABLE).open("rb") as fh:
        table = pd.read_csv(fh, dtype={"province": str, "asset": str})
    rows = table[table["province"] == p.key]
    if rows.empty:
        return None
    wide = rows.pivot(index="asset", columns="year", values="index").loc[list(_d.ASSETS)]
    status = rows.pivot(index="asset", columns="year", values="status").loc[list(_d.ASSETS)]
    da = xr.DataArray(wide.to_numpy(float), dims=("asset", "year"),
                      coords={"asset": list(_d.ASSETS), "year": wide.columns.astype(int),
                              "status": (("asset", "year"), status.to_numpy(str))})
    da.attrs.update(units="index 2000=100", long_name="ICT investment deflator",
                    long_name_zh="ICT投资价格指数", source=f"klems.data/{BUNDLED_TABLE} "
                    "(data/build/build_price_deflators.py, default options)")
    return da
