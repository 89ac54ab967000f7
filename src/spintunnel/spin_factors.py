"""Spin factors of the dc and ac magnetization, from their definitions.

Given the amplitude block ``J`` of (k, p) and ``Jbar`` of (-k, -p) (see :mod:`spintunnel.spin`),
the paper's second-order results factorise into an energy kernel (:mod:`spintunnel.kernels`)
times a spin factor:

* ac (Eq. 13, S23):  ``X = sum_{s,s'} s sigma_{s s'} sum_{s''} s'' J[s', s''] Jbar[-s, -s'']``,
  with ``M_ac(t)`` proportional to ``X exp(i(phi0 + 2 eV t)) + c.c.``;
* dc (Eq. 7-8, S39, after relabelling p -> -p, s'' -> -s'' in the second term):
  ``Y = sum_{s,s'} sigma_{s s'} sum_{s''} (conj(J[s,s'']) J[s',s''] + s s' conj(Jbar[-s',-s'']) Jbar[-s,-s''])``.

Closed matrix forms (derived in ``docs/spin_factors.md``, checked in the tests), with
``eps = i sigma_y``:

    X = -Tr(sigma J eps Jbar^T eps),        Y = Tr(sigma J J^dag) - Tr(sigma Jbar Jbar^dag).

Both are odd under the exchange J <-> Jbar, i.e. under (k, p) <-> (-k, -p), while the
printed kernels depend on the momenta only through xi_k, xi_p: summed over all momenta as
Eq. (4) requires, the printed formulas (Eq. 7, 12) cancel pairwise.
"""

from __future__ import annotations

import numpy as np

from .spin import PAULI, as_spin_matrix

_SIGNS = np.array([1.0, -1.0])  # spin index 0 -> s = +1, index 1 -> s = -1
_FLIP = [1, 0]  # index of -s


def _validated(J, Jbar):
    """(J, Jbar with both spin indices flipped, Jbar_flipped[a, b] = Jbar[-a, -b])."""
    J = as_spin_matrix(J, "J")
    Jbar = as_spin_matrix(Jbar, "Jbar")
    return J, Jbar[..., _FLIP, :][..., :, _FLIP]


def spin_factor_ac(J, Jbar) -> np.ndarray:
    """ac spin factor X (Eq. 13, S23), evaluated from its index-sum definition.

    ``X = sum_{s,s'} s sigma_{s s'} sum_{s''} s'' J[s', s''] Jbar[-s, -s'']``.

    Parameters
    ----------
    J, Jbar : array_like, shape (..., 2, 2)
        Amplitude blocks of (k, p) and (-k, -p), in units of J0 (or any common unit u).

    Returns
    -------
    numpy.ndarray, complex, shape (..., 3)
        (X_x, X_y, X_z) in units of u^2 (|J0|^2 for amplitudes given as J/J0).
        ``M_L,ac(t) = K_ac * (X exp(i(phi0 + 2eVt)) + c.c.)`` per rho_L rho_R (Eq. S23).
    """
    J, Jbar_flipped = _validated(J, Jbar)
    # inner[s', s] = sum_{s''} s'' J[s', s''] Jbar[-s, -s'']
    inner = np.einsum("...tu,u,...su->...ts", J, _SIGNS, Jbar_flipped)
    # X_i = sum_{s,s'} s sigma^i_{s s'} inner[s', s]
    return np.einsum("s,ist,...ts->...i", _SIGNS, PAULI, inner)


def spin_factor_dc(J, Jbar) -> np.ndarray:
    """dc spin factor Y (Eq. 7-8, S39), evaluated from its index-sum definition.

    ``Y = sum_{s,s'} sigma_{s s'} sum_{s''} (conj(J[s,s'']) J[s',s'']
    + s s' conj(Jbar[-s',-s'']) Jbar[-s,-s''])``.

    Parameters
    ----------
    J, Jbar : array_like, shape (..., 2, 2)
        Amplitude blocks of (k, p) and (-k, -p), in units of J0 (or any common unit u).

    Returns
    -------
    numpy.ndarray, complex, shape (..., 3)
        (Y_x, Y_y, Y_z) in units of u^2; real up to round-off (Y is a sum of traces of
        Hermitian matrices with Pauli matrices). ``M_L,dc = K_dc * Y`` per rho_L rho_R (Eq. S39).
    """
    J, Jbar_flipped = _validated(J, Jbar)
    # direct[s, s'] = sum_{s''} conj(J[s, s'']) J[s', s'']
    direct = np.einsum("...su,...tu->...st", J.conj(), J)
    # partner[s, s'] = s s' sum_{s''} conj(Jbar[-s', -s'']) Jbar[-s, -s'']
    partner = np.einsum("s,t,...tu,...su->...st", _SIGNS, _SIGNS, Jbar_flipped.conj(), Jbar_flipped)
    return np.einsum("ist,...st->...i", PAULI, direct + partner)
