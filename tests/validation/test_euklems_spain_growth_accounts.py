"""Validation: EU KLEMS & INTANProd 2023 release, Spain, statistical module (growth accounts).

Source: Bontadini, Corrado, Haskel, Iommi, Jona-Lasinio (2023), EUKLEMS & INTANProd, Deliverable
D2.3.1, section 2.3 (eqs. 1–16, pp. 13–19) and Appendix Table A1 (depreciation rates); data files
``ES_capital_accounts.xlsx`` (Kq_<asset>: end-of-year net stocks, chain-linked volumes; Ip_<asset>:
investment price index 2020=100), ``ES_growth_accounts_basic.xlsx`` (VA_CP, VA_Q, LAB, CAP,
LAB_QI, CAP_QI, CAPICT_QI, VAConH, VAConLC, VAConTangICT, VAConTangNICT, VAConIntang, VAConTFP, in
percentage points of log growth) and ``ES_national_accounts.xlsx`` (H_EMP), in
``../shared/reference-data/validation/eu-klems-2023-spain/``.

What is computed here, from inputs only: user costs with the ex-post internal rate exhausting
CAP, capital gains smoothed over t−1, t, t+1, clipping of negative user costs with rescaling,
Törnqvist capital services by group (TangICT = IT+CT, TangNICT, Intang as in Table 1; CAPICT_QI =
IT+CT+Soft_DB) and the value-added decomposition. Stocks: the end-of-year stocks as published
(``test_end_of_year_stocks_fit_best`` shows why). Labour services are not reproduced (the labour
accounts by worker type are not public): the labour input grows by Δln H_EMP plus the published
labour-composition term (VAConLC / s̄_L), so VAConTFP checks the capital side and VA growth.
C19 is compared up to 2019: its value added is negative in 2020, where published VAConTFP is empty.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr

from klems.accounts.factor_income import split_value_added
from klems.accounts.growth_accounting import tornqvist
from klems.accounts.user_costs import capital_services
from klems.base.errors import ClippedUserCostWarning, InputDataError
from klems.datasets.euklems import (
    ASSETS,
    STATISTICAL_GROUPS,
    capital_accounts,
    depreciation_rates,
    normalize_asset,
    normalize_code,
    rates_for,
    read_workbook,
)

YEARS = slice(1997, 2020)
REQUIRED_AGGREGATES = ["TOT", "MARKT", "C", "G", "J"]
TIMINGS = ["previous", "current"]


@pytest.fixture(scope="module")
def spain(shared_dir):
    folder = shared_dir / "reference-data" / "validation" / "eu-klems-2023-spain"
    if not folder.is_dir():
        pytest.skip(f"EU KLEMS Spain files not found at {folder}")
    growth = read_workbook(folder / "ES_growth_accounts_basic.xlsx")
    codes = [c for c in growth.industry.values
             if np.isfinite(growth.sel(var="VAConTangICT", industry=c)).any()]
    return {
        "capital": capital_accounts(folder / "ES_capital_accounts.xlsx", measures=("Kq", "Ip")),
        "growth": growth.sel(industry=codes),
        "hours": read_workbook(folder / "ES_national_accounts.xlsx", ["H_EMP"]).sel(
            var="H_EMP", industry=codes, drop=True),
        "rates": rates_for(depreciation_rates(folder / "depreciation_rates_TableA1_D2.3.1.csv"),
                           codes).sel(asset=list(ASSETS)),
        "codes": codes,
    }


def _account(spain, codes, years, *, timing, stock=None):
    """Our growth accounts (p.p.) for ``codes`` over ``years``, in the published variables."""
    g = spain["growth"].sel(industry=codes, year=years)
    va = g.sel(var="VA_CP", drop=True)
    lab, cap, _ = split_value_added(va, g.sel(var="LAB", drop=True), g.sel(var="CAP", drop=True))
    K = spain["capital"].Kq.sel(industry=codes, year=years) if stock is None else stock
    P = spain["capital"].Ip.sel(industry=codes, year=K.year)
    cap = cap.sel(year=K.year)
    rates = spain["rates"].sel(industry=codes)
    opts = dict(price_base=100, missing_price="exclude", price_timing=timing, warn=False)
    cs = capital_services(K, P, rates, cap, groups=STATISTICAL_GROUPS, **opts)
    ict = capital_services(K, P, rates, cap, groups={"ICT": ["IT", "CT", "Soft_DB"]}, **opts)
    first = int(cs.rate.notnull().all("industry").argmax("year"))
    Y = slice(int(K.year[first]), None)  # years with capital compensation split by asset
    hours = spain["hours"].sel(industry=codes, year=K.year).sel(year=Y)
    share = (lab / va).sel(year=Y)
    sbar = 0.5 * (share + share.shift(year=1))
    dlc = (g.sel(var="VAConLC", drop=True).sel(year=Y) / 100 / sbar).fillna(0)
    labour = hours * np.exp(dlc.cumsum("year"))
    values = {k: cs.group_compensation.sel(group=k, drop=True).sel(year=Y)
              for k in STATISTICAL_GROUPS}
    volumes = {k: cs.services_index.sel(group=k, drop=True).sel(year=Y) for k in STATISTICAL_GROUPS}
    values["labour"], volumes["labour"] = lab.sel(year=Y), labour
    tq = tornqvist(va.sel(year=Y), g.sel(var="VA_Q", drop=True).sel(year=Y), values, volumes,
                   framework="value-added", share_tolerance=1e-4,
                   partial_volumes={"hours": ("labour", hours)})
    return xr.Dataset({
        "CAP_QI": 100 * cs.total_services_growth,
        "CAPICT_QI": 100 * ict.services_growth.sel(group="ICT", drop=True),
        "VAConTangICT": 100 * tq.contribution_TangICT,
        "VAConTangNICT": 100 * tq.contribution_TangNICT,
        "VAConIntang": 100 * tq.contribution_Intang,
        "VAConH": 100 * tq.contribution_hours,
        "VAConTFP": 100 * tq.tfp,
        "VA_G": 100 * tq.output_growth,
    }), cs


def _published(spain, var):
    x = spain["growth"].sel(var=var, drop=True)
    return 100 * np.log(x / x.shift(year=1)) if var.endswith("_QI") else x


@pytest.fixture(scope="module", params=TIMINGS)
def differences(request, spain):
    """max over 1997–2020 of |ours − published| (p.p.) per industry code and variable."""
    timing = request.param
    others = [c for c in spain["codes"] if c != "C19"]
    ours1, cs1 = _account(spain, others, slice(1995, 2021), timing=timing)
    ours2, cs2 = _account(spain, ["C19"], slice(1995, 2019), timing=timing)
    ours = xr.concat([ours1, ours2], "industry", join="outer")
    out = xr.Dataset({v: abs(ours[v] - _published(spain, v).sel(industry=ours.industry))
                      .sel(year=YEARS).max("year") for v in ours.data_vars})
    return timing, out, (cs1, cs2)


def _report(diff, var, codes):
    d = diff[var].sel(industry=codes)
    worst = d.sortby(d, ascending=False)[:5]
    return ", ".join(f"{c}: {v:.4f}" for c, v in zip(worst.industry.values, worst.values))


def test_vacontangict_every_industry_within_005pp(differences):
    """VAConTangICT (Tangible ICT capital services, p.p.; growth accounts basic, sheet
    VAConTangICT): |ours − published| <= 0.05 p.p. for every industry code, 1997–2020."""
    timing, diff, _ = differences
    d = diff["VAConTangICT"]
    assert d.notnull().all(), "an industry has no comparable year"
    assert float(d.max()) <= 0.05, f"{timing}: worst {_report(diff, 'VAConTangICT', d.industry)}"


@pytest.mark.parametrize("code", REQUIRED_AGGREGATES)
def test_cap_qi_growth_within_01pp(differences, code):
    """CAP_QI (Capital services, volume indices 2015=100; sheet CAP_QI): log growth of our
    capital services within 0.1 p.p. of the published index's log growth, 1997–2020."""
    timing, diff, _ = differences
    assert float(diff["CAP_QI"].sel(industry=code)) <= 0.1, timing


