"""The bundled θ regressions (``klems.data/built/theta.json``) are current.

The file is built by ``python -m data.build.theta`` from the 31 provinces' accounts (about a
minute). Cheap checks here: it was built from the bundled datasets as they are now (SHA-256 of
every file), with the current default options of the accounts, its pooled figures are
consistent with its per-province rows, and Guangxi's own regression recomputes to the stored
numbers. The full recomputation of the pooled regression is the slow test at the end.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from klems.base.provinces import province_keys
from klems.base.resources import data_file
from klems.datasets.bundled import VINTAGES, dataset_file
from klems.datasets.theta_estimates import pooled_theta, province_theta, theta_bundle
from klems.pipeline.theta_panel import (
    BUNDLE_OPTIONS,
    accounts_options,
    own_fit,
    pooled_fit,
    province_fits,
    theta_observations,
)


@pytest.fixture(scope="module")
def bundle():
    return theta_bundle()


def test_bundle_has_its_provenance(bundle):
    assert bundle["built_by"] == "python -m data.build.theta"
    assert bundle["project_version"] and bundle["git_commit"]
    assert bundle["default_vintage"] == VINTAGES[0]
    assert set(bundle["vintages"]) == set(VINTAGES)
    assert "Holm" in bundle["informative_test"]


def test_bundle_was_built_with_the_current_default_options(bundle):
    """A changed default of the accounts (profile, depreciation, …) makes the bundle stale."""
    assert bundle["options"] == accounts_options(BUNDLE_OPTIONS)


@pytest.mark.parametrize("vintage", VINTAGES)
def test_bundle_was_built_from_the_current_datasets(bundle, vintage):
    stored = bundle["vintages"][vintage]["datasets_sha256"]
    assert set(stored) == {*province_keys(), "china"}
    for key, digest in stored.items():
        current = hashlib.sha256(data_file("built", dataset_file(key, vintage)).read_bytes())
        assert current.hexdigest() == digest, f"{key} {vintage}: rebuild the θ bundle"


@pytest.mark.parametrize("vintage", VINTAGES)
def test_pooled_figures_are_consistent_with_the_province_rows(bundle, vintage):
    entry = bundle["vintages"][vintage]
    rows = [entry["provinces"][k] for k in province_keys()]
    pooled = entry["pooled"]
    assert sum(r["nobs"] for r in rows) == pooled["nobs"]
    sx, sy = sum(r["sum_deepening"] for r in rows), sum(r["sum_tfp"] for r in rows)
    assert sx == pytest.approx(pooled["sum_deepening"], rel=1e-12)
    assert sy == pytest.approx(pooled["sum_tfp"], rel=1e-12)
    assert pooled["theta"] == pytest.approx(pooled["b"] * sx / sy, rel=1e-12)
    assert pooled["se"] == pooled["se_two-way"] > pooled["se_classical"] > 0
    for r in rows:          # the test of docs/attribution.md, as stored
        lo, hi = r["theta"] - 1.96 * r["se"], r["theta"] + 1.96 * r["se"]
        assert r["informative"] == (r["p_own_holm"] < 0.05 and r["p_difference_holm"] < 0.05
                                    and lo >= 0 and hi <= 1)


@pytest.mark.parametrize("vintage", VINTAGES)
def test_guangxi_regression_recomputes(vintage):
    obs = theta_observations("guangxi", vintage, BUNDLE_OPTIONS)
    stored = province_theta("guangxi", vintage)
    assert len(obs) == stored["nobs"]
    assert float(obs["deepening"].sum()) == pytest.approx(stored["sum_deepening"], rel=1e-10)
    assert float(obs["tfp"].sum()) == pytest.approx(stored["sum_tfp"], rel=1e-10)
    fit = own_fit(obs)
    assert fit["b"] == pytest.approx(stored["b"], rel=1e-9)
    assert fit["theta"] == pytest.approx(stored["theta"], rel=1e-9)
    assert fit["se"] == pytest.approx(stored["se"], rel=1e-9)


def test_pooled_theta_is_what_the_estimate_uses():
    import klems

    res = klems.estimate("guangxi", years="2021")
    pooled = pooled_theta()
    assert res.attrs["theta"] == pooled["theta"]
    assert res.attrs["theta_pooled_se"] == pooled["se"]
    assert res.attrs["theta_source"].startswith("pooled (31 provinces")


@pytest.mark.slow
def test_full_recomputation_of_the_pooled_regression(bundle):
    """Slow (31 provinces' accounts, about 15–30 s): the pooled θ, its two-way clustered
    standard error and the informative provinces of the default vintage recompute exactly."""
    import pandas as pd

    vintage = bundle["default_vintage"]
    panel = pd.concat([theta_observations(k, vintage, BUNDLE_OPTIONS) for k in province_keys()],
                      ignore_index=True)
    pooled = pooled_fit(panel)
    stored = bundle["vintages"][vintage]
    for key in ("theta", "se", "se_classical", "se_province", "se_industry", "b", "r2"):
        assert pooled[key] == pytest.approx(stored["pooled"][key], rel=1e-9), key
    fits = province_fits(panel, pooled)
    assert {k for k, r in fits.items() if r["informative"]} == \
        {k for k, r in stored["provinces"].items() if r["informative"]}
    np.testing.assert_allclose([fits[k]["theta"] for k in province_keys()],
                               [stored["provinces"][k]["theta"] for k in province_keys()],
                               rtol=1e-9)
