"""Fixtures shared by the validation tests (published accounts in ``../shared/reference-data``)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir(request) -> Path:
    """The project's ``../shared`` folder: the pytest rootdir's parent / ``shared``.

    Skips the requesting test, with the path it looked at, when the folder or its
    ``reference-data`` subfolder is absent (a clone without the shared data).
    """
    path = Path(request.config.rootpath).resolve().parent / "shared"
    if not (path / "reference-data").is_dir():
        pytest.skip(f"../shared/reference-data is not present beside the repository ({path}); "
                    "validation tests against published accounts need it")
    return path
