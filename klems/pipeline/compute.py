"""The estimate end to end: real ICT investment → stocks → user costs → Törnqvist → ID → DE.

``estimate(province)`` loads the bundled dataset and the price indices, runs :func:`compute`
and returns one xarray Dataset with the yearly totals (DE, DI, ID, GDP, shares, growth,
contribution to GDP growth, sector penetration) under every attribution rule, the industry
detail, θ's regression statistics, warnings and provenance attributes. ``compute`` is pure: it
takes the input variables and parameters as arguments, so sweeps and tests call it directly.

Input variables (xarray Dataset, nominal 1e8 CNY unless stated):

=========================  ======================  =============================================
name                       dims                    meaning
=========================  ======================  =============================================
gdp                        year                    地区生产总值
value_added                industry, year          增加值
gross_output               industry, year          总产出
intermediate_inputs        industry, year          中间投入
labour_compensation        industry, year          劳动者报酬
net_production_taxes       industry, year          生产税净额
capital_compensation       industry, year          固定资产折旧 + 营业盈余
output_deflator            industry, year          index 2000=100
labour_input               industry, year          employment (10^4 persons)
nict_stock                 industry, year          non-ICT capital stock, 1e8 CNY at 2000 prices
ict_investment             industry, asset, year   nominal ICT GFCF by using industry
=========================  ======================  =============================================
plus the industry coordinates ``sector`` (primary/secondary/tertiary) and ``di_share``.
"""


from __future__ import annotations

import json
import warnings

import numpy as np
import xarray as xr

import capital_stock as cs
from klems.accounts.attribution import attribute, estimate_theta
from klems.accounts.factor_income import split_value_added
from klems.accounts.growth_accounting import log_change, tornqvist_from_growth
from klems.accounts.totals import digital_economy_totals
from klems.accounts.user_costs import capital_services
from klems.base.errors import ClippedUserCostWarning, InputDataError, KlemsError
from klems.base.vocabulary import ICT_ASSETS as ICT, NON_ICT as NICT, RULES
from klems.datasets.theta_estimates import pooled_theta, province_theta
from klems.pipeline.options import EstimateOptions, freeze_year

#: the first year of the bundled accounts (user costs need the year before: the data start 2000)
FIRST_ACCOUNTS_YEAR = 2001


def _check_inputs(data: xr.Dataset) -> None:
    required = {
        "gdp": ("year",), "value_added": ("industry", "year"),
        "gross_output": ("industry", "year"), "intermediate_inputs": ("industry", "year"),
        "labour_compensation": ("industry", "year"),
        "net_production_taxes": ("industry", "year"),
        "capital_compensation": ("industry", "year"), "output_deflator": ("industry", "year"),
        "labour_input": ("industry", "year"), "nict_stock": ("industry", "year"),
        "ict_investment": ("industry", "asset", "year"),
    }
    for name, dims in required.items():
        if name not in data:
            raise InputDataError(f"input variable {name!r} is missing; expected dims {dims}",
                                 variable=name)
        missing = set(dims) - set(data[name].dims)
        if missing:
            raise InputDataError(f"input variable {name!r} lacks dimension(s) "
                                 f"{sorted(missing)}; it has {data[name].dims}", variable=name)
    for coord in ("sector", "di_share"):
        if coord not in data.coords and coord not in data:
            raise InputDataError(f"industry coordinate {coord!r} is missing", variable=coord)



def _aggregate_growth(total: xr.DataArray, opts: EstimateOptions, name: str,
                      notes: list[str] | None):
    """Average growth of an asset's total investment for the base-year stock. A series that
    starts late (zeros in the first years) grows from its first positive year; an asset without
    any investment has no growth (its stock is zero whatever the rate)."""
    values = total.values
    positive = np.flatnonzero(values > 0) if values.ndim == 1 else None
    if positive is not None and positive.size == 0:
        if notes is not None:
            notes.append(f"no investment in {name} in any year: its stock is zero")
        return 0.0
    if positive is not None and positive[0] > 0:
        years = total.year.values
        if notes is not None:
            notes.append(f"investment in {name} starts in {int(years[positive[0]])} (zero "
                         f"before): its stock starts then, and the growth rate of the base-year "
                         f"stock is taken over {int(years[positive[0]])}-{int(years[-1])}")
        values = values[positive[0]:]
    return cs.average_growth(values, opts.growth_method, asset=name)


