"""spintunnel: magnetization and spin current of a voltage-biased weak link with
spin-dependent tunnelling between BCS superconductors.

Implements the system of Entin-Wohlman, Shekhter, Jonson and Aharony, "Magnetization
near a constriction between BCS superconductors by spin-dependent tunneling" (with its
supplemental material), and checks its printed formulas against the Hamiltonian
(S1, S2, S7, S9-S10).

Reduced units inside the package: hbar = k_B = e = 1 and (g/2) mu_B = 1; energies in a
unit of the caller's choice (the tests use Delta_L = 1). Spin index sigma = +1 (up) and
-1 (down); 2x2 spin matrices are indexed [up, down].

``import spintunnel`` imports nothing heavy: the names below and the subpackages are loaded
on first use (PEP 562), so the command line starts fast and a script pays only for what it
uses.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("spintunnel")  # the one version source: pyproject.toml, via the metadata
except PackageNotFoundError:  # a source tree on sys.path without an install
    __version__ = "0+unknown"

#: Public names and the module that defines each (imported on first access).
_NAMES = {
    "time_reversed": "spin",
    "spin_factor_ac": "spin_factors",
    "spin_factor_dc": "spin_factors",
    "CallableDOS": "kernels",
    "LinearDOS": "kernels",
    "SpecialBiasError": "kernels",
    "ac_kernel": "kernels",
    "channel_kernels": "kernels",
    "dc_kernel": "kernels",
    "special_biases": "kernels",
    "Junction": "junction",
    "Channel": "junction",
    "fit_channels": "fit",
}
#: Submodules reachable as attributes (``spintunnel.floquet``) without an explicit import.
_SUBMODULES = frozenset(
    {
        "config",
        "contact",
        "estimates",
        "exact",
        "fit",
        "floquet",
        "junction",
        "kernels",
        "leads",
        "links",
        "methods",
        "plotting",
        "printed",
        "profile",
        "report",
        "reproduce",
        "second_order",
        "spin",
        "spin_factors",
        "sweep",
        "units",
        "validate",
    }
)

__all__ = [
    "__version__",
    "time_reversed",
    "spin_factor_ac",
    "spin_factor_dc",
    "dc_kernel",
    "ac_kernel",
    "channel_kernels",
    "special_biases",
    "SpecialBiasError",
    "LinearDOS",
    "CallableDOS",
    "Junction",
    "Channel",
    "fit_channels",
    "methods",
    "contact",
    "links",
    "printed",
    "second_order",
    "exact",
    "floquet",
    "sweep",
    "fit",
    "profile",
]


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES) | _SUBMODULES)


if TYPE_CHECKING:  # what type checkers and editors see
    from . import contact, exact, fit, floquet, links, methods, printed, profile, second_order, sweep
    from .fit import fit_channels
    from .junction import Channel, Junction
    from .kernels import (
        CallableDOS,
        LinearDOS,
        SpecialBiasError,
        ac_kernel,
        channel_kernels,
        dc_kernel,
        special_biases,
    )
    from .spin import time_reversed
    from .spin_factors import spin_factor_ac, spin_factor_dc
