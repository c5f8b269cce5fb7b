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

import warnings
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import xarray as xr

import capital_stock as cs
from klems.attribution import RULES, attribute, estimate_theta
from klems.errors import ClippedUserCostWarning, InputDataError, ParameterError
from klems.totals import digital_economy_totals

ICT = ("hardware", "communication", "software")
NICT = "non_ict"
ASSET_PARAMETERS = ("mean_life", "depreciation", "beta", "sd_ratio", "truncation_sd",
                    "max_life_ratio")
NET_TAXES = ("exclude", "capital")
GROWTH_SCOPE = ("aggregate", "industry")


@dataclass(frozen=True)
class EstimateOptions:
    """Every parameter of an estimate (recorded in the output's provenance)."""

    attribution: str = "income-share"
    profile: str = "caict"
    timing: str = "end-of-year"
    base_year: str = "printed"
    presample: str = "geometric"
    growth_scope: str = "aggregate"
    growth_method: str = "geometric"
    assets: dict = field(default_factory=dict)      # {"hardware": {"depreciation": 0.25}, ...}
    nict_depreciation: float = 0.096
    net_taxes: str = "exclude"
    rate: str | float = "ex-post"
    smooth_gains: int = 3
    window: int = 3
    min_growth: float = 0.01
    theta: float | None = None
    ict_investment_scale: float = 1.0
    di_scale: float = 1.0
    reference: str = "investment"
    international: str = "euklems-japan"
    smoothing_level: float | None = None

    def __post_init__(self):
        if self.attribution not in RULES:
            raise ParameterError(f"unknown attribution rule {self.attribution!r}; expected one "
                                 f"of {', '.join(RULES)}")
        if self.net_taxes not in NET_TAXES:
            raise ParameterError(f"net_taxes must be one of {', '.join(NET_TAXES)}, got "
                                 f"{self.net_taxes!r}")
        if self.growth_scope not in GROWTH_SCOPE:
            raise ParameterError(f"growth_scope must be one of {', '.join(GROWTH_SCOPE)}, got "
                                 f"{self.growth_scope!r}")
        for name, value in (("ict_investment_scale", self.ict_investment_scale),
                            ("di_scale", self.di_scale)):
            if not np.isfinite(value) or value <= 0:
                raise ParameterError(f"{name} must be a positive number, got {value!r}")
        for asset, changes in self.assets.items():
            if asset not in ICT:
                raise ParameterError(f"unknown ICT asset {asset!r}; expected one of "
                                     f"{', '.join(ICT)}")
            for key in changes:
                if key not in ASSET_PARAMETERS:
                    raise ParameterError(f"unknown parameter {key!r} of asset {asset}; expected "
                                         f"one of {', '.join(ASSET_PARAMETERS)}")
        self.specs()  # validates the asset parameters

    def specs(self) -> dict[str, cs.AssetSpec]:
        base = cs.ict_assets(profile=self.profile, timing=self.timing)
        return {name: spec.replace(**self.assets.get(name, {})) for name, spec in base.items()}

    def with_changes(self, **changes) -> "EstimateOptions":
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


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


