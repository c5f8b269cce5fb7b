"""``python -m data.build``: build the bundled province datasets (see build_datasets.py)."""

import sys

from .build_datasets import main

sys.exit(main())
