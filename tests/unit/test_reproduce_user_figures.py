"""A user's own published totals replace the bundled figures in the comparison."""

from __future__ import annotations

import json

from klems.datasets.bundled import load_dataset
from klems.pipeline.reproduction import reproduce


def test_user_published_figures_are_compared():
    data = load_dataset("guangxi")
    data.attrs["published_figures"] = json.dumps([
        {"figure": "digital_economy", "year": 2019, "value": 6000.0, "unit": "1e8 CNY"}])
    res = reproduce("guangxi", calibrate=(), data=data)
    table = res["calibrated_table"]
    assert table[["figure", "year", "published"]].values.tolist() == [
        ["digital_economy", 2019, 6000.0]]
    assert table.iloc[0].source == "user input"
