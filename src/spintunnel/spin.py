"""Spin space: Pauli matrices, validated 2x2 amplitudes, time reversal, rotations.

Conventions (fixed for the whole package)
-----------------------------------------
* Spin index sigma = +1 (up) and -1 (down); a 2x2 spin matrix ``A`` is indexed
  ``A[up, down]``, i.e. row/column 0 is sigma = +1 and 1 is sigma = -1.
* ``J[s, s']`` is the tunnelling amplitude of an electron (p, s') in the right lead to
  (k, s) in the left lead, ``H_LR = sum c^dag_{k s} J[s, s'] c_{p s'}`` (Eq. S7).
* ``Jbar`` is the amplitude block of the partner process (-p, -s') -> (-k, -s):
  ``Jbar[a, b] = J_{-k a, -p b}``.

Time reversal
-------------
For spin-1/2 the antiunitary time-reversal operator is Theta = i sigma_y K, acting on
electron operators as ``Theta c_{k s} Theta^-1 = s c_{-k,-s}``. Applying it to ``H_LR``,

    Theta H_LR Theta^-1 = sum c^dag_{-k,-s} [s s' conj(J_{ks,ps'})] c_{-p,-s'},

so a link whose Hamiltonian is invariant under Theta once its magnetic fields B are
reversed has

    J_{-k -s, -p -s'}(B) = s s' conj(J_{k s, p s'}(-B)),   i.e.  Jbar(B) = sigma_y J(-B)^* sigma_y.

This is the ``"standard"`` relation. The paper prints the same relation without the sign
factor s s' (Eq. 9, S24, S42): ``Jbar[-s, -s'] = conj(J[s, s'])``, i.e.
``Jbar = sigma_x J^* sigma_x``; this is the ``"paper"`` relation. The map sigma_x K squares
to +1 and is not the time reversal of a spin-1/2 particle (Theta^2 = -1). See
``docs/spin_factors.md``.
"""

from __future__ import annotations

import numpy as np

SIGMA_0 = np.eye(2, dtype=complex)
SIGMA_X = np.array([[0, 1], [1, 0]], dtype=complex)
SIGMA_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
SIGMA_Z = np.array([[1, 0], [0, -1]], dtype=complex)
#: Pauli vector (sigma_x, sigma_y, sigma_z), shape (3, 2, 2).
PAULI = np.stack([SIGMA_X, SIGMA_Y, SIGMA_Z])
#: epsilon = i sigma_y = [[0, 1], [-1, 0]]: epsilon[s, -s] = s, the singlet metric.
EPSILON = 1j * SIGMA_Y

#: Names accepted for the time-reversal relation between J and Jbar.
CONVENTIONS = ("standard", "paper")


def as_spin_matrix(matrix, name: str = "J", single: bool = False) -> np.ndarray:
    """Return ``matrix`` as a complex array of shape (..., 2, 2) (``single``: exactly (2, 2)),
    validated.

    Raises
    ------
    ValueError
        If the trailing shape is not (2, 2) (with ``single``: the shape is not (2, 2)) or any
        entry is not finite; the message names the parameter ``name``.
    """
    try:
        arr = np.asarray(matrix, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a 2x2 complex matrix, got {matrix!r}") from exc
    if arr.ndim < 2 or arr.shape[-2:] != (2, 2):
        raise ValueError(f"{name} must be a 2x2 spin matrix (trailing shape (2, 2)), got shape {arr.shape}")
    if single and arr.shape != (2, 2):
        raise ValueError(f"{name} must be one 2x2 spin matrix, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has non-finite entries (NaN or inf): {arr}")
    return arr


def check_convention(convention: str) -> str:
    """Validate the name of a time-reversal relation (one of :data:`CONVENTIONS`)."""
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    return convention


def time_reversed(J, convention: str = "standard") -> np.ndarray:
    """The antiunitary partner of an amplitude matrix: the block Jbar of (-k, -p).

    Applies the map to the matrix ``J`` alone. For a link with magnetic fields, pass the
    amplitude with the fields reversed, ``J(-B)``: then ``Jbar(B) = time_reversed(J(-B))``.

    Parameters
    ----------
    J : array_like, shape (..., 2, 2)
        Tunnelling amplitude ``J[s, s']`` (Eq. S7), any unit (the map is linear in |J|).
    convention : {"standard", "paper"}
        ``"standard"``: Theta = i sigma_y K, ``Jbar[-s,-s'] = s s' conj(J[s,s'])``,
        i.e. ``sigma_y J^* sigma_y`` (derived in the module docstring).
        ``"paper"``: the relation printed in Eq. (9), (S24), (S42),
        ``Jbar[-s,-s'] = conj(J[s,s'])``, i.e. ``sigma_x J^* sigma_x``.

    Returns
    -------
    numpy.ndarray, shape (..., 2, 2)
        Jbar in the unit of ``J``.
    """
    J = as_spin_matrix(J, "J")
    flip = SIGMA_Y if check_convention(convention) == "standard" else SIGMA_X
    return flip @ J.conj() @ flip


def rotation_so3(R) -> np.ndarray:
    """The SO(3) image O of a spin rotation R in U(2): ``R^dag sigma_i R = sum_j O_ij sigma_j``.

    With this O, a global spin rotation of both leads (``J -> R J R^dag``) rotates every
    spin vector v of the package as ``v -> O v``.
    """
    R = as_spin_matrix(R, "R")
    if not np.allclose(R.conj().swapaxes(-1, -2) @ R, SIGMA_0, atol=1e-10):
        raise ValueError("R must be unitary")
    # O_ij = Tr(R^dag sigma_i R sigma_j) / 2
    return 0.5 * np.einsum("...ab,ibc,...cd,jda->...ij", R.conj().swapaxes(-1, -2), PAULI, R, PAULI).real
