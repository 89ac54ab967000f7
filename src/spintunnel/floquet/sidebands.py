"""Floquet sideband algebra: the chain of sidebands and its linear (Dyson) solve.

Gauge of (S8)-(S10): the leads sit at their own chemical potential and the tunnelling term
carries the phase, ``H_T(t) = c_L^dag J c_R e^{i(phi0/2 + eV t)} + h.c.``.  In the Nambu-spin
basis of :mod:`.lead_greens` (doubled, ``H_T = (1/2) Psi^dag T Psi``) the L->R hopping block is::

    T_LR(t) = T_+ e^{+i eV t} + T_- e^{-i eV t},
    T_+ = e^{+i phi0/2} [[J, 0], [0, 0]],   T_- = e^{-i phi0/2} [[0, 0], [0, -J^*]].

With ``G(t,t') = sum_n int dw/2pi e^{-i(w + n eV)t} e^{i w t'} G_{n0}(w)`` a site at sideband
``n`` (energy ``w_n = w + n eV``) of lead L couples to R at ``n+1`` through ``T_+`` (electrons)
and to R at ``n-1`` through ``T_-`` (holes).  Hence the sidebands split into two decoupled
classes; the class that contains a source at sideband 0 is a *chain*::

    L-source:  ... R(-1) - L(0) - R(1) - L(2) ...   (L at even n, R at odd n)
    R-source:  ... L(-1) - R(0) - L(1) - R(2) ...   (R at even n, L at odd n)

and the retarded Dyson equation ``(g^{-1} - T) G = 1`` is block tridiagonal with 4x4 blocks::

    M_{n,n}   = [g^R_{lead(n)}(w_n)]^{-1}
    M_{n,n+1} = -T_+          if site n is in L,     -T_-^dag   if site n is in R,
    M_{n+1,n} = (M_{n,n+1})^dag.

:func:`chain_column` solves ``M X = e_src`` (one column of G^R) by the left/right
continued fractions (recursive Green's functions), cost linear in the number of sidebands.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..spin import EPSILON
from .lead_greens import band_factor, inverse_local_gf

__all__ = ["hopping_blocks", "chain_matrices", "chain_column", "source_column", "dense_chain_matrix"]


def hopping_blocks(J: np.ndarray, phi0: float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(T_+, T_-)`` (4x4 each) of the L->R hopping, see module docstring."""
    Tp = np.zeros((4, 4), dtype=complex)
    Tm = np.zeros((4, 4), dtype=complex)
    Tp[:2, :2] = np.exp(0.5j * phi0) * J
    Tm[2:, 2:] = -np.exp(-0.5j * phi0) * np.conj(J)
    return Tp, Tm


def _sideband_range(nmax) -> tuple[int, int]:
    """``(n_lo, n_hi)`` from ``nmax``: an int for ``(nmax, nmax)``, or the pair itself."""
    n_lo, n_hi = (nmax, nmax) if isinstance(nmax, int | np.integer) else nmax
    return int(n_lo), int(n_hi)


