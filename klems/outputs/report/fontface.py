"""The report's Chinese font, embedded: a subset of Noto Sans CJK SC as a CSS ``@font-face``.

The HTML report must show Chinese on a machine without any CJK font and stay one file. The
project ships Noto Sans CJK (package ``noto-cjk-sans-otc``, SIL OFL 1.1, which allows embedding
and subsetting); :func:`font_face` cuts the Simplified Chinese face of the collection down to the
characters the report uses (fontTools' subsetter, the reference implementation) and returns a
``@font-face`` rule with the font as a ``data:`` URL — WOFF2 when Brotli is installed, else
OpenType. A few hundred glyphs make about 0.2–0.4 MB instead of the collection's 19 MB.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from klems.outputs.fonts import find_cjk_font

FAMILY = "KlemsCJK"
#: face of the collection to use (Noto Sans CJK SC: Simplified Chinese forms)
PREFERRED = "Noto Sans CJK SC"
#: always kept (digits, Latin letters, punctuation the tables use)
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "，。、；：？！（）《》“”‘’—…·–％×−≤≥±→←θμδβΔΣ²"


def _face_index(path) -> int:
    from fontTools.ttLib import TTCollection

    try:
        coll = TTCollection(str(path), lazy=True)
    except Exception:   # noqa: BLE001 - not a collection: a single font file
        return -1
    for i, font in enumerate(coll.fonts):
        if font["name"].getDebugName(1) == PREFERRED:
            return i
    return 0


@lru_cache(maxsize=8)
def _subset(text: str) -> tuple[bytes, str] | None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = find_cjk_font()
    if path is None:
        return None
    index = _face_index(path)
    font = TTFont(str(path), fontNumber=max(index, 0), lazy=False) if index >= 0 \
        else TTFont(str(path))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(set(text + BASE_CHARS))))
    sub.subset(font)
    try:
        import brotli  # noqa: F401 - WOFF2 needs it

        font.flavor = "woff2"
        fmt = "woff2"
    except ImportError:
        font.flavor = None
        fmt = "opentype"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue(), fmt


def font_face(text: str) -> str:
    """A ``@font-face`` rule for the family :data:`FAMILY` with every glyph ``text`` needs, or
    an empty string when no CJK font is installed (the report then names the system fonts)."""
    found = _subset(text)
    if found is None:
        return ""
    data, fmt = found
    mime = "font/woff2" if fmt == "woff2" else "font/otf"
    url = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f"@font-face {{ font-family: '{FAMILY}'; src: url({url}) format('{fmt}'); "
            "font-weight: 400; font-style: normal; }")
