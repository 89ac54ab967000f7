"""Fast evaluation of K_dc and K_ac for constant densities of states (infinite band).

Derivation (docs/kernels.md).  For a constant DOS every term odd in xi_k or xi_p integrates
to zero, so with v = eV the printed kernels (Eq. 7/S39 and S23) become

    K_dc = v Delta_L^2/4 int int E_k^-3 [ (f_p - f_k)/D_- + (1 - f_k - f_p)/D_+ ]
    K_ac = v Delta_L Delta_R/4 int int [E_k E_p (E_k^2 - v^2)]^-1
               [ (2E_k - E_p)(f_p - f_k)/D_- - (2E_k + E_p)(1 - f_k - f_p)/D_+ ]

with D_+- = (E_k +- E_p)^2 - v^2; both are odd in v.  Splitting the occupation factors into
a temperature-independent part and parts with a single Fermi factor, and integrating in
closed form over the variable that carries no Fermi factor (``closed_forms``), leaves one
dimensional integrals (x2 for the two signs of xi):

    dc, T = 0 part : (Delta_L^2/8) int dxi_k E_k^-3 [L_R(v - E_k) - L_R(-v - E_k)]
    dc, f_k part   : -(Delta_L^2/4) int dxi_k f_k E_k^-3 [Q_R(E_k + v) - Q_R(E_k - v)]
    dc, f_p part   : v Delta_L^2 int dxi_p f_p E_p [0, (E_p+v)^2, (E_p-v)^2] P_L
    ac, T = 0 part : -(Delta_L Delta_R/8) int dxi_k E_k^-1 [F_R(v-E_k)/(E_k-v) - F_R(-v-E_k)/(E_k+v)]
    ac, f_k part   : (Delta_L Delta_R/4) int dxi_k f_k E_k^-1 [P_R((E_k-v)^2)/(E_k-v) - P_R((E_k+v)^2)/(E_k+v)]
    ac, f_p part   : v Delta_L Delta_R int dxi_p f_p E_p^-1 [(E_p+v)^2, (E_p-v)^2] P_L

(In the ac f_p part the factor 1/(E_k^2 - v^2) cancels exactly.)  The outer integrals are done
in u (xi = Delta sinh u) by panel quadrature with breakpoints at every point where an inner
pole reaches a gap edge and a folded PV panel at the outer pole E_k = |v|.
"""

from __future__ import annotations

import numpy as np

from ..leads import fermi as _fermi
from . import closed_forms as cf
from .quadrature import integrate_panels

__all__ = ["dc_terms", "ac_terms"]

_FERMI_CUT = 45.0  # f(E) < 3e-20 beyond E = gap + 45 T


def _to_var(E, gap):
    """Outer integration variable: w = tanh(u/2) = sqrt((E - gap)/(E + gap)) in [0, 1)
    for gap > 0 (xi = gap sinh u; smooth at the gap edge, compact tail), E itself for gap = 0."""
    if gap > 0:
        E = np.maximum(E, gap)
        return np.sqrt((E - gap) / (E + gap))
    return np.maximum(E, 0.0)


def _energy(x, gap):
    return gap * (1.0 + x * x) / ((1.0 - x) * (1.0 + x)) if gap > 0 else x


def _jacobian(x, gap):
    """|d xi / d x| (for both signs of xi the caller multiplies by 2)."""
    if gap > 0:
        return 2.0 * gap * (1.0 + x * x) / ((1.0 - x) * (1.0 + x)) ** 2
    return np.ones_like(x)


def _panels(gap, singular_E, pole_E, E_max):
    """Panels in the outer variable for each row.

    singular_E : (n, m) energies of one-sided singularities (NaN or out of range: ignored)
    pole_E : (n,) energy of a simple pole (NaN: none)
    E_max : (n,) upper end of the energy range (np.inf allowed only for gap > 0)
    """
    n = singular_E.shape[0]
    inside = (singular_E > gap) & (singular_E < E_max[:, None])
    xs = np.where(inside, _to_var(np.where(inside, singular_E, gap), gap), np.nan)
    if pole_E is None:
        pole_E = np.full(n, np.nan)
    has_pole = (pole_E > gap) & (pole_E < E_max)
    xp = np.where(has_pole, _to_var(np.where(has_pole, pole_E, gap), gap), np.nan)
    pts = np.concatenate([xs, xp[:, None]], axis=1)
    if gap > 0:
        bottom = np.zeros(n)
        top = np.where(np.isfinite(E_max), _to_var(np.where(np.isfinite(E_max), E_max, gap), gap), 1.0)
    else:
        bottom = np.zeros(n)
        top = E_max.astype(float)
    pts = np.where(np.isnan(pts), top[:, None], pts)
    pts.sort(axis=1)
    edges = np.concatenate([bottom[:, None], pts, top[:, None]], axis=1)
    lo = edges[:, :-1].copy()
    hi = edges[:, 1:].copy()
    k = np.argmax(edges == np.where(has_pole, xp, np.inf)[:, None], axis=1)
    left = np.take_along_axis(edges, np.maximum(k - 1, 0)[:, None], axis=1)[:, 0]
    right = np.take_along_axis(edges, np.minimum(k + 1, edges.shape[1] - 1)[:, None], axis=1)[:, 0]
    xp0 = np.where(has_pole, xp, 0.0)
    half = np.where(has_pole, np.minimum(xp0 - left, right - xp0), 0.0)
    lo = np.where(has_pole[:, None] & (lo == xp0[:, None]), lo + half[:, None], lo)
    hi = np.where(has_pole[:, None] & (hi == xp0[:, None]), hi - half[:, None], hi)
    # move empty panels to the right in each row, then drop columns empty in every row
    order = np.argsort(hi <= lo, axis=1, kind="stable")
    lo = np.take_along_axis(lo, order, axis=1)
    hi = np.take_along_axis(hi, order, axis=1)
    used = np.any(hi > lo, axis=0)
    return lo[:, used], hi[:, used], xp0[:, None], half[:, None]