def ict_stocks(real_investment: xr.DataArray, opts: EstimateOptions,
               notes: list[str] | None = None, freeze: int | None = None) -> xr.DataArray:
    """Productive ICT stocks (industry, asset, year) at 2000 prices, one profile per asset.

    ``freeze``: a year, or None; the average investment growth g of the base-year stock is
    computed from the years up to it only (:func:`klems.pipeline.options.freeze_year`)."""
    out = []
    for name, spec in opts.specs().items():
        inv = real_investment.sel(asset=name)
        growth = None
        sample = inv if freeze is None else inv.sel(year=slice(None, freeze))  # issue 16
        if opts.growth_scope == "aggregate":
            total = sample.sum("industry").transpose(..., "year")
            growth = _aggregate_growth(total, opts, name, notes)
            growth = xr.DataArray(growth, dims=total.dims[:-1],
                                  coords={d: total[d] for d in total.dims[:-1]})
        elif freeze is not None:  # issue 16: each industry's own g, from the frozen years
            own = sample.transpose(..., "year")
            growth = xr.DataArray(cs.average_growth(own.values, opts.growth_method, asset=name),
                                  dims=own.dims[:-1], coords={d: own[d] for d in own.dims[:-1]})
        out.append(cs.perpetual_inventory(inv, spec, base_year=opts.base_year,
                                          presample=opts.presample, growth=growth,
                                          growth_method=opts.growth_method))
    stock = xr.concat(out, dim=xr.DataArray(list(opts.specs()), dims="asset", name="asset"),
                      coords="minimal", compat="override")
    return stock.assign_attrs(units="1e8 CNY at 2000 prices", long_name="productive ICT stock",
                              long_name_zh="ICT生产性资本存量", status="modelled")



