"""Bundled price extracts (data/sources/prices): published figures, and a cross-check against the
shared reference data they were copied from (skipped when ../shared is absent)."""

from __future__ import annotations

import pandas as pd
import pytest

from klems.base.errors import InputDataError, UnknownProvinceError
from price_index import sources


@pytest.fixture
def shared(request):
    path = request.config.rootpath.parent / "shared" / "reference-data"
    if not path.is_dir():
        pytest.skip(f"shared reference data not found at {path} (only present in the project "
                    "workspace)")
    return path


def test_published_national_values():
    """NBS 年度数据, 价格指数: 按工业行业分工业生产者出厂价格指数(上年=100)(2012-), 计算机、通信和其他
    电子设备制造业 2022 = 100.6655; 居民消费价格分类指数(上年=100)(2016-), 交通和通信 2020 = 96.5,
    2021 = 104.1; 固定资产投资价格指数(上年=100) 2019 = 102.5601 (last year published)."""
    assert sources.national_series("ppi_c39").loc[2022] == pytest.approx(100.6655)
    cpi = sources.national_series("cpi_transport_communication")
    assert (cpi.loc[2020], cpi.loc[2021]) == (pytest.approx(96.5), pytest.approx(104.1))
    fai = sources.national_series("fai_total")
    assert fai.index.max() == 2019 and fai.loc[2019] == pytest.approx(102.5601)
    assert sources.national_series("ppi_c39").index.min() == 2004


def test_published_guangxi_values():
    """NBS indicator M0024006 广西:固定资产投资价格指数 (上年=100) 2018 = 104.48, 2019 = 102.3755;
    广西统计局 M0023174 广西:RPI (上年=100) 2022 = 102.2 (CapitalStock data-raw workbooks)."""
    fai = sources.fai_price_index("广西")
    assert fai.loc[2018] == pytest.approx(104.48) and fai.loc[2019] == pytest.approx(102.3755)
    assert sources.retail_price_index("guangxi").loc[2022] == pytest.approx(102.2)


def test_international_sources():
    """EU KLEMS 2023 Japan Ip_* are 2020 = 100. FRED B935RG3Q086SBEA as bundled: the four
    quarters of 2009 (103.246, 100.526, 98.796, 97.432) average 100.0, i.e. base 2009 = 100
    (not 2012 = 100 as the shared PROVENANCE says; 2012 averages 90.106)."""
    assert sources.japan_price("IT").loc[2020] == pytest.approx(100.0)
    assert sources.japan_price("Rstruc").index.max() == 2020   # 2021 is 0 = missing in the source
    from price_index import annualise
    annual = annualise(sources.bea_computers_quarterly())
    assert annual.loc[2009] == pytest.approx(100.0, abs=0.001)
    assert annual.loc[2012] == pytest.approx(90.10575, abs=1e-6)
    assert annual.index.max() == 2017                          # 2018 has one quarter only


def test_loader_errors_name_the_file_and_what_is_expected():
    with pytest.raises(InputDataError, match=r"no fixed-asset-investment price index for xizang "
                                             r"\(西藏自治区\).*file province_fai_price_index.csv"):
        sources.fai_price_index("xizang")
    with pytest.raises(InputDataError, match=r"unknown national price series 'ppi'; expected one of "
                                             r"ppi_c39"):
        sources.national_series("ppi")
    with pytest.raises(InputDataError, match=r"no EU KLEMS Japan price index Ip_XX; expected one of"):
        sources.japan_price("XX")
    with pytest.raises(InputDataError, match=r"unknown EU KLEMS variable 'K'"):
        sources.japan_investment("K")
    with pytest.raises(UnknownProvinceError, match="unknown province 'atlantis'"):
        sources.retail_price_index("atlantis")


def test_fai_coverage():
    keys = sources.provinces_with_fai_price_index()
    assert keys[0] == "china" and "guangxi" in keys and "xizang" not in keys and len(keys) == 31


def test_extracts_equal_the_shared_reference_data(shared):
    """The bundled national figures equal reference-data §6 (price-indices/), and Guangxi's FAI
    and retail price indices equal the independent §6 Guangxi extract."""
    ref = pd.read_csv(shared / "price-indices/china_national_price_indices_annual.csv")
    for long, key in (("PPI_C39_computer_communication_electronic_equipment", "ppi_c39"),
                      ("FAI_price_index_total", "fai_total"),
                      ("CPI_transport_and_communication", "cpi_transport_communication")):
        r = ref[(ref.series == long) & (ref.year >= 1990)].set_index("year")["value"]
        pd.testing.assert_series_equal(sources.national_series(key), r, check_names=False,
                                       check_index_type=False, rtol=1e-9)
    gx = pd.read_csv(shared / "price-indices/guangxi_price_indices_annual.csv")
    for series, loader in (("Guangxi_FAI_price_index", sources.fai_price_index),
                           ("Guangxi_retail_price_index", sources.retail_price_index)):
        r = gx[gx.series == series].set_index("year")["value"]
        mine = loader("guangxi")
        common = r.index.intersection(mine.index)
        assert len(common) >= 25
        pd.testing.assert_series_equal(mine.loc[common], r.loc[common], check_names=False,
                                       check_index_type=False, rtol=1e-9)
