"""Writing output files safely: all or nothing, whatever the operating system or a signal does.

Every output of a run is first written to a temporary name in the target folder; only when all
of them have been written are they renamed into place (``os.replace`` is atomic on one file
system). A run that fails — an error, a full disk, a read-only file system, Ctrl-C, ``kill``
(SIGTERM) or a closed terminal (SIGHUP) — leaves earlier outputs intact and no partial file
behind:

* every temporary file (written by :meth:`OutputSet.commit`, or reserved with
  :meth:`OutputSet.reserve` for a writer that streams into it, as the sweep does) is registered
  until it is renamed or removed; :func:`remove_temporary_files` removes whatever is left (the
  command line calls it on every exit, so even an error outside an ``OutputSet`` cannot leave
  one);
* the renames run with SIGINT, SIGTERM and SIGHUP blocked, so a signal cannot leave half the
  files renamed; the signal is delivered right after;
* every :class:`OSError` becomes one :class:`~klems.base.errors.FileSystemError` naming the path
  and the system's reason;
* files get the modes of ordinary files (``0666`` less the umask: ``0644`` under the usual
  umask 022) — ``mkstemp`` would leave them ``0600``.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from klems.base.errors import FileSystemError, os_error_reason

#: temporary files of every live OutputSet (removed on any exit by remove_temporary_files)
_LIVE: set[Path] = set()
_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


def file_mode() -> int:
    """The mode of a new ordinary file under the current umask (0644 under umask 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def remove_temporary_files() -> list[Path]:
    """Remove every temporary file that an :class:`OutputSet` still holds; returns them."""
    removed = sorted(_LIVE)
    for tmp in removed:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
    _LIVE.clear()
    return removed


def _error(action: str, path: Path, exc: OSError) -> FileSystemError:
    return FileSystemError(f"cannot {action}: {os_error_reason(exc)}", file=str(path))


def _library_error(path: Path, exc: Exception) -> FileSystemError:
    """A library's own error for a failed write (NetCDF/HDF5 raise RuntimeError on a full
    disk), with how much room the file system has left."""
    try:
        free = shutil.disk_usage(path.parent if path.parent.is_dir() else ".").free
    except OSError:
        free = None
    room = "" if free is None else (f"; {free:,} bytes free on its file system"
                                    + (": the disk is full" if free < 1 << 20 else ""))
    return FileSystemError(f"cannot write the output file ({exc}){room}", file=str(path))


@contextmanager
def writing(path: Path):
    """Errors of the operating system or of a file library while ``path`` is written become
    one :class:`FileSystemError` naming it."""
    try:
        yield
    except OSError as exc:
        raise _error("write the output file", Path(path), exc) from None
    except RuntimeError as exc:
        if not str(exc).startswith(("NetCDF", "HDF")):
            raise
        raise _library_error(Path(path), exc) from None


@contextmanager
def _signals_deferred():
    """Block SIGINT/SIGTERM/SIGHUP (delivered when the block ends) in the main thread."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


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
        if self.folder.is_dir():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error("create the output folder", self.folder, exc) from None

    def _temporary(self, final: Path) -> Path:
        """A new empty temporary file beside ``final`` (registered until renamed/removed)."""
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{final.name[:200]}.", suffix=".part",
                                       dir=self.folder)
        except OSError as exc:
            raise _error("write the output file", final, exc) from None
        os.close(fd)
        tmp = Path(tmp)
        _LIVE.add(tmp)
        return tmp

    def _check_name(self, name: str) -> Path:
        final = self.folder / name
        try:
            limit = os.pathconf(self.folder if self.folder.is_dir() else ".", "PC_NAME_MAX")
        except (OSError, ValueError):
            limit = 255
        if len(os.fsencode(final.name)) > limit:
            raise FileSystemError(f"cannot write the output file: the file name is too long "
                                  f"({len(os.fsencode(final.name))} bytes; the file system "
                                  f"allows {limit})", file=str(final))
        return final

    def reserve(self, name: str) -> Path:
        """A temporary file in the folder that the caller writes now (e.g. a sweep streaming
        its draws); it becomes ``folder/name`` on :meth:`commit`, or is removed by
        :meth:`discard` (or by :func:`remove_temporary_files` on any exit)."""
        final = self._check_name(name)
        self._make_folder()
        tmp = self._temporary(final)
        self._reserved.append((tmp, final))
        return tmp

    def discard(self) -> None:
        """Remove every temporary file of the set (earlier outputs are untouched)."""
        for tmp, _ in self._reserved:
            tmp.unlink(missing_ok=True)
            _LIVE.discard(tmp)
        self._reserved.clear()

    def add(self, name: str, writer: Callable[[Path], None]) -> Path:
        """Register ``writer(path)`` to produce ``folder/name``; returns the final path."""
        final = self._check_name(name)
        self._pending.append((final, writer))
        return final

    @property
    def names(self) -> list[str]:
        """Names of the files the set will write (reserved and registered)."""
        return [f.name for _, f in self._reserved] + [f.name for f, _ in self._pending]

    def commit(self) -> list[Path]:
        """Write every registered file to its temporary name, then rename all into place."""
        written: list[tuple[Path, Path]] = list(self._reserved)
        try:
            self._make_folder()
            for final, writer in self._pending:
                tmp = self._temporary(final)
                written.append((tmp, final))
                with writing(final):
                    writer(tmp)
            mode = file_mode()
            with _signals_deferred():
                for tmp, final in written:
                    try:
                        os.chmod(tmp, mode)
                        os.replace(tmp, final)
                    except OSError as exc:
                        raise _error("write the output file", final, exc) from None
                    _LIVE.discard(tmp)
        except BaseException:
            for tmp, _ in written:
                tmp.unlink(missing_ok=True)
                _LIVE.discard(tmp)
            self._reserved.clear()
            self._pending.clear()
            raise
        self._reserved.clear()
        self._pending.clear()
        return [final for _, final in written]


@contextmanager
def output_set(folder) -> Iterator[OutputSet]:
    """``with output_set(dir) as out: out.add(...)`` writes everything on a clean exit only."""
    outs = OutputSet(folder)
    try:
        yield outs
    except BaseException:
        outs.discard()
        raise
    outs.commit()