def compute(data: xr.Dataset, ict_prices: xr.DataArray, nict_price: xr.DataArray,
            opts: EstimateOptions) -> xr.Dataset:
    """Run the whole pipeline on prepared inputs; see the module docstring for ``data``.

    ``ict_prices``: (asset, year) index 2000=100 for the ICT assets; ``nict_price``: (year)
    index 2000=100 of non-ICT investment.
    """

    _check_inputs(data)
    years = data.year
    prices = ict_prices.sel(asset=list(ICT)).reset_coords(drop=True).reindex(year=years)
    if bool(prices.isnull().any()):
        bad = prices.isnull().any("asset")
        raise InputDataError("ICT investment deflators are missing for years "
                             f"{[int(y) for y in years[bad.values].values]}")
    nominal = data["ict_investment"].sel(asset=list(ICT)) * opts.ict_investment_scale
    real = nominal / (prices / 100.0)
    notes: list[str] = []
    freeze = freeze_year(opts.freeze_through, data.attrs.get("freeze_through"), years)  # issue 16
    stock_ict = ict_stocks(real, opts, notes, freeze)

    nict_p = nict_price.reset_coords(drop=True).reindex(year=years)
    stock = xr.concat([stock_ict, data["nict_stock"].reset_coords(drop=True)
                       .expand_dims(asset=[NICT])], dim="asset", coords="minimal",
                      compat="override")
    price = xr.concat([prices, nict_p.expand_dims(asset=[NICT])], dim="asset",
                      coords="minimal", compat="override") / 100.0
    specs = opts.specs()
    depreciation = xr.DataArray([specs[a].depreciation for a in ICT] + [opts.nict_depreciation],
                                dims="asset", coords={"asset": [*ICT, NICT]})

    factor_income = data["labour_compensation"] + data["capital_compensation"]
    labour_comp, comp, adjusted = split_value_added(
        factor_income, data["labour_compensation"], data["capital_compensation"])
    n_adjusted = int(adjusted.sum())
    data = data.assign(labour_compensation=labour_comp, capital_compensation=comp)
    output_value = data["gross_output"]
    if opts.net_taxes == "exclude":
        output_value = output_value - data["net_production_taxes"]
    else:
        comp = comp + data["net_production_taxes"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ClippedUserCostWarning)
        services = capital_services(stock, price.assign_attrs(units="index"), depreciation, comp,
                                    groups={"ict": list(ICT), "nict": [NICT]}, rate=opts.rate,
                                    smooth_gains=opts.smooth_gains, price_base=1.0,
                                    entering="exclude", freeze_through=freeze)
    messages = notes + [str(w.message) for w in caught]
    if n_adjusted:
        cells = adjusted.where(adjusted, drop=True)
        messages.insert(0, f"negative capital compensation in {n_adjusted} industry-years (e.g. "
                           f"industry {cells.industry.values[0]}): set to 5 % of labour plus "
                           "capital compensation, labour the rest (EU KLEMS D2.3.1 rule)")
    # user costs need the previous year's price: the accounts start in the second year
    first = int(years[0])
    services = services.sel(year=slice(first + 1, None))
    data = data.sel(year=slice(first + 1, None))
    output_value = output_value.sel(year=slice(first + 1, None))
    asset_comp = services["asset_compensation"]
    # no capital compensation in an industry-year (e.g. no value added that year): every asset's
    # share of it is zero, and its rate of return undefined (left NaN, listed in the warnings)
    no_capital = (comp.sel(year=asset_comp.year) == 0).reset_coords(drop=True)
    if bool(no_capital.any()):
        asset_comp = asset_comp.where(~no_capital, 0.0)
        cells = no_capital.where(no_capital, drop=True)
        messages.append(f"no capital compensation in {int(no_capital.sum())} industry-year(s) "
                        f"(e.g. industry {cells.industry.values[0]}, {int(cells.year.values[0])})"
                        ": capital's income there is zero, its rate of return undefined")
    ict_comp = asset_comp.sel(asset=list(ICT)).sum("asset")
    nict_comp = asset_comp.sel(asset=NICT)
    # capital services grow by their Törnqvist index (a year without one counts as no change);
    # output, labour and intermediates by the log change of their volumes
    growth = services["services_growth"].fillna(0.0).reset_coords(drop=True)
    deflator = data["output_deflator"] / 100.0
    mid = data["intermediate_inputs"]
    labour_growth = log_change(data["labour_input"])
    accounts = tornqvist_from_growth(
        output_value, log_change(output_value / deflator),
        {"ict": ict_comp, "nict": nict_comp, "labour": data["labour_compensation"],
         "intermediates": mid},
        {"ict": growth.sel(group="ict", drop=True), "nict": growth.sel(group="nict", drop=True),
         "labour": labour_growth, "intermediates": log_change(mid / deflator)},
        share_tolerance=1e-6)
    # ICT capital deepening: growth of ICT capital services per unit of labour
    deepening = (growth.sel(group="ict", drop=True) - labour_growth).isel(year=slice(1, None))
    sample = deepening if freeze is None else deepening.sel(year=slice(None, freeze))  # issue 16
    # the region's own regression (statsmodels) is needed when θ is the province's own; with
    # the pooled (bundled) θ, the province's own fit and its test come from the bundle too
    theta_fit = None
    if opts.theta_value is None and opts.theta not in ("pooled", "informative"):
        theta_fit = estimate_theta(accounts["tfp"].sel(year=sample.year), sample)
    theta, theta_source, note = resolve_theta(opts, theta_fit, data.attrs.get("province"),
                                              data.attrs.get("vintage"))
    if note:
        messages.append(note)

    value_added = data["value_added"]
    di_share = (data["di_share"] * opts.di_scale).clip(0.0, 1.0)
    base_year = int(data.year[0]) if opts.cumulative_base_year is None \
        else opts.cumulative_base_year
    theta_used = theta
    if opts.sector_theta:       # θ by sector where given, θ elsewhere
        sector = data["sector"].reset_coords(drop=True)
        theta_used = xr.DataArray([float(opts.sector_theta.get(str(s), theta))
                                   for s in sector.values], dims="industry",
                                  coords={"industry": sector.industry})
    rules = {}
    for rule in RULES:
        rules[rule] = attribute(rule, value_added=value_added, ict_compensation=ict_comp,
                                ict_contribution=accounts["contribution_ict"],
                                output_growth=accounts["output_growth"], tfp=accounts["tfp"],
                                theta=theta_used, window=opts.window, min_growth=opts.min_growth,
                                output_value=output_value,
                                share_intermediates=accounts["share_intermediates"],
                                base_year=base_year, basis=opts.cumulative_basis,
                                negative=opts.cumulative_negative)
    messages.extend(cumulative_notes(rules["cumulative"], opts, base_year))
    by_rule = xr.concat([r["id"] for r in rules.values()],
                        dim=xr.DataArray(list(RULES), dims="rule", name="rule"))
    totals = digital_economy_totals(value_added=value_added, id_industry=by_rule,
                                    di_share=di_share, sector=data["sector"], gdp=data["gdp"])
    chosen = totals.sel(rule=opts.attribution, drop=True)
    result = chosen.copy()
    industry_sector = data["sector"].reset_coords(drop=True)
    value_added = value_added.reset_coords(drop=True)
    by_rule = by_rule.reset_coords(drop=True)
    di_share = di_share.reset_coords(drop=True)
    ict_comp = ict_comp.reset_coords(drop=True)
    for name in ("digital_economy", "industrial_digitalization", "share_of_gdp",
                 "nominal_growth", "contribution_to_gdp_growth", "penetration"):
        result[f"{name}_by_rule"] = totals[name].assign_attrs(totals[name].attrs)
    result["id_industry"] = (by_rule * (1.0 - di_share)).assign_attrs(
        units="1e8 CNY", status="modelled",
        long_name="industrial digitalization by industry (net of the DI share, as counted in ID)",
        long_name_zh="分行业产业数字化规模")
    result["di_industry"] = (value_added * di_share).assign_attrs(
        units="1e8 CNY", status="derived", long_name="digital industrialization by industry",
        long_name_zh="分行业数字产业化规模")
    result["value_added"] = value_added
    result["ict_compensation"] = ict_comp.assign_attrs(
        units="1e8 CNY", long_name="ICT capital compensation", long_name_zh="ICT资本报酬",
        status="modelled")
    result["rate_of_return"] = services["rate"]
    for name in ("output_growth", "contribution_ict", "contribution_nict", "contribution_labour",
                 "contribution_intermediates", "share_intermediates", "tfp"):
        result[name] = accounts[name]
    result["ict_deepening"] = deepening.reindex(year=result.year).assign_attrs(
        units="log change", long_name="ICT capital deepening (growth of ICT capital services "
        "per unit of labour), the regressor of θ", long_name_zh="ICT资本深化")
    result["ict_stock"] = stock_ict
    result["real_ict_investment"] = real.assign_attrs(units="1e8 CNY at 2000 prices",
                                                      long_name="real ICT investment",
                                                      long_name_zh="ICT实际投资", status="modelled")
    result["fallback"] = xr.concat([r["fallback"] for r in rules.values()], dim="rule")
    result["clipped"] = xr.concat([r["clipped"] for r in rules.values()], dim="rule")
    result = result.assign_coords(rule=list(RULES), industry_sector=industry_sector,
                                  di_share=di_share)
    result.attrs.update({
        "attribution": opts.attribution,
        "theta": float(theta),
        "theta_source": theta_source,
        "sector_theta": json.dumps(opts.sector_theta, sort_keys=True),
        "cumulative_base_year": base_year,
        "cumulative_basis": opts.cumulative_basis,
        "cumulative_negative": opts.cumulative_negative,
        "warnings": "\n".join(dict.fromkeys(messages)),
        "negative_capital_compensation_adjusted": n_adjusted,
        "freeze_through": "none" if freeze is None else int(freeze),          # issue 16
        "freeze_through_option": str(opts.freeze_through),
        "clipped_user_costs": int(services.attrs.get("clipped_count", 0)),
    })
    own = None
    province = data.attrs.get("province")
    if theta_fit is None and province and freeze is None:
        try:                # the same regression, run by the θ bundle's build (clustered s.e.)
            own = province_theta(province, data.attrs.get("vintage") or None)
        except (KlemsError, KeyError):
            own = None
    if own is not None:
        result.attrs.update({"theta_ols": own["theta"], "theta_se": own["se"],
                             "theta_b": own["b"], "theta_b_se": own["b_se"],
                             "theta_r2": own["r2"], "theta_nobs": own["nobs"],
                             "theta_ols_source": "the province's own regression in the bundled "
                                                 "θ file (python -m data.build.theta; s.e. "
                                                 "clustered by industry)",
                             "theta_own_informative": int(bool(own["informative"]))})
    if theta_fit is not None:
        result.attrs.update({"theta_ols": theta_fit["theta"],
                             "theta_se": theta_fit["theta_se"], "theta_b": theta_fit["b"],
                             "theta_b_se": theta_fit["b_se"], "theta_r2": theta_fit["r2"],
                             "theta_nobs": theta_fit["nobs"]})
    if theta_source.startswith("pooled"):
        pooled = pooled_theta(data.attrs.get("vintage") or None)
        result.attrs.update({"theta_pooled": pooled["theta"], "theta_pooled_se": pooled["se"],
                             "theta_pooled_vintage": pooled["vintage"]})
    return result


