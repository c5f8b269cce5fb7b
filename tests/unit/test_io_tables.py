"""Reading and concording the NBS input-output tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klems.base.errors import InputDataError
from klems.datasets.classification import load_concordance
from klems.datasets.io_tables import (
    _parse,
    check_identities,
    concord,
    national_table,
    read_io_table,
)


@pytest.fixture(scope="module")
def t2012():
    return national_table(2012)


def test_2012_totals_match_the_provenance_check_values(t2012):
    """NBS 2012 input-output table (139 sectors), totals as recorded in docs/data.md §4: total
    output 1,601,627 亿元, value added 536,800 (劳动者报酬 264,134; 生产税净额 73,606; 固定资产折旧
    71,682; 营业盈余 127,378), GFCF (ΣFU201) 237,751 亿元."""
    assert float(t2012.gross_output.sum()) == pytest.approx(1_601_627, abs=1)
    va = t2012.value_added.sum("industry")
    assert float(va.sum()) == pytest.approx(536_800, abs=1)
    np.testing.assert_allclose(va.values, [264_134, 73_606, 71_682, 127_378], atol=1)
    assert float(t2012.final_use.sel(use="FU201").sum()) == pytest.approx(237_751, abs=1)


def test_concordance_keeps_totals_and_identities():
    raw = read_io_table(2018)
    out = concord(raw, load_concordance("153"))
    assert out.sizes["industry"] == 139
    assert float(out.gross_output.sum()) == pytest.approx(float(raw.gross_output.sum()), rel=1e-12)
    assert float(out.intermediate.sum()) == pytest.approx(float(raw.intermediate.sum()), rel=1e-12)
    check_identities(out)
    # ICT products: 2018 计算机 (153-code 090) is 2012's 086
    assert float(out.product_output.sel(product="086")) == pytest.approx(float(raw.product_output.sel(product="090")))


def test_2015_is_split_from_42_sectors_with_column_identity():
    t12, t17 = national_table(2012), national_table(2017)
    prior = 0.4 * t12 / float(t12.gross_output.sum()) + 0.6 * t17 / float(t17.gross_output.sum())
    t15 = national_table(2015, prior=prior)
    raw = read_io_table(2015)
    assert float(t15.gross_output.sum()) == pytest.approx(float(raw.gross_output.sum()), rel=1e-10)
    assert float(t15.value_added.sum()) == pytest.approx(float(raw.value_added.sum()), rel=1e-10)
    go = t15.gross_output.values
    np.testing.assert_allclose(t15.intermediate.sum("product") + t15.value_added.sum("component"), go, rtol=1e-9)
    with pytest.raises(InputDataError, match="needs a 139-sector prior"):
        national_table(2015)


def test_broken_identity_names_the_industry(t2012):
    bad = t2012.copy(deep=True)
    bad["gross_output"].loc[dict(industry="086")] = 1.0
    with pytest.raises(InputDataError, match="differ from gross output.*industry 086"):
        check_identities(bad, name="test table")


def test_unknown_year_and_unsupported_layouts():
    with pytest.raises(InputDataError, match="no input-output table for 2016"):
        read_io_table(2016)
    raw = pd.DataFrame({"Code": ["01"], "Origin": ["Domestic"]})
    with pytest.raises(InputDataError, match="non-competitive-import tables"):
        _parse(raw, "x.csv", 2017)
    raw = pd.DataFrame({"Code": ["001", "TII"], "001": [1.0, 1.0], "GO": [1.0, 1.0]})
    with pytest.raises(InputDataError, match=r"rows \['VA001'.*missing"):
        _parse(raw, "x.csv", 2012)
