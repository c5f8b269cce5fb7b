"""The industrial-internet development index (工业互联网发展成效指数): indicator hierarchy, AHP
weights, national and regional indices, tiers, weight uncertainty, the published reproduction,
its workbook and charts, and :func:`klems.devindex.runner.run_index` (docs/method.md §9)."""
