"""Writing output files safely: all or nothing.

Every output of a run is first written to a temporary name in the target folder; only when all
of them have been written are they renamed into place (``os.replace`` is atomic on one file
system). A run that fails leaves earlier outputs intact and no partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from klems.base.errors import InputDataError


class OutputSet:
    """Collects ``(final path, writer)`` pairs; :meth:`commit` writes all, then renames all."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self._pending: list[tuple[Path, Callable[[Path], None]]] = []
        self._reserved: list[tuple[Path, Path]] = []

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputDataError(f"cannot create the output folder: {exc.strerror}",
                                 file=str(self.folder)) from None

    def reserve(self, name: str) -> Path:
        """A temporary file in the folder that the caller writes now (e.g. a sweep streaming
        its draws); it becomes ``folder/name`` on :meth:`commit`, or is removed by
        :meth:`discard`."""
        self._make_folder()
        final = self.folder / name
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=self.folder)
        os.close(fd)
        self._reserved.append((Path(tmp), final))
        return Path(tmp)

    def discard(self) -> None:
        """Remove every temporary file of the set (earlier outputs are untouched)."""
        for tmp, _ in self._reserved:
            tmp.unlink(missing_ok=True)
        self._reserved.clear()

    def add(self, name: str, writer: Callable[[Path], None]) -> Path:
        """Register ``writer(path)`` to produce ``folder/name``; returns the final path."""
        final = self.folder / name
        self._pending.append((final, writer))
        return final

    def commit(self) -> list[Path]:
        self._make_folder()
        written: list[tuple[Path, Path]] = list(self._reserved)
        try:
            for final, writer in self._pending:
                fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part",
                                           dir=self.folder)
                os.close(fd)
                tmp = Path(tmp)
                written.append((tmp, final))
                writer(tmp)
        except BaseException:
            for tmp, _ in written:
                tmp.unlink(missing_ok=True)
            self._reserved.clear()
            raise
        umask = os.umask(0)
        os.umask(umask)
        for tmp, final in written:
            os.chmod(tmp, 0o666 & ~umask)   # mkstemp creates 0600; outputs get normal modes
            os.replace(tmp, final)
        self._reserved.clear()
        return [final for _, final in written]


@contextmanager
def output_set(folder) -> Iterator[OutputSet]:
    """``with output_set(dir) as out: out.add(...)`` writes everything on a clean exit only."""
    outs = OutputSet(folder)
    yield outs
    outs.commit()
