"""Scale-out on a Dask LocalCluster (2 workers on loopback) gives the single-process numbers."""

from __future__ import annotations

import numpy as np
import pytest

from klems.base.errors import ParameterError
from klems.pipeline.options import EstimateOptions
from klems.sweep import parameters, runner

pytest.importorskip("distributed")


def test_local_cluster_gives_identical_results():
    from klems.sweep.distributed import dask_client

    opts = EstimateOptions()
    params = [parameters.parse_parameter(t) for t in (
        "hardware.depreciation=0.25:0.40", "software.mean_life=3:7",
        "profile=caict,bls-mixture,geometric")]
    kw = dict(kind="sobol", draws=150, seed=9, chunk_size=40)
    alone = runner.run_sweep(["guangxi", "beijing"], params, opts, **kw)
    with dask_client(workers=2) as local:
        assert len(local.scheduler_info()["workers"]) == 2
        address = local.scheduler.address
        assert address.startswith("tcp://127.0.0.1:")
        # --scheduler: a second client on the running cluster, as a statistics office would
        with dask_client(scheduler=address) as client:
            spread = runner.run_sweep(["guangxi", "beijing"], params, opts, client=client, **kw)
    assert list(spread.province.values) == ["guangxi", "beijing"]
    for var in alone.data_vars:
        a, b = alone[var].values, spread[var].values
        if a.dtype.kind == "f":
            np.testing.assert_array_equal(a, b, err_msg=var)
        else:
            assert (a == b).all(), var


@pytest.mark.parametrize("kwargs,match", [
    ({}, r"give either --workers N or --scheduler tcp://HOST:PORT"),
    ({"workers": 2, "scheduler": "tcp://127.0.0.1:1"}, r"give either --workers N or"),
    ({"workers": 0}, r"--workers must be >= 1, got 0"),
    ({"scheduler": "localhost:8786"}, r"--scheduler 'localhost:8786': expected an address like "
                                      r"tcp://HOST:PORT"),
])
def test_client_arguments_are_checked(kwargs, match):
    from klems.sweep.distributed import dask_client

    with pytest.raises(ParameterError, match=match):
        with dask_client(**kwargs):
            pass
