"""Periodic steady state of the finite model with every lead state relaxed towards equilibrium.

The closed finite model has no steady state above the pair-breaking threshold (the injected
quasiparticles fill its few levels, and the local Green's function revives at
``pi N / D``). Relaxing every lead state towards the equilibrium of the decoupled leads at a
rate ``gamma`` (a Lindblad master equation whose jump operators are linear in the
quasiparticle operators of the lead Hamiltonian (S2): ``sqrt(gamma (1 - f(E))) b_E`` and
``sqrt(gamma f(E)) b_E^dag``; the "extended reservoir" of Gruss, Velizhanin and Zwolak)
keeps the Hamiltonian (S1, S2, S7, S9-S10) and closes the equation of the Nambu correlation
matrix ``C = <Psi Psi^dag>``::

    dC/dt = -i [H_BdG(t), C] - gamma (C - C_0),        C_0 = f(-H_BdG,0)  (decoupled leads).

Its periodic steady state is unique and independent of the switching. In Keldysh language
every lead level gets ``Sigma^R = -i gamma/2`` and ``Sigma^< = i gamma f(E_level)`` (a
level-resolved relaxation): the retarded local Green's function is the level sum at
``z = w + i gamma/2`` (the Dynes form in numerator and denominator), and the lesser one is
``g^< = -[g_occ(z) - g_occ(z)^dag]``, where ``g_occ`` is the part of the level sum from the
occupied quasiparticle states -- not ``-f(w) (g^R - g^A)``, which a wide-band bath attached
to each level would give (docs/all_orders.md, Sec. 10).

Units: hbar = k_B = e = 1; energies (gaps, levels, bias, gamma) in one unit, times in its
inverse.
"""

from __future__ import annotations

import time

import numpy as np

from .evolve import _majorana_from_nambu, _nambu_from_majorana, _Propagator, observe, traces_result
from .model import FiniteJunction

__all__ = ["relaxed_steady_state"]


def _simpson_weights(n):
    """Composite Simpson weights on n + 1 equidistant points (n even), step 1."""
    w = np.ones(n + 1)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    return w / 3.0


def relaxed_steady_state(
    junction: FiniteJunction, relaxation: float, *, samples_per_period: int = 32, max_step: float = 0.05
):
    """Periodic steady state of ``dC/dt = -i [H_BdG(t), C] - gamma (C - C_0)`` over one period.

    Parameters
    ----------
    junction : FiniteJunction
        Tunnelling fully on (no ramp: the steady state does not depend on the switching);
        ``bias`` must be non-zero.
    relaxation : float
        ``gamma > 0``: rate at which every lead state relaxes towards the equilibrium of the
        decoupled leads (energy units, hbar = 1); the retarded broadening of a level is
        ``gamma / 2``.
    samples_per_period : int
        Samples in one period ``P = 2 pi / eV``, at ``t = j P / samples`` (t = 0: phase
        ``phi0/2`` of (S10)).
    max_step : float
        Largest Magnus step (inverse energy units); the steps inside one sampling interval
        are an even number, for the Simpson rule of the relaxation source.

    Returns
    -------
    EvolutionResult
        One period of the steady state: ``times`` (samples,), ``magnetization``,
        ``spin_current`` (dM_L/dt through the link, Eq. 5), ``charge_current`` (into the
        left lead), as for :func:`evolve`; ``timings`` has ``'period'`` and ``'sampling'``.

    Notes
    -----
    With ``Y = C - C_0`` (``[H_0, C_0] = 0``) the equation is
    ``dY/dt = -i[H, Y] - gamma Y + S(t)``, ``S = -i [V(t), C_0]``, ``V`` the tunnelling, so
    ``Y(t) = e^{-gamma t} U_t [Y(0) + I_t] U_t^dag`` with ``U_t`` the closed propagator from
    0 and ``I_t = int_0^t e^{gamma s} U_s^dag S(s) U_s ds`` (composite Simpson on the Magnus
    steps). Periodicity ``Y(P) = Y(0)`` gives the Stein equation
    ``Y(0) = a W_P Y(0) W_P^dag + a W_P I_P W_P^dag``, ``a = e^{-gamma P}``, summed by repeated
    squaring (``a^{2^m} < 1e-18``). The propagation is done in the Majorana basis, where
    ``U_t`` is real orthogonal.
    """
    gamma = float(relaxation)
    if not (np.isfinite(gamma) and gamma > 0):
        raise ValueError(f"relaxation must be finite and > 0, got {relaxation}")
    if junction.bias == 0:
        raise ValueError("bias must be non-zero (the steady state is periodic in 2 pi/eV)")
    if not (np.isfinite(max_step) and max_step > 0):
        raise ValueError("max_step must be finite and > 0")
    samples = int(samples_per_period)
    if samples < 1:
        raise ValueError("samples_per_period must be >= 1")
    P = 2 * np.pi / abs(junction.bias)
    per_sample = 2 * int(np.ceil(P / samples / max_step / 2))
    h = P / (samples * per_sample)
    weights = h * _simpson_weights(per_sample)

    prop = _Propagator(junction)
    D, nl = junction.n_modes, junction.n_left
    C0 = junction.thermal_correlation()
    X = junction.tunnelling_bdg()
    S_plus = _majorana_from_nambu(-1j * (X @ C0 - C0 @ X))  # S = e^{i theta} S_+ + h.c.
    full = lambda t: 1.0  # noqa: E731

    def source(t, U):
        """``e^{gamma t} U^T S(t) U`` in the Majorana basis (U real orthogonal)."""
        e = np.exp(1j * (junction.phi0 / 2 + junction.bias * t))
        S = e * S_plus
        S = S + S.conj().T
        return np.exp(gamma * t) * (U.T @ S @ U)

    def sweep(Y0=None):
        """One period from t = 0: W_P and I_P, and with ``Y0 = Y(0)`` the observables."""
        U = np.eye(2 * D)
        integral = np.zeros((2 * D, 2 * D), complex)
        traces = []
        f = source(0.0, U)
        for j in range(samples):
            t0 = j * P / samples
            if Y0 is not None:
                Y = np.exp(-gamma * t0) * (U @ (Y0 + integral) @ U.T)
                C = C0 + _nambu_from_majorana(Y)
                traces.append(observe(junction, np.array([t0]), C[None, :nl, :D]))
            integral += weights[0] * f
            for i in range(per_sample):
                U = prop.step(t0 + i * h, h, full) @ U
                f = source(t0 + (i + 1) * h, U)
                integral += weights[i + 1] * f
        return U, integral, traces

    clock = time.perf_counter()
    W, I_P, _ = sweep()
    a = np.exp(-gamma * P)
    Y0 = a * (W @ I_P @ W.T)  # then Y0 <- Y0 + a^k W^k Y0 W^kT, k = 1, 2, 4, ...
    A, ak = W, a
    while ak > 1e-18:
        Y0 = Y0 + ak * (A @ Y0 @ A.T)
        A, ak = A @ A, ak * ak
    timings = {"period": time.perf_counter() - clock}
    clock = time.perf_counter()
    _, _, traces = sweep(Y0)
    timings["sampling"] = time.perf_counter() - clock
    return traces_result(junction, traces, timings)