@pytest.mark.parametrize("code", REQUIRED_AGGREGATES)
def test_aggregates_other_variables(differences, code):
    """VAConTangNICT, VAConIntang, VAConTFP (p.p.) and CAPICT_QI (ICT capital services = IT, CT,
    Soft_DB, 2015=100) for TOT, MARKT, C, G, J, 1997–2020. Bounds are the measured worst cases
    rounded up (not required by the issue): 0.05 p.p. for the contributions and TFP; 0.2 p.p. for
    CAPICT_QI growth, whose small Soft_DB/CT stocks make the growth rate sensitive to the split."""
    timing, diff, _ = differences
    d = diff.sel(industry=code)
    for var, bound in [("VAConTangNICT", 0.05), ("VAConIntang", 0.05), ("VAConTFP", 0.05),
                       ("CAPICT_QI", 0.2)]:
        assert float(d[var]) <= bound, f"{timing} {code} {var}: {float(d[var]):.4f}"


def test_hours_contribution_and_value_added_growth_exact(differences):
    """VAConH (Hours worked, p.p.) = s̄_L·Δln H_EMP and VA_G (Growth rate of value added volume)
    = Δln VA_Q reproduce to float32 precision for every industry (D2.3.1 eq. 10)."""
    _, diff, _ = differences
    assert float(diff["VAConH"].max()) < 1e-4
    assert float(diff["VA_G"].max()) < 1e-4


