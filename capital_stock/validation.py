"""Checks of investment series before the perpetual inventory, with messages that say where."""

from __future__ import annotations

import numpy as np

from klems.base.errors import InputDataError


def describe_position(index: tuple, leading: list[tuple[str, np.ndarray]] | None,
                      year_label) -> str:
    """'industry 012, year 2005' for labelled arrays, 'series (3, 1), year index 4' for numpy."""
    parts = []
    if leading:
        for (name, labels), i in zip(leading, index):
            parts.append(f"{name} {labels[i]}")
    elif index:
        parts.append(f"series {tuple(int(i) for i in index)}")
    parts.append(f"year {year_label}")
    return ", ".join(parts)


def check_investment(values: np.ndarray, asset: str, leading=None, years=None) -> None:
    """Raise :class:`InputDataError` at the first NaN, infinite or negative investment value.

    ``values`` has the time axis last; ``leading`` is a list of (dimension name, labels) for the
    other axes, ``years`` the time labels (positions are used when absent).
    """
    if values.ndim == 0:
        raise InputDataError("investment must have a time axis (got a scalar)", asset=asset)
    bad_nan = ~np.isfinite(values)
    bad_neg = values < 0
    for mask, what, expected in (
        (bad_nan, "is not a finite number", "a finite value >= 0"),
        (bad_neg, "is negative", "a value >= 0"),
    ):
        if mask.any():
            pos = tuple(np.argwhere(mask)[0])
            year = years[pos[-1]] if years is not None else f"index {pos[-1]}"
            where = describe_position(pos[:-1], leading, year)
            count = int(mask.sum())
            more = f" ({count - 1} more such values)" if count > 1 else ""
            raise InputDataError(
                f"investment of asset {asset} {what} ({float(values[pos])!r}) at {where}{more}; "
                f"expected {expected}"
            )


class TimeLastLayout:
    """A DataArray with the time dimension moved last, and the labels that errors name.

    ``leading``: (dimension, labels) of the other axes; ``years``: the time labels;
    ``as_lead(x)``: a DataArray argument (initial stock, growth) broadcast to the leading axes
    as a numpy array (other values pass through).
    """

    def __init__(self, investment, dim: str, asset: str, error=InputDataError):
        if dim not in investment.dims:
            raise error(f"investment has no dimension {dim!r} (dims: {investment.dims})",
                        asset=asset)
        self.da = investment.transpose(..., dim)
        self.lead_dims = self.da.dims[:-1]
        self.leading = [(d, self.da[d].values if d in self.da.coords
                         else np.arange(self.da.sizes[d])) for d in self.lead_dims]
        self.years = self.da[dim].values if dim in self.da.coords else None
        self._template = self.da.isel({dim: 0}, drop=True)

    def as_lead(self, x):
        import xarray as xr

        if isinstance(x, xr.DataArray):
            return x.broadcast_like(self._template).transpose(*self.lead_dims).values
        return x
