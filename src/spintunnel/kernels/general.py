"""General path: the printed double integrals (Eq. 7/S39, S23) by nested panel quadrature.

Used for what the closed forms of :mod:`constant_dos` do not cover: densities of states that
are not constant (electron-hole asymmetric, user callables, finite bands), the four
quasi-electron/quasi-hole channels (sign of xi_k, sign of xi_p), and Dynes broadening
(eV -> eV + i Gamma).  The odd terms xi_p/E_p and xi_k are kept.  The inner xi_p integral is
folded around each pole E_p = |E_k -+ eV| (principal value); the outer xi_k integral has
breakpoints where an inner pole reaches xi_p = 0 or the band edge, and a folded panel at
E_k = |eV| (K_ac).  About 0.1-1 s per bias point.
"""

from __future__ import annotations

import numpy as np

from ..leads import fermi as _fermi
from .dos import ConstantDOS
from .quadrature import integrate_panels

__all__ = ["kernel", "build_panels"]

_STEP = 1.0 / 32.0  # 1/16 left K_ac at ~2e-8 relative; 1/32 gives ~1e-13 (tests/test_validate.py)


def build_panels(points, is_pole, top):
    """Regular panels and folded PV panels on [0, top] for each row.

    points : (n, m) special points (NaN: absent); is_pole : (n, m) bool; top : (n,)
    Returns lo, hi (n, m+1) and fold centres, half-widths (n, m) (half-width 0: no fold).
    """
    n, m = points.shape
    valid = np.isfinite(points) & (points > 0) & (points < top[:, None])
    pts = np.where(valid, points, top[:, None])
    pole = valid & is_pole
    order = np.argsort(pts, axis=1, kind="stable")
    pts = np.take_along_axis(pts, order, axis=1)
    pole = np.take_along_axis(pole, order, axis=1)
    e = np.concatenate([np.zeros((n, 1)), pts, top[:, None]], axis=1)
    fl = np.concatenate([np.zeros((n, 1), bool), pole, np.zeros((n, 1), bool)], axis=1)
    dl = e[:, 1:-1] - e[:, :-2]
    dr = e[:, 2:] - e[:, 1:-1]
    dl = np.where(fl[:, :-2], 0.5 * dl, dl)
    dr = np.where(fl[:, 2:], 0.5 * dr, dr)
    h = np.where(fl[:, 1:-1], np.minimum(dl, dr), 0.0)
    hh = np.concatenate([np.zeros((n, 1)), h, np.zeros((n, 1))], axis=1)
    lo = e[:, :-1] + hh[:, :-1]
    hi = e[:, 1:] - hh[:, 1:]
    return lo, hi, e[:, 1:-1], h


class _Axis:
    """Integration variable of one lead: xi in [0, W], or xi = S t/(1 - t), t in [0, 1)."""

    def __init__(self, band, scale):
        self.band = band
        self.scale = scale
        self.top = band if band is not None else 1.0

    def xi(self, t):
        if self.band is not None:
            return t
        return self.scale * t / (1.0 - t)

    def jac(self, t):
        if self.band is not None:
            return np.ones_like(t)
        return self.scale / (1.0 - t) ** 2

    def var(self, xi):
        xi = np.asarray(xi, dtype=float)
        if self.band is not None:
            return xi
        return xi / (self.scale + xi)


def _energy_offsets(ax, gap, t, lo, hi, dlo, dhi, cs):
    """E(t) - c for each energy c in ``cs``, free of rounding loss at nodes whose panel ends
    at the breakpoint of c (where an inverse-square-root singularity of the outer integrand
    sits: plain E - c would lose sqrt(eps) of its weight)."""
    xi = ax.xi(t)
    E = np.hypot(xi, gap)
    out = []
    for c in cs:
        plain = E - c
        if not c > gap:
            out.append(plain)
            continue
        xc = np.sqrt(c * c - gap * gap)  # as the breakpoints are built in _one
        tc = ax.var(xc)
        dt = np.where(lo == tc, dlo, np.where(hi == tc, -dhi, np.nan))
        dxi = dt if ax.band is not None else ax.scale * dt / ((1.0 - t) * (1.0 - tc))
        out.append(np.where(np.isfinite(dt), dxi * (xi + xc) / (E + c), plain))
    return out


def _signs(letter):
    return {"e": (1.0,), "h": (-1.0,), None: (1.0, -1.0)}[letter]


def kernel(kind, v, T, gL, gR, gamma, dos_left, dos_right, channel, band):
    dos_left = dos_left if dos_left is not None else ConstantDOS(band)
    dos_right = dos_right if dos_right is not None else ConstantDOS(band)
    WL = dos_left.band if dos_left.band is not None else band
    WR = dos_right.band if dos_right.band is not None else band
    if channel is not None and channel not in ("ee", "eh", "he", "hh"):
        raise ValueError(f"channel must be one of 'ee', 'eh', 'he', 'hh', got {channel!r}")
    sk = _signs(channel[0] if channel else None)
    sp = _signs(channel[1] if channel else None)
    if kind == "dc" and WR is None and len(sp) == 1:
        raise ValueError(
            "the dc channel parts diverge logarithmically with the band width of the "
            "right lead: give band=W (or a DOS with a band limit)"
        )
    values = np.zeros(v.shape, dtype=complex if gamma > 0 else float)
    errors = np.zeros(v.shape)
    for i, vi in enumerate(v):
        values[i], errors[i] = _one(kind, vi, T, gL, gR, gamma, dos_left, dos_right, WL, WR, sk, sp)
    return values, errors


