"""Static (time-averaged) magnetization of a superconducting lead, to all orders in J.

``M = Sum_k <c_k^dag sigma c_k>`` sums over every state of the lead, not only the contact site
(Eq. 4).  With the contact's T-matrix ``X = T G_RR T^dag`` in sideband space (exact: the
full Green's function of the lead is ``G_kk' = g_k delta_kk' + g_k X g_k'``), the static part
at T = 0 splits into two terms (hbar = e = k_B = 1, (g/2) mu_B = 1, J in units of
W = 1/(pi rho))::

    M = M_eq + M_neq,
    M_eq  = (1/pi) int_0^inf dy Re Tr[ sigma_e P(X^R)(iy) ],
    M_neq = int_{-Delta}^{Delta} dw/2pi Re( -i Tr[ sigma_e P(Y)(w) ] ),
    P(X)(z) = Sum_k g_k(z) X g_k(z) = (z + Dt) X (z + Dt) F0(z) + tau_z X tau_z F2(z),
    F0 = rho int dxi (q^2 - xi^2)^-2,   F2 = rho int dxi xi^2 (q^2 - xi^2)^-2,   q^2 = z^2 - Delta^2,
    Y(w) = Sum_s (f(w_s) - f(w)) V_s Gamma_s V_s^dag,   V_s = g_0^-1 G^R_{0,s} - delta_{0 s}.

``M_eq`` is the equilibrium-like part, ``-f [P(X^R) - P(X^A)]``, with the energy integral
rotated onto the imaginary axis (every factor is retarded, hence analytic in the upper half
plane).  On the real axis it has non-integrable (Delta^2 - w^2)^{-3/2} singularities at the gap
edges; on the imaginary axis it is smooth.  ``M_neq`` is the non-equilibrium part: the sources
s (lead sites at sideband n, energy w_s = w + n eV) whose occupation differs from the observed
lead's at the same w.  For a superconducting observed lead the states have |E| >= Delta, so the
lead sum and the state-by-state (closed-system) order agree.  At weak tunnelling the result
is the closed-system second order (:mod:`spintunnel.second_order`, relative difference
~J^2).  Beyond second order it is the Keldysh steady state without the injecting sources
(below).  Where nothing is injected (S-N below the gap) it agrees with the adiabatically
switched exact finite model beyond second order (5e-5 after extrapolation in N).  Where
sources inject, the moment is not static: it grows as ``I_s,0 t`` (dc spin current), and its
static part depends on the origin of time and on how the injected quasiparticles are
counted.  The in-gap part of the injecting sources (finite; left out here) bounds that
ambiguity, and the exact model lies inside the bound (docs/all_orders.md Sec. 4).  Trust the
result where ``injection`` is small.

A source at sideband n with gap Delta_s contributes to Y on ``sign(w) != sign(w + n eV)``,
``|w + n eV| > Delta_s``.  If that interval reaches the observed lead's gap edge
(``|n| eV >= Delta_s + Delta``) the source creates real quasiparticles in the observed lead
(quasiparticle tunnelling for |n| = 1, multiple Andreev reflection for |n| > 1).  Then the
static magnetization is not finite in the continuum.  Such sources are left out of M_neq and
reported as ``injection`` (their weight relative to the rest).  ``finite`` is False when it
exceeds ``tol``.  The spin current (:func:`.solver.floquet_currents`) then gives the
steady state for a spin relaxation time (``FloquetResult.magnetization_harmonics``).

Both parts are evaluated in the two spin channels of :mod:`.channels` (compiled kernels
:func:`.kernel.observed_t_matrix`, :func:`.kernel.source_terms`): X and Y are block diagonal
in the channels and ``P`` keeps the blocks (Dt is SU(2) invariant; in a channel
``Dt = Delta sigma_x``), so ``Tr[sigma_e P(X)] = n (P(X_A)_ee - P(X_B)_ee)`` along the spin
axis n of the observed lead; a spin-degenerate J (or J = 0) has no moment.

Not covered (ValueError): a normal observed lead.  There the two orders of the sums differ
by the Fermi-surface term ``rho Tr[sigma Re X(0)]``, which is the whole closed-system moment
at second order (``second_order.magnetization_dc``).  Beyond second order the total spin of
a normal lead is not a function of the Hamiltonian: it is the spin pumped in while J is
switched on, and the exact model gives different values for different switching paths
(docs/all_orders.md, Sec. 4).  So no static value exists there to compute.  Also not
covered: T > 0 (thermal quasiparticles inject spin) and Dynes broadening.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..inputs import non_negative, real
from ..leads import fermi
from ..spin import as_spin_matrix
from .channels import decompose, kernel
from .lead_greens import check_band, pairing_matrix
from .quadrature import adaptive_panels
from .sidebands import chain_column, chain_matrices

__all__ = [
    "StaticMagnetization",
    "static_magnetization",
    "lead_sum_factors",
    "lead_sum",
    "sources",
    "source_terms",
    "INJECTION_LIMIT",
]

#: ``injection`` (relative weight of the quasiparticles carried away) above which no static
#: moment (or static spin density) is given: it is not established (docs/all_orders.md Sec. 4).
INJECTION_LIMIT = 1e-3

_RHO = 1.0 / np.pi  # normal DOS per spin in units of 1/W


@dataclass
class StaticMagnetization:
    """Time-averaged magnetization of one lead (Pauli units: (g/2) mu_B = 1, i.e. mu_B).

    Attributes
    ----------
    moment : ndarray (3,)
        M = M_eq + M_neq (x, y, z).
    equilibrium_part, nonequilibrium_part : ndarray (3,)
        The two terms of the module docstring.
    injection : float
        Weight of the sources that inject real quasiparticles into the lead, relative to
        the weight of those included (0 when there are none).
    finite : bool
        ``injection <= tol``: no real quasiparticles are created in the lead (to tol).
    n_sidebands : int
        Sidebands kept on each side of the observed site.
    truncation_error, quadrature_error : float
        Change of M when the sideband chain grows by half; quadrature error estimate.
    """

    moment: np.ndarray
    equilibrium_part: np.ndarray
    nonequilibrium_part: np.ndarray
    injection: float
    finite: bool
    n_sidebands: int
    truncation_error: float
    quadrature_error: float
    params: dict = field(default_factory=dict)


def lead_sum_factors(z, gap: float, band=None):
    """``F0 = rho int dxi (q^2 - xi^2)^-2`` and ``F2 = rho int dxi xi^2 (q^2 - xi^2)^-2``.

    ``q = sqrt(z - Delta) sqrt(z + Delta)`` with Im q > 0 (z in the upper half plane, or on
    the real axis inside the gap), rho = 1/pi (units of 1/W).  With
    ``Lambda = rho int dxi (q^2 - xi^2)^-1``: ``F0 = -dLambda/d(q^2)``, ``F2 = q^2 F0 - Lambda``.
    Wide band: ``Lambda = -i pi rho/q``; half-bandwidth D:
    ``Lambda = (rho/q)[ln(q + D) - ln(q - D)]``.
    """
    z = np.asarray(z, dtype=complex)
    q = np.sqrt(z - gap) * np.sqrt(z + gap)
    if band is None:
        lam = -1j * np.pi * _RHO / q
        f0 = -1j * np.pi * _RHO / (2 * q**3)
    else:
        log = np.log(q + band) - np.log(q - band)
        lam = _RHO * log / q
        f0 = _RHO * (log / (2 * q**3) + band / (q**2 * (q**2 - band**2)))
    return f0, q**2 * f0 - lam


def lead_sum(X, z, gap: float, band=None):
    """``P(X)(z) = Sum_k g_k(z) X g_k(z) = (z + Dt) X (z + Dt) F0(z) + tau_z X tau_z F2(z)``
    in the 4x4 Nambu-spin basis of :mod:`.lead_greens` (module docstring): the dense reference form
    of the lead sum, which the solver evaluates per spin channel.

    Parameters
    ----------
    X : ndarray, shape (nz, 4, 4)
        A matrix at the observed site (T-matrix, or Y of the sources), per ``z``.
    z : ndarray, shape (nz,)
        Complex energies (upper half plane, or the real axis inside the gap).
    gap : float
        Delta of the observed lead (0: normal).
    band : float, optional
        Half-bandwidth D (None: wide band).

    Returns
    -------
    ndarray, shape (nz, 4, 4); ``Tr[sigma P_ee]`` is the spin it carries (units of (g/2) mu_B).
    """
    z = np.asarray(z, dtype=complex)
    f0, f2 = lead_sum_factors(z, gap, band)
    A = z[:, None, None] * np.eye(4) + pairing_matrix(gap)
    tz = np.diag([1.0, 1.0, -1.0, -1.0])
    return A @ X @ A * f0[:, None, None] + tz @ X @ tz * f2[:, None, None]


def _lead_sum_channel(X, z, gap, band, e):
    """Electron element ``P(X)_ee(z)`` of one spin channel, X (n, 2, 2) in the chain order
    of the observed site's sub-sites (electron at index ``e``).  In the channel the pairing
    block is ``Dt = Delta sigma_x`` and ``(tau_z X tau_z)_ee = X_ee``, so
    ``P_ee = [(z + Dt) X (z + Dt)]_ee F0 + X_ee F2`` (module docstring)."""
    f0, f2 = lead_sum_factors(z, gap, band)
    h = 1 - e
    ee = z * z * X[:, e, e] + z * gap * (X[:, e, h] + X[:, h, e]) + gap * gap * X[:, h, h]
    return ee * f0 + X[:, e, e] * f2


def _chain(E, broadening, source, n, bias, gaps, J, phi0, band):
    return chain_matrices(np.atleast_1d(E), source, (n, n), bias, gaps, J, phi0, broadening=broadening, band=band)


def _channel_sum(ch, per_channel):
    """``Q_A - Q_B`` for the per-channel scalars Q_c = per_channel(t_e, t_h): the spin of
    the observed lead along its channel axis (J not spin-degenerate)."""
    (a, b) = (per_channel(te, th) for te, th in ch.bonds)
    return a - b


def _equilibrium_part(source, n, bias, gaps, gap, ch, ph, band, n_nodes):
    """(1/pi) int_0^inf dy Re P_ee(X^R)(iy) of channel A minus channel B (Gauss-Legendre in
    y = scale t/(1 - t))."""
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    t, w = 0.5 * (x + 1), 0.5 * w
    scale = max(gap, abs(bias))
    y = scale * t / (1 - t)
    k = kernel()
    e = 1 if source == "L" else 0

    def one(te, th):
        X = np.empty((y.size, 2, 2), complex)
        k.observed_t_matrix(
            np.zeros(y.size), y, source == "L", n, bias, gaps[0], gaps[1], te, th, ph, 0.0 if band is None else band, X
        )
        tr = _lead_sum_channel(X, 1j * y, gap, band, e)
        return (tr.real * w * scale / (1 - t) ** 2).sum() / np.pi

    return _channel_sum(ch, one)


def sources(source, n, bias, gaps, gap):
    """The sources of the non-equilibrium part (module docstring): ``(k, lo, hi, injects)``
    for every lead site at sideband ``k = -n..n`` (k != 0) whose Y lives on ``lo < w < hi``,
    and whether it injects real quasiparticles into the observed lead (``|k| eV >= Delta_s +
    Delta``).  ``source`` is the observed lead ("L" or "R"), ``gap`` its gap."""
    out = []
    for k in range(-n, n + 1):
        if k == 0:
            continue
        in_same = k % 2 == 0
        gs = gaps[0 if (source == "L") == in_same else 1]
        reach = abs(k) * bias - gs  # Y lives on 0 < |w| < reach (sign opposite k)
        if reach <= 0:
            continue
        lo, hi = (-reach, 0.0) if k > 0 else (0.0, reach)
        out.append((k, lo, hi, reach >= gap))
    return out


def source_terms(E, source, n, bias, gaps, J, phi0, band):
    """``V_s Gamma_s V_s^dag`` of every source s (site of the chain at sideband k = -n..n),
    shape (nE, 2n+1, 4, 4); their sum over s is ``-(X^R - X^A)`` at the observed site.
    Dense 4x4 reference of :func:`.kernel.source_terms` (tests, studies); arguments as
    :func:`.sidebands.chain_matrices` with ``nmax = (n, n)``."""
    D, U, _ = _chain(E, 0.0, source, n, bias, gaps, J, phi0, band)
    row = np.swapaxes(chain_column(np.swapaxes(D, -1, -2), np.conj(U), n), -1, -2)
    V = D[:, n][:, None] @ row  # g_0^-1 G_{0,s}
    V[:, n] -= np.eye(4)
    Gam = D - np.conj(np.swapaxes(D, -1, -2))
    return np.einsum("ekab,ekbc,ekdc->ekad", V, Gam, np.conj(V))


def _y_channel(E, source, n, bias, gaps, te, th, ph, band, inject):
    """Y(E) of one channel summed over non-injecting and over injecting sources: 2 x (nE, 2,
    2), weights f(w_s) - f(w) at T = 0 (:func:`.kernel.source_terms`)."""
    k = np.arange(-n, n + 1)
    f = fermi(E[:, None] + k[None, :] * bias, 0.0)
    weight = f - f[:, n][:, None]
    keep = np.empty((E.size, 2, 2), complex)
    inj = np.empty((E.size, 2, 2), complex)
    kernel().source_terms(
        E,
        source == "L",
        n,
        bias,
        gaps[0],
        gaps[1],
        te,
        th,
        ph,
        0.0 if band is None else band,
        weight,
        inject,
        keep,
        inj,
    )
    return keep, inj


def _nonequilibrium_part(source, n, bias, gaps, gap, ch, ph, band, tol_abs, injection=True):
    """M_neq of the non-injecting sources (channel A minus channel B, along the channel
    axis), its quadrature error and (with ``injection``) the injecting sources' weight
    int ||Y_inj|| dw relative to int ||Y_keep|| dw (Frobenius norms of the 4x4 Y, i.e. of
    both channels)."""
    srcs = sources(source, n, bias, gaps, gap)
    inject = np.zeros(2 * n + 1, bool)
    for k, _, _, inj in srcs:
        inject[k + n] = inj
    keep = [(lo, hi) for _, lo, hi, inj in srcs if not inj]
    if not srcs:
        return 0.0, 0.0, 0.0
    cut = 1e-9 * gap
    pts = {-gap + cut, 0.0, gap - cut}
    for _, lo, hi, _ in srcs:
        pts.update((max(lo, -gap + cut), min(hi, gap - cut)))
    edges = np.array(sorted(p for p in pts if -gap + cut <= p <= gap - cut))
    e = 1 if source == "L" else 0

    def kept(E):
        # zero outside the kept intervals, where Y_keep vanishes anyway: this keeps the
        # (Delta^2 - w^2)^{-3/2} of the gap-edge nodes away from round-off in Y_keep
        out = np.zeros((E.size, 2))
        inside = np.zeros(E.size, bool)
        for lo, hi in keep:
            inside |= (E > lo) & (E < hi)
        if inside.any():
            Ei = E[inside]
            tr, norm2 = [], 0.0
            for te, th in ch.bonds:
                Y, _ = _y_channel(Ei, source, n, bias, gaps, te, th, ph, band, inject)
                tr.append((-1j * _lead_sum_channel(Y, Ei + 0j, gap, band, e)).real)
                norm2 = norm2 + (np.abs(Y) ** 2).sum(axis=(1, 2))
            out[inside, 0] = (tr[0] - tr[1]) / (2 * np.pi)
            out[inside, 1] = np.sqrt(norm2)
        return out

    val, err, _ = adaptive_panels(kept, edges, tol_abs)
    inj = 0.0
    if injection and inject.any():
        # the injecting sources' weight where they act inside the gap; their (on-shell,
        # divergent) contribution is not part of the static magnetization
        def injected(E):
            norm2 = 0.0
            for te, th in ch.bonds:
                norm2 = norm2 + (np.abs(_y_channel(E, source, n, bias, gaps, te, th, ph, band, inject)[1]) ** 2).sum(
                    axis=(1, 2)
                )
            return np.sqrt(norm2)[:, None]

        w_inj = adaptive_panels(injected, edges, 1e-3)[0][0]
        inj = w_inj / max(val[1], 1e-300) if w_inj > 0 else 0.0
    return val[0], err, inj


def static_magnetization(
    J=None,
    *,
    bias,
    gap_left=1.0,
    gap_right=1.0,
    phi0=0.0,
    band=None,
    lead="left",
    temperature=0.0,
    broadening=0.0,
    tol=1e-6,
    n_sidebands=None,
) -> StaticMagnetization:
    """Time-averaged magnetization of the left (or right) lead to all orders in J (Eq. 4).

    Point contact with wide-band (or finite-band) BCS leads, Hamiltonian (S1, S2, S7,
    S9-S10) as in :func:`.solver.floquet_currents`; formulas in the module docstring.

    Parameters
    ----------
    J : (2, 2) complex
        Amplitude in units of W = 1/(pi rho) (index 0 = up; J[s, s'] moves right spin s'
        to left spin s).  Default identity.  (Use ``FloquetResult.params["J"]`` for the J
        that a ``transmission``/``resistance`` input produced.)
    bias : float
        eV = mu_L - mu_R, non-zero, either sign (eV < 0 via the mirror junction).
    gap_left, gap_right : float
        Gaps (energy unit of the problem); the observed lead must be superconducting.
    phi0 : float
        Initial phase (the static part does not depend on it: checked in the tests).
    band : float, optional
        Half-bandwidth D of both leads (None: wide band).
    lead : {"left", "right"}
        Observed lead.
    temperature, broadening : float
        Must be 0 (see module docstring).
    tol : float
        Relative tolerance of the quadratures and of ``injection``.
    n_sidebands : int, optional
        Sidebands kept on each side (default from the bias and the gaps).

    Returns
    -------
    StaticMagnetization (moment in mu_B for (g/2) = 1).
    """
    J = as_spin_matrix(np.eye(2) if J is None else J, "J", single=True)
    real(bias, "bias", "finite and non-zero", lambda v: v != 0)
    for name, val in (("gap_left", gap_left), ("gap_right", gap_right)):
        non_negative(val, name)
    if lead not in ("left", "right"):
        raise ValueError(f"lead must be 'left' or 'right', got {lead!r}")
    if temperature != 0:
        raise ValueError(
            "temperature must be 0: at T > 0 thermal quasiparticles carry a dc "
            "spin current, so the static magnetization is not finite; use "
            "floquet_currents(...).magnetization_harmonics(tau_s)"
        )
    if broadening != 0:
        raise ValueError(
            "broadening must be 0 for the static magnetization (a Dynes width is a "
            "relaxation of the lead's states, which changes the quantity)"
        )
    if not (0 < tol < 1):
        raise ValueError(f"tol must lie in (0, 1), got {tol}")
    band = check_band(band, (gap_left, gap_right))
    if (gap_left if lead == "left" else gap_right) == 0:
        raise ValueError(
            f"the {lead} lead is normal: beyond second order its static moment "
            "depends on how the coupling was switched on (exact model), so it "
            "is not a property of the junction; its second order is "
            "second_order.magnetization_dc (docs/all_orders.md, Sec. 4)"
        )
    if bias < 0:
        res = static_magnetization(
            J.conj().T,
            bias=-bias,
            gap_left=gap_right,
            gap_right=gap_left,
            phi0=-phi0,
            band=band,
            lead="right" if lead == "left" else "left",
            tol=tol,
            n_sidebands=n_sidebands,
        )
        res.params.update(J=J, bias=bias, gap_left=gap_left, gap_right=gap_right, phi0=phi0, lead=lead, mirrored=True)
        return res
    gaps = (float(gap_left), float(gap_right))
    source = "L" if lead == "left" else "R"
    gap = gaps[0] if lead == "left" else gaps[1]
    V = float(bias)
    dmax = max(gaps)
    if n_sidebands is None:
        n_sidebands = min(int(math.ceil((2 * dmax + 2 * V) / V)) + 4, 200)
    n = int(n_sidebands)
    if n < 1:
        raise ValueError(f"n_sidebands must be >= 1, got {n_sidebands}")

    params = dict(J=J, bias=V, gap_left=gaps[0], gap_right=gaps[1], phi0=phi0, band=band, lead=lead, mirrored=False)
    ch = decompose(J)
    if ch.degenerate:  # J = t U (or J = 0): an SU(2) rotation of one lead removes U
        zero = np.zeros(3)
        return StaticMagnetization(
            moment=zero,
            equilibrium_part=zero,
            nonequilibrium_part=zero,
            injection=0.0,
            finite=True,
            n_sidebands=n,
            truncation_error=0.0,
            quadrature_error=0.0,
            params=params,
        )
    ph = np.exp(0.5j * phi0) * ch.phase
    axis = ch.axis_left if lead == "left" else ch.axis_right

    def parts(n_side, injection):
        eq = _equilibrium_part(source, n_side, V, gaps, gap, ch, ph, band, 128)
        # M ~ 0.1 |J|^2 (units of W); the floor keeps a small M from driving the
        # quadrature to round-off
        scale = max(abs(eq), 1e-3 * float(np.sum(np.abs(J) ** 2)))
        neq, qerr, inj = _nonequilibrium_part(source, n_side, V, gaps, gap, ch, ph, band, 0.1 * tol * scale, injection)
        return eq, neq, qerr, inj

    eq, neq, qerr, inj = parts(n, True)
    qerr += abs(eq - _equilibrium_part(source, n, V, gaps, gap, ch, ph, band, 64))
    eq_more, neq_more, _, _ = parts(n + max(2, n // 2), False)
    trunc = abs((eq_more + neq_more) - (eq + neq))
    return StaticMagnetization(
        moment=(eq + neq) * axis,
        equilibrium_part=eq * axis,
        nonequilibrium_part=neq * axis,
        injection=float(inj),
        finite=bool(inj <= tol),
        n_sidebands=n,
        truncation_error=float(trunc),
        quadrature_error=float(qerr),
        params=params,
    )
