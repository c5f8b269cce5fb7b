"""ICT investment price indices: chaining and rebasing, harmonised deflators (Schreyer 2002)."""

from price_index.chaining import annualise, chain, deflate, rebase, unchain

__all__ = ["annualise", "chain", "deflate", "rebase", "unchain"]
