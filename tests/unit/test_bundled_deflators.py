"""The built deflator table that the estimate reads at start-up equals a fresh computation."""

from __future__ import annotations

import numpy as np

import price_index


def test_bundled_equals_computed_default_deflators():
    bundled = price_index.bundled_ict_deflators("guangxi")
    fresh = price_index.ict_deflators("guangxi")
    assert bundled.dims == fresh.dims == ("asset", "year")
    # the table holds six decimals: the difference is at most half a unit of the last one
    np.testing.assert_allclose(bundled.values, fresh.sel(year=bundled.year).values, rtol=0,
                               atol=0.5e-6 * (1 + 1e-9))
    assert (bundled.status.values == fresh.status.sel(year=bundled.year).values).all()


def test_province_without_reference_series_is_not_in_the_table():
    assert price_index.bundled_ict_deflators("xizang") is None
