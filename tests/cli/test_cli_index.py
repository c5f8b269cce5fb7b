"""``klems index``: template -> run end to end, reproduce, errors (exit 2, nothing written)."""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest

import klems.cli as cli
from klems.devindex.reproduction import weight_ranges
from klems.outputs.workbook import read_sheet


@pytest.fixture(autouse=True)
def _registered(monkeypatch):
    """Run through the real ``klems`` entry point with the index command registered."""
    monkeypatch.setitem(cli.COMMANDS, "index", "klems.cli.index")
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    path = tmp_path_factory.mktemp("index") / "example.xlsx"
    cli.COMMANDS.setdefault("index", "klems.cli.index")
    assert cli.main(["index", "template", "--out", str(path), "--example"]) == 0
    return path


def test_template_has_every_sheet(tmp_path):
    out = tmp_path / "t.xlsx"
    assert cli.main(["index", "template", "--out", str(out), "--years", "2020-2022"]) == 0
    book = pd.read_excel(out, sheet_name=None)
    assert set(book) == {"README", "indicators", "weights", "judgements", "national", "regional"}
    ind = book["indicators"]
    assert (ind.level == 1).sum() == 5 and (ind.level == 2).sum() == 19 and (ind.level == 3).sum() == 19
    assert [c for c in book["national"].columns] == ["code", 2020, 2021, 2022]
    assert len(book["regional"]) == 31
    assert book["national"][2020].isna().all()          # blank without --example


