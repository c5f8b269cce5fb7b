"""The one check of a numeric option: finite, in its range, whole where it counts something.

Every option of every command and every keyword of the library entry points is checked by these
two functions (directly, through :class:`klems.pipeline.options.EstimateOptions`, or through the
command line's argument types in :mod:`klems.cli.options`), so that one wording of the message
names the option, the admissible range and the value given.
"""

from __future__ import annotations

import math
import numbers

from klems.base.errors import ParameterError


def _range_text(low, high, low_open, high_open) -> str:
    lo_ok, hi_ok = math.isfinite(low), math.isfinite(high)
    if lo_ok and hi_ok:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if lo_ok:
        return f"{'>' if low_open else '>='} {low:g}"
    if hi_ok:
        return f"{'<' if high_open else '<='} {high:g}"
    return ""


def number(name: str, value, *, low: float = -math.inf, high: float = math.inf,
           low_open: bool = False, high_open: bool = False, allow_inf: bool = False,
           hint: str = "") -> float:
    """``value`` as a float when it is a finite real number in its range; else
    :class:`ParameterError` naming ``name``, the range and the value (NaN is never admissible;
    ``+inf`` only with ``allow_inf``)."""
    given = value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            value = float(str(value).strip())
        except (TypeError, ValueError):
            raise ParameterError(f"{name} must be a number, got {value!r}",
                                 parameter=name) from None
    x = float(value)
    ok = (math.isfinite(x) or (allow_inf and x == math.inf)) \
        and (x > low if low_open else x >= low) and (x < high if high_open else x <= high)
    if not ok:
        rng = _range_text(low, high, low_open, high_open)
        kind = "a finite number" if not allow_inf else "a number"
        extra = f"; {hint}" if hint else ""
        raise ParameterError(f"{name} must be {kind}{' ' + rng if rng else ''}, got {given!r}"
                             f"{extra}", parameter=name)
    return x


def whole_number(name: str, value, *, low: int = 0, high: int | None = None,
                 hint: str = "") -> int:
    """``value`` as an int when it is a whole number in ``[low, high]``; else
    :class:`ParameterError` naming ``name``, the range and the value."""
    x = value
    if isinstance(value, str):
        try:
            x = int(value.strip())
        except ValueError:
            x = None
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        x = int(value)
    ok = isinstance(x, numbers.Integral) and not isinstance(x, bool) and x >= low \
        and (high is None or x <= high)
    if not ok:
        rng = f"in [{low}, {high}]" if high is not None else f">= {low}"
        extra = f"; {hint}" if hint else ""
        raise ParameterError(f"{name} must be a whole number {rng}, got {value!r}{extra}",
                             parameter=name)
    return int(x)
