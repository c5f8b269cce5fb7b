"""Print the summary tables of the bundled datasets (status by variable, sizes, province sums vs the
nation, ICT investment of a province by asset and its share of fixed capital formation).

Usage::

    python -m data.build.report_datasets [--province guangxi]   (build-only code, from the repository root)
"""

from __future__ import annotations

import argparse
from importlib.resources import files

import klems
from klems.base.provinces import province, province_keys
from klems.datasets.bundled import available, load_national_tables

from . import use_this_tree  # noqa: F401  (klems.data = this tree's data/)


def status_table(ds) -> None:
    print(f"\n## Status by variable and year ({ds.attrs['province']})\n")
    print("| variable | units | status by year |\n|---|---|---|")
    for name, var in ds.data_vars.items():
        if name.endswith("_status") or name == "di_share":
            continue
        print(f"| {name} | {var.attrs['units']} | {var.attrs['status']} |")


def sizes() -> None:
    folder = files("klems.data") / "built"
    items = sorted((p.name, len(p.read_bytes())) for p in folder.iterdir() if p.name.endswith(".nc"))
    total = sum(n for _, n in items)
    print(f"\n## Dataset sizes\n\n{len(items)} NetCDF files, total {total / 2**20:.2f} MiB; "
          f"guangxi.nc {dict(items)['guangxi.nc'] / 2**10:.0f} KiB, china.nc {dict(items)['china.nc'] / 2**10:.0f} KiB, "
          f"national_io_tables.nc {dict(items)['national_io_tables.nc'] / 2**10:.0f} KiB")


def province_sums(years=(2012, 2017, 2020)) -> None:
    nation = klems.load_dataset("china")
    data = {k: klems.load_dataset(k) for k in province_keys()}
    print("\n## Provinces summed vs the nation\n")
    print("| year | GDP nation | Σ provinces (linked) | gap % | Σ provinces (as printed) | gap % "
          "| ICT inv. nation | Σ provinces | gap % |\n|---|---|---|---|---|---|---|---|---|")
    for y in years:
        g_n = float(nation["gdp"].sel(year=y))
        g_l = sum(float(d["gdp"].sel(year=y)) for d in data.values())
        g_p = sum(float(d["gdp_as_published"].sel(year=y)) for d in data.values())
        i_n = float(nation["ict_investment"].sel(year=y).sum())
        i_p = sum(float(d["ict_investment"].sel(year=y).sum()) for d in data.values())
        print(f"| {y} | {g_n:,.0f} | {g_l:,.0f} | {100 * (g_l / g_n - 1):+.2f} | {g_p:,.0f} | "
              f"{100 * (g_p / g_n - 1):+.2f} | {i_n:,.0f} | {i_p:,.0f} | {100 * (i_p / i_n - 1):+.1e} |")


def ict_table(key: str, years=range(2005, 2022)) -> None:
    ds = klems.load_dataset(key)
    nation = klems.load_dataset("china")
    nt = load_national_tables()
    io_share = {int(y): float(v) for y, v in zip(nt.table_year.values, nt["ict_share_of_gfcf_io"].values)}
    print(f"\n## ICT investment of {key} by asset (nominal, 1e8 CNY) and share of GFCF\n")
    print("| year | hardware | communication | software | total | GFCF | ICT share % | nation share % (dataset) "
          "| nation share % (IO table) |\n|---|---|---|---|---|---|---|---|---|")
    for y in years:
        a = ds["ict_investment_by_asset"].sel(year=y)
        tot = float(a.sum())
        gf = float(ds["gfcf"].sel(year=y))
        n_sh = float(nation["ict_investment_by_asset"].sel(year=y).sum() / nation["gfcf"].sel(year=y))
        io = f"{100 * io_share[y]:.2f}" if y in io_share else ""
        print(f"| {y} | {float(a.sel(asset='hardware')):.1f} | {float(a.sel(asset='communication')):.1f} | "
              f"{float(a.sel(asset='software')):.1f} | {tot:.1f} | {gf:.0f} | {100 * tot / gf:.2f} | "
              f"{100 * n_sh:.2f} | {io} |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Summary tables of the bundled datasets.")
    parser.add_argument("--province", default="guangxi")
    args = parser.parse_args(argv)
    key = province(args.province).key
    status_table(klems.load_dataset(key))
    sizes()
    province_sums()
    ict_table(key)
    print(f"\nbundled: {', '.join(available())}")


if __name__ == "__main__":
    main()
