"""The paper's printed second-order formulas, Eq. (7)/(S39) and Eq. (12)/(S23), evaluated
on the levels of a finite junction, sector by sector, for comparison with the exact
discrete second order (:func:`spintunnel.exact.discrete_second_order`).

On the finite model the momenta are k = a k_n (a = +, -) and p = b p_m, and the amplitude
is ``J_{a k_n, b p_m} = t_nm J_ab``. The printed sums over all k and p then read, for the
sector of the ``a k_n`` states (``static_sector[0]`` is a = +, ``[1]`` is a = -):

    M_dc^a = sum_{n,m} t_nm^2 B_dc(n, m) sum_b Y(J_ab, J_{-a,-b})                    (S39)
    m_ac^a = sum_{n,m} t_nm^2 Delta_L Delta_R / (4 E_n E_m) B_ac(n, m) sum_b X(J_ab, J_{-a,-b})   (S23)

with ``M_ac(t) = m_ac e^{i(phi0 + 2eVt)} + c.c.``, the printed brackets

    B_dc = Delta_L^2/(4 E_k^3) [ (f_p - f_k)/((E_k - E_p)^2 - V^2) (xi_p/E_p (E_p - E_k) + V)
                                + (1 - f_k - f_p)/((E_k + E_p)^2 - V^2) (xi_p/E_p (E_p + E_k) + V) ]
    B_ac = (V - xi_k)/(E_k^2 - V^2) [ (2E_k - E_p)(f_p - f_k)/((E_k - E_p)^2 - V^2)
                                      - (2E_k + E_p)(1 - f_k - f_p)/((E_k + E_p)^2 - V^2) ]

and X, Y the spin factors of :mod:`spintunnel.spin_factors` (units (g/2) mu_B).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..leads import fermi as _fermi
from ..spin_factors import spin_factor_ac, spin_factor_dc
from .model import FiniteJunction


@dataclass(frozen=True)
class PrintedSecondOrder:
    """The printed formulas on a finite junction: static and harmonic parts, per sector
    (rows: k_n states, -k_n states) and in total, units (g/2) mu_B."""

    static_sector: np.ndarray
    harmonic_sector: np.ndarray

    @property
    def static(self) -> np.ndarray:
        return self.static_sector.sum(axis=0)

    @property
    def harmonic(self) -> np.ndarray:
        return self.harmonic_sector.sum(axis=0)


def printed_second_order(junction: FiniteJunction) -> PrintedSecondOrder:
    """Evaluate Eq. (7)/(S39) and Eq. (12)/(S23) on the junction's levels (module docstring).

    Raises ValueError where a printed denominator vanishes on the discrete levels.
    """
    xk = np.asarray(junction.levels_left, float)[:, None]
    xp = np.asarray(junction.levels_right, float)[None, :]
    gl, gr, T, V = junction.gap_left, junction.gap_right, junction.temperature, junction.bias
    Ek, Ep = np.sqrt(xk**2 + gl**2), np.sqrt(xp**2 + gr**2)
    fk, fp = _fermi(Ek, T), _fermi(Ep, T)
    d_minus = (Ek - Ep) ** 2 - V**2
    d_plus = (Ek + Ep) ** 2 - V**2
    d_k = Ek**2 - V**2
    if min(np.abs(d_minus).min(), np.abs(d_plus).min(), np.abs(d_k).min()) < 1e-12:
        raise ValueError("a printed denominator vanishes on these levels (resonance); shift the levels or the bias")
    b_dc = (
        gl**2
        / (4 * Ek**3)
        * ((fp - fk) / d_minus * (xp / Ep * (Ep - Ek) + V) + (1 - fk - fp) / d_plus * (xp / Ep * (Ep + Ek) + V))
    )
    b_ac = (V - xk) / d_k * ((2 * Ek - Ep) * (fp - fk) / d_minus - (2 * Ek + Ep) * (1 - fk - fp) / d_plus)
    b_ac = b_ac * gl * gr / (4 * Ek * Ep)
    t2 = np.broadcast_to(np.asarray(junction.hopping, dtype=float) ** 2, b_dc.shape)
    w_dc, w_ac = float(np.sum(t2 * b_dc)), float(np.sum(t2 * b_ac))
    blocks = junction.blocks
    key = {(1, 1): "pp", (1, -1): "pm", (-1, 1): "mp", (-1, -1): "mm"}
    static = np.zeros((2, 3))
    harmonic = np.zeros((2, 3), complex)
    for row, a in enumerate((1, -1)):
        for b in (1, -1):
            J, Jbar = blocks[key[a, b]], blocks[key[-a, -b]]
            static[row] += w_dc * spin_factor_dc(J, Jbar).real
            harmonic[row] += w_ac * spin_factor_ac(J, Jbar)
    return PrintedSecondOrder(static, harmonic)
