"""Exact time evolution of the Nambu correlation matrix (the Hamiltonian is quadratic).

Heisenberg: ``i dPsi/dt = H_BdG(t) Psi`` so ``Psi(t) = W(t) Psi(0)`` with
``i dW/dt = H_BdG(t) W`` and ``C(t) = <Psi Psi^dag>(t) = W C(0) W^dag``, exactly.
``W`` is integrated by the fourth-order Magnus method (two Gauss points, one
commutator), whose exponentials are exact for the static lead part; the steps are
taken in the Majorana basis, where particle-hole symmetry makes each of them a real
orthogonal matrix (real arithmetic, no complex eigensolve). The tunnelling
is switched on during ``-ramp_time < t < 0`` by a smooth envelope ``g(t)``; for
``t >= 0`` the Hamiltonian is periodic with period ``2 pi / eV`` (Eq. S9-S10), so one
period propagator is computed once and reused (Floquet):
``C(nP + tau) = W(tau) W_P^n C(0) W_P^{n dag} W(tau)^dag``.

Units: hbar = k_B = e = 1; times in inverse energy units.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .analysis import fit_harmonics
from .model import FiniteJunction, magnetization_from_correlation, spin_operator

_GAUSS = np.array([0.5 - np.sqrt(3) / 6, 0.5 + np.sqrt(3) / 6])


def ramp_envelope(x, shape="smooth"):
    """Switching envelope ``g`` of the tunnelling, ``x = `` fraction of the ramp.

    ``'smooth'``: the C-infinity step ``psi(x) / (psi(x) + psi(1-x))`` with
    ``psi(x) = exp(-1/x)``; all derivatives vanish at both ends, so non-adiabatic
    excitations decay faster than any power of ``ramp_time * gap``.
    ``'sin2'``: ``sin^2(pi x / 2)`` (errors ~ ``(ramp_time * gap)^-2``).
    """
    x = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
    if shape == "sin2":
        return np.sin(0.5 * np.pi * x) ** 2
    if shape != "smooth":
        raise ValueError("ramp shape must be 'smooth' or 'sin2'")
    with np.errstate(divide="ignore", over="ignore"):
        a = np.where(x > 0, np.exp(-1.0 / np.where(x > 0, x, 1.0)), 0.0)
        b = np.where(x < 1, np.exp(-1.0 / np.where(x < 1, 1 - x, 1.0)), 0.0)
    return a / (a + b)


_NAMBU_TO_MAJORANA = np.array([[1, 1], [-1j, 1j]]) / np.sqrt(2)
"""``gamma = (u (x) 1) Psi``: ``gamma_j = (c_j + c_j^dag)/sqrt2``, ``-i (c_j - c_j^dag)/sqrt2``."""


def _conjugate(u, M):
    """``(u (x) 1) M (u (x) 1)^dag`` of a ``2D x 2D`` matrix, for a 2x2 ``u``, in O(D^2)."""
    D = M.shape[-1] // 2
    out = np.einsum("ag,gidj,bd->aibj", u, M.reshape(2, D, 2, D), u.conj(), optimize=True)
    return out.reshape(2 * D, 2 * D)


def _majorana_from_nambu(M):
    """A Nambu-basis matrix in the Majorana basis."""
    return _conjugate(_NAMBU_TO_MAJORANA, M)


def _nambu_from_majorana(O):
    """A Majorana-basis matrix back in the Nambu basis."""
    return _conjugate(_NAMBU_TO_MAJORANA.conj().T, O)


def _real_generator(H):
    """``A`` real antisymmetric with ``H = i A`` in the Majorana basis, for a Hermitian
    BdG matrix ``H`` obeying particle-hole symmetry ``tau_x H^* tau_x = -H``."""
    A = -1j * _majorana_from_nambu(H)
    if np.abs(A.imag).max() > 1e-12 * max(1.0, np.abs(A.real).max()):
        raise ValueError("BdG matrix violates particle-hole symmetry")
    A = A.real
    return 0.5 * (A - A.T)


def _orthogonal_exp(G):
    """``exp(G)`` of a real antisymmetric ``G``: ``cos(R) + G sinc(R)`` with ``R^2 = -G^2``,
    both entire functions of the symmetric ``G^2``, so one real symmetric eigensolve is
    exact however its eigenvalues (degenerate in pairs) are resolved."""
    mu, V = np.linalg.eigh(G @ G)
    r = np.sqrt(np.maximum(-mu, 0.0))
    return (V * np.cos(r)) @ V.T + G @ ((V * np.sinc(r / np.pi)) @ V.T)


class _Propagator:
    """Fourth-order Magnus steps for ``i dW/dt = H(t) W``, done in real arithmetic.

    ``H(t)`` is the BdG matrix of (Eqs. S2, S7, S9-S10), energy units, with
    ``H(t) = H0 + g (e^{i theta} X + e^{-i theta} X^dag)
    = H0 + g [cos(theta) (X + X^dag) + sin(theta) i (X - X^dag)]``; in the Majorana basis
    each of the three BdG matrices is ``i`` times a real antisymmetric one
    (``A0, Ac, As``), so the Magnus exponent ``-i K`` is real antisymmetric and every step
    is a real orthogonal matrix. Its commutator is a combination of the three constant
    commutators of ``A0, Ac, As``: no matrix product per step but the exponential's.
    """

    def __init__(self, junction: FiniteJunction):
        self.H0 = junction.lead_hamiltonian_bdg()
        self.X = junction.tunnelling_bdg()
        self.Xd = self.X.conj().T
        self.bias = junction.bias
        self.phi0 = junction.phi0
        A0 = _real_generator(self.H0)
        Ac = _real_generator(self.X + self.Xd)
        As = _real_generator(1j * (self.X - self.Xd))
        self._generators = (A0, Ac, As)
        comm = lambda a, b: a @ b - b @ a  # noqa: E731
        self._commutators = (comm(A0, Ac), comm(A0, As), comm(Ac, As))

    def hamiltonian(self, t, g):
        """``H_BdG(t)`` in the Nambu basis, tunnelling envelope ``g``."""
        phase = np.exp(1j * (self.phi0 / 2 + self.bias * t))
        return self.H0 + g * (phase * self.X + np.conj(phase) * self.Xd)

    def step(self, t, h, envelope):
        """Real orthogonal Majorana-basis unitary of one Magnus-4 step, ``t -> t + h``
        (inverse energy units, hbar = 1); ``envelope(t)`` is the tunnelling factor ``g``.

        ``-i K = (h/2)(B1 + B2) + (sqrt3/12) h^2 [B2, B1]`` with ``H(t_i) = i B_i``.
        """
        A0, Ac, As = self._generators
        F0c, F0s, Fcs = self._commutators
        t1, t2 = t + h * _GAUSS
        th1, th2 = self.phi0 / 2 + self.bias * t1, self.phi0 / 2 + self.bias * t2
        p1, q1 = envelope(t1) * np.cos(th1), envelope(t1) * np.sin(th1)
        p2, q2 = envelope(t2) * np.cos(th2), envelope(t2) * np.sin(th2)
        # B_i = A0 + p_i Ac + q_i As, so
        # [B2, B1] = (p1 - p2)[A0, Ac] + (q1 - q2)[A0, As] + (p2 q1 - q2 p1)[Ac, As]
        c = (np.sqrt(3) / 12) * h**2
        G = (
            h * A0
            + (0.5 * h * (p1 + p2)) * Ac
            + (0.5 * h * (q1 + q2)) * As
            + (c * (p1 - p2)) * F0c
            + (c * (q1 - q2)) * F0s
            + (c * (p2 * q1 - q2 * p1)) * Fcs
        )
        return _orthogonal_exp(G)


@dataclass
class EvolutionResult:
    """Time traces of the exact evolution (all after the ramp unless stated).

    Attributes
    ----------
    times : ndarray (nt,)
        Sampling times (inverse energy units); the tunnelling is fully on for t >= 0.
    magnetization : ndarray (nt, 3)
        ``M_L(t)`` (Eq. 4 / S11), units (g/2) mu_B.
    magnetization_sector : ndarray (nt, 2, 3)
        Contributions of the ``k_n`` states (index 0) and the ``-k_n`` states (1).
    spin_current : ndarray (nt, 3)
        ``dM_L/dt = i <[H, S_L]>`` (Eq. 5), units (g/2) mu_B x energy.
    charge_current : ndarray (nt,)
        Particle current into the left lead through the link, ``i <[H_tun, N_L]>``
        (electrons per unit time; charge current ``-e`` times it).
    bias : float
        ``eV``; the Josephson frequency of the harmonics is ``2 eV``.
    ramp_times, ramp_magnetization : ndarray
        Samples during the switching (empty unless ``record_ramp``).
    timings : dict
        Wall-clock seconds of the stages ``'ramp'``, ``'period'`` (one-period
        propagator) and ``'sampling'`` (all periods, reusing it).
    """

    times: np.ndarray
    magnetization: np.ndarray
    magnetization_sector: np.ndarray
    spin_current: np.ndarray
    charge_current: np.ndarray
    bias: float
    ramp_times: np.ndarray
    ramp_magnetization: np.ndarray
    timings: dict

    def harmonics(self, signal="magnetization", n_harmonics=2):
        """Static part and harmonics of ``2 eV`` of a trace, see :func:`fit_harmonics`."""
        if self.bias == 0:
            raise ValueError("bias is zero: no Josephson frequency")
        data = getattr(self, signal)
        return fit_harmonics(self.times, data, 2 * abs(self.bias), n_harmonics)


def evolve(
    junction: FiniteJunction,
    *,
    ramp_time,
    n_periods=4,
    samples_per_period=16,
    max_step=0.1,
    ramp_shape="smooth",
    record_ramp=False,
    period=None,
    progress=None,
):
    """Exact evolution of the junction from the thermal state of the decoupled leads.

    Parameters
    ----------
    junction : FiniteJunction
    ramp_time : float
        Duration of the switching of the tunnelling (inverse energy units); should be
        long compared with the inverse of the smallest gap of the spectrum.
    n_periods : int
        Number of drive periods ``P = 2 pi / eV`` sampled after the ramp.
    samples_per_period : int
        Samples per period ``P`` (the magnetization has period ``P / 2``).
    max_step : float
        Largest Magnus step (inverse energy units).
    ramp_shape : {'smooth', 'sin2'}
    record_ramp : bool
        Also record ``M_L`` after every ramp step (for checks during the switching).
    period : float, optional
        Sampling period when ``bias == 0`` (default ``2 pi``).
    progress : callable, optional
        Called as ``progress(fraction)`` (0 to 1, in Magnus steps) while it runs.

    Returns
    -------
    EvolutionResult
    """
    if not (np.isfinite(ramp_time) and ramp_time >= 0):
        raise ValueError("ramp_time must be finite and >= 0")
    if not (np.isfinite(max_step) and max_step > 0):
        raise ValueError("max_step must be finite and > 0")
    if int(n_periods) < 1 or int(samples_per_period) < 1:
        raise ValueError("n_periods and samples_per_period must be >= 1")
    n_periods, samples = int(n_periods), int(samples_per_period)
    P = 2 * np.pi / abs(junction.bias) if junction.bias != 0 else (period or 2 * np.pi)

    prop = _Propagator(junction)
    D, nl = junction.n_modes, junction.n_left
    C = junction.thermal_correlation()

    # --- switching on, -ramp_time < t < 0
    clock = time.perf_counter()
    timings = {}
    ramp_t, ramp_M = [], []
    n_ramp = int(np.ceil(ramp_time / max_step)) if ramp_time > 0 else 0
    per_sample = int(np.ceil(P / samples / max_step))
    n_steps = n_ramp + samples * per_sample + n_periods  # a sampling period costs about a step
    done = [0]

    def tick():
        done[0] += 1
        if progress is not None:
            progress(done[0] / n_steps)

    if ramp_time > 0:
        h = ramp_time / n_ramp
        env = lambda t: ramp_envelope((t + ramp_time) / ramp_time, ramp_shape)  # noqa: E731
        W = np.eye(2 * D)  # Majorana basis, real orthogonal
        for i in range(n_ramp):
            t = -ramp_time + i * h
            W = prop.step(t, h, env) @ W
            tick()
            if record_ramp:
                Wl = _nambu_from_majorana(W)[:nl]
                ramp_t.append(t + h)
                ramp_M.append(magnetization_from_correlation(junction, (Wl @ C @ Wl.conj().T)[:, :nl]).sum(axis=0))
        W = _nambu_from_majorana(W)
        C = W @ C @ W.conj().T
    timings["ramp"] = time.perf_counter() - clock
    clock = time.perf_counter()

    # --- one period at full coupling, storing W at the sampling points
    h = P / (samples * per_sample)
    full = lambda t: 1.0  # noqa: E731
    W = np.eye(2 * D)  # Majorana basis, real orthogonal
    B = np.empty((samples, 2 * D, 2 * D), dtype=complex)
    for j in range(samples):
        B[j] = _nambu_from_majorana(W)
        for i in range(per_sample):
            W = prop.step(j * P / samples + i * h, h, full) @ W
            tick()
    W_period = _nambu_from_majorana(W)
    timings["period"] = time.perf_counter() - clock
    clock = time.perf_counter()

    # --- reuse the period propagator
    B_rows = B[:, :nl, :]  # (S, nl, 2D)  rows of left particles
    B_cols = B[:, :D, :].conj().transpose(0, 2, 1)  # (S, 2D, D)
    tau = np.arange(samples) * P / samples
    traces = []
    for n in range(n_periods):
        rows = np.matmul(np.matmul(B_rows, C), B_cols)  # (S, nl, D) = C(t)[Lp, :D]
        traces.append(observe(junction, n * P + tau, rows))
        C = W_period @ C @ W_period.conj().T
        tick()
    timings["sampling"] = time.perf_counter() - clock
    return traces_result(junction, traces, timings, ramp_t, ramp_M)


def observe(junction, t, rows):
    """Observables at times ``t`` (S,) from the rows ``C(t)[Lp, :D]`` (S, 4N_L, D) of the
    Nambu correlation matrix: ``(t, M_sector (S, 2, 3), I_spin (S, 3), I_charge (S,))``,
    Eq. 4 / S11 and the Heisenberg currents of Eq. 5 (units of :class:`EvolutionResult`)."""
    nl = junction.n_left
    A0 = junction.hopping_left_right()
    sig = np.array([spin_operator(junction, c) for c in range(3)])
    phase = np.exp(1j * (junction.phi0 / 2 + junction.bias * t))
    # Z = T_LR C_RL with C_RL = C_LR^dag; I = -2 Im tr(s Z)   (Heisenberg, Eq. 5)
    Z = phase[:, None, None] * np.matmul(A0, rows[:, :, nl:].conj().transpose(0, 2, 1))
    return (
        t,
        magnetization_from_correlation(junction, rows[:, :, :nl]),
        -2 * np.einsum("xij,sji->sx", sig, Z).imag,
        -2 * np.trace(Z, axis1=1, axis2=2).imag,
    )


def traces_result(junction, traces, timings, ramp_t=(), ramp_M=()):
    """:class:`EvolutionResult` from a list of :func:`observe` outputs."""
    t, M_sec, I_spin, I_charge = (np.concatenate(x) for x in zip(*traces, strict=False))
    return EvolutionResult(
        times=t,
        magnetization=M_sec.sum(axis=1),
        magnetization_sector=M_sec,
        spin_current=I_spin,
        charge_current=I_charge,
        bias=junction.bias,
        ramp_times=np.array(ramp_t),
        ramp_magnetization=np.array(ramp_M).reshape(-1, 3),
        timings=timings,
    )
