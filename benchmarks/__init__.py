"""Speed and memory benchmarks of the estimator (run ``python -m benchmarks`` from the repo root).

Every figure is measured in the same run as its baselines and reported as a ratio; nothing here
is asserted in unit tests (a smoke test only checks that the runner starts).
"""
