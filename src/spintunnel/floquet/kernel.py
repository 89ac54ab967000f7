"""Compiled per-energy kernels of one spin channel's sideband chain (numba, ``cache=True``).

Imported lazily by :mod:`.channels` (``import spintunnel`` stays free of numba).  One spin
channel (:mod:`.channels`) is a chain of *scalar* Nambu sub-sites::

    ... L(n)h - L(n)e - R(n+1)e - R(n+1)h - L(n+2)h - L(n+2)e ...

with the diagonal ``a = W z/s`` of the site's inverse Green's function, the pairing
``M_eh = M_he = -p``, ``p = W Delta/s`` (both divided by phi(z) for a finite band,
:func:`.lead_greens.band_factor`), the electron bond ``M_{L(n)e,R(n+1)e} = -ph t_e`` and the hole bond
``M_{R(n)h,L(n+1)h} = +ph t_h`` (lower elements: complex conjugates).  The source site sits at
sideband 0; a source ``L`` has L at even n, a source ``R`` has R at even n (docs/all_orders.md
Sec. 3).  Every function works on one energy at a time in scalar arithmetic; the Python
callers pass arrays of energies.
"""

from __future__ import annotations

import cmath
import math

import numpy as np
from numba import njit

_TINY = 1e-150
_PIVOT = 1e-290  # stands in for an exactly zero pivot (a = W z/s = 0 at w = 0 on a piece of
# the chain cut off by a zero bond); the limit of the LDU factors is exact


@njit(cache=True)
def _nz(m):
    return m if m != 0 else complex(_PIVOT, 0.0)


@njit(cache=True)
def _recip(m):
    """1/m; conj(m)/|m|^2 where that cannot over- or underflow (much cheaper than the
    general complex division)."""
    n = abs(m.real) + abs(m.imag)
    if 1e-140 < n < 1e140:
        q = 1.0 / (m.real * m.real + m.imag * m.imag)
        return complex(m.real * q, -m.imag * q)
    return 1.0 / _nz(m)


@njit(cache=True)
def _site(w, gap, broadening, band):
    """(a, p) of one lead site at energy w (W = 1): ``g^{-1} = a`` on e-e and h-h, pairing
    ``-p``; band <= 0 means wide band.  Same branches as :func:`.sidebands._site_scalars`."""
    if broadening == 0.0 and band <= 0.0 and gap > 0.0:
        # real axis, wide band: s = sqrt(gap^2 - w^2) in the gap, -i sign(w) sqrt(w^2 - gap^2)
        # outside it, so a = w/s and p = gap/s are real or imaginary (real arithmetic only)
        d = (gap - w) * (gap + w)
        if d > 0.0:
            r = math.sqrt(d)
            return complex(w / r, 0.0), complex(gap / r, 0.0)
        r = math.sqrt(-d)
        if r < _TINY:
            r = _TINY
        return complex(0.0, abs(w) / r), complex(0.0, math.copysign(gap, w) / r)
    z = complex(w, abs(broadening) + 0.0)
    if gap == 0.0:
        a = 1j
        p = 0j
        if band > 0.0:
            a = a / _band_factor(z, 0.0, band)
        return a, p
    s = -1j * cmath.sqrt(z - gap) * cmath.sqrt(z + gap)
    if abs(s) < _TINY:
        s = complex(_TINY, 0.0)
    if band > 0.0:
        s = s * _band_factor(z, gap, band)
    return z / s, gap / s


@njit(cache=True)
def _band_factor(z, gap, band):
    """phi(z) = (i/pi)[ln(q + D) - ln(q - D)] of :func:`.lead_greens.band_factor`."""
    q = cmath.sqrt(z - gap) * cmath.sqrt(z + gap)
    q = complex(q.real, abs(q.imag) + 0.0)
    qp = q + band
    qm = q - band
    if abs(qp) < _TINY:
        qp = complex(_TINY, 0.0)
    if abs(qm) < _TINY:
        qm = complex(-_TINY, 0.0)
    qp = complex(qp.real, abs(qp.imag) + 0.0)
    qm = complex(qm.real, abs(qm.imag) + 0.0)
    return (1j / math.pi) * (cmath.log(qp) - cmath.log(qm))


