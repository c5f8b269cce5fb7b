"""Back-tests of the regionalisation against published provincial figures (build-only code).

Run from the repository root::

    python -m data.build.backtests [--built DIR] [--baseline DIR] [--sensitivity]

``--built`` (default ``data/built``) holds the datasets to test; ``--baseline`` a directory of
datasets of another build to print beside them (e.g. the first-generation files of ``main``:
``git archive main data/built | tar -x -C /tmp/base``). ``--sensitivity`` re-runs the
regionalisation for the wage-tilt exponents 0, 0.5 and 1 (back-test b).

(a) Nine groups, 2019–2023: (a1) each group dropped in turn and predicted from the other margins
    (the other eight groups and the three sectors; in the new build the dropped group follows from
    the identities); (a2) all groups of a year dropped and predicted by the carrying rule from the
    nearest other published year (the rule used for years without data). MAE of the group's share
    of GDP in percentage points over provinces and years. The baseline is compared directly (it
    does not use the groups).
(b) Provincial input-output tables of 2023 (Chongqing, the example table; Beijing's value added by
    sector, out of sample): the province's value added by the 42 sectors from the dataset
    (regionalised without its table) against the table: MAE of the shares (pp), electronics
    (42-sector 20) and section I (31) shares. Baseline datasets end in 2022 and are compared in 2022.
(c) Modelled output of C39 (086–091) ÷ C39 revenue of the 2023 census, 31 provinces, against the
    national ratio; target every province within ×0.67–×1.5 of it.
(d) Provinces summed against the nation: value added, employment, labour compensation, GFCF, ICT
    investment (Σ provinces / nation, min–max over the years).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from klems.base.provinces import province_keys
from klems.datasets.classification import load_classification, membership
from klems.datasets.provincial_table import read_provincial_table

from . import cells as cl, sources as src

ELEC = list(cl.ELECTRONICS)
GROUP_NAMES = dict(zip(src.GROUPS, ("农林牧渔", "工业", "建筑", "批发零售", "交通运输", "住宿餐饮", "金融", "房地产",
                                   "其他")))


def _load(folder: Path, key: str) -> xr.Dataset | None:
    path = folder / f"{key}.nc"
    if not path.is_file():
        return None
    with xr.open_dataset(path) as ds:
        return ds.load()


def group_membership() -> xr.DataArray:
    """0/1 (group × industry) of the nine NBS groups."""
    cls = load_classification()
    of_section = {"A": "agriculture", "B": "industry", "C": "industry", "D": "industry", "E": "construction",
                  "F": "trade", "G": "transport", "H": "hotels", "J": "finance", "K": "real_estate"}
    g = [of_section.get(s, "other") for s in cls["section"]]
    return xr.DataArray([[1.0 if x == k else 0.0 for x in g] for k in src.GROUPS], dims=("group", "industry"),
                        coords={"group": list(src.GROUPS), "industry": list(cls.index)})


def published_group_shares(years) -> xr.DataArray:
    nbs = src.nbs_groups()
    return (nbs["va_group"] / nbs["gdp"]).sel(year=list(years))


def modelled_group_shares(data: dict, years) -> xr.DataArray:
    gm = group_membership()
    rows = []
    for key in province_keys():
        ds = data[key]
        ys = [y for y in years if y in ds.year.values]
        va = ds["value_added"].sel(year=ys)
        rows.append((xr.dot(gm, va, dim="industry") / va.sum("industry")).reindex(year=list(years))
                    .expand_dims(province=[key]))
    return xr.concat(rows, dim="province")


def test_a(data, baseline, years=range(2019, 2024)) -> pd.DataFrame:
    pub = published_group_shares(years)
    out = {}
    # (a1) the dropped group from the other margins (identities: GDP = Σ groups; cells by sector)
    nbs = src.nbs_groups()
    pred = {}
    for g in src.GROUPS:
        others = nbs["va_group"].sel(group=[x for x in src.GROUPS if x != g]).sum("group")
        pred[g] = ((nbs["va_sector"].sum("sector") - others) / nbs["gdp"]).sel(year=list(years))
    a1 = xr.concat([pred[g] for g in src.GROUPS], dim="group").assign_coords(group=list(src.GROUPS))
    out["new (a1) drop one group"] = 100 * abs(a1 - pub).mean(("province", "year"))
    # (a2) every group of a year dropped: carried from the nearest other published year
    new = modelled_group_shares(data, years)
    pub_cells = cl.cells_from_groups(nbs["va_sector"], nbs["va_group"])
    nat = xr.dot(cl.cell_membership(), data["china"]["value_added"], dim="industry")
    nat_share = cl.shares_in_sector(nat)
    errs = []
    for y in years:
        rest = pub_cells.sel(year=[u for u in pub_cells.year.values if u != y])
        share, _ = cl.carried_shares(rest, nat_share, [y])
        sec = xr.DataArray([cl.cell_sector(c) for c in cl.CELLS], dims="cell", coords={"cell": list(cl.CELLS)})
        cells_y = share.sel(year=y) * nbs["va_sector"].sel(year=y).sel(sector=sec).drop_vars("sector")
        groups = xr.concat([cells_y.sel(cell=[c for c in cl.CELLS if c.startswith(k)]).sum("cell") for k in
                            ("agri", "industry", "construction", "trade", "transport", "hotels", "finance",
                             "real_estate", "other")], dim="group").assign_coords(group=list(src.GROUPS))
        errs.append(abs(groups / nbs["gdp"].sel(year=y) - pub.sel(year=y)))
    out["new (a2) drop a year's groups"] = 100 * xr.concat(errs, dim="year").mean(("province", "year"))
    out["new (built data)"] = 100 * abs(new - pub).mean(("province", "year"))
    if baseline is not None:
        base = modelled_group_shares(baseline, years)
        out["baseline"] = 100 * abs(base - pub).mean(("province", "year"), skipna=True)
    table = pd.DataFrame({k: v.to_series() for k, v in out.items()})
    table.index = [f"{g} {GROUP_NAMES[g]}" for g in table.index]
    table.loc["mean"] = table.mean()
    return table


def provincial_tables() -> dict:
    cq = read_provincial_table(src.SOURCES / "io_tables/chongqing_2023_42_grid.csv")
    bj = pd.read_csv(src.SOURCES / "provincial_industry/beijing_io_table_2023_42_value_added.csv", dtype={"code": str})
    return {"chongqing": cq["value_added"].sum("component").values, "beijing": bj["TVA"].to_numpy(float)}


def test_b(data, baseline) -> pd.DataFrame:
    m = membership("sector42_2017")
    rows = []
    for key, tab in provincial_tables().items():
        t = tab / tab.sum()
        for label, d, year in (("new", data, 2023), ("baseline", baseline, 2022)):
            if d is None:
                continue
            va = (m @ d[key]["value_added"].sel(year=year)).values
            s = va / va.sum()
            rows.append({"province": key, "build": label, "year": year, "MAE pp": 100 * np.abs(s - t).mean(),
                         "electronics %": 100 * s[19], "table %": 100 * t[19],
                         "elec dev %": 100 * (s[19] / t[19] - 1), "section I %": 100 * s[30],
                         "table I %": 100 * t[30], "I dev %": 100 * (s[30] / t[30] - 1)})
    return pd.DataFrame(rows)


def test_c(data, year) -> pd.DataFrame:
    rev = src.census_c39()
    out = {k: float(data[k]["gross_output"].sel(year=year, industry=ELEC).sum()) for k in province_keys()}
    out = pd.Series(out)
    ratio = out / rev.to_series()
    nat = out.sum() / float(rev.sum())
    return pd.DataFrame({"output": out, "revenue": rev.to_series(), "ratio": ratio, "ratio / national": ratio / nat})


def test_d(data) -> pd.DataFrame:
    nation = data["china"]
    rows = []
    for name in ("value_added", "employment", "labour_compensation", "gfcf", "ict_investment"):
        def total(ds):
            v = ds[name]
            return v.sum([d for d in v.dims if d != "year"]) if v.ndim > 1 else v
        s = sum(total(data[k]) for k in province_keys())
        r = s / total(nation)
        rows.append({"variable": name, "min": float(r.min()), "max": float(r.max()),
                     "2019-2024 min": float(r.sel(year=slice(2019, 2024)).min()),
                     "2019-2024 max": float(r.sel(year=slice(2019, 2024)).max())})
    return pd.DataFrame(rows).set_index("variable")


def ict_jumps(data, since=2018) -> float:
    worst = 0.0
    for k in province_keys():
        tot = data[k]["ict_investment"].sum(("industry", "asset")).sel(year=slice(since, None))
        g = (tot / tot.shift(year=1)).dropna("year")
        worst = max(worst, float(g.max()), float((1 / g).max()))
    return worst


def sensitivity() -> pd.DataFrame:
    from . import build_datasets as b

    log = b.Log(echo=False)
    inp = b.inputs(log)
    m = membership("sector42_2017")
    tabs = provincial_tables()
    rows = []
    for beta in (0.0, 0.5, 1.0):
        r = b.regionalise("2023-census", inp, dict(b.PARAMETERS, wage_tilt_exponent=beta), log)
        row = {"wage_tilt_exponent": beta}
        for key, tab in tabs.items():
            s = (m @ r["va_reg"].sel(province=key, year=2023)).values
            s, t = s / s.sum(), tab / tab.sum()
            row[f"{key} MAE pp"] = 100 * np.abs(s - t).mean()
            row[f"{key} I dev %"] = 100 * (s[30] / t[30] - 1)
        rows.append(row)
    return pd.DataFrame(rows).set_index("wage_tilt_exponent")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--built", type=Path, default=src.SOURCES.parent / "built")
    ap.add_argument("--baseline", type=Path, default=None)
    ap.add_argument("--sensitivity", action="store_true")
    args = ap.parse_args(argv)
    keys = ["china", *province_keys()]
    data = {k: _load(args.built, k) for k in keys}
    baseline = {k: _load(args.baseline, k) for k in keys} if args.baseline else None
    pd.set_option("display.width", 200)
    fmt = lambda v: f"{v:.2f}"  # noqa: E731
    print("## (a) nine groups 2019-2023: MAE of the group's share of GDP (pp)\n")
    print(test_a(data, baseline).to_string(float_format=fmt))
    print("\n## (b) 2023 provincial tables against the regionalised dataset (42 sectors)\n")
    print(test_b(data, baseline).to_string(index=False, float_format=fmt))
    print("\n## (c) modelled C39 output / census revenue (2023 census)\n")
    c_new = test_c(data, 2023)
    c = pd.DataFrame({"new 2023 ratio": c_new["ratio"], "new / national": c_new["ratio / national"]})
    if baseline is not None:
        c_old = test_c(baseline, 2022)
        c["baseline 2022 ratio"], c["baseline / national"] = c_old["ratio"], c_old["ratio / national"]
    print(c.to_string(float_format=fmt))
    for col in [x for x in c.columns if x.endswith("/ national")]:
        inside = ((c[col] >= 0.67) & (c[col] <= 1.5)).sum()
        print(f"{col}: {c[col].min():.2f}-{c[col].max():.2f}, {inside}/31 within x0.67-x1.5")
    print("\n## (d) provinces summed / nation (min-max over the years)\n")
    d = test_d(data).add_prefix("new ")
    if baseline is not None:
        d = d.join(test_d(baseline).add_prefix("baseline "))
    print(d.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"\nlargest year-on-year change of a province's ICT investment since 2018: new x{ict_jumps(data):.2f}"
          + (f", baseline x{ict_jumps(baseline):.2f}" if baseline is not None else ""))
    if args.sensitivity:
        print("\n## sensitivity of (b) to the wage-tilt exponent\n")
        print(sensitivity().to_string(float_format=fmt))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
