"""The normal state of the point contact: transmissions, conductance, and the amplitude J
that a measured normal-state resistance fixes.

A point contact between wide-band leads (normal DOS rho per spin at the contact site,
``W = 1/(pi rho)``) with a 2x2 spin amplitude J (units of W) has, to all orders in J, the
normal-state transmissions (Fisher-Lee, CMRLY Eq. 2.9 per singular value s_i of J)::

    tau_i = 4 s_i^2 / (1 + s_i^2)^2,        G_N = (e^2/h) Sum_i tau_i,
    R_n / R_Q = 2 pi / Sum_i tau_i           (R_Q = hbar/e^2, the package's resistance quantum).

A spin-degenerate contact of transmission tau has ``R_n = pi R_Q / tau = h/(2 e^2 tau)``.
A contact of several independent channels (docs/junction.md, "Channels"), channel i with
the mean transmission tau_i of its two spin eigen-channels, has
``1/R_n = (2e^2/h) Sum_i tau_i``, i.e. ``R_n/R_Q = pi / Sum_i tau_i``
(:func:`resistance_for_transmissions`); each channel's amplitude follows from its tau_i
(:func:`amplitude_for_transmission`).
To second order (golden rule) ``1/R_n = (2 pi e^2/hbar) rho_L rho_R |J0|^2 Tr(j j^dag)``
with ``J = J0 j``; the all-orders form is exact, the golden rule its small-J limit
(docs/junction.md).  Every method of the package uses the one J that the all-orders form
assigns to R_n (:func:`amplitude_for_resistance`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from .spin import as_spin_matrix

__all__ = [
    "transmissions",
    "normal_resistance",
    "amplitude_for_resistance",
    "amplitude_for_transmission",
    "resistance_for_transmissions",
]


def transmissions(J) -> np.ndarray:
    """Normal-state channel transmissions ``tau_i = 4 s_i^2/(1 + s_i^2)^2`` (descending) of
    the amplitude J in units of W (s_i: singular values of J; Fisher-Lee, CMRLY Eq. 2.9,
    docs/all_orders.md Sec. 2 "Normal-state transmission"); dimensionless."""
    s = np.linalg.svd(as_spin_matrix(J, "J", single=True), compute_uv=False)
    return 4 * s**2 / (1 + s**2) ** 2


def normal_resistance(J) -> float:
    """R_n in units of R_Q = hbar/e^2 of the amplitude J (units of W): ``2 pi / Sum tau_i``
    (inf for J = 0; docs/all_orders.md Sec. 2)."""
    total = float(transmissions(J).sum())
    return math.inf if total == 0 else 2 * math.pi / total


def amplitude_for_transmission(j, mean_transmission: float) -> np.ndarray:
    """The amplitude ``s j`` (units of W, s > 0; j dimensionless) whose mean channel transmission
    ``Sum_i tau_i / 2`` equals ``mean_transmission``, on the weak-coupling branch
    (every ``s s_i <= 1``: tau grows with s there).

    Raises ValueError for j = 0, a target outside (0, 1], or one this spin structure
    cannot reach (the largest mean transmission of a j with unequal singular values is
    below 1).
    """
    j = as_spin_matrix(j, "j", single=True)
    target = float(mean_transmission)
    if not (0 < target <= 1):
        raise ValueError(f"the mean transmission must lie in (0, 1], got {mean_transmission!r}")
    sv = np.linalg.svd(j, compute_uv=False)
    if sv[0] == 0:
        raise ValueError("J = 0 has no transmission to rescale")

    def mean_tau(c):
        x = (c * sv) ** 2
        return float(np.mean(4 * x / (1 + x) ** 2))

    top = 1.0 / sv[0]
    reach = mean_tau(top)
    if reach < target * (1 - 1e-12):
        raise ValueError(
            f"mean transmission {target:g} is out of reach for this spin structure of J "
            f"(largest {reach:.6g}, at the unit transmission of its strongest channel)"
        )
    if reach <= target:
        return j * top
    c = brentq(lambda c: mean_tau(c) - target, 0.0, top, xtol=1e-17 * top, rtol=1e-15, maxiter=200)
    return j * c


def amplitude_for_resistance(j, resistance_over_rq: float) -> np.ndarray:
    """The amplitude ``s j`` (units of W) whose all-orders normal-state resistance is
    ``resistance_over_rq`` R_Q: mean transmission ``pi R_Q / R_n`` (module docstring;
    docs/junction.md, "One coupling for every method"); j dimensionless.

    R_n must be >= pi R_Q (mean transmission <= 1)."""
    r = float(resistance_over_rq)
    if not (math.isfinite(r) and r >= math.pi):
        raise ValueError(
            f"R_n must be finite and >= pi R_Q = {math.pi:.6g} R_Q "
            f"(mean channel transmission <= 1), got {resistance_over_rq!r} R_Q"
        )
    return amplitude_for_transmission(j, math.pi / r)


def resistance_for_transmissions(channel_transmissions) -> float:
    """R_n in units of R_Q = hbar/e^2 of independent channels with mean (spin-averaged)
    transmissions tau_i: ``pi / Sum_i tau_i`` (``1/R_n = (2e^2/h) Sum_i tau_i``).

    Parameters
    ----------
    channel_transmissions : array_like (N,)
        tau_i in (0, 1] (mean of each channel's two spin eigen-channels, dimensionless).
    """
    tau = np.atleast_1d(np.asarray(channel_transmissions, dtype=float))
    if tau.ndim != 1 or tau.size == 0 or not np.all(np.isfinite(tau)) or np.any(tau <= 0) or np.any(tau > 1):
        raise ValueError(
            f"channel transmissions must be a non-empty list of numbers in (0, 1], got {channel_transmissions!r}"
        )
    return math.pi / float(tau.sum())