def test_every_industry_contributions_bounded(differences):
    """All industries, all contribution variables: worst cases measured (regression bounds, not
    required): TangNICT 0.2, Intang 0.2, TFP 0.3 p.p.; the worst industries are A (TangNICT, TFP),
    O (Intang; its Rstruc user costs are clipped in ten years) and H (OCon clipped in 2020)."""
    _, diff, _ = differences
    for var, bound in [("VAConTangNICT", 0.2), ("VAConIntang", 0.2), ("VAConTFP", 0.3)]:
        assert float(diff[var].max()) <= bound, f"{var}: {_report(diff, var, diff.industry)}"


def test_end_of_year_stocks_fit_best(spain):
    """Stock timing. Capital services in year t from end-of-year stocks K_t reproduce VAConTangICT
    (sheet VAConTangICT, TOT and J) better than the average (K_t + K_t−1)/2 or the
    beginning-of-year stock K_t−1, by a clear margin."""
    codes = ["TOT", "J"]
    K = spain["capital"].Kq.sel(industry=codes)
    stocks = {
        "end": K.sel(year=slice(1996, 2021)),
        "average": (0.5 * (K + K.shift(year=1))).sel(year=slice(1996, 2021)),
        "beginning": K.shift(year=1).sel(year=slice(1996, 2021)),
    }
    err = {}
    for name, s in stocks.items():
        ours, _ = _account(spain, codes, slice(1996, 2021), timing="previous", stock=s)
        pub = _published(spain, "VAConTangICT").sel(industry=codes)
        err[name] = float(abs(ours["VAConTangICT"] - pub).sel(year=slice(1998, 2020)).max())
    assert err["end"] < 0.025
    assert err["average"] > 2 * err["end"] and err["beginning"] > 2 * err["end"], err


def test_clipped_user_costs_are_structures(differences):
    """Negative user costs (D2.3.1 p. 19) occur in the Spanish data; they are counted, and only
    for structures (OCon, Rstruc), whose smoothed price gains can exceed return plus depreciation."""
    _, _, (cs1, cs2) = differences
    clipped = xr.concat([cs1.clipped, cs2.clipped], "industry", join="outer").fillna(False)
    assert cs1.attrs["clipped_count"] + cs2.attrs["clipped_count"] == int(clipped.sum()) > 0
    assets = set(clipped.asset.values[clipped.any(["industry", "year"]).values])
    assert assets <= {"OCon", "Rstruc"}, assets


def test_clip_warning_names_where(spain):
    """The warning on clipped user costs names industry, asset and year (H, OCon, 2020)."""
    K = spain["capital"].Kq.sel(industry=["H"])
    g = spain["growth"].sel(industry=["H"])
    with pytest.warns(ClippedUserCostWarning, match=r"negative user cost.*industry H, asset"):
        capital_services(K, spain["capital"].Ip.sel(industry=["H"]),
                         spain["rates"].sel(industry=["H"]), g.sel(var="CAP", drop=True),
                         groups=STATISTICAL_GROUPS, price_base=100, missing_price="exclude")


