"""klems extend as a library (:func:`klems.inputs.extension.extend`): the bundled Guangxi data
through 2022 extended by yearbooks of 2023 (and 2024) built in memory. The yearbook figures
are those the bundled data hold for 2023-2024 (NBS 分省年度数据 after the fifth census: GDP,
sectors, groups; data/sources/PROVENANCE.md), so the margins can be checked exactly."""

from __future__ import annotations

import numpy as np
import pytest

from klems.base.errors import InputDataError
from klems.datasets.bundled import load_dataset
from klems.datasets.cells import ELECTRONICS, GROUPS, industry_cells
from klems.inputs.dataset_figures import (
    cell_sums,
    group_sums,
    sector_of,
    sector_sums,
    yearbook_figures,
)
from klems.inputs.extension import VARIABLES, extend
from klems.inputs.yearbook import Yearbook
from klems.pipeline.estimation import prepare_inputs
from klems.pipeline.options import EstimateOptions

CORE = ("gdp", "va_primary", "va_secondary", "va_tertiary", "index_gdp")


@pytest.fixture(scope="module")
def bundled():
    data = load_dataset("guangxi")
    ict = prepare_inputs("guangxi", EstimateOptions(), data)[2]
    return data, ict


@pytest.fixture(scope="module")
def base(bundled):
    data, ict = bundled
    return data.sel(year=slice(None, 2022)), ict.sel(year=slice(None, 2022))


def book(bundled, year, keys=CORE, **extra) -> Yearbook:
    data, ict = bundled
    figs = yearbook_figures(data, ict, year)
    yb = Yearbook(f"yearbook_{year}.xlsx", year, "guangxi",
                  values={k: figs[k][0] for k in keys})
    for name, value in extra.items():
        getattr(yb, name).update(value)
    for k in yb.values:
        yb.where[k] = f"sheet x, cell E{4 + len(yb.where)}"
    return yb


def test_new_year_meets_the_published_margins_and_the_identities(bundled, base):
    keys = CORE + tuple(f"group_{g}" for g in GROUPS) + ("emp_primary", "emp_secondary",
                                                         "emp_tertiary")
    yb = book(bundled, 2023, keys)
    ext = extend(*base, [yb], province="guangxi")
    d = ext.data
    assert [int(y) for y in d.year.values] == list(range(2000, 2024))
    va = d.value_added.sel(year=2023).values
    sector = sector_of(d)
    for s, v in sector_sums(va, sector).items():
        assert v == pytest.approx(yb.values[f"va_{s}"], rel=1e-12)
    groups = group_sums(cell_sums(va))
    for g in GROUPS:
        assert groups[g] == pytest.approx(yb.values[f"group_{g}"], rel=1e-9), g
    assert float(d.gdp.sel(year=2023)) == yb.values["gdp"]
    emp = sector_sums(d.employment.sel(year=2023).values, sector)
    for s in emp:
        assert emp[s] == pytest.approx(yb.values[f"emp_{s}"], rel=1e-12)
    y = d.sel(year=2023)
    np.testing.assert_allclose(y.value_added, y.labour_compensation + y.net_production_taxes
                               + y.capital_compensation, rtol=0, atol=1e-9)
    np.testing.assert_allclose(y.gross_output, y.value_added + y.intermediate_inputs, atol=1e-9)
    for v in VARIABLES:      # earlier years untouched: no revision in the yearbook
        np.testing.assert_array_equal(d[v].sel(year=slice(None, 2022)).values,
                                      base[0][v].transpose(*d[v].dims).values, err_msg=v)
    status = {v: str(d[f"{v}_status"].sel(year=2023).values) for v in VARIABLES}
    assert status["gdp"] == "published" and status["value_added"] == "modelled"
    assert status["non_ict_investment_deflator"] == "modelled"    # no price index given
    notes = ext.notes_frame()
    rule = notes.set_index("variable").loc["value_added", "rule"]
    assert "nine groups by identities (derived)" in rule
    assert set(notes.variable) >= set(VARIABLES) and not ext.revisions
    assert ext.freeze_through == 2022 and d.attrs["freeze_through"] == 2022


