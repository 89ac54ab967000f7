r"""Exact second-order (in the tunnelling) theory of the discrete model.

Derived from the Hamiltonian, not from the printed results: the Nambu correlation
``C = <Psi Psi^dag>`` obeys ``i dC/dt = [H_BdG(t), C]`` with
``H_BdG = H_0 + e^{i theta} X + e^{-i theta} X^dag``, ``theta = phi0/2 + eV t``
(Eqs. S2, S7, S9-S10). Expanding to second order in ``X`` with the coupling switched
on adiabatically from ``t = -inf`` (factor ``e^{eta t}``, ``eta -> 0+``) gives, in
the eigenbasis ``H_0 |a> = eps_a |a>``, ``C_0 = diag(c_a)``, ``c_a = 1 - f(eps_a)``,

.. math::

    C^{(2)}_{ab}(t) = \sum_{\mu,\nu=\pm} e^{i(\mu+\nu)\theta(t)} \sum_c
        \frac{X^\mu_{ac} X^\nu_{cb}}{x + y}
        \Big[\frac{c_a - c_c}{x} + \frac{c_b - c_c}{y}\Big],
    \quad x = \epsilon_a - \epsilon_c + \mu eV,\ y = \epsilon_c - \epsilon_b + \nu eV,

with ``X^+ = X``, ``X^- = X^dag`` and every frequency carrying ``-i eta``. A ratio
``(c_a - c_c)/x`` with equal occupations is zero (it is multiplied by an exact zero
for every eta). When ``x + y = 0`` (static terms between degenerate states, which
have ``c_a = c_b``) the eta -> 0 limit is finite:
``sum_c X^mu_ac X^-mu_cb (c_a - c_c) / (x y) = -sum_c ... (c_a - c_c)/x^2``.
A vanishing denominator with unequal occupations is a real (resonant) transition and
raises ``ValueError``. The first order has no left-left block, so the
second order is the leading term of ``M_L`` (Eq. 4 / S11).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import FiniteJunction, hole_occupation, magnetization_from_correlation


@dataclass
class SecondOrder:
    r"""Second-order magnetization of the left lead.

    ``M_L(t) = static + harmonic e^{i(phi0 + 2eVt)} + c.c.`` (cf. Eqs. 6, S23, S39);
    units (g/2) mu_B.

    Attributes
    ----------
    static : ndarray (3,)
        Time-independent part, components (x, y, z).
    harmonic : ndarray (3,), complex
        Coefficient of ``e^{i(phi0 + 2 eV t)}``.
    static_sector, harmonic_sector : ndarray (2, 3)
        The same split into the ``k_n`` (index 0) and ``-k_n`` (index 1) states.
    bias, phi0 : float
        ``eV`` and ``phi_0`` of the junction.
    """

    static: np.ndarray
    harmonic: np.ndarray
    static_sector: np.ndarray
    harmonic_sector: np.ndarray
    bias: float
    phi0: float

    def magnetization(self, t):
        """``M_L(t)`` at second order, shape ``(len(t), 3)``."""
        ph = np.exp(1j * (self.phi0 + 2 * self.bias * np.asarray(t, dtype=float)))[:, None]
        return self.static[None, :] + 2 * (self.harmonic[None, :] * ph).real


def _ratio(num, den, coupled, tol, what):
    """``num/den`` with ``0`` where ``num == 0``; error where ``den == 0 != num``."""
    small_num = np.abs(num) < 1e-12
    small_den = np.abs(den) < tol
    bad = small_den & ~small_num & coupled
    if np.any(bad):
        raise ValueError(
            f"bias/levels: resonant denominator in {what} "
            f"(|E| < {tol:g} with unequal occupations); the discrete "
            "second order is undefined, choose generic levels or bias"
        )
    out = np.zeros(np.broadcast(num, den).shape)
    ok = ~small_num & ~small_den
    np.divide(num, den, out=out, where=ok)
    return out


def discrete_second_order(junction: FiniteJunction, tol=1e-8):
    """Second-order static and 2eV-harmonic left-lead magnetization (exact in the levels).

    Parameters
    ----------
    junction : FiniteJunction
    tol : float
        Denominators with modulus below ``tol`` (energy units) are treated as exact
        degeneracies (limit) or as resonances (error), see the module notes.

    Returns
    -------
    SecondOrder
    """
    H0 = junction.lead_hamiltonian_bdg()
    eps, U = np.linalg.eigh(H0)
    c = hole_occupation(eps, junction.temperature)
    V = junction.bias
    Xe = U.conj().T @ junction.tunnelling_bdg() @ U
    Xs = {+1: Xe, -1: Xe.conj().T}
    scale = max(np.abs(Xe).max(), 1e-300)
    coupled = {mu: np.abs(Xs[mu]) > 1e-13 * scale for mu in (+1, -1)}
    dc = c[:, None] - c[None, :]  # c_a - c_c
    om = eps[:, None] - eps[None, :]  # eps_a - eps_c
    q = {mu: _ratio(dc, om + mu * V, coupled[mu], tol, "first order") for mu in (+1, -1)}
    r = {mu: _ratio(dc, (om + mu * V) ** 2, coupled[mu], tol**2, "first order") for mu in (+1, -1)}

    def pair(mu, nu):
        # N_ab = sum_c X^mu_ac X^nu_cb [(c_a - c_c)/x + (c_b - c_c)/y];
        # (c_b - c_c)/y = -q^nu_cb with y = eps_c - eps_b + nu V
        num = (Xs[mu] * q[mu]) @ Xs[nu] - Xs[mu] @ (Xs[nu] * q[nu])
        Om = om + (mu + nu) * V
        out = np.zeros_like(num)
        regular = np.abs(Om) >= tol
        out[regular] = num[regular] / Om[regular]
        singular = ~regular
        if np.any(singular):
            coupled_ab = np.abs(num) > 1e-12 * scale**2
            if mu + nu != 0:
                resonant = singular & coupled_ab
            else:
                resonant = singular & coupled_ab & (np.abs(dc) > 1e-12)
            if np.any(resonant):
                raise ValueError(
                    "bias/levels: resonant second-order denominator "
                    "eps_a - eps_b + (mu + nu) eV = 0 with unequal occupations"
                )
            if mu + nu == 0:
                # degenerate a, b with c_a = c_b: eta -> 0 limit of the ratio
                limit = -(Xs[mu] * r[mu]) @ Xs[nu]
                out[singular] = limit[singular]
        return out

    K_static = pair(+1, -1) + pair(-1, +1)
    K_harm = pair(+1, +1)
    nl = junction.n_left

    def mag(K):
        Ul = U[:nl]
        return magnetization_from_correlation(junction, Ul @ K @ Ul.conj().T, real=False)

    st = mag(K_static)
    hm = mag(K_harm)
    return SecondOrder(
        static=st.sum(0).real, harmonic=hm.sum(0), static_sector=st.real, harmonic_sector=hm, bias=V, phi0=junction.phi0
    )


def smallest_denominator(junction: FiniteJunction):
    """Smallest energy denominator of the discrete second order (energy units).

    The minimum of ``|eps_a - eps_c +- eV|`` over pairs of BdG eigenstates coupled by
    the tunnelling, and of ``|eps_a - eps_b +- 2 eV|`` over pairs coupled by two
    tunnelling events (pair transfer), in both cases only where the occupations
    differ. The discrete second order needs the tunnelling magnitudes to be small
    compared with it, and the exact evolution needs ``ramp_time`` long compared with
    its inverse (adiabatic switching).
    """
    H0 = junction.lead_hamiltonian_bdg()
    eps, U = np.linalg.eigh(H0)
    c = hole_occupation(eps, junction.temperature)
    X = U.conj().T @ junction.tunnelling_bdg() @ U
    scale = max(np.abs(X).max(), 1e-300)
    dc = np.abs(c[:, None] - c[None, :]) > 1e-12
    om = eps[:, None] - eps[None, :]
    best = np.inf
    for mu, Xm in ((+1, X), (-1, X.conj().T)):
        for n, coupling in ((1, Xm), (2, Xm @ Xm)):
            mask = dc & (np.abs(coupling) > 1e-10 * scale**n)
            if np.any(mask):
                best = min(best, np.abs(om + n * mu * junction.bias)[mask].min())
    return best