def ict_stocks(real_investment: xr.DataArray, opts: EstimateOptions) -> xr.DataArray:
    """Productive ICT stocks (industry, asset, year) at 2000 prices, one profile per asset."""
    out = []
    for name, spec in opts.specs().items():
        inv = real_investment.sel(asset=name)
        growth = None
        if opts.growth_scope == "aggregate":
            total = inv.sum("industry").transpose(..., "year")
            growth = cs.average_growth(total.values, opts.growth_method, asset=name)
            growth = xr.DataArray(growth, dims=total.dims[:-1],
                                  coords={d: total[d] for d in total.dims[:-1]})
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
    from klems.tornqvist import tornqvist
    from klems.user_cost import capital_services

    _check_inputs(data)
    years = data.year
    prices = ict_prices.sel(asset=list(ICT)).reset_coords(drop=True).reindex(year=years)
    if bool(prices.isnull().any()):
        bad = prices.isnull().any("asset")
        raise InputDataError("ICT investment deflators are missing for years "
                             f"{[int(y) for y in years[bad.values].values]}")
    nominal = data["ict_investment"].sel(asset=list(ICT)) * opts.ict_investment_scale
    real = nominal / (prices / 100.0)
    stock_ict = ict_stocks(real, opts)

    nict_p = nict_price.reset_coords(drop=True).reindex(year=years)
    stock = xr.concat([stock_ict, data["nict_stock"].reset_coords(drop=True)
                       .expand_dims(asset=[NICT])], dim="asset", coords="minimal",
                      compat="override")
    price = xr.concat([prices, nict_p.expand_dims(asset=[NICT])], dim="asset",
                      coords="minimal", compat="override") / 100.0
    specs = opts.specs()
    depreciation = xr.DataArray([specs[a].depreciation for a in ICT] + [opts.nict_depreciation],
                                dims="asset", coords={"asset": [*ICT, NICT]})
    from klems.euklems import split_value_added

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
                                    entering="exclude")
    messages = [str(w.message) for w in caught]
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
    ict_comp = asset_comp.sel(asset=list(ICT)).sum("asset")
    nict_comp = asset_comp.sel(asset=NICT)
    growth = services["services_growth"].fillna(0.0)
    volume_ict = np.exp(growth.sel(group="ict").cumsum("year"))
    volume_nict = np.exp(growth.sel(group="nict").cumsum("year"))
    out_volume = output_value / (data["output_deflator"] / 100.0)
    mid = data["intermediate_inputs"]
    accounts = tornqvist(
        output_value, out_volume,
        {"ict": ict_comp, "nict": nict_comp, "labour": data["labour_compensation"],
         "intermediates": mid},
        {"ict": volume_ict, "nict": volume_nict, "labour": data["labour_input"],
         "intermediates": mid / (data["output_deflator"] / 100.0)},
        framework="gross-output", share_tolerance=1e-6)

    deepening = (np.log(volume_ict) - np.log(data["labour_input"])).diff("year")
    theta_fit = None
    theta = opts.theta
    if theta is None:
        theta_fit = estimate_theta(accounts["tfp"].sel(year=deepening.year), deepening)
        theta = theta_fit["theta"]
        if not 0.0 <= theta <= 1.0:
            messages.append(f"θ estimated by OLS is {theta:.3f} (s.e. {theta_fit['theta_se']:.3f}"
                            f", R² {theta_fit['r2']:.3f}); as a share of TFP growth it is "
                            "clipped to [0, 1]")
            theta = float(np.clip(theta, 0.0, 1.0))

    value_added = data["value_added"]
    di_share = (data["di_share"] * opts.di_scale).clip(0.0, 1.0)
    rules = {}
    for rule in RULES:
        rules[rule] = attribute(rule, value_added=value_added, ict_compensation=ict_comp,
                                ict_contribution=accounts["contribution_ict"],
                                output_growth=accounts["output_growth"], tfp=accounts["tfp"],
                                theta=theta, window=opts.window, min_growth=opts.min_growth)
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
                 "contribution_intermediates", "tfp"):
        result[name] = accounts[name]
    result["ict_stock"] = stock_ict
    result["real_ict_investment"] = real.assign_attrs(units="1e8 CNY at 2000 prices",
                                                      long_name="real ICT investment",
                                                      long_name_zh="ICT实际投资", status="modelled")
    result["fallback"] = xr.concat([r["fallback"] for r in rules.values()], dim="rule")
    result = result.assign_coords(rule=list(RULES), industry_sector=industry_sector,
                                  di_share=di_share)
    result.attrs.update({
        "attribution": opts.attribution,
        "theta": float(theta),
        "theta_source": "given" if theta_fit is None else "estimated (OLS)",
        "warnings": "\n".join(dict.fromkeys(messages)),
        "negative_capital_compensation_adjusted": n_adjusted,
        "clipped_user_costs": int(services.attrs.get("clipped", 0))
        if "clipped" in services.attrs else sum("negative" in m for m in messages),
    })
    if theta_fit is not None:
        result.attrs.update({"theta_ols": theta_fit["theta"],
                             "theta_se": theta_fit["theta_se"], "theta_b": theta_fit["b"],
                             "theta_b_se": theta_fit["b_se"], "theta_r2": theta_fit["r2"],
                             "theta_nobs": theta_fit["nobs"]})
    return result


def parse_years(years) -> tuple[int, int] | None:
    """``"2017-2021"``, ``"2021"``, ``(2017, 2021)`` or None -> (first, last)."""
    if years is None:
        return None
    if isinstance(years, str):
        text = years.strip()
        try:
            if "-" in text:
                a, b = text.split("-", 1)
                first, last = int(a), int(b)
            else:
                first = last = int(text)
        except ValueError:
            raise ParameterError(f"years must look like 2017-2021 or 2021, got {years!r}") \
                from None
    else:
        first, last = int(years[0]), int(years[-1])
    if first > last:
        raise ParameterError(f"years: first year {first} is after last year {last}")
    return first, last


