"""Törnqvist growth accounting: a hand-computed example, frameworks, and errors naming where."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from klems.accounts.growth_accounting import tornqvist, tornqvist_growth
from klems.base.errors import DimensionError, InputDataError, ParameterError

Y = [2019, 2020, 2021]


def _da(values, **extra):
    return xr.DataArray(np.asarray(values, dtype=float), dims="year", coords={"year": Y})


def _value_added():
    va = _da([100.0, 110.0, 120.0])
    vol = _da([100.0, 104.0, 109.0])
    values = {"ict": _da([10.0, 12.0, 15.0]), "nict": _da([30.0, 31.0, 32.0]),
              "labour": _da([60.0, 67.0, 73.0])}
    volumes = {"ict": _da([50.0, 60.0, 70.0]), "nict": _da([200.0, 202.0, 205.0]),
               "labour": _da([1000.0, 1010.0, 1015.0])}
    return va, vol, values, volumes


def test_hand_computed_value_added_decomposition():
    va, vol, values, volumes = _value_added()
    out = tornqvist(va, vol, values, volumes, framework="value-added")
    # 2020: ICT share (10/100 + 12/110)/2 = 0.104545..., growth ln(60/50)
    s = 0.5 * (10 / 100 + 12 / 110)
    assert out.share_ict.sel(year=2020) == pytest.approx(s, rel=1e-14)
    assert out.contribution_ict.sel(year=2020) == pytest.approx(s * np.log(1.2), rel=1e-14)
    assert out.output_growth.sel(year=2021) == pytest.approx(np.log(109 / 104), rel=1e-14)
    c = sum(0.5 * (values[k].values[2] / 120 + values[k].values[1] / 110)
            * np.log(volumes[k].values[2] / volumes[k].values[1]) for k in values)
    assert out.tfp.sel(year=2021) == pytest.approx(np.log(109 / 104) - c, rel=1e-12)
    assert np.isnan(out.tfp.sel(year=2019))
    assert out.attrs["framework"] == "value-added"
    for name in out.data_vars:
        assert {"units", "long_name", "long_name_zh"} <= set(out[name].attrs), name


def test_gross_output_framework_needs_intermediates():
    va, vol, values, volumes = _value_added()
    go = va + 80
    values = {**values, "intermediates": _da([80.0, 80.0, 80.0])}
    volumes = {**volumes, "intermediates": _da([80.0, 79.0, 78.0])}
    out = tornqvist(go, vol, values, volumes, framework="gross-output")
    assert out.share_intermediates.sel(year=2020) == pytest.approx(0.5 * (80 / 180 + 80 / 190))
    with pytest.raises(ParameterError, match=r"value-added framework takes no 'intermediates'"):
        tornqvist(go, vol, values, volumes, framework="value-added")
    va, vol, values, volumes = _value_added()
    with pytest.raises(ParameterError, match=r"gross-output framework needs an input named "
                                             r"'intermediates'"):
        tornqvist(va, vol, values, volumes, framework="gross-output")
    with pytest.raises(ParameterError, match=r"unknown framework '.*'; expected one of value-added, gross-output"):
        tornqvist(va, vol, values, volumes, framework="net")


def test_partial_volume_splits_an_input():
    va, vol, values, volumes = _value_added()
    hours = _da([500.0, 495.0, 498.0])
    out = tornqvist(va, vol, values, volumes, partial_volumes={"hours": ("labour", hours)})
    assert out.contribution_hours.sel(year=2020) == pytest.approx(
        out.share_labour.sel(year=2020) * np.log(495 / 500))
    xr.testing.assert_allclose(out.output_growth - out.tfp,
                               sum(out[f"contribution_{k}"] for k in values))
    with pytest.raises(ParameterError, match=r"partial volume 'x' refers to unknown input 'land'"):
        tornqvist(va, vol, values, volumes, partial_volumes={"x": ("land", hours)})
    with pytest.raises(ParameterError, match=r"partial volume name 'ict' clashes"):
        tornqvist(va, vol, values, volumes, partial_volumes={"ict": ("labour", hours)})


def test_zero_share_input_with_zero_volume_contributes_nothing():
    va, vol, values, volumes = _value_added()
    values["intang"] = _da([0.0, 0.0, 0.0])
    volumes["intang"] = _da([0.0, 0.0, 0.0])
    out = tornqvist(va, vol, values, volumes)
    assert (out.contribution_intang.sel(year=[2020, 2021]) == 0).all()


def test_tornqvist_growth_of_items():
    vol = xr.DataArray([[1.0, 2.0], [4.0, 4.0]], dims=("asset", "year"),
                       coords={"asset": ["a", "b"], "year": [0, 1]})
    val = xr.DataArray([[1.0, 3.0], [3.0, 1.0]], dims=("asset", "year"),
                       coords={"asset": ["a", "b"], "year": [0, 1]})
    g = tornqvist_growth(vol, val, item_dim="asset")
    assert g.sel(year=1) == pytest.approx(0.5 * (0.25 + 0.75) * np.log(2))
    assert np.isnan(g.sel(year=0))


# --- errors ---------------------------------------------------------------------------------

def test_error_shares_do_not_sum_to_one_names_year():
    va, vol, values, volumes = _value_added()
    values["labour"] = _da([60.0, 67.0, 70.0])
    with pytest.raises(InputDataError, match=r"input shares sum to 0.975, expected 1 within "
                                             r"1e-06.*year 2021"):
        tornqvist(va, vol, values, volumes)
    tornqvist(va, vol, values, volumes, share_tolerance=0.03)
    with pytest.raises(ParameterError, match="share_tolerance must be >= 0"):
        tornqvist(va, vol, values, volumes, share_tolerance=-1)


def test_error_nonpositive_volume_where_log_taken():
    va, vol, values, volumes = _value_added()
    volumes["ict"] = _da([50.0, 0.0, 70.0])
    with pytest.raises(InputDataError, match=r"volume of ict is zero, negative or missing in "
                                             r"year 2020.*input ict, year 2020"):
        tornqvist(va, vol, values, volumes)
    va, vol, values, volumes = _value_added()
    with pytest.raises(InputDataError, match=r"volume of output is zero, negative.*year 2021"):
        tornqvist(va, _da([100.0, 104.0, -1.0]), values, volumes)


def test_error_values():
    va, vol, values, volumes = _value_added()
    with pytest.raises(InputDataError, match=r"output value is zero, negative or missing.*year "
                                             r"2020"):
        tornqvist(_da([100.0, 0.0, 120.0]), vol, values, volumes)
    values["ict"] = _da([10.0, -1.0, 15.0])
    with pytest.raises(InputDataError, match=r"value of input 'ict' is negative.*year 2020"):
        tornqvist(va, vol, values, volumes)


def test_error_dimensions():
    va, vol, values, volumes = _value_added()
    with pytest.raises(DimensionError, match=r"expected the same input names"):
        tornqvist(va, vol, values, {k: v for k, v in volumes.items() if k != "ict"})
    bad = dict(volumes, ict=volumes["ict"].assign_coords(year=[2018, 2019, 2020]))
    with pytest.raises(DimensionError, match=r"input_volumes\['ict'\] has year \[2018, 2019, "
                                             r"2020\] but output_value has"):
        tornqvist(va, vol, values, bad)
    with pytest.raises(DimensionError, match=r"output_volume lacks dimension 'year'"):
        tornqvist(va, vol.rename(year="t"), values, volumes)
    with pytest.raises(DimensionError, match=r"must be an xarray.DataArray"):
        tornqvist(va, vol.values, values, volumes)
    ind = {k: v.expand_dims(industry=["A"]) for k, v in values.items()}
    ind["ict"] = ind["ict"].assign_coords(industry=["B"])
    with pytest.raises(DimensionError, match=r"coordinates of the inputs differ"):
        tornqvist(va, vol, ind, volumes)
    with pytest.raises(ParameterError, match=r"at least one input"):
        tornqvist(va, vol, {}, {})
    with pytest.raises(ParameterError, match=r"must be dicts"):
        tornqvist(va, vol, [1], [1])
