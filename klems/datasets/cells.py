"""The published margins below the three sectors: the nine groups and the eleven *cells*.

NBS publishes a province's value added of nine groups (农林牧渔业, 工业, 建筑业, 批发和零售业,
交通运输仓储邮政业, 住宿餐饮业, 金融业, 房地产业, 其他行业) besides the three sectors. Two groups cross a
sector boundary (农林牧渔服务 005 is tertiary; 开采辅助活动 011 and 修理 095 are tertiary industry), so
the margins are 11 cells = group × sector (:data:`CELLS`), each the sum of whole industries of
the 139 of the 2012 input-output table; their totals follow from the published figures by
identities (工业 in the secondary sector = 第二产业 − 建筑业, its tertiary part = 工业 − that, …).

Used by the data build (``data/build/cells.py`` adds the rules across provinces) and by
``klems extend`` (:mod:`klems.inputs.extension`), which balances a new year's industries to
these margins. The ICT blocks the yearbook may publish: electronics (C39, industries 086–091,
inside ``industry_secondary``) and information services (section I, 114–115, inside ``other``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from klems.datasets.classification import INDUSTRIES, load_classification

CELLS = ("agri_primary", "agri_tertiary", "industry_secondary", "industry_tertiary",
         "construction", "trade", "transport", "hotels", "finance", "real_estate", "other")
CELL_SECTOR = {"agri_primary": "primary", "industry_secondary": "secondary",
               "construction": "secondary"}
#: The nine published groups, in NBS order, with their Chinese names.
GROUPS = ("agriculture", "industry", "construction", "trade", "transport", "hotels", "finance",
          "real_estate", "other")
GROUP_ZH = {"agriculture": "农林牧渔业", "industry": "工业", "construction": "建筑业",
            "trade": "批发和零售业", "transport": "交通运输、仓储和邮政业",
            "hotels": "住宿和餐饮业", "finance": "金融业", "real_estate": "房地产业",
            "other": "其他行业"}
GROUP_EN = {"agriculture": "agriculture, forestry, animal husbandry and fishery",
            "industry": "industry (mining, manufacturing, utilities)", "construction":
            "construction", "trade": "wholesale and retail trade",
            "transport": "transport, storage and post", "hotels": "hotels and catering",
            "finance": "financial intermediation", "real_estate": "real estate",
            "other": "other services"}
GROUP_OF_SECTION = {"A": "agri", "B": "industry", "C": "industry", "D": "industry",
                    "E": "construction", "F": "trade", "G": "transport", "H": "hotels",
                    "J": "finance", "K": "real_estate"}
#: Electronics (C39 计算机、通信和其他电子设备制造业): the ICT manufacturing industries.
ELECTRONICS = ("086", "087", "088", "089", "090", "091")
#: Section I 信息传输、软件和信息技术服务业: the ICT service industries.
INFORMATION = ("114", "115")


def cell_sector(cell: str) -> str:
    return CELL_SECTOR.get(cell, "tertiary")


def cell_group(cell: str) -> str:
    """The published group a cell belongs to (``agri_tertiary`` -> ``agriculture``)."""
    head = cell.split("_")[0]
    return {"agri": "agriculture", "industry": "industry"}.get(head, cell)


@lru_cache(maxsize=1)
def _industry_cells() -> tuple[int, ...]:
    cls = load_classification()
    out = []
    for code in INDUSTRIES:
        group = GROUP_OF_SECTION.get(cls.loc[code, "section"], "other")
        sector = cls.loc[code, "sector"]
        if group in ("agri", "industry"):
            name = f"{group}_{sector}" if group == "industry" else (
                "agri_primary" if sector == "primary" else "agri_tertiary")
        else:
            name = group
        if cell_sector(name) != sector:
            raise AssertionError(f"industry {code}: cell {name} is not in sector {sector}")
        out.append(CELLS.index(name))
    return tuple(out)


def industry_cells() -> np.ndarray:
    """Index into :data:`CELLS` of each of the 139 industries."""
    return np.array(_industry_cells())


def cells_from_groups(sectors: dict, groups: dict, fallback: dict) -> tuple[dict, list[str]]:
    """Cell totals of one province and year from its three sectors and nine groups.

    ``sectors``: primary/secondary/tertiary value added; ``groups``: the nine groups;
    ``fallback``: the cells' shares of their sector to use where an identity leaves a tertiary
    remainder of zero or less (a province that does not split 农林牧渔服务 or 开采辅助活动 and 修理
    off its groups), e.g. the previous year's. The tertiary cells are scaled to 第三产业.
    Returns (cell -> value, the cells that took the fallback share).
    """
    s, g = sectors, groups
    ind_sec = s["secondary"] - g["construction"]
    parts = {
        "agri_primary": s["primary"], "agri_tertiary": g["agriculture"] - s["primary"],
        "industry_secondary": ind_sec, "industry_tertiary": g["industry"] - ind_sec,
        "construction": g["construction"],
        **{k: g[k] for k in ("trade", "transport", "hotels", "finance", "real_estate", "other")},
    }
    fell = []
    for name in ("agri_tertiary", "industry_tertiary"):
        if not parts[name] > 1e-6:
            parts[name] = fallback[name] * s["tertiary"]
            fell.append(name)
    tert = [c for c in CELLS if cell_sector(c) == "tertiary"]
    total = sum(parts[c] for c in tert)
    for c in tert:
        parts[c] = parts[c] * s["tertiary"] / total
    return {c: float(parts[c]) for c in CELLS}, fell


__all__ = ["CELLS", "CELL_SECTOR", "GROUPS", "GROUP_ZH", "GROUP_EN", "ELECTRONICS", "INFORMATION",
           "cell_sector", "cell_group", "industry_cells", "cells_from_groups"]
