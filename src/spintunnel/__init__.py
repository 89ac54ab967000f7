"""spintunnel: magnetization and spin current of a voltage-biased weak link with
spin-dependent tunnelling between BCS superconductors.

Implements the system of Entin-Wohlman, Shekhter, Jonson and Aharony, "Magnetization
near a constriction between BCS superconductors by spin-dependent tunneling" (with its
supplemental material), and checks its printed formulas against the Hamiltonian
(S1, S2, S7, S9-S10).

Reduced units inside the package: hbar = k_B = e = 1 and (g/2) mu_B = 1; energies in a
unit of the caller's choice (the tests use Delta_L = 1). Spin index sigma = +1 (up) and
-1 (down); 2x2 spin matrices are indexed [up, down].
"""

__version__ = "0.1.0"

from .spin import time_reversed
from .spin_factors import spin_factor_ac, spin_factor_dc
from .kernels import (
    CallableDOS,
    LinearDOS,
    SpecialBiasError,
    ac_kernel,
    channel_kernels,
    dc_kernel,
    special_biases,
)
from .junction import Channel, Junction
from . import contact, exact, floquet, links, methods, printed, second_order
from .fit import fit_channels

__all__ = [
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
]