def resolve_theta(opts: EstimateOptions, fit: dict, province: str | None,
                  vintage: str | None) -> tuple[float, str, str]:
    """θ used by the rules that take one, where it came from, and a note for the warnings.

    A number is used as given. ``"pooled"``: the bundled pooled 31-province θ of the data's
    vintage (:mod:`klems.datasets.theta_estimates`). ``"province"``: the data's own regression
    ``fit``, clipped to [0, 1]. ``"informative"``: the province's own θ where the bundled test
    finds its regression informative, the pooled θ otherwise.
    """
    if opts.theta_value is not None:
        return opts.theta_value, "given", ""
    note = ""
    if opts.theta == "informative":
        if province:
            own = province_theta(province, vintage or None)
            if own.get("informative"):
                return float(own["theta"]), "province's own θ (informative regression)", ""
            note = (f"θ: the regression of {province} is not informative by the bundled test; "
                    "the pooled θ is used")
        else:
            note = "θ: the data name no province; the pooled θ is used"
    if opts.theta in ("pooled", "informative"):
        pooled = pooled_theta(vintage or None)
        return (float(pooled["theta"]),
                f"pooled (31 provinces, vintage {pooled['vintage']}; s.e. {pooled['se']:.3f})",
                note)
    theta = fit["theta"]
    if not 0.0 <= theta <= 1.0:
        note = (f"θ estimated by OLS is {theta:.3f} (s.e. {fit['theta_se']:.3f}, R² "
                f"{fit['r2']:.3f}); as a share of TFP growth it is clipped to [0, 1]")
        theta = float(np.clip(theta, 0.0, 1.0))
    return float(theta), "estimated (OLS)", note


