"""Finite, discrete version of the junction Hamiltonian (Eqs. S1, S2, S7, S9-S10).

Each lead has ``N`` orbital levels ``xi_n``; every level carries the four states
``(k_n, up), (k_n, down), (-k_n, up), (-k_n, down)``, paired exactly as in (S2).
The Hamiltonian is quadratic, so everything is encoded in the Bogoliubov-de Gennes
(Nambu) matrix ``H_BdG`` acting on ``Psi = (c_1 .. c_D, c_1^dag .. c_D^dag)``:

    H = 1/2 Psi^dag H_BdG Psi + const,   H_BdG = [[h, P], [P^dag, -h^*]],

with ``h`` the number-conserving part (levels and tunnelling) and ``P`` the
antisymmetric pairing matrix, ``1/2 sum_ij P_ij c_i^dag c_j^dag + h.c.``.

Single-particle index of mode ``(n, a, s)`` in a lead: ``4 n + 2 a + s_idx`` with
``a = 0`` for ``k_n`` and ``a = 1`` for ``-k_n``, ``s_idx = 0`` (up) / ``1`` (down);
the left-lead modes come first, then the right-lead ones.

Units: hbar = k_B = e = 1; all energies (levels, gaps, temperature, bias, hopping)
in the same, caller-chosen unit (the tests use Delta_L = 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..leads import fermi
from ..spin import PAULI

SPIN_SIGN = np.array([1.0, -1.0])
"""Spin index sigma = +1 (up), -1 (down)."""

BLOCK_KEYS = ("pp", "pm", "mp", "mm")
"""Amplitude blocks: (k, p), (k, -p), (-k, p), (-k, -p)."""


def default_levels(n_levels, bandwidth=6.0, seed=0, jitter=0.3):
    """Generic, non-degenerate orbital energies ``xi_n`` in a band.

    A uniform grid of ``n_levels`` points in ``[-bandwidth/2, bandwidth/2]`` (cell
    centres), each shifted by a reproducible random fraction ``jitter`` of the spacing,
    so that no two levels (and no level and its mirror ``-xi``) coincide.

    Parameters
    ----------
    n_levels : int
        Number of levels ``N``.
    bandwidth : float
        Full band width (energy units); should exceed the gaps.
    seed : int
        Seed of the jitter.
    jitter : float
        Relative jitter in units of the grid spacing, ``0 <= jitter < 0.5``.

    Returns
    -------
    ndarray, shape (N,)
        Sorted level energies (energy units).
    """
    if int(n_levels) < 1:
        raise ValueError("n_levels must be >= 1")
    if not (0 <= jitter < 0.5):
        raise ValueError("jitter must be in [0, 0.5)")
    n = int(n_levels)
    spacing = bandwidth / n
    grid = -bandwidth / 2 + spacing * (np.arange(n) + 0.5)
    rng = np.random.default_rng(seed)
    return np.sort(grid + jitter * spacing * rng.uniform(-1, 1, n))


def _as_levels(values, name):
    xi = np.asarray(values, dtype=float)
    if xi.ndim != 1 or xi.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d array")
    if not np.all(np.isfinite(xi)):
        raise ValueError(f"{name} must be finite")
    gaps = np.diff(np.sort(xi))
    if gaps.size and gaps.min() < 1e-9 * max(1.0, np.abs(xi).max()):
        raise ValueError(f"{name} contains degenerate levels")
    return xi


def _as_block(value, name):
    block = np.asarray(value, dtype=complex)
    if block.shape != (2, 2):
        raise ValueError(f"{name} must be a 2x2 spin matrix, got shape {block.shape}")
    if not np.all(np.isfinite(block)):
        raise ValueError(f"{name} must be finite")
    return block


@dataclass(frozen=True)
class FiniteJunction:
    r"""Two finite BCS leads coupled by spin-dependent tunnelling (Eqs. S1-S10).

    .. math::

        H_L = \sum_{k,s} \xi_k c^\dagger_{ks} c_{ks}
              - \frac{\Delta_L}{2} \sum_{k,s} s\,(c^\dagger_{ks} c^\dagger_{-k,-s} + h.c.)
        \quad (S2)

        H_{LR}(t) = e^{i(\phi_0/2 + eVt)} \sum_{n,m} t_{nm} \sum_{a,b=\pm}
              \sum_{s,s'} c^\dagger_{a k_n, s} J_{ab}[s,s'] c_{b p_m, s'}
        \quad (S7, S9, S10)

    and ``H_RL = H_LR^dag``; the sum over ``k`` in (S2) runs over both ``k_n`` and
    ``-k_n``.

    Parameters
    ----------
    levels_left, levels_right : array_like, shape (N_L,), (N_R,)
        Orbital energies ``xi_n`` measured from the common chemical potential.
    gap_left, gap_right : float
        Order parameters ``Delta_L, Delta_R >= 0`` (real; the phase difference is in
        ``phi0``).
    temperature : float
        ``k_B T >= 0`` of the initial (decoupled) leads.
    bias : float
        ``eV = mu_L - mu_R``; enters only through the phase of (S10).
    phi0 : float
        Phase difference ``phi_0`` (radians).
    blocks : 2x2 array or dict
        Spin amplitude blocks ``J_ab`` with keys ``'pp'`` (``J``), ``'pm'``, ``'mp'``,
        ``'mm'`` (``Jbar``). A single 2x2 matrix means all four blocks equal
        (momentum-independent amplitude). Dimensionless; multiplied by ``hopping``.
    hopping : float or array_like, shape (N_L, N_R)
        Real magnitudes ``t_nm`` (energy units); a scalar means uniform ``t_nm = t0``.
    """

    levels_left: np.ndarray
    levels_right: np.ndarray
    gap_left: float = 1.0
    gap_right: float = 1.0
    temperature: float = 0.0
    bias: float = 0.0
    phi0: float = 0.0
    blocks: dict | np.ndarray = field(default_factory=lambda: np.eye(2))
    hopping: object = 0.05

    def __post_init__(self):
        set_ = lambda k, v: object.__setattr__(self, k, v)  # noqa: E731
        xl = _as_levels(self.levels_left, "levels_left")
        xr = _as_levels(self.levels_right, "levels_right")
        set_("levels_left", xl)
        set_("levels_right", xr)
        for name in ("gap_left", "gap_right", "temperature", "bias", "phi0"):
            value = float(getattr(self, name))
            if not np.isfinite(value):
                raise ValueError(f"{name} must be finite")
            set_(name, value)
        for name in ("gap_left", "gap_right", "temperature"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for name, gap, xi in (("levels_left", self.gap_left, xl), ("levels_right", self.gap_right, xr)):
            if gap == 0 and np.abs(xi).min() < 1e-9:
                raise ValueError(
                    f"{name}: a zero-energy level in a normal lead is half-filled at T=0; shift it off xi=0"
                )
        blocks = self.blocks
        if isinstance(blocks, dict):
            missing = set(BLOCK_KEYS) - set(blocks)
            if missing:
                raise ValueError(f"blocks is missing keys {sorted(missing)}")
            blocks = {k: _as_block(blocks[k], f"blocks['{k}']") for k in BLOCK_KEYS}
        else:
            one = _as_block(blocks, "blocks")
            blocks = {k: one.copy() for k in BLOCK_KEYS}
        set_("blocks", blocks)
        t = np.asarray(self.hopping, dtype=float)
        if t.ndim == 0:
            t = np.full((xl.size, xr.size), float(t))
        if t.shape != (xl.size, xr.size):
            raise ValueError(f"hopping must be scalar or shape {(xl.size, xr.size)}, got {t.shape}")
        if not np.all(np.isfinite(t)):
            raise ValueError("hopping must be finite")
        set_("hopping", t)

    # ------------------------------------------------------------------ sizes
    @property
    def n_left(self):
        """Number of single-particle modes of the left lead, ``4 N_L``."""
        return 4 * self.levels_left.size

    @property
    def n_modes(self):
        """Number of single-particle modes ``D = 4 (N_L + N_R)``."""
        return 4 * (self.levels_left.size + self.levels_right.size)

    def scaled(self, factor):
        """Copy with all tunnelling magnitudes ``t_nm`` multiplied by ``factor``."""
        return replace(self, hopping=self.hopping * factor)

    def with_(self, **changes):
        """Copy with some parameters replaced (validated again)."""
        return replace(self, **changes)

    # ------------------------------------------------------------- matrices
    def spin_block_matrix(self):
        """The 4x4 amplitude matrix ``[[J_pp, J_pm], [J_mp, J_mm]]``, index (a, s)."""
        b = self.blocks
        return np.block([[b["pp"], b["pm"]], [b["mp"], b["mm"]]])

    def hopping_left_right(self):
        """Particle hopping block ``A`` (``4N_L x 4N_R``) of ``H_LR`` at unit phase.

        ``H_LR = e^{i theta} sum_ij A_ij c^dag_i c_j`` (Eq. S7, S10).
        """
        return np.kron(self.hopping, self.spin_block_matrix())

    def lead_hamiltonian_bdg(self):
        """BdG matrix of the decoupled leads ``H_L + H_R`` (Eq. S2), ``2D x 2D``."""
        xi = np.concatenate([np.repeat(self.levels_left, 4), np.repeat(self.levels_right, 4)])
        h = np.diag(xi).astype(complex)
        pair = np.zeros((4, 4))
        for a in range(2):
            for si, s in enumerate(SPIN_SIGN):
                # (1/2) P c^dag_{a,s} c^dag_{-a,-s}, P = -Delta s  (S2)
                pair[2 * a + si, 2 * (1 - a) + (1 - si)] = -s
        P = np.zeros((self.n_modes, self.n_modes), dtype=complex)
        nl = self.n_left
        P[:nl, :nl] = self.gap_left * np.kron(np.eye(self.levels_left.size), pair)
        P[nl:, nl:] = self.gap_right * np.kron(np.eye(self.levels_right.size), pair)
        return np.block([[h, P], [P.conj().T, -h.conj()]])

    def tunnelling_bdg(self):
        """BdG matrix ``X`` of the tunnelling such that ``H_tun,BdG(t) =
        g(t) [e^{i theta(t)} X + e^{-i theta(t)} X^dag]``, ``theta = phi0/2 + eV t``.

        ``X = diag(A, -A^T)`` with ``A`` the particle ``L <- R`` hopping (Eq. S7).
        """
        D, nl = self.n_modes, self.n_left
        A = np.zeros((D, D), dtype=complex)
        A[:nl, nl:] = self.hopping_left_right()
        Z = np.zeros_like(A)
        return np.block([[A, Z], [Z, -A.T]])

    def bdg_hamiltonian(self, t, envelope=1.0):
        """Full BdG matrix ``H_BdG(t)`` with tunnelling envelope ``g = envelope``."""
        X = self.tunnelling_bdg()
        phase = np.exp(1j * (self.phi0 / 2 + self.bias * t))
        return self.lead_hamiltonian_bdg() + envelope * (phase * X + np.conj(phase) * X.conj().T)

    def thermal_correlation(self, hamiltonian_bdg=None):
        r"""Nambu correlation matrix ``C = <Psi Psi^dag> = f(-H_BdG)`` (Eqs. S5, S6).

        ``C_ij = <Psi_i Psi_j^dag>``; its particle block is ``1 - rho`` with
        ``rho_ij = <c_j^dag c_i>``, the off-diagonal block ``C[i, D+j] = <c_i c_j>``.
        By default the state of the decoupled leads at ``temperature``.
        """
        H = self.lead_hamiltonian_bdg() if hamiltonian_bdg is None else hamiltonian_bdg
        eps, U = np.linalg.eigh(H)
        occ = hole_occupation(eps, self.temperature)
        return (U * occ) @ U.conj().T


def hole_occupation(eps, temperature):
    """``<gamma gamma^dag> = 1 - f(eps) = f(-eps)`` of BdG eigenmodes (Eq. S6), with the one
    Fermi function of the package (:func:`spintunnel.leads.fermi`)."""
    return fermi(-np.asarray(eps, dtype=float), temperature)


def spin_operator(junction, component, sector=None):
    """Particle-space matrix ``s`` of ``S_L = c^dag s c`` (Eq. 4 / S11).

    ``component`` in 0, 1, 2 (x, y, z); ``sector`` None (all left modes), 0 (``k_n``)
    or 1 (``-k_n``). Returns a ``4N_L x 4N_L`` matrix acting on the left modes.
    """
    proj = np.ones(2) if sector is None else np.eye(2)[sector]
    return np.kron(np.eye(junction.levels_left.size), np.kron(np.diag(proj), PAULI[component]))


def magnetization_from_correlation(junction, C_left_particle, real=True):
    """Left-lead magnetization per sector from ``C[Lp, Lp]`` (Eq. 4 / S11).

    ``M_L = sum_k sum_{ss'} sigma_{ss'} <c^dag_{ks} c_{ks'}> = -sum_k tr(sigma C_kk)``.

    Parameters
    ----------
    C_left_particle : ndarray, shape (..., 4N_L, 4N_L)
        Particle block of ``<Psi Psi^dag>`` restricted to the left modes.

    Returns
    -------
    ndarray, shape (..., 2, 3)
        Magnetization of the ``k_n`` sector (index 0) and ``-k_n`` sector (index 1),
        components (x, y, z), in units of (g/2) mu_B. With ``real=False`` the linear
        map is applied to a complex (non-Hermitian) matrix and returned complex.
    """
    nl = junction.n_left
    C = np.asarray(C_left_particle)
    lead = C.shape[:-2]
    idx = np.arange(nl).reshape(-1, 2, 2)  # (n, a, s)
    blocks = C[..., idx[:, :, :, None], idx[:, :, None, :]]  # (..., n, a, s, s')
    # -tr(sigma C_blk) = -sum_{s s'} sigma[s, s'] C[s', s]
    M = -np.einsum("xst,...nats->...ax", PAULI, blocks)
    assert M.shape == lead + (2, 3)
    return M.real if real else M
