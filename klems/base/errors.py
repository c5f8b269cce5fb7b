"""Domain errors and warnings of the project.

Every error names *where* the problem is (file, sheet, row, column, industry, year, asset) and
*what was expected*, so that the CLI can print one clear message and exit with status 2.
Errors subclass :class:`ValueError` so that callers who do not know the project still catch them.
"""

from __future__ import annotations

import errno
import os


class KlemsError(ValueError):
    """Base class of all the project's domain errors."""

    def __init__(self, message: str, **where):
        self.where = {k: v for k, v in where.items() if v is not None}
        if self.where:
            loc = ", ".join(f"{k} {v}" for k, v in self.where.items())
            message = f"{message} [{loc}]"
        super().__init__(message)


class InputDataError(KlemsError):
    """Input data that cannot be used: NaN, negative, non-numeric, missing, inconsistent."""


class ParameterError(KlemsError):
    """A method parameter outside its admissible range (mean life <= 0, beta outside [0, 1), ...)."""


class UnknownProvinceError(KlemsError):
    """A province name that is not one of the 31 provinces or the nation."""


class FileSystemError(KlemsError):
    """The operating system refused a file (read-only file system, disk full, name too long,
    permission, no such folder): one message naming the path and the system's reason."""


def os_error_reason(exc: OSError) -> str:
    """The system's reason of an :class:`OSError` in words (``No space left on device``)."""
    if exc.errno is not None:
        hint = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
                errno.ENAMETOOLONG: "the file name is too long",
                errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
                errno.EDQUOT: "the disk quota is exceeded"}.get(exc.errno)
        text = exc.strerror or os.strerror(exc.errno)
        return f"{text} ({hint})" if hint and hint.lower() != text.lower() else text
    return str(exc) or type(exc).__name__


class DimensionError(KlemsError):
    """Arrays whose dimensions or coordinates do not match."""


class KlemsWarning(UserWarning):
    """Base class of the project's warnings (counted and listed in outputs)."""


class PrintedFormulaWarning(KlemsWarning):
    """A formula used exactly as printed in the source although it is known to be wrong."""


class ClippedUserCostWarning(KlemsWarning):
    """Negative user costs were set to zero."""


class ModelledDataWarning(KlemsWarning):
    """Series that were interpolated, extrapolated or regionalised rather than published."""
