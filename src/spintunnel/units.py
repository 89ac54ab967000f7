"""Physical units at the package boundary (CODATA values from scipy.constants).

Inside the package: hbar = k_B = e = 1 and (g/2) mu_B = 1, energies in meV at the physical
boundary (so times are in units of hbar/meV). No global unit state: every conversion is an
explicit function of its inputs.

The resistance quantum is the paper's, ``R_Q = hbar/e^2`` (S30; about 4.1 kOhm), and the
normal-state resistance is ``R_n = hbar / (e^2 rho_L rho_R |J0|^2)``, so
``rho_L rho_R |J0|^2 = R_Q / R_n``.
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
    """R_Q / R_n = rho_L rho_R |J0|^2 (S30), with R_Q = hbar/e^2, for R_n in Ohm."""
    return RESISTANCE_QUANTUM_OHM / positive(normal_resistance_ohm, "normal_resistance_ohm", "Ohm")


def moment_in_bohr_magnetons(
    reduced: float | np.floating | np.ndarray, normal_resistance_ohm: float, g_factor: float = 2.0
) -> Any:
    """Magnetization of Eq. (4) in Bohr magnetons from its reduced value.

    ``reduced`` is M per rho_L rho_R |J0|^2 in units of (g/2) mu_B (the package's reduced
    magnetization); the result is ``(g/2) mu_B * reduced * R_Q/R_n`` in mu_B. Works
    elementwise on arrays.
    """
    return 0.5 * g_factor * reduced * rq_over_rn(normal_resistance_ohm)


def rate_per_second(reduced_rate: float | np.floating | np.ndarray, energy_unit_meV: float = 1.0) -> Any:
    """A rate dM/dt in reduced units (per hbar/energy unit) converted to per second."""
    return reduced_rate / (TIME_UNIT_S / positive(energy_unit_meV, "energy_unit_meV", "meV"))


def field_mT(moment_bohr_magnetons: float | np.floating | np.ndarray, volume_nm3: float = HALF_SPHERE_1NM_NM3) -> Any:
    """Flux density B = mu_0 M / V0 in mT of a moment (in mu_B) spread over V0 (in nm^3)."""
    volume_m3 = positive(volume_nm3, "volume_nm3", "nm^3") * 1e-27
    return C.mu_0 * moment_bohr_magnetons * BOHR_MAGNETON_J_PER_T / volume_m3 * 1e3
