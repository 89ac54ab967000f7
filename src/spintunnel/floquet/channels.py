"""Spin channels of a 2x2 amplitude J: the 4x4 Nambu-spin sideband chain is two scalar chains.

Singular-value decomposition ``J = U diag(s_1, s_2) V^dag`` (s_i >= 0).  Write
``U = e^{i alpha} U'`` and ``V = e^{i beta} V'`` with U', V' in SU(2).  A singlet BCS lead is
invariant under an SU(2) spin rotation of its own operators (``U' i sigma_y U'^T = i sigma_y``),
so the rotated operators ``c~_L = U'^dag c_L``, ``c~_R = V'^dag c_R`` describe the same leads,
and the tunnelling term (S9-S10) becomes::

    c_L^dag J c_R e^{i theta} = c~_L^dag diag(s_1, s_2) c~_R e^{i (theta + gamma)},
    e^{i gamma} = e^{i (alpha - beta)},                theta = phi0/2 + eV t.

A diagonal amplitude conserves the rotated spin, and the singlet pairs an up electron with a
down hole, so the sideband chain (docs/all_orders.md Sec. 3) splits into two independent
chains of scalar Nambu sub-sites:

    channel A = (e up, h down): electron bond t_e = s_1, hole bond t_h = s_2, pairing -p;
    channel B = (e down, h up): t_e = s_2, t_h = s_1, pairing +p,

and the gauge ``h -> -h`` of channel B (which leaves e-e and h-h elements unchanged) turns its
pairing into -p: channel B is channel A with s_1 and s_2 exchanged.  The electron block of the
lesser function is diagonal in the rotated spin, ``G~^<_{RL,ee} = diag(G_A, G_B)``, hence with
``K_c = ph t_e Sum_p G^<_{c; R(p+2m+1)e, L(p)e}`` (:func:`.kernel.bond_sums`) the bond sums of
the solver are::

    Tr[ J e^{i phi0/2} G^<_{RL,ee} ]           = K_A + K_B                 (charge)
    Tr[ sigma_k J e^{i phi0/2} G^<_{RL,ee} ]   = n^L_k (K_A - K_B)        (left spin)
    Tr[ J sigma_k e^{i phi0/2} G^<_{RL,ee} ]   = n^R_k (K_A - K_B)        (right spin)

with the unit vectors ``n^L_k = (U'^dag sigma_k U')_{up,up}`` (spin axis of U e_1) and
``n^R_k = (V'^dag sigma_k V')_{up,up}``.  A rank-deficient J has s_2 = 0: channel A loses its
hole bonds, channel B its electron bonds, and both chains fall apart into two-site pieces
(docs/all_orders.md Sec. 4, "Singular links").  For s_1 = s_2 (spin-degenerate, J = t U) the
two channels carry the same current and no spin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lead_greens import PAULI

__all__ = ["Channels", "decompose", "kernel"]


def kernel():
    """The compiled per-energy kernels (:mod:`.kernel`), imported on first use: numba loads
    them from its cache (or compiles them once); ``import spintunnel`` does not import numba."""
    from . import kernel as k

    return k


@dataclass(frozen=True)
class Channels:
    """``J = e^{i gamma} U' diag(s) V'^dag`` with U', V' in SU(2) (module docstring).

    Attributes
    ----------
    s : ndarray (2,)
        Singular values s_1 >= s_2 >= 0 (units of W).
    phase : complex
        e^{i gamma}; the channels' bonds carry ``e^{i phi0/2} e^{i gamma}``.
    axis_left, axis_right : ndarray (3,)
        Unit spin axes n^L, n^R of channel A in the left and right lead.
    """

    s: np.ndarray
    phase: complex
    axis_left: np.ndarray
    axis_right: np.ndarray

    @property
    def degenerate(self) -> bool:
        """s_1 = s_2 (to rounding): both channels are the same chain."""
        return bool(self.s[0] - self.s[1] <= 8 * np.finfo(float).eps * self.s[0])

    @property
    def bonds(self) -> list[tuple[float, float]]:
        """(t_e, t_h) of the channels to solve: A only when degenerate, else A and B."""
        s1, s2 = (float(x) for x in self.s)
        return [(s1, s2)] if self.degenerate else [(s1, s2), (s2, s1)]


def _su2(U):
    """U = e^{i a} U' with det U' = 1: returns (U', e^{i a})."""
    r = np.sqrt(np.linalg.det(U) + 0j)
    return U / r, r


def _axis(U):
    return np.array([(U.conj().T @ P @ U)[0, 0].real for P in PAULI])


def decompose(J) -> Channels:
    """Channels of the 2x2 amplitude J (module docstring)."""
    u, s, vh = np.linalg.svd(np.asarray(J, complex))
    Up, ru = _su2(u)
    Vp, rv = _su2(vh.conj().T)
    return Channels(s=s, phase=complex(ru * np.conj(rv)), axis_left=_axis(Up), axis_right=_axis(Vp))