def _integrate(func, gap, singular_E, pole_E, E_max, step, V):
    """Integrate ``func(x, V, lo, hi, dlo, dhi)`` over the panels of every row.

    Rows with the same number of non-empty panels (and fold or not) are evaluated together,
    so that a sweep does not pay for the panels of its most complicated bias everywhere.
    """
    if np.all(np.isfinite(E_max)):  # Fermi-weighted term: resolve the thermal tail
        T = (E_max - gap) / _FERMI_CUT
        thermal = gap + T[:, None] * np.array([2.0, 8.0])
        singular_E = np.concatenate([singular_E, thermal], axis=1)
    lo, hi, c, h = _panels(gap, singular_E, pole_E, E_max)
    # exact fold ends: the neighbouring panel edges
    fold_lo = np.max(np.where(hi <= c, hi, -np.inf), axis=1, keepdims=True)
    fold_hi = np.min(np.where(lo >= c, lo, np.inf), axis=1, keepdims=True)
    fold_lo = np.where(np.isfinite(fold_lo), fold_lo, c - h)
    fold_hi = np.where(np.isfinite(fold_hi), fold_hi, c + h)
    count = (hi > lo).sum(axis=1)
    folded = h[:, 0] > 0
    key = 2 * count + folded
    value = np.zeros(lo.shape[0])
    error = np.zeros(lo.shape[0])
    for k in np.unique(key):
        rows = key == k
        ncol, fold = int(k) // 2, bool(k % 2)
        Vr = V[rows]
        f = lambda x, *aux, Vr=Vr: func(x, Vr, *aux)
        args = (f, lo[rows, :ncol], hi[rows, :ncol])
        if fold:
            val, err = integrate_panels(
                *args, c[rows], h[rows], step=step, offsets=True, fold_lo=fold_lo[rows], fold_hi=fold_hi[rows]
            )
        else:
            val, err = integrate_panels(*args, step=step, offsets=True)
        value[rows] = val
        error[rows] = err
    return value, error


def _distance(E, c, gap, x, lo, hi, dlo, dhi):
    """E(x) - c, free of rounding loss when c is an end of the node's panel.

    Next to a breakpoint the plain difference E - c loses sqrt(eps) of an inverse-square-root
    singularity's weight; there the difference is taken from the exact offset of the node.
    """
    inside = c > gap
    plain = (2.0 * gap * x * x / ((1.0 - x) * (1.0 + x)) + (gap - c)) if gap > 0 else E - c
    if not np.any(inside):
        return plain
    xc = _to_var(c, gap)
    if gap > 0:
        d_lo = 2.0 * gap * dlo * (x + lo) / (((1.0 - x) * (1.0 + x)) * ((1.0 - lo) * (1.0 + lo)))
        d_hi = -2.0 * gap * dhi * (x + hi) / (((1.0 - x) * (1.0 + x)) * ((1.0 - hi) * (1.0 + hi)))
    else:
        d_lo, d_hi = dlo, -dhi
    # elsewhere: (E - gap) + (gap - c), with E - gap = 2 gap w^2/(1 - w^2) exact near the edge
    return np.where(inside & (lo == xc), d_lo, np.where(inside & (hi == xc), d_hi, plain))


