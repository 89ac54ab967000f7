"""Local Keldysh Green's functions of a semi-infinite wide-band BCS lead.

Nambu-spin basis of one lead site (the local operator coupled by the point contact)::

    Psi = (c_up, c_dn, c_up^dag, c_dn^dag)^T         (4 components)

BCS lead of (S2): ``H = sum xi c^dag c - (Delta/2) sum_{k,s} s (c^dag_{k s} c^dag_{-k,-s} + h.c.)``,
which is ``-Delta sum_k c^dag_{k up} c^dag_{-k dn} + h.c.``: a singlet pair potential ``-Delta``.
The global sign of the pair potential is a gauge (``c -> i c`` in *both* leads leaves the
tunnelling term unchanged), so the code uses the pair potential ``+Delta`` in both leads; only
the phase difference ``phi0`` is physical.

Wide-band limit (constant normal density of states rho per spin, W = 1/(pi rho))::

    g^R(w) = -(1/W) (z + Dt) / s(z),    s(z) = -i sqrt(z - Delta) sqrt(z + Delta),
    [g^R(w)]^{-1} = W (z - Dt) / s(z),  z = w + i Gamma,

with ``Dt = [[0, Delta i sigma_y], [(Delta i sigma_y)^dag, 0]]`` (Dt^2 = Delta^2) and the
branch of ``s`` chosen so that ``s -> -i w`` at large |w| (Im g^R < 0); Gamma is the Dynes
broadening.  A normal lead (Delta = 0) has ``g^R = -i/W``.  In equilibrium (leads at their own
chemical potential, the bias being carried by the phase of the hopping, S8-S10)::

    g^<(w) = -f(w) [g^R(w) - g^A(w)],   Sigma^<_src = f(w) [(g^R)^{-1} - (g^A)^{-1}].

Finite band (``band = D``: flat normal DOS rho per spin on [-D, D], zero outside).  The
``xi`` integral ``int_{-D}^{D} dxi (z + xi tau_z + Dt)/(z^2 - xi^2 - Delta^2)
= (z + Dt) (1/q) [ln(q + D) - ln(q - D)]`` (principal logs, Im q > 0) gives::

    g^R_D(z) = phi(z) g^R(z),    [g^R_D]^{-1} = [g^R]^{-1} / phi(z),
    phi(z) = (i/pi) [ln(q + D) - ln(q - D)],   q = sqrt(z - Delta) sqrt(z + Delta) = i s(z).

phi -> 1 for D -> infinity and phi = 1 at q = 0 (a normal lead at the Fermi level).  A normal
lead has ``g^R_D = rho [ln|(w + D)/(w - D)| - i pi theta(D - |w|)]`` (Gamma = 0).  Without
Dynes broadening the spectral weight (and ``(g^R)^{-1} - (g^A)^{-1}``) vanishes for
``|w| > E_b = sqrt(D^2 + Delta^2)``; at ``|w| = E_b`` phi has an integrable log singularity,
which is kept finite (|q -+ D| >= 1e-150).

Units: hbar = e = k_B = 1; all energies in one unit of the caller's choice, W in the same
unit (the Floquet solver sets W = 1, so J is measured in units of W).
"""

from __future__ import annotations

import math

import numpy as np

from ..spin import EPSILON, PAULI

__all__ = [
    "PAULI",
    "pairing_matrix",
    "inverse_local_gf",
    "local_gf",
    "bcs_dos",
    "band_factor",
    "band_edge",
    "check_band",
]

_ISY = EPSILON  # i sigma_y


def pairing_matrix(gap: float) -> np.ndarray:
    """Nambu pairing block Dt (4x4) of a singlet BCS lead with pair potential ``gap``.

    ``Dt = [[0, gap * i sigma_y], [(gap * i sigma_y)^dag, 0]]``; ``Dt @ Dt = gap**2``.
    """
    d = np.zeros((4, 4), dtype=complex)
    d[:2, 2:] = gap * _ISY
    d[2:, :2] = (gap * _ISY).conj().T
    return d


def _s(z: np.ndarray, gap: float) -> np.ndarray:
    """Retarded branch of sqrt(gap^2 - z^2): -i sqrt(z-gap) sqrt(z+gap), Im z >= 0."""
    z = np.asarray(z, dtype=complex)
    z = z.real + 1j * (np.abs(z.imag) + 0.0)  # force +0.0 imaginary part for the branch
    return -1j * np.sqrt(z - gap) * np.sqrt(z + gap)


def check_band(band, gaps=(0.0,)):
    """Validate a half-bandwidth: ``None`` (wide band) or a finite float > max(gaps)."""
    if band is None:
        return None
    try:
        b = float(band)
    except (TypeError, ValueError):
        raise ValueError(f"band must be None or a finite number, got {band!r}") from None
    if not np.isfinite(b) or b <= max(gaps):
        raise ValueError(f"band (half-bandwidth D) must be finite and > max gap {max(gaps):g}, got {band!r}")
    return b


def band_edge(gap: float, band) -> float:
    """Edge ``E_b = sqrt(D^2 + Delta^2)`` of the quasiparticle spectrum of a finite band
    (``inf`` for ``band=None``)."""
    return math.inf if band is None else math.hypot(band, gap)