def cumulative_notes(out: xr.Dataset, opts: EstimateOptions, base_year: int) -> list[str]:
    """Warnings of the cumulative rule when it is the chosen one: floored yearly terms, ID
    capped at value added (gross-output basis), a base year later than the bundled data's."""
    if opts.attribution != "cumulative":
        return []
    notes = []
    if opts.cumulative_negative == "floor":
        neg = out["term"] < 0
        n_neg = int(neg.sum())
        if n_neg:
            notes.append(f"cumulative rule: {n_neg} industry-years have a negative yearly term "
                         f"(ICT contribution + θ·TFP), floored at 0 (sum "
                         f"{float(out['term'].where(neg).sum()):.3f} log points)")
    after = out["clipped"] & ~out["fallback"]
    low = after & (out["rate"] == 0)
    if int(low.sum()):
        notes.append(f"cumulative rule: ID negative in {int(low.sum())} industry-years (in "
                     f"{int(low.any('year').sum())} industries: the sum of their yearly terms "
                     "is below the start), set to 0")
    high = after & (out["rate"] == 1)
    if int(high.sum()):
        notes.append(f"cumulative rule ({opts.cumulative_basis} basis): ID above value added "
                     f"in {int(high.sum())} industry-years, capped at value added")
    if base_year > FIRST_ACCOUNTS_YEAR:
        notes.append(f"cumulative rule: base year {base_year} is later than "
                     f"{FIRST_ACCOUNTS_YEAR}, the first year of the bundled accounts; the level "
                     "of ID falls with a later base year (docs/attribution.md)")
    return notes

