"""Physical units at the package boundary (CODATA values from scipy.constants).

Inside the package: hbar = k_B = e = 1 and (g/2) mu_B = 1, energies in meV at the physical
boundary (so times are in units of hbar/meV). No global unit state: every conversion is an
explicit function of its inputs.

The resistance quantum is the paper's, ``R_Q = hbar/e^2`` (S30; about 4.1 kOhm).  The
paper's (S30) also sets ``rho_L rho_R |J0|^2 = R_Q/R_n``, 4 pi more than the golden rule
(docs/junction.md, "(S30) is off by 4 pi"); the package fixes the coupling from R_n by the
all-orders normal conductance instead (:mod:`spintunnel.contact`,
:attr:`spintunnel.junction.Junction.coupling`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import constants as C

from .inputs import positive

#: R_Q = hbar / e^2 in Ohm, as the paper defines it (S30).
RESISTANCE_QUANTUM_OHM = C.hbar / C.e**2
#: 1 meV in joule.
MEV_J = 1e-3 * C.e
#: k_B in meV per kelvin.
BOLTZMANN_MEV_PER_K = C.k / MEV_J
#: The reduced time unit hbar / (1 meV), in seconds.
TIME_UNIT_S = C.hbar / MEV_J
#: Bohr magneton in J/T.
BOHR_MAGNETON_J_PER_T = C.physical_constants["Bohr magneton"][0]
#: nA per unit of the solvers' particle current, e/hbar x meV: I = e (meV/hbar) x = x e^2/hbar
#: x 1 mV = x 1e-3/R_Q ampere (R_Q = hbar/e^2); positive for a current L -> R at eV > 0.
NANOAMPERE_PER_REDUCED_CURRENT = 1e-3 / RESISTANCE_QUANTUM_OHM * 1e9
#: The paper's field-estimate volume: a half-sphere of radius 1 nm, in nm^3 (S30 ff.).
HALF_SPHERE_1NM_NM3 = 2.0 * math.pi / 3.0


def kelvin_to_meV(temperature_K: float) -> float:
    """k_B T in meV for a temperature in K."""
    return float(temperature_K) * BOLTZMANN_MEV_PER_K


def meV_to_kelvin(energy_meV: float) -> float:
    """The temperature in K whose k_B T is the given energy in meV."""
    return float(energy_meV) / BOLTZMANN_MEV_PER_K


def josephson_frequency_GHz(bias_mV: float) -> float:
    """Josephson frequency 2eV/h in GHz for a bias V in mV (483.597... GHz per mV)."""
    return 2.0 * C.e * float(bias_mV) * 1e-3 / C.h * 1e-9


def rq_over_rn(normal_resistance_ohm: float) -> float:
    """R_Q/R_n (dimensionless) for R_n in Ohm, R_Q = hbar/e^2: the paper's (S30) value of
    rho_L rho_R |J0|^2, kept for the printed estimates (module docstring)."""
    return RESISTANCE_QUANTUM_OHM / positive(normal_resistance_ohm, "normal_resistance_ohm", "Ohm")


def rate_per_second(reduced_rate: float | np.floating | np.ndarray, energy_unit_meV: float = 1.0) -> Any:
    """A rate in reduced units, (quantity) x energy_unit_meV/hbar, converted to (quantity)/s;
    e.g. dM/dt in (g/2) mu_B meV/hbar to mu_B/s (g = 2).  Works elementwise on arrays."""
    return reduced_rate / (TIME_UNIT_S / positive(energy_unit_meV, "energy_unit_meV", "meV"))


def field_mT(moment_bohr_magnetons: float | np.floating | np.ndarray, volume_nm3: float = HALF_SPHERE_1NM_NM3) -> Any:
    """Flux density B = mu_0 M / V0 in mT of a moment (in mu_B) spread over V0 (in nm^3): the
    paper's estimate after (S30)."""
    volume_m3 = positive(volume_nm3, "volume_nm3", "nm^3") * 1e-27
    return C.mu_0 * moment_bohr_magnetons * BOHR_MAGNETON_J_PER_T / volume_m3 * 1e3
