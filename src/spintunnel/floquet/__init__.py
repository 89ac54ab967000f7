"""All orders in tunnelling: Floquet-Keldysh theory of a biased point contact with a 2x2
spin amplitude J (Cuevas, Martin-Rodero and Levy Yeyati, PRB 54, 7366 (1996), with spin).

Modules
-------
leads       wide-band BCS lead Green's functions in the Nambu-spin basis (4x4)
sidebands   the sideband chain (Floquet algebra) and its block-tridiagonal Dyson solve
quadrature  adaptive panel quadrature resolving the gap-edge singularities
solver      charge/spin current harmonics, time traces and magnetization
"""

from .leads import bcs_dos, inverse_local_gf, local_gf
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
    "amplitude_from_transmission",
    "bcs_dos",
    "channel_transmissions",
    "floquet_currents",
    "floquet_iv",
    "inverse_local_gf",
    "local_gf",
    "normal_conductance",
]
