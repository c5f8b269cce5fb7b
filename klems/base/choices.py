"""One check for a value that must be one of a fixed set, with one wording of the message."""

from __future__ import annotations

from collections.abc import Iterable

from klems.base.errors import ParameterError


def expected_one_of(what: str, value, choices: Iterable, *, of: str = "", error=ParameterError,
                    hint: str = "", **where) -> str:
    """Return ``value`` when it is in ``choices``; raise ``error`` saying what was expected.

    ``what`` names the thing checked (``"attribution rule"``, ``"--profile"``), ``of`` what it
    belongs to (``"asset hardware"``); ``hint`` is added to the message (e.g. the option that
    fixes it); ``where`` names the place (asset, industry, year…) for the error's location.
    """
    options = tuple(choices)
    if value in options:
        return value
    owner = f" of {of}" if of else ""
    message = f"unknown {what} {value!r}{owner}; expected one of {', '.join(map(str, options))}"
    if hint:
        message += f" ({hint})"
    raise error(message, **where)
