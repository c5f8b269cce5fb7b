"""Analytic hierarchy process: Saaty's published matrices, options, experts, blending, errors."""

from __future__ import annotations

import numpy as np
import pytest

import klems
from klems.base.errors import InputDataError, ParameterError
from klems.devindex.ahp import (
    RANDOM_INDEX,
    aggregate_judgements,
    ahp_weights,
    blend_weights,
    consistency,
    to_points,
)

# Saaty, T. L. (1990) "How to make a decision: the analytic hierarchy process", European Journal
# of Operational Research 48, 9-26: the house-buying example, criteria compared with respect to
# overall satisfaction with the house (size, transportation, neighbourhood, age, yard space,
# modern facilities, general condition, financing).
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]
HOUSE_WEIGHTS = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]

# Saaty, T. L. & Khouja, M. W. (1976) "A measure of world influence", Journal of Peace Science 2,
# 31-48, reprinted as the "wealth of nations" example in Saaty (1980) The Analytic Hierarchy
# Process, McGraw-Hill, ch. 2: US, USSR, China, France, UK, Japan, West Germany compared by wealth.
WEALTH = [
    [1, 4, 9, 6, 6, 5, 5],
    [1 / 4, 1, 7, 5, 5, 3, 4],
    [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
    [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
    [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
    [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
    [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1],
]
WEALTH_WEIGHTS = [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]


def test_saaty_house_example_weights_and_consistency():
    """Saaty (1990) EJOR 48:9-26, house example: priorities (.173 .054 .188 .018 .031 .036 .167
    .333), λmax = 9.669, CI = 0.238, CR = 0.169 (printed to three decimals)."""
    info = consistency(HOUSE)
    assert info["lambda_max"] == pytest.approx(9.669, abs=5e-4)
    assert info["ci"] == pytest.approx(0.238, abs=5e-4)
    assert info["ri"] == 1.41
    assert info["cr"] == pytest.approx(0.169, abs=5e-4)
    w, cr = ahp_weights(HOUSE, max_cr=None)
    np.testing.assert_allclose(w, HOUSE_WEIGHTS, atol=5e-4)
    assert cr == pytest.approx(0.169, abs=5e-4)


def test_saaty_house_example_is_rejected_at_the_default_limit():
    """The same matrix has CR 0.169 > 0.1: Saaty's rule rejects it unless overridden."""
    with pytest.raises(ParameterError, match=r"inconsistent: consistency ratio CR = 0\.169 > 0\.1"
                                             r".*\[matrix house\]"):
        ahp_weights(HOUSE, name="house")


def test_saaty_wealth_of_nations_example():
    """Saaty (1980) ch. 2 / Saaty & Khouja (1976): eigenvector (.427 .230 .021 .052 .052 .123
    .094), λmax = 7.61; CR = (7.61 − 7)/6/1.32 = 0.077 <= 0.1, so accepted by default."""
    w, cr = ahp_weights(WEALTH)
    np.testing.assert_allclose(w, WEALTH_WEIGHTS, atol=5e-4)
    assert consistency(WEALTH)["lambda_max"] == pytest.approx(7.61, abs=5e-3)
    assert cr == pytest.approx((7.61 - 7) / 6 / 1.32, abs=1e-3)


def test_random_index_table():
    """Saaty (1980) random index RI: 0, 0, .58, .90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for
    n = 1..10."""
    assert [RANDOM_INDEX[n] for n in range(1, 11)] == [
        0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


def test_public_name_from_the_package_is_the_module_function():
    assert klems.ahp_weights is ahp_weights


@pytest.mark.parametrize("method", ["eigenvector", "geometric"])
def test_consistent_matrix_recovers_the_ratios(method):
    """A consistent matrix a_ij = w_i / w_j returns w exactly, with CR 0, by both methods."""
    w0 = np.array([0.4, 0.3, 0.2, 0.1])
    w, cr = ahp_weights(np.outer(w0, 1 / w0), method=method)
    np.testing.assert_allclose(w, w0, rtol=1e-12)
    assert cr == pytest.approx(0.0, abs=1e-12)


def test_geometric_mean_differs_from_eigenvector_on_inconsistent_matrix():
    """Row geometric means of the house matrix, computed by hand for the first row:
    (1·5·3·7·6·6·(1/3)·(1/4))^(1/8) normalised by the sum over rows."""
    w, _ = ahp_weights(HOUSE, method="geometric", max_cr=None)
    g = np.prod(np.array(HOUSE), axis=1) ** (1 / 8)
    np.testing.assert_allclose(w, g / g.sum(), rtol=1e-12)
    assert abs(w[0] - HOUSE_WEIGHTS[0]) > 1e-3  # a different estimator


def test_upper_triangle_only_and_typed_decimals():
    """The lower triangle may be left empty; 0.33 typed for 1/3 is accepted as reciprocal."""
    upper = [[1, 3, 5], [np.nan, 1, 2], [np.nan, np.nan, 1]]
    full = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]]
    typed = [[1, 3, 5], [0.33, 1, 2], [0.2, 0.5, 1]]
    w_full, cr_full = ahp_weights(full)
    np.testing.assert_allclose(ahp_weights(upper)[0], w_full, rtol=1e-12)
    np.testing.assert_allclose(ahp_weights(typed)[0], w_full, atol=2e-3)
    assert cr_full < 0.1


def test_two_by_two_is_always_consistent():
    w, cr = ahp_weights([[1, 4], [0.25, 1]])
    np.testing.assert_allclose(w, [0.8, 0.2])
    assert cr == 0.0


def test_expert_aggregation_by_geometric_mean():
    """Two experts judging 3 vs 1/3 on the same pair aggregate to 1 (equal importance); with
    weights 3:1 to 3^(0.75 − 0.25) = sqrt(3)."""
    e1 = [[1, 3], [1 / 3, 1]]
    e2 = [[1, 1 / 3], [3, 1]]
    np.testing.assert_allclose(aggregate_judgements([e1, e2]), np.ones((2, 2)))
    agg = aggregate_judgements([e1, e2], expert_weights=[3, 1])
    assert agg[0, 1] == pytest.approx(np.sqrt(3))
    assert agg[1, 0] == pytest.approx(1 / np.sqrt(3))


def test_blend_and_points():
    """0.5·(0.5, 0.3, 0.2) + 0.5·(40, 40, 20)/100 = (0.45, 0.35, 0.20) -> 45, 35, 20 points."""
    w = blend_weights([0.5, 0.3, 0.2], [40, 40, 20], share_ahp=0.5)
    np.testing.assert_allclose(to_points(w), [45, 35, 20])
    np.testing.assert_allclose(blend_weights([0.5, 0.3, 0.2], [1, 1, 1], share_ahp=1.0),
                               [0.5, 0.3, 0.2])


# ---- every error message -------------------------------------------------------------------

def test_error_not_square():
    with pytest.raises(InputDataError, match=r"shape \(2, 3\); expected a square"):
        ahp_weights([[1, 2, 3], [0.5, 1, 2]])


def test_error_not_numeric():
    with pytest.raises(InputDataError, match=r"judgement matrix is not numeric"):
        ahp_weights([["a", 1], [1, 1]])


def test_error_non_positive_judgement_names_cell():
    with pytest.raises(InputDataError, match=r"a\[1,2\] = -2; expected a positive finite "
                                             r"number .*\[matrix m, row 1, column 2\]"):
        ahp_weights([[1, -2], [-0.5, 1]], name="m")


def test_error_diagonal():
    with pytest.raises(InputDataError, match=r"diagonal judgement a\[2,2\] = 2; expected 1"):
        ahp_weights([[1, 2], [0.5, 2]])


def test_error_not_reciprocal():
    with pytest.raises(InputDataError, match=r"a\[1,2\] = 3 and a\[2,1\] = 0.5 are not "
                                             r"reciprocal; expected a\[2,1\] = 1/3 = 0.3333"):
        ahp_weights([[1, 3], [0.5, 1]])


def test_error_too_large():
    with pytest.raises(ParameterError, match=r"order 16; Saaty's random index is tabulated for "
                                             r"n <= 15"):
        ahp_weights(np.ones((16, 16)))


def test_error_unknown_method():
    with pytest.raises(ParameterError, match=r"unknown AHP method 'power'; expected one of "
                                             r"eigenvector, geometric"):
        ahp_weights([[1]], method="power")


def test_error_experts():
    with pytest.raises(InputDataError, match=r"no expert judgement matrices given"):
        aggregate_judgements([])
    with pytest.raises(InputDataError, match=r"different shapes"):
        aggregate_judgements([np.ones((2, 2)), np.ones((3, 3))])
    with pytest.raises(ParameterError, match=r"expert weights \[1.0\]; expected 2 non-negative"):
        aggregate_judgements([np.ones((2, 2)), np.ones((2, 2))], expert_weights=[1])


def test_error_blend():
    with pytest.raises(ParameterError, match=r"AHP share 1.5 in the blend; expected a number in "
                                             r"\[0, 1\]"):
        blend_weights([1, 1], [1, 1], share_ahp=1.5)
    with pytest.raises(InputDataError, match=r"3 direct scores for 2 AHP weights"):
        blend_weights([1, 1], [1, 1, 1])
    with pytest.raises(InputDataError, match=r"direct scores \[0.0, 0.0\]; expected non-negative "
                                             r"numbers with a positive sum"):
        blend_weights([1, 1], [0, 0])
