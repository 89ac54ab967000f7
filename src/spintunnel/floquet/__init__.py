"""All orders in tunnelling: Floquet-Keldysh theory of a biased point contact with a 2x2
spin amplitude J (Cuevas, Martin-Rodero and Levy Yeyati, PRB 54, 7366 (1996), with spin).

Modules
-------
``lead_greens``
    BCS lead Green's functions in the Nambu-spin basis (4x4): wide band, or a finite flat
    band [-D, D] (``band=D``, g_D = phi(z) g_wide)
``sidebands``
    the sideband chain (Floquet algebra) and its block-tridiagonal Dyson solve (4x4
    Nambu-spin blocks: the reference the channels are checked against)
``channels``
    any 2x2 J as two spin channels of scalar Nambu sub-sites (SVD + SU(2))
``kernel``
    compiled (numba) per-energy solves of one channel's chain; imported lazily
``quadrature``
    adaptive panel quadrature resolving the gap-edge singularities
``solver``
    charge/spin current harmonics, time traces and magnetization
``magnetization``
    static (time-averaged) magnetization of a superconducting lead
"""

from .lead_greens import bcs_dos, inverse_local_gf, local_gf
from .magnetization import StaticMagnetization, static_magnetization
from .solver import (
    FloquetResult,
    QuadratureWarning,
    SidebandCapWarning,
    amplitude_from_transmission,
    channel_transmissions,
    floquet_currents,
    floquet_iv,
    normal_conductance,
)

__all__ = [
    "FloquetResult",
    "QuadratureWarning",
    "SidebandCapWarning",
    "StaticMagnetization",
    "amplitude_from_transmission",
    "bcs_dos",
    "channel_transmissions",
    "floquet_currents",
    "floquet_iv",
    "inverse_local_gf",
    "local_gf",
    "normal_conductance",
    "static_magnetization",
]