def _one(kind, v, T, gL, gR, gamma, dosL, dosR, WL, WR, sk, sp):
    av = abs(v)
    vc = v + 1j * gamma if gamma > 0 else v
    scale = max(gL, gR, av, 1e-3 * gL)
    axL, axR = _Axis(WL, scale), _Axis(WR, scale)
    pv = gamma == 0.0

    def inner(xk, d1, d2, d3):
        """sum over signs of xi_k of N_L(xi_k) int dxi_p N_R h(xi_k, xi_p); xk: (n,) >= 0.

        d1, d2, d3 = E_k - (|v| - gR), E_k - (|v| + gR), E_k - (gR - |v|), exact near 0: the
        factors E_k + E_p - |v|, E_k - E_p - |v|, E_k - E_p + |v| of the resonant
        denominators are d1 + (E_p - gR), d2 - (E_p - gR), d3 - (E_p - gR)."""
        n = xk.shape[0]
        Ek = np.hypot(xk, gL)
        # inner poles xi_p^2 = c^2 - gR^2 = (c - gR)(c + gR) for c = |v| - E_k, E_k - |v|, E_k + |v|
        first = [-d1] + ([d2, d3] if T > 0 else [])
        second = [av - Ek + gR] + ([Ek - av + gR, Ek + av + gR] if T > 0 else [])
        first, second = np.stack(first, axis=1), np.stack(second, axis=1)
        xis = np.sqrt(np.where(first > 0, first * second, np.nan))
        pts = axR.var(np.where(np.isfinite(xis), xis, np.nan))
        top = np.full(n, axR.top)
        lo, hi, fc, fh = build_panels(pts, np.full(pts.shape, pv), top)
        out = 0.0
        err = 0.0
        D1, D2, D3 = (d[:, None, None] for d in (d1, d2, d3))
        for s_k in sk:
            xik = (s_k * xk)[:, None, None]
            Ekk = Ek[:, None, None]
            fk = _fermi(Ekk, T)
            wL = dosL.weight(s_k * xk)[:, None, None]

            def h(t):
                xp = axR.xi(t)
                Ep = np.hypot(xp, gR)
                Ep_edge = xp * xp / (Ep + gR)  # E_p - gR without cancellation
                if pv:
                    Dp_ = (D1 + Ep_edge) * (Ekk + Ep + av)
                    Dm_ = (D2 - Ep_edge) * (D3 - Ep_edge)
                else:
                    Dp_ = (Ekk + Ep) ** 2 - vc * vc
                    Dm_ = (Ekk - Ep) ** 2 - vc * vc
                acc = 0.0
                for s_p in sp:
                    xi_p = s_p * xp
                    fp = _fermi(Ep, T)
                    wR = dosR.weight(xi_p)
                    rp = np.where(Ep > 0, xi_p / np.where(Ep > 0, Ep, 1.0), 0.0)
                    Dp, Dm = Dp_, Dm_
                    if kind == "dc":
                        term = (1 - fk - fp) / Dp * (rp * (Ep + Ekk) + vc)
                        if T > 0:
                            term = term + (fp - fk) / Dm * (rp * (Ep - Ekk) + vc)
                        term = gL**2 / (4 * Ekk**3) * term
                    else:
                        term = -(2 * Ekk + Ep) * (1 - fk - fp) / Dp
                        if T > 0:
                            term = term + (2 * Ekk - Ep) * (fp - fk) / Dm
                        term = gL * gR / (4 * Ekk * Ep) * (vc - xik) / (Ekk**2 - vc * vc) * term
                    acc = acc + wR * term
                return acc * wL * axR.jac(t)

            val, e = integrate_panels(h, lo, hi, fc, fh, step=_STEP)
            out = out + val
            err = err + e
        return out, err

    # outer breakpoints: an inner pole reaches xi_p = 0 or the band edge; outer pole E_k = |v|
    Es = [av + gR, av - gR, gR - av]
    if WR is not None:
        EW = np.hypot(WR, gR)
        Es += [EW + av, EW - av, av - EW]
    Es = np.array(Es)
    xs = np.sqrt(np.where(Es > gL, Es * Es - gL * gL, np.nan))
    pole_xi = np.sqrt(av * av - gL * gL) if (kind == "ac" and av > gL) else np.nan
    pts = axL.var(np.concatenate([xs, [pole_xi]]))[None, :]
    is_pole = np.zeros(pts.shape, bool)
    is_pole[0, -1] = pv
    lo, hi, fc, fh = build_panels(pts, is_pole, np.array([axL.top]))

    def outer(t, lo_, hi_, dlo, dhi):
        shape = t.shape
        d = _energy_offsets(axL, gL, t, lo_, hi_, dlo, dhi, (av - gR, av + gR, gR - av))
        xk = axL.xi(t.ravel())
        val, err = inner(xk, *(np.broadcast_to(x, shape).ravel() for x in d))
        jac = axL.jac(t.ravel())
        return (val * jac).reshape(shape), (err * jac).reshape(shape)

    val, err = integrate_panels(outer, lo, hi, fc, fh, step=_STEP, offsets=True)
    return val[0], float(err[0])
