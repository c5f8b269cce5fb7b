"""``klems rerun OUTPUT``: repeat a run from the configuration it recorded.

``OUTPUT`` is a run's ``NAME.run.toml`` (written beside every run's files), a NetCDF output
(global attribute ``klems_configuration``) or any other file a run wrote (its ``.run.toml`` is
found beside it). The run is repeated with exactly the recorded options (defaults included, so a
later change of a default does not change the rerun); ``--out`` writes it elsewhere, and
``--check`` writes it to a temporary folder and compares every file with the recorded one, bit
for bit: CSV, PNG and text files byte for byte; NetCDF files variable by variable (values,
coordinates and attributes; only the attributes ``created``, ``command`` and ``history`` may differ); workbooks
cell by cell (only the ``created`` row may differ). Exit status 0 when every file is identical,
1 when one differs, 2 on an error.
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np

import klems.cli
from klems.base.errors import ParameterError
from klems.base.version import __version__
from klems.cli.config import ATTRIBUTE, RUN_TABLE, path_sha256, read_toml

#: attributes that say when and how a file was made, not what it holds
VOLATILE = {"created", "command", "history"}   # history: CF, the time and command of the run
#: options that say where a run's files go (they may differ between a run and its rerun)
OUTPUT_OPTIONS = {"out", "csv", "png"}


def register(sub) -> None:
    p = sub.add_parser("rerun", help="repeat a run from the configuration an output recorded",
                       description=__doc__.split("\n\n")[1])
    p.add_argument("output", help="NAME.run.toml, a NetCDF output, or any file a run wrote")
    p.add_argument("--out", default=None,
                   help="write the rerun's files here instead (default: where the run wrote "
                        "them, replacing them)")
    p.add_argument("--check", action="store_true",
                   help="rerun into a temporary folder and compare every file bit for bit with "
                        "the recorded outputs (exit 1 when one differs)")
    p.set_defaults(func=run)


def find_configuration(output) -> tuple[dict, Path, str]:
    """(configuration, the folder of the run's outputs, where it was read from)."""
    path = Path(output)
    if not path.exists():
        raise ParameterError("no such file; expected a NAME.run.toml or a file a run wrote",
                             file=str(path))
    if path.suffix == ".toml":
        return read_toml(path), path.parent, str(path)
    for side in sorted(path.parent.glob("*.run.toml")):
        cfg = read_toml(side)
        if path.name in cfg.get(RUN_TABLE, {}).get("outputs", []):
            return cfg, path.parent, str(side)
    if path.suffix == ".nc":
        import netCDF4

        try:
            with netCDF4.Dataset(path) as nc:
                text = getattr(nc, ATTRIBUTE, None)
        except OSError:
            text = None
        if text:
            try:
                cfg = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ParameterError(f"attribute {ATTRIBUTE} is not valid TOML ({exc})",
                                     file=str(path)) from None
            cfg.setdefault(RUN_TABLE, {}).setdefault("outputs", [path.name])
            return cfg, path.parent, f"{path} (attribute {ATTRIBUTE})"
    raise ParameterError("no recorded configuration found: expected a .run.toml beside the "
                         "file listing it (every run writes one) or a NetCDF file with the "
                         f"attribute {ATTRIBUTE}", file=str(path))


def run(args) -> int:
    cfg, folder, source = find_configuration(args.output)
    rec = cfg.get(RUN_TABLE, {})
    command = rec.get("command")
    if not command:
        raise ParameterError(f"{source} has no [run] table naming the command; expected a "
                             "configuration recorded by a run")
    if rec.get("klems_version") and rec["klems_version"] != __version__:
        print(f"klems rerun: warning: recorded by klems {rec['klems_version']}, this is klems "
              f"{__version__}: the numbers may differ", file=sys.stderr)
    for key, value in cfg.items():
        if key in ("input", "data") and rec.get(f"sha256_{key}"):
            if not Path(value).exists() or path_sha256(value) != rec[f"sha256_{key}"]:
                raise ParameterError(f"the input {value} is missing or has changed since the run "
                                     f"(recorded sha256 {rec[f'sha256_{key}'][:16]}…); the rerun "
                                     "would not repeat it", file=str(value))
    targets = {k: str(cfg[k]) for k in sorted(OUTPUT_OPTIONS) if cfg.get(k)}
    argv = command.split()
    if args.quiet:
        argv.append("--quiet")
    tmp = None
    if (args.check or args.out is not None) and not targets:
        raise ParameterError(f"{source}: the run wrote no files; nothing to "
                             f"{'compare' if args.check else 'write elsewhere'}")
    if args.check:
        tmp = tempfile.TemporaryDirectory(prefix="klems-rerun-")
        for key, value in targets.items():
            argv += [f"--{key}", str(Path(tmp.name) / Path(value).name)]
    elif args.out is not None:
        for key, value in targets.items():
            argv += [f"--{key}", args.out if key == "out" else str(Path(args.out) /
                                                                   Path(value).name)]
    try:
        _, inner = klems.cli.parse(argv, config=cfg, source=source)
        inner._argv = list(getattr(args, "_argv", [])) or inner._argv
        status = int(inner.func(inner) or 0)
        if status or not args.check:
            return status
        new_folder = Path(tmp.name)
        out = targets.get("out")
        if out is not None and not Path(out).suffix:     # the run wrote into a folder
            new_folder = new_folder / Path(out).name
        return _report(folder, new_folder, rec.get("outputs", []))
    finally:
        if tmp is not None:
            tmp.cleanup()


def _report(old_folder: Path, new_folder: Path, names) -> int:
    differ = 0
    print(f"rerun compared with {old_folder}:")
    for name in names:
        same, how = compare_files(old_folder / name, new_folder / name)
        differ += not same
        print(f"  {'identical' if same else 'DIFFERENT'}  {name}: {how}")
    print(f"{len(names) - differ} of {len(names)} files identical bit for bit" if names
          else "no files recorded")
    return 1 if differ else 0


def compare_files(old: Path, new: Path) -> tuple[bool, str]:
    """Whether two outputs hold the same bits (see the module doc) and how that was judged."""
    if not old.exists() or not new.exists():
        return False, f"missing ({'recorded' if not old.exists() else 'rerun'} file)"
    a, b = old.read_bytes(), new.read_bytes()
    if a == b:
        return True, f"{len(a):,} bytes, byte for byte"
    if old.suffix == ".nc":
        return _compare_netcdf(old, new)
    if old.suffix == ".xlsx":
        return _compare_workbook(old, new)
    return False, f"bytes differ ({len(a):,} and {len(b):,} bytes)"


def _same_bits(x: np.ndarray, y: np.ndarray) -> bool:
    if x.shape != y.shape or x.dtype != y.dtype:
        return False
    if x.dtype.kind in "fciub":
        return np.ascontiguousarray(x).tobytes() == np.ascontiguousarray(y).tobytes()
    return bool(np.array_equal(x.astype(str), y.astype(str)))


def _value(v):
    """An attribute value in a form where NaN equals NaN (its bits)."""
    if isinstance(v, (np.ndarray, np.generic, float)):
        arr = np.asarray(v)
        return (arr.dtype.str, arr.shape, arr.tobytes())
    return v


def _clean(attrs: dict) -> dict:
    out = {k: _value(v) for k, v in attrs.items() if k not in VOLATILE}
    if isinstance(out.get(ATTRIBUTE), str):     # where the files went is not what they hold
        try:
            cfg = tomllib.loads(out[ATTRIBUTE])
        except tomllib.TOMLDecodeError:
            return out
        out[ATTRIBUTE] = {k: v for k, v in cfg.items() if k not in OUTPUT_OPTIONS}
    return out


def _compare_netcdf(old: Path, new: Path) -> tuple[bool, str]:
    import netCDF4

    with netCDF4.Dataset(old) as a, netCDF4.Dataset(new) as b:
        a.set_auto_mask(False)
        b.set_auto_mask(False)
        if set(a.variables) != set(b.variables):
            return False, "different variables"
        if _clean(a.__dict__) != _clean(b.__dict__):
            ca, cb = _clean(a.__dict__), _clean(b.__dict__)
            keys = sorted(k for k in set(ca) | set(cb) if ca.get(k) != cb.get(k))
            return False, f"global attributes differ: {keys[:5]}"
        for name in a.variables:
            va, vb = a.variables[name], b.variables[name]
            if _clean(va.__dict__) != _clean(vb.__dict__):
                return False, f"attributes of {name} differ"
            if not _same_bits(np.asarray(va[...]), np.asarray(vb[...])):
                return False, f"values of {name} differ"
        n = len(a.variables)
    return True, (f"{n} variables identical bit for bit (values, coordinates, attributes; "
                  "only 'created', 'command', 'history' and the output folder differ)")


def _compare_workbook(old: Path, new: Path) -> tuple[bool, str]:
    from openpyxl import load_workbook

    wa = load_workbook(old, read_only=True)
    wb = load_workbook(new, read_only=True)
    try:
        if wa.sheetnames != wb.sheetnames:
            return False, "different sheets"
        cells = 0
        for name in wa.sheetnames:
            ra = [r for r in wa[name].iter_rows(values_only=True)]
            rb = [r for r in wb[name].iter_rows(values_only=True)]
            ra = [r for r in ra if not (r and r[0] in VOLATILE)]
            rb = [r for r in rb if not (r and r[0] in VOLATILE)]
            if len(ra) != len(rb):
                return False, f"sheet {name}: {len(ra)} and {len(rb)} rows"
            for i, (x, y) in enumerate(zip(ra, rb)):
                for u, v in zip(x, y):
                    if type(u) is not type(v) or (u != v and not (u != u and v != v)):
                        return False, f"sheet {name} row {i + 1}: {u!r} and {v!r}"
                    cells += 1
    finally:
        wa.close()
        wb.close()
    return True, (f"{cells:,} cells identical (numbers bit for bit); only the 'created' and "
                  "'command' rows and the file's own time stamps differ")