def band_factor(z, gap: float, band: float) -> np.ndarray:
    """``phi(z) = (i/pi) [ln(q + D) - ln(q - D)]``, ``q = sqrt(z - Delta) sqrt(z + Delta)``.

    ``g_D = phi g_wide`` (module docstring).  ``z`` on or above the real axis; the retarded
    side is enforced (Im q = +|Im q|, a signed +0.0 on the real axis), and at the band edges
    ``q = +-D`` the log singularity is cut at ``|q -+ D| = 1e-150``.
    """
    z = np.asarray(z, dtype=complex)
    z = z.real + 1j * (np.abs(z.imag) + 0.0)
    q = np.sqrt(z - gap) * np.sqrt(z + gap)
    q = q.real + 1j * (np.abs(q.imag) + 0.0)  # retarded branch, Im q >= +0.0
    qp, qm = q + band, q - band
    qp = np.where(np.abs(qp) < 1e-150, 1e-150, qp)
    qm = np.where(np.abs(qm) < 1e-150, -1e-150 + 0j, qm)
    qp = qp.real + 1j * (np.abs(qp.imag) + 0.0)
    qm = qm.real + 1j * (np.abs(qm.imag) + 0.0)
    return (1j / np.pi) * (np.log(qp) - np.log(qm))


def inverse_local_gf(omega, gap: float, broadening: float = 0.0, W: float = 1.0, band=None) -> np.ndarray:
    """Inverse retarded local Green's function ``[g^R(omega)]^{-1}`` (..., 4, 4).

    Parameters
    ----------
    omega : array_like
        Real energies (same unit as ``gap``).
    gap : float
        BCS gap Delta >= 0; 0 gives a normal lead, ``g^{-1} = i W``.
    broadening : float
        Dynes broadening Gamma >= 0 (omega -> omega + i Gamma).
    W : float
        Wide-band scale 1/(pi rho), rho = normal DOS per spin at the contact site.
    band : float, optional
        Half-bandwidth D (> gap, unit of ``gap``) of a flat normal DOS on [-D, D];
        ``None`` = wide band.  ``[g_D^R]^{-1} = [g^R]^{-1} / phi(z)`` (module docstring).

    Returns
    -------
    ndarray, shape omega.shape + (4, 4), unit energy (W).
    """
    om = np.asarray(omega, dtype=float)
    if gap == 0.0:
        out = np.zeros(om.shape + (4, 4), dtype=complex)
        out[..., np.arange(4), np.arange(4)] = 1j * W
        if band is not None:
            out = out / band_factor(om + 1j * broadening, 0.0, band)[..., None, None]
        return out
    z = om + 1j * broadening
    s = _s(z, gap)
    s = np.where(np.abs(s) < 1e-150, 1e-150, s)
    if band is not None:
        s = s * band_factor(z, gap, band)
    eye = np.eye(4)
    Dt = pairing_matrix(gap)
    return W * (z[..., None, None] * eye - Dt) / s[..., None, None]


def local_gf(omega, gap: float, broadening: float = 0.0, W: float = 1.0, band=None) -> np.ndarray:
    """Retarded local Green's function ``g^R(omega) = -(1/W)(z + Dt)/s(z)`` (..., 4, 4), in units
    of 1/W, times ``phi(z)`` of :func:`band_factor` for a finite half-bandwidth ``band``
    (docs/all_orders.md Sec. 2); omega, gap, broadening and band in one energy unit."""
    om = np.asarray(omega, dtype=float)
    if gap == 0.0:
        out = np.zeros(om.shape + (4, 4), dtype=complex)
        out[..., np.arange(4), np.arange(4)] = -1j / W
        if band is not None:
            out = out * band_factor(om + 1j * broadening, 0.0, band)[..., None, None]
        return out
    z = om + 1j * broadening
    s = _s(z, gap)
    g = -(z[..., None, None] * np.eye(4) + pairing_matrix(gap)) / (W * s[..., None, None])
    if band is not None:
        g = g * band_factor(z, gap, band)[..., None, None]
    return g


def bcs_dos(omega, gap: float, broadening: float = 0.0, band=None) -> np.ndarray:
    """Normalised BCS (Dynes) density of states ``N(w) = Re[z / sqrt(z^2 - Delta^2)]``
    (dimensionless; omega, gap, broadening, band in one energy unit; docs/all_orders.md Sec. 2).

    ``N = -W Im g^R_{11} `` of :func:`local_gf`; equals 1 for a normal lead.  With a
    finite half-bandwidth ``band`` it is ``Re[phi(z) z / sqrt(z^2 - Delta^2)]`` (zero for
    ``|w| > sqrt(D^2 + Delta^2)`` without Dynes broadening).
    """
    om = np.asarray(omega, dtype=float)
    if band is not None:
        return -np.imag(local_gf(om, gap, broadening, 1.0, band)[..., 0, 0])
    if gap == 0.0:
        return np.ones_like(om)
    z = om + 1j * broadening
    return np.real(z / (1j * _s(z, gap)))
