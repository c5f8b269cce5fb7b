"""Build of the bundled datasets (build-only code: not part of the installed ``klems`` package).

Run from the repository root::

    python -m data.build                     # the province datasets, both vintages (data/built/)
    python -m data.build.build_price_deflators   # data/price_deflators_2000_2024.csv
    python -m data.build.backtests           # the back-tests of the regionalisation
    python -m data.build.report_datasets     # summary tables of the built datasets

Run this way, ``import klems`` resolves to the source tree, which has no ``klems/data``: the
package data of ``klems`` is the folder ``data/`` (see pyproject.toml). So that the build reads the
classification tables, the national tables and the price sources of *this* tree, importing
``data.build`` registers this folder's package ``data`` as ``klems.data`` (:func:`use_this_tree`)
unless ``klems.data`` already resolves to this very folder (an editable install).
"""

from __future__ import annotations

import sys
from pathlib import Path


def use_this_tree() -> None:
    """Make ``klems.data`` the ``data`` package of this repository for the rest of the process."""
    import importlib

    tree = sys.modules.get("data") or importlib.import_module("data")
    here = Path(tree.__file__).resolve().parent
    current = sys.modules.get("klems.data")
    if current is not None and Path(current.__file__).resolve().parent == here:
        return
    sys.modules["klems.data"] = tree
    klems = importlib.import_module("klems")
    setattr(klems, "data", tree)


use_this_tree()
