"""Chaining (previous year = 100 → fixed base), un-chaining, rebasing, deflating, annualising."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from klems.base.errors import InputDataError
from price_index import annualise, chain, deflate, rebase, unchain


def s(values, start=2000):
    return pd.Series(np.asarray(values, float), index=pd.Index(range(start, start + len(values)),
                                                               name="year"))


def test_chain_hand_computed():
    """Links 110 and 90 after the base year: 100 → 110 → 99; the first link is not used."""
    out = chain(s([123.0, 110.0, 90.0]), 2000)
    np.testing.assert_allclose(out.to_numpy(), [100.0, 110.0, 99.0])
    mid = chain(s([123.0, 110.0, 90.0]), 2001)
    np.testing.assert_allclose(mid.to_numpy(), [100 / 1.1, 100.0, 90.0])


def test_chain_then_unchain_returns_the_input():
    links = s([101.0, 95.5, 103.2, 99.9, 110.0])
    back = unchain(chain(links, 2002))
    np.testing.assert_allclose(back.iloc[1:].to_numpy(), links.iloc[1:].to_numpy(), rtol=1e-12)
    assert np.isnan(back.iloc[0])


def test_rebase_series_dataframe_and_dataarray():
    idx = s([80.0, 100.0, 125.0])
    np.testing.assert_allclose(rebase(idx, 2000).to_numpy(), [100.0, 125.0, 156.25])
    df = pd.DataFrame({"a": idx, "b": idx * 2})
    np.testing.assert_allclose(rebase(df, 2001).to_numpy(), [[80, 80], [100, 100], [125, 125]])
    da = xr.DataArray(idx.to_numpy(), dims="year", coords={"year": idx.index}, attrs={"units": "x"})
    out = rebase(da, 2002)
    np.testing.assert_allclose(out.values, [64.0, 80.0, 100.0])
    assert out.attrs["base"] == "2002=100"


def test_deflate():
    np.testing.assert_allclose(deflate(s([200.0, 330.0]), s([100.0, 110.0])).to_numpy(),
                               [200.0, 300.0])


def test_annualise_quarterly_means_and_drops_incomplete_years():
    q = pd.Series([1.0, 2.0, 3.0, 4.0, 10.0, 10.0, 10.0],
                  index=pd.period_range("2016Q1", periods=7, freq="Q"))
    out = annualise(q)
    assert list(out.index) == [2016]
    assert out.loc[2016] == pytest.approx(2.5)
    assert annualise(q, complete=False).loc[2017] == pytest.approx(10.0)
    assert annualise(q, how="sum").loc[2016] == pytest.approx(10.0)


def test_missing_years_raise_and_name_them():
    with pytest.raises(InputDataError, match=r"missing years inside the series \[2002, 2003\]"):
        chain(s([100.0, 101.0, 102.0, 103.0, 104.0]).drop([2002, 2003]), 2000)
    with pytest.raises(InputDataError, match=r"missing years inside the series \[2001\]"):
        unchain(s([100.0, np.nan, 102.0]))
    with pytest.raises(InputDataError, match=r"base year 1999 is outside the series 2000-2002"):
        chain(s([100.0, 101.0, 102.0]), 1999)
    with pytest.raises(InputDataError, match=r"rebase: year 2010 is not in the index"):
        rebase(s([100.0, 101.0]), 2010)
    with pytest.raises(InputDataError, match=r"non-positive index values in years \[2001\]"):
        unchain(s([100.0, -1.0, 102.0]))
