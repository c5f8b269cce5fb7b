"""The annual update end to end (issue 16): ``klems template --years 2000-2022``, ``klems
yearbook``, ``klems extend``, ``klems validate``, ``klems estimate --input``, ``klems diff``.

The 2023 yearbook sheet is filled with Guangxi's published 2023 aggregates as the bundled data
hold them: GDP 27501.7, the three sectors and the nine groups (NBS 分省年度数据 2023, vintage
after the fifth economic census; data/sources/provincial_industry/
nbs_provincial_value_added_by_industry_2023.csv) and the real GDP index (the bundled sector
indices of 2023, NBS 地区生产总值指数, nbs_provincial_gdp_index_2016_2025.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from klems import cli
from klems.datasets.bundled import load_dataset
from klems.datasets.cells import GROUPS
from klems.inputs.dataset_figures import yearbook_figures
from klems.inputs.yearbook import fill_yearbook
from klems.outputs.workbook import read_sheet
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions

TOTALS = ("digital_economy", "digital_industrialization", "industrial_digitalization",
          "share_of_gdp", "nominal_growth", "contribution_to_gdp_growth",
          "digital_economy_by_rule", "industrial_digitalization_by_rule", "penetration",
          "id_by_sector")


def published_2023() -> dict:
    data = load_dataset("guangxi")
    figs = yearbook_figures(data, prepare_inputs("guangxi", EstimateOptions(), data)[2], 2023)
    keys = ["gdp", "va_primary", "va_secondary", "va_tertiary", "index_gdp",
            *(f"group_{g}" for g in GROUPS)]
    return {k: figs[k][0] for k in keys}


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    """base (2000-2022), the filled 2023 yearbook, the extended workbook and both estimates."""
    d = tmp_path_factory.mktemp("annual")
    base, book, ext = d / "base.xlsx", d / "yearbook_2023.xlsx", d / "extended.xlsx"
    assert cli.main(["template", "--years", "2000-2022", "--out", str(base)]) == 0
    assert cli.main(["yearbook", "--year", "2023", "--base", str(base), "--out", str(book)]) == 0
    fill_yearbook(book, published_2023(), source="NBS 分省年度数据 2023")
    assert cli.main(["extend", "--base", str(base), "--input", str(book), "--out",
                     str(ext)]) == 0
    for name, data in (("old", base), ("new", ext)):
        assert cli.main(["estimate", "--input", str(data), "--format", "nc", "--out",
                         str(d / name)]) == 0
    return d


def _open(path):
    with xr.open_dataset(path) as ds:
        return ds.load()


def test_adding_a_year_without_revisions_leaves_every_earlier_year_unchanged(workflow):
    """The proof of 'no silent revision' under the default options: every published total of
    2001-2022 (DE, DI, ID, shares, growth, contribution, every rule, sector penetration) of the
    estimate on the data extended to 2023 equals, bit for bit, the estimate on the data through
    2022; without the freeze (--freeze-through none) the same years move."""
    old = _open(workflow / "old" / "guangxi_estimate.nc")
    new = _open(workflow / "new" / "guangxi_estimate.nc")
    assert new.attrs["freeze_through"] == 2022 and old.attrs["freeze_through"] == "none"
    assert [int(y) for y in new.year.values] == list(range(2001, 2024))
    for name in TOTALS:
        np.testing.assert_array_equal(new[name].sel(year=old.year).values, old[name].values,
                                      err_msg=name)
    assert cli.main(["estimate", "--input", str(workflow / "extended.xlsx"), "--format", "nc",
                     "--freeze-through", "none", "--out", str(workflow / "free")]) == 0
    free = _open(workflow / "free" / "guangxi_estimate.nc")
    moved = [name for name in TOTALS
             if not np.array_equal(free[name].sel(year=old.year).values, old[name].values)]
    assert "digital_economy" in moved and "industrial_digitalization" in moved


def test_extended_workbook_validates_and_lists_its_rules(workflow, capsys):
    assert cli.main(["validate", str(workflow / "extended.xlsx")]) == 0
    assert "years 2000-2023" in capsys.readouterr().out
    notes = read_sheet(workflow / "extended.xlsx", "extension")
    assert set(notes.year) == {2023} and set(notes.status) <= {"published", "derived",
                                                               "modelled"}
    info = read_sheet(workflow / "extended.xlsx", "instructions").set_index("item")["value"]
    assert int(info["freeze_through"]) == 2022
    status = read_sheet(workflow / "extended.xlsx", "status").set_index("variable")
    assert status.loc["gdp", "2023"] == "published"
    assert status.loc["value_added", "2023"] == "modelled"


def test_diff_of_the_two_estimates(workflow, capsys):
    out = workflow / "diff"
    assert cli.main(["diff", str(workflow / "old" / "guangxi_estimate.nc"),
                     str(workflow / "new" / "guangxi_estimate.nc"), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "recomputation vs the files, largest relative gap: OLD 0.0e+00, NEW 0.0e+00" in text
    assert "2023" in text and "new year" in text
    frame = pd.read_csv(out / "diff.csv")
    both = frame[frame.status == "both"]
    assert (both[["change", "data_revisions", "added_years", "options_method",
                  "unexplained"]].abs().to_numpy() == 0).all()
    assert set(frame[frame.status == "new year"].year) == {2023}
    assert (out / "diff.png").stat().st_size > 10_000


def test_diff_splits_a_revision_and_an_option(workflow, tmp_path, capsys):
    """A revised 2022 tertiary sector (+2 %) in the 2023 yearbook and a changed attribution
    rule: the parts add up to the change, the revision shows only as a data revision."""
    book = tmp_path / "yearbook_2023.xlsx"
    book.write_bytes((workflow / "yearbook_2023.xlsx").read_bytes())
    data = load_dataset("guangxi")
    figs = yearbook_figures(data, prepare_inputs("guangxi", EstimateOptions(), data)[2], 2022)
    rev = figs["va_tertiary"][0] * 1.02
    fill_yearbook(book, {}, revised={("va_tertiary", 2022): rev})
    ext = tmp_path / "revised.xlsx"
    assert cli.main(["extend", "--base", str(workflow / "base.xlsx"), "--input", str(book),
                     "--out", str(ext)]) == 0
    assert "2022 va_tertiary" in capsys.readouterr().out
    assert cli.main(["estimate", "--input", str(ext), "--format", "nc", "--attribution",
                     "contribution-rate", "--out", str(tmp_path / "est")]) == 0
    assert cli.main(["diff", str(workflow / "old" / "guangxi_estimate.nc"),
                     str(tmp_path / "est" / "guangxi_estimate.nc"), "--out",
                     str(tmp_path / "d")]) == 0
    frame = pd.read_csv(tmp_path / "d" / "diff.csv")
    both = frame[frame.status == "both"]
    parts = both[["data_revisions", "added_years", "options_method", "unexplained"]].sum(axis=1)
    np.testing.assert_allclose(parts, both["change"], atol=1e-9)
    assert np.abs(both["unexplained"]).max() < 1e-9
    de = both[both.figure == "digital_economy"].set_index("year")
    assert de.loc[2022, "data_revisions"] != 0 and (de["added_years"] == 0).all()
    assert (de["options_method"] != 0).any()
    di = both[both.figure == "digital_industrialization"].set_index("year")
    assert (di.loc[:2021, "data_revisions"] == 0).all() and di.loc[2022, "data_revisions"] > 0


@pytest.mark.parametrize("argv, message", [
    (["yearbook", "--year", "2025", "--out", "y.txt"], "--out 'y.txt': expected a name ending "
                                                        "in .xlsx"),
    (["yearbook", "--province", "atlantis", "--year", "2025", "--out", "y.xlsx"],
     "unknown province 'atlantis'"),
    (["estimate", "--freeze-through", "soon"], "unknown freeze_through 'soon'; expected one of "
                                               "data, none"),
    (["estimate", "--freeze-through", "2001"], "freeze_through 2001 leaves too few years"),
    (["reproduce", "--calibration-years", "2020-2026"],
     "years 2025-2026 are outside the estimate's years (--calibration-years) 2001-2024; the "
     "data end in 2024: to add a year"),
    (["sweep", "--param", "hardware.depreciation=0.2:0.3", "--years", "2026"],
     "years 2026 are outside the sweep's years 2001-2024; the data end in 2024: to add a year, "
     "fill in a yearbook sheet (klems yearbook --province guangxi --year 2026"),
])
def test_argument_errors(argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_a_bad_yearbook_writes_nothing(workflow, tmp_path, capsys):
    book = tmp_path / "yearbook_2023.xlsx"
    book.write_bytes((workflow / "yearbook_2023.xlsx").read_bytes())
    fill_yearbook(book, {"index_gdp": 7.0})
    out = tmp_path / "out.xlsx"
    assert cli.main(["extend", "--base", str(workflow / "base.xlsx"), "--input", str(book),
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "sheet prices, cell E4, year 2023: item index_gdp: index 7" in err
    assert "expected the layout written by 'klems yearbook'" in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [book.name]


def test_a_yearbook_that_skips_a_year_writes_nothing(workflow, tmp_path, capsys):
    book = tmp_path / "yearbook_2025.xlsx"
    assert cli.main(["yearbook", "--year", "2025", "--out", str(book)]) == 0
    fill_yearbook(book, {"gdp": 30000.0, "va_primary": 5000.0, "va_secondary": 9800.0,
                         "va_tertiary": 15200.0, "index_gdp": 105.0})
    out = tmp_path / "out.xlsx"
    assert cli.main(["extend", "--base", str(workflow / "base.xlsx"), "--input", str(book),
                     "--out", str(out)]) == 2
    assert "the yearbook's year 2025 does not follow the data's last year 2022; expected 2023" \
        in capsys.readouterr().err
    assert not out.exists()


def test_diff_needs_the_input_it_was_computed_from(workflow, tmp_path, capsys):
    moved = tmp_path / "gone.nc"
    ds = _open(workflow / "old" / "guangxi_estimate.nc")
    ds.attrs["input_path"] = str(tmp_path / "nowhere.xlsx")
    ds.to_netcdf(moved)
    assert cli.main(["diff", str(moved), str(workflow / "new" / "guangxi_estimate.nc")]) == 2
    assert "OLD was computed from the input" in capsys.readouterr().err
    assert cli.main(["diff", str(moved), str(workflow / "new" / "guangxi_estimate.nc"),
                     "--old-input", str(workflow / "base.xlsx")]) == 0
