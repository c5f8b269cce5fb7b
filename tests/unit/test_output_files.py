"""Outputs are all written or none: a failing writer leaves earlier files intact."""

from __future__ import annotations

import pytest

from klems.outputs.files import output_set


def test_all_outputs_appear_together(tmp_path):
    with output_set(tmp_path) as out:
        out.add("a.csv", lambda p: p.write_text("a"))
        out.add("b.csv", lambda p: p.write_text("b"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_failure_keeps_earlier_outputs_and_leaves_no_partial_file(tmp_path):
    (tmp_path / "a.csv").write_text("old")

    def broken(p):
        p.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        with output_set(tmp_path) as out:
            out.add("a.csv", lambda p: p.write_text("new"))
            out.add("b.csv", broken)
    assert (tmp_path / "a.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
