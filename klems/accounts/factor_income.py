"""Labour and capital compensation of an industry, with EU KLEMS's rule for negative capital
compensation (D2.3.1, pp. 19–20)."""

from __future__ import annotations

import xarray as xr


def split_value_added(value_added: xr.DataArray, labour: xr.DataArray,
                      capital: xr.DataArray, *, floor: float = 0.05):
    """Labour and capital compensation with EU KLEMS's rule for negative capital compensation.

    Where capital compensation is negative, capital gets ``floor`` (5 %) of value added and
    labour the rest (D2.3.1, pp. 19–20). Returns ``(labour, capital, adjusted)``.
    """
    adjusted = capital < 0
    cap = xr.where(adjusted, floor * value_added, capital).assign_attrs(capital.attrs)
    lab = xr.where(adjusted, (1 - floor) * value_added, labour).assign_attrs(labour.attrs)
    return lab, cap, adjusted
