"""The bundled datasets as read through klems.load_dataset (contract of docs/data.md §1)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import klems
from klems.base.errors import ParameterError, UnknownProvinceError
from klems.datasets.bundled import (
    available,
    ict_investment_for_ratio,
    load_national_tables,
    published_figures,
)

STATUS = {"published", "derived", "modelled"}


@pytest.fixture(scope="module")
def gx():
    return klems.load_dataset("guangxi")


def test_contract_variables_dims_and_units(gx):
    assert gx["gdp"].dims == ("year",)
    assert gx["value_added"].dims == ("industry", "year")
    assert gx["ict_investment"].dims == ("industry", "asset", "year")
    assert list(gx.asset.values) == ["hardware", "communication", "software"]
    assert gx.sizes["industry"] == 139 and list(gx.year.values) == list(range(2000, 2025))
    assert gx["ict_investment"].attrs["units"] == "1e8 CNY"
    for name, var in gx.data_vars.items():
        assert {"units", "long_name", "long_name_zh"} <= set(var.attrs), name


def test_every_series_has_a_status_per_year(gx):
    for name in gx.data_vars:
        if name.endswith("_status") or name == "di_share":
            continue
        st = gx[f"{name}_status"]
        assert st.dims == ("year",) and set(st.values) <= STATUS, name
        assert gx[name].attrs["status"].split()[0] in STATUS, name


def test_provenance_attributes(gx):
    assert "gfcf_output_ratio_multiplier=1.0" in gx.attrs["parameters"]
    assert "sources/io_tables/china_2012_139.csv=" in gx.attrs["input_file_hashes"]
    assert "classification_139.csv=" in gx.attrs["input_file_hashes"]
    assert "unverified secondary copy" in gx["fai_by_section"].attrs["secondary_source"]


def test_vintages_are_offered_and_labelled(gx):
    """Default = the latest vintage (after the 2023 census); the 2018-census vintage on request."""
    from klems.datasets.bundled import LATEST, VINTAGES, WHITE_PAPER_VINTAGE

    assert VINTAGES == ("2023-census", "2018-census") and LATEST == "2023-census"
    assert WHITE_PAPER_VINTAGE == "2018-census"
    assert gx.attrs["vintage"] == "2023-census" and gx["gdp"].attrs["vintage"] == "2023-census"
    old = klems.load_dataset("guangxi", vintage="2018-census")
    assert old.attrs["vintage"] == "2018-census" and "fourth economic census" in old.attrs["vintage_note"]
    assert klems.load_dataset("guangxi", vintage="2023-census").identical(gx)
    assert float(old["gdp"].sel(year=2021)) != float(gx["gdp"].sel(year=2021))
    with pytest.raises(ParameterError, match="unknown vintage '2008'; expected one of 2023-census, 2018-census"):
        klems.load_dataset("guangxi", vintage="2008")
    assert available("2018-census") == available()


def test_names_are_resolved_like_provinces(gx):
    assert klems.load_dataset("广西").identical(gx)
    with pytest.raises(UnknownProvinceError, match="unknown province 'atlantis'"):
        klems.load_dataset("atlantis")


def test_all_provinces_and_the_nation_are_bundled():
    keys = available()
    assert len(keys) == 32 and "china" in keys and "guangxi" in keys


def test_ict_investment_can_be_recomputed_for_another_ratio(gx):
    same = ict_investment_for_ratio(gx, multiplier=1.0)
    np.testing.assert_allclose(same, gx["ict_investment"], rtol=1e-12, atol=1e-12)
    double = ict_investment_for_ratio(gx, multiplier=2.0)
    np.testing.assert_allclose(double, 2 * gx["ict_investment"], rtol=1e-12, atol=1e-12)
    fixed = ict_investment_for_ratio(gx, ratio=xr.DataArray([0.1, 0.2, 0.7], dims="asset",
                                                            coords={"asset": gx.asset.values}))
    expected = 0.2 * gx["ict_products_output_national"].sel(asset="communication") * \
        gx["ict_regional_share"].sel(asset="communication")
    np.testing.assert_allclose(fixed.sel(asset="communication").sum("industry"), expected, rtol=1e-12)
    with pytest.raises(ParameterError, match="exactly one of ratio or multiplier"):
        ict_investment_for_ratio(gx)
    with pytest.raises(ParameterError, match="ratios must be >= 0"):
        ict_investment_for_ratio(gx, ratio=-0.1)


def test_published_figures_table_cites_sources():
    """White paper Table 1 (一（一）): GDP 2017–2021 and DE growth; every row names its source."""
    table = published_figures()
    gdp = table[(table.figure == "gdp") & (table.region == "guangxi")].set_index("year")["value"]
    assert list(gdp.values) == [17790.68, 19627.81, 21237.14, 22156.69, 24740.86]
    assert table["source_document"].str.len().min() > 10 and table["section_page"].notna().all()
    assert {"digital_economy", "industrial_digitalization", "digital_industrialization"} <= set(table.figure)


def test_national_tables_are_bundled():
    nt = load_national_tables()
    assert nt["intermediate_2012"].shape == (139, 139)
    share = nt["ict_share_of_gfcf_io"]
    assert 0.03 < float(share.sel(table_year=2012)) < float(share.sel(table_year=2020)) < 0.2
