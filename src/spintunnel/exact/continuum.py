"""The finite model as a discretised continuum lead, for comparison with the Floquet solver.

Levels on a uniform midpoint grid of [-D, D] (spacing ``delta = 2D/N``, no jitter), all four
amplitude blocks equal to one 2x2 ``J_ex`` and uniform ``t_nm = t0``.  The tunnelling then
couples only the symmetric lead orbital ``c_0 = (2N)^{-1/2} sum_{n, a = +-} c_{a k_n}``::

    H_LR = sum_{nm} t0 sum_{ab} c^dag_{a k_n} J_ex c_{b p_m} = 2N t0  c_0L^dag J_ex c_0R,

and ``c_0`` has the normal DOS per spin ``rho = (1/2N) (N/D) = 1/(2D)`` on [-D, D] (N -> inf;
2N states per spin, density N/D).  With ``W = 1/(pi rho) = 2D/pi`` the Floquet amplitude in
units of W is therefore::

    J_F = 2N t0 J_ex / W = pi N t0 J_ex / D,

the same H as :func:`spintunnel.floquet.floquet_currents` with ``band=D``.  The discrete lead
is a continuum only for times shorter than the recurrence time ``2 pi/delta = pi N/D`` (the
local Green's function of the uniform grid revives exactly then).

Sign conventions: :attr:`EvolutionResult.charge_current` is the particle current *into* the
left lead (+dN_L/dt), the Floquet ``charge`` is -dN_L/dt; both ``spin_current`` and the
Floquet ``spin`` are dM_L/dt; both carry ``e^{i(phi0/2 + eV t)}`` on ``H_LR`` so harmonic n
carries ``e^{i n phi0}`` in both.

Units: hbar = e = k_B = 1, energies in the unit of the gaps, times in its inverse.
"""

from __future__ import annotations

import math

import numpy as np

from .analysis import fit_harmonics
from .model import FiniteJunction

__all__ = ["uniform_band_junction", "recurrence_time", "window_harmonics"]


def uniform_band_junction(
    n_levels: int, band: float, J, *, gap_left=1.0, gap_right=1.0, temperature=0.0, bias=0.0, phi0=0.0
) -> FiniteJunction:
    """Finite junction whose continuum limit is the Floquet point contact with half-band D.

    Parameters
    ----------
    n_levels : int
        Levels per lead N (Nambu dimension 16 N), on the midpoint grid
        ``xi_n = -D + delta (n + 1/2)``, ``delta = 2D/N``.
    band : float
        Half-bandwidth D (> gaps), energy unit of the gaps.
    J : (2, 2) complex
        Floquet amplitude J_F in units of W = 2D/pi (as passed to ``floquet_currents``);
        the model uses blocks ``J_ex = J_F`` and ``t0 = D/(pi N)`` (so ``J_F = pi N t0
        J_ex / D``).
    gap_left, gap_right, temperature, bias, phi0 : float
        As in :class:`FiniteJunction`.

    Returns
    -------
    FiniteJunction
    """
    n = int(n_levels)
    if n < 1:
        raise ValueError(f"n_levels must be >= 1, got {n_levels}")
    D = float(band)
    if not (math.isfinite(D) and D > max(gap_left, gap_right, 0.0)):
        raise ValueError(f"band must be finite and > the gaps, got {band}")
    delta = 2.0 * D / n
    levels = -D + delta * (np.arange(n) + 0.5)
    return FiniteJunction(
        levels,
        levels.copy(),
        gap_left,
        gap_right,
        temperature=temperature,
        bias=bias,
        phi0=phi0,
        blocks=np.asarray(J, dtype=complex),
        hopping=D / (math.pi * n),
    )


def recurrence_time(n_levels: int, band: float) -> float:
    """``2 pi / delta = pi N / D`` (units of hbar / [band]): the time after which the local
    Green's function of the N-level grid of half-width D revives."""
    return math.pi * int(n_levels) / float(band)


def window_harmonics(result, t_min: float, t_max: float, n_harmonics: int = 2, taper: str | None = None):
    """Fit ``c_0 + sum_n c_n e^{i n 2eV t} + c.c.`` to the currents on ``t_min <= t <= t_max``.

    ``taper="hann"`` weights the least squares by ``sin^2(pi (t - t_min)/(t_max - t_min))``,
    which suppresses the leakage of the slowly decaying, non-harmonic switch-on transients
    (gap-edge oscillations, ~t^{-3/2}) into the fitted coefficients; the error bars are then
    those of the weighted residual.

    Returns ``(charge, spin)`` :class:`Harmonics`, with the charge converted to the Floquet
    convention (particle current L -> R, i.e. ``-result.charge_current``).
    """
    sel = (result.times >= t_min) & (result.times <= t_max)
    if sel.sum() <= 2 * n_harmonics + 1:
        raise ValueError("too few samples in the window")
    w = 2.0 * abs(result.bias)
    t = result.times[sel]
    data = (-result.charge_current[sel], result.spin_current[sel])
    if taper not in (None, "hann"):
        raise ValueError(f"taper must be None or 'hann', got {taper!r}")
    weights = None if taper is None else np.sin(np.pi * (t - t_min) / (t_max - t_min)) ** 2
    return tuple(fit_harmonics(t, y, w, n_harmonics, weights=weights) for y in data)
