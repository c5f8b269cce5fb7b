"""The report as PDF: WeasyPrint (from PyPI, a project dependency), else headless Chromium.

WeasyPrint renders HTML and CSS paged media (``@page``: A4, margins, page numbers) in Python;
it needs the Pango library of the system (``libpango-1.0-0`` on Debian, present on a desktop
and in most Python images). When WeasyPrint cannot be loaded, Chromium (Debian package
``chromium``) prints the page with ``--print-to-pdf``. When neither works, :func:`write_pdf`
raises :class:`PDFUnavailable` with what to install — the HTML report is written regardless.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from klems.base.choices import expected_one_of
from klems.base.errors import KlemsError

ENGINES = ("auto", "weasyprint", "chromium")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: flags for a headless Chromium that touches no network (the machine may have none)
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync")


class PDFUnavailable(KlemsError):
    """No PDF engine works here (the message says what to install)."""


def find_chromium() -> str | None:
    """Path of a Chromium (or Chrome) executable, or None."""
    env = os.environ.get("KLEMS_CHROMIUM")
    if env and Path(env).is_file():
        return env
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(chromium: str, profile: str, *extra: str) -> list[str]:
    """A headless Chromium command line with an empty profile folder ``profile``."""
    return [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra]


def _weasyprint(html: Path, pdf: Path) -> None:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:     # OSError: the Pango library is missing
        raise PDFUnavailable(f"WeasyPrint cannot be loaded ({str(exc).splitlines()[0]})") \
            from None
    weasyprint.HTML(filename=str(html)).write_pdf(str(pdf))


def _chromium(html: Path, pdf: Path, timeout: float = 120.0) -> None:
    chromium = find_chromium()
    if chromium is None:
        raise PDFUnavailable("no Chromium found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="klems-chromium-") as profile:
        cmd = chromium_command(chromium, profile, "--no-pdf-header-footer",
                               f"--print-to-pdf={pdf}", html.resolve().as_uri())
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PDFUnavailable(f"Chromium did not finish printing within {timeout:.0f} s") \
                from None
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise PDFUnavailable(f"Chromium could not print the report (exit {proc.returncode}): "
                             f"{proc.stderr.strip()[-300:]}")


def write_pdf(html: str | os.PathLike, pdf: str | os.PathLike, engine: str = "auto") -> str:
    """Print the HTML file ``html`` to ``pdf``; returns the engine used.

    ``engine``: ``weasyprint``, ``chromium`` or ``auto`` (WeasyPrint, then Chromium)."""
    html, pdf = Path(html), Path(pdf)
    order = {"auto": ("weasyprint", "chromium"), "weasyprint": ("weasyprint",),
             "chromium": ("chromium",)}.get(engine)
    if order is None:
        expected_one_of("PDF engine", engine, ENGINES, error=PDFUnavailable)
    reasons = []
    for name in order:
        try:
            (_weasyprint if name == "weasyprint" else _chromium)(html, pdf)
            return name
        except PDFUnavailable as exc:
            reasons.append(f"{name}: {exc}")
    raise PDFUnavailable("no PDF written — " + "; ".join(reasons) + ". Install the Python "
                         "package weasyprint with the system library Pango "
                         "(Debian: libpango-1.0-0), or Chromium (Debian: chromium); the HTML "
                         "report has been written")
