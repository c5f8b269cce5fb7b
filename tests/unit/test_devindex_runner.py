"""``klems.devindex.runner.run_index``: the index as a library call, the same as the command."""

from __future__ import annotations

import math

import numpy as np
import pytest

from klems.base.errors import ParameterError
from klems.devindex.runner import IndexResult, index_files, run_index
from klems.devindex.workbook import write_template
from klems.outputs.files import OutputSet
from klems.outputs.workbook import read_sheet


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    path = tmp_path_factory.mktemp("idx") / "example.xlsx"
    write_template(path, [2020, 2021, 2022, 2023], example=True, seed=7)
    return path


def test_run_index_returns_every_result(example):
    res = run_index(example, tiers=3, draws=40, seed=1)
    assert isinstance(res, IndexResult)
    assert res.synthetic and "SYNTHETIC" in res.report
    assert float(res.national["index"].sel(node="total", year=2020)) == pytest.approx(100.0)
    table = res.regional_table
    assert sorted(table["rank"]) == list(range(1, 32))
    assert set(table["tier"]) == {1, 2, 3}
    assert res.provenance["command"] == "klems index run"
    again = run_index(example, tiers=3, draws=40, seed=1)
    assert np.array_equal(again.regional_table["score"], table["score"])


def test_index_files_write_the_workbook_and_charts_all_or_nothing(example, tmp_path):
    res = run_index(example, draws=20)
    outs = OutputSet(tmp_path / "o")
    index_files(res, outs, charts=False)
    written = outs.commit()
    assert [p.name for p in written] == ["index.xlsx"]
    reg = read_sheet(tmp_path / "o" / "index.xlsx", "各省指数")
    assert list(reg["province"]) == list(res.regional_table["province"])


@pytest.mark.parametrize("kw, message", [
    ({"tiers": 0}, r"tiers must be a whole number in \[1, 31\], got 0"),
    ({"draws": 2.5}, r"draws must be a whole number"),
    ({"spread": math.nan}, r"spread must be a number in \[0, 1\], got nan"),
    ({"ahp_share": 1.5}, r"ahp_share must be a number in \[0, 1\], got 1.5"),
    ({"tier_method": "quantiles"}, r"unknown tier method 'quantiles'; expected one of jenks"),
    ({"mc_method": "bootstrap"}, r"unknown weight-uncertainty method 'bootstrap'"),
    ({"ahp_method": "mean"}, r"unknown AHP method 'mean'; expected one of eigenvector"),
    ({"max_cr": -0.1}, r"max_cr must be a number in \[0, inf\], got -0.1"),
])
def test_keywords_are_checked(example, kw, message):
    with pytest.raises(ParameterError, match=message):
        run_index(example, **kw)
