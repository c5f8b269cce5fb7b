"""The 139-industry classification table and the IO concordances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klems.base.errors import InputDataError
from klems.datasets.classification import (
    FAI_SECTIONS,
    INDUSTRIES,
    di_shares,
    ict_producing,
    ict_products,
    load_classification,
    load_concordance,
    membership,
    sector_of,
)


@pytest.fixture(scope="module")
def table():
    return load_classification()


def test_one_row_per_industry_of_the_2012_table(table):
    assert list(table.index) == list(INDUSTRIES)
    assert table.loc["086", "name_zh"] == "计算机"
    assert table.loc["115", "name_zh"] == "软件和信息技术服务"


def test_nbs_five_digit_codes_follow_the_division_rule(table):
    """The NBS code of 计算机 is 39086 (issue 5); every code is division + sequential code."""
    assert table.loc["086", "nbs_code"] == "39086"
    assert all(row.nbs_code == row.gb_division + code for code, row in table.iterrows())


def test_ict_flags_assets_and_default_di_shares(table):
    """docs/method.md §2.2–2.3: the eight ICT-producing industries; 附表1 assets."""
    assert ict_producing(table) == ["086", "087", "088", "089", "090", "091", "114", "115"]
    assert ict_products(table) == {"hardware": ["086"], "communication": ["087", "088"], "software": ["115"]}
    di = di_shares(table)
    assert float(di.sum()) == 8.0
    assert di.attrs["units"] == "1" and di.attrs["long_name_zh"]


def test_three_sectors_follow_the_2012_rule(table):
    sec = sector_of(table)
    assert list(sec.sel(industry=["001", "004", "005", "011", "095", "096", "102", "103"]).values) == [
        "primary", "primary", "tertiary", "tertiary", "tertiary", "secondary", "secondary", "tertiary"]
    assert (table["sector"] == "primary").sum() == 4


def test_groupings_cover_19_sections_and_42_sectors(table):
    assert set(table["fai_section"]) == set(FAI_SECTIONS)
    assert table["sector42_2012"].nunique() == 42 and table["sector42_2017"].nunique() == 42
    assert set(table.loc[["086", "091"], "sector42_2017"]) == {"20"}
    assert table.loc["115", "sector42_2012"] == "32" and table.loc["115", "sector42_2017"] == "31"
    m = membership("sector")
    assert np.allclose(m.sum("group"), 1.0)


@pytest.mark.parametrize("scheme,n", [("149", 149), ("153", 153)])
def test_concordances_have_rows_summing_to_one(scheme, n):
    c = load_concordance(scheme)
    assert c.shape == (n, 139)
    assert np.allclose(c.sum("industry"), 1.0)
    assert (c.sum("source") > 0).all()  # every 2012 industry receives something


def test_concordance_maps_the_ict_products():
    c = load_concordance("153")
    assert float(c.sel(source="090", industry="086")) == 1.0   # 计算机
    assert float(c.sel(source="128", industry="115")) == 1.0   # 软件服务
    assert float(c.sel(source="127", industry="114")) == 1.0   # 互联网和相关服务


def _write(tmp_path, table):
    path = tmp_path / "cls.csv"
    table.reset_index().to_csv(path, index=False)
    return path


def _raw(table):
    out = table.copy()
    out["ict_producing"] = out["ict_producing"].astype(int).astype(str)
    return out


def test_user_table_with_edited_di_share_loads(tmp_path, table):
    raw = _raw(table)
    raw.loc["121", "di_share"] = 0.1
    loaded = load_classification(_write(tmp_path, raw))
    assert loaded.loc["121", "di_share"] == pytest.approx(0.1)


def test_di_share_outside_unit_interval_is_rejected(tmp_path, table):
    raw = _raw(table)
    raw.loc["121", "di_share"] = 1.5
    with pytest.raises(InputDataError, match=r"di_share '1.5' must be a number in \[0, 1\].*row 122.*industry 121"):
        load_classification(_write(tmp_path, raw))


def test_unknown_sector_is_rejected(tmp_path, table):
    raw = _raw(table)
    raw.loc["010", "sector"] = "quaternary"
    with pytest.raises(InputDataError, match="sector 'quaternary' is not one of.*column sector, industry 010"):
        load_classification(_write(tmp_path, raw))


def test_unknown_asset_section_and_flag_are_rejected(tmp_path, table):
    for column, value, pattern in (("ict_asset", "robots", "ict_asset 'robots'"),
                                   ("fai_section", "矿业", "fai_section '矿业' is not one of the 19"),
                                   ("ict_producing", "2", "ict_producing '2' must be 0 or 1")):
        raw = _raw(table)
        raw.loc["050", column] = value
        with pytest.raises(InputDataError, match=pattern + ".*industry 050"):
            load_classification(_write(tmp_path, raw))


def test_missing_column_and_wrong_codes_are_rejected(tmp_path, table):
    with pytest.raises(InputDataError, match=r"missing columns \['di_share'\]"):
        load_classification(_write(tmp_path, _raw(table).drop(columns="di_share")))
    with pytest.raises(InputDataError, match="industry codes must be 001…139 in order.*138 rows"):
        load_classification(_write(tmp_path, _raw(table).drop(index="139")))
    with pytest.raises(InputDataError, match="classification file not found"):
        load_classification(tmp_path / "nope.csv")


def test_unknown_concordance_and_grouping_are_rejected():
    with pytest.raises(InputDataError, match="unknown concordance '135'"):
        load_concordance("135")
    with pytest.raises(InputDataError, match="unknown grouping column 'colour'"):
        membership("colour")


def test_bundled_table_is_the_packaged_csv(table):
    raw = pd.read_csv(pytest.importorskip("importlib.resources").files("klems.data") / "classification_139.csv",
                      dtype=str)
    assert len(raw) == 139 and list(raw.columns)[:2] == ["code", "nbs_code"]
