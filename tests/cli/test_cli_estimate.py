"""``klems estimate`` and ``klems reproduce`` on the bundled Guangxi data."""

from __future__ import annotations

import json
import subprocess

import pytest
from openpyxl import load_workbook

from klems.cli import main


def test_estimate_prints_the_yearly_table_with_every_rule(capsys):
    assert main(["estimate", "--province", "guangxi", "--years", "2017-2021", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Digital economy (DE)" in out and "The attribution rules side by side" in out
    for year in range(2017, 2022):
        assert f"\n{year} " in out or f" {year} " in out


def test_estimate_explains_its_default(capsys):
    """The default states itself, its distance from the published figure (Guangxi white paper
    2022, chapter 1: DE 8512 亿元 in 2021) and the command that reproduces it; the columns of the
    uncalibrated rules say so."""
    assert main(["estimate", "--province", "guangxi", "--years", "2021", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Industrial digitalization by the cumulative rule (the default), uncalibrated" in out
    assert "θ = 0." in out and "pooled (31 provinces" in out
    assert "Digital economy (DE) 2021: " in out and " vs 8,512 (" in out
    assert "To reproduce and calibrate: klems reproduce --province guangxi --save" in out
    assert out.count("(uncal.)") == 8
    assert main(["estimate", "--province", "guangxi", "--years", "2021"]) == 0
    out = capsys.readouterr().out
    assert "累积贡献法（cumulative，默认方法），未校准" in out and "（未校准）" in out


def test_calibration_travels_from_reproduce_to_estimate(tmp_path, capsys):
    """``reproduce --save`` writes the calibrated coefficients and the rule's options; the
    estimate uses them, records the file and its coefficients in its provenance, and refuses a
    command line that contradicts the file."""
    path = tmp_path / "calibration.json"
    assert main(["reproduce", "--province", "guangxi", "--no-ranks", "--save", str(path),
                 "--json"]) == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc["calibrated"]) == {"theta"} and 0 < doc["calibrated"]["theta"] < 1
    assert doc["options"] == {"attribution": "cumulative", "cumulative_base_year": None,
                              "cumulative_basis": "value-added", "cumulative_negative": "sum"}
    assert doc["vintage"] == "2018-census"
    capsys.readouterr()
    out_dir = tmp_path / "out"
    assert main(["estimate", "--province", "guangxi", "--calibration", str(path), "--years",
                 "2021", "--out", str(out_dir), "--format", "nc", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "calibrated by " + str(path) in out
    import xarray as xr

    with xr.open_dataset(out_dir / "guangxi_estimate.nc") as nc:
        assert nc.attrs["calibration_file"] == str(path)
        assert json.loads(nc.attrs["calibrated"]) == doc["calibrated"]
        assert nc.attrs["theta"] == pytest.approx(doc["calibrated"]["theta"])
        assert nc.attrs["vintage"] == "2018-census"
        params = json.loads(nc.attrs["parameters"])
        assert params["theta"] == pytest.approx(doc["calibrated"]["theta"])
    for argv, clash in ((["--attribution", "income-share"], "attribution: 'income-share' given, "
                                                            "the calibration has 'cumulative'"),
                        (["--theta", "0.9"], "theta: 0.9 given"),
                        (["--cumulative-basis", "gross-output"], "cumulative_basis")):
        assert main(["estimate", "--province", "guangxi", "--calibration", str(path),
                     *argv]) == 2
        err = capsys.readouterr().err
        assert "contradicts the command line" in err and clash in err
    assert main(["sweep", "--province", "guangxi", "--calibration", str(path), "--attribution",
                 "income-share", "--param", "theta=0:1"]) == 2
    assert "contradicts the command line" in capsys.readouterr().err
    # another province's calibration is applied (a valid choice) but said on stderr
    assert main(["estimate", "--province", "hunan", "--calibration", str(path), "--years",
                 "2021", "--lang", "en"]) == 0
    assert (f"the calibration file {path} was calibrated for guangxi; it is applied to hunan"
            in capsys.readouterr().err)
    assert main(["estimate", "--province", "guangxi", "--calibration", str(path), "--years",
                 "2021"]) == 0
    assert "校准文件" not in capsys.readouterr().err
    sweep = tmp_path / "sweep.nc"
    assert main(["sweep", "--province", "guangxi", "--calibration", str(path), "--param",
                 "hardware.depreciation=0.25:0.35", "--design", "grid", "--draws", "2",
                 "--out", str(sweep), "--no-charts", "--quiet"]) == 0
    with xr.open_dataset(sweep) as ds:
        assert ds.attrs["calibration_file"] == str(path)
        assert json.loads(ds.attrs["calibrated"]) == doc["calibrated"]
        assert float(ds["theta"].max()) == pytest.approx(doc["calibrated"]["theta"])


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not a calibration file: invalid JSON"),
    (b'{"calibrated": {"theta": 0.3}}', "expected a JSON object with 'calibrated'"),
    (b'{"calibrated": {"gamma": 0.3}, "options": {"attribution": "cumulative"}}',
     "unknown coefficient 'gamma'"),
    (b'{"calibrated": {"theta": "x"}, "options": {"attribution": "cumulative"}}',
     "coefficient theta must be a finite number"),
])
def test_bad_calibration_file_is_refused(tmp_path, capsys, content, message):
    path = tmp_path / "c.json"
    path.write_bytes(content)
    assert main(["estimate", "--province", "guangxi", "--calibration", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err and "Traceback" not in err


def test_estimate_writes_every_format(tmp_path, capsys):
    assert main(["estimate", "--province", "广西", "--years", "2020-2021", "--out",
                 str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([
        "guangxi_estimate.xlsx", "guangxi_estimate.nc", "guangxi_estimate_summary.csv",
        "guangxi_estimate_by_industry.csv", "guangxi_estimate_penetration.csv",
        "guangxi_estimate_long.csv",
        "guangxi_estimate_de_split.png", "guangxi_estimate_id_top20.png",
        "guangxi_estimate_penetration.png", "guangxi_estimate.run.toml"])
    wb = load_workbook(tmp_path / "guangxi_estimate.xlsx")
    assert wb.sheetnames == ["说明", "汇总", "分行业", "三次产业渗透率", "参数", "来源",
                             "合理性诊断", "行业提示", "警示"]
    assert "默认方法" in wb["说明"]["A4"].value and "klems reproduce" in wb["说明"]["A6"].value
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
    (["--theta", "own"], "--theta 'own': expected a number in [0, 1] or one of pooled, "
                         "province, informative"),
    (["--sector-theta", "primary"], "--sector-theta 'primary': expected SECTOR=NUMBER"),
    (["--cumulative-base-year", "1990"], "base year 1990 of the cumulative rule is outside the "
                                         "accounts' years 2001-2024"),
])
def test_errors_are_clear(argv, message, capsys):
    assert main(["estimate", *argv]) == 2
    assert message in capsys.readouterr().err


def test_reproduce_json_has_the_documented_form(capsys):
    """Guangxi white paper 2022 (seeds/004), chapter 1 and Table 1: DE 5200 (2017), 8512
    (2021), ID 7466 and DI 1046 (2021); growth 13.1/12.7/10.2/16.7 % (2018–2021)."""
    assert main(["reproduce", "--province", "guangxi", "--json", "--no-ranks",
                 "--calibration-years", "2017-2020"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"figures", "calibrated", "coefficients", "summary"}
    assert set(doc["calibrated"]) == {"theta"}
    item = {(f["figure"], f["year"]): f for f in doc["figures"]}
    de21 = item[("digital_economy", 2021)]
    assert de21["published"] == 8512 and de21["held_out"] is True
    assert set(de21) >= {"figure", "year", "published", "computed", "deviation_pct",
                         "held_out", "deviation", "deviation_unit", "tolerance", "weight"}
    assert item[("digital_economy", 2017)]["held_out"] is False
    assert item[("industrial_digitalization", 2021)]["published"] == 7466
    g18 = item[("nominal_growth", 2018)]
    assert g18["deviation_unit"] == "pp" and g18["tolerance"] == 2 and g18["weight"] == 0.5
    assert g18["deviation"] == pytest.approx(g18["computed"] - 13.1)
    assert de21["deviation_unit"] == "%" and de21["deviation"] == pytest.approx(
        100 * (de21["computed"] / 8512 - 1))
    (coef,) = doc["coefficients"]
    assert coef["coefficient"] == "theta" and (coef["low"], coef["high"]) == (0, 1)


def test_reproduce_speaks_chinese(capsys):
    assert main(["reproduce", "--province", "china", "--no-ranks", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "公布数据与测算结果对照" in out and "校准系数（合理区间；是否在区间内）" in out
    assert "数字经济占GDP比重" in out and "第一产业渗透率" in out and " pp" in out
