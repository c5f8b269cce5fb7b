"""``run_sweep``: draw, evaluate every province (here, or on a Dask cluster), analyse, assemble."""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from klems.base.errors import ParameterError
from klems.pipeline.options import parse_years
from klems.sweep.analysis import province_sobol, sweep_dataset, tornado_draws
from klems.sweep.designs import design
from klems.sweep.distributed import evaluate_distributed
from klems.sweep.evaluation import (
    OUTPUTS,
    SweepDrawWarning,
    SweepInputs,
    draw_arrays,
    evaluate_all,
    flagged_draws,
    prepare_province,
)
from klems.sweep.parameters import Parameter


def run_sweep(provinces, params: list[Parameter], opts, *, kind: str = "sobol",
              draws: int = 1024, seed: int = 0, levels: int | None = None,
              chunk_size: int = 2000, client=None, progress=None,
              report_years=None) -> xr.Dataset:
    """Draw, evaluate every province (here, or on a Dask ``client``) and assemble the Dataset.

    ``progress(n)`` is called with the number of draws finished after each chunk;
    ``report_years`` (``"2017-2021"``) restricts the years written (the tornado's year is the
    last one reported).
    """

    span = parse_years(report_years)
    provinces = [provinces] if isinstance(provinces, (str, SweepInputs)) else list(provinces)
    sources = provinces
    provinces = [p.province if isinstance(p, SweepInputs) else p for p in sources]
    values, info = design(params, kind, draws, seed, levels)
    arrays = draw_arrays(opts, values)

    oat, oat_rows = tornado_draws(params, opts)
    n = info["draws"]
    everything = {k: np.concatenate([arrays[k], oat[k]]) for k in arrays}
    if client is None:
        results = {}
        metas = {}
        for key, src in zip(provinces, sources):
            inputs = src if isinstance(src, SweepInputs) else prepare_province(key, opts)
            results[key] = evaluate_all(inputs, everything, chunk_size, progress)
            metas[key] = (inputs.years, inputs.base)
    else:

        results, metas = evaluate_distributed(client, sources, opts, everything, chunk_size,
                                              progress)
    years = metas[provinces[0]][0]
    main, tails = {}, {}
    for key in provinces:
        res = results[key]
        msg = flagged_draws({k: v[:n] for k, v in res.items()}, key, values)
        if msg:
            warnings.warn(msg, SweepDrawWarning, stacklevel=2)
            bad = res["flags"] != 0
            for var in (*OUTPUTS, "theta"):
                res[var][bad] = np.nan
        main[key] = {k: v[:n] for k, v in res.items()}
        tails[key] = {k: v[n:] for k, v in res.items()}
    bases = {k: metas[k][1] for k in provinces}
    if span is not None:
        keep = (years >= span[0]) & (years <= span[1])
        missing = [y for y in range(span[0], span[1] + 1) if y not in set(years.tolist())]
        if missing:
            raise ParameterError(f"years {missing} are outside the sweep's years "
                                 f"{years[0]}-{years[-1]}")
        years = years[keep]
        for group in (main, tails):
            for res in group.values():
                for var in OUTPUTS:
                    res[var] = res[var][:, keep]
        bases = {k: {v: (x[keep] if v in OUTPUTS else x) for v, x in b.items()}
                 for k, b in bases.items()}

    sobol = None
    if client is not None and info["design"] == "sobol":   # one task per province
        futures = {k: client.submit(province_sobol, main[k], params, seed) for k in provinces}
        sobol = {k: f.result() for k, f in futures.items()}
    return sweep_dataset(provinces, years, params, values, info, main, bases, tails, oat_rows,
                         opts, seed, sobol)
