"""The supplement's order-of-magnitude estimates (S29-S30 and after S47), and the charge
critical current they are compared with.

All energies in one common unit (meV at the physical boundary); results state their unit.
"""

from __future__ import annotations

import math

import numpy as np

from .inputs import non_negative, positive


def ac_moment_estimate_paper(bias: float, gap: float, rq_over_rn: float) -> dict:
    """(S30): |M_ac| ~ mu_B (3/16) (eV/Delta) R_Q/R_n, rounded by the paper to mu_B (eV/Delta) R_Q/R_n.

    Returns both, in Bohr magnetons, as ``{"with_3_16": ..., "rounded": ...}``.
    """
    ratio = float(bias) / positive(gap, "gap")
    return {"with_3_16": 3.0 / 16.0 * ratio * rq_over_rn, "rounded": ratio * rq_over_rn}


def dc_moment_estimate_paper(bias: float, gap: float, rq_over_rn: float) -> float:
    """After (S47): the spin-independent part of M_dc, -mu_B (eV/Delta) (1/16) R_Q/R_n, in mu_B."""
    return -float(bias) / positive(gap, "gap") / 16.0 * rq_over_rn


def spin_to_charge_ratio_paper(bias: float, gap: float) -> float:
    """(I0_spin/mu_B)/(I0_charge/e) = (2/pi)(eV/Delta)^2, as the supplement writes it, with
    I0_spin = mu_B 2 (eV)^2/(hbar Delta) R_Q/R_n and I0_charge = pi Delta/(e R_n)."""
    return 2.0 / math.pi * (float(bias) / positive(gap, "gap")) ** 2


def critical_current_times_rn_paper(gap: float) -> float:
    """I_c R_n = pi Delta / e, the charge critical current the supplement uses (in the unit
    of ``gap`` per e, e.g. mV for a gap in meV)."""
    return math.pi * positive(gap, "gap")


def critical_current_times_rn_ambegaokar_baratoff(gap: float, temperature: float) -> float:
    """Ambegaokar-Baratoff for equal gaps: I_c R_n = (pi Delta / 2e) tanh(Delta / 2 k_B T).

    ``gap`` and ``temperature`` (as k_B T) in the same energy unit; the result in that unit
    per e (mV for meV). At T = 0 it is pi Delta / 2e, half the value the supplement uses.
    """
    g = positive(gap, "gap")
    t = non_negative(temperature, "temperature")
    return math.pi * g / 2.0 * (1.0 if t == 0 else np.tanh(g / (2.0 * t)))


def spin_to_charge_ratio_ambegaokar_baratoff(bias: float, gap: float, temperature: float) -> float:
    """(I0_spin/mu_B)/(I_c/e) with the supplement's I0_spin and the Ambegaokar-Baratoff I_c:
    (4/pi)(eV/Delta)^2 / tanh(Delta/2k_BT)."""
    g = positive(gap, "gap")
    return 2.0 * (float(bias) / g) ** 2 * g / critical_current_times_rn_ambegaokar_baratoff(g, temperature)
