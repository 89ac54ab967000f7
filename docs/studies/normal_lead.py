"""Static moment of a *normal* observed lead beyond second order: the lead-sum candidate
against the adiabatically switched exact finite model (docs/all_orders.md Sec. 4, "A normal
observed lead beyond second order").

Candidates: ``M_FS + M_eq`` with ``M_FS = rho Tr[sigma Re X^R_ee(0)]`` (the Fermi-surface term
with the full T-matrix at the Fermi level) and ``M_eq`` the lead-sum part (non-zero only for
a finite band); and ``M_log + M_eq`` with the Friedel-like resummation
``M_log = Re Tr[sigma (i/2 pi) log S_ee(0)]``, ``S_ee = 1 - 2 pi i rho X^R_ee`` (equal to M_FS
through fourth order, different from sixth order on).  Also printed: ``M_eta``, the term the
eta-relaxed Keldysh steady state adds to ``M_FS + M_eq`` (finite band D only),
``-(rho/2 pi i) Sum_k int dw h(w + k eV) Tr[sigma W_Lk,ee(w)]`` with ``W_Lk`` the part of
``X^R - X^A`` from the states of lead L at sideband k and ``h = P(1/w) - 1/(w + D) + f(w) b(w)``,
``b = 1/(D - w) + 1/(D + w)``.  Also printed: two adiabatic-pumping (Brouwer) candidates,
the spin pumped into lead L while the coupling is switched on along J = s a J0, s: 0 -> 1,
``M_B = -(1/2 pi) int_0^1 ds Im Tr[Sigma (d_s S) S^dag] + M_eq`` with the frozen Fermi-level
(E = 0) scattering matrix of lead L, ``S = 1 - 2 pi i rho T``: ``B_ee`` with the electron
reflection block S_ee only (not unitary), ``B_col`` with the whole column of an incoming
electron (every sideband k of lead L, electron and hole, Sigma = sigma or -sigma^T; unitary).
Exact: :func:`spintunnel.exact.continuum.uniform_band_junction`
with a normal left lead, smooth ramp, static part fitted over 3 periods.  Prints M / a^2.

Usage:  OPENBLAS_NUM_THREADS=1 python docs/studies/normal_lead.py EV D A1,A2,.. N1,N2,.. [RAMP]
e.g.    ... 0.8 2 0.1,0.3,0.5 24,32,48 60    (N list "" : the candidates only)
A study (N = 64: 7 min per run); tests/test_studies_smoke.py runs it at a tiny size.  Public
API only: the T-matrix and the sources from the dense sideband chain
(:mod:`spintunnel.floquet.sidebands`), the lead sum from :mod:`spintunnel.floquet.magnetization`.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy.linalg import logm

from spintunnel.exact import evolve, fit_harmonics, uniform_band_junction
from spintunnel.floquet.magnetization import lead_sum, source_terms
from spintunnel.floquet.sidebands import chain_column, chain_matrices
from spintunnel.spin import PAULI

J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
GAPS = (0.0, 1.0)  # normal left (observed) lead, BCS right lead


def chain(y, J, V, D, n):
    """The sideband chain of the observed (left) site at the energy ``i y`` (y > 0: the
    chain sites at k eV + i y): (diagonal blocks (1, 2n+1, 4, 4), upper blocks, is_left)."""
    return chain_matrices(np.zeros(1), "L", (n, n), V, GAPS, J, 0.0, broadening=float(y), band=D)


def t_matrix(y, J, V, D, n=16):
    """T-matrix ``X^R(i y) = g_0^-1 G_00 g_0^-1 - g_0^-1`` of the observed site, (ny, 4, 4)."""
    out = []
    for yi in np.atleast_1d(y):
        Dm, U, _ = chain(yi, J, V, D, n)
        g0_inv = Dm[0, n]
        out.append(g0_inv @ chain_column(Dm, U, n)[0, n] @ g0_inv - g0_inv)
    return np.array(out)


def equilibrium_part(J, V, D, n=16, n_nodes=128):
    """``M_eq = (1/pi) int_0^inf dy Re Tr[sigma_e P(X^R)(iy)]`` of the normal left lead
    (:mod:`spintunnel.floquet.magnetization` docstring): Gauss-Legendre in y = eV t/(1 - t)."""
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    t, w = 0.5 * (x + 1), 0.5 * w
    y = V * t / (1 - t)
    P = lead_sum(t_matrix(y, J, V, D, n), 1j * y, GAPS[0], D)[:, :2, :2]
    tr = np.einsum("kab,yba->yk", np.asarray(PAULI), P).real
    return (tr * (w * V / (1 - t) ** 2)[:, None]).sum(axis=0) / np.pi


def candidates(J, V, D, n=16):
    """(M_FS + M_eq, M_log + M_eq) for the normal left lead (wide band: D = None)."""
    X = t_matrix(1e-10, J, V, D, n)[0][:2, :2]
    fs = np.array([np.trace(p @ X).real for p in PAULI]) / np.pi
    log_s = logm(np.eye(2) - 2j * X)  # 2 pi i rho X with rho = 1/pi
    log = np.array([(1j * np.trace(p @ log_s) / (2 * np.pi)).real for p in PAULI])
    eq = equilibrium_part(J, V, D, n)
    return fs + eq, log + eq


def eta_relaxed_term(J, V, D, n=16, n_grid=20000, kmax=4):
    """M_eta (module docstring), all three components.  Each lead-L source at sideband k
    (even, |k| <= kmax) contributes at its own energy w = E + k eV, |w| < D; principal
    value at w = 0 by pairing +-w on the grid w = D t^2."""
    t = np.linspace(0.0, 1.0, n_grid + 1)[1:]
    w = D * t**2
    hp = 1 / w - 1 / (w + D)  # h(+w), f = 0
    hm = -1 / w + 1 / (D + w)  # h(-w), f = 1

    def trace_w(E, k):
        W = -source_terms(E, "L", n, V, GAPS, J, 0.0, D)[:, n + k]  # sum: X^R - X^A
        return np.einsum("kab,eba->ek", np.asarray(PAULI), W[:, :2, :2])

    total = np.zeros(3, complex)
    for k in range(-kmax, kmax + 1, 2):
        tp = np.concatenate([trace_w(c - k * V, k) for c in np.array_split(w, 40)])
        tm = np.concatenate([trace_w(-c - k * V, k) for c in np.array_split(w, 40)])
        integrand = (tp * hp[:, None] + tm * hm[:, None]) * (2 * D * t)[:, None]
        total += np.trapezoid(integrand, t, axis=0)
    return (-(1 / np.pi) / (2j * np.pi) * total).real


def brouwer(J, V, D, n=16, n_s=161):
    """(M_B,ee, M_B,col), all three components, each + M_eq (module docstring)."""
    Z = np.zeros((2, 2))
    sig = np.array([np.block([[p, Z], [Z, -p.T]]) for p in PAULI])  # electron, hole spin

    def column(s):
        """S_{(k, nu), (0, e)} over the sites k of lead L: (nL, 4, 2)."""
        Dm, U, is_left = chain(1e-10, s * J, V, D, n)
        G = chain_column(Dm, U, n)[0]  # G_{k,0}
        T = np.einsum("kab,kbc,cd->kad", Dm[0], G, Dm[0, n])
        T[n] -= Dm[0, n]
        S = -2j * T  # 2 pi rho = 2 (W = 1)
        S[n] += np.eye(4)
        return S[is_left][:, :, :2]

    is_left = chain(1e-10, J, V, D, n)[2]
    k0 = int(np.count_nonzero(is_left[:n]))  # sideband 0 among L sites
    grid = np.linspace(0.0, 1.0, n_s)
    cols = np.array([column(s) for s in grid])  # (n_s, nL, 4, 2)
    d = np.gradient(cols, grid, axis=0)
    col = np.einsum("pab,skbc,skac->sp", sig, d, cols.conj()).imag
    ee = np.einsum("pab,sbc,sac->sp", sig[:, :2, :2], d[:, k0, :2], cols[:, k0, :2].conj()).imag
    eq = equilibrium_part(J, V, D, n)
    return (-np.trapezoid(ee, grid, axis=0) / (2 * np.pi) + eq, -np.trapezoid(col, grid, axis=0) / (2 * np.pi) + eq)


def main(V, D, amps, ns, ramp=60.0):
    print(f"second order (a -> 0): {candidates(1e-3 * J0, V, D)[0] / 1e-6}")
    for a in amps:
        fs, log = candidates(a * J0, V, D)
        print(f"a = {a}: M_FS + M_eq = {fs / a**2}, M_log + M_eq = {log / a**2}", flush=True)
        if D:
            print(f"  M_eta = {eta_relaxed_term(a * J0, V, D) / a**2}", flush=True)
        b_ee, b_col = brouwer(a * J0, V, D)
        print(f"  M_B,ee = {b_ee / a**2}, M_B,col = {b_col / a**2}", flush=True)
        for n in ns:
            clock = time.perf_counter()
            model = uniform_band_junction(n, D, a * J0, gap_left=GAPS[0], gap_right=GAPS[1], bias=V, phi0=0.3)
            res = evolve(model, ramp_time=ramp, n_periods=3, samples_per_period=16, max_step=0.25)
            M = np.real(fit_harmonics(res.times, res.magnetization, 2 * V, 3).coefficients[0])
            print(f"  N = {n}: exact M = {M / a**2} ({time.perf_counter() - clock:.0f} s)", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 4:
        raise SystemExit(__doc__)
    main(
        float(args[0]),
        float(args[1]),
        [float(x) for x in args[2].split(",")],
        [int(x) for x in args[3].split(",") if x],
        float(args[4]) if len(args) > 4 else 60.0,
    )
