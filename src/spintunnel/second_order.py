"""Second-order magnetization and spin current, derived from the Hamiltonian.

This module is the *corrected* second-order theory of the paper's Eqs. (4), (5), (7),
(12), (S12)-(S39): it starts from the Hamiltonian (S1, S2, S7, S9-S10), not from the
printed kernels, and is derived step by step in ``docs/second_order.md``.

Model
-----
Each lead is split into pair sectors (k, -k) [left] and (p, -p) [right].  The tunnelling
amplitude is momentum independent inside four 2x2 spin blocks::

    H_LR = sum_{K,P} e^{i(phi0/2 + eV t)} [ c_k^dag J c_p + c_k^dag Jc1 c_{-p}
                                           + c_{-k}^dag Jc2 c_p + c_{-k}^dag Jbar c_{-p} ]

i.e. the 4x4 matrix ``W = [[J, Jc1], [Jc2, Jbar]]`` in (k, -k) x (p, -p) space.  The
paper's momentum-independent links have all four blocks equal (``cross="equal"``);
``cross=None`` means Jc1 = Jc2 = 0 (only (k,p) and (-k,-p) are coupled).

Method (docs/second_order.md)
-----------------------------
The Hamiltonian is quadratic, so the Nambu one-body density matrix
rho_ij = <Psi_j^dag Psi_i> (Psi = (c, c^dag), 8 components per pair sector) evolves
exactly as a single-particle density matrix, i d rho/dt = [H_BdG(t), rho], with
rho(-inf) = f(H_BdG,0) (thermal leads).  With adiabatic switching e^{eta t} the
second-order term is a sum of harmonics e^{-i Omega t}, Omega in {-2eV, 0, 2eV}::

    rho2^Omega_{s1 s2} = sum_{w + w' = Omega} sum_r [
        P_L^{s1} V_w P_R^r V_w' P_L^{s2} (f_{s2} - f_r) / (w' + i eta - r E_p + s2 E_k)
      - P_L^{s1} V_w' P_R^r V_w P_L^{s2} (f_r - f_{s1}) / (w' + i eta - s1 E_k + r E_p)
      ] / (Omega + 2 i eta - s1 E_k + s2 E_k)

with the BdG spectral projectors P^{+-} of each sector, w = -eV (amplitude W, hole block
-W^T) and w = +eV (hole block -W^*, electron block W^dag).  For s1 = s2 and Omega = 0
the two terms combine into the finite, eta-regular form
``- P^s V_{-w'} P^r V_{w'} P^s (f_s - f_r) / ((w' - r E_p + s E_k)^2 + eta^2)``; where
f_s != f_r on the resonance w' - r E_p + s E_k = 0 (real quasiparticle transitions) it
grows like 1/eta, i.e. linearly in time: this is the dc spin current (Fermi golden rule).

Magnetization of the k states of the left sector: M_k = Tr(sigma rho_{k e, k e}), of the
-k states M_{-k}; the total is their sum (Eq. 4 / S11).

Units and normalisation
-----------------------
hbar = k_B = e = 1, (g/2) mu_B = 1.  Energies (bias = eV, temperature = k_B T, gaps) in
any common unit; J in the same unit.  Sums over pair sectors become
``sum_K -> rho_L int dxi_k`` and ``sum_P -> rho_R int dxi_p`` over the whole line (rho is
the density of pair sectors, i.e. of one momentum half, per unit energy; with the paper's
``sum_{all k} = rho^paper int dxi`` one has rho = rho^paper / 2).  Magnetizations are
returned per rho_L rho_R (units of J^2 / energy^0, a pure number for |J| = 1); spin
currents per rho_L rho_R in units of J^2 x energy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .inputs import non_negative
from .leads import fermi as _fermi
from .spin import EPSILON, PAULI, as_spin_matrix

__all__ = [
    "DivergentMagnetizationError",
    "tunnelling_matrix",
    "density_matrix_second_order",
    "magnetization_dc",
    "magnetization_ac",
    "spin_current_dc",
    "spin_current_ac",
]

# ----------------------------------------------------------------------------- spin/Nambu
_PAULI = PAULI
_EPS = EPSILON  # i sigma_y = [[0, 1], [-1, 0]]


def _pairing_structure() -> np.ndarray:
    """8x8 matrix A with H_BdG = xi tau_z + Delta A for one (k,-k) sector.

    Basis (c_{k up}, c_{k dn}, c_{-k up}, c_{-k dn}, c^dag_{k up}, ..., c^dag_{-k dn}).
    (S2) summed over k and -k gives -Delta c_k^dag eps c_{-k}^dag{}^T + h.c.
    = (1/2) c^dag D c^dag{}^T + h.c. with D = -Delta [[0, eps], [eps, 0]].
    """
    z = np.zeros((2, 2))
    d = -np.block([[z, _EPS], [_EPS, z]])
    a = np.zeros((8, 8), dtype=complex)
    a[:4, 4:] = d
    a[4:, :4] = d.conj().T
    return a


_A8 = _pairing_structure()
_TZ8 = np.diag([1.0] * 4 + [-1.0] * 4).astype(complex)
_BASIS = (np.eye(8, dtype=complex), _TZ8, _A8)  # h_0, h_1, h_2 of P^s = (1 + s(a h1 + b h2))/2


def _observables() -> np.ndarray:
    """(2, 3, 8, 8): sigma_i on the electron block of the k (row 0) / -k (row 1) states."""
    obs = np.zeros((2, 3, 8, 8), dtype=complex)
    for sec in range(2):
        for i in range(3):
            obs[sec, i, 2 * sec : 2 * sec + 2, 2 * sec : 2 * sec + 2] = _PAULI[i]
    return obs


_OBS = _observables()


class DivergentMagnetizationError(ValueError):
    """The static magnetization is not finite in the continuum (it grows linearly in
    time, because real quasiparticle transitions carry a net spin current); ask for
    :func:`spin_current_dc` instead."""


# ----------------------------------------------------------------------------- validation
def _bias_array(bias) -> np.ndarray:
    try:
        b = np.asarray(bias, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bias must be real, got {bias!r}") from exc
    if not np.all(np.isfinite(b)):
        raise ValueError("bias must be finite")
    return b


def tunnelling_matrix(J, Jbar, cross=None) -> np.ndarray:
    """4x4 amplitude W = [[J, Jc1], [Jc2, Jbar]] in (k, -k) x (p, -p) space (Eq. S7).

    Parameters
    ----------
    J, Jbar : (2, 2) complex
        Blocks of (k, p) and (-k, -p); ``J[s, s']`` is the amplitude of (p s') -> (k s).
    cross : None, "equal" or pair of (2, 2)
        Blocks (Jc1, Jc2) of (k, -p) and (-k, p).  ``None``: zero blocks.  ``"equal"``:
        Jc1 = Jc2 = J, which requires Jbar == J (a momentum-independent amplitude, all
        the paper's link models).
    """
    J = as_spin_matrix(J, "J", single=True)
    Jbar = as_spin_matrix(Jbar, "Jbar", single=True)
    if cross is None:
        c1 = c2 = np.zeros((2, 2), dtype=complex)
    elif isinstance(cross, str):
        if cross != "equal":
            raise ValueError(f"cross must be None, 'equal' or a pair of 2x2, got {cross!r}")
        if not np.allclose(J, Jbar):
            raise ValueError("cross='equal' needs Jbar == J (momentum-independent amplitude)")
        c1 = c2 = J
    else:
        try:
            c1, c2 = cross
        except (TypeError, ValueError) as exc:
            raise ValueError("cross must be None, 'equal' or a pair (Jc1, Jc2)") from exc
        c1 = as_spin_matrix(c1, "cross[0]", single=True)
        c2 = as_spin_matrix(c2, "cross[1]", single=True)
    return np.block([[J, c1], [c2, Jbar]])


def _tunnel_components(W: np.ndarray) -> dict:
    """Frequency components V_w of the Nambu tunnelling term, e^{-i w t}, phi0 = 0.

    Returns {a: (V_LR, V_RL)} for w = a eV, a = -1, +1 (8x8 blocks between a left and
    a right sector).  H_tun = c_L^dag W c_R e^{i(phi0/2 + eVt)} + h.c. gives, in the
    doubled Nambu form, LR electron block W e^{i theta}, LR hole block -W^* e^{-i theta}.
    """
    z = np.zeros((8, 8), dtype=complex)
    m_lr, m_rl, p_lr, p_rl = z.copy(), z.copy(), z.copy(), z.copy()
    m_lr[:4, :4] = W
    m_rl[4:, 4:] = -W.T
    p_lr[4:, 4:] = -W.conj()
    p_rl[:4, :4] = W.conj().T
    return {-1: (m_lr, m_rl), 1: (p_lr, p_rl)}


def _trace_tensor(W: np.ndarray) -> dict:
    """C[a, b][sec, comp, i, k, j] = Tr[O h_i V^{LR}_{a eV} h_k V^{RL}_{b eV} h_j].

    The only J dependence of every second-order quantity; the rest is scalar kernels.
    """
    comps = _tunnel_components(W)
    out = {}
    for a in (-1, 1):
        for b in (-1, 1):
            v_lr = comps[a][0]
            v_rl = comps[b][1]
            # M[i,k,j] = h_i V_LR h_k V_RL h_j ; trace with O
            left = np.einsum("iab,bc->iac", np.array(_BASIS), v_lr)  # h_i V_LR
            mid = np.einsum("kab,bc->kac", np.array(_BASIS), v_rl)  # h_k V_RL
            lm = np.einsum("iab,kbc->ikac", left, mid)
            full = np.einsum("ikab,jbc->ikjac", lm, np.array(_BASIS))
            out[a, b] = np.einsum("scba,ikjab->scikj", _OBS, full)
    return out


# ----------------------------------------------------------------------------- discrete
def density_matrix_second_order(
    xi_k, xi_p, J, Jbar, bias, temperature, gap_left, gap_right, *, cross=None, eta=0.05
) -> dict:
    """Second-order Nambu density matrix of one left pair sector, discrete levels.

    Evaluates the harmonic formula of the module docstring at finite switching rate
    ``eta`` for one left sector at ``xi_k`` coupled to right sectors at ``xi_p``
    (scalar or 1-d array; the contributions add).  This is the exact second order of
    the discrete model with adiabatic switching e^{eta t}, phi0 = 0, evaluated at t = 0.

    Returns
    -------
    dict
        {n: (8, 8) complex}, n in (-2, 0, 2): the component multiplying
        e^{-i n eV t} e^{2 eta t}; rho2(t) = sum_n rho2[n] e^{-i n eV t} e^{2 eta t}.
        Basis (c_{k up}, c_{k dn}, c_{-k up}, c_{-k dn}, c^dag ...);
        rho_ij = <Psi_j^dag Psi_i>.  M_k = Tr(sigma rho[:2, :2]) etc.
    """
    W = tunnelling_matrix(J, Jbar, cross)
    comps = _tunnel_components(W)
    dl, dr = non_negative(gap_left, "gap_left"), non_negative(gap_right, "gap_right")
    T = non_negative(temperature, "temperature")
    V = float(bias)
    out = {n: np.zeros((8, 8), dtype=complex) for n in (-2, 0, 2)}

    def proj(xi, gap, s):
        e = np.hypot(xi, gap)
        return 0.5 * (np.eye(8) + s * (xi * _TZ8 + gap * _A8) / e), e

    for xp in np.atleast_1d(np.asarray(xi_p, dtype=float)):
        for s1 in (1, -1):
            p1, ek = proj(float(xi_k), dl, s1)
            for s2 in (1, -1):
                p2, _ = proj(float(xi_k), dl, s2)
                for r in (1, -1):
                    pr, ep = proj(xp, dr, r)
                    f1, f2, fr = _fermi(s1 * ek, T), _fermi(s2 * ek, T), _fermi(r * ep, T)
                    for a in (1, -1):
                        for b in (1, -1):
                            w, wp = a * V, b * V
                            m1 = p1 @ comps[a][0] @ pr @ comps[b][1] @ p2
                            m2 = p1 @ comps[b][0] @ pr @ comps[a][1] @ p2
                            f_1 = (f2 - fr) / (wp + 1j * eta - r * ep + s2 * ek)
                            f_2 = (fr - f1) / (wp + 1j * eta - s1 * ek + r * ep)
                            out[a + b] += (m1 * f_1 - m2 * f_2) / (w + wp + 2j * eta - s1 * ek + s2 * ek)
    return out


# ----------------------------------------------------------------------------- continuum
_N_NODES = 180
_XI_MAX_FACTOR = 1e12


def _kernel_pair(s1, s2, r, a, b, ek, ep, V, T):
    """Scalar kernels (K1, K2) multiplying C[a,b] and C[b,a], eta -> 0.

    Valid where no denominator with a non-zero numerator vanishes (checked by callers).
    """
    f1 = _fermi(s1 * ek, T)
    f2 = _fermi(s2 * ek, T)
    fr = _fermi(r * ep, T)
    if s1 == s2 and a + b == 0:
        # degenerate block: -(f_s - f_r) / x^2, x = w' - r E_p + s E_k  (w' = b eV)
        x = b * V - r * ep + s1 * ek
        num = -(f1 - fr)
        k1 = np.where(num == 0, 0.0, num / np.where(x == 0, 1.0, x) ** 2)
        return k1, None
    om = (a + b) * V
    d1 = b * V - r * ep + s2 * ek
    n1 = f2 - fr
    d2 = b * V - s1 * ek + r * ep
    n2 = fr - f1
    g1 = np.where(n1 == 0, 0.0, n1 / np.where(d1 == 0, 1.0, d1))
    g2 = np.where(n2 == 0, 0.0, n2 / np.where(d2 == 0, 1.0, d2))
    d0 = om - s1 * ek + s2 * ek
    return g1 / d0, -g2 / d0


def _quadrant_nodes(scale, n, xi_max):
    """Gauss-Legendre nodes on [0, xi_max] in u with xi = scale sinh(u)."""
    x, w = np.polynomial.legendre.leggauss(n)
    umax = np.arcsinh(xi_max / scale)
    u = 0.5 * umax * (x + 1.0)
    xi = scale * np.sinh(u)
    wt = 0.5 * umax * w * scale * np.cosh(u)
    return xi, wt


def _continuum_T0(W, V, dl, dr, harmonic, n=_N_NODES):
    """sum_K sum_P Tr(O rho2^Omega) / (rho_L rho_R) at T = 0, eta -> 0.

    harmonic = 0 (static) or -2 (the e^{+2i eV t} component m).  Returns (2, 3) complex.
    Integrates over the quadrant xi_k, xi_p >= 0 keeping the even coherence monomials
    (1, a_k^2, b_k, b_k^2) x (1, b_p) times 4: the odd ones (a_k, a_k b_k, a_p) cancel
    between xi and -xi for a constant density of states (symmetric cut-off).
    """
    C = _trace_tensor(W)
    scale_l = dl if dl > 0 else max(dr, abs(V), 1.0)
    scale_r = dr if dr > 0 else max(dl, abs(V), 1.0)
    big = _XI_MAX_FACTOR * max(dl, dr, abs(V))
    xk, wk = _quadrant_nodes(scale_l, n, big)
    xp, wp = _quadrant_nodes(scale_r, n, big)
    ek = np.hypot(xk, dl)
    ep = np.hypot(xp, dr)
    ak, bk = xk / ek, dl / ek
    ap, bp = xp / ep, dr / ep
    EK, EP = ek[:, None], ep[None, :]
    wgrid = 4.0 * wk[:, None] * wp[None, :]
    res = np.zeros((2, 3), dtype=complex)
    one = np.ones_like(ak)
    even_l = np.zeros((3, 3))
    for i, j in ((0, 0), (1, 1), (0, 2), (2, 0), (2, 2)):
        even_l[i, j] = 1.0
    for s1 in (1, -1):
        for s2 in (1, -1):
            if dl == 0 and s1 != s2:
                continue  # P^+ sigma_e P^- = 0 for a normal lead
            c1 = np.array([one, s1 * ak, s1 * bk]) / 2
            c2 = np.array([one, s2 * ak, s2 * bk]) / 2
            L = c1[:, None, :] * c2[None, :, :] * even_l[:, :, None]
            for r in (1, -1):
                d = np.array([np.ones_like(ap), 0 * ap, r * bp]) / 2
                for a in (1, -1):
                    for b in (1, -1):
                        if a + b != harmonic:
                            continue
                        k1, k2 = _kernel_pair(s1, s2, r, a, b, EK, EP, V, 0.0)
                        t1 = (k1 * wgrid) @ d.T
                        s_1 = np.einsum("ijn,nk->ijk", L, t1)
                        res += np.einsum("scikj,ijk->sc", C[a, b], s_1)
                        if k2 is not None:
                            t2 = (k2 * wgrid) @ d.T
                            s_2 = np.einsum("ijn,nk->ijk", L, t2)
                            res += np.einsum("scikj,ijk->sc", C[b, a], s_2)
    return res


# ----------------------------------------------------------------------------- rates
def _golden_rule(W, V, T, dl, dr, observables, n=_N_NODES):
    """d/dt sum_K sum_P Tr(O rho2) / (rho_L rho_R): the secular (real-transition) part.

    From the degenerate block, rho2 = -(f_s - f_r) M / (x^2 + eta^2) e^{2 eta t}, so
    d rho2/dt -> -2 pi (f_s - f_r) delta(x) M with M = P^s V_{-w'} P^r V_{w'} P^s and
    x = w' - r E_p + s E_k.  The delta fixes E_p; the remaining integral over E_k carries
    the BCS densities E/sqrt(E^2 - Delta^2) of both leads (inverse square-root edges,
    removed by E = E_0 + t^2 or a sin^2 map).  Returns array of shape observables.shape[:-2].
    """
    comps = _tunnel_components(W)
    out = np.zeros(observables.shape[:-2], dtype=complex)
    x, w = np.polynomial.legendre.leggauss(n)

    def projs(xi, gap, s):
        e = np.hypot(xi, gap)
        h = (xi[:, None, None] * _TZ8 + gap * _A8) / e[:, None, None]
        return 0.5 * (np.eye(8) + s * h)

    for s in (1, -1):
        for r in (1, -1):
            for b in (1, -1):
                # resonance: r E_p = b V + s E_k
                if s == r:
                    # E_p = E_k + s b V (thermal quasiparticles); needs T > 0
                    if T == 0 or V == 0:
                        continue  # f(E_k) - f(E_p) vanishes on the shell E_p = E_k
                    shift = s * b * V
                    e0 = max(dl, dr - shift)
                    if abs(dl - (dr - shift)) < 1e-12 * max(dl, dr, 1.0) and dl > 0 and dr > 0:
                        raise ValueError(
                            "bias = |gap_left - gap_right|: the two BCS density-of-states edges "
                            "coincide and the thermal quasiparticle current diverges "
                            "logarithmically (needs a broadening); choose another bias"
                        )
                    span = 60.0 * T
                    t = 0.5 * np.sqrt(span) * (x + 1.0)
                    ek = e0 + t * t
                    wt = 0.5 * np.sqrt(span) * w * 2.0 * t
                    ep = ek + shift
                else:
                    # E_k + E_p = r b V: pair breaking across the junction
                    tot = r * b * V
                    if tot <= dl + dr:
                        continue
                    th = 0.25 * np.pi * (x + 1.0)
                    ek = dl + (tot - dl - dr) * np.sin(th) ** 2
                    wt = 0.25 * np.pi * w * (tot - dl - dr) * 2 * np.sin(th) * np.cos(th)
                    ep = tot - ek
                xik = np.sqrt(np.maximum(ek * ek - dl * dl, 0.0))
                xip = np.sqrt(np.maximum(ep * ep - dr * dr, 0.0))
                ok = (xik > 0) & (xip > 0)
                if not np.any(ok):
                    continue
                ek, ep, xik, xip, wt = ek[ok], ep[ok], xik[ok], xip[ok], wt[ok]
                fs = _fermi(s * ek, T)
                fr = _fermi(r * ep, T)
                # dxi_k dxi_p delta(x) = dE_k (E_k/xi_k)(E_p/xi_p), xi of either sign
                jac = (ek / xik) * (ep / xip) * wt * (-2.0 * np.pi) * (fs - fr)
                acc = 0
                for sk in (1, -1):
                    pl = projs(sk * xik, dl, s)
                    for sp in (1, -1):
                        pr = projs(sp * xip, dr, r)
                        # w' = b V: M = P^s V_{-w'}^{LR} P^r V_{w'}^{RL} P^s
                        m = pl @ comps[-b][0] @ pr @ comps[b][1] @ pl
                        acc = acc + np.einsum("...ab,nba->n...", observables, m)
                out += np.tensordot(jac, acc, axes=(0, 0))
    return out


def _secular_scale(W, dl, dr, V, T):
    return float(np.sum(np.abs(W) ** 2)) * max(dl, dr, abs(V), T, 1e-300)


# ----------------------------------------------------------------------------- public API
def _prepare(J, Jbar, bias, temperature, gap_left, gap_right, cross):
    W = tunnelling_matrix(J, Jbar, cross)
    V = _bias_array(bias)
    T = non_negative(temperature, "temperature")
    dl = non_negative(gap_left, "gap_left")
    dr = non_negative(gap_right, "gap_right")
    if dl == 0 and dr == 0:
        raise ValueError(
            "gap_left and gap_right are both zero: two normal leads conduct at any bias; use spin_current_dc"
        )
    return W, V, T, dl, dr


def _vectorise(fn, V, sectors):
    flat = np.ravel(V)
    res = np.array([fn(float(v)) for v in flat])  # (n, 2, 3)
    res = res.reshape(V.shape + (2, 3))
    return res if sectors else res.sum(axis=-2)


def spin_current_dc(
    J: ArrayLike,
    Jbar: ArrayLike,
    bias: ArrayLike,
    temperature: float,
    gap_left: float,
    gap_right: float,
    *,
    cross: str | tuple | None = None,
    sectors: bool = False,
) -> np.ndarray:
    """Time-averaged spin current dM_L/dt of the left lead at second order (Eq. 5).

    The secular part of the second-order density matrix: real quasiparticle transitions
    (Fermi golden rule), ``-2 pi sum (f_s - f_r) delta(w' - r E_p + s E_k)
    Tr[sigma P^s V_{-w'} P^r V_{w'} P^s]``, integrated over xi_k, xi_p with constant
    densities of states (docs/second_order.md, Sec. 5).  Zero at T = 0 below the
    pair-breaking threshold ``|bias| < gap_left + gap_right``; at T > 0 carried by
    thermally excited quasiparticles.

    Parameters
    ----------
    J, Jbar : (2, 2) complex
        Amplitude blocks of (k, p) and (-k, -p), energy units.
    bias : float or array
        eV = mu_L - mu_R (energy units); arrays are evaluated element by element.
    temperature, gap_left, gap_right : float >= 0
        k_B T, Delta_L, Delta_R (energy units; a zero gap is a normal lead).
    cross : None, "equal" or (Jc1, Jc2)
        Blocks of (k, -p) and (-k, p); see :func:`tunnelling_matrix`.
    sectors : bool
        If True return shape (..., 2, 3): rows k states and -k states of the left lead.

    Returns
    -------
    ndarray, real, shape bias.shape + (3,) (or + (2, 3))
        dM/dt per rho_L rho_R, units of J^2 x energy (hbar = 1, (g/2) mu_B = 1).
    """
    W, V, T, dl, dr = _prepare(J, Jbar, bias, temperature, gap_left, gap_right, cross)

    def one(v):
        return _golden_rule(W, v, T, dl, dr, _OBS).real

    return _vectorise(one, V, sectors)


def _sector_spin_traces(W):
    """S_k = Tr[sigma (W W^dag)_{kk}], S_-k = Tr[sigma (W W^dag)_{-k-k}], shape (2, 3)."""
    a = W @ W.conj().T
    return np.array([[np.trace(s @ a[2 * i : 2 * i + 2, 2 * i : 2 * i + 2]).real for s in _PAULI] for i in range(2)])


def _static_shortcut(W, v, T, dl, dr, sectors):
    """Static magnetization where the continuum kernels are not evaluated, or raise.

    Returns None when the T = 0 sub-threshold evaluation applies.  Otherwise uses two
    exact statements (docs/second_order.md, Sec. 6): (i) the static part only involves
    W W^dag, M_k = alpha_M S_k + beta_M S_-k, so it vanishes when S_k = S_-k = 0;
    (ii) at eV = 0 the total vanishes by particle-hole symmetry ((s, r) -> (-s, -r)).
    """
    above = abs(v) >= dl + dr
    if T == 0 and not above:
        return None
    straces = _sector_spin_traces(W)
    if np.max(np.abs(straces)) <= 1e-14 * max(float(np.sum(np.abs(W) ** 2)), 1e-300):
        return np.zeros((2, 3))
    rate = _golden_rule(W, v, T, dl, dr, _OBS).real
    if np.max(np.abs(rate)) > 1e-10 * _secular_scale(W, dl, dr, v, T):
        raise DivergentMagnetizationError(
            f"static magnetization diverges at bias={v}, temperature={T}: real "
            f"quasiparticle transitions carry a net spin current dM/dt = "
            f"{np.round(rate.sum(axis=0), 12).tolist()} (per rho_L rho_R), so M grows "
            "linearly in time; use spin_current_dc"
        )
    if v == 0 and not sectors:
        return np.zeros((2, 3))  # total only; the caller sums the sectors
    if above:
        raise NotImplementedError(
            "bias at or above gap_left + gap_right: the double pole 1/(E_k+E_p-|eV|)^2 "
            "needs a finite-part prescription that is not implemented"
        )
    raise NotImplementedError(
        "T > 0 static magnetization without net spin current (sector-resolved at eV = 0): "
        "the principal-value integrals of the thermal channels are not implemented; the "
        "total at eV = 0 is 0 and the spin current is given by spin_current_dc"
    )


def magnetization_dc(
    J: ArrayLike,
    Jbar: ArrayLike,
    bias: ArrayLike,
    temperature: float,
    gap_left: float,
    gap_right: float,
    *,
    cross: str | tuple | None = None,
    sectors: bool = False,
) -> np.ndarray:
    """Static (dc) magnetization of the left lead at second order (Eq. 4, S11).

    Derived from the Hamiltonian (docs/second_order.md), not the printed Eq. (7)/(S39).
    Result at T = 0 for ``|bias| < gap_left + gap_right``, per pair sector::

        M_k = M_{-k} = (1/8) I(eV) Tr[sigma (J J^dag + Jc1 Jc1^dag + Jc2 Jc2^dag
                                              + Jbar Jbar^dag)],
        I(eV) = int dxi_k int dxi_p [ (E_k + E_p + eV)^-2 - (E_k + E_p - eV)^-2 ],

    (for a normal left lead instead M_k = (I/4) Tr[sigma (J J^dag + Jc1 Jc1^dag)] and
    M_{-k} = (I/4) Tr[sigma (Jc2 Jc2^dag + Jbar Jbar^dag)]),
    so M_dc = (1/4) I(eV) Tr[sigma W W^dag] (the coherence factors cancel); it is odd
    in eV, vanishes at eV = 0 and survives when either lead is normal.  Computed by the
    general harmonic formula (not this closed form, which the tests check).

    Parameters
    ----------
    J, Jbar, bias, temperature, gap_left, gap_right, cross, sectors
        As in :func:`spin_current_dc`.

    Returns
    -------
    ndarray, real, shape bias.shape + (3,) (or + (2, 3) with sectors=True)
        M per rho_L rho_R in units of J^2 (dimensionless for |J| = 1), (g/2) mu_B = 1.

    Raises
    ------
    DivergentMagnetizationError
        If real transitions (T > 0 and eV != 0, or |eV| >= gap_left + gap_right) carry a
        non-zero spin current: M grows linearly in time; use :func:`spin_current_dc`.
    NotImplementedError
        T > 0 (or above threshold) with ``S_k``, ``S_-k`` not both zero and no net spin current
        (in practice: sector-resolved values at eV = 0, T > 0): principal values needed.

    Notes
    -----
    Exact statements used outside the T = 0 sub-threshold domain: the static part only
    involves W W^dag (``M_k = alpha_M S_k + beta_M S_-k``, ``S_k = Tr[sigma (J J^dag +
    Jc1 Jc1^dag)]``, ``S_-k = Tr[sigma (Jc2 Jc2^dag + Jbar Jbar^dag)]``), so it is zero when
    both vanish; at eV = 0 the total is zero at any T (particle-hole symmetry).
    """
    W, V, T, dl, dr = _prepare(J, Jbar, bias, temperature, gap_left, gap_right, cross)

    def one(v):
        short = _static_shortcut(W, v, T, dl, dr, sectors)
        if short is not None:
            return short
        return _continuum_T0(W, v, dl, dr, 0).real

    return _vectorise(one, V, sectors)


def magnetization_ac(
    J: ArrayLike,
    Jbar: ArrayLike,
    bias: ArrayLike,
    temperature: float,
    gap_left: float,
    gap_right: float,
    *,
    cross: str | tuple | None = None,
    sectors: bool = False,
) -> np.ndarray:
    """Complex amplitude m of the ac magnetization, M_ac(t) = 2 Re[m e^{i(phi0 + 2eVt)}].

    Replaces the printed Eq. (12)/(S23).  The total is zero identically, at any T, bias
    and amplitudes: the first-order pair amplitude W (nu_x eps) W^T induced in the left
    lead is antisymmetric, while sigma_i eps is symmetric (docs/second_order.md, Sec. 4).
    Per sector (|eV| < gap_left + gap_right; for |eV| < gap_left and T = 0 kappa_ac is
    real and given by)::

        m_k = -m_{-k} = kappa_ac(eV) Tr[sigma (J eps Jbar^T + Jc1 eps Jc2^T) eps]
                      = -kappa_ac(eV) [X(J, Jbar) + X(Jc1, Jc2)],
        kappa_ac(eV) = (eV/4) int dxi_k int dxi_p Delta_L Delta_R (2 E_k + E_p)
                       / (E_k E_p (E_k^2 - eV^2) ((E_k + E_p)^2 - eV^2)),

    which vanishes when all four blocks are equal (the transferred pair stays a singlet).

    Parameters
    ----------
    J, Jbar, bias, temperature, gap_left, gap_right, cross, sectors
        As in :func:`spin_current_dc`.

    Returns
    -------
    ndarray, complex, shape bias.shape + (3,) (or + (2, 3) with sectors=True)
        m per rho_L rho_R in units of J^2.  Without ``sectors`` the result is zero.

    Raises
    ------
    ValueError
        sectors=True and |eV| = gap_left: the sector amplitude diverges there.
    NotImplementedError
        sectors=True and |eV| >= gap_left + gap_right (pair breaking across the junction).

    Notes
    -----
    At T > 0 the thermal channels have simple poles at E_p = E_k +- eV; kappa_ac(eV, T)
    is then complex (principal value plus delta function, i.e. a phase lag), computed by
    subtracting the poles and integrating them in closed form (:func:`_kappa_ac`).
    For gap_left < |eV| < gap_left + gap_right the 2eV drive is resonant with pair
    creation in the left lead, 2 E_k = 2|eV|: the denominator D0 gets a principal value
    and a delta function in E_k (:func:`_kappa_ac_resonant`), again a complex kappa.
    At bias = 0 the sector amplitude is returned as its limit, 0 (kappa_ac is odd and
    linear in eV at small bias, at T = 0 and T > 0).
    """
    W, V, T, dl, dr = _prepare(J, Jbar, bias, temperature, gap_left, gap_right, cross)
    if not sectors:
        return np.zeros(V.shape + (3,), dtype=complex)

    def one(v):
        if dl == 0 or dr == 0:
            return np.zeros((2, 3), dtype=complex)  # no pair amplitude in a normal lead
        if v == 0:
            return np.zeros((2, 3), dtype=complex)  # m_k is linear in eV: the limit
        if abs(v) >= dl + dr:
            raise NotImplementedError(
                "|bias| >= gap_left + gap_right: pair breaking across the junction (not implemented); the total is 0"
            )
        if abs(abs(v) - dl) <= 1e-12 * dl:
            raise ValueError(
                "|bias| = gap_left: the sector ac amplitude diverges (double "
                "pole at the left gap edge, E_k = |eV| = Delta_L)"
            )
        if T == 0 and abs(v) < dl:
            return _continuum_T0(W, v, dl, dr, -2)
        pair = W @ np.kron(PAULI[0], _EPS) @ W.T  # transferred pair amplitude F (nu_x x eps)
        trip = np.array([np.trace(s @ pair[:2, 2:] @ _EPS) for s in _PAULI])
        if abs(v) < dl:
            k = _kappa_ac(v, T, dl, dr)
        else:
            k = _kappa_ac_resonant(v, T, dl, dr)
        return np.array([k * trip, -k * trip])

    return _vectorise(one, V, True)


def spin_current_ac(
    J: ArrayLike,
    Jbar: ArrayLike,
    bias: ArrayLike,
    temperature: float,
    gap_left: float,
    gap_right: float,
    *,
    cross: str | tuple | None = None,
    sectors: bool = False,
) -> np.ndarray:
    """Complex amplitude j of the ac spin current, I_ac(t) = 2 Re[j e^{i(phi0+2eVt)}].

    j = 2 i eV m with m from :func:`magnetization_ac` (Eq. 5 applied to the 2eV harmonic).
    The total is zero; per sector the same restrictions as :func:`magnetization_ac`
    apply.

    Returns
    -------
    ndarray, complex, shape bias.shape + (3,) (or + (2, 3))
        j per rho_L rho_R in units of J^2 x energy.
    """
    m = magnetization_ac(J, Jbar, bias, temperature, gap_left, gap_right, cross=cross, sectors=sectors)
    V = _bias_array(bias)
    factor = 2j * V
    return m * (factor[..., None, None] if sectors else factor[..., None])


# ----------------------------------------------------------------------------- ac, T > 0
def _g_ac(ek, ep, V, T):
    """G(E_k, E_p) = sum_{s1,s2,r} s2 r (F1 - F2) / D0 of the pair harmonic (no i0).

    kappa_ac = (1/8) int dxi_k int dxi_p (Delta_L Delta_R / (E_k E_p)) G, from the
    spin-diagonal channel computation (docs/second_order.md, Sec. 4).
    """
    out = 0.0
    for s1 in (1, -1):
        for s2 in (1, -1):
            d0 = -2.0 * V - s1 * ek + s2 * ek
            for r in (1, -1):
                f1 = (_fermi(s2 * ek, T) - _fermi(r * ep, T)) / (-V - r * ep + s2 * ek)
                f2 = (_fermi(r * ep, T) - _fermi(s1 * ek, T)) / (-V - s1 * ek + r * ep)
                out = out + s2 * r * (f1 - f2) / d0
    return out


def _g_ac_residues(ek, V, T):
    """Residues Res_sigma of G in E_p at E_p = E_k + sigma eV (sigma = +1, -1)."""
    res = {}
    for sg in (1, -1):
        epole = ek + sg * V
        n_a = _fermi(-sg * ek, T) - _fermi(-sg * epole, T)
        n_b = _fermi(sg * epole, T) - _fermi(sg * ek, T)
        r_a = sum(sg * n_a / (-2.0 * V - s1 * ek - sg * ek) for s1 in (1, -1))
        r_b = sum(-s2 * n_b / (-2.0 * V - sg * ek + s2 * ek) for s2 in (1, -1))
        res[sg] = r_a + r_b
    return res


_T_PANELS = np.array(
    [0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.5, 8.0, 10.0, 13.0, 17.0, 22.0, 28.0, 36.0]
)


def _kappa_ac(V, T, dl, dr, n_outer=48, n_panel=12):
    """kappa_ac(eV, T) with the principal values and delta functions of the thermal
    channels, for 0 < |eV| < Delta_L (no resonance E_k = |eV|) and below threshold.

    kappa = (Delta_L Delta_R / 2) int_{Delta_L}^inf dE_k / xi_k  inner(E_k),
    inner = int_0^inf dt G(E_k, Delta_R cosh t), E_p = Delta_R cosh t, with the i0 of
    the adiabatic switching.  G has simple poles at E_p = E_sigma = E_k + sigma eV with
    residues R_sigma; the pole terms R/(E_p - E_sigma) are subtracted and integrated in
    closed form: int_0^inf dt / (Delta cosh t - E) = arccos(-E/Delta)/sqrt(Delta^2 - E^2)
    (E < Delta), and for E > Delta the principal value -arccosh(E/Delta)/sqrt(E^2 -
    Delta^2) plus the delta function -i pi sigma / sqrt(E^2 - Delta^2).
    """
    xg, wg = np.polynomial.legendre.leggauss(n_panel)
    xo, wo = np.polynomial.legendre.leggauss(n_outer)
    scale = max(dl, dr, abs(V), T)
    a_, b_ = _T_PANELS[:-1], _T_PANELS[1:]
    t = (0.5 * (b_ - a_)[:, None] * (xg[None, :] + 1) + a_[:, None]).ravel()
    w = (0.5 * (b_ - a_)[:, None] * wg[None, :]).ravel()
    ep = dr * np.cosh(t)

    def inner(ek):
        res = _g_ac_residues(ek, V, T)
        g = _g_ac(ek, ep, V, T)
        total = 0.0 + 0.0j
        for sg in (1, -1):
            e0 = ek + sg * V
            g = g - res[sg] / (ep - e0)
            if e0 < dr:
                total += res[sg] * np.arccos(-e0 / dr) / np.sqrt(dr * dr - e0 * e0)
            else:
                root = np.sqrt(e0 * e0 - dr * dr)
                total += res[sg] * (-np.arccosh(e0 / dr) - 1j * np.pi * sg) / root
        return total + np.dot(w, g)

    # outer: split at E_k where a pole reaches the right gap edge (inverse square roots)
    brk = sorted({e for e in (dr - V, dr + V) if e > dl})
    pts = [dl] + brk
    acc = 0.0 + 0.0j
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        th = 0.25 * np.pi * (xo + 1)
        ek = a + (b - a) * np.sin(th) ** 2
        wt = 0.25 * np.pi * wo * (b - a) * 2 * np.sin(th) * np.cos(th)
        acc += sum(wi / np.sqrt(e * e - dl * dl) * inner(e) for e, wi in zip(ek, wt, strict=True))
    a = pts[-1]
    c = scale
    vmax = np.arcsinh(np.sqrt(1e7 * scale / c))
    v = 0.5 * vmax * (xo + 1)
    ek = a + c * np.sinh(v) ** 2
    wt = 0.5 * vmax * wo * c * 2 * np.sinh(v) * np.cosh(v)
    acc += sum(wi / np.sqrt(e * e - dl * dl) * inner(e) for e, wi in zip(ek, wt, strict=True))
    return 0.5 * dl * dr * acc


def _g_ac_pair(s1, s2, ek, ep, V, T):
    """sum_r s2 r (F1 - F2) for one (s1, s2) (no 1/D0), and its residues in E_p."""
    q = 0.0
    for r in (1, -1):
        f1 = (_fermi(s2 * ek, T) - _fermi(r * ep, T)) / (-V - r * ep + s2 * ek)
        f2 = (_fermi(r * ep, T) - _fermi(s1 * ek, T)) / (-V - s1 * ek + r * ep)
        q = q + s2 * r * (f1 - f2)
    return q


def _g_ac_pair_residues(s1, s2, ek, V, T):
    res = {}
    for sg in (1, -1):
        epole = ek + sg * V
        r = 0.0
        if s2 == -sg:  # F1 with r = s2
            r += sg * (_fermi(-sg * ek, T) - _fermi(-sg * epole, T))
        if s1 == sg:  # F2 with r = s1
            r += -s2 * (_fermi(sg * epole, T) - _fermi(sg * ek, T))
        res[sg] = r
    return res


def _kappa_ac_resonant(V, T, dl, dr, n_outer=48, n_panel=12):
    """kappa_ac for Delta_L < |eV| < Delta_L + Delta_R (resonance E_k = |eV| of the
    (s1, s2) = (-sgn V, sgn V) term, D0 = 2 sgn(V) (E_k - |eV|) + 2 i0).

    The non-resonant terms are integrated as in :func:`_kappa_ac`; the resonant one is
    (sgn V / 2) PV int dE_k q(E_k) / (xi_k (E_k - |eV|)) - (i pi / 2) q(|eV|)/xi(|eV|),
    q(E_k) = int_0^inf dt Q, Q = sum_r s2 r (F1 - F2); the PV subtracts q(|eV|) and uses
    PV int_{Delta}^inf dE / (xi (E - E0)) = -arccosh(E0/Delta) / sqrt(E0^2 - Delta^2).
    """
    xg, wg = np.polynomial.legendre.leggauss(n_panel)
    xo, wo = np.polynomial.legendre.leggauss(n_outer)
    sv = 1 if V > 0 else -1
    res_pair = (-sv, sv)
    a_, b_ = _T_PANELS[:-1], _T_PANELS[1:]
    t = (0.5 * (b_ - a_)[:, None] * (xg[None, :] + 1) + a_[:, None]).ravel()
    w = (0.5 * (b_ - a_)[:, None] * wg[None, :]).ravel()
    ep = dr * np.cosh(t)

    def pole_integral(ek, resid):
        total = 0.0 + 0.0j
        for sg in (1, -1):
            e0 = ek + sg * V
            if e0 < dr:
                total += resid[sg] * np.arccos(-e0 / dr) / np.sqrt(dr * dr - e0 * e0)
            else:
                root = np.sqrt(e0 * e0 - dr * dr)
                total += resid[sg] * (-np.arccosh(e0 / dr) - 1j * np.pi * sg) / root
        return total

    def inner_q(ek, s1, s2):
        resid = _g_ac_pair_residues(s1, s2, ek, V, T)
        g = _g_ac_pair(s1, s2, ek, ep, V, T)
        for sg in (1, -1):
            g = g - resid[sg] / (ep - (ek + sg * V))
        return np.dot(w, g) + pole_integral(ek, resid)

    def inner_nonres(ek):
        tot = 0.0 + 0.0j
        for s1 in (1, -1):
            for s2 in (1, -1):
                if (s1, s2) == res_pair:
                    continue
                d0 = -2.0 * V - s1 * ek + s2 * ek
                tot += inner_q(ek, s1, s2) / d0
        return tot

    e_res = abs(V)
    q0 = inner_q(e_res, *res_pair)
    xi_res = np.sqrt(e_res**2 - dl**2)

    def outer_integrand(e):
        q = inner_q(e, *res_pair)
        resonant = 0.5 * sv * (q - q0) / (e - e_res)
        return (inner_nonres(e) + resonant) / np.sqrt(e * e - dl * dl)

    brk = sorted({e for e in (dr - V, dr + V) if e > dl})
    pts = [dl] + brk
    acc = 0.0 + 0.0j
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        th = 0.25 * np.pi * (xo + 1)
        ek = a + (b - a) * np.sin(th) ** 2
        wt = 0.25 * np.pi * wo * (b - a) * 2 * np.sin(th) * np.cos(th)
        acc += sum(wi * outer_integrand(e) for e, wi in zip(ek, wt, strict=True))
    a = pts[-1]
    c = max(dl, dr, abs(V), T)
    vmax = np.arcsinh(np.sqrt(1e7))
    v = 0.5 * vmax * (xo + 1)
    ek = a + c * np.sinh(v) ** 2
    wt = 0.5 * vmax * wo * c * 2 * np.sinh(v) * np.cosh(v)
    acc += sum(wi * outer_integrand(e) for e, wi in zip(ek, wt, strict=True))
    # beyond E_max the remainder is -(sv/2) q0 / E^2 (q itself decays): add its tail
    acc += -0.5 * sv * q0 / (a + c * np.sinh(vmax) ** 2)
    # subtracted pole: PV part and delta function of 1/(2 sv (E - |eV|) + 2 i0)
    acc += 0.5 * sv * q0 * (-np.arccosh(e_res / dl) / xi_res)
    acc += -0.5j * np.pi * q0 / xi_res
    return 0.5 * dl * dr * acc
