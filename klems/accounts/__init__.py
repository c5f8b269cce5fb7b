"""The growth accounts: user costs, Törnqvist decomposition, attribution of industrial
digitalization, the digital-economy totals, and the compiled kernels they share with the sweep
(see docs/method.md and docs/architecture.md)."""
