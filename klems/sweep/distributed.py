"""Sweeps scaled out on Dask distributed: (province, chunk of draws) pairs are the tasks.

``dask_client(workers=N)`` starts a :class:`distributed.LocalCluster` of N single-threaded worker
processes on the loopback interface; ``dask_client(scheduler="tcp://host:8786")`` connects to a
running cluster. Each province's fixed inputs are prepared once, on a worker
(:func:`klems.sweep.prepare_province`), and every chunk of that province depends on them; the
draw chunks are scattered once and shared by all provinces. A task runs the same compiled kernel
as a single-process sweep on the same draws, so the numbers are identical (bit for bit).

Running all 31 provinces × 100,000 draws at a statistics office
--------------------------------------------------------------------
1. Install the project in the same Python environment on every machine
   (``pip install klems-digital-economy``: numba, dask and distributed come with it) and warm
   numba's cache once per machine (``klems sweep --province guangxi --param
   hardware.depreciation=0.25:0.4 --draws 16``) so workers do not compile.
2. Start a scheduler on one machine, ``dask scheduler --port 8786``, and on each compute node
   ``dask worker tcp://SCHEDULER:8786 --nworkers <cores> --nthreads 1`` (one thread per
   process: the kernel is single-threaded).
3. From any machine that reaches the scheduler::

       klems sweep --province all --design sobol --draws 100000 --seed 2024 \\
           --param hardware.depreciation=0.25:0.40 --param software.mean_life=3:7 ... \\
           --scheduler tcp://SCHEDULER:8786 --chunk-size 5000 --out sweep_all.nc

   31 provinces × 20 chunks = 620 tasks plus 31 preparations. Each worker holds one province's
   inputs (about 1 MB) and one chunk (5,000 draws × 22 years × 4 outputs ≈ 3.5 MB); the client
   gathers 31 × 100,000 × 22 × 4 doubles ≈ 2.2 GB, so run the client on a machine with
   4 GB free, or split the provinces into groups with the same ``--seed`` (draws are the same
   for every group, so the files combine along ``province``).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import numba

from klems.base.errors import ParameterError
from klems.sweep.evaluation import (
    DrawSource,
    SweepInputs,
    chunks,
    evaluate,
    prepare_province,
    take,
)


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None):
    """A distributed Client: a new loopback LocalCluster of ``workers`` processes, or the
    cluster at ``scheduler``. Both are closed (the local cluster shut down) on exit."""
    from distributed import Client, LocalCluster

    if (workers is None) == (scheduler is None):
        raise ParameterError("give either --workers N or --scheduler tcp://HOST:PORT")
    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise ParameterError(f"--scheduler {scheduler!r}: expected an address like "
                                 "tcp://HOST:PORT")
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ParameterError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        try:
            yield client
        finally:
            client.close()
        return
    if workers < 1:
        raise ParameterError(f"--workers must be >= 1, got {workers}")
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _prepare(province, opts):

    return province if isinstance(province, SweepInputs) else prepare_province(province, opts)


def _evaluate(inputs, draws):
    # the cluster runs one task per worker process: one thread each, so that the processes
    # (not the threads inside them) share the cores; results do not depend on the threads
    numba.set_num_threads(1)
    return evaluate(inputs, draws)


def _meta(inputs, oat):
    return inputs.years, inputs.base, evaluate(inputs, oat)


def evaluate_distributed(client, provinces, opts, draws: dict, oat: dict, chunk_size: int = 2000,
                         progress=None, sinks=None):
    """Evaluate ``draws`` for every province on the cluster of ``client``.

    ``provinces``: keys of bundled datasets, or :class:`klems.sweep.evaluation.SweepInputs`
    (prepared here). Each finished chunk goes to ``sinks[i](slice, results)`` of its province
    (number i) as it arrives, so the client holds one chunk at a time. Returns metas keyed by
    province: ``(years, base, results of the one-at-a-time draws oat)``.
    """
    from distributed import as_completed

    n = len(draws) if isinstance(draws, DrawSource) else len(draws["profile"])
    slices = chunks(n, chunk_size)
    keys = [p.province if isinstance(p, SweepInputs) else p for p in provinces]
    prepared = {k: client.submit(_prepare, p, opts, pure=False) for k, p in zip(keys, provinces)}
    # a dict would be scattered value by value under its keys: wrap each chunk in a list
    parts = [client.scatter([draws[sl] if isinstance(draws, DrawSource)
                             else take(draws, sl)])[0] for sl in slices]
    futures = {}
    for i, k in enumerate(keys):
        for c, sl in enumerate(slices):
            futures[client.submit(_evaluate, prepared[k], parts[c], pure=False)] = (i, sl)
    for fut in as_completed(list(futures)):
        i, sl = futures.pop(fut)
        sinks[i](sl, fut.result())
        fut.release()
        if progress is not None:
            progress(sl.stop - sl.start)
    oat_future = client.scatter([oat])[0]
    metas = {k: client.submit(_meta, prepared[k], oat_future).result() for k in keys}
    if progress is not None:
        progress(len(keys) * len(oat["profile"]))
    return metas
