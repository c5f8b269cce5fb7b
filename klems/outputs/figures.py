"""Setting up and saving the project's matplotlib figures (all charts share this)."""

from __future__ import annotations

from klems.outputs.fonts import use_cjk_font


def chart_language(lang: str) -> str:
    """Use the non-interactive backend; for ``zh`` register a CJK font, or fall back to ``en``
    (with the warning of :func:`klems.outputs.fonts.use_cjk_font`) when no font has Chinese glyphs."""
    import matplotlib

    matplotlib.use("Agg")
    if lang == "zh":

        if use_cjk_font() is None:
            return "en"
    return lang


def finish(fig, path, *, footer: str | None = None, dpi: int = 120) -> None:
    """Write the source footer, lay out, save as PNG and close the figure."""
    import matplotlib.pyplot as plt

    if footer:
        fig.text(0.01, 0.01, footer, fontsize=7, color="0.35")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
    else:
        fig.tight_layout()
    fig.savefig(path, dpi=dpi, format="png")
    plt.close(fig)