@njit(cache=True)
def _fill(E, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, A, B, C, left):
    """Diagonal A, upper B (j -> j+1) and lower C (j+1 -> j) of the 2K sub-sites; ``left[k]``
    marks the L sites."""
    K = n_lo + n_hi + 1
    for k in range(K):
        n = k - n_lo
        isl = (n % 2 == 0) == src_left
        left[k] = isl
        a, p = _site(E + n * V, gapL if isl else gapR, broadening, band)
        A[2 * k] = a
        A[2 * k + 1] = a
        B[2 * k] = -p
        C[2 * k] = -p
        if k < K - 1:
            if isl:  # L(n)e -> R(n+1)e
                B[2 * k + 1] = -ph * te
                C[2 * k + 1] = -ph.conjugate() * te
            else:  # R(n)h -> L(n+1)h
                B[2 * k + 1] = ph * th
                C[2 * k + 1] = ph.conjugate() * th


@njit(cache=True)
def _mm2(a, b):
    """Product of 2x2 matrices given as tuples (m00, m01, m10, m11)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3])


@njit(cache=True)
def _gamma(A, B, C, j):
    """``Gamma = D - D^dag`` of the site whose sub-sites are j, j+1 (tuple m00, m01, m10,
    m11)."""
    return (A[j] - A[j].conjugate(), B[j] - C[j].conjugate(), C[j] - B[j].conjugate(), A[j + 1] - A[j + 1].conjugate())


@njit(cache=True)
def _workspace(K):
    """Arrays of a chain of K sites (2K sub-sites): A, B, C, gl, gr, X (2K, 2), left (K)."""
    M2 = 2 * K
    return (
        np.empty(M2, np.complex128),
        np.zeros(M2, np.complex128),
        np.zeros(M2, np.complex128),
        np.empty(M2, np.complex128),
        np.empty(M2, np.complex128),
        np.empty((M2, 2), np.complex128),
        np.empty(K, np.bool_),
    )


@njit(cache=True)
def _column(A, B, C, S, M2, gl, gr, X):
    """Column of the source's two sub-sites S, S+1: X[j, c] = G^R_{j, S+c}."""
    for j in range(S):
        m = A[j]
        if j > 0:
            m = m - C[j - 1] * gl[j - 1] * B[j - 1]
        gl[j] = _recip(m)
    for j in range(M2 - 1, S + 1, -1):
        m = A[j]
        if j < M2 - 1:
            m = m - B[j] * gr[j + 1] * C[j]
        gr[j] = _recip(m)
    m00 = A[S]
    if S > 0:
        m00 = m00 - C[S - 1] * gl[S - 1] * B[S - 1]
    m11 = A[S + 1]
    if S + 1 < M2 - 1:
        m11 = m11 - B[S + 1] * gr[S + 2] * C[S + 1]
    m01 = B[S]
    m10 = C[S]
    det = _nz(m00 * m11 - m01 * m10)
    X[S, 0] = m11 / det
    X[S, 1] = -m01 / det
    X[S + 1, 0] = -m10 / det
    X[S + 1, 1] = m00 / det
    for j in range(S + 2, M2):
        f = -gr[j] * C[j - 1]
        X[j, 0] = f * X[j - 1, 0]
        X[j, 1] = f * X[j - 1, 1]
    for j in range(S - 1, -1, -1):
        f = -gl[j] * B[j]
        X[j, 0] = f * X[j + 1, 0]
        X[j, 1] = f * X[j + 1, 1]


