"""Digital-economy totals, shares, growth, contribution and sector penetration by hand."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from klems.accounts.totals import digital_economy_totals


def test_totals_by_hand():
    ind = ["001", "086", "115"]
    years = [2020, 2021]
    va = xr.DataArray([[10.0, 12.0], [4.0, 5.0], [6.0, 7.0]], dims=("industry", "year"),
                      coords={"industry": ind, "year": years})
    idi = xr.DataArray([[1.0, 2.0], [3.0, 3.0], [9.0, 9.0]], dims=("industry", "year"),
                       coords={"industry": ind, "year": years})
    share = xr.DataArray([0.0, 1.0, 0.5], dims="industry", coords={"industry": ind})
    sector = xr.DataArray(["primary", "secondary", "tertiary"], dims="industry",
                          coords={"industry": ind})
    gdp = xr.DataArray([100.0, 120.0], dims="year", coords={"year": years})
    out = digital_economy_totals(value_added=va, id_industry=idi, di_share=share, sector=sector,
                                 gdp=gdp)
    # DI = 4 + 0.5·6 = 7 ; 5 + 0.5·7 = 8.5.  ID = 1 + 0 + 0.5·9 = 5.5 ; 2 + 4.5 = 6.5
    np.testing.assert_allclose(out.digital_industrialization, [7.0, 8.5])
    np.testing.assert_allclose(out.industrial_digitalization, [5.5, 6.5])
    np.testing.assert_allclose(out.digital_economy, [12.5, 15.0])
    np.testing.assert_allclose(out.share_of_gdp, [0.125, 0.125])
    assert float(out.nominal_growth.sel(year=2021)) == pytest.approx(0.2)
    assert float(out.contribution_to_gdp_growth.sel(year=2021)) == pytest.approx(2.5 / 20)
    assert np.isnan(out.nominal_growth.sel(year=2020))
    pen = out.penetration.sel(year=2021)
    assert float(pen.sel(sector="primary")) == pytest.approx(2 / 12)
    assert float(pen.sel(sector="secondary")) == pytest.approx(0.0)
    assert float(pen.sel(sector="tertiary")) == pytest.approx(4.5 / 7)
    assert out.digital_economy.attrs["long_name_zh"] == "数字经济规模"
