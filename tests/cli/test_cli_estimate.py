"""``klems estimate`` and ``klems reproduce`` on the bundled Guangxi data."""

from __future__ import annotations

import json
import subprocess

import pytest
from openpyxl import load_workbook

from klems.cli import main


def test_estimate_prints_the_yearly_table_with_three_rules(capsys):
    assert main(["estimate", "--province", "guangxi", "--years", "2017-2021", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Digital economy (DE)" in out and "The three attribution rules side by side" in out
    for year in range(2017, 2022):
        assert f"\n{year} " in out or f" {year} " in out


def test_estimate_writes_every_format(tmp_path, capsys):
    assert main(["estimate", "--province", "广西", "--years", "2020-2021", "--out",
                 str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([
        "guangxi_estimate.xlsx", "guangxi_estimate.nc", "guangxi_estimate_summary.csv",
        "guangxi_estimate_by_industry.csv", "guangxi_estimate_penetration.csv",
        "guangxi_estimate_long.csv",
        "guangxi_estimate_de_split.png", "guangxi_estimate_id_top20.png",
        "guangxi_estimate_penetration.png"])
    wb = load_workbook(tmp_path / "guangxi_estimate.xlsx")
    assert wb.sheetnames == ["汇总", "分行业", "三次产业渗透率", "参数", "来源", "警示"]
    ws = wb["汇总"]
    assert ws["B1"].value == "数字经济规模" and isinstance(ws["B4"].value, float)
    from klems.outputs.netcdf import read_netcdf

    with read_netcdf(tmp_path / "guangxi_estimate.nc") as nc:
        assert nc["digital_economy"].attrs["units"] == "1e8"        # UDUNITS: a scale factor
        assert nc["digital_economy"].attrs["units_label"] == "1e8 CNY"
        assert nc["digital_economy"].attrs["currency"] == "CNY"
        assert nc.attrs["Conventions"] == "CF-1.10"
        assert nc.attrs["project_version"]
        assert "parameters" in nc.attrs


def test_bad_option_exits_2_and_writes_nothing(tmp_path, klems_command):
    proc = subprocess.run([*klems_command, "estimate", "--province", "guangxi", "--set",
                           "hardware.depreciation=1.5", "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "depreciation rate must lie in [0, 1), got 1.5 [asset hardware]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv, message", [
    (["--province", "atlantis"], "unknown province 'atlantis'"),
    (["--years", "2021-2017"], "first year 2021 is after last year 2017"),
    (["--years", "1990-1995"], "are outside the estimate's years"),
    (["--format", "pdf"], "--format: unknown format(s) ['pdf']"),
    (["--set", "hardware=3"], "--set 'hardware=3': expected ASSET.PARAM=NUMBER"),
    (["--set", "printers.mean_life=3"], "unknown ICT asset 'printers'"),
])
def test_errors_are_clear(argv, message, capsys):
    assert main(["estimate", *argv]) == 2
    assert message in capsys.readouterr().err


def test_reproduce_json_has_the_documented_form(capsys):
    """Guangxi white paper 2022 (seeds/004), chapter 1 and Table 1: DE 5200 (2017), 8512
    (2021), ID 7466 and DI 1046 (2021); shares 25.5 %, 32.8 %, 34.4 %."""
    assert main(["reproduce", "--province", "guangxi", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"figures", "calibrated"}
    assert set(doc["calibrated"]) == {"ict_investment_scale", "theta"}
    item = {(f["figure"], f["year"]): f for f in doc["figures"]}
    de21 = item[("digital_economy", 2021)]
    assert de21["published"] == 8512 and de21["held_out"] is True
    assert set(de21) == {"figure", "year", "published", "computed", "deviation_pct",
                         "held_out"}
    assert item[("digital_economy", 2017)]["held_out"] is False
    assert item[("industrial_digitalization", 2021)]["published"] == 7466