def dc_terms(v, T, gL, gR, step):
    """K_dc for v > 0 (array), constant DOS: returns (value, error) arrays."""
    n = v.shape[0]
    V = v[:, None, None]
    inf = np.full(n, np.inf)

    def t0(x, V, *aux):
        Ek = _energy(x, gL)
        if gR > 0:
            # singular where v - E_k = gap_R, i.e. E_k = v - gap_R
            g_minus_z = _distance(Ek, V - gR, gL, x, *aux)
            first = cf.L(V - Ek, gR, g_minus_z)
        else:
            first = cf.L(V - Ek, 0.0, -_distance(Ek, V, gL, x, *aux))
        return 0.25 * gL**2 * _jacobian(x, gL) / Ek**3 * (first - cf.L(-V - Ek, gR))

    sing0 = (v - gR)[:, None] if gR > 0 else v[:, None]
    val, err = _integrate(t0, gL, sing0, None, inf, step, V)
    if T == 0.0:
        return val, err
    if gR > 0:

        def tk(x, V, *aux):
            Ek = _energy(x, gL)
            # Q(E_k + v): gap_R - s = (gap_R - v) - E_k; Q(E_k - v): gap_R - s = (v + gap_R) - E_k,
            # gap_R + s = E_k - (v - gap_R)
            d_plus = -_distance(Ek, gR - V, gL, x, *aux) * (gR + Ek + V)
            d_minus = -_distance(Ek, V + gR, gL, x, *aux) * _distance(Ek, V - gR, gL, x, *aux)
            return (
                -0.5
                * gL**2
                * _jacobian(x, gL)
                / Ek**3
                * _fermi(Ek, T)
                * (cf.Q(Ek + V, gR, d_plus) - cf.Q(Ek - V, gR, d_minus))
            )

        singk = np.stack([gR - v, v - gR, v + gR], axis=1)
        vk, ek = _integrate(tk, gL, singk, None, np.full(n, gL + _FERMI_CUT * T), step, V)
        val, err = val + vk, err + ek

    def tp(x, V, *aux):
        Ep = _energy(x, gR)
        da, db = _p_factors(Ep, V, gL, gR, x, aux)
        return (
            2.0 * V * gL**2 * _jacobian(x, gR) * _fermi(Ep, T) * Ep * cf.dd2_P((Ep + V) ** 2, (Ep - V) ** 2, gL, da, db)
        )

    singp = np.stack([gL - v, v - gL, v + gL], axis=1)
    vp, ep = _integrate(tp, gR, singp, None, np.full(n, gR + _FERMI_CUT * T), step, V)
    return val + vp, err + ep


def _p_factors(Ep, V, gL, gR, x, aux):
    """gap_L^2 - (E_p + v)^2 and gap_L^2 - (E_p - v)^2, precise at their zeros."""
    da = -_distance(Ep, gL - V, gR, x, *aux) * (gL + Ep + V)
    db = -_distance(Ep, V + gL, gR, x, *aux) * _distance(Ep, V - gL, gR, x, *aux)
    return da, db


def ac_terms(v, T, gL, gR, step):
    """K_ac for v > 0 (array), constant DOS, gR > 0: returns (value, error) arrays."""
    n = v.shape[0]
    V = v[:, None, None]
    inf = np.full(n, np.inf)
    pref = gL * gR

    def t0(x, V, *aux):
        Ek = _energy(x, gL)
        g_minus_z = _distance(Ek, V - gR, gL, x, *aux)
        return (
            -0.25
            * pref
            * _jacobian(x, gL)
            / Ek
            * (cf.F(V - Ek, gR, g_minus_z) / (Ek - V) - cf.F(-V - Ek, gR) / (Ek + V))
        )

    val, err = _integrate(t0, gL, (v - gR)[:, None], v, inf, step, V)
    if T == 0.0:
        return val, err

    def tk(x, V, *aux):
        Ek = _energy(x, gL)
        d_minus = -_distance(Ek, V + gR, gL, x, *aux) * _distance(Ek, V - gR, gL, x, *aux)
        d_plus = -_distance(Ek, gR - V, gL, x, *aux) * (gR + Ek + V)
        return (
            0.5
            * pref
            * _jacobian(x, gL)
            / Ek
            * _fermi(Ek, T)
            * (cf.P((Ek - V) ** 2, gR, d_minus) / (Ek - V) - cf.P((Ek + V) ** 2, gR, d_plus) / (Ek + V))
        )

    singk = np.stack([v - gR, v + gR, gR - v], axis=1)
    vk, ek = _integrate(tk, gL, singk, v, np.full(n, gL + _FERMI_CUT * T), step, V)

    def tp(x, V, *aux):
        Ep = _energy(x, gR)
        da, db = _p_factors(Ep, V, gL, gR, x, aux)
        return (
            2.0 * V * pref * _jacobian(x, gR) / Ep * _fermi(Ep, T) * cf.dd1_P((Ep + V) ** 2, (Ep - V) ** 2, gL, da, db)
        )

    singp = np.stack([gL - v, v - gL, v + gL], axis=1)
    vp, ep = _integrate(tp, gR, singp, None, np.full(n, gR + _FERMI_CUT * T), step, V)
    return val + vk + vp, err + ek + ep
