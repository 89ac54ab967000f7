"""Slow, independent reference evaluation of the printed kernels (Eq. 7/S39, S23).

Nested ``scipy.integrate.quad`` directly on the printed double integrand over (xi_k, xi_p),
constant densities of states, symmetric (infinite) band.  Every simple pole on the inner
(xi_p) and outer (xi_k) line is integrated as a principal value by folding a symmetric interval
that contains no other special point (QUADPACK QAGS on f(p+s) + f(p-s)); gap-edge
singularities are interval ends.  It shares no code
with the fast path (no closed forms, no panel rule).  Meant for tests and benchmarks only:
one value takes seconds.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.integrate import IntegrationWarning, quad

from ..leads import fermi

__all__ = ["dc_kernel_reference", "ac_kernel_reference", "pv_quad"]


def pv_quad(f, a, b, poles=(), breaks=(), epsabs=1e-13, epsrel=1e-12, limit=400):
    """PV integral of f over [a, b] (b may be inf) with simple poles and breakpoints."""
    poles = sorted(p for p in set(poles) if a < p < b)
    pts = sorted(set([a] + [x for x in breaks if a < x < b] + poles + ([] if math.isinf(b) else [b])))
    total = 0.0
    # symmetric intervals around poles, folded: PV int_{p-d}^{p+d} f = int_0^d f(p+s) + f(p-s) ds
    # (QUADPACK QAGS on the folded integrand; QAWC proved unreliable when a pole sits close to
    # a breakpoint), half-width up to 0.45 of the distance to the neighbouring points
    cuts = []
    for p in poles:
        i = pts.index(p)
        left = pts[i - 1] if i > 0 else a
        right = pts[i + 1] if i + 1 < len(pts) else (p + 1.0 if math.isinf(b) else b)
        d = min(p - left, right - p) * (
            0.45 if (i > 0 and pts[i - 1] in poles) or (i + 1 < len(pts) and pts[i + 1] in poles) else 0.9
        )

        def folded(s, p=p):
            try:
                return f(p + s) + f(p - s) if s > 0 else 0.0
            except ZeroDivisionError:
                return 0.0

        val, _ = quad(folded, 0.0, d, epsabs=epsabs, epsrel=epsrel, limit=limit)
        total += val
        cuts.append((p - d, p + d))
    # the remaining pieces
    edges = sorted(set(pts + [c for cut in cuts for c in cut]))
    inside = lambda x: any(lo <= x <= hi for lo, hi in cuts)
    for x0, x1 in zip(edges[:-1], edges[1:], strict=True):
        mid = 0.5 * (x0 + x1)
        if inside(mid) or x1 <= x0:
            continue
        val, _ = quad(f, x0, x1, epsabs=epsabs, epsrel=epsrel, limit=limit)
        total += val
    if math.isinf(b):
        start = edges[-1]
        val, _ = quad(f, start, np.inf, epsabs=epsabs, epsrel=epsrel, limit=limit)
        total += val
    return total


def _xi(E, gap):
    return math.sqrt(E * E - gap * gap) if E > gap else None


def _inner_points(Ek, v, gR, T):
    cs = [abs(v) - Ek] + ([Ek - v, Ek + v] if T > 0 else [])
    poles = [_xi(c, gR) for c in cs if c > gR]
    return [p for p in poles if p is not None and p > 0]


def _outer_points(v, gL, gR):
    """xi_k where an inner pole reaches xi_p = 0, and the outer pole E_k = |v|."""
    av = abs(v)
    Es = [av + gR, av - gR, gR - av]
    breaks = [_xi(E, gL) for E in Es if E > gL]
    pole = _xi(av, gL) if av > gL else None
    return [b for b in breaks if b], pole


def _inner_integral(integrand, v, gL, gR, T, epsrel):
    """``x_k -> int dx_p integrand(x_k, x_p)`` over the whole line (folded onto x_p >= 0),
    principal values at the inner poles of :func:`_inner_points`."""

    def inner(xk):
        Ek = math.hypot(xk, gL)
        f = lambda xp: integrand(xk, xp) + integrand(xk, -xp)  # noqa: E731
        poles = _inner_points(Ek, v, gR, T)
        return pv_quad(f, 0.0, np.inf, poles=poles, breaks=[1.0, 10.0], epsrel=epsrel * 0.1, epsabs=1e-14)

    return inner


def _quiet(fn):
    def wrapped(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IntegrationWarning)
            return fn(*args, **kwargs)

    wrapped.__doc__, wrapped.__name__ = fn.__doc__, fn.__name__
    return wrapped


@_quiet
def dc_kernel_reference(bias, temperature, gap_left, gap_right, epsrel=1e-11):
    """K_dc from nested quadrature of Eq. (7)/(S39) (constant DOS)."""
    v, T, gL, gR = float(bias), float(temperature), float(gap_left), float(gap_right)

    def integrand(xk, xp):
        Ek = math.hypot(xk, gL)
        Ep = math.hypot(xp, gR)
        fk, fp = fermi(Ek, T), fermi(Ep, T)
        r = xp / Ep if Ep > 0 else 0.0
        out = 0.0
        if T > 0:
            out += (fp - fk) / ((Ek - Ep) ** 2 - v * v) * (r * (Ep - Ek) + v)
        out += (1 - fk - fp) / ((Ek + Ep) ** 2 - v * v) * (r * (Ep + Ek) + v)
        return gL**2 / (4 * Ek**3) * out

    inner = _inner_integral(integrand, v, gL, gR, T, epsrel)
    breaks, pole = _outer_points(v, gL, gR)
    g = lambda xk: 2.0 * inner(xk)
    return pv_quad(
        g, 0.0, np.inf, poles=[], breaks=breaks + ([pole] if pole else []) + [1.0], epsrel=epsrel, epsabs=1e-13
    )


@_quiet
def ac_kernel_reference(bias, temperature, gap_left, gap_right, epsrel=1e-11):
    """K_ac from nested quadrature of Eq. (S23) (constant DOS)."""
    v, T, gL, gR = float(bias), float(temperature), float(gap_left), float(gap_right)
    if gR == 0.0:
        return 0.0

    def integrand(xk, xp):
        Ek = math.hypot(xk, gL)
        Ep = math.hypot(xp, gR)
        fk, fp = fermi(Ek, T), fermi(Ep, T)
        br = -(2 * Ek + Ep) * (1 - fk - fp) / ((Ek + Ep) ** 2 - v * v)
        if T > 0:
            br += (2 * Ek - Ep) * (fp - fk) / ((Ek - Ep) ** 2 - v * v)
        return gL * gR / (4 * Ek * Ep) * (v - xk) / (Ek * Ek - v * v) * br

    inner = _inner_integral(integrand, v, gL, gR, T, epsrel)
    breaks, pole = _outer_points(v, gL, gR)
    g = lambda xk: inner(xk) + inner(-xk)
    return pv_quad(g, 0.0, np.inf, poles=[pole] if pole else [], breaks=breaks + [1.0], epsrel=epsrel, epsabs=1e-13)
