"""A font with Chinese glyphs for matplotlib charts, or English labels with a warning.

Search order: fonts shipped inside Python packages (``noto-cjk-sans-otc``: Noto Sans CJK,
SIL OFL 1.1, the one the project depends on; ``manimgx-fonts-cjk``), then every font matplotlib
finds on the system (``font_manager.findSystemFonts``) whose family is a known CJK family
(Noto Sans/Serif CJK, Source Han, WenQuanYi, Droid Sans Fallback, AR PL, SimHei, Microsoft YaHei,
PingFang, Hiragino, Heiti). A candidate is used only if it really has glyphs for the test string
(checked with FreeType through matplotlib).
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from importlib import import_module
from importlib.resources import files
from pathlib import Path

from klems.base.errors import KlemsWarning

TEST_STRING = "工业互联网发展成效指数基础能力梯队"
# (module, file inside it) of Python packages that ship a CJK font
PACKAGED_FONTS = (
    ("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc"),
    ("manimgx_fonts_cjk", "NotoSansCJK-VF.otf.ttc"),
)
CJK_FAMILY_HINTS = ("noto sans cjk", "noto serif cjk", "source han", "wenquanyi", "wqy",
                    "droid sans fallback", "ar pl", "simhei", "simsun", "microsoft yahei",
                    "pingfang", "hiragino", "heiti", "songti", "notosanscjk", "sourcehan")


class CJKFontWarning(KlemsWarning):
    """No font with Chinese glyphs was found: charts fall back to English labels."""


def has_glyphs(path, text: str = TEST_STRING) -> bool:
    """Whether the font file has a glyph for every character of ``text``."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text if not ch.isspace())


def _packaged_candidates():
    for module, name in PACKAGED_FONTS:
        try:
            import_module(module)
        except ImportError:
            continue
        path = files(module).joinpath(name)
        if path.is_file():
            yield Path(str(path))


def _system_candidates():
    from matplotlib import font_manager

    for path in sorted(font_manager.findSystemFonts()):
        low = Path(path).name.lower().replace("-", " ").replace("_", " ")
        if any(h in low for h in CJK_FAMILY_HINTS):
            yield Path(path)
    for entry in font_manager.fontManager.ttflist:
        if any(h in entry.name.lower() for h in CJK_FAMILY_HINTS):
            yield Path(entry.fname)


@lru_cache(maxsize=1)
def find_cjk_font() -> Path | None:
    """Path of the first font with Chinese glyphs (packaged fonts first), or None."""
    seen = set()
    for path in (*_packaged_candidates(), *_system_candidates()):
        if path in seen:
            continue
        seen.add(path)
        if has_glyphs(path):
            return path
    return None


def use_cjk_font(*, warn: bool = True) -> str | None:
    """Register the CJK font with matplotlib and make it the default sans-serif family.

    Returns the family name, or None (with a :class:`CJKFontWarning`) when no font has the
    glyphs — the caller should then label charts in English.
    """
    from matplotlib import font_manager, rcParams

    path = find_cjk_font()
    if path is None:
        if warn:
            warnings.warn("no font with Chinese glyphs found (install the Python package "
                          "'noto-cjk-sans-otc' or a system CJK font such as fonts-noto-cjk): "
                          "charts use English labels", CJKFontWarning, stacklevel=2)
        return None
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [name, *[f for f in rcParams["font.sans-serif"] if f != name]]
    rcParams["axes.unicode_minus"] = False
    return name
