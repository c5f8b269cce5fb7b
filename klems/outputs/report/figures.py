"""The estimate's charts for the report, as PNG bytes (drawn by :mod:`klems.outputs.charts`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import xarray as xr

from klems.outputs import charts


def estimate_figures(result: xr.Dataset, ranks: pd.DataFrame | None = None, names=None,
                     lang: str = "zh") -> dict[str, bytes]:
    """``de_split``, ``growth``, ``structure``, ``penetration``, ``top20`` and (with ``ranks``)
    ``provinces`` charts of an estimate."""
    makers = {
        "de_split": lambda p: charts.de_split_chart(result, p, lang),
        "growth": lambda p: charts.growth_chart(result, p, lang),
        "structure": lambda p: charts.structure_chart(result, p, lang),
        "penetration": lambda p: charts.penetration_chart(result, p, lang),
        "top20": lambda p: charts.id_by_industry_chart(result, p, names, lang),
    }
    if ranks is not None:
        year = int(result.year.values[-1])
        makers["provinces"] = lambda p: charts.provinces_chart(
            ranks, p, highlight=str(result.attrs.get("province", "")), lang=lang, year=year)
    out = {}
    with tempfile.TemporaryDirectory(prefix="klems-report-") as tmp:
        for name, make in makers.items():
            path = Path(tmp) / f"{name}.png"
            make(path)
            out[name] = path.read_bytes()
    return out
