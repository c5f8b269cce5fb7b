"""ICT capital stock by perpetual inventory with hyperbolic age-efficiency and normal retirement."""

from capital_stock.assets import (
    COMMUNICATION,
    HARDWARE,
    ICT_ASSETS,
    PROFILES,
    SOFTWARE,
    AssetSpec,
    ict_assets,
)
from capital_stock.base_year import average_growth, base_year_stock
from capital_stock.inventory import perpetual_inventory
from capital_stock.profiles import efficiency_weights

__all__ = [
    "AssetSpec", "COMMUNICATION", "HARDWARE", "ICT_ASSETS", "PROFILES", "SOFTWARE",
    "average_growth", "base_year_stock", "efficiency_weights", "ict_assets",
    "perpetual_inventory",
]
