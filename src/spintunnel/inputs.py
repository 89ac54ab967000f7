"""Checks of the inputs at the package's public boundaries, before any work: a finite real
number in its allowed range, or a :class:`ValueError` that names the parameter, what it got
and what is allowed.  Spin matrices: :func:`spintunnel.spin.as_spin_matrix`."""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["real", "non_negative", "positive"]


def real(value, name: str, allowed: str = "any finite real number", ok: Callable[[float], bool] | None = None) -> float:
    """``value`` as a finite float for which ``ok`` holds.

    Parameters
    ----------
    value : object
        The input (a real number; a complex number, a string or NaN/inf is refused).
    name : str
        The parameter's name, for the message.
    allowed : str
        The allowed range in words (``"> 0 and finite, meV"``), for the message.
    ok : callable, optional
        ``ok(x) -> bool`` on the float; default: every finite number.

    Raises
    ------
    ValueError
        ``"<name> must be a real number (<allowed>), got ..."`` or
        ``"<name> = ... is out of range: allowed <allowed>"``.
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number ({allowed}), got {value!r}") from None
    if not math.isfinite(x) or (ok is not None and not ok(x)):
        raise ValueError(f"{name} = {value!r} is out of range: allowed {allowed}")
    return x


def non_negative(value, name: str, unit: str = "") -> float:
    """``value`` as a finite float >= 0 (``unit`` only names the unit in the message)."""
    return real(value, name, ">= 0 and finite" + (f", {unit}" if unit else ""), lambda x: x >= 0)


def positive(value, name: str, unit: str = "") -> float:
    """``value`` as a finite float > 0 (``unit`` only names the unit in the message)."""
    return real(value, name, "> 0 and finite" + (f", {unit}" if unit else ""), lambda x: x > 0)
