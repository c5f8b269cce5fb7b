"""Build ``data/built/theta.json``: the pooled θ of the 31 provinces and each province's own
regression with its test, per data vintage (build-only code).

Usage (from the repository root)::

    python -m data.build.theta [--vintages 2023-census,2018-census]

Runs the accounts of the 31 provinces and the nation at the default options (the accounts do not
depend on the attribution rule or θ), fits the regressions of :mod:`klems.pipeline.theta_panel`
and writes them with their provenance: the vintage and SHA-256 of every dataset read, the
options, the project version and the git commit of the tree. About one minute per vintage on
one core. ``tests/validation/test_theta_bundle.py`` checks that the file is current (datasets'
hashes, and Guangxi's regression recomputed); the full recomputation is a slow test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from klems.base.provinces import province_keys
from klems.base.version import __version__
from klems.datasets.bundled import VINTAGES, dataset_file
from klems.datasets.theta_estimates import THETA_FILE
from klems.pipeline.theta_panel import (
    BUNDLE_OPTIONS as OPTIONS,
    INFORMATIVE_TEST,
    accounts_options,
    own_fit,
    pooled_fit,
    province_fits,
    theta_observations,
)

DATA = Path(__file__).resolve().parents[1]


def _commit() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=12"],
                              cwd=DATA, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_vintage(vintage: str, keys=None) -> dict:
    keys = keys or province_keys()
    import pandas as pd

    panel = pd.concat([theta_observations(k, vintage, OPTIONS) for k in keys],
                      ignore_index=True)
    pooled = pooled_fit(panel)
    provinces = province_fits(panel, pooled)
    provinces["china"] = own_fit(theta_observations("china", vintage, OPTIONS))
    hashes = {k: _sha256(DATA / "built" / dataset_file(k, vintage)) for k in [*keys, "china"]}
    return {"pooled": pooled, "provinces": provinces, "datasets_sha256": hashes}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the bundled θ regressions.")
    parser.add_argument("--vintages", default=",".join(VINTAGES))
    parser.add_argument("--out", type=Path, default=DATA / "built" / THETA_FILE)
    args = parser.parse_args(argv)
    vintages = [v.strip() for v in args.vintages.split(",") if v.strip()]
    unknown = [v for v in vintages if v not in VINTAGES]
    if unknown:
        parser.error(f"unknown vintage(s) {unknown}; expected some of {', '.join(VINTAGES)}")
    start = time.perf_counter()
    options = accounts_options(OPTIONS)
    bundle = {
        "description": "θ = b Σx / ΣΔHA, b the OLS slope of gross-output TFP growth on ICT "
                       "capital deepening (klems.pipeline.theta_panel); pooled over the 31 "
                       "provinces' industry-years, standard errors clustered two-way by "
                       "province and industry",
        "built_by": "python -m data.build.theta",
        "project_version": __version__,
        "git_commit": _commit(),
        "options": options,
        "default_vintage": VINTAGES[0],
        "informative_test": INFORMATIVE_TEST,
        "vintages": {},
    }
    for v in vintages:
        bundle["vintages"][v] = build_vintage(v)
        p = bundle["vintages"][v]["pooled"]
        inf = [k for k, r in bundle["vintages"][v]["provinces"].items() if r["informative"]]
        print(f"{v}: pooled θ {p['theta']:.4f} (s.e. {p['se']:.4f} two-way; "
              f"{p['se_classical']:.4f} classical), R² {p['r2']:.4f}, n {p['nobs']}; "
              f"informative: {', '.join(inf) or 'none'}")
    args.out.write_text(json.dumps(bundle, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
