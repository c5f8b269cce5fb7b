"""Where the project's data files are: the package ``klems.data`` (installed from the repository
folder ``data/``), read with :mod:`importlib.resources`, never through ``__file__``.

When the code runs from a source tree that is not installed (``python -m data.build`` from the
repository root, where ``klems`` is the folder and ``klems/data`` does not exist), the same files
are found through the top-level package ``data`` of that tree.
"""

from __future__ import annotations

from importlib import import_module
from importlib.resources import files
from importlib.resources.abc import Traversable


def data_root() -> Traversable:
    """The root of the bundled data (``klems.data``, or ``data`` in an uninstalled source tree)."""
    for package in ("klems.data", "data"):
        try:
            import_module(package)
        except ModuleNotFoundError:
            continue
        return files(package)
    raise ModuleNotFoundError("neither the package klems.data nor a source tree's data/ is "
                              "importable; reinstall with `pip install .`")


def data_file(*parts: str) -> Traversable:
    """A file of the bundled data, e.g. ``data_file("built", "guangxi.nc")``."""
    node = data_root()
    for part in parts:
        node = node / part
    return node
