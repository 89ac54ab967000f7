r"""Time reversal of the finite model and its exact equilibrium state.

The antiunitary ``Theta`` acts on each lead's single-particle states as
``i sigma_y K``: ``Theta c_{k s} Theta^-1 = s c_{-k,-s}``. It leaves (S2) invariant.
The tunnelling (S7) is invariant iff, for every pair of blocks,

    J_{-a,-b}[-s, -s'] = s s' conj(J_{ab}[s, s'])   i.e.   J_{-a,-b} = sigma_y J_ab^* sigma_y

(``standard``), with the bias and ``phi0`` set to zero. The paper prints
``Jbar[-s, -s'] = conj(J[s, s'])`` (Eq. 9, S24, S42), i.e. ``sigma_x J^* sigma_x``
(``paper``). In BdG form ``Theta`` is ``U_Theta K`` with ``U_Theta = diag(u, u^*)``,
``u[(k,s), (-k,-s)] = s``, and invariance reads ``U_Theta^dag H_BdG^* U_Theta = H_BdG``.
"""

from __future__ import annotations

import numpy as np

from ..spin import time_reversed
from .model import SPIN_SIGN, FiniteJunction, magnetization_from_correlation


def time_reversal_blocks(J, J_cross=None, convention="standard"):
    """Four blocks ``{'pp': J, 'pm': J_cross, 'mp': partner(J_cross), 'mm': partner(J)}``.

    ``J_cross`` (the (k, -p) amplitude) defaults to ``J``.
    """
    J = np.asarray(J, dtype=complex)
    Jc = J if J_cross is None else np.asarray(J_cross, dtype=complex)
    return {"pp": J, "pm": Jc, "mp": time_reversed(Jc, convention), "mm": time_reversed(J, convention)}


def time_reversal_unitary(junction: FiniteJunction):
    """``U_Theta = diag(u, u^*)`` of ``Theta = U_Theta K`` on Nambu space."""
    u4 = np.zeros((4, 4))
    for a in range(2):
        for si, s in enumerate(SPIN_SIGN):
            u4[2 * a + si, 2 * (1 - a) + (1 - si)] = s  # Theta c_{a,s} = s c_{-a,-s}
    n = junction.levels_left.size + junction.levels_right.size
    u = np.kron(np.eye(n), u4)
    return np.block([[u, np.zeros_like(u)], [np.zeros_like(u), u.conj()]])


def time_reversal_defect(junction: FiniteJunction, t=0.0):
    """``|| U_Theta^dag H_BdG(t)^* U_Theta - H_BdG(t) ||_max`` (energy units).

    Zero iff the many-body Hamiltonian at time ``t`` commutes with ``Theta``.
    """
    H = junction.bdg_hamiltonian(t)
    U = time_reversal_unitary(junction)
    return np.abs(U.conj().T @ H.conj() @ U - H).max()


def equilibrium_magnetization(junction: FiniteJunction):
    """``M_L`` in the exact thermal state of the coupled junction at zero bias.

    ``C = f(-H_BdG)`` with the full tunnelling at ``phi0`` (Eq. S1 with
    ``mu_L = mu_R``); returns the (2, 3) sector magnetization, units (g/2) mu_B.
    """
    if junction.bias != 0:
        raise ValueError("bias must be 0 for an equilibrium state")
    C = junction.thermal_correlation(junction.bdg_hamiltonian(0.0))
    nl = junction.n_left
    return magnetization_from_correlation(junction, C[:nl, :nl])


def equilibrium_particle_current(junction: FiniteJunction):
    """Tunnelling particle current into the left lead in the coupled thermal state.

    ``i <[H_tun, N_L]> = -2 Im tr(T_LR C_RL)``, for the dc Josephson effect at
    ``eV = 0`` (electrons per unit time).
    """
    if junction.bias != 0:
        raise ValueError("bias must be 0 for an equilibrium state")
    C = junction.thermal_correlation(junction.bdg_hamiltonian(0.0))
    nl, D = junction.n_left, junction.n_modes
    T_LR = np.exp(0.5j * junction.phi0) * junction.hopping_left_right()
    return -2 * np.trace(T_LR @ C[nl:D, :nl]).imag


def grand_potential(junction: FiniteJunction):
    """``Omega = -(T/2) sum_a ln(2 cosh(eps_a / 2T))`` of the coupled BdG spectrum at
    zero bias (up to a phase-independent constant; ``-(1/2) sum |eps_a|`` at T = 0)."""
    eps = np.linalg.eigvalsh(junction.bdg_hamiltonian(0.0))
    T = junction.temperature
    if T == 0:
        return -0.5 * np.abs(eps).sum()
    x = np.abs(eps) / (2 * T)
    return -0.5 * T * (x + np.log1p(np.exp(-2 * x))).sum()
