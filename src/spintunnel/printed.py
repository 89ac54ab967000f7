"""The paper's printed closed forms of the spin factors, verbatim, for comparison.

Each function evaluates one printed right-hand side exactly as it stands in the paper
(main text and supplement), so that tests and ``spintunnel reproduce`` can set it beside
the definitions in :mod:`spintunnel.spin_factors`. Nothing here is used to compute
physics; where a printed form does not follow from its definition, ``docs/spin_factors.md``
says so and gives the corrected form.

``phase`` is phi0 + 2 eV t (radians). ``J`` is indexed ``[s, s']`` as in (S7).
"""

from __future__ import annotations

import numpy as np

from .spin import SIGMA_0, SIGMA_X, SIGMA_Y, as_spin_matrix

UP, DOWN = 0, 1


def ac_term_s25(J, phase: float) -> np.ndarray:
    """Right-hand side of (S25): ``X e^{i phase} + c.c.`` for a link obeying (S24).

    Returns the real 3-vector (x, y, z) as printed (y component as printed is complex in
    general: the printed y bracket is not what (S24) gives; see ``docs/spin_factors.md``).
    """
    J = as_spin_matrix(J)
    uu, ud, du, dd = J[UP, UP], J[UP, DOWN], J[DOWN, UP], J[DOWN, DOWN]
    c = np.conj
    s, co = np.sin(phase), np.cos(phase)
    x = 2j * s * (du * c(uu) + ud * c(dd) - uu * c(du) - dd * c(ud))
    y = 2 * s * (du * c(uu) - dd * c(ud) + ud * c(uu) - dd * c(ud))
    z = 2 * co * (abs(uu) ** 2 - abs(dd) ** 2 - abs(ud) ** 2 + abs(du) ** 2)
    return np.array([x, y, z])


def ac_term_eq14(J, phase: float) -> np.ndarray:
    """Right-hand side of Eq. (14) (main text), read as
    ``2 { z cos(phase) sum_s s (|J_ss|^2 - |J_s,-s|^2)
    + 4 sin(phase) [ y Re sum_s s J_{-s,s} J*_{s,s} - x Im sum_s s J_{-s,s} J*_{s,s} ] }``.
    """
    J = as_spin_matrix(J)
    sign = {UP: 1.0, DOWN: -1.0}
    flip = {UP: DOWN, DOWN: UP}
    pair = sum(sign[a] * J[flip[a], a] * np.conj(J[a, a]) for a in (UP, DOWN))
    z = np.cos(phase) * sum(sign[a] * (abs(J[a, a]) ** 2 - abs(J[a, flip[a]]) ** 2) for a in (UP, DOWN))
    return 2 * np.array([-4 * np.sin(phase) * pair.imag, 4 * np.sin(phase) * pair.real, z])


def ac_term_bent_z(kso_d: float, theta: float, phase: float) -> np.ndarray:
    """Eq. (15) = (S28): the ac spin term of the bent link with Rashba field along z,
    ``-8 sin(phase) sin(k_so d) cos(theta) (x sin^2(k_so d/2) sin(2 theta)
    + y [cos^2(k_so d/2) - sin^2(k_so d/2) cos(2 theta)])``."""
    x, th = kso_d, theta
    pref = -8 * np.sin(phase) * np.sin(x) * np.cos(th)
    return pref * np.array(
        [np.sin(x / 2) ** 2 * np.sin(2 * th), np.cos(x / 2) ** 2 - np.sin(x / 2) ** 2 * np.cos(2 * th), 0.0]
    )


def ac_term_bent_y(kso_d: float, theta: float, phase: float) -> np.ndarray:
    """Statement after (S27): for the Rashba field along y every component of (S25) vanishes."""
    return np.zeros(3)


def dc_factor_s41(J) -> np.ndarray:
    """(S41): the dc spin factor of a link obeying (S24),
    ``2 z (|J_uu|^2 - |J_dd|^2 + |J_ud|^2 - |J_du|^2)``."""
    J = as_spin_matrix(J)
    a = np.abs(J) ** 2
    return np.array([0.0, 0.0, 2 * (a[UP, UP] - a[DOWN, DOWN] + a[UP, DOWN] - a[DOWN, UP])])


def jjdag_straight_s46(kso_d: float, b: float) -> np.ndarray:
    """(S46): ``J J^dag / |J0|^2 = 1 - 2 b cos(k_so d) [sin(k_so d) sigma_x + cos(k_so d) sigma_y]``,
    to linear order in b = m* B_y / k_F^2."""
    c, s = np.cos(kso_d), np.sin(kso_d)
    return SIGMA_0 - 2 * b * c * (s * SIGMA_X + c * SIGMA_Y)


def dc_factor_straight_s47(kso_d: float, b: float) -> np.ndarray:
    """(S47): the dc spin factor of the straight link, ``+8 b cos(k_so d) [sin(k_so d) x + cos(k_so d) y]``."""
    return 8 * b * np.cos(kso_d) * np.array([np.sin(kso_d), np.cos(kso_d), 0.0])


def dc_factor_straight_main_text(kso_d: float, b: float) -> np.ndarray:
    """Sentence after Eq. (11): ``-8 b cos(k_so d) [sin(k_so d) x + cos(k_so d) y]``."""
    return -dc_factor_straight_s47(kso_d, b)