@njit(cache=True)
def bond_sums(E, fw, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, nh, hole, out, trunc):
    """Per energy E[i]: ``out[i, nh + m] = t ph Sum_p G^<_{R(p+2m+1)e, L(p)e}`` (electron
    bonds, t = t_e) or, with ``hole``, ``-t ph Sum_p G^<_{L(p)h, R(p-2m-1)h}`` (hole bonds,
    t = t_h), m = -nh..nh, with ``G^< = G^R (fw Gamma_src) G^A`` of the source at sideband 0;
    ``trunc[i]``: weight |G|^2 on the two outermost sites at either end relative to the
    largest site weight (0 where the source is empty)."""
    K = n_lo + n_hi + 1
    M2 = 2 * K
    S = 2 * n_lo
    A, B, C, gl, gr, X, left = _workspace(K)
    Y = np.empty((M2, 2), np.complex128)
    nrm = np.empty(K)
    for i in range(E.size):
        _fill(E[i], src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, A, B, C, left)
        _column(A, B, C, S, M2, gl, gr, X)
        # Gamma = D_src - D_src^dag of the source's 2x2 block, times f - 1/2
        g00, g01, g10, g11 = _gamma(A, B, C, S)
        g00, g01, g10, g11 = g00 * fw[i], g01 * fw[i], g10 * fw[i], g11 * fw[i]
        # Y = X Gamma on the sub-sites whose G^R enters unconjugated: R(k)e (electron
        # bonds) or L(k)h (hole bonds); sub-site orders: L (h, e), R (e, h)
        for k in range(K):
            if left[k] == hole:
                j = 2 * k
                Y[j, 0] = X[j, 0] * g00 + X[j, 1] * g10
                Y[j, 1] = X[j, 0] * g01 + X[j, 1] * g11
        for m in range(-nh, nh + 1):
            acc = 0j
            for k in range(K):
                if not left[k]:
                    continue
                if hole:  # L(k)h with R(k - 2m - 1)h
                    kr = k - 2 * m - 1
                    if kr < 0 or kr >= K:
                        continue
                    jl = 2 * k
                    jr = 2 * kr + 1
                    acc -= Y[jl, 0] * X[jr, 0].conjugate() + Y[jl, 1] * X[jr, 1].conjugate()
                else:  # R(k + 2m + 1)e with L(k)e
                    kr = k + 2 * m + 1
                    if kr < 0 or kr >= K:
                        continue
                    jl = 2 * k + 1
                    jr = 2 * kr
                    acc += Y[jr, 0] * X[jl, 0].conjugate() + Y[jr, 1] * X[jl, 1].conjugate()
            out[i, nh + m] = acc * ph * (th if hole else te)
        big = 0.0
        for k in range(K):
            v = 0.0
            for j in range(2 * k, 2 * k + 2):
                for c in range(2):
                    v += X[j, c].real ** 2 + X[j, c].imag ** 2
            nrm[k] = v
            big = max(big, v)
        ends = max(max(nrm[0], nrm[1]), max(nrm[K - 1], nrm[K - 2])) if K > 1 else 0.0
        src = max(max(abs(g00), abs(g11)), max(abs(g01), abs(g10)))
        trunc[i] = ends / big if (src > 1e-12 and big > 0.0) else 0.0


@njit(cache=True)
def sturm_count(E, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, band, open_edge):
    """Number of negative eigenvalues of the closed part of the chain at real energy E.

    Closed sites have no continuum at their energy (|w| < Delta, or beyond the band edge
    ``open_edge`` for a finite band); there ``a``, ``p`` are real and the chain restricted to
    them (bonds to open sites cut) is Hermitian.  Its eigenvalues increase with E
    (d g^{-1}/dw is positive definite where g is real), so the count falls by one at every
    energy where a closed-segment eigenvalue crosses zero.  Counted by the signs of the
    LDL^T pivots (Sylvester's law of inertia)."""
    K = n_lo + n_hi + 1
    count = 0
    prev = 0.0  # previous pivot; 0.0 = no closed neighbour before
    prev_bond2 = 0.0
    for k in range(K):
        n = k - n_lo
        isl = (n % 2 == 0) == src_left
        gap = gapL if isl else gapR
        w = E + n * V
        closed = abs(w) < gap or (band > 0.0 and abs(w) > open_edge[0 if isl else 1])
        if closed:
            a, p = _site(w, gap, 0.0, band)
            ar = a.real
            pr = p.real
            d = ar if prev == 0.0 else ar - prev_bond2 / prev
            if d == 0.0:
                d = -1e-300
            if d < 0.0:
                count += 1
            d2 = ar - pr * pr / d
            if d2 == 0.0:
                d2 = -1e-300
            if d2 < 0.0:
                count += 1
            prev = d2
            t = te if isl else th
            prev_bond2 = t * t
        else:
            prev = 0.0
    return count


