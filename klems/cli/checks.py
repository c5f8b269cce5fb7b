"""Checks of command-line arguments against each other and against the input, shared by the
commands (ranges of single options are checked by their types in :mod:`klems.cli.options`,
:class:`klems.pipeline.options.EstimateOptions` and :mod:`klems.base.checks`)."""

from __future__ import annotations

from pathlib import Path

from klems.base.errors import FileSystemError, ParameterError, os_error_reason
from klems.base.provinces import province
from klems.pipeline.options import check_years_available


def input_province(requested: str | None, data, source: str, *, default: str = "guangxi") -> str:
    """The province key of a run on a user's input ``data``: the one its instructions sheet
    names; ``--province`` must agree with it (a Guangxi workbook cannot be labelled Beijing)."""
    recorded = data.attrs.get("province") if data is not None else None
    if requested is not None and requested.strip().lower() == "all":
        raise ParameterError(f"--province all estimates the 31 bundled provinces; --input "
                             f"{source} is one input: give its province (or leave --province "
                             "out)")
    if recorded:
        if requested is not None and province(requested).key != recorded:
            raise ParameterError(f"--province {requested} contradicts the input {source}, whose "
                                 f"instructions sheet says province {recorded}; leave --province "
                                 "out or correct the sheet")
        return recorded
    if requested is None:
        return default
    return province(requested).key


def output_folder(path: str | None, option: str = "--out") -> Path | None:
    """An output folder: None, or a path that is not an existing file."""
    if path is None:
        return None
    p = Path(path)
    if str(path).strip() == "":
        raise ParameterError(f"{option} is empty; expected a folder")
    try:
        exists = p.exists()
    except OSError as exc:
        raise FileSystemError(f"cannot use the output folder: {os_error_reason(exc)}",
                              file=str(p)) from None
    if exists and not p.is_dir():
        raise ParameterError(f"{option} {path!r} is a file; expected a folder for the outputs")
    return p


def output_file(path: str | None, suffixes: tuple[str, ...], option: str = "--out") -> Path | None:
    """An output file name with one of ``suffixes``, not an existing folder."""
    if path is None:
        return None
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        kind = {".nc": "a NetCDF file name", ".xlsx": "an Excel file name",
                ".csv": "a CSV file name", ".png": "a PNG file name"}.get(suffixes[0],
                                                                        "a file name")
        raise ParameterError(f"{option} {path!r}: expected {kind} ending in "
                             f"{' or '.join(suffixes)}")
    if p.is_dir():
        raise ParameterError(f"{option} {path!r} is a folder; expected a file name")
    return p


def workbook_command(args, command: str) -> Path:
    """The checks ``klems yearbook`` and ``klems extend`` share: ``--out`` is an .xlsx name,
    ``--io-table`` is not theirs, ``--vintage`` (the bundled data) excludes ``--base`` (one's
    own workbook). Returns the output path."""
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise ParameterError(f"--out {args.out!r}: expected a name ending in .xlsx")
    if args.io_table:
        raise ParameterError(f"--io-table is not used by klems {command}; give it to klems "
                             "estimate")
    if args.base and args.vintage:
        raise ParameterError("--vintage chooses the bundled data; it cannot be combined "
                             "with --base (your own workbook)")
    return out


def years_within(span, available, what: str, province: str = "guangxi") -> None:
    """``span`` (first, last) must lie within the ``available`` years; a year beyond them names
    the last year there is and the commands that add one (one check for every command)."""
    try:
        check_years_available(span, sorted(int(y) for y in available), province=province,
                              what=f"the {what}'s years")
    except ParameterError as exc:
        raise ParameterError(f"--years {span[0]}-{span[1]}: {exc}") from None
