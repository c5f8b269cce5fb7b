"""Speed and memory benchmarks of the estimator (run ``python -m benchmarks`` from the repo root).

Every figure is measured in the same run as its baselines and reported as a ratio; nothing here
is asserted in unit tests (a smoke test only checks that the runner starts).

The benchmarks measure the *installed* packages. ``python -m`` and ``python -c`` put the
repository root first on ``sys.path``, where the source folders would shadow the installed
``klems`` (whose bundled data, ``klems.data``, exists only in the installed layout); so the root
is moved to the end of ``sys.path`` here, before anything imports ``klems``.
"""

import os as _os
import sys as _sys

_ROOT = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
_front = [p for p in _sys.path if _os.path.abspath(p or _os.curdir) == _ROOT]
if _front:
    _sys.path[:] = [p for p in _sys.path if p not in _front] + _front
