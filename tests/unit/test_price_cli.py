"""``klems prices``: table, fitted parameters, extension rules, CSV and PNG outputs."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

from klems.base.errors import ParameterError, UnknownProvinceError
from klems.cli import prices as cli_prices


def run(argv):
    ap = argparse.ArgumentParser(prog="klems")
    sub = ap.add_subparsers(dest="command")
    cli_prices.register(sub)
    args = ap.parse_args(["prices", *argv])
    return args.func(args)


def test_prices_guangxi_writes_table_csv_and_png(tmp_path, capsys):
    png, csv = tmp_path / "d.png", tmp_path / "d.csv"
    assert run(["--province", "guangxi", "--png", str(png), "--csv", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "guangxi hardware" in out and "china software" in out
    assert "alpha=" in out and "fit 1996-2020" in out
    assert "guangxi reference 2020-2022: no FAI price index after 2019" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(csv)
    assert set(table.province) == {"china", "guangxi"}
    assert {"hardware", "communication", "software", "reference_investment",
            "ppi_c39_benchmark"} <= set(table.series)
    assert set(table.status) == {"published", "derived", "extrapolated"}
    assert not list(tmp_path.glob("*.tmp"))


def test_prices_errors():
    with pytest.raises(UnknownProvinceError, match="unknown province 'nowhere'"):
        run(["--province", "nowhere"])
    with pytest.raises(SystemExit) as exc:      # refused by the option's type, before any work
        run(["--province", "china", "--smoothing-level", "2"])
    assert exc.value.code == 2
    from price_index import ict_deflators  # the library checks its keyword the same way

    with pytest.raises(ParameterError, match=r"smoothing level must lie in \(0, 1\], got 2.0"):
        ict_deflators("china", smoothing_level=2.0)
