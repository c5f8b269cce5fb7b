"""Runs from a file: ``--config run.toml`` for every command, and the configuration every output
records (``klems rerun`` reads it back).

A configuration file is TOML whose keys are the options' names, without the dashes
(``province = "hunan"``, ``ict-scale = 1.2`` or ``ict_scale = 1.2``,
``set = ["hardware.beta=0.7"]``, ``no-charts = true``; paths relative to the working folder).
Options given on the command line override the file (a list option such as ``--set`` or
``--param`` given on the command line replaces the file's list). Every value goes
through the same argument types and choices as on the command line, so the same checks run; a
key that is not an option of the command is an error naming the key and the file. A table
``[run]`` holds what a run recorded (command, version, input checksums, files written) and is
not an option.

Every command that writes files writes beside them ``<name>.run.toml``: the full configuration
(every option, defaults included) under the keys above plus the ``[run]`` table. NetCDF outputs
also carry it as the global attribute ``klems_configuration``. ``klems rerun FILE`` takes either.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import math
import shlex
import sys
import tomllib
from pathlib import Path

from klems.base.errors import FileSystemError, ParameterError, os_error_reason
from klems.base.version import __version__

#: options every command has that are not part of a run's configuration
NOT_RECORDED = {"help", "config", "quiet", "verbose", "version", "func", "command", "action"}
RUN_TABLE = "run"
ATTRIBUTE = "klems_configuration"


# ---- reading ---------------------------------------------------------------------------------

def read_toml(path) -> dict:
    """A TOML file as a dict; errors name the file (and the line of a syntax error)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileSystemError(f"cannot read the configuration file: {os_error_reason(exc)}",
                              file=str(path)) from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ParameterError("the configuration file is not UTF-8 text; expected a TOML file "
                             "(key = value lines)", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"not a valid TOML file ({exc}); expected key = value lines such "
                             "as province = \"guangxi\"", file=str(path)) from None