def chain_matrices(
    E,
    source: str,
    nmax,
    bias: float,
    gaps: tuple[float, float],
    J: np.ndarray,
    phi0: float,
    broadening: float = 0.0,
    band=None,
):
    """Blocks of the sideband chain of a source at sideband 0 and energy ``E``.

    Parameters
    ----------
    E : ndarray (nE,)
        Energy of the source site (in its own lead's frame).
    source : {"L", "R"}
    nmax : int or (int, int)
        Sidebands kept below and above the source: n = -n_lo..n_hi with
        ``(n_lo, n_hi) = nmax`` (or ``(nmax, nmax)`` for an int); the source sits at
        array index n_lo.
    bias : float
        eV.
    gaps : (Delta_L, Delta_R)
    J : (2, 2) complex
        Tunnelling amplitude in units of W.
    phi0 : float
    broadening : float
    band : float, optional
        Half-bandwidth D of both leads (None: wide band), see :func:`.lead_greens.band_factor`.

    Returns
    -------
    D : (nE, K, 4, 4)   diagonal blocks (inverse lead Green's functions), K = n_lo + n_hi + 1
    U : (K-1, 4, 4)     upper blocks M_{n,n+1} (energy independent)
    is_left : (K,) bool lead of each site
    """
    E = np.asarray(E, dtype=float)
    n_lo, n_hi = _sideband_range(nmax)
    n = np.arange(-n_lo, n_hi + 1)
    is_left = (n % 2 == 0) if source == "L" else (n % 2 != 0)
    Tp, Tm = hopping_blocks(J, phi0)
    K = n.size
    D = np.empty(E.shape + (K, 4, 4), dtype=complex)
    w = E[..., None] + n * bias
    DL, DR, eta = gaps[0], gaps[1], broadening
    if is_left.any():
        D[..., is_left, :, :] = inverse_local_gf(w[..., is_left], DL, eta, band=band)
    if (~is_left).any():
        D[..., ~is_left, :, :] = inverse_local_gf(w[..., ~is_left], DR, eta, band=band)
    U = np.where(is_left[:-1, None, None], -Tp, -Tm.conj().T)
    return D, U, is_left


def dense_chain_matrix(D: np.ndarray, U: np.ndarray) -> np.ndarray:
    """The whole block-tridiagonal chain at one energy as a dense (4K, 4K) matrix.

    ``D`` (K, 4, 4) diagonal blocks and ``U`` (K-1, 4, 4) upper blocks (lower = U^dag) of
    :func:`chain_matrices` at one energy (energy units, W).  Its inverse is the reference the recursions of
    :func:`chain_column` and :func:`source_column` are checked against (tests, benchmarks).
    """
    K = D.shape[0]
    M = np.zeros((4 * K, 4 * K), complex)
    for k in range(K):
        M[4 * k : 4 * k + 4, 4 * k : 4 * k + 4] = D[k]
    for k in range(K - 1):
        M[4 * k : 4 * k + 4, 4 * k + 4 : 4 * k + 8] = U[k]
        M[4 * k + 4 : 4 * k + 8, 4 * k : 4 * k + 4] = U[k].conj().T
    return M


def _inv(a):
    return np.linalg.inv(a)


def chain_column(D: np.ndarray, U: np.ndarray, src: int) -> np.ndarray:
    """Column ``src`` of ``M^{-1}`` for the block-tridiagonal ``M`` (diag D, upper U).

    Parameters
    ----------
    D : (nE, K, 4, 4)
    U : (K-1, 4, 4)  upper blocks; lower blocks are U^dag.
    src : int        index of the source site (0 <= src < K).

    Returns
    -------
    X : (nE, K, 4, 4) with ``X[:, k] = G^R_{k, src}``.
    """
    K = D.shape[1]
    Ud = np.conj(np.swapaxes(U, -1, -2))  # lower blocks M_{k+1,k}
    # left-connected g_k for k < src:  gl_k = (D_k - M_{k,k-1} gl_{k-1} M_{k-1,k})^{-1}
    gl: list[Any] = [None] * K
    acc = None
    for k in range(0, src):
        a = D[:, k]
        if acc is not None:
            a = a - Ud[k - 1] @ acc @ U[k - 1]
        acc = _inv(a)
        gl[k] = acc
    gr: list[Any] = [None] * K
    acc = None
    for k in range(K - 1, src, -1):
        a = D[:, k]
        if acc is not None:
            a = a - U[k] @ acc @ Ud[k]
        acc = _inv(a)
        gr[k] = acc
    a = D[:, src].copy()
    if src > 0:
        a = a - Ud[src - 1] @ gl[src - 1] @ U[src - 1]
    if src < K - 1:
        a = a - U[src] @ gr[src + 1] @ Ud[src]
    X = np.empty_like(D)
    X[:, src] = _inv(a)
    for k in range(src + 1, K):  # X_k = -gr_k M_{k,k-1} X_{k-1}
        X[:, k] = -gr[k] @ (Ud[k - 1] @ X[:, k - 1])
    for k in range(src - 1, -1, -1):  # X_k = -gl_k M_{k,k+1} X_{k+1}
        X[:, k] = -gl[k] @ (U[k] @ X[:, k + 1])
    return X


