"""Fixtures shared by all test folders."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir(request) -> Path:
    """The project's ``../shared`` folder (reference data, source documents); skip when absent."""
    path = Path(request.config.rootpath).resolve().parent / "shared"
    if not (path / "reference-data").is_dir():
        pytest.skip(f"../shared/reference-data is not present beside the repository ({path}); "
                    "reference-data tests need it")
    return path
