"""ICT investment price indices: chaining and rebasing, harmonised deflators (Schreyer 2002)."""

from price_index import sources
from price_index.chaining import annualise, chain, deflate, rebase, unchain
from price_index.deflators import (
           gdp_deflator,
           investment_deflator,
           ppi_deflator,
           software_deflator,
)
from price_index.harmonized import fit_smoothing, harmonized_deflator
from price_index.ict import bundled_ict_deflators, deflator_table, ict_deflators

__all__ = ["annualise", "chain", "deflate", "rebase", "unchain", "harmonized_deflator",
           "fit_smoothing", "investment_deflator", "gdp_deflator", "ppi_deflator",
           "software_deflator", "ict_deflators", "bundled_ict_deflators", "deflator_table", "sources"]
