"""Harmonised ICT deflator (Schreyer 2002) and its exponential smoothing: hand-computed cases,
the equal-reference identity, extension past the international data, errors, kernel twin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klems.base.errors import InputDataError, ParameterError
from price_index import fit_smoothing, harmonized_deflator
from price_index._kernels import _ses_level_jit, ses_level, ses_level_reference


def s(values, start=2000, name=None):
    return pd.Series(np.asarray(values, float), index=pd.Index(range(start, start + len(values)),
                                                               name="year"), name=name)


def test_hand_computed_without_smoothing():
    """Domestic reference +10 %/yr, international ICT −10 %/yr against a flat international
    reference: λ = ln 0.9, so the domestic ICT index moves by 1.1 × 0.9 = 0.99 a year."""
    out = harmonized_deflator(s([100, 110, 121]), s([100, 90, 81]), s([50, 50, 50]),
                              smoothing="none")
    np.testing.assert_allclose(out.to_numpy(), [100.0, 99.0, 98.01], rtol=1e-12)
    assert list(out.attrs["status"]) == ["derived"] * 3
    assert out.attrs["smoothing_level"] == 1.0


def test_hand_computed_with_fixed_smoothing_level_and_initial_level():
    """d = (−0.1, −0.3, −0.2), α = 0.5, l₋₁ = 0: λ = (−0.05, −0.175, −0.1875) by hand;
    flat domestic reference, so the index is 100·exp(cumsum λ)."""
    intl_ict = s(np.exp(np.cumsum([0.0, -0.1, -0.3, -0.2])))
    out = harmonized_deflator(s([7.0] * 4), intl_ict, s([1.0] * 4), smoothing_level=0.5,
                              initial_level=0.0)
    lam = np.array([-0.05, -0.175, -0.1875])
    np.testing.assert_allclose(out.attrs["lambda"].to_numpy(), lam, atol=1e-12)
    np.testing.assert_allclose(out.to_numpy(), 100 * np.exp(np.concatenate([[0], np.cumsum(lam)])),
                               rtol=1e-12)
    assert out.attrs["smoothing_level_estimated"] == 0


def test_equal_references_and_level_one_follow_the_international_ict_deflator():
    rng = np.random.default_rng(3)
    ref = s(100 * np.exp(np.cumsum(rng.normal(0.02, 0.03, 15))), start=2000)
    ict = s(100 * np.exp(np.cumsum(rng.normal(-0.1, 0.05, 15))), start=2000)
    out = harmonized_deflator(ref, ict, ref, smoothing_level=1.0)
    np.testing.assert_allclose(out.to_numpy(), (ict / ict.iloc[0] * 100).to_numpy(), rtol=1e-10)


def test_extension_past_the_last_international_year_uses_the_forecast_and_is_flagged():
    rng = np.random.default_rng(0)
    intl = s(100 * np.exp(np.cumsum(rng.normal(-0.1, 0.04, 12))), start=1995)   # to 2006
    out = harmonized_deflator(s(np.linspace(100, 130, 10), start=2000), intl, s([100.0] * 12, 1995),
                              smoothing_level=0.4)
    lam = out.attrs["lambda"]
    assert out.attrs["fit_years"] == "1996-2006"
    assert np.allclose(lam.loc[2007:], out.attrs["forecast"])
    assert lam.loc[2006] == pytest.approx(out.attrs["forecast"])
    st = out.attrs["status"]
    assert (st.loc[:2006] == "derived").all() and (st.loc[2007:] == "extrapolated").all()


def test_years_before_the_international_data_use_the_initial_level():
    intl = s(100 * np.exp(np.cumsum([0, -0.1, -0.2, -0.1, -0.15])), start=2003)
    out = harmonized_deflator(s([100.0] * 8, 2000), intl, s([1.0] * 5, 2003), smoothing_level=0.5,
                              initial_level=-0.08)
    assert np.allclose(out.attrs["lambda"].loc[2001:2003], -0.08)
    assert list(out.attrs["status"].loc[2001:2003]) == ["extrapolated"] * 3


def test_domestic_status_propagates():
    ref = s([100, 101, 102, 103, 104])
    ref.attrs["status"] = pd.Series(["published"] * 3 + ["derived", "extrapolated"], index=ref.index)
    out = harmonized_deflator(ref, s([100, 90, 80, 70, 60]), s([1.0] * 5), smoothing_level=0.3)
    assert list(out.attrs["status"]) == ["derived"] * 4 + ["extrapolated"]


def test_base_year_and_units():
    out = harmonized_deflator(s([100, 110, 121, 130]), s([100, 90, 81, 70]), s([1.0] * 4),
                              smoothing="none", base_year=2002)
    assert out.loc[2002] == pytest.approx(100.0)
    assert out.attrs["units"] == "index 2002=100"


def test_estimated_level_matches_statsmodels():
    from statsmodels.tsa.holtwinters import SimpleExpSmoothing

    x = s(np.random.default_rng(5).normal(-0.05, 0.03, 25), 1996)
    fit = fit_smoothing(x)
    ref = SimpleExpSmoothing(x.to_numpy(), initialization_method="estimated").fit()
    assert fit.smoothing_level == pytest.approx(ref.params["smoothing_level"])
    np.testing.assert_allclose(fit.level.to_numpy(), ref.level, rtol=1e-10, atol=1e-12)
    assert fit.estimated


def test_missing_years_inside_a_series_are_named():
    ref = s([100, 101, 102, 103, 104]).drop(2002)
    with pytest.raises(InputDataError, match=r"domestic reference deflator: missing years inside "
                                             r"the series \[2002\]"):
        harmonized_deflator(ref, s([100, 90, 80, 70, 60]), s([1.0] * 5))
    ict = s([100, 90, np.nan, 70, 60])
    with pytest.raises(InputDataError, match=r"international ICT deflator: missing years inside "
                                             r"the series \[2002\]"):
        harmonized_deflator(s([100.0] * 5), ict, s([1.0] * 5))
    iref = s([1.0] * 6).drop([2001, 2003])
    with pytest.raises(InputDataError, match=r"international reference deflator: missing years "
                                             r"inside the series \[2001, 2003\]"):
        harmonized_deflator(s([100.0] * 5), s([100, 90, 80, 70, 60]), iref)


def test_fit_smoothing_missing_years_and_too_short():
    with pytest.raises(InputDataError, match=r"differential: missing years inside the series "
                                             r"\[2003\]"):
        fit_smoothing(s([0.1, 0.2, 0.3, 0.4, 0.5]).drop(2003), name="differential")
    with pytest.raises(InputDataError, match=r"2 years to smooth; expected at least 3"):
        fit_smoothing(s([0.1, 0.2]), name="x")


def test_no_common_international_years():
    with pytest.raises(InputDataError, match="no year-to-year change in common: ICT 2001-2004, "
                                             "reference 2011-2014"):
        harmonized_deflator(s([100.0] * 5), s([100, 90, 80, 70, 60]), s([1.0] * 5, 2010))


def test_parameter_errors():
    args = (s([100.0] * 5), s([100, 90, 80, 70, 60]), s([1.0] * 5))
    with pytest.raises(ParameterError, match=r"unknown smoothing of the harmonized deflator 'holt'; "
                                             r"expected one of exponential, none"):
        harmonized_deflator(*args, smoothing="holt")
    with pytest.raises(ParameterError, match=r"smoothing level must lie in \(0, 1\], got 1.5"):
        harmonized_deflator(*args, smoothing_level=1.5)
    with pytest.raises(ParameterError, match="smoothing='none' implies smoothing level 1"):
        harmonized_deflator(*args, smoothing="none", smoothing_level=0.5)
    with pytest.raises(InputDataError, match="base year 1990 is outside the domestic reference "
                                             "2000-2004"):
        harmonized_deflator(*args, base_year=1990)


def test_kernel_and_numpy_twin_agree_on_random_inputs():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(7, 30))
    alpha = rng.uniform(0.01, 1.0, 7)
    l0 = rng.normal(size=7)
    out = np.empty_like(x)
    _ses_level_jit(x, alpha, l0, out)
    np.testing.assert_allclose(out, ses_level_reference(x, alpha, l0), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ses_level(x[0], alpha[0], l0[0]), out[0])
