"""klems: digital-economy scale (数字经济规模) by KLEMS growth accounting.

Public functions are imported lazily so that ``import klems`` stays fast (the base layer, which
``capital_stock`` and ``price_index`` import, must not pull in the rest). No submodule of
``klems`` has the name of a public function, so ``klems.estimate`` is the function whatever was
imported before (a test imports every submodule first and then calls each public name).
The layers: docs/architecture.md.
"""

from __future__ import annotations

from importlib import import_module

from klems.base.version import __version__

# public name -> module that defines it
_LAZY = {
    "tornqvist": "klems.accounts.growth_accounting",
    "capital_services": "klems.accounts.user_costs",
    "estimate": "klems.pipeline.estimation",
    "load_dataset": "klems.datasets.bundled",
    "ahp_weights": "klems.devindex.ahp",
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
