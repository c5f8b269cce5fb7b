"""Investment, GDP and ICT deflators 2000–2023 of the nation and the provinces, with status."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klems.base.errors import InputDataError, ParameterError
from price_index import (
    gdp_deflator,
    ict_deflators,
    investment_deflator,
    ppi_deflator,
    software_deflator,
    sources,
)
from price_index.deflators import international_reference_price


def test_guangxi_investment_deflator_chains_the_published_links():
    """广西 固定资产投资价格指数 (NBS M0024006, 上年=100) chained 2001–2019; then 广西 RPI
    (M0023174) 2020–2022; 2023–2024 forecast."""
    d = investment_deflator("guangxi")
    fai = sources.fai_price_index("guangxi")
    rpi = sources.retail_price_index("guangxi")
    assert d.loc[2000] == 100.0
    assert d.loc[2019] == pytest.approx(100 * np.prod(fai.loc[2001:2019] / 100), rel=1e-12)
    assert d.loc[2022] / d.loc[2019] == pytest.approx(np.prod(rpi.loc[2020:2022] / 100), rel=1e-12)
    st = d.attrs["status"]
    assert (st.loc[:2019] == "published").all()
    assert (st.loc[2020:2022] == "derived").all() and st.loc[2023] == "extrapolated"
    assert "retail price index" in d.attrs["rule"].loc[2020]
    assert "exponential-smoothing forecast" in d.attrs["rule"].loc[2023]
    assert list(d.index) == list(range(2000, 2025))


def test_investment_deflator_gdp_extension_and_nation():
    d = investment_deflator("guangxi", extension="gdp")
    g = gdp_deflator("guangxi")
    assert d.loc[2022] / d.loc[2019] == pytest.approx(g.loc[2022] / g.loc[2019], rel=1e-12)
    n = investment_deflator("china")
    fai = sources.national_series("fai_total")
    assert n.loc[2019] == pytest.approx(100 * np.prod(fai.loc[2001:2019] / 100), rel=1e-12)
    with pytest.raises(ParameterError, match="extension must be 'retail' or 'gdp', got 'cpi'"):
        investment_deflator("guangxi", extension="cpi")
    with pytest.raises(InputDataError, match="no fixed-asset-investment price index for xizang"):
        investment_deflator("xizang")


def test_gdp_deflator_hand_computed_link():
    """National GDP deflator 2022 link = nominal 1210207/1149237 over real 103.0 (NBS 2010–2022
    vintage, 国内生产总值 and 国内生产总值指数(上年=100))."""
    g = gdp_deflator("china")
    acc = sources.gdp_accounts("china")
    nom = acc[(acc.vintage == "nbs-2010-2022") & (acc.variable == "gdp_nominal")].set_index("year")
    expected = nom.value.loc[2022] / nom.value.loc[2021] / 1.03
    assert g.loc[2022] / g.loc[2021] == pytest.approx(expected, rel=1e-12)
    assert (g.attrs["status"].loc[2001:2022] == "derived").all()
    assert g.attrs["status"].loc[2023] == "extrapolated"


def test_software_is_the_cpi_for_transport_and_communication():
    """交通和通信 CPI (上年=100) 2020 = 96.5, 2021 = 104.1, 2022 = 105.2 (NBS)."""
    sw = software_deflator("guangxi")
    assert sw.loc[2021] / sw.loc[2020] == pytest.approx(1.041)
    assert sw.loc[2022] / sw.loc[2021] == pytest.approx(1.052)
    assert (sw.attrs["status"].loc[:2022] == "published").all()
    assert sw.attrs["status"].loc[2023] == "extrapolated"


def test_ppi_benchmark_is_published_2004_2022():
    p = ppi_deflator()
    st = p.attrs["status"]
    assert (st.loc[2004:2022] == "published").all()
    assert (st.loc[2001:2003] == "derived").all() and st.loc[2023] == "extrapolated"
    eq = sources.national_series("fai_equipment_purchase")
    assert p.loc[2003] == pytest.approx(100 * np.prod(eq.loc[2001:2003] / 100), rel=1e-12)


def test_international_reference_is_a_tornqvist_of_non_ict_assets():
    ref = international_reference_price("non-ict")
    price = sources.japan_investment("Ip")[["TraEq", "OMach", "OCon", "Rstruc"]]
    nom = sources.japan_investment("I")[["TraEq", "OMach", "OCon", "Rstruc"]]
    w = ((nom.loc[2020] / nom.loc[2020].sum()) + (nom.loc[2019] / nom.loc[2019].sum())) / 2
    dl = (w * np.log(price.loc[2020] / price.loc[2019])).sum()
    assert np.log(ref.loc[2020] / ref.loc[2019]) == pytest.approx(dl, rel=1e-12)
    assert ref.index.max() == 2020
    with pytest.raises(ParameterError, match="international reference must be 'non-ict' or 'gfcf'"):
        international_reference_price("cpi")


def test_ict_deflators_shape_units_and_status():
    da = ict_deflators("guangxi")
    assert da.dims == ("asset", "year")
    assert list(da.asset.values) == ["hardware", "communication", "software"]
    assert list(da.year.values) == list(range(2000, 2025))
    np.testing.assert_allclose(da.sel(year=2000).values, 100.0)
    assert da.attrs["units"] == "index 2000=100"
    assert da.attrs["long_name"] and da.attrs["long_name_zh"]
    st = da.status.to_pandas()
    assert set(np.unique(st.values)) <= {"published", "derived", "extrapolated"}
    # EU KLEMS Japan IT/CT end 2020: λ is a forecast from 2021
    assert (st.loc["hardware", 2021:] == "extrapolated").all()
    assert (st.loc["hardware", 2001:2020] == "derived").all()
    assert 0 < da.attrs["hardware_smoothing_level"] <= 1
    assert da.attrs["communication_fit_years"] == "1996-2020"
    # hardware prices fall relative to the reference: a real ICT price decline
    assert da.sel(asset="hardware", year=2020) < da.sel(asset="communication", year=2020) < 100


def test_ict_deflators_follow_the_harmonisation_identity():
    """Δln P_hw − Δln P_ref = λ (the smoothed Japanese IT-minus-non-ICT differential)."""
    da = ict_deflators("guangxi", smoothing_level=0.5)
    ref = investment_deflator("guangxi")
    dl = np.diff(np.log(da.sel(asset="hardware").values)) - np.diff(np.log(ref.values))
    ict = np.log(sources.japan_price("IT")).diff()
    nonict = np.log(international_reference_price()).diff()
    d = (ict - nonict).loc[1996:2020]
    from price_index import fit_smoothing
    fit = fit_smoothing(d, smoothing_level=0.5)
    np.testing.assert_allclose(dl[:20], fit.level.loc[2001:2020].to_numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dl[20:], fit.forecast, rtol=1e-9)
    assert da.attrs["hardware_smoothing_level"] == 0.5


def test_ict_deflators_options():
    bea = ict_deflators("china", international="bea")
    assert bea.attrs["hardware_fit_years"] == "1996-2017"
    assert "EU KLEMS Japan used" in bea.attrs["communication_note"]
    assert (bea.status.sel(asset="hardware", year=slice(2018, 2023)) == "extrapolated").all()
    gdp = ict_deflators("xizang", reference="gdp")
    assert gdp.attrs["reference"] == "gdp"
    ppi = ict_deflators("guangxi", method="ppi")
    np.testing.assert_allclose(ppi.sel(asset="hardware").values, ppi_deflator().values)
    sw = ict_deflators("guangxi", software="harmonized")
    assert "Soft_DB" in sw.attrs["software_source"]
    for kw, msg in (({"method": "x"}, r"unknown ICT deflator method 'x'; expected one of harmonized, ppi"),
                    ({"software": "x"}, r"unknown software deflator 'x'; expected one of cpi, harmonized"),
                    ({"international": "x"}, "unknown international ICT price series 'x'; expected one of euklems-japan, bea"),
                    ({"reference": "x"}, r"unknown reference deflator 'x'; expected one of investment, gdp")):
        with pytest.raises(ParameterError, match=msg):
            ict_deflators("guangxi", **kw)


def test_built_table_is_reproduced_by_the_package(request):
    """data/price_deflators_2000_2024.csv equals what deflator_table() computes now."""
    from importlib.resources import files

    from price_index import deflator_table

    with files("klems.data").joinpath("price_deflators_2000_2024.csv").open("rb") as fh:
        built = pd.read_csv(fh)
    assert built.province.nunique() == 31 and "xizang" not in set(built.province)
    sub = built[built.province.isin(["china", "guangxi"])].reset_index(drop=True)
    now = deflator_table(["china", "guangxi"])
    np.testing.assert_allclose(sub["index"], now["index"], atol=5e-6)
    assert list(sub.status) == list(now.status)
