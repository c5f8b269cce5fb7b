"""Command-line interface: ``klems <command> ...``.

Each command lives in its own module that defines ``register(subparsers)`` (adds the sub-parser
and sets ``func``). Modules are imported only when needed so that ``klems --help`` is fast.
Domain errors become one clear message on stderr and exit status 2, with no traceback.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from klems.base.errors import KlemsError
from klems.base.version import __version__

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
    "report": "klems.cli.report",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:

    parser = argparse.ArgumentParser(
        prog="klems",
        description="Digital-economy scale (数字经济规模) by KLEMS growth accounting.",
    )
    parser.add_argument("--version", action="version", version=f"klems {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        if only is None or only == name:
            import_module(module).register(sub)
        else:
            sub.add_parser(name, help=f"(run 'klems {name} --help')")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    only = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser(only)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KlemsError as exc:
        print(f"klems {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"klems {args.command}: error: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"klems {args.command}: interrupted; no output was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
