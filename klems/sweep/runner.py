"""``run_sweep``: draw, evaluate every province (here, or on a Dask cluster), analyse, assemble.

Per-draw results go to a :class:`klems.sweep.store.DrawStore` as each chunk finishes: with
``path`` they are written into the NetCDF file at once and the analysis reads them back one
province and output at a time, so peak memory does not grow with the number of draws.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from klems.base.checks import whole_number
from klems.outputs.netcdf import prepare_for_netcdf, read_netcdf, store_netcdf
from klems.pipeline.options import check_years_available, parse_years
from klems.sweep.analysis import province_sobol, sweep_dataset, tornado_draws
from klems.sweep.designs import design
from klems.sweep.distributed import evaluate_distributed
from klems.sweep.evaluation import (
    OUTPUTS,
    SOBOL_OUTPUTS,
    DrawSource,
    SweepDrawWarning,
    SweepInputs,
    draw_arrays,
    evaluate,
    evaluate_all,
    flagged_draws,
    prepare_province,
)
from klems.sweep.parameters import Parameter
from klems.sweep.store import DrawStore


class _Sink:
    """Takes a province's chunks as they finish: restricts the years, NaN for flagged draws
    (counted for the warning), writes into the store."""

    def __init__(self, store, province_index, keep, values):
        self.store, self.index, self.keep, self.values = store, province_index, keep, values
        self.flags = []

    def __call__(self, sl, part):
        bad = part["flags"] != 0
        if bad.any():
            first = int(np.argmax(bad))
            self.flags.append((sl.start + first, int(bad.sum()), int(part["flags"][first])))
            for var in (*OUTPUTS, "theta"):
                part[var][bad] = np.nan
        for var in OUTPUTS:
            part[var] = part[var][:, self.keep]
        self.store.write(self.index, sl, part)

    def warning(self, province):
        if not self.flags:
            return None
        i, _, flags = self.flags[0]
        total = sum(c for _, c, _ in self.flags)
        probe = {"flags": np.zeros(i + 1, dtype=np.int64)}
        probe["flags"][i] = flags
        msg = flagged_draws(probe, province, {k: v[:i + 1] for k, v in self.values.items()})
        return msg.replace("1 draw(s)", f"{total} draw(s)", 1)


def run_sweep(provinces, params: list[Parameter], opts, *, kind: str = "sobol",
              draws: int = 1024, seed: int = 0, levels: int | None = None,
              chunk_size: int = 2000, client=None, progress=None,
              report_years=None, path=None, attrs: dict | None = None) -> xr.Dataset:
    """Draw, evaluate every province (here, or on a Dask ``client``) and assemble the Dataset.

    ``progress(n)`` is called with the number of draws finished after each chunk;
    ``report_years`` (``"2017-2021"``) restricts the years written (the tornado's year is the
    last one reported). With ``path`` the whole result is written to that NetCDF file as it is
    computed (the caller renames it into place) and the returned Dataset reads from it lazily.
    ``attrs`` are added to the Dataset's global attributes (e.g. the command line).
    """
    span = parse_years(report_years)
    chunk_size = whole_number("chunk_size", chunk_size, low=1)
    provinces = [provinces] if isinstance(provinces, (str, SweepInputs)) else list(provinces)
    sources = provinces
    keys = [p.province if isinstance(p, SweepInputs) else p for p in sources]
    values, info = design(params, kind, draws, seed, levels)
    n = info["draws"]
    arrays = DrawSource(opts, values, n)
    draw_arrays(opts, {k: v[:1] for k, v in values.items()}, 1)   # warns once when it should
    oat, oat_rows = tornado_draws(params, opts)
    prepared = {}
    first = sources[0] if isinstance(sources[0], SweepInputs) else prepare_province(keys[0], opts)
    prepared[keys[0]] = first
    all_years = first.years
    keep = np.ones(all_years.size, dtype=bool)
    if span is not None:
        check_years_available(span, all_years, province=keys[0], what="the sweep's years",
                              first_note=" (the accounts start one year after the data)")
        keep = (all_years >= span[0]) & (all_years <= span[1])
    years = all_years[keep]
    store = DrawStore(keys, n, years, path=path, chunk=chunk_size)
    try:
        sinks = [_Sink(store, a, keep, values) for a in range(len(keys))]
        tails, bases = {}, {}
        if client is None:
            for a, (key, src) in enumerate(zip(keys, sources)):
                inputs = prepared.get(key) or (src if isinstance(src, SweepInputs)
                                               else prepare_province(key, opts))
                evaluate_all(inputs, arrays, chunk_size, progress, sink=sinks[a])
                tails[key] = evaluate(inputs, oat)
                bases[key] = inputs.base
                if progress is not None:
                    progress(len(oat["profile"]))
                prepared.pop(key, None)
        else:
            metas = evaluate_distributed(client, sources, opts, arrays, oat, chunk_size,
                                         progress, sinks)
            tails = {k: m[2] for k, m in metas.items()}
            bases = {k: m[1] for k, m in metas.items()}
        for a, key in enumerate(keys):
            msg = sinks[a].warning(key)
            if msg:
                warnings.warn(msg, SweepDrawWarning, stacklevel=2)
            for var in OUTPUTS:
                tails[key][var] = tails[key][var][:, keep]
            bases[key] = {v: (x[keep] if v in OUTPUTS else x) for v, x in bases[key].items()}
        sobol = None
        if client is not None and info["design"] == "sobol":   # one task per province
            futures = {k: client.submit(province_sobol,
                                        {v: store.read(a, v) for v in SOBOL_OUTPUTS},
                                        params, seed) for a, k in enumerate(keys)}
            sobol = {k: f.result() for k, f in futures.items()}
        ds = sweep_dataset(store, params, values, info, bases, tails, oat_rows, opts, seed,
                           sobol, per_draw=path is None)
    except BaseException:
        store.close()
        raise
    store.close()
    ds.attrs.update(attrs or {})
    if path is None:
        return ds
    summary = prepare_for_netcdf(ds, title="Sensitivity of the digital economy to the "
                                           "assumptions of the KLEMS estimate (klems sweep)")
    store_netcdf(summary, path, mode="a")
    return read_netcdf(path)
