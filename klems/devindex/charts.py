"""Charts of the industrial-internet development index (matplotlib, PNG).

Chinese labels when :func:`klems.outputs.fonts.use_cjk_font` finds a font with the glyphs, English labels
otherwise. Every function writes one PNG and returns its path.
"""

from __future__ import annotations

import re

import numpy as np

from klems.outputs.figures import chart_language, finish, year_axis

# schematic tile map of China's provinces: key -> (column, row), row 0 at the top
TILES = {
    "heilongjiang": (8, 0), "neimenggu": (6, 1), "jilin": (8, 1), "xinjiang": (1, 2),
    "beijing": (6, 2), "tianjin": (7, 2), "liaoning": (8, 2), "gansu": (3, 3), "ningxia": (4, 3),
    "shanxi": (5, 3), "hebei": (6, 3), "shandong": (7, 3), "xizang": (1, 4), "qinghai": (2, 4),
    "shaanxi": (4, 4), "henan": (5, 4), "jiangsu": (7, 4), "sichuan": (3, 5), "chongqing": (4, 5),
    "hubei": (5, 5), "anhui": (6, 5), "shanghai": (8, 5), "yunnan": (3, 6), "guizhou": (4, 6),
    "hunan": (5, 6), "jiangxi": (6, 6), "zhejiang": (7, 6), "guangxi": (4, 7),
    "guangdong": (5, 7), "fujian": (6, 7), "hainan": (5, 8),
}
TIER_COLOURS = ["#08519c", "#4292c6", "#9ecae1", "#deebf7"]
#: written across every chart made from the template's example values
SYNTHETIC_MARK = "SYNTHETIC 示例数据"


def _setup():
    import matplotlib.pyplot as plt

    zh = chart_language("zh") == "zh"
    return plt, zh


def _label(zh, name_zh, name_en):
    return name_zh if zh else name_en


def national_chart(ds, path, published=None, watermark=None):
    """Lines of the total and the first-level national indices by year."""
    plt, zh = _setup()
    idx = ds["index"]
    fig, ax = plt.subplots(figsize=(8, 5))
    nodes = [n for n, lv in zip(idx.node.values, idx.level.values) if lv <= 1]
    for n in nodes:
        s = idx.sel(node=n)
        lab = _label(zh, str(s.name_zh.values), str(s.name_en.values))
        ax.plot(idx.year.values, s.values, marker="o", lw=3 if n == "total" else 1.5, label=lab)
    if published is not None:
        ax.plot(published.index, published.values, "k--", marker="x",
                label="已公布总指数 (CAICT 2024)" if zh else "published total (CAICT 2024)")
    year_axis(ax, idx.year.values)
    units = str(idx.attrs.get("units", ""))
    base = re.fullmatch(r"index (\d{4}) ?= ?100", units)
    ax.set_ylabel(f"指数（{base.group(1)}年=100）" if zh and base else units)
    ax.set_title("全国工业互联网发展成效指数" if zh else "National industrial-internet index")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    finish(fig, path, dpi=110, watermark=watermark)
    return path


def radar_chart(score, province, path, title=None, watermark=None):
    """Radar of one province's first-level scores (0-100) against the provinces' mean."""
    plt, zh = _setup()
    first = score.where(score.level == 1, drop=True)
    labels = [_label(zh, str(a), str(b)) for a, b in zip(first.name_zh.values, first.name_en.values)]
    vals = first.sel(province=province).values
    mean = first.mean("province").values
    ang = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    ang_c = np.r_[ang, ang[:1]]
    fig, ax = plt.subplots(figsize=(5.5, 5.5), subplot_kw={"polar": True})
    ax.plot(ang_c, np.r_[vals, vals[:1]], lw=2, label=str(title or province))
    ax.fill(ang_c, np.r_[vals, vals[:1]], alpha=0.25)
    ax.plot(ang_c, np.r_[mean, mean[:1]], "k--", lw=1, label="各省平均" if zh else "mean")
    ax.set_xticks(ang)
    ax.set_xticklabels(labels)
    ax.set_ylim(0, 100)
    ax.set_title(str(title or province), pad=18)
    ax.legend(loc="lower right", bbox_to_anchor=(1.15, -0.08), fontsize=8)
    finish(fig, path, dpi=100, watermark=watermark)
    return path


