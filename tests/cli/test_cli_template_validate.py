"""``klems template``, ``klems validate`` and ``--input`` of estimate / reproduce: exit status,
messages without traceback, outputs written all-or-nothing, warnings listed in the workbook."""

from __future__ import annotations

import pytest

from klems import cli


@pytest.fixture(autouse=True)
def commands(monkeypatch):
    """Register the commands (until klems.cli.COMMANDS lists them)."""
    monkeypatch.setitem(cli.COMMANDS, "template", "klems.cli.template")
    monkeypatch.setitem(cli.COMMANDS, "validate", "klems.cli.validate")


@pytest.fixture(scope="module")
def csv_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "guangxi_csv"
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(cli.COMMANDS, "template", "klems.cli.template")
        assert cli.main(["template", "--province", "广西", "--format", "csv", "--out",
                         str(folder), "--encoding", "gbk"]) == 0
    return folder


def test_template_xlsx_then_validate(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert cli.main(["template", "--province", "hunan", "--years", "2019-2022",
                     "--out", str(out)]) == 0
    assert out.is_file() and not list(tmp_path.glob("*.part"))
    capsys.readouterr()
    assert cli.main(["validate", str(out)]) == 0
    text = capsys.readouterr().out
    assert "valid input: 139 industries, years 2019-2022, province hunan" in text


def test_template_csv_is_gbk_and_valid(csv_template, capsys):
    names = sorted(p.name for p in csv_template.iterdir())
    assert len(names) == 17 and "value_added.csv" in names and "template.run.toml" in names
    raw = (csv_template / "industries.csv").read_bytes()
    assert raw.decode("gb18030").startswith("行业代码")
    assert cli.main(["validate", str(csv_template)]) == 0
    assert "province guangxi" in capsys.readouterr().out


def test_validate_bad_input_exit_2_all_problems(csv_template, tmp_path, capsys):
    import shutil

    folder = tmp_path / "bad"
    shutil.copytree(csv_template, folder)
    text = (folder / "totals.csv").read_bytes().decode("gb18030").replace("\r\n2001,", "\r\n2001,x")
    (folder / "totals.csv").write_bytes(text.encode("gb18030"))
    (folder / "prices.csv").unlink()
    assert cli.main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"klems validate: error: 2 problem(s) in the input data {folder}")
    assert "sheet totals.csv, cell B5, year 2001: text 'x' before the number" in err
    assert "missing sheet 'prices' (价格指数); expected a file prices.csv" in err
    assert "Traceback" not in err


def test_validate_not_a_workbook(tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"hello")
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"klems validate: error: not a workbook (the file starts with bytes "
                           f"b'hello'); expected an .xlsx workbook or a folder of CSV files "
                           f"[file {path}]")


def test_estimate_input_writes_warnings(csv_template, tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    assert cli.main(["estimate", "--input", str(csv_template), "--out", str(out),
                     "--format", "xlsx", "--lang", "en"]) == 0
    wb = load_workbook(out / "guangxi_estimate.xlsx", read_only=True)
    lines = [r[0] for r in wb["warnings"].iter_rows(min_row=4, values_only=True)]
    assert "input series value_added is not (only) published: modelled 2000-2024" in lines
    assert any("negative capital compensation" in str(x) for x in lines)


def test_estimate_bad_input_keeps_earlier_outputs(csv_template, tmp_path, capsys):
    import shutil

    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "guangxi_estimate.xlsx"
    earlier.write_bytes(b"earlier run")
    folder = tmp_path / "bad"
    shutil.copytree(csv_template, folder)
    (folder / "employment.csv").write_bytes(b"\x80\x81\xff")
    assert cli.main(["estimate", "--input", str(folder), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "sheet employment.csv: cannot decode the text; expected UTF-8 or GBK/GB18030" in err
    assert "Traceback" not in err
    assert earlier.read_bytes() == b"earlier run"
    assert sorted(p.name for p in out.iterdir()) == ["guangxi_estimate.xlsx"]


def test_reproduce_input(csv_template, capsys):
    assert cli.main(["reproduce", "--input", str(csv_template), "--calibrate", "none",
                     "--lang", "en"]) == 0
    assert "Published figures for Guangxi" in capsys.readouterr().out


def test_reproduce_bad_input(tmp_path, capsys):
    path = tmp_path / "in.xlsx"
    path.write_bytes(b"")
    assert cli.main(["reproduce", "--input", str(path)]) == 2
    assert "empty file (0 bytes); expected an .xlsx workbook" in capsys.readouterr().err


def test_template_failure_leaves_earlier_file(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"earlier template")
    assert cli.main(["template", "--province", "atlantis", "--out", str(out)]) == 2
    assert "unknown province 'atlantis'" in capsys.readouterr().err
    assert out.read_bytes() == b"earlier template"


def test_template_csv_failure_midway_writes_nothing(tmp_path, monkeypatch, capsys):
    """A writer that fails after some files: no file of the set appears, none is partial."""
    import klems.cli.template as ut  # the command writes each sheet through this name

    calls = []
    real = ut.write_csv_sheet

    def flaky(path, sheet, encoding="utf-8-sig"):
        calls.append(sheet.name)
        if len(calls) == 5:
            raise OSError(28, "No space left on device", str(path))
        real(path, sheet, encoding)

    monkeypatch.setattr(ut, "write_csv_sheet", flaky)
    out = tmp_path / "csv"
    out.mkdir()
    (out / "totals.csv").write_text("earlier")
    assert cli.main(["template", "--format", "csv", "--years", "2021-2022", "--out",
                     str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot write the output file: No space left on device" in err
    assert "Traceback" not in err
    assert len(calls) == 5
    assert sorted(p.name for p in out.iterdir()) == ["totals.csv"]
    assert (out / "totals.csv").read_text() == "earlier"


@pytest.mark.parametrize("args, message", [
    (["--out", "t.txt"], "--out 't.txt': expected a FILE.xlsx, or --format csv with a folder"),
    (["--out", "t.txt", "--format", "xlsx"], "--out 't.txt': expected a name ending in .xlsx"),
    (["--out", "t.xlsx", "--years", "1990-2000"],
     "years 1990-1999 are outside the bundled years 2000-2024; the first year available is 2000"),
    (["--out", "t.xlsx", "--years", "2000-2026"],
     "years 2025-2026 are outside the bundled years 2000-2024; the data end in 2024: to add a "
     "year, fill in a yearbook sheet (klems yearbook --province guangxi --year 2025 --out "
     "yearbook_2025.xlsx) and extend the data (klems extend --province guangxi --input "
     "yearbook_2025.xlsx --out extended.xlsx)"),
])
def test_template_argument_errors(args, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["template", *args]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_template_csv_out_is_a_file(tmp_path, capsys):
    path = tmp_path / "file"
    path.write_text("x")
    assert cli.main(["template", "--format", "csv", "--out", str(path)]) == 2
    assert "is a file; expected a folder for --format csv" in capsys.readouterr().err
