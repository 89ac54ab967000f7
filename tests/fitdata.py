"""Synthetic I-V curves for the fit tests, from the all-orders solver called directly (not
through the fit's table): aluminium-like leads, Delta = 0.18 meV, T = 0.1 K, 22 biases from
0.31 to 2.78 Delta, 0.3 % noise of the largest current.  Cached per transmission for the session."""

import functools

import numpy as np

from spintunnel.floquet import floquet_currents
from spintunnel.units import BOLTZMANN_MEV_PER_K, RESISTANCE_QUANTUM_OHM

GAP, T_K = 0.18, 0.1
V = np.linspace(0.055, 0.5, 22)  # mV; eV/Delta = 0.31 .. 2.78
NOISE = 0.003  # of the largest current


@functools.cache
def solver_curve(tau):
    """I(V) in nA of one spin-degenerate channel from the solver: I = e (meV/hbar) x charge[0]
    = charge[0] x 1e-3/R_Q ampere."""
    kT = BOLTZMANN_MEV_PER_K * T_K
    y = [
        floquet_currents(
            np.eye(2), bias=v, gap_left=GAP, gap_right=GAP, temperature=kT, transmission=tau, n_harmonics=0, tol=1e-4
        )
        .charge[0]
        .real
        for v in V
    ]
    return np.array(y) * 1e-3 / RESISTANCE_QUANTUM_OHM * 1e9


def synthetic(taus, seed=0):
    """The channel sum with 0.3 % Gaussian noise (nA)."""
    I = sum(solver_curve(t) for t in taus)
    return I + NOISE * np.abs(I).max() * np.random.default_rng(seed).standard_normal(I.size)
