"""klems: digital-economy scale (数字经济规模) by KLEMS growth accounting.

Public functions are imported lazily so that ``import klems`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("klems-digital-economy")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

# public name -> module that defines it
_LAZY = {
    "tornqvist": "klems.tornqvist",
    "capital_services": "klems.user_cost",
    "estimate": "klems.estimate",
    "load_dataset": "klems.datasets",
    "ahp_weights": "klems.ahp",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        obj = getattr(import_module(_LAZY[name]), name)
        globals()[name] = obj
        return obj
    raise AttributeError(f"module 'klems' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
