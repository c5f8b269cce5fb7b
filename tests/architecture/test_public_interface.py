"""The public interface of docs/architecture.md (and the design card) holds in whatever order
things were imported: every submodule is imported first, then each public name is called."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import warnings

import numpy as np
import xarray as xr


def _import_everything():
    import capital_stock
    import klems
    import price_index

    for pkg in (klems, capital_stock, price_index):
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
            if info.name.endswith("__main__") or info.name.startswith("klems.data"):
                continue
            importlib.import_module(info.name)


def test_public_names_are_functions_after_importing_every_submodule():
    _import_everything()
    import capital_stock as cs
    import klems
    import price_index

    for name in ("estimate", "tornqvist", "capital_services", "load_dataset", "ahp_weights"):
        assert callable(getattr(klems, name)), name
        assert not isinstance(getattr(klems, name), type(sys)), f"klems.{name} is a module"
    for name in ("AssetSpec", "efficiency_weights", "perpetual_inventory", "base_year_stock"):
        assert callable(getattr(cs, name)), name
    for name in ("harmonized_deflator", "rebase"):
        assert callable(getattr(price_index, name)), name


def test_public_names_work_after_importing_every_submodule():
    """Each name of the design card, called with the signature it documents."""
    _import_everything()
    import capital_stock as cs
    import klems
    import price_index

    spec = cs.AssetSpec("hardware", 4.0, 0.3119)
    w = cs.efficiency_weights(spec)
    assert w[0] == 1.0 and np.all(np.diff(w) <= 0)
    inv = np.full((2, 10), 100.0)
    assert cs.perpetual_inventory(inv, spec).shape == (2, 10)
    assert cs.base_year_stock(inv, 0.3).shape == (2,)
    years = np.arange(2000, 2010)
    da = xr.DataArray(inv, dims=("industry", "year"), coords={"year": years})
    assert cs.perpetual_inventory(da, spec, dim="year").dims == ("industry", "year")

    idx = price_index.rebase(xr.DataArray(np.linspace(100, 120, 10), dims="year",
                                          coords={"year": years}), 2005)
    assert float(idx.sel(year=2005)) == 100.0

    out = xr.DataArray(np.linspace(100, 150, 10), dims="year", coords={"year": years})
    vol = out / np.linspace(1.0, 1.2, 10)
    acc = klems.tornqvist(out, vol, {"labour": out * 0.6, "capital": out * 0.4},
                          {"labour": vol * 0.9, "capital": vol * 1.1})
    assert {"output_growth", "contribution_labour", "tfp", "share_capital"} <= set(acc)

    weights, cr = klems.ahp_weights(np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]]))
    assert abs(weights.sum() - 1) < 1e-12 and cr < 0.1

    ds = klems.load_dataset("guangxi")
    assert {"gdp", "value_added", "ict_investment"} <= set(ds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = klems.estimate("guangxi", years="2020-2021")
    assert {"digital_economy", "digital_industrialization", "industrial_digitalization", "gdp",
            "share_of_gdp"} <= set(est)


def test_capital_services_after_importing_every_submodule():
    _import_everything()
    import klems

    years = np.arange(2000, 2006)
    assets = ["a", "b"]
    stock = xr.DataArray(np.array([[10, 11, 12, 13, 14, 15], [5, 5, 6, 6, 7, 7]], float),
                         dims=("asset", "year"), coords={"asset": assets, "year": years})
    price = xr.ones_like(stock)
    dep = xr.DataArray([0.2, 0.1], dims="asset", coords={"asset": assets})
    comp = xr.DataArray(np.full(6, 5.0), dims="year", coords={"year": years})
    ds = klems.capital_services(stock, price, dep, comp, groups={"g": assets})
    assert {"user_cost", "asset_compensation", "rate", "services_growth"} <= set(ds)


def test_python_dash_m_klems_runs():
    run = subprocess.run([sys.executable, "-m", "klems", "--version"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.startswith("klems "), run.stderr


def test_the_program_entry_returns_mains_status_and_freezes_the_collector(monkeypatch):
    """``klems.cli.run`` (console script, ``python -m klems``) is ``main`` plus ``gc.freeze``
    (the interpreter's shutdown then skips full collections); ``main`` leaves the collector."""
    import gc
    import tomllib
    from pathlib import Path

    from klems import cli

    gc.unfreeze()
    monkeypatch.setattr(sys, "argv", ["klems", "profiles", "--bogus-option"])
    assert cli.main() == 2 and gc.get_freeze_count() == 0
    try:
        assert cli.run() == 2 and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["klems"] == "klems.cli:run"