def test_structure_is_carried_without_groups(bundled, base):
    ext = extend(*base, [book(bundled, 2023)])
    d = ext.data
    share = lambda y: cell_sums(d.value_added.sel(year=y).values) / float(d.gdp.sel(year=y))
    va = d.value_added.sel(year=[2022, 2023]).values
    # within each cell every industry grows at the cell's rate
    cells = cell_sums(va[:, 1]) / cell_sums(va[:, 0])
    np.testing.assert_allclose(va[:, 1] / va[:, 0], cells[industry_cells()], rtol=1e-12)
    assert "shares of the published sectors (modelled)" in \
        ext.notes_frame().set_index("variable").loc["value_added", "rule"]
    assert share(2023).sum() == pytest.approx(1.0, rel=2e-3)


def test_prices_from_the_yearbook_and_the_rule_for_ict_deflators(bundled, base):
    yb = book(bundled, 2023, values={"fai_price": 101.5, "cpi_transport_communication": 99.0})
    d = extend(*base, [yb]).data
    p = d.non_ict_investment_deflator
    assert float(p.sel(year=2023)) == pytest.approx(float(p.sel(year=2022)) * 1.015, rel=1e-14)
    assert str(d.non_ict_investment_deflator_status.sel(year=2023).values) == "derived"
    ict = d.ict_deflator
    soft = ict.sel(asset="software")
    assert float(soft.sel(year=2023)) == pytest.approx(0.99 * float(soft.sel(year=2022)))
    for a in ("hardware", "communication"):      # Δln P = Δln P_nonICT + λ (λ of 2022 held)
        x = ict.sel(asset=a)
        lam = np.log(float(x.sel(year=2022) / x.sel(year=2021))) - \
            np.log(float(p.sel(year=2022) / p.sel(year=2021)))
        assert np.log(float(x.sel(year=2023) / x.sel(year=2022))) == pytest.approx(
            np.log(1.015) + lam, rel=1e-12)


def test_published_ict_figures_are_margins(bundled, base):
    yb = book(bundled, 2023, values={"va_electronics": 150.0, "ict_hardware": 40.0,
                                     "ict_communication": 170.0, "ict_software": 1100.0,
                                     "gfcf": 13000.0})
    d = extend(*base, [yb]).data
    va = d.value_added.sel(year=2023)
    assert float(va.sel(industry=list(ELECTRONICS)).sum()) == pytest.approx(150.0, rel=1e-12)
    assert float(va.sum()) == pytest.approx(sum(yb.values[f"va_{s}"] for s in
                                                ("primary", "secondary", "tertiary")))
    ict = d.ict_investment.sel(year=2023).sum("industry")
    np.testing.assert_allclose(ict.values, [40.0, 170.0, 1100.0], rtol=1e-9)
    assert float(d.gfcf.sel(year=2023)) == 13000.0
    assert str(d.gfcf_status.sel(year=2023).values) == "published"


