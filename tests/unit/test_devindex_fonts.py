"""The CJK font finder for the index charts."""

from __future__ import annotations

import warnings

import pytest

import klems.outputs.fonts as fonts


def test_found_font_has_the_glyphs():
    path = fonts.find_cjk_font()
    if path is None:
        pytest.skip("no CJK font installed (package noto-cjk-sans-otc or a system font)")
    assert fonts.has_glyphs(path, "工业互联网发展成效指数")
    assert not fonts.has_glyphs(path, "\U0001fbf9")   # a code point no CJK font covers


def test_latin_only_font_is_not_accepted():
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans")
    assert fonts.has_glyphs(dejavu, "abc")
    assert not fonts.has_glyphs(dejavu, "工业")
    assert not fonts.has_glyphs("/nonexistent/font.ttf", "a")


def test_fallback_warns_and_returns_none(monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    with pytest.warns(fonts.CJKFontWarning, match=r"no font with Chinese glyphs found .*English"):
        assert fonts.use_cjk_font() is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fonts.use_cjk_font(warn=False) is None


def test_english_labels_without_a_cjk_font(monkeypatch, tmp_path):
    """With no CJK font the charts still render, titled in English."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.axes
    import pandas as pd

    from klems.devindex import charts as index_charts
    from klems.outputs import figures

    monkeypatch.setattr(figures, "use_cjk_font", lambda **k: None)
    ranges = pd.DataFrame({"name_zh": ["基础能力"], "min_points": [10.0], "max_points": [20.0]},
                          index=["foundation"])
    seen = {}
    orig = matplotlib.axes.Axes.set_title

    def spy(self, label, *a, **k):
        seen["title"] = label
        return orig(self, label, *a, **k)

    monkeypatch.setattr(matplotlib.axes.Axes, "set_title", spy)
    out = index_charts.weight_range_chart(ranges, pd.Series({"foundation": 15.0}),
                                          tmp_path / "w.png")
    assert out.exists()
    assert seen["title"].startswith("First-level weights consistent")
