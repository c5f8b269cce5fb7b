"""ICT capital stock by perpetual inventory: age-efficiency and retirement profiles, and the
gross, net and productive stocks and consumption of fixed capital of national accounts."""

from capital_stock.age_patterns import AGE_PATTERNS, age_pattern
from capital_stock.age_price import efficiency_to_price, price_to_efficiency
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
from capital_stock.cohort import (
    COMBINATIONS,
    PROFILE_TYPES,
    PimConfig,
    StockProfiles,
    cohort_profiles,
)
from capital_stock.conventions import CONVENTIONS, asset_profiles, ons_life_table
from capital_stock.inventory import perpetual_inventory
from capital_stock.profiles import efficiency_weights
from capital_stock.retirement import (
    RETIREMENT_DISTRIBUTIONS,
    LifeTable,
    retirement_distribution,
    survival_table,
)
from capital_stock.stocks import STOCKS, capital_stocks

__all__ = [
    "AGE_PATTERNS", "AssetSpec", "COMBINATIONS", "COMMUNICATION", "CONVENTIONS", "HARDWARE",
    "ICT_ASSETS", "LifeTable", "PROFILES", "PROFILE_TYPES", "PimConfig",
    "RETIREMENT_DISTRIBUTIONS", "SOFTWARE", "STOCKS", "StockProfiles", "age_pattern",
    "asset_profiles", "average_growth", "base_year_stock", "capital_stocks", "cohort_profiles",
    "efficiency_to_price", "efficiency_weights", "ict_assets", "ons_life_table",
    "perpetual_inventory", "price_to_efficiency", "retirement_distribution", "survival_table",
]
