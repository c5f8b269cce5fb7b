"""The base layer: errors, the project's vocabulary and the data files, importing nothing else of
the project (``capital_stock`` and ``price_index`` depend only on it; see docs/architecture.md)."""
