"""The methods: one module per method behind one protocol (:class:`~.base.Method`), and
their registry.

Each method turns a :class:`~spintunnel.junction.Junction` and biases into
:class:`~.base.MethodResult` objects (values with diagnostics).  Adding a method is adding
a module that defines a :class:`~.base.Method` subclass decorated with :func:`register`,
and its name to :data:`_MODULES`.  Nothing outside this package names a method: reports,
sweeps, the CLI and the figures iterate the registry.

The recommended answer (:func:`recommend`): for each quantity, the value of the
highest-ranked method (``Method.rank``) among those computed that gives it and applies at
that point, with that method's error estimate.  For the point contact this is
``all_orders``; ``second_order`` where all orders does not give the quantity (saying why),
but not where the junction leaves the weak-tunnelling regime (``regime_flags``: strong
coupling, or a bias at a gap edge where its denominators diverge); ``exact`` only when it is
the only method run; the printed route (rank 0) never.
"""

from __future__ import annotations

import dataclasses
import importlib

from .base import QUANTITIES, REASONS, UNITS, Diagnostics, Method, MethodResult, unavailable

__all__ = [
    "Method",
    "MethodResult",
    "Diagnostics",
    "QUANTITIES",
    "UNITS",
    "REASONS",
    "register",
    "get",
    "names",
    "DEFAULT",
    "recommend",
    "applies",
    "Recommendation",
    "unavailable",
]

#: The method modules, in the order they are shown.
_MODULES = ("paper", "second_order", "all_orders", "exact")
#: The methods a run computes unless told otherwise.
DEFAULT = ("paper", "second_order", "all_orders")

_REGISTRY: dict[str, type[Method]] = {}


def register(cls):
    """Class decorator: add a :class:`Method` subclass to the registry under ``cls.name``."""
    if not (isinstance(cls, type) and issubclass(cls, Method)):
        raise TypeError(f"{cls!r} is not a Method subclass")
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"a method named {cls.name!r} is already registered")
    _REGISTRY[cls.name] = cls
    return cls


def _load():
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")


def names() -> tuple[str, ...]:
    """The registered method names, in display order."""
    _load()
    return tuple(_REGISTRY)


def get(name: str, **options) -> Method:
    """A method instance with the given options (its dataclass fields).

    Raises ValueError naming the known methods, or the method's own options, before any work.
    """
    _load()
    if name not in _REGISTRY:
        raise ValueError(f"unknown method {name!r}; methods: {', '.join(_REGISTRY)}")
    cls = _REGISTRY[name]
    fields: set[str] = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    unknown = set(options) - fields
    if unknown:
        raise ValueError(
            f"method {name!r} has no option(s) {sorted(unknown)}"
            + (f"; options: {sorted(fields)}" if fields else "; it takes none")
        )
    return cls(**options)


@dataclasses.dataclass(frozen=True)
class Recommendation:
    """The recommended value of one quantity.

    Attributes
    ----------
    quantity : str
    value : ndarray or None
        In ``unit``; None where no computed method gives it.
    error : float
        The method's error estimate (unit of the value); NaN where it has none.
    method : str or None
    unit : str
    note : str
        Why this method (e.g. which better method does not give the quantity, and why).
    converged : bool
    """

    quantity: str
    value: object
    error: float
    method: str | None
    unit: str
    note: str
    converged: bool


def applies(result) -> bool:
    """Whether a result's method applies at its point: a weak-tunnelling method does not where
    the junction's regime checks fail (``Diagnostics.regime_flags``)."""
    _load()
    return not (_REGISTRY[result.method].regime == "weak tunnelling" and result.diagnostics.regime_flags)


def recommend(results: dict) -> dict:
    """The recommended answer per quantity from ``{name: MethodResult}`` (module docstring)."""
    _load()
    ranked = sorted(
        (r for r in results.values() if _REGISTRY[r.method].rank > 0), key=lambda r: -_REGISTRY[r.method].rank
    )
    out = {}
    for q in QUANTITIES:
        skipped = []
        choice = None
        for r in ranked:
            if r.value(q) is not None and applies(r):
                choice = r
                break
            code = r.diagnostics.reasons.get(q, "not given") if r.value(q) is None else "outside its regime here"
            skipped.append(f"{r.method}: {code}")
        if choice is None:
            why = (
                "; ".join(skipped)
                if skipped
                else "no method of the package's own (the printed route is never recommended)"
            )
            out[q] = Recommendation(q, None, float("nan"), None, UNITS[q], f"not given ({why})", False)
            continue
        note = "" if not skipped else "not given by " + "; ".join(skipped)
        out[q] = Recommendation(
            q, choice.value(q), choice.error(q), choice.method, UNITS[q], note, bool(choice.converged)
        )
    return out
