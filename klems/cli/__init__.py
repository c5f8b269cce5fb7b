"""Command-line interface: ``klems <command> ...``.

Each command lives in its own module that defines ``register(subparsers)`` (adds the sub-parser
and sets ``func``). Modules are imported only when needed so that ``klems --help`` is fast.

Conventions every command follows (set here once):

* ``--config FILE`` (TOML; keys are the options' names; the command line overrides it),
  ``--quiet`` and ``--verbose``; every option's help shows its default;
* a misspelt option shows the command's own usage (exit status 2);
* domain errors (``KlemsError``) and every operating-system error (``OSError``) become one
  message on stderr and exit status 2, with no traceback;
* SIGINT, SIGTERM and SIGHUP stop the run the same way: temporary files removed, earlier outputs
  kept, exit status 128 + the signal's number;
* a closed pipe (``klems estimate | head``) ends the run quietly.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import threading
from importlib import import_module

from klems.base.errors import KlemsError, os_error_reason
from klems.base.version import __version__
from klems.cli.config import apply_config, configuration, fill_lists, read_toml
from klems.outputs.files import remove_temporary_files

# command name -> module defining ``register(subparsers)``
COMMANDS: dict[str, str] = {
    "profiles": "klems.cli.profiles",
    "prices": "klems.cli.prices",
    "estimate": "klems.cli.estimate",
    "reproduce": "klems.cli.reproduce",
    "index": "klems.cli.index",
    "template": "klems.cli.template",
    "validate": "klems.cli.validate",
    "sweep": "klems.cli.sweep",
    "rerun": "klems.cli.rerun",
    "yearbook": "klems.cli.yearbook",
    "extend": "klems.cli.extend",
    "diff": "klems.cli.diff",
    "report": "klems.cli.report",
}
SIGNALS = {getattr(signal, n): n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)}


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so that it stops like on Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Adds "(default: …)" to every option whose help does not already say its default; an
    option without a default value (None) says in its help what happens without it."""

    def _get_help_string(self, action):
        text = action.help or ""
        default = action.default
        if "default" in text.lower() or default is None or default is False \
                or default is argparse.SUPPRESS or (isinstance(default, list) and not default):
            return text
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """Help shows every default; errors exit 2 with this parser's (the command's) usage."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)


def _leaves(parser: argparse.ArgumentParser, path=()):
    """(command words, parser) of every command parser under ``parser``."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if path:
        yield path, parser
    for sub in subs:
        for name, child in sub.choices.items():
            yield from _leaves(child, (*path, name))


def _add_conventions(parser: argparse.ArgumentParser, path) -> None:
    parser.set_defaults(_parser=parser, _command=" ".join(path))
    have = {s for a in parser._actions for s in a.option_strings}
    if "--config" not in have:
        parser.add_argument("--config", metavar="FILE", default=None,
                            help="TOML file of options (keys: the options' names, e.g. "
                                 "province = \"hunan\"); options on the command line override "
                                 "it; every run records its own beside its outputs "
                                 "(NAME.run.toml) (default: none)")
    if "--quiet" not in have:
        g = parser.add_mutually_exclusive_group()
        g.add_argument("--quiet", "-q", action="store_true",
                       help="no progress and no notes on stderr (errors and warnings only)")
        g.add_argument("--verbose", "-v", action="store_true",
                       help="also timings and details on stderr")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="klems",
        description="Digital-economy scale (数字经济规模) by KLEMS growth accounting.",
    )
    parser.add_argument("--version", action="version", version=f"klems {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module in COMMANDS.items():
        if only is None or only == name:
            import_module(module).register(sub)
        else:
            sub.add_parser(name, help=f"(run 'klems {name} --help')")
    for path, p in _leaves(parser):
        if only is None or path[0] == only:
            _add_conventions(p, path)
    return parser


def _leaf(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.ArgumentParser:
    """The parser of the (sub)command that ``argv`` names (the deepest one)."""
    current = parser
    for word in argv:
        subs = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or word not in subs[0].choices:
            if word.startswith("-"):
                continue
            break
        current = subs[0].choices[word]
    return current


def _config_path(argv: list[str]) -> str | None:
    for i, word in enumerate(argv):
        if word == "--config" and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith("--config="):
            return word.split("=", 1)[1]
    return None


def parse(argv: list[str], config: dict | None = None, source: str = ""):
    """Parse ``argv`` (with a configuration file's values, or ``config``, as defaults)."""
    only = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser(only)
    leaf = _leaf(parser, argv)
    lists = {}
    path = _config_path(argv)
    command = leaf.get_default("_command")
    if config is None and path is not None and command:
        config, source = read_toml(path), path
    if config is not None and command:
        lists = apply_config(leaf, config, source, command)
    args, extra = parser.parse_known_args(argv)
    if extra:
        leaf.error(f"unrecognized arguments: {' '.join(extra)}")
    fill_lists(args, lists)
    if getattr(args, "_parser", None) is not None:
        args._configuration = configuration(args, args._parser)
        args._argv = list(argv)
    return parser, args


def _stop(signum, frame):
    raise Stopped(signum)


def _install_signals():
    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for sig in SIGNALS:
        try:
            old[sig] = signal.signal(sig, _stop)
        except (OSError, ValueError):
            pass
    return old


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    name = argv[0] if argv and argv[0] in COMMANDS else "klems"
    old = _install_signals()
    try:
        try:
            parser, args = parse(argv)
        except SystemExit as exc:        # --help, --version, usage errors (exit status 2)
            return int(exc.code or 0) if not isinstance(exc.code, str) else 2
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        name = args._command if getattr(args, "_command", None) else args.command
        return int(args.func(args) or 0)
    except KlemsError as exc:
        print(f"klems {name}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except OSError as exc:
        where = f" [file {exc.filename}]" if exc.filename else ""
        print(f"klems {name}: error: {os_error_reason(exc)}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        what = SIGNALS.get(signum, "interrupted")
        remove_temporary_files()
        how = "interrupted" if signum == signal.SIGINT else f"stopped ({what})"
        print(f"klems {name}: {how}; files of this run not yet in place were removed, earlier "
              "outputs kept", file=sys.stderr)
        return 128 + int(signum)
    finally:
        remove_temporary_files()
        for sig, handler in old.items():
            try:
                signal.signal(sig, handler)
            except (OSError, ValueError, TypeError):
                pass


def run() -> int:
    """The ``klems`` program (console script and ``python -m klems``): :func:`main`, then the
    finished run's objects are frozen out of the garbage collector (``gc.freeze``).

    Why: at shutdown the interpreter runs full collections over every object still alive — the
    millions that numba, pandas and xarray create — which took 0.4–0.6 s of every command's wall
    time (measured with ``perf``: ``gc_collect_main`` after the command had returned). By then
    every file is closed and in place; frozen objects are still freed by reference counting.
    Library callers of :func:`main` (the tests) keep an untouched collector.
    """
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