def test_zero_prices_raise_unless_excluded(spain):
    """Ip_OIPP of A is 0 in years with a positive stock: an error by default, naming where."""
    sel = dict(industry=["A"])
    args = (spain["capital"].Kq.sel(sel), spain["capital"].Ip.sel(sel), spain["rates"].sel(sel),
            spain["growth"].sel(var="CAP", drop=True).sel(sel))
    with pytest.raises(InputDataError, match=r"price is zero or missing.*asset OIPP"):
        capital_services(*args, groups=STATISTICAL_GROUPS, price_base=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClippedUserCostWarning)
        out = capital_services(*args, groups=STATISTICAL_GROUPS, price_base=100,
                               missing_price="exclude")
    assert out.attrs["excluded_count"] > 0


# --- the reader -----------------------------------------------------------------------------

def test_reader_shapes_and_code_spellings(spain):
    """Codes are the data files' spelling in both files (Table A1's C22_C23 -> C22-C23)."""
    assert {"C22-C23", "M-N", "J62-J63", "TOT_IND", "MARKT"} <= set(spain["codes"])
    assert spain["capital"].Kq.dims == ("asset", "industry", "year")
    assert list(spain["capital"].asset.values) == list(ASSETS)
    assert spain["rates"].sel(industry="C22-C23", asset="TraEq") == pytest.approx(0.191)
    assert spain["rates"].sel(industry="C26-C27", asset="RD") == pytest.approx(0.160)


@pytest.mark.parametrize("raw, code", [("C22_C23", "C22-C23"), ("M_N", "M-N"),
                                       ("TOT_IND", "TOT_IND"), (" J62_J63 ", "J62-J63"),
                                       ("C10-C12", "C10-C12"), ("L68A", "L68A")])
def test_normalize_code(raw, code):
    assert normalize_code(raw) == code


def test_normalize_asset():
    assert normalize_asset("RStruc") == "Rstruc" and normalize_asset("OMACH") == "OMach"


def _write(path, frames):
    import pandas as pd

    with pd.ExcelWriter(path) as w:
        for name, f in frames.items():
            pd.DataFrame(f).to_excel(w, sheet_name=name, index=False)


def test_reader_errors_name_where(tmp_path):
    good = {"var": ["X", "X"], "nace_r2_code": ["A", "B"], "1995": [1.0, 2.0]}
    _write(tmp_path / "ok.xlsx", {"X": good})
    da = read_workbook(tmp_path / "ok.xlsx")
    assert da.sel(var="X", industry="B", year=1995) == 2.0
    with pytest.raises(InputDataError, match=r"sheet 'Y' not in the workbook.*file ok.xlsx"):
        read_workbook(tmp_path / "ok.xlsx", ["Y"])
    _write(tmp_path / "bad.xlsx", {"X": {**good, "1995": [1.0, "abc"]}})
    with pytest.raises(InputDataError, match=r"non-numeric value 'abc'.*sheet X, row 3, "
                                             r"industry B, year 1995"):
        read_workbook(tmp_path / "bad.xlsx")
    _write(tmp_path / "dup.xlsx", {"X": {**good, "nace_r2_code": ["M_N", "M-N"]}})
    with pytest.raises(InputDataError, match=r"industry code 'M-N' appears twice"):
        read_workbook(tmp_path / "dup.xlsx")
    _write(tmp_path / "nocode.xlsx", {"X": {"var": ["X"], "1995": [1.0]}})
    with pytest.raises(InputDataError, match=r"expected a column 'nace_r2_code'.*sheet X"):
        read_workbook(tmp_path / "nocode.xlsx")
    with pytest.raises(InputDataError, match=r"EU KLEMS workbook not found"):
        read_workbook(tmp_path / "missing.xlsx")


def test_rate_table_errors(tmp_path):
    (tmp_path / "r.csv").write_text("code,IT,RStruc\nTOT,0.3,1.5\n")
    with pytest.raises(InputDataError, match=r"rate '1.5' is not a number in \[0, 1\].*row 2, "
                                             r"column RStruc, industry TOT"):
        depreciation_rates(tmp_path / "r.csv")
    (tmp_path / "s.csv").write_text("code,IT\nTOT,0.3\n")
    table = depreciation_rates(tmp_path / "s.csv")
    with pytest.raises(InputDataError, match=r"no depreciation rates for industry 'Z9'"):
        rates_for(table, ["Z9"])
