"""What a command says on stderr besides its results: notes, details, progress.

``--quiet`` keeps stderr to errors and warnings; ``--verbose`` adds timings and details.
Progress is drawn only on a terminal: a redirected stderr (a log file, a pipe) gets no
carriage-return bars.
"""

from __future__ import annotations

import sys


def quiet(args) -> bool:
    return bool(getattr(args, "quiet", False))


def verbose(args) -> bool:
    return bool(getattr(args, "verbose", False))


def note(args, message: str) -> None:
    """An informational line on stderr (not with --quiet)."""
    if not quiet(args):
        print(message, file=sys.stderr, flush=True)


def detail(args, message: str) -> None:
    """A line on stderr with --verbose only."""
    if verbose(args):
        print(message, file=sys.stderr, flush=True)


def progress_stream(args, stream=None):
    """The stream to draw progress on, or None (--quiet, or not a terminal)."""
    stream = sys.stderr if stream is None else stream
    if quiet(args):
        return None
    try:
        return stream if stream.isatty() else None
    except (AttributeError, ValueError):
        return None