# ----------------------------------------------------------------------------- fast 2x2 form
# The blocks of the chain are sparse: the diagonal block of a site is W/s (z - Dt) with
# z * 1 on the e-e and h-h 2x2 blocks and the pairing only between e and h; the hopping
# couples only L(n)e - R(n+1)e (-e^{i phi0/2} J) and R(n)h - L(n+1)h (+e^{i phi0/2} J^T).
# Ordering the 2x2 sub-sites as  ... L(n)h, L(n)e, R(n+1)e, R(n+1)h, L(n+2)h, L(n+2)e ...
# makes the chain block tridiagonal with 2x2 blocks and *scalar* diagonal blocks.  Arrays
# below keep the energy axis last, (rows, cols, nE), so that every 2x2 product is a few
# vectorised elementwise operations.


def _mm(A, B):
    """Batched product with the energy axis last: (p,q,n) x (q,r,n) -> (p,r,n)."""
    return (A[:, :, None, :] * B[None, :, :, :]).sum(axis=1)


def _inv2(A):
    det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
    out = np.empty_like(A)
    out[0, 0] = A[1, 1] / det
    out[1, 1] = A[0, 0] / det
    out[0, 1] = -A[0, 1] / det
    out[1, 0] = -A[1, 0] / det
    return out


def _site_scalars(w, gap, broadening, W=1.0, band=None):
    """(a, p) with g^{-1} = a * 1 (on e-e and h-h) and pairing blocks D_eh = -p i sigma_y,
    D_he = +p i sigma_y; a = W z / s, p = W Delta / s (wide band), both divided by
    phi(z) of :func:`.lead_greens.band_factor` for a finite half-bandwidth ``band``."""
    if gap == 0.0:
        a = np.full(w.shape, 1j * W)
        if band is not None:
            a = a / band_factor(w + 1j * broadening, 0.0, band)
        return a, np.zeros(w.shape, complex)
    z = w + 1j * broadening
    z = z.real + 1j * (np.abs(z.imag) + 0.0)
    s = -1j * np.sqrt(z - gap) * np.sqrt(z + gap)
    # exactly at a gap edge (measure zero; quadrature nodes avoid it) keep products finite
    s = np.where(np.abs(s) < 1e-150, 1e-150, s)
    if band is not None:
        s = s * band_factor(z, gap, band)
    return W * z / s, W * gap / s