def _actions(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Key -> action for every option of ``parser`` (option names without dashes, with '-' or
    '_', and the destination)."""
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.dest in NOT_RECORDED:
            continue
        names = [s.lstrip("-") for s in action.option_strings] or [action.dest]
        for name in (*names, action.dest):
            out[name] = action
            out[name.replace("-", "_")] = action
            out[name.replace("_", "-")] = action
    return out


def _convert(action: argparse.Action, key: str, value, source: str):
    where = f"{key} = {value!r} in {source}"
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
        if not isinstance(value, bool):
            raise ParameterError(f"{where}: expected true or false")
        return value
    if isinstance(action, argparse._AppendAction):
        items = value if isinstance(value, list) else [value]
        return [_one(action, key, v, source) for v in items]
    if isinstance(value, (list, dict)):
        raise ParameterError(f"{where}: expected a single value")
    return _one(action, key, value, source)


def _one(action, key, value, source):
    where = f"{key} = {value!r} in {source}"
    if isinstance(value, (dict, list)) or isinstance(value, bool) and action.type is not None:
        raise ParameterError(f"{where}: expected a single value")
    if isinstance(value, float) and not math.isfinite(value) and action.type is None:
        raise ParameterError(f"{where}: expected a finite number")
    if isinstance(value, (_dt.date, _dt.time, _dt.datetime)):
        raise ParameterError(f"{where}: expected a number or text, not a date")
    text = repr(value) if isinstance(value, float) else str(value)
    try:
        converted = action.type(text) if action.type is not None else \
            (value if isinstance(value, str) else text)
    except (argparse.ArgumentTypeError, TypeError, ValueError) as exc:
        raise ParameterError(f"{where}: {exc}") from None
    if action.choices is not None and converted not in action.choices:
        raise ParameterError(f"{where}: expected one of "
                             f"{', '.join(map(str, action.choices))}")
    return converted


def apply_config(parser: argparse.ArgumentParser, config: dict, source: str,
                 command: str) -> dict:
    """Make ``config``'s values the defaults of ``parser`` (so the command line overrides them);
    returns the list options' values, which the caller applies only when the command line gives
    none (see :func:`fill_lists`)."""
    actions = _actions(parser)
    recorded = config.get(RUN_TABLE, {})
    if RUN_TABLE in config and not isinstance(recorded, dict):
        raise ParameterError(f"{RUN_TABLE} = {recorded!r} in {source}: expected a table [run]")
    if recorded.get("command") and recorded["command"] != command:
        raise ParameterError(f"{source} records a run of 'klems {recorded['command']}', not "
                             f"'klems {command}'; use it with that command or 'klems rerun'")
    defaults, lists = {}, {}
    for key, value in config.items():
        if key == RUN_TABLE:
            continue
        action = actions.get(key)
        if action is None:
            known = sorted({a.option_strings[0].lstrip("-") if a.option_strings else a.dest
                            for a in actions.values()})
            raise ParameterError(f"unknown key {key!r} in {source}: not an option of "
                                 f"'klems {command}'; expected some of {', '.join(known)}")
        if not action.option_strings:
            raise ParameterError(f"{key!r} in {source} is an argument of 'klems {command}', "
                                 "not an option: give it on the command line", file=source)
        if action.dest in defaults or action.dest in lists:
            raise ParameterError(f"{key!r} in {source}: option {action.dest} given twice",
                                 file=source)
        value = _convert(action, key, value, source)
        if isinstance(action, argparse._AppendAction):
            lists[action.dest] = value
        else:
            defaults[action.dest] = value
    parser.set_defaults(**defaults)
    return lists


def fill_lists(args: argparse.Namespace, lists: dict) -> None:
    """List options from the file, where the command line gave none."""
    for dest, value in lists.items():
        if not getattr(args, dest, None):
            setattr(args, dest, list(value))


# ---- recording -------------------------------------------------------------------------------

def configuration(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict:
    """Every option of the run (defaults included) under its option name."""
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.dest in NOT_RECORDED \
                or not action.option_strings or action.dest.startswith("_"):
            continue
        value = getattr(args, action.dest, None)
        if value is None:
            continue                       # "not given": the command's own default applies
        key = action.option_strings[0].lstrip("-")
        out[key] = list(value) if isinstance(value, (list, tuple)) else \
            str(value) if isinstance(value, Path) else value
    return out


def command_line(args) -> str:
    """The command as typed (for the ``command`` attribute of outputs)."""
    return "klems " + " ".join(shlex.quote(a) for a in getattr(args, "_argv", sys.argv[1:]))


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ("inf" if v > 0 else "-inf" if v < 0 else "nan")
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)      # a TOML basic string


def to_toml(config: dict, run: dict | None = None) -> str:
    """The configuration (flat keys) and the ``[run]`` table as TOML text.

    Hand-written because the standard library reads TOML but does not write it; the values are
    only booleans, numbers, strings and lists of them, which this writes exactly (floats by
    ``repr``, so they read back bit for bit)."""
    lines = ["# klems run configuration: 'klems <command> --config THIS_FILE' or "
             "'klems rerun THIS_FILE'"]
    lines += [f"{_key(k)} = {_toml_value(v)}" for k, v in config.items()]
    if run:
        lines += ["", f"[{RUN_TABLE}]"]
        lines += [f"{_key(k)} = {_toml_value(v)}" for k, v in run.items() if v is not None]
    return "\n".join(lines) + "\n"


def _key(k: str) -> str:
    return k if all(c.isalnum() or c in "-_" for c in k) else json.dumps(k)


def run_record(command: str, outputs: list[str], inputs: dict | None = None) -> dict:
    """The ``[run]`` table: command, version, time, files written, input checksums."""
    rec = {"command": command, "klems_version": __version__,
           "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
           "outputs": list(outputs)}
    for name, digest in (inputs or {}).items():
        rec[f"sha256_{name}"] = digest
    return rec


def path_sha256(path) -> str:
    """SHA-256 of an input file, or of a folder's files (names and contents, sorted)."""
    path = Path(path)
    h = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    try:
        for f in files:
            h.update(f.name.encode() if path.is_dir() else b"")
            h.update(f.read_bytes())
    except OSError as exc:
        raise FileSystemError(f"cannot read the input: {os_error_reason(exc)}",
                              file=str(path)) from None
    return h.hexdigest()


def sidecar_name(stem: str) -> str:
    return f"{stem}.run.toml"


def input_checksums(args) -> dict:
    """sha256 of the run's input file or folder (options ``input`` and ``data``)."""
    out = {}
    for key in ("input", "data"):
        value = getattr(args, key, None)
        if isinstance(value, (str, Path)) and Path(value).exists():
            out[key] = path_sha256(value)
    return out


def attribute_text(args) -> str | None:
    """The configuration as TOML for a NetCDF attribute (the same on every rerun)."""
    config = getattr(args, "_configuration", None)
    if config is None:
        return None
    return to_toml(config, {"command": args._command, "klems_version": __version__,
                            **{f"sha256_{k}": v for k, v in input_checksums(args).items()}})


def record(outs, args, stem: str) -> str | None:
    """Register ``<stem>.run.toml`` (the run's configuration) in the :class:`OutputSet`
    ``outs``, listing the files the set writes (call it after adding them)."""
    config = getattr(args, "_configuration", None)
    if config is None:
        return None
    name = sidecar_name(stem)
    text = to_toml(config, run_record(args._command, [n for n in outs.names if n != name],
                                      input_checksums(args)))
    outs.add(name, lambda p: Path(p).write_text(text, encoding="utf-8"))
    return text
