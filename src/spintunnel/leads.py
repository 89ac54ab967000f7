"""BCS leads: the weak-coupling gap Delta(T).

The gap equation in the weak-coupling (BCS) limit, with the cut-off eliminated in favour of
the zero-temperature gap Delta_0:

    ln(Delta_0 / Delta) = 2 int_0^inf dxi f(E)/E = 2 int_0^inf du f(Delta cosh u),
    E = sqrt(xi^2 + Delta^2), f(E) = 1/(exp(E/k_B T) + 1),

with Delta_0 = pi e^{-gamma} k_B T_c (Delta_0 / k_B T_c = 1.7639), and near T_c the
Ginzburg-Landau form Delta = k_B T_c sqrt(8 pi^2 / (7 zeta(3))) sqrt(1 - T/T_c).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import integrate, optimize
from scipy.special import expit

from .inputs import non_negative, positive
from .units import BOLTZMANN_MEV_PER_K

#: Delta(0) / (k_B T_c) = pi exp(-Euler gamma) in the weak-coupling limit.
GAP_RATIO_WEAK_COUPLING = math.pi * math.exp(-np.euler_gamma)


def fermi(energy: ArrayLike, temperature: float) -> Any:
    """Fermi function f(E) = 1/(exp(E/k_B T) + 1), elementwise; energy and k_B T in one unit.

    At T = 0 the step: 1 below zero, 0 above, 1/2 at zero.  A float gives a float (the fast
    path of scalar quadrature integrands), an array an array.
    """
    if isinstance(energy, float):
        if temperature == 0:
            return 0.0 if energy > 0 else (1.0 if energy < 0 else 0.5)
        x = energy / temperature
        return 0.0 if x > 700.0 else 1.0 / (math.exp(x) + 1.0)
    e = np.asarray(energy, dtype=float)
    if temperature == 0:
        return np.where(e > 0, 0.0, np.where(e < 0, 1.0, 0.5))
    return expit(-e / temperature)


def _thermal_integral(gap: float, kT: float) -> float:
    """2 int_0^inf du f(gap cosh u), to ~1e-14 relative."""

    def integrand(u):
        x = gap * math.cosh(u) / kT
        return 0.0 if x > 700 else 1.0 / (math.exp(x) + 1.0)

    upper = math.acosh(max(1.0, 750 * kT / gap)) + 1.0
    val, _ = integrate.quad(integrand, 0.0, upper, epsabs=0, epsrel=1e-13, limit=200)
    return 2.0 * val


def bcs_gap_meV(temperature_K: float, gap_zero_meV: float) -> float:
    """Weak-coupling BCS gap Delta(T) in meV, solved to 1e-10 relative.

    Parameters
    ----------
    temperature_K : float
        Temperature in K, >= 0.
    gap_zero_meV : float
        Zero-temperature gap Delta(0) in meV, > 0.

    Returns
    -------
    float
        Delta(T) in meV; 0 at and above T_c = Delta(0) / (1.7639 k_B).
    """
    T = non_negative(temperature_K, "temperature_K", "K")
    gap0 = positive(gap_zero_meV, "gap_zero_meV", "meV")
    kT = T * BOLTZMANN_MEV_PER_K
    kTc = gap0 / GAP_RATIO_WEAK_COUPLING
    if kT >= kTc:
        return 0.0
    if kT < gap0 / 200:  # thermal correction below exp(-200): Delta(T) = Delta(0) to round-off
        return gap0

    def residual(log_ratio):  # log_ratio = ln(Delta/Delta0) < 0
        return -log_ratio - _thermal_integral(gap0 * math.exp(log_ratio), kT)

    # Delta >= GL value times 0.5 and <= Delta0
    lower = math.log(max(1e-300, 0.5 * 3.0633 * kTc * math.sqrt(1 - kT / kTc) / gap0))
    root = optimize.brentq(residual, lower, 0.0, xtol=1e-13, rtol=1e-13, maxiter=200)
    return gap0 * math.exp(root)


def critical_temperature_K(gap_zero_meV: float) -> float:
    """T_c in K of a weak-coupling BCS superconductor with zero-temperature gap Delta(0) in meV."""
    return float(gap_zero_meV) / GAP_RATIO_WEAK_COUPLING / BOLTZMANN_MEV_PER_K
