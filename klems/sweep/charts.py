"""PNG charts of a sweep: the tornado (one-at-a-time swings), the fan (quantile bands over
years) and, for several provinces, the intervals of the share of GDP by province.

Labels are Chinese when a font with Chinese glyphs is available (:func:`klems.outputs.fonts.use_cjk_font`),
otherwise English with a warning.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from klems.base.errors import UnknownProvinceError
from klems.base.provinces import province
from klems.outputs.figures import chart_language, finish, year_axis

ASSET_ZH = {"hardware": "计算机硬件", "communication": "通信设备", "software": "软件"}
PARAM_ZH = {"depreciation": "折旧率δ", "mean_life": "平均服务年限μ", "beta": "双曲线参数β",
            "sd_ratio": "退役标准差系数", "truncation_sd": "截断标准差倍数",
            "max_life_ratio": "最长寿命倍数", "profile": "年龄-效率曲线",
            "attribution": "产业数字化归属方法", "ict_scale": "ICT投资系数",
            "di_scale": "数字产业化比例系数", "theta": "TFP归因份额θ",
            "nict_depreciation": "非ICT资产折旧率"}
DESIGN_ZH = {"sobol": "Sobol序列", "lhs": "拉丁超立方", "grid": "网格"}


def param_label(name: str, lang: str) -> str:
    if lang != "zh":
        return name
    if "." in name:
        asset, param = name.split(".", 1)
        return f"{ASSET_ZH.get(asset, asset)} {PARAM_ZH.get(param, param)}"
    return PARAM_ZH.get(name, name)


def _province_label(key: str, lang: str) -> str:

    try:
        p = province(key)
    except UnknownProvinceError:
        return key
    return p.zh if lang == "zh" else p.en


def _footer(ds, lang) -> str:
    n = ds.attrs.get("draws", ds.sizes.get("draw", 0))
    design = ds.attrs.get("design", "")
    return ((f"来源：klems {ds.attrs.get('project_version', '')} 敏感性分析，"
             f"{DESIGN_ZH.get(design, design)}设计，{n:,}次抽样，种子 "
             f"{ds.attrs.get('seed', '')}（模型测算）") if lang == "zh" else
            (f"Source: klems {ds.attrs.get('project_version', '')} sensitivity sweep, "
             f"{design} design, {n:,} draws, seed {ds.attrs.get('seed', '')} (modelled)"))


def tornado_chart(ds: xr.Dataset, path, province: str | None = None, lang: str = "zh") -> str:
    """Horizontal bars: DE of the last year with one parameter at each end of its range."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    p = province or str(ds.province.values[0])
    sel = ds.sel(province=p)
    base = float(sel.tornado_base)
    year = int(sel.tornado_base.attrs.get("year", ds.year.values[-1]))
    low, high = sel.tornado_low.values, sel.tornado_high.values
    order = np.argsort(high - low)
    names = sel.parameter.values
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.6 * len(names)))
    for y, j in enumerate(order):
        ax.barh(y, low[j] - base, left=base, color="#1f77b4", height=0.6)
        ax.barh(y, high[j] - base, left=base, color="#d62728", height=0.6)
        ax.text(low[j], y, f"{sel.tornado_low_setting.values[j]} ", ha="right", va="center",
                fontsize=8)
        ax.text(high[j], y, f" {sel.tornado_high_setting.values[j]}", ha="left", va="center",
                fontsize=8)
    labels = [param_label(str(names[j]), lang) for j in order]
    if "sobol_total" in sel:
        st = sel.sobol_total.sel(output="digital_economy", year=year).values
        labels = [f"{lab}\n(ST={st[j]:.2f})" for lab, j in zip(labels, order)]
    ax.set_yticks(range(len(order)), labels, fontsize=8)
    ax.axvline(base, color="black", lw=1)
    span = max(np.nanmax(high) - np.nanmin(low), 1e-9)
    ax.set_xlim(np.nanmin(low) - 0.25 * span, np.nanmax(high) + 0.25 * span)
    name = _province_label(p, lang)
    if lang == "zh":
        ax.set_xlabel(f"{year}年数字经济规模，亿元（竖线：固定参数估计 {base:,.0f}）")
        ax.set_title(f"{name}：数字经济规模对各项假设的敏感性（单因素变动）")
    else:
        ax.set_xlabel(f"digital economy {year}, 1e8 CNY (line: fixed-parameter estimate "
                      f"{base:,.0f})")
        ax.set_title(f"{name}: sensitivity of the digital economy to each assumption "
                     "(one at a time)")
    finish(fig, path, footer=_footer(ds, lang))
    return lang


