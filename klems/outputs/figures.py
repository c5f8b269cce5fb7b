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


def finish(fig, path, *, footer: str | None = None, dpi: int = 120, rect=None,
           watermark: str | None = None) -> None:
    """Write the source footer, lay out (within ``rect`` when given), save as PNG and close.
    ``watermark`` (e.g. SYNTHETIC) is written large across the figure and in its top corner."""
    import matplotlib.pyplot as plt

    if watermark:
        fig.text(0.5, 0.5, watermark, fontsize=40, color="#c00000", alpha=0.18, rotation=30,
                 ha="center", va="center", zorder=100)
        fig.text(0.99, 0.99, watermark, fontsize=9, color="#c00000", ha="right", va="top")
    if footer:
        fig.text(0.01, 0.01, footer, fontsize=7, color="0.35")
        fig.tight_layout(rect=rect or (0, 0.03, 1, 1))
    else:
        fig.tight_layout(rect=rect or (0, 0, 1, 1))
    fig.savefig(path, dpi=dpi, format="png")
    plt.close(fig)


def year_axis(ax, years, max_labels: int = 12) -> list[int]:
    """Integer year ticks that never touch: every year a tick, at most ``max_labels`` labelled
    (every 2nd or 3rd year for 22+ years, always the last). Returns the labelled years."""
    import math

    years = [int(y) for y in years]
    step = max(1, math.ceil(len(years) / max_labels))
    shown = years[::-1][::step][::-1]        # count back from the last year: it is labelled
    ax.set_xticks(years, minor=True)
    ax.set_xticks(shown)
    ax.set_xticklabels([str(y) for y in shown])
    ax.tick_params(axis="x", which="minor", length=2)
    return shown
