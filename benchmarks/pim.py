"""Perpetual inventory: 139 industries × 3 ICT assets × 25 years × D draws.

Compared in one run: the compiled kernel (``capital_stock._kernels.pim``) and the public
``perpetual_inventory`` call around it; (a) a plain-numpy baseline (vectorised over series,
loop over vintages: ``capital_stock._kernels.pim_reference``); (b) a straightforward pandas
implementation as a statistician would write it (a DataFrame of series × years, looping over
vintages with ``shift``); (c) the machine's memory bandwidth (see ``bandwidth.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import capital_stock as cs
from benchmarks.timing import measure
from capital_stock import _kernels
from capital_stock.base_year import _base_year_numpy
from capital_stock.profiles import default_n_ages

N_INDUSTRIES, N_YEARS = 139, 25


def _inputs(draws: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    growth = 1.0 + rng.normal(0.08, 0.03, size=(draws, N_INDUSTRIES, 1))
    level = rng.gamma(2.0, 5.0, size=(draws, N_INDUSTRIES, 1))
    return level * growth ** np.arange(N_YEARS)


def _kernel_args(inv: np.ndarray, spec):
    flat = inv.reshape(-1, N_YEARS)
    m = flat.shape[0]
    w = cs.efficiency_weights(spec, min(default_n_ages(spec), N_YEARS))[None, :]
    base = _base_year_numpy(flat, spec.depreciation, None, "printed", "geometric", spec.name,
                            None, None)
    decay = ((1 - spec.depreciation) ** np.arange(N_YEARS))[None, :]
    zeros = np.zeros(m, dtype=np.int64)
    return flat, w, zeros, 1, base, decay, zeros


def pandas_stock(inv: np.ndarray, spec) -> np.ndarray:
    """The statistician's version: a DataFrame per asset, one ``shift`` per vintage."""
    flat = inv.reshape(-1, N_YEARS)
    frame = pd.DataFrame(flat, columns=range(2000, 2000 + N_YEARS))
    w = cs.efficiency_weights(spec, min(default_n_ages(spec), N_YEARS))
    first, second, last = frame.iloc[:, 0], frame.iloc[:, 1], frame.iloc[:, -1]
    g = (last / first) ** (1 / (N_YEARS - 1)) - 1
    base = second / (g + spec.depreciation)
    stock = pd.DataFrame(0.0, index=frame.index, columns=frame.columns)
    new = frame.copy()
    new.iloc[:, 0] = 0.0
    for x, wx in enumerate(w):
        stock = stock + wx * new.shift(x, axis=1).fillna(0.0)
    decay = pd.Series((1 - spec.depreciation) ** np.arange(N_YEARS), index=frame.columns)
    stock = stock + np.outer(base, decay)
    return stock.to_numpy()


def pandas_per_series(inv: np.ndarray, spec) -> np.ndarray:
    """The same loop over vintages, run for one series at a time (``groupby`` on a long table)."""
    flat = inv.reshape(-1, N_YEARS)
    long = pd.DataFrame({"series": np.repeat(np.arange(flat.shape[0]), N_YEARS),
                         "year": np.tile(np.arange(2000, 2000 + N_YEARS), flat.shape[0]),
                         "investment": flat.ravel()})
    w = cs.efficiency_weights(spec, min(default_n_ages(spec), N_YEARS))
    decay = (1 - spec.depreciation) ** np.arange(N_YEARS)

    def one(group):
        s = group.set_index("year")["investment"]
        g = (s.iloc[-1] / s.iloc[0]) ** (1 / (N_YEARS - 1)) - 1
        base = s.iloc[1] / (g + spec.depreciation)
        new = s.copy()
        new.iloc[0] = 0.0
        k = base * pd.Series(decay, index=s.index)
        for x, wx in enumerate(w):
            k = k + wx * new.shift(x).fillna(0.0)
        return k

    out = long.groupby("series", sort=True)[["year", "investment"]].apply(one)
    return np.asarray(out).reshape(flat.shape)


def run(draws=(1, 10, 100, 1000, 10000), pandas_max: int = 1000, bandwidth: dict | None = None,
        repeats: int = 3, per_series_max: int = 10) -> list[dict]:
    rows = []
    specs = list(cs.ICT_ASSETS)
    for d in draws:
        inv = _inputs(d)
        args = [_kernel_args(inv, s) for s in specs]
        # correctness: the three implementations agree
        k_ref = [_kernels.pim(*a) for a in args]
        for a, ref, s in zip(args, k_ref, specs):
            np.testing.assert_allclose(_kernels.pim_reference(*a), ref, rtol=1e-12)
            if d <= 10:
                np.testing.assert_allclose(pandas_stock(inv, s), ref, rtol=1e-10)
        cells = inv.size * len(specs)
        t_kernel = measure(lambda: [_kernels.pim(*a) for a in args], repeats=repeats,
                           min_time=0.2)
        t_public = measure(lambda: [cs.perpetual_inventory(inv, s) for s in specs],
                           repeats=repeats, min_time=0.2)
        t_numpy = measure(lambda: [_kernels.pim_reference(*a) for a in args], repeats=repeats,
                          min_time=0.2)
        t_pandas = None
        if d <= pandas_max:
            t_pandas = measure(lambda: [pandas_stock(inv, s) for s in specs], repeats=1,
                               trace_memory=False)
        t_series = None
        if d <= per_series_max:
            for a, ref, s in zip(args, k_ref, specs):
                np.testing.assert_allclose(pandas_per_series(inv, s), ref, rtol=1e-10)
            t_series = measure(lambda: [pandas_per_series(inv, s) for s in specs], repeats=1,
                               trace_memory=False)
        moved = 2 * 8 * cells  # read investment, write stock
        row = {
            "draws": d,
            "cells": cells,
            "kernel_s": t_kernel.seconds,
            "kernel_cells_per_s": cells / t_kernel.seconds,
            "kernel_Bps": moved / t_kernel.seconds,
            "public_s": t_public.seconds,
            "public_peak_bytes": t_public.peak_bytes,
            "numpy_s": t_numpy.seconds,
            "pandas_s": t_pandas.seconds if t_pandas else float("nan"),
            "speedup_vs_numpy": t_numpy.seconds / t_kernel.seconds,
            "speedup_vs_pandas": (t_pandas.seconds / t_kernel.seconds) if t_pandas
            else float("nan"),
            "per_series_s": t_series.seconds if t_series else float("nan"),
            "speedup_vs_per_series": (t_series.seconds / t_kernel.seconds) if t_series
            else float("nan"),
        }
        if bandwidth:
            row["fraction_of_triad_bandwidth"] = row["kernel_Bps"] / bandwidth["triad_Bps_actual"]
            row["fraction_of_copy_bandwidth"] = row["kernel_Bps"] / bandwidth["copy_Bps"]
        rows.append(row)
    return rows
