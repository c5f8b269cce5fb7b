"""The method end to end: options, the pure ``compute``, the estimate, calibration and the
reproduction of published figures, ranks (see docs/architecture.md)."""
