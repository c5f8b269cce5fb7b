"""``klems prices``: ICT investment deflators of the nation and a province, 2000–2024."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from klems.base.provinces import province
from klems.base.vocabulary import INTERNATIONAL_SERIES, REFERENCES
from klems.cli.checks import output_file
from klems.cli.config import record
from klems.cli.console import quiet
from klems.cli.options import real
from klems.outputs.files import OutputSet
from price_index import ict_deflators, ppi_deflator
from price_index.deflators import reference_deflator

STATUS_MARK = {"published": "P", "derived": "D", "extrapolated": "E"}


def register(sub) -> None:
    p = sub.add_parser(
        "prices",
        help="ICT investment deflators (hardware, communication, software), 2000=100",
        description="Hardware and communication-equipment deflators harmonised on the smoothed "
                    "EU KLEMS Japan (or US BEA) ICT price differential (Schreyer 2002; "
                    "exponential smoothing by statsmodels), software deflator from the CPI for "
                    "transport and communication; nation and one province, 2000-2023, with "
                    "each year's status (P published, D derived, E extrapolated).",
    )
    p.add_argument("--province", default="guangxi", help="province key or name")
    p.add_argument("--reference", choices=REFERENCES, default="investment",
                   help="domestic reference deflator (investment: the non-ICT investment "
                        "deflator)")
    p.add_argument("--international", choices=INTERNATIONAL_SERIES, default="euklems-japan",
                   help="international ICT price series of the harmonisation")
    p.add_argument("--smoothing-level", type=real("--smoothing-level", low=0.0, high=1.0,
                                                   low_open=True), default=None,
                   help="fix the smoothing level alpha in (0, 1] (default: estimated)")
    p.add_argument("--png", help="write a chart to this PNG file (default: none)")
    p.add_argument("--csv", help="write the long table to this CSV file (default: none)")
    p.set_defaults(func=run)


def _frame(da) -> pd.DataFrame:
    return pd.DataFrame({a: da.sel(asset=a).to_pandas() for a in da.asset.values})


def _status(da) -> pd.DataFrame:
    return pd.DataFrame({a: da.status.sel(asset=a).to_pandas() for a in da.asset.values})


def table(results: dict) -> pd.DataFrame:
    """Wide printable table: one column per (geography, asset) with value and status mark."""
    cols = {}
    for key, (da, ref) in results.items():
        vals, st = _frame(da), _status(da)
        for a in vals.columns:
            cols[f"{key} {a}"] = [f"{v:7.1f} {STATUS_MARK[s]}" for v, s in zip(vals[a], st[a])]
        cols[f"{key} reference"] = [f"{v:7.1f} {STATUS_MARK[s]}"
                                    for v, s in zip(ref, ref.attrs["status"])]
    out = pd.DataFrame(cols, index=da.year.values)
    out.index.name = "year"
    return out


def long_table(results: dict, ppi) -> pd.DataFrame:
    rows = []
    for key, (da, ref) in results.items():
        for a in da.asset.values:
            for y, v, s in zip(da.year.values, da.sel(asset=a).values, da.status.sel(asset=a).values):
                rows.append((key, str(a), int(y), float(v), str(s)))
        for y, v in ref.items():
            rows.append((key, f"reference_{da.attrs['reference']}", int(y), float(v),
                         ref.attrs["status"][y]))
    for y, v in ppi.items():
        rows.append(("china", "ppi_c39_benchmark", int(y), float(v), ppi.attrs["status"][y]))
    return pd.DataFrame(rows, columns=["province", "series", "year", "index", "status"])


def chart(results: dict, ppi, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"hardware": "tab:blue", "communication": "tab:orange", "software": "tab:green"}
    fig, axes = plt.subplots(1, len(results), figsize=(6.2 * len(results), 4.8), sharey=True)
    axes = [axes] if len(results) == 1 else list(axes)
    for ax, (key, (da, ref)) in zip(axes, results.items()):
        years = da.year.values
        for a in da.asset.values:
            v, s = da.sel(asset=a).values, da.status.sel(asset=a).values
            ax.plot(years, v, color=colors[str(a)], lw=2, label=str(a))
            ext = s == "extrapolated"
            ax.plot(years[ext], v[ext], "o", mfc="white", color=colors[str(a)], ms=5)
        rs = ref.attrs["status"].to_numpy()
        ax.plot(years, ref.values, color="0.35", lw=1.5,
                label=f"reference: {da.attrs['reference']} deflator")
        ax.plot(years[rs == "extrapolated"], ref.values[rs == "extrapolated"], "s", mfc="white",
                color="0.35", ms=4)
        ax.plot(years[rs == "derived"], ref.values[rs == "derived"], "s", color="0.35", ms=3)
        if key == "china":
            ax.plot(ppi.index, ppi.values, "--", color="tab:red", lw=1.3,
                    label="PPI C39 (benchmark)")
        first_ext = min((int(y) for y, s in zip(years, da.status.sel(asset="hardware").values)
                         if s == "extrapolated"), default=None)
        if first_ext is not None:
            ax.axvspan(first_ext - 0.5, years[-1] + 0.5, color="0.92", zorder=0)
            ax.text(first_ext - 0.3, 0.03, "λ forecast", transform=ax.get_xaxis_transform(),
                    fontsize=8, color="0.3")
        ax.set_yscale("log")
        from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter
        ax.yaxis.set_major_locator(FixedLocator([30, 40, 50, 60, 80, 100, 125, 160, 200]))
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_title(f"{key.capitalize()}: ICT investment deflators (2000 = 100)")
        ax.set_xlabel("year")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("index 2000 = 100 (log scale)")
    axes[0].legend(fontsize=8, loc="lower left")
    da0 = next(iter(results.values()))[0]
    fig.text(0.01, 0.005,
             f"Hardware/communication: domestic {da0.attrs['reference']} deflator + smoothed "
             f"{da0.attrs['international']} ICT price differential (SES; hardware α="
             f"{da0.attrs.get('hardware_smoothing_level', float('nan')):.2f}, communication α="
             f"{da0.attrs.get('communication_smoothing_level', float('nan')):.2f}); software: CPI "
             "transport & communication.\nHollow markers: extrapolated; filled squares: reference "
             "spliced with the retail price index after the FAI price index ends (2019).",
             fontsize=7, color="0.3")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=120, format="png")
    plt.close(fig)


def run(args) -> int:

    p = province(args.province)
    targets = [(output_file(args.csv, (".csv",), "--csv"), "csv"),
               (output_file(args.png, (".png",), "--png"), "png")]
    keys = ["china"] if p.key == "china" else ["china", p.key]
    opts = dict(reference=args.reference, international=args.international,
                smoothing_level=args.smoothing_level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = {k: (ict_deflators(k, **opts), reference_deflator(k, args.reference))
                   for k in keys}
        ppi = ppi_deflator()
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 20)
    print("ICT investment deflators, 2000 = 100 (P published, D derived, E extrapolated)")
    print(table(results).to_string())
    da = results[keys[-1]][0]
    print("\nFitted exponential smoothing of the international differential "
          f"({da.attrs['international']} vs Japan {da.attrs['international_reference']} "
          "investment prices):")
    for a in ("hardware", "communication"):
        if f"{a}_smoothing_level" in da.attrs:
            print(f"  {a:13s} alpha={da.attrs[a + '_smoothing_level']:.4f} "
                  f"initial level={da.attrs[a + '_initial_level']:+.4f} "
                  f"SSE={da.attrs[a + '_sse']:.5f} n={da.attrs[a + '_n_obs']} "
                  f"fit {da.attrs[a + '_fit_years']}, forecast lambda="
                  f"{da.attrs[a + '_forecast']:+.4f} (log points/yr)")
    print("Extension rules of the series that stop early:")
    for k, (d, ref) in results.items():
        rules = ref.attrs["rule"][ref.attrs["status"] != "published"]
        rules = rules[~rules.str.startswith("base year")]
        for rule, yrs in rules.groupby(rules, sort=False):
            print(f"  {k} reference {yrs.index.min()}-{yrs.index.max()}: {rule}")
    sw = results[keys[-1]][0]
    for a in ("hardware", "communication", "software"):
        ext = sw.year.values[sw.status.sel(asset=a).values == "extrapolated"]
        if len(ext):
            how = ("smoothing forecast of lambda (last level) on the extended reference"
                   if a != "software" or sw.attrs["software"] != "cpi"
                   else "exponential-smoothing forecast of the annual log change of the CPI")
            print(f"  {a} {ext.min()}-{ext.max()}: {how}")
    rules = ppi.attrs["rule"][ppi.attrs["status"] != "published"]
    rules = rules[~rules.str.startswith("base year")]
    for rule, yrs in rules.groupby(rules, sort=False):
        print(f"  PPI C39 benchmark {yrs.index.min()}-{yrs.index.max()}: {rule}")
    writers = {"csv": lambda p: long_table(results, ppi).to_csv(p, index=False,
                                                                float_format="%.6f"),
               "png": lambda p: chart(results, ppi, p)}
    groups: dict[Path, list] = {}
    for target, kind in targets:     # all files of a folder written whole or not at all
        if target is not None:
            groups.setdefault(target.parent if str(target.parent) else Path("."), []).append(
                (target, kind))
    for folder, items in groups.items():
        outs = OutputSet(folder)
        for target, kind in items:
            outs.add(target.name, writers[kind])
        record(outs, args, items[0][0].stem)
        for path in outs.commit():
            if not quiet(args):
                print(f"wrote {path}")
    return 0
