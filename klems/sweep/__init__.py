"""Sensitivity sweeps: parameters, designs, the compiled evaluation of draws, the analysis
(quantiles, Sobol indices, tornado), the distributed run and the charts (docs/method.md §8)."""
