"""Where a sweep's per-draw results go as chunks finish: memory, or a NetCDF file being written.

A sweep of 31 provinces × 100,000 draws has 2.2 GB of per-draw results; holding them in memory
until the end made peak memory grow with the number of draws. :class:`DrawStore` with a ``path``
writes each chunk into the (compressed, chunked) NetCDF variables as soon as it is evaluated and
keeps nothing; the analysis then reads one province's block of one output at a time
(:meth:`DrawStore.read`). Without a path the same interface keeps numpy arrays (the Python API for
small sweeps and the tests).
"""

from __future__ import annotations

import numpy as np

from klems.outputs.netcdf import COMPRESSION, cf_units
from klems.sweep import _kernels as kern
from klems.sweep.evaluation import OUTPUTS

#: CF flag_meanings of the per-draw ``flags`` bits (ASCII words, in the order of FLAG_TEXT)
FLAG_MEANINGS = {kern.FLAG_SHARES: "input_shares_do_not_sum_to_1",
                 kern.FLAG_VOLUME: "capital_volume_not_positive",
                 kern.FLAG_THETA: "theta_regression_undefined",
                 kern.FLAG_BASE: "base_year_stock_undefined"}

#: per-draw variables: name -> (has a year axis, dtype)
PER_DRAW = {**{k: (True, "f8") for k in OUTPUTS}, "theta": (False, "f8"),
            "flags": (False, "i8"), "clipped_user_costs": (False, "i8")}


def _attrs(units, en, zh, **extra):
    attrs = {"long_name": en, "long_name_zh": zh, **extra}
    return {"units": units, **attrs} if units is not None else attrs


def per_draw_attrs(var: str) -> dict:
    """Units and names (English, Chinese) of a per-draw variable."""
    if var in OUTPUTS:
        units, en, zh = OUTPUTS[var]
        return _attrs(units, en, zh, status="modelled")
    if var == "theta":
        return _attrs("1", "θ: share of TFP growth attributed to ICT", "TFP归因于ICT的份额θ")
    if var == "flags":
        return _attrs(None, "draw cannot be estimated (bit mask)", "无法测算的抽样（位标志）",
                      flag_masks=list(FLAG_MEANINGS),
                      flag_meanings=" ".join(FLAG_MEANINGS[k] for k in kern.FLAG_TEXT),
                      comment="; ".join(f"{k}: {t}" for k, t in kern.FLAG_TEXT.items()))
    return _attrs("1", "negative user costs set to zero (count)", "负使用成本置零次数")


class DrawStore:
    """Per-draw results of every province: (province, draw, year) and (province, draw)."""

    def __init__(self, provinces, n_draws: int, years, path=None, chunk: int = 2000):
        self.provinces = list(provinces)
        self.n_draws = int(n_draws)
        self.years = np.asarray(years)
        self.path = path
        m = self.years.size
        if path is None:
            self._arrays = {k: np.full((len(self.provinces), self.n_draws, m) if yearly
                                       else (len(self.provinces), self.n_draws),
                                       np.nan if dt == "f8" else 0, dtype=dt)
                            for k, (yearly, dt) in PER_DRAW.items()}
            self._nc = None
            return
        import netCDF4

        self._nc = netCDF4.Dataset(path, "w", format="NETCDF4")
        self._nc.set_auto_mask(False)
        self._nc.createDimension("province", len(self.provinces))
        self._nc.createDimension("draw", self.n_draws)
        self._nc.createDimension("year", m)
        c = max(1, min(chunk, self.n_draws))
        self._vars = {}
        for k, (yearly, dt) in PER_DRAW.items():
            dims = ("province", "draw", "year") if yearly else ("province", "draw")
            sizes = (1, c, m) if yearly else (1, c)
            self._vars[k] = self._nc.createVariable(
                k, dt, dims, zlib=COMPRESSION["zlib"], complevel=COMPRESSION["complevel"],
                shuffle=COMPRESSION["shuffle"], chunksizes=sizes,
                fill_value=np.nan if dt == "f8" else None)
            # chunks are written whole and once: a small cache is enough (netCDF's default of
            # 16 MiB per variable made the memory of a large sweep grow with its draws)
            self._vars[k].set_var_chunk_cache(size=2**20, nelems=31, preemption=1.0)
            attrs = cf_units(per_draw_attrs(k))
            for key, value in attrs.items():
                value = np.asarray(value, dtype=np.dtype(dt)) if isinstance(value, list) \
                    else value
                self._vars[k].setncattr(key, value)

    def write(self, province: int, sl: slice, part: dict) -> None:
        """Results of draws ``sl`` of province number ``province`` (from ``evaluate``)."""
        for k in PER_DRAW:
            if self._nc is None:
                self._arrays[k][province, sl] = part[k]
            else:
                self._vars[k][province, sl] = part[k]

    def read(self, province: int, name: str) -> np.ndarray:
        """One province's (draw, year) block (or (draw,)) of one variable."""
        if self._nc is None:
            return self._arrays[name][province]
        return np.asarray(self._vars[name][province, :])

    def arrays(self) -> dict[str, np.ndarray]:
        """All per-draw arrays (in-memory store only)."""
        return self._arrays

    def close(self) -> None:
        if self._nc is not None:
            self._nc.close()
            self._nc = None
