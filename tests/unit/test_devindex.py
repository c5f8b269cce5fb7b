"""Development index: hierarchy (表1), weights, national and regional indices, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr

from klems.base.errors import DimensionError, InputDataError, ParameterError
from klems.devindex.indicators import (
    ROOT,
    EqualWeightsWarning,
    global_weights,
    load_hierarchy,
    national_index,
    resolve_weights,
    weights_check,
)


@pytest.fixture(scope="module")
def hierarchy():
    return load_hierarchy()


def test_bundled_hierarchy_is_table_1(hierarchy):
    """CAICT 2024 report, 表1 p. 11: 5 first-level and 19 second-level indicators, in order."""
    first = [hierarchy[c].zh for c in hierarchy.level(1)]
    assert first == ["基础能力", "技术创新", "产业发展", "应用推广", "发展环境"]
    second = [hierarchy[c].zh for c in hierarchy.level(2)]
    assert second == ["网络建设", "平台培育", "安全感知", "数据管理", "标识建设",
                      "研发投入", "创新成果", "创新载体",
                      "产业规模", "产业结构", "产业质量", "产业活跃度",
                      "标杆打造", "推广普及", "应用水平",
                      "政策规划", "资金支持", "人才培养", "生态建设"]
    assert [len(hierarchy.children(c)) for c in hierarchy.level(1)] == [5, 3, 4, 3, 4]
    assert all(hierarchy[c].en for c in hierarchy.level(2))
    assert hierarchy.children(ROOT) == hierarchy.level(1)


def test_user_third_level_from_toml(tmp_path, hierarchy):
    f = tmp_path / "third.toml"
    f.write_text('[[third]]\ncode = "bs5g"\nparent = "network"\nzh = "5G基站数"\n'
                 'en = "5G base stations"\ndirection = "higher"\n'
                 '[[third]]\ncode = "cost"\nparent = "network"\ndirection = "lower"\n',
                 encoding="utf-8")
    h = load_hierarchy(f)
    assert h.children("network") == ["bs5g", "cost"]
    assert h["cost"].direction == -1 and h["bs5g"].level == 3
    assert "network" not in h.leaves() and "platform" in h.leaves()


def test_third_level_errors(hierarchy):
    with pytest.raises(InputDataError, match=r"third-level indicator 'x' has parent 'foundation'; "
                                             r"expected one of the second-level codes"):
        hierarchy.with_third_level([{"code": "x", "parent": "foundation"}])
    with pytest.raises(InputDataError, match=r"indicator code 'network' is defined twice"):
        hierarchy.with_third_level([{"code": "network", "parent": "network"}])
    with pytest.raises(InputDataError, match=r"direction 'up' of indicator 'x'; expected 'higher'"):
        hierarchy.with_third_level([{"code": "x", "parent": "network", "direction": "up"}])
    with pytest.raises(InputDataError, match=r"indicator 'x' has no parent"):
        hierarchy.with_third_level([{"code": "x"}])
    with pytest.raises(InputDataError, match=r"indicator without a code"):
        hierarchy.with_third_level([{"parent": "network"}])
    with pytest.raises(InputDataError, match=r"unknown indicator 'nope'"):
        hierarchy["nope"]


def test_bad_toml(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[[third]\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"not valid TOML .*\[file .*bad.toml\]"):
        load_hierarchy(f)


def _small():
    """A two-branch hierarchy: foundation(network, platform) and innovation(rd_input)."""
    return load_hierarchy().pruned(["network", "platform", "rd_input"])


def test_weights_from_judgements_direct_and_blend():
    """Root judgements [[1, 3], [1/3, 1]] give (0.75, 0.25); blended 50/50 with direct scores
    (50, 50) -> (62.5, 37.5) points; global weight of network = 0.625 · 0.8 = 50 points."""
    h = _small()
    w, table = resolve_weights(
        h, judgements={ROOT: {"children": ["foundation", "innovation"],
                              "experts": [[[1, 3], [1 / 3, 1]]]}},
        direct={ROOT: {"foundation": 50, "innovation": 50},
                "foundation": {"network": 80, "platform": 20},
                "innovation": {"rd_input": 1}})
    np.testing.assert_allclose(w[ROOT].to_numpy(), [0.625, 0.375])
    g = global_weights(h, w)
    assert g["network"] == pytest.approx(0.5)
    assert g["platform"] == pytest.approx(0.125)
    assert table.groupby("parent")["weight_points"].sum().to_dict() == pytest.approx(
        {ROOT: 100.0, "foundation": 100.0, "innovation": 100.0})
    weights_check(w, h)


def test_equal_weights_are_warned():
    with pytest.warns(EqualWeightsWarning, match=r"no judgements or direct scores for 3 group"):
        w, _ = resolve_weights(_small())
    np.testing.assert_allclose(w["foundation"].to_numpy(), [0.5, 0.5])


def test_weight_errors():
    h = _small()
    with pytest.raises(InputDataError, match=r"weights given for 'network', which has no children"):
        resolve_weights(h, direct={"network": {"a": 1}})
    with pytest.raises(InputDataError, match=r"direct scores under 'foundation' for \['network'\]; "
                                             r"expected one score for each child"):
        resolve_weights(h, direct={"foundation": {"network": 1}})
    with pytest.raises(InputDataError, match=r"judgements under 'total' compare \['a', 'b'\]"):
        resolve_weights(h, judgements={ROOT: {"children": ["a", "b"], "experts": [np.ones((2, 2))]}})
    with pytest.raises(InputDataError, match=r"judgement matrix under 'total' is 3 × 3; expected "
                                             r"2 × 2"):
        resolve_weights(h, judgements={ROOT: {"experts": [np.ones((3, 3))]}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EqualWeightsWarning)
        w, _ = resolve_weights(h)
    w["foundation"] = w["foundation"] * 2
    with pytest.raises(ParameterError, match=r"weights under 'foundation' total 200 points"):
        weights_check(w, h)
    w["foundation"] = w["foundation"] / 2
    del w["innovation"]
    with pytest.raises(ParameterError, match=r"no weights for the children of 'innovation'"):
        weights_check(w, h)


def _equal(h):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EqualWeightsWarning)
        return resolve_weights(h)[0]


def test_national_index_by_hand():
    """network 10 -> 15 (ratio 150), platform 4 -> 2 (lower is better: 4/2 -> 200),
    rd_input 8 -> 10 (125). With direct weights foundation 60 (network 50, platform 50),
    innovation 40: foundation (150 + 200)/2 = 175, total 0.6·175 + 0.4·125 = 155."""
    h = load_hierarchy().pruned(["network", "platform", "rd_input"])
    h = type(h)(tuple(i if i.code != "platform" else i.__class__(**{**i.__dict__, "direction": -1})
                      for i in h.indicators), h.source)
    w, _ = resolve_weights(h, direct={ROOT: {"foundation": 60, "innovation": 40},
                                      "foundation": {"network": 50, "platform": 50},
                                      "innovation": {"rd_input": 100}})
    v = xr.DataArray([[10, 15], [4, 2], [8, 10]], dims=("indicator", "year"),
                     coords={"indicator": ["network", "platform", "rd_input"],
                             "year": [2020, 2021]})
    ds = national_index(v, h, w)
    idx = ds["index"]
    assert idx.sel(node="foundation", year=2021) == pytest.approx(175.0)
    assert idx.sel(node=ROOT, year=2021) == pytest.approx(155.0)
    np.testing.assert_allclose(idx.sel(year=2020).values, 100.0)
    assert idx.attrs["units"] == "index 2020=100" and idx.attrs["long_name_zh"]
    assert idx.name_zh.sel(node="foundation") == "基础能力"


def test_national_errors():
    h = _small()
    w = _equal(h)
    v = xr.DataArray([[10, 15], [4, 2]], dims=("indicator", "year"),
                     coords={"indicator": ["network", "platform"], "year": [2020, 2021]})
    with pytest.raises(InputDataError, match=r"no data for indicator\(s\) rd_input"):
        national_index(v, h, w)
    v = xr.DataArray([[10, 15], [4, 2], [0, 1]], dims=("indicator", "year"),
                     coords={"indicator": ["network", "platform", "rd_input"],
                             "year": [2020, 2021]})
    with pytest.raises(InputDataError, match=r"value 0 is not positive.*indicator rd_input, "
                                             r"year 2020"):
        national_index(v, h, w)
    with pytest.raises(InputDataError, match=r"base year 2019 not in the data"):
        national_index(v + 1, h, w, base_year=2019)
    v2 = v.astype(float).where(v != 15)
    with pytest.raises(InputDataError, match=r"missing value; .*indicator network, year 2021"):
        national_index(v2 + 1, h, w)
    with pytest.raises(DimensionError, match=r"expected an 'indicator' dimension"):
        national_index(v.rename(indicator="x"), h, w)
    with pytest.raises(DimensionError, match=r"expected 'indicator' and 'year'"):
        national_index(v.isel(year=0, drop=True) + 1, h, w)
