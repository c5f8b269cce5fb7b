"""Value added by industry balanced to a year's published margins (sectors, groups, ICT blocks).

Shared by a new year (the prior is the last year's structure, :mod:`klems.inputs.extension`) and
a revised year (the prior is the year's own structure, :mod:`klems.inputs.revisions`). One
province: inside each cell (group × sector, :mod:`klems.datasets.cells`) the industries keep
their shares of the prior — the one-row case of the RAS of the data build; an ICT block the
yearbook publishes (C39 electronics, section I) is a margin of its own inside its cell.
"""

from __future__ import annotations

import numpy as np

from klems.base.errors import InputDataError
from klems.base.vocabulary import SECTORS
from klems.datasets.cells import (
    CELLS,
    ELECTRONICS,
    GROUPS,
    INFORMATION,
    cell_sector,
    cells_from_groups,
    industry_cells,
)
from klems.inputs import dataset_figures as fig

BLOCKS = {"industry_secondary": ("va_electronics", ELECTRONICS),
          "other": ("va_information", INFORMATION)}


def scale(prior: np.ndarray, total: float, what: str) -> np.ndarray:
    """``prior`` scaled to sum to ``total`` (an all-zero prior only to zero)."""
    s = prior.sum()
    if s <= 0:
        if total > 1e-9:
            raise InputDataError(f"{what} has no value in the structure carried forward but "
                                 f"{total:,.2f} is asked; expected a structure to carry")
        return np.zeros_like(prior)
    return prior * (total / s)


def balance_value_added(prior: np.ndarray, sector: np.ndarray, sectors: dict,
                        groups: dict | None, blocks: dict, *, what: str = "") -> tuple:
    """Value added of the 139 industries whose sector, cell and block totals are the margins.

    ``sectors``: primary/secondary/tertiary totals; ``groups``: the nine groups (None: each
    cell keeps its share of its sector in ``prior``); ``blocks``: ``va_electronics`` /
    ``va_information`` -> total (absent or None: the block keeps its share of its cell).
    Returns (value added, cell totals, cells that took the prior's share of their sector).
    """
    idx = industry_cells()
    cell_p = fig.cell_sums(prior)
    sec_p = fig.sector_sums(prior, sector)
    share = {c: (cell_p[k] / sec_p[cell_sector(c)] if sec_p[cell_sector(c)] > 0 else 0.0)
             for k, c in enumerate(CELLS)}
    fell: list[str] = []
    if groups is not None:
        groups = dict(groups)
        if groups.get("other") is None:
            groups["other"] = sum(sectors.values()) - sum(groups[g] for g in GROUPS[:-1])
        cells, fell = cells_from_groups(sectors, groups, share)
    else:
        cells = {c: share[c] * sectors[cell_sector(c)] for c in CELLS}
    out = np.zeros_like(prior)
    for k, c in enumerate(CELLS):
        members = np.flatnonzero(idx == k)
        total = cells[c]
        key, codes = BLOCKS.get(c, (None, ()))
        value = blocks.get(key) if key else None
        if value is not None:
            b = fig.block_index(codes)
            out[b] = scale(prior[b], value, f"{what}the industries {codes[0]}-{codes[-1]}")
            members = np.setdiff1d(members, b)
            total -= value
            if total <= 0:
                raise InputDataError(
                    f"{what}the ICT industries' value added {key} = {value:,.2f} is not below "
                    f"the value added of cell {c} ({cells[c]:,.2f}) it is part of; expected a "
                    "part of it")
        out[members] = scale(prior[members], total, f"{what}cell {c}")
    return out, cells, fell


def sector_totals(values: dict, prefix: str = "va_") -> dict:
    return {s: values[f"{prefix}{s}"] for s in SECTORS}