def tier_map(tier, score, path, names=None, watermark=None):
    """Schematic tile map of the provinces coloured by tier, with their total score."""
    from matplotlib.patches import Patch, Rectangle

    plt, zh = _setup()
    k = int(tier.max())
    colours = TIER_COLOURS[: max(k, 1)] if k <= 4 else plt.cm.viridis(np.linspace(0, 1, k))
    fig, ax = plt.subplots(figsize=(9, 8))
    other = []
    for p in tier.province.values.tolist():
        t = int(tier.sel(province=p))
        if p not in TILES:
            other.append(p)
            continue
        x, y = TILES[p]
        ax.add_patch(Rectangle((x, -y), 0.95, 0.95, facecolor=colours[t - 1], edgecolor="0.3"))
        label = (names or {}).get(p, p)
        ink = "white" if t <= 2 and k <= 4 else "black"
        ax.text(x + 0.475, -y + 0.6, label, ha="center", va="center", fontsize=9, color=ink)
        ax.text(x + 0.475, -y + 0.3, f"{float(score.sel(province=p)):.1f}", ha="center",
                va="center", fontsize=8, color=ink)
    ax.set_xlim(0, 9.2)
    ax.set_ylim(-8.2, 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    tier_word = "第{}梯队" if zh else "tier {}"
    handles = [Patch(facecolor=colours[t - 1], edgecolor="0.3", label=tier_word.format(t))
               for t in range(1, k + 1)]
    ax.legend(handles=handles, loc="lower left")
    title = ("区域工业互联网发展梯队 (示意图, 分数 0-100)" if zh
             else "Tiers of provinces (schematic tile map, score 0-100)")
    if other:
        title += f"\n(not on the map: {', '.join(other)})"
    ax.set_title(title)
    finish(fig, path, dpi=100, watermark=watermark)
    return path


def rank_interval_chart(unc, path, names=None, watermark=None):
    """Rank at the chosen weights and its interval under random weights, per province."""
    plt, zh = _setup()
    order = np.argsort(unc["rank_at_weights"].values, kind="stable")
    provs = unc.province.values[order]
    y = np.arange(len(provs))
    fig, ax = plt.subplots(figsize=(7, 0.28 * len(provs) + 1.5))
    lo, hi = unc["rank_low"].values[order], unc["rank_high"].values[order]
    ax.hlines(y, unc["rank_min"].values[order], unc["rank_max"].values[order], color="0.8", lw=2)
    ax.hlines(y, lo, hi, color="C0", lw=5)
    ax.plot(unc["rank_at_weights"].values[order], y, "k|", ms=12)
    ax.set_yticks(y)
    ax.set_yticklabels([(names or {}).get(p, p) for p in provs], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("排名 (1 = 最高)" if zh else "rank (1 = highest)")
    pct = int(round(100 * unc.attrs["interval"]))
    ax.set_title((f"权重蒙特卡洛: {pct}% 排名区间 (粗线), 全距 (细线)" if zh else
                  f"Monte Carlo over weights: {pct}% rank interval (thick), range (thin)"),
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    finish(fig, path, dpi=100, watermark=watermark)
    return path


def weight_range_chart(ranges, centre, path, subtitle=""):
    """Ranges of the first-level weights consistent with the published national series."""
    plt, zh = _setup()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    y = np.arange(len(ranges))
    ax.hlines(y, ranges["min_points"], ranges["max_points"], lw=8, color="C0", alpha=0.6)
    ax.plot(centre.reindex(ranges.index).values, y, "kD", label="中心解" if zh else "centre")
    ax.set_yticks(y)
    ax.set_yticklabels(ranges["name_zh"] if zh else ranges.index)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("权重 (总分 100)" if zh else "weight (points of 100)")
    ax.set_title(("与已公布全国指数一致的一级指标权重范围" if zh else
                  "First-level weights consistent with the published national index")
                 + (f"\n{subtitle}" if subtitle else ""), fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8)
    finish(fig, path, dpi=110)
    return path