# estimator input name -> bundled dataset variable (see klems.datasets)
DATASET_NAMES = {
    "gdp": "gdp", "value_added": "value_added", "gross_output": "gross_output",
    "intermediate_inputs": "intermediate_inputs", "labour_compensation": "labour_compensation",
    "net_production_taxes": "net_production_taxes",
    "capital_compensation": "capital_compensation", "output_deflator": "output_deflator",
    "labour_input": "employment", "nict_stock": "non_ict_capital_stock",
    "ict_investment": "ict_investment",
}


def estimator_inputs(data: xr.Dataset) -> xr.Dataset:
    """The variables of a bundled (or user) dataset under the names :func:`compute` expects."""
    missing = [src for src in DATASET_NAMES.values() if src not in data]
    if missing:
        raise InputDataError(f"dataset lacks variable(s) {missing}; expected the layout of "
                             "klems.load_dataset")
    inputs = xr.Dataset({name: data[src] for name, src in DATASET_NAMES.items()})
    sector = data["industry_sector"] if "industry_sector" in data.coords else data["sector"]
    inputs = inputs.assign_coords(sector=("industry", sector.values),
                                  di_share=("industry", data["di_share"].values))
    drop = [c for c in inputs.coords if c not in ("industry", "year", "asset", "sector",
                                                   "di_share")]
    return inputs.drop_vars(drop)


def prepare_inputs(province: str, opts: EstimateOptions, data: xr.Dataset | None = None):
    """The bundled dataset of a province with its ICT and non-ICT investment prices."""
    import price_index

    if data is None:
        from klems.datasets import load_dataset

        data = load_dataset(province)
    inputs = estimator_inputs(data)
    key = data.attrs.get("province", province)
    if "ict_deflator" in data:      # a user's own deflators (klems.user_data) are used as given
        ict_p = data["ict_deflator"]
    elif (opts.reference, opts.international, opts.smoothing_level) == \
            ("investment", "euklems-japan", None) and \
            (bundled := price_index.bundled_ict_deflators(key)) is not None:
        ict_p = bundled       # default options: the built table, no refit at start-up
    else:
        try:
            ict_p = price_index.ict_deflators(key, reference=opts.reference,
                                              international=opts.international,
                                              smoothing_level=opts.smoothing_level)
        except InputDataError as exc:
            if opts.reference != "investment" or "fixed-asset-investment price index" \
                    not in str(exc):
                raise
            # e.g. Tibet publishes no FAI price index: harmonise against the GDP deflator
            ict_p = price_index.ict_deflators(key, reference="gdp",
                                              international=opts.international,
                                              smoothing_level=opts.smoothing_level)
            ict_p.attrs["fallback"] = (f"{key} has no fixed-asset-investment price index: the "
                                       "ICT deflators use the GDP deflator as domestic reference")
    nict_p = data["non_ict_investment_deflator"]
    return data, inputs, ict_p, nict_p


def estimate(province: str = "guangxi", *, years=None, data: xr.Dataset | None = None,
             **options) -> xr.Dataset:
    """Estimate the digital economy of a province (or ``china``); see :class:`EstimateOptions`.

    ``years`` (``"2017-2021"`` or a pair) restricts the reported years (the stocks always run
    over the whole dataset). ``data`` replaces the bundled dataset (e.g. a user's own, read by
    the template reader). Returns the Dataset that the CLI prints and writes.
    """
    from klems.provenance import provenance_attrs

    opts = EstimateOptions(**options)
    span = parse_years(years)
    data, inputs, ict_p, nict_p = prepare_inputs(province, opts, data)
    result = compute(inputs, ict_p, nict_p, opts)
    if ict_p.attrs.get("fallback"):
        result.attrs["warnings"] = "\n".join(
            w for w in (ict_p.attrs["fallback"], result.attrs.get("warnings", "")) if w)
    if span is not None:
        avail = [int(y) for y in result.year.values]
        missing = [y for y in range(span[0], span[1] + 1) if y not in avail]
        if missing:
            raise ParameterError(f"years {missing} are outside the estimate's years "
                                 f"{avail[0]}-{avail[-1]}")
        result = result.sel(year=slice(span[0], span[1]))
    result["ict_deflator"] = ict_p.assign_attrs(units="index 2000=100")
    statuses = {name: data[name].attrs.get("status", "unknown") for name in data.data_vars}
    result.attrs.update(provenance_attrs(
        {**opts.as_dict(), "years": list(span) if span else None},
        statuses=statuses,
        inputs={"dataset": data.attrs.get("sha256", "")} if data.attrs.get("sha256") else None))
    result.attrs["province"] = data.attrs.get("province", province)
    result.attrs["province_zh"] = data.attrs.get("province_zh", "")
    result.attrs["data_source"] = data.attrs.get(
        "source", "bundled dataset (regionalised national input-output structure)")
    return result
