"""Designs of a sweep: a full grid, a Sobol (Saltelli) sample or a Latin hypercube (SALib)."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from klems.base.checks import whole_number
from klems.base.choices import expected_one_of
from klems.base.errors import ParameterError
from klems.base.vocabulary import DESIGNS
from klems.sweep.parameters import Parameter


def _unit_samples(params, design, draws, seed, levels):
    d = len(params)
    problem = {"num_vars": d, "names": [p.name for p in params], "bounds": [[0.0, 1.0]] * d}
    info = {"design": design, "seed": int(seed)}
    if design == "sobol":
        from SALib.sample import sobol

        base = draws // (d + 2)
        if base < 2:
            raise ParameterError(f"--draws {draws}: a Sobol design of {d} parameter(s) needs at "
                                 f"least {2 * (d + 2)} draws (N·(D + 2) with N >= 2)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # N need not be a power of two
            u = sobol.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)
        info["base_sample_size"] = base
        return u, info
    if design == "lhs":
        from SALib.sample import latin

        if draws < 1:
            raise ParameterError(f"--draws must be >= 1, got {draws}")
        return latin.sample(problem, draws, seed=seed), info
    # grid: k levels per continuous parameter, every level of each categorical
    cats = int(np.prod([len(p.levels) for p in params if p.categorical]))
    n_cont = sum(not p.categorical for p in params)
    if levels is None:
        levels = int(math.floor((draws / cats) ** (1.0 / n_cont) + 1e-9)) if n_cont else 1
        if n_cont and levels < 2:
            raise ParameterError(f"--draws {draws} is too few for a grid of {n_cont} range(s) "
                                 f"× {cats} categorical combination(s); need at least "
                                 f"{cats * 2 ** n_cont}")
    axes = [(np.arange(len(p.levels)) + 0.5) / len(p.levels) if p.categorical
            else (np.linspace(0.0, 1.0, levels) if levels > 1 else np.array([0.5]))
            for p in params]
    info["levels"] = int(levels)
    return np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, d), info


def design(params: list[Parameter], kind: str = "sobol", draws: int = 1024, seed: int = 0,
           levels: int | None = None) -> tuple[dict[str, np.ndarray], dict]:
    """Parameter values per draw (name -> array) and facts about the design."""
    expected_one_of("design", kind, DESIGNS)
    draws = whole_number("draws", draws, low=1)
    seed = whole_number("seed", seed, low=0, high=2**32 - 1)
    if levels is not None:
        levels = whole_number("levels", levels, low=2,
                              hint="a grid needs both ends of every range")
        if kind != "grid":
            raise ParameterError(f"levels {levels} apply to the grid design only, not {kind}")
    if not params:
        raise ParameterError("nothing to sweep: give at least one --param")
    names = [p.name for p in params]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ParameterError(f"parameter(s) {dup} given more than once")
    u, info = _unit_samples(params, kind, int(draws), seed, levels)
    info["draws"] = int(u.shape[0])
    return {p.name: p.values(u[:, k]) for k, p in enumerate(params)}, info
