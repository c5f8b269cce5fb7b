"""RAS balancing and interpolation of structure between table years."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from klems.base.errors import DimensionError, InputDataError, ParameterError
from klems.datasets.regionalisation import (
    RULES,
    interpolate_structure,
    interpolation_weights,
    ras,
    scale_to_groups,
    year_status,
)


def test_ras_textbook_example():
    """Miller & Blair (2009), section 7.4.1 style example: a 3×3 prior scaled to new margins.
    The solution has the RAS form diag(r) X0 diag(s): all cross-product ratios of the prior are kept."""
    x0 = np.array([[120.0, 40.0, 80.0], [60.0, 90.0, 30.0], [20.0, 70.0, 100.0]])
    u = np.array([260.0, 200.0, 170.0])
    v = np.array([220.0, 190.0, 220.0])
    x = ras(x0, u, v)  # converged when every margin is within tol (1e-10) × grand total
    np.testing.assert_allclose(x.sum(axis=1), u, rtol=0, atol=1e-10 * u.sum())
    np.testing.assert_allclose(x.sum(axis=0), v, rtol=0, atol=1e-10 * u.sum())
    cross = lambda m: m[0, 0] * m[1, 1] / (m[0, 1] * m[1, 0])
    assert cross(x) == pytest.approx(cross(x0), rel=1e-9)
    r = x[:, 0] / x0[:, 0]
    s = x[0, :] / x0[0, :] / r[0]
    np.testing.assert_allclose(x, r[:, None] * x0 * s[None, :], rtol=1e-9)


def test_ras_keeps_a_consistent_prior_and_zeros():
    x0 = np.array([[1.0, 0.0, 3.0], [2.0, 5.0, 0.0]])
    x = ras(x0, x0.sum(axis=1), x0.sum(axis=0))
    np.testing.assert_allclose(x, x0, rtol=1e-12)
    y = ras(x0, [8.0, 10.0], [5.0, 7.0, 6.0])
    assert y[0, 1] == 0.0 and y[1, 2] == 0.0


def test_ras_errors_name_the_problem():
    with pytest.raises(InputDataError, match="negative value -1 at position"):
        ras([[1.0, -1.0], [1.0, 1.0]], [1.0, 1.0], [1.0, 1.0])
    with pytest.raises(InputDataError, match="row totals sum to 3 but column totals to 2"):
        ras([[1.0, 1.0], [1.0, 1.0]], [1.0, 2.0], [1.0, 1.0])
    with pytest.raises(InputDataError, match="RAS row 'guangxi' has a zero prior but target 2"):
        ras([[1.0, 1.0], [0.0, 0.0]], [2.0, 2.0], [2.0, 2.0], names=(["beijing", "guangxi"], ["a", "b"]))
    with pytest.raises(InputDataError, match="NaN or infinite"):
        ras([[np.nan, 1.0], [1.0, 1.0]], [1.0, 1.0], [1.0, 1.0])
    with pytest.raises(DimensionError, match="do not match"):
        ras(np.ones((2, 3)), [1.0, 1.0], [1.0, 1.0])
    with pytest.raises(InputDataError, match="did not converge in 3 iterations"):
        ras([[1.0, 1.0], [1.0, 0.0]], [1.0, 2.0], [2.0, 1.0], max_iter=3)


def test_linear_rule_gives_the_nearer_table_more_weight():
    years = [2012, 2015, 2017, 2018, 2020]
    w = interpolation_weights(2013, years)
    np.testing.assert_allclose(w, [2 / 3, 1 / 3, 0, 0, 0])
    np.testing.assert_allclose(interpolation_weights(2016, years), [0, 0.5, 0.5, 0, 0])
    np.testing.assert_allclose(interpolation_weights(2019, years), [0, 0, 0, 0.5, 0.5])
    np.testing.assert_allclose(interpolation_weights(2017, years), [0, 0, 1, 0, 0])
    np.testing.assert_allclose(interpolation_weights(2005, years), [1, 0, 0, 0, 0])
    np.testing.assert_allclose(interpolation_weights(2022, years), [0, 0, 0, 0, 1])


def test_inverse_distance_and_nearest_rules():
    years = [2012, 2015, 2017]
    w = interpolation_weights(2014, years, "inverse-distance", power=2)
    expected = np.array([1 / 4, 1 / 1, 1 / 9])
    np.testing.assert_allclose(w, expected / expected.sum())
    assert w[1] > w[0] > w[2]
    np.testing.assert_allclose(interpolation_weights(2014, years, "nearest"), [0, 1, 0])
    for rule in RULES:
        assert interpolation_weights(2013, years, rule).sum() == pytest.approx(1.0)


def test_interpolation_parameter_errors():
    with pytest.raises(ParameterError, match="unknown interpolation rule 'spline'"):
        interpolation_weights(2013, [2012, 2017], "spline")
    with pytest.raises(ParameterError, match="power must be > 0"):
        interpolation_weights(2013, [2012, 2017], "inverse-distance", power=0)
    with pytest.raises(ParameterError, match="table years must be increasing"):
        interpolation_weights(2013, [2017, 2012])
    with pytest.raises(ParameterError, match="no table years"):
        interpolation_weights(2013, [])


def test_interpolate_structure_and_year_status():
    s = xr.DataArray([[0.2, 0.8], [0.5, 0.5]], dims=("table_year", "industry"),
                     coords={"table_year": [2012, 2017], "industry": ["a", "b"]})
    out = interpolate_structure(s, [2010, 2012, 2014, 2017, 2019])
    np.testing.assert_allclose(out.sel(industry="a").values, [0.2, 0.2, 0.32, 0.5, 0.5])
    np.testing.assert_allclose(out.sum("industry"), 1.0)
    assert out.attrs["interpolation_rule"] == "linear"
    assert year_status([2010, 2012, 2014, 2019], [2012, 2017]) == [
        "extrapolated", "benchmark", "interpolated", "extrapolated"]
    with pytest.raises(DimensionError, match="no dimension 'table_year'"):
        interpolate_structure(s.rename(table_year="y"), [2013])


def test_scale_to_groups():
    values = xr.DataArray([1.0, 3.0, 2.0], dims="industry", coords={"industry": ["a", "b", "c"]})
    member = xr.DataArray([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dims=("group", "industry"),
                          coords={"group": ["g1", "g2"], "industry": ["a", "b", "c"]})
    targets = xr.DataArray([8.0, 5.0], dims="group", coords={"group": ["g1", "g2"]})
    out = scale_to_groups(values, member, targets)
    np.testing.assert_allclose(out.values, [2.0, 6.0, 5.0])
    with pytest.raises(InputDataError, match="group 'g2' has zero values but a positive target"):
        scale_to_groups(values * xr.DataArray([1, 1, 0], dims="industry"), member, targets)
    with pytest.raises(InputDataError, match="exactly one group"):
        scale_to_groups(values, member * 0, targets)