def source_column(
    E, source: str, nmax, bias: float, gaps, J, phi0: float, broadening: float = 0.0, hole_rows: bool = False, band=None
):
    """Electron rows of the column ``G^R_{k, src}`` of a source at sideband 0, and the
    source's ``Gamma = (g^R)^{-1} - (g^A)^{-1}``, by the 2x2 sub-site recursion.

    Same chain as :func:`chain_matrices` / :func:`chain_column` (which it reproduces), but
    with 2x2 blocks, energies along the last axis.  ``band``: half-bandwidth of both
    leads (None: wide band).

    Returns
    -------
    Xe : (K, 2, 4, nE)  electron rows of G_{k,src}, k = lead sites n = -n_lo..n_hi; the
                        four columns are the source's sub-sites (h, e for L; e, h for R).
    Gam : (4, 4, nE)    Gamma of the source in the same column basis.
    is_left : (K,) bool
    norms : (K, nE)     |G_{k,src}|_F^2 (electron and hole rows), for the truncation test.
    Xh : (K, 2, 4, nE)  hole rows, only with ``hole_rows=True`` (for the Nambu check).
    """
    E = np.asarray(E, dtype=float)
    nE = E.size
    n_lo, n_hi = _sideband_range(nmax)
    n = np.arange(-n_lo, n_hi + 1)
    K = n.size
    is_left = (n % 2 == 0) if source == "L" else (n % 2 != 0)
    w = E[None, :] + n[:, None] * bias  # (K, nE)
    a = np.empty((K, nE), complex)
    p = np.empty((K, nE), complex)
    for left, gap in ((True, gaps[0]), (False, gaps[1])):
        sel = is_left == left
        if sel.any():
            a[sel], p[sel] = _site_scalars(w[sel], gap, broadening, band=band)
    ph = np.exp(0.5j * phi0)
    Hl = (-ph * np.asarray(J, complex))[:, :, None]  # L(n)e -> R(n+1)e
    Hr = (ph * np.asarray(J, complex).T)[:, :, None]  # R(n)h -> L(n+1)h
    eye = np.eye(2)[:, :, None]
    isy = EPSILON[:, :, None]  # i sigma_y
    # sub-site j = 2k + (0|1); blocks: A_j = a_k 1; upper B_j = M_{j,j+1}; lower C_j = M_{j+1,j}
    M2 = 2 * K
    A: list[Any] = [None] * M2
    B: list[Any] = [None] * (M2 - 1)
    C: list[Any] = [None] * (M2 - 1)
    for k in range(K):
        A[2 * k] = A[2 * k + 1] = a[k][None, None, :] * eye
        pk = p[k][None, None, :]
        if is_left[k]:  # order (h, e): M_{h,e} = D_he = +p isy, M_{e,h} = D_eh = -p isy
            B[2 * k], C[2 * k] = pk * isy, -pk * isy
        else:  # order (e, h)
            B[2 * k], C[2 * k] = -pk * isy, pk * isy
        if k < K - 1:
            H = Hl if is_left[k] else Hr
            B[2 * k + 1] = H
            C[2 * k + 1] = np.conj(np.swapaxes(H, 0, 1))
    S = 2 * n_lo
    gl: list[Any] = [None] * M2
    acc = None
    for j in range(S):
        m = A[j] if acc is None else A[j] - _mm(_mm(C[j - 1], acc), B[j - 1])
        acc = _inv2(m)
        gl[j] = acc
    gr: list[Any] = [None] * M2
    acc = None
    for j in range(M2 - 1, S + 1, -1):
        m = A[j] if acc is None else A[j] - _mm(_mm(B[j], acc), C[j])
        acc = _inv2(m)
        gr[j] = acc
    # the source site as one 4x4 block
    m00 = A[S] if S == 0 else A[S] - _mm(_mm(C[S - 1], gl[S - 1]), B[S - 1])
    m11 = A[S + 1] if S + 1 == M2 - 1 else A[S + 1] - _mm(_mm(B[S + 1], gr[S + 2]), C[S + 1])
    Ms = np.empty((4, 4, nE), complex)
    Ms[:2, :2], Ms[:2, 2:], Ms[2:, :2], Ms[2:, 2:] = m00, B[S], C[S], m11
    Gs = np.moveaxis(np.linalg.inv(np.moveaxis(Ms, -1, 0)), 0, -1)  # (4, 4, nE)
    Dsrc = np.empty((4, 4, nE), complex)
    Dsrc[:2, :2], Dsrc[:2, 2:], Dsrc[2:, :2], Dsrc[2:, 2:] = A[S], B[S], C[S], A[S + 1]
    Gam = Dsrc - np.conj(np.swapaxes(Dsrc, 0, 1))
    X: list[Any] = [None] * M2
    X[S], X[S + 1] = Gs[:2], Gs[2:]
    for j in range(S + 2, M2):
        X[j] = -_mm(gr[j], _mm(C[j - 1], X[j - 1]))
    for j in range(S - 1, -1, -1):
        X[j] = -_mm(gl[j], _mm(B[j], X[j + 1]))
    Xall = np.stack(X)  # (2K, 2, 4, nE)
    e_sub = np.where(is_left, 2 * np.arange(K) + 1, 2 * np.arange(K))
    Xe = Xall[e_sub]
    norms = (np.abs(Xall) ** 2).sum(axis=(1, 2)).reshape(K, 2, nE).sum(axis=1)
    if hole_rows:
        return Xe, Gam, is_left, norms, Xall[np.where(is_left, 2 * np.arange(K), 2 * np.arange(K) + 1)]
    return Xe, Gam, is_left, norms
