"""The bundled datasets: one NetCDF file per province (and ``china``) in ``klems.data/built/``.

``load_dataset(province, vintage=None)`` returns an :class:`xarray.Dataset` over ``industry``
(``001``…``139``), ``asset`` (``hardware``, ``communication``, ``software``), ``sector``, ``cell``,
``fai_section`` and ``year`` (2000–2024), in 1e8 CNY (亿元) unless a variable's ``units`` say
otherwise. Every variable ``X`` has a companion ``X_status`` (per year: ``published``, ``derived``
or ``modelled``) and an attribute ``status`` summarising it. How the data are built:
``data/built/README.md`` and ``data/build/`` (``python -m data.build``).

Vintages (:data:`VINTAGES`; the dataset's attribute ``vintage``):

* ``"2023-census"`` (default, :data:`LATEST`): NBS's figures after the fifth economic census
  (2023), which revised regional GDP back to 1992;
* ``"2018-census"``: the figures after the fourth economic census (2018), as printed in the
  Guangxi white paper 2022 (:data:`WHITE_PAPER_VINTAGE`; its reproduction uses this vintage).

Main variables: ``gdp``, ``value_added_sector``, ``value_added``, ``gross_output``,
``intermediate_inputs``, ``labour_compensation``, ``net_production_taxes``, ``capital_compensation``,
``output_deflator``, ``employment``, ``ict_investment`` (industry × asset, nominal),
``non_ict_investment``, ``non_ict_investment_deflator``, ``non_ict_capital_stock``, ``gfcf``, and the
pieces of the ICT investment (``gfcf_output_ratio``, ``ict_products_output_national``,
``ict_regional_share``, ``ict_allocation``) so that :func:`ict_investment_for_ratio` can recompute it
for another GFCF/output ratio without a rebuild.
"""

from __future__ import annotations

from importlib.resources import as_file

import pandas as pd
import xarray as xr

from klems.base.choices import expected_one_of
from klems.base.errors import InputDataError, ParameterError
from klems.base.provinces import province as _province
from klems.base.resources import data_root

BUILT = "built"

# estimator input name -> bundled dataset variable (what klems.pipeline.compute.compute reads)
DATASET_NAMES = {
    "gdp": "gdp", "value_added": "value_added", "gross_output": "gross_output",
    "intermediate_inputs": "intermediate_inputs", "labour_compensation": "labour_compensation",
    "net_production_taxes": "net_production_taxes",
    "capital_compensation": "capital_compensation", "output_deflator": "output_deflator",
    "labour_input": "employment", "nict_stock": "non_ict_capital_stock",
    "ict_investment": "ict_investment",
}

PUBLISHED_FIGURES = "published_figures.csv"
VINTAGES = ("2023-census", "2018-census")
LATEST = VINTAGES[0]
#: the vintage of the figures published in the white paper (and of the CAICT figures to 2023)
WHITE_PAPER_VINTAGE = "2018-census"


def _open(name: str) -> xr.Dataset:
    resource = data_root() / BUILT / name
    if not resource.is_file():
        raise InputDataError("bundled dataset missing; run `python -m data.build`",
                             file=f"klems.data/{BUILT}/{name}")
    with as_file(resource) as path:
        with xr.open_dataset(path) as ds:
            return ds.load()


def dataset_file(key: str, vintage: str | None = None) -> str:
    """File name of a bundled dataset: ``<key>.nc`` for the latest vintage, else
    ``<key>_<vintage>.nc``."""
    vintage = LATEST if vintage is None else vintage
    expected_one_of("vintage", vintage, VINTAGES)
    return f"{key}.nc" if vintage == LATEST else f"{key}_{vintage}.nc"


def load_dataset(province: str = "guangxi", *, vintage: str | None = None) -> xr.Dataset:
    """The bundled dataset of ``province`` (any name accepted by :func:`klems.base.provinces.province`;
    ``china`` for the nation) in ``vintage`` (one of :data:`VINTAGES`; default the latest)."""
    key = _province(province).key
    return _open(dataset_file(key, vintage))


def load_national_tables() -> xr.Dataset:
    """The national input-output tables of 2012, 2015, 2017, 2018 and 2020 at the 139 industries."""
    return _open("national_io_tables.nc")


def available(vintage: str | None = None) -> list[str]:
    """Keys of the bundled datasets of ``vintage`` (default the latest)."""
    folder = data_root() / BUILT
    suffix = dataset_file("", vintage)
    return sorted(p.name[: -len(suffix)] for p in folder.iterdir() if p.name.endswith(suffix)
                  and p.name != "national_io_tables.nc" and "_" not in p.name[: -len(suffix)])


def ict_investment_for_ratio(ds: xr.Dataset, ratio=None, *, multiplier=None) -> xr.DataArray:
    """Nominal ICT investment (industry × asset × year) for another GFCF/output ratio.

    ``ratio``: new ratios (scalar, or DataArray over ``asset`` and/or ``year``) replacing the stored
    ``gfcf_output_ratio``; or ``multiplier``: a factor on the stored ratio. Everything else (national
    output of the ICT products, regional share, allocation) is kept, so the result is
    ``ratio × ict_products_output_national × ict_regional_share × ict_allocation``.
    """
    if (ratio is None) == (multiplier is None):
        raise ParameterError("give exactly one of ratio or multiplier")
    new = ds["gfcf_output_ratio"] * multiplier if ratio is None else ratio + 0 * ds["gfcf_output_ratio"]
    if bool((new < 0).any()):
        raise ParameterError("GFCF/output ratios must be >= 0")
    out = new * ds["ict_products_output_national"] * ds["ict_regional_share"] * ds["ict_allocation"]
    out = out.transpose("industry", "asset", "year")
    out.attrs = dict(ds["ict_investment"].attrs)
    return out.rename("ict_investment")


def published_figures() -> pd.DataFrame:
    """Every published figure the project reproduces (white paper Table 1 and text, CAICT national
    figures, industrial-internet index), with its source document, section and page."""
    with (data_root() / PUBLISHED_FIGURES).open("rb") as fh:
        return pd.read_csv(fh)
