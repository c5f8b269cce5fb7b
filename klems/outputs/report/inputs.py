"""What a report is made of: the estimate and everything computed beside it.

The command (``klems report``) or a Python caller computes these — the estimate, the estimates
of the other provinces for the ranks, the comparison with published figures, a sweep — and the
renderer (:mod:`klems.outputs.report.document`) only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import xarray as xr


@dataclass
class ReportInputs:
    #: the province's estimate (``klems.estimate``)
    result: xr.Dataset
    #: one row per province (``klems.pipeline.ranks.rank_table``), same options; or None
    ranks: pd.DataFrame | None = None
    #: published ranks of the province (figure -> (year, rank, source)); may be empty
    published_ranks: dict = field(default_factory=dict)
    #: published figures beside the estimate (``klems.pipeline.reproduction.compare``)
    comparison: pd.DataFrame | None = None
    #: calibrated comparison and coefficients (``klems.pipeline.reproduction.reproduce``)
    calibration: dict | None = None
    #: a sensitivity sweep (``klems sweep`` file, read with ``read_netcdf``) or None
    sweep: xr.Dataset | None = None
    #: PNG charts by name (``de_split``, ``growth``, ``structure``, ``penetration``,
    #: ``top20``, ``provinces``, ``fan``, ``tornado``)
    figures: dict[str, bytes] = field(default_factory=dict)
    #: industry code -> name in the report's language
    industry_names: dict | None = None
    #: the command line that made the report
    command: str = ""
    #: input series name -> (Chinese, English) label (from the dataset's attributes)
    series_labels: dict = field(default_factory=dict)
    #: the documents the published figures come from
    published_sources: list = field(default_factory=list)
