"""``klems estimate --vintage`` and ``--io-table``: which data an estimate runs on."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import klems
from klems import cli
from klems.base.resources import data_file

CHONGQING = data_file("sources", "io_tables", "chongqing_2023_42_grid.csv")


def _estimate(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return klems.estimate(*args, **kw)


def test_vintage_2018_census_has_the_white_papers_gdp():
    """Guangxi white paper 2022, Table 1: GDP 2017 17790.68 and 2021 24740.86 (亿元)."""
    r = _estimate("guangxi", vintage="2018-census", years="2017-2021")
    assert float(r.gdp.sel(year=2017)) == pytest.approx(17790.68)
    assert float(r.gdp.sel(year=2021)) == pytest.approx(24740.86)
    assert r.attrs["vintage"] == "2018-census"
    latest = _estimate("guangxi", years="2021")
    assert latest.attrs["vintage"] == "2023-census"
    assert float(latest.gdp.sel(year=2021)) != pytest.approx(24740.86)


def test_io_table_replaces_the_structure_of_its_year():
    base = _estimate("chongqing", years="2023")
    own = _estimate("chongqing", years="2023", io_table=str(CHONGQING))
    assert own.attrs["io_table"].endswith("chongqing_2023_42_grid.csv")
    assert len(own.attrs["io_table_sha256"]) == 64
    elec = [f"{i:03d}" for i in range(86, 92)]
    assert not np.isclose(float(own.value_added.sel(industry=elec, year=2023).sum()),
                          float(base.value_added.sel(industry=elec, year=2023).sum()))


def test_cli_vintage_and_io_table(capsys):
    assert cli.main(["estimate", "--province", "chongqing", "--years", "2023",
                     "--io-table", str(CHONGQING)]) == 0
    assert "2023" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--province", "all", "--io-table", str(CHONGQING)],
     "--io-table is one province's own input-output table; it cannot be combined with "
     "--province all"),
    (["--province", "guangxi", "--vintage", "2010-census"], "invalid choice: '2010-census'"),
    (["--province", "guangxi", "--years", "2025"],
     "the data end in 2024: to add a year, fill in a yearbook sheet (klems yearbook"),
])
def test_cli_data_option_errors(argv, message, capsys):
    with pytest.raises(SystemExit) if "invalid choice" in message else _nothing():
        rc = cli.main(["estimate", *argv])
        assert rc == 2
    assert message in capsys.readouterr().err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