def fan_chart(ds: xr.Dataset, path, province: str | None = None, lang: str = "zh") -> str:
    """Quantile bands (5–95 %, 25–75 %) and median of DE over the years, with the estimate."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    p = province or str(ds.province.values[0])
    q = ds.digital_economy_quantile.sel(province=p)
    years = ds.year.values.astype(int)
    fig, ax = plt.subplots(figsize=(9, 5))
    zh = lang == "zh"
    ax.fill_between(years, q.sel(quantile=0.05), q.sel(quantile=0.95), color="#ff7f0e",
                    alpha=0.25, label="5%–95% 分位" if zh else "5–95 % of draws")
    ax.fill_between(years, q.sel(quantile=0.25), q.sel(quantile=0.75), color="#ff7f0e",
                    alpha=0.5, label="25%–75% 分位" if zh else "25–75 % of draws")
    ax.plot(years, q.sel(quantile=0.5), color="#d62728", label="中位数" if zh else "median")
    ax.plot(years, ds.digital_economy_base.sel(province=p), color="black", ls="--",
            label="固定参数估计" if zh else "estimate with the fixed options")
    ax.set_ylabel("数字经济规模，亿元（现价）" if zh else "digital economy, 1e8 CNY")
    name = _province_label(p, lang)
    ax.set_title(f"{name}：数字经济规模的不确定性区间" if zh
                 else f"{name}: uncertainty of the digital economy")
    year_axis(ax, years)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    finish(fig, path, footer=_footer(ds, lang))
    return lang


def provinces_interval_chart(ds: xr.Dataset, path, lang: str = "zh") -> str:
    """Share of GDP in the last year by province: 5–95 % and 25–75 % of draws, median, estimate."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    year = int(ds.year.values[-1])
    q = 100 * ds.share_of_gdp_quantile.sel(year=year)
    base = 100 * ds.share_of_gdp_base.sel(year=year)
    order = np.argsort(q.sel(quantile=0.5).values)
    keys = ds.province.values[order]
    fig, ax = plt.subplots(figsize=(8, 1.5 + 0.3 * len(keys)))
    y = np.arange(len(keys))
    qs = {v: q.sel(quantile=v).values[order] for v in (0.05, 0.25, 0.5, 0.75, 0.95)}
    zh = lang == "zh"
    ax.hlines(y, qs[0.05], qs[0.95], color="#ff7f0e", alpha=0.5, lw=2,
              label="5%–95% 分位" if zh else "5–95 %")
    ax.hlines(y, qs[0.25], qs[0.75], color="#d62728", lw=5, label="25%–75% 分位" if zh
              else "25–75 %")
    ax.plot(base.values[order], y, "k|", ms=10, label="固定参数估计" if zh else "estimate")
    ax.set_yticks(y, [_province_label(str(k), lang) for k in keys], fontsize=8)
    ax.set_xlabel(f"{year}年数字经济占GDP比重 %" if zh else f"digital economy share of GDP "
                                                       f"{year}, %")
    ax.set_title("各省数字经济占GDP比重的不确定性区间" if zh
                 else "Uncertainty of the digital economy share of GDP by province")
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=8, loc="lower right")
    finish(fig, path, footer=_footer(ds, lang))
    return lang
