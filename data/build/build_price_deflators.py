"""Build ``data/price_deflators_2000_2024.csv``: ICT investment deflators (hardware,
communication equipment, software; 2000 = 100) for the nation and every province with a
reference series, each year labelled ``published``, ``derived`` or ``extrapolated``.

Reads only ``data/sources/prices`` (through ``price_index.sources``) and is deterministic
(build-only code; run from the repository root)::

    python -m data.build.build_price_deflators [--out data/price_deflators_2000_2024.csv]

Years after the sources (the smoothing forecast) are labelled ``extrapolated``.

Defaults of ``price_index.ict_deflators``: domestic reference = non-ICT (FAI) investment
deflator, international = EU KLEMS 2023 Japan, smoothing level estimated, software = CPI
transport and communication. 西藏 has no FAI price index and is left out (printed).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

from price_index import deflator_table

from . import use_this_tree  # noqa: F401  (klems.data = this tree's data/)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    from importlib.resources import files

    ap.add_argument("--out", default=Path(str(files("klems.data"))) / "price_deflators_2000_2024.csv", type=Path)
    args = ap.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = deflator_table()
    table["units"] = "index 2000=100"
    tmp = args.out.with_suffix(".tmp")
    table.to_csv(tmp, index=False, float_format="%.6f", lineterminator="\n")
    tmp.replace(args.out)
    print(f"wrote {args.out}: {table.province.nunique()} geographies x "
          f"{table.asset.nunique()} assets x {table.year.nunique()} years = {len(table)} rows")
    for key, why in table.attrs["skipped"].items():
        print(f"skipped {key}: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
