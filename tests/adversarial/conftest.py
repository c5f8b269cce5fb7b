"""Fixtures of the adversarial suite: a user's input (the Guangxi template, 2016-2022) as a CSV
folder and a workbook, built once per session from the bundled data."""

from __future__ import annotations

import pytest

from klems.inputs.template import template_tables, write_csv_sheet, write_template

YEARS = "2016-2022"


@pytest.fixture(scope="session")
def user_input(tmp_path_factory):
    """(csv folder, xlsx workbook) of Guangxi's template, 2016-2022."""
    root = tmp_path_factory.mktemp("adversarial_input")
    sheets = template_tables("guangxi", YEARS)
    folder = root / "guangxi_csv"
    folder.mkdir()
    for s in sheets:
        write_csv_sheet(folder / f"{s.name}.csv", s)
    xlsx = root / "guangxi.xlsx"
    write_template(xlsx, sheets)
    return folder, xlsx