@njit(cache=True)
def inverse_diagonal(E, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, out):
    """``out[j] = 1 / G^R_{jj}(E)`` for every sub-site j of the chain (left and right
    continued fractions): near a resonance z_r it is ~ alpha (E - z_r) at the sub-sites the
    resonance lives on."""
    K = n_lo + n_hi + 1
    M2 = 2 * K
    A, B, C, sl, sr, _, left = _workspace(K)
    sl[0] = 0
    sr[M2 - 1] = 0
    _fill(E, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, A, B, C, left)
    for j in range(1, M2):
        sl[j] = C[j - 1] * B[j - 1] / _nz(A[j - 1] - sl[j - 1])
    for j in range(M2 - 2, -1, -1):
        sr[j] = B[j] * C[j] / _nz(A[j + 1] - sr[j + 1])
    for j in range(M2):
        out[j] = A[j] - sl[j] - sr[j]


@njit(cache=True)
def crossings(edges, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, band, open_edge, rel):
    """Energies where an eigenvalue of the closed part of the chain crosses zero, inside the
    panels between consecutive ``edges`` (the sites' open/closed status is fixed on each
    panel): Sturm counts at the panel ends, then bisection to ``rel`` relative width."""
    found = []
    for i in range(edges.size - 1):
        a = edges[i]
        b = edges[i + 1]
        if b <= a:
            continue
        eps = 1e-12 * (b - a)
        lo = a + eps
        hi = b - eps
        clo = sturm_count(lo, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, band, open_edge)
        chi = sturm_count(hi, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, band, open_edge)
        if clo == chi:
            continue
        stack = [(lo, hi, clo, chi)]
        while len(stack) > 0:
            lo, hi, clo, chi = stack.pop()
            if clo == chi:
                continue
            if hi - lo <= rel * max(1.0, abs(lo)):
                found.append(0.5 * (lo + hi))
                continue
            mid = 0.5 * (lo + hi)
            cm = sturm_count(mid, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, band, open_edge)
            stack.append((lo, mid, clo, cm))
            stack.append((mid, hi, cm, chi))
    out = np.empty(len(found))
    for i in range(len(found)):
        out[i] = found[i]
    return out


@njit(cache=True)
def pole(Ec, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band):
    """Resonance z_r = x - i gamma of the full chain next to the closed-chain crossing Ec:
    secant iteration on 1/G^R_jj(E) ~ alpha (E - z_r) at the sub-site j where it is
    smallest.  Returns (x, gamma, ok)."""
    M2 = 2 * (n_lo + n_hi + 1)
    F = np.empty(M2, np.complex128)
    inverse_diagonal(Ec, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, F)
    j = 0
    for i in range(M2):
        if abs(F[i]) < abs(F[j]):
            j = i
    x = Ec
    zr = complex(Ec, 0.0)
    for _ in range(8):
        h = 1e-7 * max(1.0, abs(x))
        inverse_diagonal(x, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, F)
        f1 = F[j]
        inverse_diagonal(x + h, src_left, n_lo, n_hi, V, gapL, gapR, te, th, ph, broadening, band, F)
        f2 = F[j]
        alpha = (f2 - f1) / h
        if alpha == 0:
            return Ec, 0.0, False
        znew = x - f1 / alpha
        done = abs(znew - zr) <= 1e-6 * abs(znew.imag) + 1e-15 * max(1.0, abs(x))
        zr = znew
        x = zr.real
        if done:
            return x, -zr.imag, -zr.imag > 0
    return Ec, 0.0, False


