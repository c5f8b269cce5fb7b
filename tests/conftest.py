"""Fixtures shared by all test folders."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir(request) -> Path:
    """The project's ``../shared`` folder (reference data, source documents); skip when absent."""
    path = Path(request.config.rootpath).resolve().parent / "shared"
    if not (path / "reference-data").is_dir():
        pytest.skip(f"../shared/reference-data is not present beside the repository ({path}); "
                    "reference-data tests need it")
    return path


def make_synthetic_inputs(n_industries: int = 6, years=range(2000, 2022), seed: int = 0):
    """A small, internally consistent input dataset for the estimate pipeline.

    Identities hold exactly: VA = labour + net taxes + capital; GO = VA + intermediates.
    Industries 2 and 5 are ICT producers (DI share 1). Prices: ICT deflators falling,
    non-ICT deflator rising, all 2000 = 100.
    """
    import numpy as np
    import xarray as xr

    rng = np.random.default_rng(seed)
    years = list(years)
    n_y = len(years)
    t = np.arange(n_y)
    ind = [f"{i:03d}" for i in range(1, n_industries + 1)]
    g = rng.uniform(0.06, 0.12, n_industries)[:, None]
    va = rng.uniform(50, 500, n_industries)[:, None] * (1 + g) ** t
    lab = va * rng.uniform(0.4, 0.6, (n_industries, 1))
    tax = va * 0.12
    cap = va - lab - tax
    mid = va * rng.uniform(1.0, 2.0, (n_industries, 1))
    go = va + mid
    defl = 100 * 1.02 ** t * np.ones((n_industries, 1))
    emp = rng.uniform(10, 100, (n_industries, 1)) * 1.01 ** t
    nict = va * 2.5 / (1.03 ** t)
    ict = rng.uniform(0.5, 5, (n_industries, 3, 1)) * (1.12 ** t)
    dims2 = ("industry", "year")
    coords = {"industry": ind, "year": years}
    ds = xr.Dataset(
        {
            "gdp": ("year", va.sum(axis=0)),
            "value_added": (dims2, va), "gross_output": (dims2, go),
            "intermediate_inputs": (dims2, mid), "labour_compensation": (dims2, lab),
            "net_production_taxes": (dims2, tax), "capital_compensation": (dims2, cap),
            "output_deflator": (dims2, defl), "labour_input": (dims2, emp),
            "nict_stock": (dims2, nict),
            "ict_investment": (("industry", "asset", "year"), ict),
        },
        coords={**coords, "asset": ["hardware", "communication", "software"],
                "sector": ("industry", (["primary", "secondary", "tertiary"] * n_industries)
                           [:n_industries]),
                "di_share": ("industry", [1.0 if i in (1, 4) else 0.0
                                          for i in range(n_industries)])},
    )
    for v in ds.data_vars:
        ds[v].attrs["units"] = "1e8 CNY"
    ict_prices = xr.DataArray(100 * np.array([0.9, 0.97, 0.99])[:, None] ** t,
                              dims=("asset", "year"),
                              coords={"asset": ["hardware", "communication", "software"],
                                      "year": years})
    nict_price = xr.DataArray(100 * 1.025 ** t, dims="year", coords={"year": years})
    return ds, ict_prices, nict_price


@pytest.fixture
def synthetic_inputs():
    return make_synthetic_inputs()


@pytest.fixture(scope="session")
def klems_command() -> list[str]:
    """The installed ``klems`` console script of the interpreter running the tests.

    Taken from beside ``sys.executable`` (a virtual environment's ``bin``), because PATH need
    not include it (CI calls ``.venv/bin/pytest`` directly); ``python -m klems.cli`` run from
    the repository root would import the source folder instead of the installed package.
    """
    import shutil
    import sys

    beside = Path(sys.executable).with_name("klems")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("klems")
    if found:
        return [found]
    pytest.skip("the klems console script is not installed next to the test interpreter")