def test_revisions_change_only_their_year_and_are_listed(bundled, base):
    data, _ = base
    old = yearbook_figures(data, bundled[1], 2022)
    revised = {("va_tertiary", 2022): old["va_tertiary"][0] * 1.02,
               ("gdp", 2022): old["gdp"][0] + 0.02 * old["va_tertiary"][0],
               ("emp_secondary", 2021): yearbook_figures(data, bundled[1], 2021)[
                   "emp_secondary"][0] * 0.9}
    yb = book(bundled, 2023, revisions=revised,
              revision_where={k: f"sheet gdp, cell J{i}" for i, k in enumerate(revised)})
    ext = extend(*base, [yb])
    d = ext.data
    va22 = sector_sums(d.value_added.sel(year=2022).values, sector_of(d))
    assert va22["tertiary"] == pytest.approx(revised[("va_tertiary", 2022)], rel=1e-12)
    assert va22["primary"] == pytest.approx(old["va_primary"][0], rel=1e-12)
    assert float(d.gdp.sel(year=2022)) == revised[("gdp", 2022)]
    for v in ("value_added", "gross_output", "non_ict_capital_stock", "output_deflator"):
        np.testing.assert_array_equal(d[v].sel(year=slice(None, 2020)).values,
                                      data[v].sel(year=slice(None, 2020)).values, err_msg=v)
    rows = ext.revisions_frame().set_index(["item", "year"])
    assert len(rows) == 3
    assert rows.loc[("va_tertiary", 2022), "change_pct"] == pytest.approx(2.0, rel=1e-9)
    assert rows.loc[("va_tertiary", 2022), "source"] == "yearbook_2023.xlsx, sheet gdp, cell J0"
    assert "value added" in rows.loc[("va_tertiary", 2022), "changed"]
    emp = d.employment.sel(year=2021).values
    sec = sector_of(d) == "secondary"
    np.testing.assert_allclose(emp[sec], data.employment.sel(year=2021).values[sec] * 0.9)


def test_a_revised_price_index_moves_the_deflators_and_the_stocks_from_its_year(bundled, base):
    data, ict = base
    p = data.non_ict_investment_deflator
    yb = book(bundled, 2023, revisions={("fai_price", 2021): 103.0},
              revision_where={("fai_price", 2021): "sheet prices, cell J8"})
    d = extend(*base, [yb]).data
    new = d.non_ict_investment_deflator
    assert float(new.sel(year=2021) / new.sel(year=2020)) == pytest.approx(1.03, rel=1e-12)
    np.testing.assert_array_equal(new.sel(year=slice(None, 2020)).values,
                                  p.sel(year=slice(None, 2020)).values)
    ratio = float(new.sel(year=2022) / p.sel(year=2022))
    assert float(new.sel(year=2021) / p.sel(year=2021)) == pytest.approx(ratio, rel=1e-12)
    k_old, k_new = data.non_ict_capital_stock, d.non_ict_capital_stock
    np.testing.assert_array_equal(k_new.sel(year=2020).values, k_old.sel(year=2020).values)
    assert not np.allclose(k_new.sel(year=2021).values, k_old.sel(year=2021).values)


@pytest.mark.parametrize("change, message", [
    (lambda yb: setattr(yb, "year", 2024), r"the yearbook's year 2024 does not follow the "
                                           r"data's last year 2022; expected 2023 \(fill in a "
                                           r"yearbook for 2023 first"),
    (lambda yb: setattr(yb, "province", "yunnan"), r"the yearbook is for yunnan, not guangxi"),
    (lambda yb: yb.values.update(va_electronics=9000.0),
     r"the ICT industries' value added va_electronics = 9,000.00 is not below the value added "
     r"of cell industry_secondary"),
    (lambda yb: (yb.revisions.update({("gdp", 1999): 1.0}),
                 yb.revision_where.update({("gdp", 1999): "sheet gdp, cell J4"})),
     r"yearbook_2023.xlsx, sheet gdp, cell J4: a revised figure of 1999, but the data run "
     r"2000-2022; expected a year of the data"),
])
def test_extension_errors(bundled, base, change, message):
    yb = book(bundled, 2023)
    change(yb)
    with pytest.raises(InputDataError, match=message):
        extend(*base, [yb], province="guangxi")


def test_two_years_at_once_and_the_freeze_year_recorded_first_is_kept(bundled, base):
    data, ict = base
    first = extend(data, ict, [book(bundled, 2023)])
    again = extend(first.data, first.data["ict_deflator"].assign_coords(
        status=first.data["ict_deflator_status"]), [book(bundled, 2024)])
    both = extend(data, ict, [book(bundled, 2024), book(bundled, 2023)])
    assert again.freeze_through == 2022 == both.freeze_through
    for v in VARIABLES:
        np.testing.assert_allclose(again.data[v].values, both.data[v].values, rtol=1e-12,
                                   err_msg=v)
    assert list(both.notes_frame().year.unique()) == [2023, 2024]
