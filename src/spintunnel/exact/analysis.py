"""Static part and harmonics of a periodic trace, with least-squares error bars."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Harmonics:
    r"""Fourier coefficients of ``signal(t) ~ c_0 + sum_n (c_n e^{i n w t} + c.c.)``.

    Attributes
    ----------
    frequency : float
        Fundamental angular frequency ``w`` (for the junction ``2 eV``).
    coefficients : ndarray, shape (n_harmonics + 1, ...)
        ``c_0`` (real, the static part) and complex ``c_n``; trailing axes follow the
        signal's (e.g. the 3 spin components). Same units as the signal.
    errors : ndarray, same shape, real
        One-standard-error bars of ``|c_n|`` from the least-squares residual (they
        measure what the model ``c_0 + harmonics`` does not explain: transients,
        ramp remnants, time-step errors).
    residual_rms : ndarray
        Root-mean-square residual per trailing index.
    """

    frequency: float
    coefficients: np.ndarray
    errors: np.ndarray
    residual_rms: np.ndarray

    @property
    def static(self):
        """Time-averaged part ``c_0``."""
        return self.coefficients[0].real

    def harmonic(self, n=1):
        """Complex amplitude ``c_n`` of ``e^{i n w t}``."""
        return self.coefficients[n]


def fit_harmonics(times, signal, frequency, n_harmonics=2, weights=None):
    r"""Least-squares fit of a static part and ``n_harmonics`` harmonics.

    Model: ``s(t) = c_0 + sum_{n=1}^{N} (c_n e^{i n w t} + c.c.)`` with real
    ``s``; for the junction ``w = 2 eV`` (the Josephson frequency) and, at second
    order, ``c_1 = M_2 e^{i phi_0}`` with ``M_2`` the coefficient of
    ``e^{i(phi_0 + 2 eV t)}`` (cf. Eq. S23).

    Parameters
    ----------
    times : array_like, shape (nt,)
    signal : array_like, shape (nt, ...)
        Real samples; trailing axes are fitted independently.
    frequency : float
        Angular frequency ``w > 0`` (energy units, hbar = 1).
    n_harmonics : int
    weights : array_like, shape (nt,), optional
        Non-negative least-squares weights (e.g. a taper); samples of weight 0 are
        dropped.  The error bars are then those of the weighted residual.

    Returns
    -------
    Harmonics
    """
    t = np.asarray(times, dtype=float)
    y = np.asarray(signal, dtype=float)
    if t.ndim != 1 or y.shape[:1] != t.shape:
        raise ValueError("signal must have shape (len(times), ...)")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise ValueError("times and signal must be finite")
    if not (np.isfinite(frequency) and frequency > 0):
        raise ValueError("frequency must be finite and > 0")
    sw = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != t.shape or not np.all(np.isfinite(w)) or np.any(w < 0):
            raise ValueError("weights must be finite, >= 0, one per sample")
        keep = w > 0
        t, y, sw = t[keep], y[keep], np.sqrt(w[keep])
    n_harmonics = int(n_harmonics)
    n_par = 2 * n_harmonics + 1
    if t.size <= n_par:
        raise ValueError("need more samples than fit parameters")
    cols = [np.ones_like(t)]
    for n in range(1, n_harmonics + 1):
        cols += [np.cos(n * frequency * t), np.sin(n * frequency * t)]
    A = np.stack(cols, axis=1)
    flat = y.reshape(t.size, -1)
    if sw is not None:
        A, flat = A * sw[:, None], flat * sw[:, None]
    sol, *_ = np.linalg.lstsq(A, flat, rcond=None)
    resid = flat - A @ sol
    dof = max(t.size - n_par, 1)
    rms = np.sqrt((resid**2).sum(axis=0) / dof)
    cov_diag = np.diag(np.linalg.inv(A.T @ A))
    sigma = np.sqrt(cov_diag)[:, None] * rms[None, :]
    coef = np.empty((n_harmonics + 1, flat.shape[1]), dtype=complex)
    err = np.empty((n_harmonics + 1, flat.shape[1]))
    coef[0] = sol[0]
    err[0] = sigma[0]
    for n in range(1, n_harmonics + 1):
        a, b = sol[2 * n - 1], sol[2 * n]
        # a cos + b sin = c e^{iwt} + c.c. with c = (a - i b) / 2
        coef[n] = 0.5 * (a - 1j * b)
        err[n] = 0.5 * np.hypot(sigma[2 * n - 1], sigma[2 * n])
    shape = y.shape[1:]
    return Harmonics(
        frequency, coef.reshape((n_harmonics + 1,) + shape), err.reshape((n_harmonics + 1,) + shape), rms.reshape(shape)
    )
