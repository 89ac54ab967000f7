"""Weak-link models: tunnelling amplitudes J/J0 as 2x2 spin matrices, and their partners.

Every model returns ``J/J0``, a complex 2x2 array indexed ``[s, s']`` with ``s`` the spin in
the left lead and ``s'`` in the right lead (Eq. S7; see :mod:`spintunnel.spin`). The
partner block ``Jbar`` of (-k, -p) follows from a time-reversal relation,
``Jbar(B) = time_reversed(J(-B), convention)``: use :func:`model_pair` for a model with
named field parameters, :func:`link_pair` for matrices.

Models
------
* :func:`straight_rashba_zeeman`: straight link along x, Rashba field along z, Zeeman
  field B_y, to linear order in B_y (Eq. 11, S45).
* :func:`bent_two_segment`: two segments at angles +theta, -theta, Rashba field along z
  (S26) or y (S27).
* :func:`spin_active`: a generic spin-active link ``a + b.sigma`` with complex a, b
  (magnetic inclusions may break time reversal).
* :func:`user_matrix`: any 2x2 matrix, validated.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .inputs import real
from .spin import PAULI, SIGMA_0, SIGMA_Y, SIGMA_Z, as_spin_matrix, time_reversed


def _time_odd(*names: str):
    """Declare the parameters of a link model that change sign under time reversal
    (odd in the magnetic field); :func:`model_pair` flips them to build J(-B)."""

    def mark(model):
        model.time_odd = names
        return model

    return mark


@_time_odd("b")
def straight_rashba_zeeman(kso_d: float, b: float, kf_over_kso: float) -> np.ndarray:
    """Straight link with Rashba and Zeeman fields, to linear order in B_y (Eq. 11, S45).

    Hamiltonian of the link: a wire of length d along x, Rashba interaction
    ``k k_so sigma_z / m*`` and Zeeman field B_y (energy units) along y. Its amplitude is

        J(B_y)/J0 = -cos(k_so d) - i sin(k_so d) sigma_z
                    + sigma_y b [cos(k_so d) - i sqrt(k_F^2 + k_so^2)/k_so sin(k_so d)],

    with ``b = m* B_y / k_F^2``.

    Parameters
    ----------
    kso_d : float
        Rashba phase k_so d (dimensionless), any finite real.
    b : float
        Dimensionless Zeeman field m* B_y / k_F^2; |b| < 1 (the amplitude is first order in
        B_y, physically b ~ mu_B B_y / E_F << 1). Odd under time reversal.
    kf_over_kso : float
        k_F / k_so > 0 (dimensionless).

    Returns
    -------
    numpy.ndarray, complex, shape (2, 2)
        J/J0 (dimensionless).
    """
    x = real(kso_d, "kso_d", "any finite real number")
    b = real(b, "b", "|b| < 1 (linear order in B_y)", lambda v: abs(v) < 1)
    q = real(kf_over_kso, "kf_over_kso", "k_F/k_so > 0, finite", lambda v: v > 0)
    ratio = math.sqrt(1.0 + q * q)  # sqrt(k_F^2 + k_so^2) / k_so
    c, s = math.cos(x), math.sin(x)
    return -c * SIGMA_0 - 1j * s * SIGMA_Z + b * (c - 1j * ratio * s) * SIGMA_Y


@_time_odd()
def bent_two_segment(kso_d: float, theta: float, field: str = "z") -> np.ndarray:
    """Bent link of two segments of length d/2 at angles +theta and -theta to x (S26, S27).

    For the electric field of the Rashba interaction along z (S26):

        J/J0 = cos^2(k_so d/2) - sin^2(k_so d/2) cos(2 theta)
               + i sigma . [y sin(k_so d) cos(theta) + z sin^2(k_so d/2) sin(2 theta)],

    and along y (S27): ``J/J0 = cos(k_so d cos theta) - i sigma_z sin(k_so d cos theta)``.
    No magnetic field: the link is time-reversal invariant.

    Parameters
    ----------
    kso_d : float
        Rashba phase k_so d (dimensionless), any finite real.
    theta : float
        Angle of the segments with the x axis, in radians, any finite real.
    field : {"z", "y"}
        Direction of the electric field that creates the Rashba interaction.

    Returns
    -------
    numpy.ndarray, complex, shape (2, 2)
        J/J0 (dimensionless); unitary.
    """
    x = real(kso_d, "kso_d", "any finite real number")
    th = real(theta, "theta", "any finite real number (radians)")
    if field == "z":
        a = math.cos(x / 2) ** 2 - math.sin(x / 2) ** 2 * math.cos(2 * th)
        vec = (0.0, math.sin(x) * math.cos(th), math.sin(x / 2) ** 2 * math.sin(2 * th))
        return a * SIGMA_0 + 1j * np.tensordot(vec, PAULI, axes=1)
    if field == "y":
        phase = x * math.cos(th)
        return math.cos(phase) * SIGMA_0 - 1j * math.sin(phase) * SIGMA_Z
    raise ValueError(f"field must be 'z' (S26) or 'y' (S27), got {field!r}")


@_time_odd()
def spin_active(a: complex, b) -> np.ndarray:
    """Generic spin-active link ``J/J0 = a + b . sigma`` with complex a and b.

    Real a, b give an SU(2)-like (time-reversal invariant under the standard relation)
    amplitude up to a factor; complex a, b describe e.g. magnetic inclusions, which break
    time reversal and may filter spin (``|J|`` depends on spin).

    Parameters
    ----------
    a : complex
        Spin-independent part (dimensionless), finite.
    b : array_like, shape (3,)
        Spin-dependent vector (b_x, b_y, b_z) (dimensionless, complex), finite.

    Returns
    -------
    numpy.ndarray, complex, shape (2, 2)
        J/J0.
    """
    a_ = complex(a)
    if not (math.isfinite(a_.real) and math.isfinite(a_.imag)):
        raise ValueError(f"a = {a!r} is out of range: allowed any finite complex number")
    b_ = np.asarray(b, dtype=complex)
    if b_.shape != (3,) or not np.all(np.isfinite(b_)):
        raise ValueError(f"b must be a finite complex 3-vector (b_x, b_y, b_z), got {b!r}")
    return a_ * SIGMA_0 + np.tensordot(b_, PAULI, axes=1)


def user_matrix(J) -> np.ndarray:
    """A user-given amplitude ``J[s, s']`` (Eq. S7), validated as a finite 2x2 complex array."""
    return as_spin_matrix(J, "J").copy()


def link_pair(
    J: ArrayLike, J_reversed_field: ArrayLike | None = None, *, convention: str = "standard"
) -> tuple[np.ndarray, np.ndarray]:
    """The amplitude pair (J, Jbar) of a link given as matrices.

    Parameters
    ----------
    J : array_like, shape (2, 2)
        Amplitude of (k, p) at the applied fields B.
    J_reversed_field : array_like, shape (2, 2), optional
        Amplitude of the same link with every magnetic field reversed, J(-B). Omit it for a
        link without magnetic fields (then J(-B) = J).
    convention : {"standard", "paper"}
        Time-reversal relation, see :func:`spintunnel.spin.time_reversed`.

    Returns
    -------
    (J, Jbar) : tuple of numpy.ndarray, shape (2, 2)
        ``Jbar = time_reversed(J(-B), convention)``, the block of (-k, -p).
    """
    J = as_spin_matrix(J, "J")
    reversed_ = J if J_reversed_field is None else as_spin_matrix(J_reversed_field, "J_reversed_field")
    return J, time_reversed(reversed_, convention)


def model_pair(
    model: Callable[..., np.ndarray], *, convention: str = "standard", **params: Any
) -> tuple[np.ndarray, np.ndarray]:
    """(J, Jbar) of a link model, reversing the model's magnetic fields for Jbar.

    ``model`` is one of this module's model functions; the parameters it lists in
    ``model.time_odd`` (e.g. ``b`` of :func:`straight_rashba_zeeman`) change sign in J(-B).

    Examples
    --------
    >>> J, Jbar = model_pair(straight_rashba_zeeman, kso_d=0.8, b=1e-3, kf_over_kso=3.0)
    """
    odd = getattr(model, "time_odd", None)
    if odd is None:
        raise ValueError(f"{model!r} is not a link model with declared time-odd parameters")
    reversed_params = {k: (-v if k in odd else v) for k, v in params.items()}
    return link_pair(model(**params), model(**reversed_params), convention=convention)