@njit(cache=True)
def observed_t_matrix(E, dyn, src_left, n, V, gapL, gapR, te, th, ph, band, out):
    """T-matrix ``X = D0 G00 D0 - D0`` (2x2, the observed site's sub-sites in chain order)
    of the site at sideband 0 of a chain with n sidebands on either side, at the complex
    energies E[i] + i dyn[i] (:mod:`.magnetization`, equilibrium part)."""
    M2 = 2 * (2 * n + 1)
    S = 2 * n
    A, B, C, gl, gr, X, left = _workspace(2 * n + 1)
    for i in range(E.size):
        _fill(E[i], src_left, n, n, V, gapL, gapR, te, th, ph, dyn[i], band, A, B, C, left)
        _column(A, B, C, S, M2, gl, gr, X)
        d = (A[S], B[S], C[S], A[S + 1])
        t = _mm2(_mm2(d, (X[S, 0], X[S, 1], X[S + 1, 0], X[S + 1, 1])), d)
        for q in range(4):  # D0 G D0 - D0
            out[i, q // 2, q % 2] = t[q] - d[q]


@njit(cache=True)
def source_terms(E, src_left, n, V, gapL, gapR, te, th, ph, band, weight, inject, keep_out, inject_out):
    """``Y = Sum_s weight[i, s] V_s Gamma_s V_s^dag`` over the sites s of the chain (sideband
    k = s - n), split into the sources with ``inject[s]`` and the others (2x2 each, the
    observed site's sub-sites in chain order); ``V_s = D0 G_{0,s} - delta_{0s}``,
    ``Gamma_s = D_s - D_s^dag`` (:mod:`.magnetization`, non-equilibrium part).  The row
    G_{0,s} is the column of the transposed chain (upper and lower bonds exchanged)."""
    K = 2 * n + 1
    M2 = 2 * K
    S = 2 * n
    A, B, C, gl, gr, X, left = _workspace(K)
    for i in range(E.size):
        _fill(E[i], src_left, n, n, V, gapL, gapR, te, th, ph, 0.0, band, A, B, C, left)
        _column(A, C, B, S, M2, gl, gr, X)  # X[j, r] = G_{S+r, j}
        d = (A[S], B[S], C[S], A[S + 1])
        for q in range(2):
            for r in range(2):
                keep_out[i, q, r] = 0
                inject_out[i, q, r] = 0
        for k in range(K):
            w = weight[i, k]
            if w == 0:
                continue
            j = 2 * k
            # V = D0 G_{0,k} - delta (rows: observed sub-sites, columns: k's sub-sites)
            v = _mm2(d, (X[j, 0], X[j + 1, 0], X[j, 1], X[j + 1, 1]))
            if k == n:
                v = (v[0] - 1.0, v[1], v[2], v[3] - 1.0)
            y = _mm2(
                _mm2(v, _gamma(A, B, C, j)), (v[0].conjugate(), v[2].conjugate(), v[1].conjugate(), v[3].conjugate())
            )
            target = inject_out if inject[k] else keep_out
            for q in range(4):
                target[i, q // 2, q % 2] += w * y[q]


def warm_up():
    """Call every kernel once on a tiny chain, so that numba compiles them into its cache
    (``__pycache__`` next to this file) now rather than at the first solver call; a later
    process then only loads them.  About 5 s on one core; meant for an install step."""
    E = np.array([-0.5, 0.3])
    X = np.empty((2, 2, 2), np.complex128)
    bond_sums(
        E,
        np.array([0.5, -0.5]),
        True,
        2,
        2,
        0.5,
        1.0,
        1.0,
        0.3,
        0.2,
        1 + 0j,
        0.0,
        0.0,
        1,
        False,
        np.empty((2, 3), np.complex128),
        np.empty(2),
    )
    crossings(
        np.array([-1.0, 0.0]), True, 2, 2, 0.5, 1.0, 1.0, 0.3, 0.2, 1 + 0j, 0.0, np.array([np.inf, np.inf]), 1e-14
    )
    pole(-0.5, True, 2, 2, 0.5, 1.0, 1.0, 0.3, 0.2, 1 + 0j, 0.0, 0.0)
    observed_t_matrix(np.zeros(2), np.array([0.1, 0.2]), True, 2, 0.5, 1.0, 1.0, 0.3, 0.2, 1 + 0j, 0.0, X)
    source_terms(E, True, 2, 0.5, 1.0, 1.0, 0.3, 0.2, 1 + 0j, 0.0, np.ones((2, 5)), np.zeros(5, np.bool_), X, X.copy())