def test_run_end_to_end_with_charts(example, tmp_path, capsys):
    out = tmp_path / "out"
    rc = cli.main(["index", "run", "--data", str(example), "--out", str(out), "--draws", "200"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "SYNTHETIC" in text and "Tier membership" in text
    names = {p.name for p in out.iterdir()}
    assert {"index.xlsx", "national.png", "tier_map.png", "rank_intervals.png",
            "radar_guangxi.png"} <= names
    assert len([n for n in names if n.startswith("radar_")]) == 31
    for n in ("national.png", "tier_map.png"):
        assert (out / n).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    book = {n: read_sheet(out / "index.xlsx", n) for n in
            pd.ExcelFile(out / "index.xlsx").sheet_names}
    # Chinese sheet names; the example input is marked SYNTHETIC in the workbook too
    assert list(book)[0] == "SYNTHETIC示例数据"
    reg = book["各省指数"]
    assert sorted(reg["rank"]) == list(range(1, 32))
    assert set(reg["tier"]) == {1, 2, 3, 4}
    assert (reg["rank_low"] <= reg["rank"]).all() or (reg["rank_low"] <= reg["rank_high"]).all()
    w = book["权重"]
    assert w.groupby("parent")["weight_points"].sum().round(9).eq(100).all()
    nat = book["全国指数"].set_index("node")
    assert np.allclose(nat["2020"].astype(float), 100.0)
    assert "来源" in book and "梯队与报告对比" in book
    assert not [p for p in out.iterdir() if p.name.startswith(".")]   # no temporary files


def test_run_options_kmeans_dirichlet_three_tiers(example, tmp_path):
    out = tmp_path / "o"
    assert cli.main(["index", "run", "--data", str(example), "--out", str(out), "--no-charts",
                     "--tiers", "3", "--tier-method", "kmeans", "--mc-method", "dirichlet",
                     "--draws", "50", "--ahp-method", "geometric", "--ahp-share", "1"]) == 0
    reg = read_sheet(out / "index.xlsx", "各省指数")
    assert set(reg["tier"]) == {1, 2, 3}
    w = read_sheet(out / "index.xlsx", "权重")
    top = w[w.parent == "total"]
    assert np.allclose(top["weight_points"], top["ahp_points"])


def test_reproduce_prints_the_lp_ranges(tmp_path, capsys):
    assert cli.main(["index", "reproduce", "--weights", "20,20,20,20,20",
                     "--out", str(tmp_path / "r")]) == 0
    text = capsys.readouterr().out
    r = weight_ranges()
    row = f"foundation     基础能力{r.loc['foundation', 'min_points']:12.2f}"
    assert row in text
    assert "2021: 140.2, 2022: 183.6, 2023: 243.2" in text and "published totals" in text
    assert (tmp_path / "r" / "weight_ranges.png").exists()


def _edit(src, dst, sheet, cell, value):
    wb = openpyxl.load_workbook(src)
    wb[sheet][cell] = value
    wb.save(dst)


def test_error_inconsistent_judgements_exit_2_nothing_written(example, tmp_path, capsys):
    """foundation 9× innovation, innovation 9× industry but industry 9× foundation: CR > 0.1."""
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(example)
    ws = wb["judgements"]
    for row in ws.iter_rows(min_row=2):
        a, b = row[2].value, row[3].value
        row[4].value = {("foundation", "innovation"): 9, ("innovation", "industry"): 9,
                        ("foundation", "industry"): 1 / 9}.get((a, b), 1)
    wb.save(bad)
    out = tmp_path / "never"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rc = cli.main(["index", "run", "--data", str(bad), "--out", str(out), "--no-charts"])
    assert rc == 2
    err = capsys.readouterr().err
    assert "consistency ratio CR =" in err and "[matrix total]" in err
    assert not out.exists()
    # the same judgements pass with the limit overridden
    assert cli.main(["index", "run", "--data", str(bad), "--out", str(out), "--no-charts",
                     "--max-cr", "inf", "--draws", "10"]) == 0


def test_error_non_numeric_value_names_sheet_row_column(example, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    _edit(example, bad, "regional", "D3", "n/a")
    assert cli.main(["index", "run", "--data", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "value 'n/a' is not a number" in err
    assert "sheet regional, row 3, column platform_1" in err


def test_error_unknown_province(example, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    _edit(example, bad, "regional", "B2", "atlantis")
    assert cli.main(["index", "run", "--data", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "unknown province 'atlantis'" in capsys.readouterr().err


def test_error_bad_judgement_pair(example, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    _edit(example, bad, "judgements", "C2", "network")
    assert cli.main(["index", "run", "--data", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "judgement 'network' vs 'innovation' under 'total'" in capsys.readouterr().err


def test_error_missing_column_and_inputs(tmp_path, capsys):
    d = tmp_path / "csv"
    d.mkdir()
    (d / "national.csv").write_text("indicator,2020\nnetwork_1,1\n", encoding="utf-8")
    assert cli.main(["index", "run", "--data", str(d), "--out", str(tmp_path / "o")]) == 2
    assert "missing column(s) code" in capsys.readouterr().err
    (d / "national.csv").unlink()
    assert cli.main(["index", "run", "--data", str(d), "--out", str(tmp_path / "o")]) == 2
    assert "'national' and 'regional' sheets are both empty" in capsys.readouterr().err
    f = tmp_path / "x.txt"
    f.write_text("x", encoding="utf-8")
    assert cli.main(["index", "run", "--data", str(f), "--out", str(tmp_path / "o")]) == 2
    assert "unsupported input '.txt'" in capsys.readouterr().err
    assert cli.main(["index", "run", "--data", str(tmp_path / "nope.xlsx"),
                     "--out", str(tmp_path / "o")]) == 2
    assert "no such file or folder; expected the filled .xlsx" in capsys.readouterr().err
    assert cli.main(["index", "template", "--out", str(tmp_path / "t.xlsx"),
                     "--years", "2023-2020"]) == 2
    assert "first year 2023 is after last year 2020" in capsys.readouterr().err
    assert not (tmp_path / "t.xlsx").exists()
    assert cli.main(["index", "template", "--out", str(tmp_path / "t.xlsx"),
                     "--years", "twenty"]) == 2
    assert "years must look like 2017-2021 or 2021, got 'twenty'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_csv_folder_input(tmp_path):
    """The national sheet alone, as CSV: 19 leaves growing 10 % a year -> total 110, 121."""
    from klems.devindex.indicators import load_hierarchy

    d = tmp_path / "csv"
    d.mkdir()
    leaves = load_hierarchy().leaves()
    pd.DataFrame({"code": leaves, "2020": 10.0, "2021": 11.0, "2022": 12.1}).to_csv(
        d / "national.csv", index=False)
    out = tmp_path / "o"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cli.main(["index", "run", "--data", str(d), "--out", str(out), "--no-charts"]) == 0
    nat = read_sheet(out / "index.xlsx", "全国指数").set_index("node")
    assert float(nat.loc["total", "2021"]) == pytest.approx(110.0)
    assert float(nat.loc["total", "2022"]) == pytest.approx(121.0)


def test_error_messages_of_the_workbook_reader(example, tmp_path, capsys):
    def run(path, *extra):
        rc = cli.main(["index", "run", "--data", str(path), "--out", str(tmp_path / "o"),
                       "--no-charts", *extra])
        return rc, capsys.readouterr().err

    bad = tmp_path / "empty.xlsx"
    _edit(example, bad, "regional", "D3", None)
    rc, err = run(bad)
    assert rc == 2 and "empty cell is not a number" in err and "row 3, column platform_1" in err
    rc, err = run(example, "--year", "1999")
    assert rc == 2 and "no regional rows for year 1999; expected one of [2023]" in err
    bad = tmp_path / "parent.xlsx"
    _edit(example, bad, "judgements", "A2", "network_1")
    rc, err = run(bad)
    assert rc == 2 and "judgements for 'network_1', which has no children" in err
    bad = tmp_path / "pair.xlsx"
    wb = openpyxl.load_workbook(example)
    wb["judgements"].delete_rows(2)
    wb.save(bad)
    rc, err = run(bad)
    assert rc == 2 and "no judgement 'foundation' vs 'innovation' under 'total' from expert 1" in err
    d = tmp_path / "csv"
    d.mkdir()
    (d / "national.csv").write_text("code,first\nnetwork_1,1\n", encoding="utf-8")
    rc, err = run(d)
    assert rc == 2 and "no year columns" in err
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    rc, err = run(junk)
    assert rc == 2 and "cannot read the workbook" in err
