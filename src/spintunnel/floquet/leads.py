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

Units: hbar = e = k_B = 1; all energies in one unit of the caller's choice, W in the same
unit (the Floquet solver sets W = 1, so J is measured in units of W).
"""

from __future__ import annotations

import numpy as np

from ..spin import EPSILON, PAULI

__all__ = [
    "PAULI",
    "pairing_matrix",
    "inverse_local_gf",
    "local_gf",
    "bcs_dos",
    "fermi",
]

_S0 = np.eye(2, dtype=complex)
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


def inverse_local_gf(omega, gap: float, dynes: float = 0.0, W: float = 1.0) -> np.ndarray:
    """Inverse retarded local Green's function ``[g^R(omega)]^{-1}`` (..., 4, 4).

    Parameters
    ----------
    omega : array_like
        Real energies (same unit as ``gap``).
    gap : float
        BCS gap Delta >= 0; 0 gives a normal lead, ``g^{-1} = i W``.
    dynes : float
        Dynes broadening Gamma >= 0 (omega -> omega + i Gamma).
    W : float
        Wide-band scale 1/(pi rho), rho = normal DOS per spin at the contact site.

    Returns
    -------
    ndarray, shape omega.shape + (4, 4), unit energy (W).
    """
    om = np.asarray(omega, dtype=float)
    if gap == 0.0:
        out = np.zeros(om.shape + (4, 4), dtype=complex)
        out[..., np.arange(4), np.arange(4)] = 1j * W
        return out
    z = om + 1j * dynes
    s = _s(z, gap)
    s = np.where(np.abs(s) < 1e-150, 1e-150, s)
    eye = np.eye(4)
    Dt = pairing_matrix(gap)
    return W * (z[..., None, None] * eye - Dt) / s[..., None, None]


def local_gf(omega, gap: float, dynes: float = 0.0, W: float = 1.0) -> np.ndarray:
    """Retarded local Green's function ``g^R(omega) = -(1/W)(z + Dt)/s(z)`` (..., 4, 4)."""
    om = np.asarray(omega, dtype=float)
    if gap == 0.0:
        out = np.zeros(om.shape + (4, 4), dtype=complex)
        out[..., np.arange(4), np.arange(4)] = -1j / W
        return out
    z = om + 1j * dynes
    s = _s(z, gap)
    return -(z[..., None, None] * np.eye(4) + pairing_matrix(gap)) / (W * s[..., None, None])


def bcs_dos(omega, gap: float, dynes: float = 0.0) -> np.ndarray:
    """Normalised BCS (Dynes) density of states ``N(w) = Re[z / sqrt(z^2 - Delta^2)]``.

    ``N = -W Im g^R_{11} `` of :func:`local_gf`; equals 1 for a normal lead.
    """
    om = np.asarray(omega, dtype=float)
    if gap == 0.0:
        return np.ones_like(om)
    z = om + 1j * dynes
    return np.real(z / (1j * _s(z, gap)))


def fermi(e, temperature: float) -> np.ndarray:
    """Fermi function; a step (with f(0) = 1/2) at temperature 0."""
    e = np.asarray(e, dtype=float)
    if temperature == 0.0:
        return np.where(e < 0, 1.0, np.where(e > 0, 0.0, 0.5))
    return 0.5 * (1.0 - np.tanh(e / (2.0 * temperature)))
