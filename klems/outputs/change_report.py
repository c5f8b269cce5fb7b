"""The change between two estimates for people (``klems diff``): a console table and a chart.

The frame comes from :func:`klems.pipeline.change_decomposition.decompose`: one row per figure
(DE, DI, ID) and year, the old and new values, the change and its parts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klems.base.errors import UnknownProvinceError
from klems.base.provinces import province
from klems.outputs.figures import chart_language, finish

FIGURE_LABELS = {"digital_economy": ("数字经济 DE", "digital economy (DE)"),
                 "digital_industrialization": ("数字产业化 DI", "digital industrialization (DI)"),
                 "industrial_digitalization": ("产业数字化 ID", "industrial digitalization (ID)")}
PART_LABELS = {"data_revisions": ("数据修订", "data revisions"),
               "added_years": ("新增年份", "added years"),
               "options_method": ("参数或方法", "options/method"),
               "unexplained": ("未解释", "unexplained")}
COLOURS = {"data_revisions": "#1f77b4", "added_years": "#ff7f0e", "options_method": "#2ca02c",
           "unexplained": "#7f7f7f"}


def _t(lang, zh, en):
    return zh if lang == "zh" else en


def _num(v, digits=1):
    """Rounded for the table (a change below the last digit shows as 0, not -0)."""
    return "" if v is None or not np.isfinite(v) else f"{round(v, digits) + 0.0:,.{digits}f}"


def change_table(frame: pd.DataFrame, lang: str = "en") -> str:
    """The console table: per figure, each year's old and new value, the change and its parts
    (1e8 CNY) and the change in %."""
    a = frame.attrs
    lines = [_t(lang, f"{a.get('province', '')}：两次估算之差的分解（亿元；顺序：数据修订、新增年份、参数或方法）",
                f"{a.get('province', '')}: change between two estimates, split into its causes "
                "(1e8 CNY; in this order: data revisions, added years, options or method)"),
             f"  OLD: {a.get('data_old', '')}; years {a.get('years_old', '')}; freeze_through "
             f"{a.get('freeze_old', '')}",
             f"  NEW: {a.get('data_new', '')}; years {a.get('years_new', '')}; freeze_through "
             f"{a.get('freeze_new', '')} (old options on the new data: "
             f"{a.get('freeze_old_on_new_data', '')})"]
    changed = a.get("options_changed") or {}
    lines.append("  " + _t(lang, "参数变化：", "options changed: ") + (
        "; ".join(f"{k}: {o!r} -> {n!r}" for k, (o, n) in changed.items()) or
        _t(lang, "无", "none")))
    lines.append("  " + _t(lang, "重算与文件的最大相对差：", "recomputation vs the files, largest "
                                                     "relative gap: ")
                 + f"OLD {a.get('reproduced_old', np.nan):.1e}, NEW "
                 f"{a.get('reproduced_new', np.nan):.1e}")
    head = ["year", "old", "new", "change", "%", *(PART_LABELS[p][lang == "en"]
                                                   for p in PART_LABELS)]
    for figure, part in frame.groupby("figure", sort=False):
        lines.append("")
        lines.append(FIGURE_LABELS[figure][lang == "en"])
        rows = []
        for r in part.itertuples():
            pct = 100 * r.change / r.old if np.isfinite(r.change) and r.old else np.nan
            rows.append([str(r.year), _num(r.old), _num(r.new),
                         _num(r.change) if np.isfinite(r.change) else r.status,
                         _num(pct, 2), *(_num(getattr(r, p)) for p in PART_LABELS)])
        widths = [max(len(h), *(len(x[j]) for x in rows)) for j, h in enumerate(head)]
        lines.append("  ".join(h.rjust(w) for h, w in zip(head, widths)))
        lines += ["  ".join(x.rjust(w) for x, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def change_chart(frame: pd.DataFrame, path, lang: str = "zh") -> str:
    """Top row: DE, DI and ID of both estimates; bottom row: the change of each year both
    cover, stacked by cause, with the total change marked."""
    import matplotlib.pyplot as plt

    lang = chart_language(lang)
    fig, axes = plt.subplots(2, 3, figsize=(14, 7.5), sharex=True)
    for j, (figure, part) in enumerate(frame.groupby("figure", sort=False)):
        top, bottom = axes[0, j], axes[1, j]
        years = part["year"].to_numpy()
        top.plot(years, part["old"], marker="o", color="0.4", label=_t(lang, "旧估算", "OLD"))
        top.plot(years, part["new"], marker="s", color="#d62728", label=_t(lang, "新估算", "NEW"))
        top.set_title(FIGURE_LABELS[figure][lang == "en"])
        top.set_ylabel(_t(lang, "亿元", "1e8 CNY"))
        both = part[part["status"] == "both"]
        pos = np.zeros(len(both))
        neg = np.zeros(len(both))
        for p, (zh, en) in PART_LABELS.items():
            v = both[p].to_numpy()
            base = np.where(v >= 0, pos, neg)
            bottom.bar(both["year"], v, bottom=base, color=COLOURS[p], label=_t(lang, zh, en))
            pos += np.where(v >= 0, v, 0)
            neg += np.where(v < 0, v, 0)
        bottom.plot(both["year"], both["change"], "k_", markersize=14, mew=2,
                    label=_t(lang, "总变化", "total change"))
        bottom.axhline(0, color="black", lw=0.6)
        if len(both) and not np.any(both["change"].to_numpy()):
            span = f"{int(both['year'].min())}-{int(both['year'].max())}"
            bottom.text(0.5, 0.6, _t(lang, f"{span}年无任何变化", f"no change in {span}"),
                        transform=bottom.transAxes, ha="center", fontsize=10)
        bottom.set_ylabel(_t(lang, "变化（亿元）", "change, 1e8 CNY"))
        added = part[part["status"] == "new year"]["year"].to_numpy()
        for ax in (top, bottom):
            for y in added:
                ax.axvspan(y - 0.5, y + 0.5, color="#ffdd99", alpha=0.4, lw=0)
        if j == 0:
            top.legend(fontsize=8, loc="upper left")
            bottom.legend(fontsize=7, loc="lower left")
        bottom.set_xticks(years)
        bottom.tick_params(axis="x", labelrotation=90, labelsize=7)
    a = frame.attrs
    key = str(a.get("province", ""))
    try:
        region = province(key)
        zh, en = region.zh, region.en
    except UnknownProvinceError:        # a user's own region: its name as recorded
        zh = en = key
    fig.suptitle(_t(lang, f"{zh}：新旧估算之差及其原因（阴影：新增年份）",
                    f"{en}: the change between two estimates and its causes "
                    "(shaded: years added)"))
    finish(fig, path, footer=f"OLD: {a.get('data_old', '')}  |  NEW: {a.get('data_new', '')}")
    return lang
