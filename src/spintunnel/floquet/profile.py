"""Where the magnetization sits: the spin density of the observed lead around the contact,
to all orders in J (docs/profile.md).

The lead is a clean 3D BCS metal (free electrons: Fermi wavevector k_F, velocity v_F, gap
Delta).  The point contact couples the local orbital at r = 0 whose normal DOS per spin is
the rho of the model (W = 1/(pi rho)).  Its nonlocal Green's function (quasiclassical,
k_F r >> 1, wide band; docs/profile.md Eq. P3) is::

    g(r; z) = (pi N0 / (k_F r)) e^{-s(z) r / v_F} [ g_loc(z) sin(k_F r) - tau_z cos(k_F r) ],
    g_loc(z) = -(z + Dt)/s(z)  (units 1/W),   s(z) = -i sqrt(z - Delta) sqrt(z + Delta),

and the lead's full Green's function is ``G(r, r') = g(r - r') + v0 g(r) X g(-r')`` with the
contact's T-matrix X in sideband space (``v0 = rho/N0``; exact).  The spin density
``m(r, t) = <psi^dag(r) sigma psi(r)> = m_0(r) + 2 Re Sum_{k>=1} m_k(r) e^{i k omega_J t}``
(omega_J = 2eV; harmonic k carries e^{i k phi0}, as the solver's spin current) is, at T = 0
(docs/profile.md Eq. P7-P12; n = -2k is the observed lead's site at sideband n)::

    m_k(r) = (1/2pi) int_0^inf dy ( Tr[sigma P_r(X_{n0})(iy)] + conj Tr[sigma P~_r(X_{0n})(iy)] )
           + int dw/2pi (-i) Tr[sigma g^R(r; w_n) Q_k(w) g^A(r; w)]  (+ Eq. P12 for k != 0),
    Q_k(w) = Sum_{s != 0} (f(w_s) - f(w)) V^(n)_s Gamma_s V^(0)dag_s,   V^(n)_s = g_n^-1 G_{n s},

with ``P_r(X)(z) = v0 g(r; z + n eV) X g(r; z)``, ``P~_r(X)(z) = v0 g(r; z) X g(r; z + neV)``.
Every energy enters r only through ``e^{-a rho}`` and the Friedel phase, so (Eq. P13)::

    m_k(r) l^3 = [ E_k(rho) + C_k(rho) cos(2 K rho) + S_k(rho) sin(2 K rho) ] / (2 pi^2 rho^2),
    rho = r / l,   l = hbar v_F / eps,   K = k_F l,

with eps the energy unit of the gaps (full space; a half space with a hard wall through
the contact multiplies by 6 cos^2(theta) and flips the signs of C and S, Eq. P16).  E, C, S
vary on the coherence length and do not depend on k_F; they are sums
``Sum_j c_j e^{-a_j rho}`` over energy nodes j, stored as such.  The envelope carries the
moment, ``(2/pi) int_0^inf E_k d rho = M_k`` (Eq. P15: the total of ``static_magnetization``
and ``I_s,k/(i k omega_J)`` of ``floquet_currents``); the Friedel parts integrate to O(1/K).

Static part: the part of the static X that survives at large energy (the normal-state
T-matrix X_inf = -i diag(H, H^T), :func:`contact_trace`) is taken out of the energy integral
and added in closed form, ``S_inf(rho) = Tr[sigma H] e^{-2 Delta rho}/(2 rho)`` (Eq. P14): the
RKKY-like Friedel polarization of a spin-active contact, present at V = 0, without envelope.

Units: hbar = e = k_B = 1, (g/2) mu_B = 1 (densities in mu_B per l^3 for g = 2); J in units
of W.  Not covered (ValueError): T > 0, Dynes broadening, a finite band.  A normal observed
lead (Delta = 0) is allowed below the other lead's gap; its profile is all Friedel
oscillation (E = 0).  What is left out (``injection``): for k = 0 the sources that inject
real quasiparticles (as ``static_magnetization``); for k >= 1 the energies where both
g(r; w) and g(r; w - 2k eV) propagate (docs/profile.md Sec. 2.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate

from ..inputs import non_negative, real
from ..spin import PAULI, as_spin_matrix
from .lead_greens import pairing_matrix
from .sidebands import chain_column, chain_matrices

__all__ = ["SpinDensityProfile", "spin_density_profile", "radial_moments", "second_order_components", "contact_trace"]

_PROBE = np.array([1e-3, 0.03, 0.3, 1.0, 3.0])  # probe radii, units of hbar v_F/max(Delta, eV)
_Y_PANELS = np.array([0.0, 0.08, 0.2, 0.35, 0.5, 0.65, 0.8, 0.92, 1.0])


def _s(z, gap):
    """Retarded branch of sqrt(gap^2 - z^2): -i sqrt(z - gap) sqrt(z + gap), Im z >= +0."""
    z = np.asarray(z, dtype=complex)
    z = z.real + 1j * (np.abs(z.imag) + 0.0)
    return -1j * np.sqrt(z - gap) * np.sqrt(z + gap)


def _contact_H(J, lead):
    A = J @ J.conj().T if lead == "left" else J.conj().T @ J
    return A @ np.linalg.inv(np.eye(2) + A)


def contact_trace(J, lead="left") -> np.ndarray:
    """``Tr[sigma H]`` of the normal-state contact, shape (3,): ``H = J J^dag (1 + J
    J^dag)^-1`` for the left lead, ``J^dag J (1 + J^dag J)^-1`` for the right lead.

    ``X_inf = -i diag(H, H^T)`` is the static T-matrix of the observed site at |z| -> inf
    (every site of the chain normal, g = -i/W); it sets the Friedel piece
    ``S_inf(rho) = Tr[sigma H] e^{-2 Delta rho}/(2 rho)`` (docs/profile.md Eq. P14).
    """
    H = _contact_H(np.asarray(J, dtype=complex), lead)
    return np.einsum("kab,ba->k", PAULI, H).real


@dataclass
class SpinDensityProfile:
    """The spin density of the observed lead around the contact, in node form.

    ``m_k(r) l^3 = [E_k + C_k cos(2 K rho) + S_k sin(2 K rho)] / (2 pi^2 rho^2)`` (full
    space), ``rho = r/l``, ``l = hbar v_F/eps``, ``K = k_F l`` (module docstring), with
    ``(E_k, C_k, S_k)(rho) = Sum_j parts[k][j] e^{-rates[k][j] rho}`` (+ S_inf for k = 0).

    Attributes
    ----------
    harmonics : ndarray (nh,) int
        k = 0 (static), 1 (2eV), 2 (4eV), ...
    rates : list of ndarray (n_nodes,) complex
        a_j per harmonic, in 1/l (Re a_j > 0).
    parts : list of ndarray (n_nodes, 3, 3) complex
        Node coefficients: part (envelope E, cos C, sin S) x Pauli component (x, y, z).
    trace_inf : ndarray (3,)
        Tr[sigma H] of the Friedel piece S_inf of the static part (:func:`contact_trace`).
    gap : float
        Gap of the observed lead (eps).
    injection : ndarray (nh,)
        Per harmonic, the weight of the source part left out relative to the weight kept
        (int ||Q|| dw): for k = 0 the sources that inject real quasiparticles into the
        observed lead (as ``static_magnetization``); for k >= 1 the energies where both
        g(r; w) and g(r; w - 2k eV) propagate (quasiparticles carry the 2k eV coherence
        away; docs/profile.md Sec. 2.4).
    finite : bool
        ``injection <= tol`` for every harmonic: the profile is complete and decays on the
        coherence length.
    n_sidebands : int
        Sidebands kept on each side of the observed site (plus 2 max(k) below it).
    quadrature_error : float
        Estimated error of (E, C, S) at the probe radii and of their radial integral,
        relative to their size (imaginary axis: n_y against 2 n_y nodes; real axis: the
        adaptive panels' estimate).
    truncation_error : float
        Largest weight |G|^2 on the two outermost sites at either end of the chain,
        relative to the largest site weight, over all energies (as the solver).
    """

    harmonics: np.ndarray
    rates: list
    parts: list
    trace_inf: np.ndarray
    gap: float
    injection: np.ndarray
    finite: bool
    n_sidebands: int
    quadrature_error: float
    truncation_error: float
    params: dict = field(default_factory=dict)

    def components(self, rho) -> np.ndarray:
        """``(E, C, S)`` at the radii ``rho`` (units of l), shape (n_rho, nh, 3 parts, 3).

        Complex for k >= 1 (amplitudes of e^{i k omega_J t}), real for k = 0.
        """
        rho = np.atleast_1d(np.asarray(rho, dtype=float))
        if np.any(rho <= 0) or not np.all(np.isfinite(rho)):
            raise ValueError("radii must be finite and > 0 (units of l = hbar v_F/eps)")
        out = np.empty((rho.size, len(self.harmonics), 3, 3), complex)
        for i, (a, c) in enumerate(zip(self.rates, self.parts, strict=False)):
            out[:, i] = np.tensordot(np.exp(-np.outer(rho, a)), c, axes=(1, 0))
            if self.harmonics[i] == 0:
                out[:, i, 2] += (np.exp(-2 * self.gap * rho) / (2 * rho))[:, None] * self.trace_inf[None, :]
        return out

    def density(self, rho, K: float, geometry: str = "full_space") -> np.ndarray:
        """``m_k l^3`` on the axis through the contact (into the lead), (n_rho, nh, 3).

        ``K = k_F l``.  ``geometry="half_space"``: hard wall through the contact; the density
        is ``6 cos^2(theta)`` times the full-space one with C, S -> -C, -S (Eq. P16); on the
        axis cos(theta) = 1.
        """
        sign, weight = _geometry(geometry)
        rho = np.atleast_1d(np.asarray(rho, dtype=float))
        c = self.components(rho)
        x = 2 * K * rho
        fr = c[:, :, 0] + sign * (c[:, :, 1] * np.cos(x)[:, None, None] + c[:, :, 2] * np.sin(x)[:, None, None])
        return weight * fr / (2 * np.pi**2 * rho[:, None, None] ** 2)

    def envelope(self, rho, geometry: str = "full_space") -> np.ndarray:
        """The smooth part ``E_k/(2 pi^2 rho^2)`` of ``m_k l^3`` on the axis (n_rho, nh, 3)."""
        _, weight = _geometry(geometry)
        rho = np.atleast_1d(np.asarray(rho, dtype=float))
        return weight * self.components(rho)[:, :, 0] / (2 * np.pi**2 * rho[:, None, None] ** 2)


def sum_profiles(profiles) -> SpinDensityProfile:
    """The spin density of independent channels of one contact (docs/junction.md,
    "Channels"): the profiles of the channels' amplitudes J_i, added.  (E, C, S) are sums of
    exponentials, so the sum keeps every channel's rates and node coefficients; the
    harmonics, gap and bias must agree.  Errors and injection weights: the largest."""
    profiles = list(profiles)
    first = profiles[0]
    for p in profiles[1:]:
        if not (
            np.array_equal(p.harmonics, first.harmonics)
            and p.gap == first.gap
            and p.params.get("bias") == first.params.get("bias")
        ):
            raise ValueError("channel profiles must share harmonics, gap and bias")
    if len(profiles) == 1:
        return first
    return SpinDensityProfile(
        harmonics=first.harmonics,
        rates=[np.concatenate([p.rates[i] for p in profiles]) for i in range(len(first.harmonics))],
        parts=[np.concatenate([p.parts[i] for p in profiles]) for i in range(len(first.harmonics))],
        trace_inf=np.sum([p.trace_inf for p in profiles], axis=0),
        gap=first.gap,
        injection=np.max([p.injection for p in profiles], axis=0),
        finite=all(p.finite for p in profiles),
        n_sidebands=max(p.n_sidebands for p in profiles),
        quadrature_error=max(p.quadrature_error for p in profiles),
        truncation_error=max(p.truncation_error for p in profiles),
        params=dict(first.params, J=[p.params.get("J") for p in profiles], channels=len(profiles)),
    )


def _geometry(geometry):
    """(sign of the Friedel parts, angular weight on the axis) of a geometry."""
    if geometry == "full_space":
        return 1.0, 1.0
    if geometry == "half_space":
        return -1.0, 6.0
    raise ValueError(f"geometry must be 'full_space' or 'half_space', got {geometry!r}")


# ----------------------------------------------------------------------------- quadrature
def _panel_nodes(a, b, n, cosmap=True):
    """Gauss-Legendre nodes and weights on the panels [a_i, b_i] (order: panel, node); with
    ``cosmap`` the map x = a + (b - a)(1 - cos(pi t))/2 removes inverse-square-root ends."""
    x, w = np.polynomial.legendre.leggauss(n)
    t = 0.5 * (x + 1)
    if cosmap:
        x, w = 0.5 * (1 - np.cos(np.pi * t)), 0.25 * np.pi * np.sin(np.pi * t) * w
    else:
        x, w = t, 0.5 * w
    a, b = np.asarray(a, dtype=float)[:, None], np.asarray(b, dtype=float)[:, None]
    return (a + (b - a) * x).ravel(), ((b - a) * w).ravel()


def _y_nodes(scale, n):
    """Nodes of int_0^inf dy: y = scale (t/(1-t))^2 on panels in t (the square takes a
    y^{-1/2} sideband gap edge at y -> 0, and the y^{-2} tail)."""
    t, w = _panel_nodes(_Y_PANELS[:-1], _Y_PANELS[1:], n, cosmap=False)
    return scale * (t / (1 - t)) ** 2, w * scale * 2 * t / (1 - t) ** 3


class _Chain:
    """The sideband chain of the observed site (:func:`.sidebands.chain_matrices`) at
    complex energies, its rows and columns (:func:`.sidebands.chain_column`), and the
    largest end weight seen (truncation measure)."""

    def __init__(self, source, n_lo, n_hi, bias, gaps, J, phi0):
        self.n_lo, self.bias = n_lo, bias
        self.sideband = np.arange(-n_lo, n_hi + 1)
        obs, other = (gaps[0], gaps[1]) if source == "L" else (gaps[1], gaps[0])
        self.site_gap = np.where(self.sideband % 2 == 0, obs, other)
        self.U = chain_matrices(np.zeros(1), source, (n_lo, n_hi), bias, gaps, J, phi0)[1]
        self._Dt = np.stack([pairing_matrix(g) for g in self.site_gap])
        self.end_weight = 0.0

    def blocks(self, z):
        """Diagonal blocks ``[g^R_j(z + j eV)]^-1 = (z_j - Dt_j)/s_j`` (W = 1) at energies z
        (Im z >= 0), shape (nz, K, 4, 4): the blocks of ``chain_matrices`` continued off the
        real axis (``chain_matrices`` takes one Dynes width for all energies)."""
        zj = np.asarray(z, dtype=complex)[:, None] + self.sideband[None, :] * self.bias
        s = _s(zj, self.site_gap[None, :])
        normal = self.site_gap == 0  # g = -i/W, also at z = 0
        s = np.where(normal[None, :], 1.0, s)
        zj = np.where(normal[None, :], 1j, zj)
        return (zj[..., None, None] * np.eye(4) - self._Dt[None]) / s[..., None, None]

    def index(self, n):
        return self.n_lo + n

    def _track(self, G):
        w = (np.abs(G) ** 2).sum(axis=(-1, -2))
        ends = np.maximum(w[:, :2].max(axis=1), w[:, -2:].max(axis=1))
        self.end_weight = max(self.end_weight, float((ends / w.max(axis=1)).max()))
        return G

    def column(self, D, n):
        """G_{k, n} for all sites k: (nE, K, 4, 4)."""
        return self._track(chain_column(D, self.U, self.index(n)))

    def row(self, D, n):
        """G_{n, k} for all sites k: (nE, K, 4, 4)."""
        G = chain_column(np.swapaxes(D, -1, -2), np.conj(self.U), self.index(n))
        return self._track(np.swapaxes(G, -1, -2))


# ----------------------------------------------------------------------------- node terms
def _traces(ga, Q, gb):
    """Tr[sigma (A_a Q A_b)_ee] with A = g sin x - tau_z cos x, as (T_ss, T_cc, T_sc):
    T_ss = Tr sigma (ga Q gb)_ee, T_cc = Tr sigma Q_ee, T_sc = Tr sigma (ga Q + Q gb)_ee
    (the coefficients of sin^2 x, cos^2 x and -sin x cos x).  (n, 4, 4) -> (n, 3, 3)."""
    gq = ga @ Q
    ss = np.einsum("kab,nba->nk", PAULI, (gq @ gb)[:, :2, :2])
    cc = np.einsum("kab,nba->nk", PAULI, Q[:, :2, :2])
    sc = np.einsum("kab,nba->nk", PAULI, (gq + Q @ gb)[:, :2, :2])
    return np.stack([ss, cc, sc], axis=1)


def _parts(T, weight):
    """Node coefficients of (E, C, S) (docs/profile.md Eq. P8): E = pi (T_ss + T_cc)/2,
    C = pi (T_cc - T_ss)/2, S = -pi T_sc/2, times the node weights."""
    ss, cc, sc = T[:, 0], T[:, 1], T[:, 2]
    return np.stack([ss + cc, cc - ss, -sc], axis=1) * (0.5 * np.pi * weight[:, None, None])


def _rotated_nodes(chain, ks, y, wy, x_inf):
    """The part rotated onto the imaginary axis (docs/profile.md Eq. P10): per harmonic,
    rates and parts of the F and conj-F~ terms.  For k = 0, X_inf is taken out (Eq. P14)."""
    gap = chain.site_gap[chain.index(0)]
    D = chain.blocks(1j * y)
    col, row = chain.column(D, 0), chain.row(D, 0)
    D0 = D[:, chain.index(0)]
    g0 = np.linalg.inv(D0)
    s0 = _s(1j * y, gap)
    w = wy / (2 * np.pi)
    rates, parts = [], []
    for k in ks:
        n = -2 * k
        iN = chain.index(n)
        Dn = D[:, iN]
        gn = np.linalg.inv(Dn)
        Xn0 = Dn @ col[:, iN] @ D0
        X0n = D0 @ row[:, iN] @ Dn
        if n == 0:
            Xn0 = Xn0 - D0 - x_inf
            X0n = X0n - D0 - x_inf
        a = _s(1j * y + n * chain.bias, gap) + s0
        rates.append(np.concatenate([a, np.conj(a)]))
        parts.append(np.concatenate([_parts(_traces(gn, Xn0, g0), w), np.conj(_parts(_traces(g0, X0n, gn), w))]))
    return rates, parts


def _sources(chain, gap):
    """(sideband j, interval, injects) of every source j != 0: (f_s - f) Gamma_s lives on
    sign(w) != sign(w + j eV), |w + j eV| > Delta_j, i.e. 0 < |w| < |j| eV - Delta_j; it
    injects when that reaches the observed gap."""
    out = []
    for j, gs in zip(chain.sideband, chain.site_gap, strict=False):
        reach = abs(j) * chain.bias - gs
        if j != 0 and reach > 0:
            # reaching the gap edge within round-off counts as reaching it (3 x 0.6 - 0.8)
            inject = reach >= gap - 1e-12 * max(gap, chain.bias)
            out.append((j, *((-reach, 0.0) if j > 0 else (0.0, reach)), inject))
    return out


def _windows(srcs, gap, bias, k):
    """Energy intervals of the source part of harmonic k: (kept, left out).

    k = 0: the sources that do not inject; the injecting ones are left out (their in-gap
    part is the weight reported), as in ``static_magnetization``.  k != 0: every source,
    except where both w and w - 2k eV lie outside the observed gap (both factors g(r)
    propagate: quasiparticles carry the 2k eV coherence away; docs/profile.md Sec. 2.4)."""
    if k == 0:
        return (
            [(lo, hi) for _, lo, hi, inj in srcs if not inj],
            [(max(lo, -gap), min(hi, gap)) for _, lo, hi, inj in srcs if inj],
        )
    shift = -2 * k * bias
    keep, left = [], []
    for _, lo, hi, _ in srcs:
        cuts = sorted({lo, hi, *(c for c in (-gap, gap, -gap - shift, gap - shift) if lo < c < hi)})
        for a, b in zip(cuts[:-1], cuts[1:], strict=False):
            m = 0.5 * (a + b)
            (keep if abs(m) < gap or abs(m + shift) < gap else left).append((a, b))
    return keep, left


def _y_matrix(chain, D, n, wgt):
    """``Q_n = Sum_s wgt_s V^(n)_s Gamma_s V^(0)dag_s`` with ``V^(n)_s = g_n^-1 G_{ns} =
    D_n G_{ns}`` (contact sites; docs/profile.md Eq. P11), and ``X^R_{0n} = D_0 G_{0n} D_n``.

    For n != 0 the observed lead's own bulk at sideband n enters here as ``V^(n)_n - 1 =
    X_nn g_n``; its direct part is the real-space term of :func:`_source_terms`."""
    i0, iN = chain.index(0), chain.index(n)
    active = np.flatnonzero(np.any(wgt != 0, axis=0))  # sources present in the batch
    row0 = chain.row(D, 0)
    x0n = D[:, i0] @ row0[:, iN] @ D[:, iN]
    if active.size == 0:
        return np.zeros((len(D), 4, 4), complex), x0n
    Da = D[:, active]
    V0 = D[:, i0][:, None] @ row0[:, active]
    right = (Da - np.conj(np.swapaxes(Da, -1, -2))) @ np.conj(np.swapaxes(V0, -1, -2))
    right = right * wgt[:, active, None, None]
    if n == 0:
        Vn = V0
    else:
        Vn = D[:, iN][:, None] @ chain.row(D, n)[:, active]
        Vn[:, active == iN] -= np.eye(4)
    nE, K = len(D), active.size
    return np.swapaxes(Vn, 1, 2).reshape(nE, 4, 4 * K) @ right.reshape(nE, 4 * K, 4), x0n


def _source_terms(chain, k, w, ww, mask):
    """The sources whose occupation differs from the observed site's, at real energies w
    with weights ww (docs/profile.md Eq. P11): rates (n, pieces), parts (n, pieces, 3, 3)
    and ||Q|| (n,).  For k != 0 the observed lead's bulk at sideband n = -2k adds
    ``(f_n - f_0) [g^A_n(r) - g^R_n(r)] X^A_{n0} g^A_0(r)`` (its direct propagation in real
    space, Eq. P12) as two more pieces."""
    gap = chain.site_gap[chain.index(0)]
    n = -2 * k
    D = chain.blocks(w)
    ws = w[:, None] + chain.sideband[None, :] * chain.bias
    wgt = (np.where(ws < 0, 1.0, 0.0) - np.where(w < 0, 1.0, 0.0)[:, None]) * mask[None, :]
    Q, x0n = _y_matrix(chain, D, n, wgt)
    g0a = np.conj(np.swapaxes(np.linalg.inv(D[:, chain.index(0)]), -1, -2))
    s0a = np.conj(_s(w + 0j, gap))
    gn = np.linalg.inv(D[:, chain.index(n)])
    sn = _s(w + n * chain.bias + 0j, gap)
    weight = -1j * ww / (2 * np.pi)
    rates, parts = [sn + s0a], [_parts(_traces(gn, Q, g0a), weight)]
    if n != 0:
        xa = np.conj(np.swapaxes(x0n, -1, -2)) * wgt[:, chain.index(n), None, None]
        rates += [np.conj(sn) + s0a, sn + s0a]
        parts += [
            _parts(_traces(np.conj(np.swapaxes(gn, -1, -2)), xa, g0a), weight),
            _parts(_traces(gn, -xa, g0a), weight),
        ]
    return np.stack(rates, 1), np.stack(parts, 1), np.linalg.norm(Q, axis=(1, 2))


def _breakpoints(chain, intervals):
    """Panels (a, b) of the union of ``intervals``, with edges at 0, at the interval ends
    and at every sideband's gap edge (+-Delta_j - j eV)."""
    pts = {0.0}
    for lo, hi in intervals:
        pts.update((lo, hi))
    lo_all, hi_all = min(lo for lo, _ in intervals), max(hi for _, hi in intervals)
    for j, gs in zip(chain.sideband, chain.site_gap, strict=False):
        pts.update(e for e in (gs - j * chain.bias, -gs - j * chain.bias) if lo_all < e < hi_all)
    edges = np.array(sorted(pts))
    scale = max(hi_all - lo_all, chain.bias)
    edges = edges[np.concatenate([[True], np.diff(edges) > 1e-12 * scale])]  # one edge, not two
    mid = 0.5 * (edges[:-1] + edges[1:])
    inside = np.array([any(lo < m < hi for lo, hi in intervals) for m in mid], bool)
    return edges[:-1][inside], edges[1:][inside]


def _probe_values(rates, parts, probe):
    """Per node: (E, C, S) at the probe radii and their integral over rho, flattened."""
    v = np.einsum("npr,npck->nrck", np.exp(-rates[:, :, None] * probe[None, None, :]), parts)
    tot = (parts / rates[:, :, None, None]).sum(axis=1)
    return np.concatenate([v.reshape(len(v), -1), tot.reshape(len(v), -1)], axis=1)


def _adaptive_sources(chain, k, intervals, mask, n_w, probe, scale, tol, max_rounds=50, max_panels=4000):
    """Source part of harmonic k on ``intervals`` by adaptive bisection of cosine-mapped
    Gauss-Legendre panels: a panel is compared with its two halves on the profile at the
    probe radii and on its radial integral, and accepted (its halves kept) while the
    accepted errors stay within ``tol * scale`` (the remaining budget shared by the panels
    still open).  This resolves the dressed coherence peaks, which sit within ~|X|^2 of
    the sidebands' bare gap edges.  Returns rates, parts (over nodes and pieces),
    int ||Q|| dw and the error estimate (unit of the profile)."""
    if not intervals:
        return np.zeros(0, complex), np.zeros((0, 3, 3), complex), 0.0, 0.0
    a, b = _breakpoints(chain, intervals)
    out_r, out_p, qint, spent, cached = [], [], 0.0, 0.0, None
    for rnd in range(max_rounds + 1):
        m = 0.5 * (a + b)
        npan = a.size
        xs, ws = _panel_nodes(np.stack([a, m], 1).ravel(), np.stack([m, b], 1).ravel(), n_w)
        if cached is None:  # first round: the panels themselves too
            x0, w0 = _panel_nodes(a, b, n_w)
            xs, ws = np.concatenate([x0, xs]), np.concatenate([w0, ws])
        r, p, q = _source_terms(chain, k, xs, ws, mask)
        v = _probe_values(r, p, probe)
        if cached is None:
            cached = v[: npan * n_w].reshape(npan, n_w, -1).sum(1)
            r, p, q, v, ws = (x[npan * n_w :] for x in (r, p, q, v, ws))
            scale = max(scale, float(np.abs(v.sum(0)).max()))
        v1 = v.reshape(npan, 2, n_w, -1)
        err = np.abs(v1.sum((1, 2)) - cached).max(axis=1)
        ok = err <= 0.5 * max(tol * scale - spent, 0.0) / npan
        ok |= (rnd == max_rounds) | (2 * npan > max_panels) | ((b - a) < 1e-13 * max(np.abs(a).max(), 1.0))
        keep = np.repeat(ok, 2 * n_w)
        out_r.append(r[keep])
        out_p.append(p[keep])
        qint += float(q[keep] @ ws[keep])
        spent += float(err[ok].sum())
        if ok.all():
            break
        bad = ~ok
        cached = v1[bad].sum(2).reshape(-1, v1.shape[-1])  # the halves' own sums
        a, b = np.stack([a[bad], m[bad]], 1).ravel(), np.stack([m[bad], b[bad]], 1).ravel()
    return np.concatenate(out_r).ravel(), np.concatenate(out_p).reshape(-1, 3, 3), qint, spent


_GRADING = 10.0 ** -np.arange(1, 5)


def _left_out_weight(chain, k, intervals, mask, qint):
    """int ||Q|| dw over the intervals left out, relative to ``qint`` (fixed nodes graded
    geometrically towards every panel end)."""
    if not intervals:
        return 0.0
    a, b = _breakpoints(chain, intervals)
    edges = [
        np.concatenate([[lo], lo + h * _GRADING[::-1], [lo + h], lo + 2 * h - h * _GRADING, [lo + 2 * h]])
        for lo, h in zip(a, 0.5 * (b - a), strict=False)
    ]
    w, ww = zip(*(_panel_nodes(e[:-1], e[1:], 3) for e in edges), strict=False)
    w, ww = np.concatenate(w), np.concatenate(ww)
    lost = float(_source_terms(chain, k, w, ww, mask)[2] @ ww)
    return lost / qint if qint > 0 else (math.inf if lost > 0 else 0.0)


def _nodes(J, bias, gaps, source, phi0, ks, n, n_y, n_w, quad_tol):
    """All energy nodes of the profile (rotated part + sources) for a chain of n sidebands;
    the weight left out per harmonic; the quadrature and truncation error estimates."""
    gap = gaps[0] if source == "L" else gaps[1]
    lead = "left" if source == "L" else "right"
    chain = _Chain(source, n + 2 * max(ks), n, bias, gaps, J, phi0)
    x_inf = np.zeros((4, 4), complex)
    H = _contact_H(J, lead)
    x_inf[:2, :2], x_inf[2:, 2:] = -1j * H, -1j * H.T
    probe = _PROBE / max(gap, bias)
    scale_y = max(max(gaps), bias)
    rates, parts = _rotated_nodes(chain, ks, *_y_nodes(scale_y, n_y), x_inf)
    r2, p2 = _rotated_nodes(chain, ks, *_y_nodes(scale_y, 2 * n_y), x_inf)
    # a normal observed lead: every source's Tr[sigma Q_ee] vanishes (wide band, no pairing)
    srcs = _sources(chain, gap) if gap > 0 else []
    static_mask = np.zeros(chain.sideband.size, bool)
    for j, _, _, inj in srcs:
        static_mask[chain.index(j)] = not inj
    left_out = np.zeros(len(ks))
    qerr = 0.0
    for i, k in enumerate(ks):
        v1 = _probe_values(rates[i][:, None], parts[i][:, None], probe).sum(0)
        v2 = _probe_values(r2[i][:, None], p2[i][:, None], probe).sum(0)
        keep, left = _windows(srcs, gap, bias, k)
        mask = static_mask if k == 0 else chain.sideband != 0
        # a floor of the order of the harmonic (J^(2k+2)) keeps a vanishing density (SU(2))
        # from driving the quadrature to round-off
        floor = 1e-3 * float(np.sum(np.abs(J) ** 2)) ** (k + 1)
        scale = max(np.abs(v2).max(), floor)
        r, p, qk, err = _adaptive_sources(chain, k, keep, mask, n_w, probe, scale, quad_tol)
        rates[i] = np.concatenate([r2[i], r])
        parts[i] = np.concatenate([p2[i], p])
        size = max(np.abs(_probe_values(rates[i][:, None], parts[i][:, None], probe).sum(0)).max(), 1e-300)
        qerr = max(qerr, (np.abs(v2 - v1).max() + err) / size)
        left_out[i] = _left_out_weight(chain, k, left, ~static_mask if k == 0 else mask, qk)
    return rates, parts, left_out, qerr, chain.end_weight


def spin_density_profile(
    J=None,
    *,
    bias,
    gap_left=1.0,
    gap_right=1.0,
    phi0=0.0,
    harmonics=(0, 1),
    lead="left",
    temperature=0.0,
    broadening=0.0,
    band=None,
    tol=1e-6,
    quad_tol=1e-5,
    n_sidebands=None,
    n_y=24,
    n_w=8,
) -> SpinDensityProfile:
    """Spin density of the observed lead around the contact, to all orders in J (Eq. 4 per
    volume; docs/profile.md Eq. P7-P15).

    Point contact between wide-band BCS leads, Hamiltonian (S1, S2, S7, S9-S10) as in
    :func:`.solver.floquet_currents`; the observed lead is a clean 3D metal (module
    docstring).

    Parameters
    ----------
    J : (2, 2) complex
        Amplitude in units of W = 1/(pi rho) (``FloquetResult.params["J"]``).  Default 1.
    bias : float
        eV = mu_L - mu_R, non-zero (eV < 0 via the mirror junction), unit eps of the gaps.
    gap_left, gap_right : float
        Gaps (eps), >= 0.  A normal observed lead needs |eV| below the other lead's gap.
    phi0 : float
        Initial phase (rad); harmonic k carries e^{i k phi0}.
    harmonics : sequence of int
        k >= 0 of e^{i k omega_J t}, omega_J = 2eV.
    lead : {"left", "right"}
        Observed lead.
    temperature, broadening, band
        Must be 0, 0, None (T = 0 occupations; wide band).
    tol : float
        Threshold of ``finite`` (relative weight left out).
    quad_tol : float
        Target of the adaptive real-axis quadrature, relative to the size of (E, C, S).
    n_sidebands : int, optional
        Sidebands kept on each side of the observed site (default ceil(2 max(gaps)/eV) + 3,
        at most 200; ``truncation_error`` reports the end weight).
    n_y, n_w : int
        Gauss-Legendre nodes per panel on the imaginary axis (the result uses 2 n_y; n_y
        gives the error estimate) and per adaptive panel on the real axis.

    Returns
    -------
    SpinDensityProfile
        Radii in l = hbar v_F/eps, densities in mu_B per l^3 (g = 2).
    """
    J = as_spin_matrix(np.eye(2) if J is None else J, "J", single=True)
    real(bias, "bias", "finite and non-zero", lambda v: v != 0)
    for name, val in (("gap_left", gap_left), ("gap_right", gap_right)):
        non_negative(val, name)
    real(phi0, "phi0")
    if lead not in ("left", "right"):
        raise ValueError(f"lead must be 'left' or 'right', got {lead!r}")
    if temperature != 0:
        raise ValueError(
            "temperature must be 0: the profile uses the T = 0 occupations "
            "(at T > 0 thermal quasiparticles carry a dc spin current)"
        )
    if broadening != 0:
        raise ValueError("broadening must be 0 (a Dynes width relaxes the lead's states)")
    if band is not None:
        raise ValueError("band must be None: the nonlocal Green's function is the wide-band (quasiclassical) one")
    if not (len(harmonics) and all(isinstance(k, (int, np.integer)) and k >= 0 for k in harmonics)):
        raise ValueError(f"harmonics must be non-negative integers, got {harmonics!r}")
    ks = sorted({int(k) for k in harmonics})
    for name, val in (("tol", tol), ("quad_tol", quad_tol)):
        if not (0 < val < 1):
            raise ValueError(f"{name} must lie in (0, 1), got {val}")
    obs, other = (gap_left, gap_right) if lead == "left" else (gap_right, gap_left)
    if obs == 0 and other == 0:
        raise ValueError("both leads are normal: no gap, no spin density to compute")
    if obs == 0 and abs(bias) >= other:
        raise ValueError(
            f"normal observed lead: |bias| = {abs(bias)} must lie below the other "
            f"lead's gap {other} (above it a dc spin current enters the lead)"
        )
    if bias < 0:
        res = spin_density_profile(
            J.conj().T,
            bias=-bias,
            gap_left=gap_right,
            gap_right=gap_left,
            phi0=-phi0,
            harmonics=ks,
            lead="right" if lead == "left" else "left",
            tol=tol,
            quad_tol=quad_tol,
            n_sidebands=n_sidebands,
            n_y=n_y,
            n_w=n_w,
        )
        # I(t) = Sum_k I_k e^{i k 2eV t} with the signed eV: m_k = conj(m'_k)
        res.rates = [np.conj(a) if k else a for k, a in zip(res.harmonics, res.rates, strict=False)]
        res.parts = [np.conj(c) if k else c for k, c in zip(res.harmonics, res.parts, strict=False)]
        res.params.update(J=J, bias=bias, gap_left=gap_left, gap_right=gap_right, phi0=phi0, lead=lead, mirrored=True)
        return res
    gaps = (float(gap_left), float(gap_right))
    V = float(bias)
    if n_sidebands is None:
        n_sidebands = min(int(math.ceil(2 * max(gaps) / V)) + 3, 200)
    n = int(n_sidebands)
    if n < 1:
        raise ValueError(f"n_sidebands must be >= 1, got {n_sidebands}")
    rates, parts, inj, qerr, terr = _nodes(J, V, gaps, "L" if lead == "left" else "R", phi0, ks, n, n_y, n_w, quad_tol)
    if 0 in ks:  # the static part is real (Hermitian lesser function): drop round-off
        i = ks.index(0)
        parts[i], rates[i] = parts[i].real + 0j, rates[i].real + 0j
    return SpinDensityProfile(
        harmonics=np.array(ks),
        rates=rates,
        parts=parts,
        trace_inf=contact_trace(J, lead) if 0 in ks else np.zeros(3),
        gap=float(obs),
        injection=inj,
        finite=bool(np.all(inj <= tol)),
        n_sidebands=n,
        quadrature_error=float(qerr),
        truncation_error=float(terr),
        params=dict(J=J, bias=V, gap_left=gaps[0], gap_right=gaps[1], phi0=phi0, lead=lead, mirrored=False),
    )


# ----------------------------------------------------------------------------- radial integral
def _lagrange_weights(x, theta):
    """``W_i(theta) = int_{-1}^{1} L_i(t) e^{i theta t} dt`` for the Lagrange basis on the
    nodes x: 24-point Gauss-Legendre on sub-intervals holding a phase of at most 4 each
    (exact for the interpolant to round-off)."""
    n_sub = max(1, math.ceil(abs(theta) / 4))
    g, gw = np.polynomial.legendre.leggauss(24)
    t = ((-1 + 2 * np.arange(n_sub) / n_sub)[:, None] + (g[None, :] + 1) / n_sub).ravel()
    bw = 1.0 / np.prod(x[:, None] - x[None, :] + np.eye(len(x)), axis=1)
    L = bw / (t[:, None] - x[None, :])
    L /= L.sum(axis=1, keepdims=True)
    return L.T @ (np.tile(gw / n_sub, n_sub) * np.exp(1j * theta * t))


def radial_moments(profile: SpinDensityProfile, rho_max, K=None, p=16):
    """Moment of the spin density inside the sphere rho < rho_max, integrated numerically
    over the radius (docs/profile.md Eq. P15): per harmonic and component,

        envelope = (2/pi) int_0^rho_max E d rho,
        friedel  = (2/pi) int_0^rho_max [C cos(2 K rho) + S_reg sin(2 K rho)] d rho,

    with S_reg = S - S_inf (the contact's Friedel piece, whose integral the model does not
    fix, Eq. P14).  Gauss-Legendre panels (logarithmic from 1e-10 to 1 in units of
    hbar v_F/max(Delta, eV), unit panels beyond) for E; for C and S the degree p-1
    interpolant per panel times the exact oscillation (Filon).  The same total in a half
    space (the angular weight 6 cos^2 integrates to one).

    Parameters
    ----------
    profile : SpinDensityProfile
    rho_max : float
        Radius in l = hbar v_F/eps.
    K : float, optional
        k_F l; without it only the envelope is integrated (``friedel`` is None).
    p : int
        Nodes per panel.

    Returns
    -------
    (envelope, friedel) : ndarray (nh, 3) complex each, mu_B (g = 2)
    """
    unit = 1.0 / max(profile.gap, abs(profile.params["bias"]))
    log_edges = unit * np.logspace(-10, 0, 21)
    edges = np.concatenate([[0.0], log_edges[log_edges < rho_max], np.arange(2 * unit, rho_max, unit), [rho_max]])
    lo, hi = edges[:-1], edges[1:]
    mid, half = 0.5 * (lo + hi), 0.5 * (hi - lo)
    x, w = np.polynomial.legendre.leggauss(p)
    rho = (mid[:, None] + half[:, None] * x[None, :]).ravel()
    c = profile.components(rho)
    static = (profile.harmonics == 0)[None, :, None]
    c[:, :, 2] -= (
        (np.exp(-2 * profile.gap * rho) / (2 * rho))[:, None, None] * profile.trace_inf[None, None, :] * static
    )
    c = c.reshape(len(mid), p, *c.shape[1:])
    env = 2 / np.pi * np.einsum("p,n,np...->...", w, half, c[:, :, :, 0])
    if K is None:
        return env, None
    cache, fr = {}, 0.0
    for m, h, cn in zip(mid, half, c, strict=False):
        key = round(2 * K * h, 9)
        if key not in cache:
            cache[key] = _lagrange_weights(x, 2 * K * h)
        W = cache[key] * h * np.exp(2j * K * m)  # int L_i(rho) e^{2iK rho} d rho
        fr = fr + np.einsum("p,p...->...", W.real, cn[:, :, 1]) + np.einsum("p,p...->...", W.imag, cn[:, :, 2])
    return env, 2 / np.pi * fr


# ----------------------------------------------------------------------------- 2nd order
def second_order_components(J, *, bias, gap_left=1.0, gap_right=1.0, rho, parts=(0, 1, 2), epsabs=1e-13) -> np.ndarray:
    """Static ``(E, C, S)`` of the left lead at second order in J, in closed form
    (docs/profile.md Eq. P17-P19), shape (n_rho, 3 parts, 3).

    With ``S_J = Tr[sigma J J^dag]``, ``z = iy``, ``s = sqrt(y^2 + Delta_L^2)`` and the right
    lead's ``a = -(z + eV)/s_R(z + eV)``, ``b = -(z - eV)/s_R(z - eV)``::

        E = S_J int_0^inf dy Re e^{-2s rho} [a + (a z^2 - b Delta_L^2)/s^2]/2 - S_J I[Delta^2/s^2]
        C = S_J int_0^inf dy Re e^{-2s rho} [a - (a z^2 - b Delta_L^2)/s^2]/2 + S_J I[w^2/s^2]
        S = S_J int_0^inf dy Re e^{-2s rho} a z/s                            + S_J I[w/s]
        I[h] = int_0^{eV - Delta_R} dw e^{-2 s(w) rho} h(w) N_R(eV - w),
        s(w) = sqrt(Delta_L^2 - w^2),

    N_R the right lead's BCS DOS (the I terms are the quasiparticles of the right lead,
    present for eV > Delta_R).  ``parts`` selects which of (E, C, S) to compute (the others
    are returned as 0).  Valid for a superconducting left lead at T = 0 and
    0 < eV - Delta_R < Delta_L (nothing injected) or eV < Delta_R.  Every harmonic k >= 1
    vanishes at second order at every r (a point contact transfers singlet pairs).
    Independent of the sideband chain; scipy quadrature per radius.
    """
    J = np.asarray(J, dtype=complex)
    dl, dr, V = float(gap_left), float(gap_right), float(bias)
    if not (dl > 0 and V > 0 and V - dr < dl):
        raise ValueError("second_order_components: needs gap_left > 0, bias > 0 and bias - gap_right < gap_left")
    SJ = np.einsum("kab,ba->k", PAULI, J @ J.conj().T).real

    def lead_r(z):
        return -z / _s(z, dr) if dr > 0 else -1j

    def rotated(y, r, part):
        z = 1j * y
        s = np.sqrt(y * y + dl * dl)
        a, b = lead_r(z + V), lead_r(z - V)
        h = {
            0: 0.5 * (a + (a * z * z - b * dl * dl) / s**2),
            1: 0.5 * (a - (a * z * z - b * dl * dl) / s**2),
            2: a * z / s,
        }[part]
        return (np.exp(-2 * s * r) * h).real

    def sources(w, r, part):
        s = np.sqrt(dl * dl - w * w)
        e = V - w
        dos = 1.0 if dr == 0 else abs(e) / np.sqrt(e * e - dr * dr)
        h = {0: -dl * dl / s**2, 1: w * w / s**2, 2: w / s}[part]
        return np.exp(-2 * s * r) * h * dos

    out = np.zeros((np.size(rho), 3))
    for i, r in enumerate(np.atleast_1d(rho)):
        # panels up to y ~ 50/rho, where e^{-2 s rho} cuts the slowly decaying C and S
        edges = np.concatenate([[0.0], 10.0 ** np.arange(-3, math.log10(50 / r) + 1), [np.inf]])
        for part in parts:
            val = sum(
                integrate.quad(rotated, a, b, args=(r, part), epsabs=epsabs, epsrel=1e-11, limit=200)[0]
                for a, b in zip(edges[:-1], edges[1:], strict=False)
            )
            if V > dr:
                val += integrate.quad(sources, 0, V - dr, args=(r, part), epsabs=epsabs, epsrel=1e-11, limit=400)[0]
            out[i, part] = val
    return out[:, :, None] * SJ[None, None, :]
