"""Bundled data of the klems estimator (installed from the repository folder ``data/``)."""
