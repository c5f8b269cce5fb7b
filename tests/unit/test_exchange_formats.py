"""Formats others read: the tidy long CSV (R's ``read.csv`` and pandas), Stata ``.dta`` (pandas
and pyreadstat), and the growth accounts under EU KLEMS's variable names.

The EU KLEMS names are those of the EUKLEMS & INTANProd 2023 release, statistical module
(``growth_accounts_basic``: VA_CP, VA_G, VAConH, VAConTFP, ...; the ICT/NICT groups of
CAPICT_QI / CAPNICT_QI), as in ``ES_growth_accounts_basic.xlsx`` of
``../shared/reference-data/validation/eu-klems-2023-spain/``.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest

from klems.outputs.euklems_accounts import (
    VARIABLES,
    check_identity,
    euklems_frame,
    growth_accounts,
    write_euklems_csv,
)
from klems.outputs.long_table import COLUMNS, long_frame, status_by_year, write_long_csv
from klems.outputs.stata import NAME, long_stata, summary_stata, write_dta
from klems.pipeline.estimation import estimate


@pytest.fixture(scope="module")
def result():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate("guangxi", years="2015-2021")


@pytest.fixture(scope="module")
def files(result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exchange")
    long = long_frame(result)
    write_long_csv(long, folder / "long.csv")
    write_dta(*summary_stata(result), folder / "summary.dta", data_label="数字经济 guangxi")
    write_dta(*long_stata(result), folder / "long.dta", data_label="long table")
    eu = euklems_frame(result)
    write_euklems_csv(eu, folder / "euklems.csv")
    return folder, long, eu


def test_long_table_layout(result, files):
    _, long, _ = files
    assert list(long.columns) == COLUMNS
    assert all("-" not in c for c in long.columns)
    assert not long["variable"].str.contains("-").any()
    assert not long["rule"].dropna().str.contains("-").any()
    ind = long[long["industry"] != "NA"]
    assert ind["industry"].str.fullmatch(r"IO\d{3}").all()
    # every value of the estimate is there once: DE under each rule, ID by industry
    de = long.query("variable == 'digital_economy' and rule == 'income_share'")
    np.testing.assert_array_equal(
        de["value"].values, result["digital_economy_by_rule"].sel(rule="income-share").values)
    n_id = len(long.query("variable == 'id_industry'"))
    assert n_id == result.sizes["industry"] * result.sizes["rule"] * result.sizes["year"]
    # a missing value has status NA, a value always has a status
    assert (long.loc[long["value"].isna(), "status"] == "NA").all()
    assert set(long.loc[long["value"].notna(), "status"]) <= {"published", "derived",
                                                              "modelled"}


def test_status_by_year():
    assert status_by_year("modelled 2000-2014; published 2015-2024", [2014, 2015]) == \
        ["modelled", "published"]
    assert status_by_year("modelled", [2001, 2002]) == ["modelled", "modelled"]
    assert status_by_year("published 2000-2023; modelled 2024", [2024]) == ["modelled"]


def test_long_csv_round_trip_pandas(files):
    folder, long, _ = files
    back = pd.read_csv(folder / "long.csv")
    assert list(back.columns) == COLUMNS
    assert back["industry"].dropna().str.startswith("IO").all()    # text, not numbers
    np.testing.assert_array_equal(back["value"].values, long["value"].values)   # exact
    assert back["year"].dtype.kind == "i"


R = shutil.which("Rscript")


@pytest.mark.skipif(R is None, reason="R is not installed (Debian package r-base-core)")
def test_long_csv_round_trip_r(files, tmp_path):
    """R's read.csv with its defaults: names unchanged, industry codes stay text, numbers exact
    (R writes them back with 17 significant digits)."""
    folder, long, eu = files
    script = tmp_path / "read.R"
    script.write_text(
        'x <- read.csv(commandArgs(TRUE)[1])\n'
        'cat(names(x), sep = "\\n", file = commandArgs(TRUE)[2])\n'
        'cat(sapply(x, class), sep = "\\n", file = commandArgs(TRUE)[3])\n'
        'x$value <- ifelse(is.na(x$value), NA, sprintf("%.17g", x$value))\n'
        'write.csv(x, commandArgs(TRUE)[4], row.names = FALSE, na = "NA")\n'
        'y <- read.csv(commandArgs(TRUE)[5])\n'
        'cat(names(y), sapply(y, class), sep = "\\n", file = commandArgs(TRUE)[6])\n'
        'write.csv(ifelse(is.na(y$value), NA, sprintf("%.17g", y$value)), commandArgs(TRUE)[7],'
        ' row.names = FALSE, na = "NA")\n')
    out = {k: tmp_path / f"{k}.txt" for k in ("names", "classes", "eunames")}
    back = tmp_path / "back.csv"
    euvals = tmp_path / "euvals.csv"
    proc = subprocess.run([R, str(script), str(folder / "long.csv"), str(out["names"]),
                           str(out["classes"]), str(back), str(folder / "euklems.csv"),
                           str(out["eunames"]), str(euvals)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out["names"].read_text().split() == COLUMNS
    classes = dict(zip(COLUMNS, out["classes"].read_text().split()))
    assert classes == {"province": "character", "year": "integer", "industry": "character",
                       "sector": "character", "variable": "character", "rule": "character",
                       "value": "numeric", "unit": "character", "status": "character"}
    again = pd.read_csv(back)
    assert again["industry"].dropna().str.fullmatch(r"IO\d{3}").all()
    np.testing.assert_array_equal(again["value"].values, long["value"].values)   # exact
    eu_names = out["eunames"].read_text().split()
    assert eu_names[:7] == ["geo_code", "industry", "var", "year", "value", "unit", "label"]
    assert eu_names[7:14] == ["character", "character", "character", "integer", "numeric",
                              "character", "character"]
    values = pd.read_csv(euvals).iloc[:, 0]
    np.testing.assert_array_equal(values.values, eu["value"].values)


def test_stata_summary_round_trip(result, files):
    import pyreadstat

    folder, _, _ = files
    frame, labels = summary_stata(result)
    assert all(NAME.match(c) and len(c) <= 32 for c in frame.columns)
    back = pd.read_stata(folder / "summary.dta")
    assert list(back.columns) == list(frame.columns)
    np.testing.assert_array_equal(back["de"].values, result["digital_economy"].values)
    np.testing.assert_array_equal(back["de_share_gdp_ctfp"].values, result[
        "share_of_gdp_by_rule"].sel(rule="contribution-plus-tfp").values)
    assert back["de_growth"].isna().sum() == int(result["nominal_growth"].isnull().sum())
    data, meta = pyreadstat.read_dta(str(folder / "summary.dta"))
    got = dict(zip(meta.column_names, meta.column_labels))
    assert got["de"] == "数字经济规模 | Digital economy (DE) [1e8 CNY]"
    assert got["de_share_gdp_inc"].startswith("数字经济占GDP比重（收入份额法） | DE share of GDP")
    assert all(len(v) <= 80 for v in got.values())
    assert meta.file_label == "数字经济 guangxi"


def test_stata_long_round_trip(files):
    import pyreadstat

    folder, long, _ = files
    back = pd.read_stata(folder / "long.dta")
    assert list(back.columns) == COLUMNS
    np.testing.assert_array_equal(back["value"].values, long["value"].values)
    assert (back["industry"] == long["industry"]).all()
    _, meta = pyreadstat.read_dta(str(folder / "long.dta"))
    assert dict(zip(meta.column_names, meta.column_labels))["industry"].startswith("行业代码")


def test_euklems_names_and_identity(result, files):
    _, _, eu = files
    assert set(eu["var"]) == set(VARIABLES)
    # the names exist in the EU KLEMS 2023 release (sheets of growth_accounts_basic), or are
    # its group names ICT / NICT (CAPICT_QI, CAPNICT_QI) after VACon
    published = {"VA_CP", "VA_G", "VAConH", "VAConTFP", "VAConLC", "VAConTangICT",
                 "VAConTangNICT", "VAConIntang", "CAPICT_QI", "CAPNICT_QI"}
    for name in VARIABLES:
        assert name in published or f"CAP{name.removeprefix('VACon')}_QI" in published, name
    acc = growth_accounts(result)
    assert check_identity(acc) < 1e-9
    # VA_CP is value added in millions of CNY (1e8 CNY x 100)
    va = eu.query("var == 'VA_CP' and industry == 'IO078'")["value"].values
    np.testing.assert_allclose(va, 100 * result["value_added"].sel(industry="078").values)
    tot = eu.query("var == 'VA_G' and industry == 'TOT' and year == 2021")["value"].item()
    assert 3.0 < tot < 12.0     # Guangxi's real growth in 2021 was 7.5 % (NBS)


def test_euklems_identity_fails_when_a_contribution_is_dropped(result):
    acc = growth_accounts(result)
    assert check_identity(acc.assign(VAConICT=acc["VAConICT"] * 0)) > 1e-3
