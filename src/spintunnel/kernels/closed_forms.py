"""Closed-form inner integrals over one lead's band (constant density of states).

For one BCS lead with gap ``gap`` (Delta) and E = sqrt(xi^2 + Delta^2), the kernels need
three principal-value integrals over the whole line of xi.  Substituting xi = Delta sinh u:

``F(z)``  = PV int du 1/(Delta cosh u - z)            = (2/Delta) A(-z/Delta)
``L(z)``  = PV int dxi [1/(E - z) - 1/E]               = z F(z)
            (Delta = 0: -2 log|z| up to a z-independent constant that cancels in use)
``P(r)``  = PV int dxi 1/(xi^2 + Delta^2 - r)          = pi/sqrt(Delta^2 - r)  (r < Delta^2),
                                                         0                    (r > Delta^2)
``Q(s)``  = s P(s^2)

with A(y) the real (principal-value) continuation of arccos(y)/sqrt(1 - y^2):
arccos(y)/sqrt(1-y^2) for |y| < 1, arccosh(y)/sqrt(y^2-1) for y >= 1, and
-arccosh(-y)/sqrt(y^2-1) for y < -1 (z > Delta: the pole sits on the band, the real part is kept).

Divided differences of P that appear after partial fractions are written in forms free of
cancellation (``dd1_P``, ``dd2_P``).  All functions are vectorised numpy ufunc-style code.
"""

from __future__ import annotations

import numpy as np

__all__ = ["acos_ratio", "F", "L", "P", "Q", "dd1_P", "dd2_P"]


def acos_ratio(y, one_p=None):
    """Real PV continuation A(y) of arccos(y)/sqrt(1 - y^2) (analytic at y = 1).

    ``one_p`` = 1 + y may be given precisely (it vanishes at the singular point y = -1).
    """
    y = np.asarray(y, dtype=float)
    one_m = 1.0 - y
    one_p = 1.0 + y if one_p is None else np.broadcast_to(one_p, y.shape)
    q = one_m * one_p
    r = np.sqrt(np.abs(q))
    out = np.empty(np.broadcast(y, one_p).shape)
    inside = q > 0
    ri = r[inside]
    # arccos(y) = 2 atan2(sqrt(1 - y), sqrt(1 + y)): keeps the precise 1 + y near y = -1
    out[inside] = 2.0 * np.arctan2(np.sqrt(one_m[inside]), np.sqrt(one_p[inside])) / ri
    outside = ~inside
    ro = r[outside]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[outside] = np.where(one_p[outside] > 0, 1.0, -1.0) * np.arcsinh(ro) / ro
    near_one = (r < 1e-6) & (np.abs(one_m) < 1.0)
    if np.any(near_one):  # A(1 - e) = 1 + e/3 + O(e^2), on both sides of y = 1
        out[near_one] = 1.0 + one_m[near_one] / 3.0
    return out


def F(z, gap, gap_minus_z=None):
    """PV int du 1/(gap cosh u - z) = PV int dxi 1/(E (E - z)) for gap > 0.

    ``gap_minus_z`` may be given precisely (singular point z = gap).
    """
    z = np.asarray(z, dtype=float)
    one_p = None if gap_minus_z is None else gap_minus_z / gap
    return (2.0 / gap) * acos_ratio(-z / gap, one_p)


def L(z, gap, gap_minus_z=None):
    """PV int dxi [1/(E - z) - 1/E]; for gap = 0 the constant-free form -2 log|z|."""
    z = np.asarray(z, dtype=float)
    if gap == 0.0:
        return -2.0 * np.log(np.abs(z if gap_minus_z is None else gap_minus_z))
    return z * F(z, gap, gap_minus_z)


def P(r, gap, d=None):
    """PV int dxi 1/(xi^2 + gap^2 - r): pi/sqrt(gap^2 - r) below the gap edge, 0 above.

    ``d`` = gap^2 - r may be given precisely.
    """
    r = np.asarray(r, dtype=float)
    d = gap * gap - r if d is None else d
    return np.where(d > 0, np.pi / np.sqrt(np.where(d > 0, d, 1.0)), 0.0)


def Q(s, gap, d=None):
    """s P(s^2): pi s/sqrt(gap^2 - s^2) for |s| < gap, else 0 (d = gap^2 - s^2 optional)."""
    s = np.asarray(s, dtype=float)
    d = (gap - s) * (gap + s) if d is None else d
    return np.where(d > 0, np.pi * s / np.sqrt(np.where(d > 0, d, 1.0)), 0.0)


def _below_edge(a, b, gap, da, db):
    """a, b as arrays, gap^2 - a, gap^2 - b (precise if given) and their square roots
    where positive (1 elsewhere): the common start of the divided differences of P."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    da = gap * gap - a if da is None else da
    db = gap * gap - b if db is None else db
    return a, b, da, db, np.sqrt(np.where(da > 0, da, 1.0)), np.sqrt(np.where(db > 0, db, 1.0))


def dd1_P(a, b, gap, da=None, db=None):
    """First divided difference [a, b]P = (P(a) - P(b))/(a - b), without cancellation.

    ``da`` = gap^2 - a and ``db`` = gap^2 - b may be given precisely.
    """
    a, b, da, db, sa, sb = _below_edge(a, b, gap, da, db)
    both = (da > 0) & (db > 0)
    r_both = np.pi / (sa * sb * (sa + sb))
    safe = np.where(a != b, a - b, 1.0)
    r_a = (np.pi / sa) / safe  # only a below the edge
    r_b = -(np.pi / sb) / safe  # only b below the edge
    return np.where(both, r_both, np.where(da > 0, r_a, np.where(db > 0, r_b, 0.0)))


def dd2_P(a, b, gap, da=None, db=None):
    """Second divided difference [0, a, b]P for a, b >= 0, without cancellation.

    Equals PV int dxi 1/(W (W - a)(W - b)) with W = xi^2 + gap^2; ``da``, ``db`` as in dd1_P.
    """
    a, b, da, db, sa, sb = _below_edge(a, b, gap, da, db)
    D = gap
    both = np.pi * (D + sa + sb) / (D * sa * sb * (D + sa) * (D + sb) * (sa + sb))
    none = np.pi / (D * np.where(a != 0, a, 1.0) * np.where(b != 0, b, 1.0))
    safe = np.where(a != b, a - b, 1.0)
    # only b below the edge (a above): -pi [a/(D+s_b) + s_b]/(D a s_b (a - b))
    only_b = -np.pi * (a / (D + sb) + sb) / (D * np.where(a != 0, a, 1.0) * sb * safe)
    only_a = -np.pi * (b / (D + sa) + sa) / (D * np.where(b != 0, b, 1.0) * sa * (-safe))
    return np.where((da > 0) & (db > 0), both, np.where(db > 0, only_b, np.where(da > 0, only_a, none)))
