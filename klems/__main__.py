"""``python -m klems``: the command-line interface (same as the ``klems`` console script)."""

import sys

from klems.cli import run

sys.exit(run())
