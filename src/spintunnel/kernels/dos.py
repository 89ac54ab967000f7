"""Normal-state densities of states N(xi)/N(0) of one lead, for the general kernel path.

The kernels are per unit rho_L rho_R |J0|^2 with rho = N(0); a DOS object returns the
dimensionless weight N(xi)/N(0) and carries its band limit W (|xi| < W), or None for an
infinite band (only the constant DOS may have one).
"""

from __future__ import annotations

import numpy as np

from ..inputs import positive, real

__all__ = ["DensityOfStates", "ConstantDOS", "LinearDOS", "CallableDOS"]


class DensityOfStates:
    """Base class: ``weight(xi)`` = N(xi)/N(0), ``band`` = W (energy unit of the caller)."""

    band = None

    def weight(self, xi):
        raise NotImplementedError

    @property
    def is_symmetric(self):
        return False


class ConstantDOS(DensityOfStates):
    """N(xi) = N(0) on |xi| < band (default: infinite band)."""

    def __init__(self, band=None):
        self.band = None if band is None else positive(band, "band")

    def weight(self, xi):
        return np.ones_like(np.asarray(xi, dtype=float))

    @property
    def is_symmetric(self):
        return True

    def __repr__(self):
        return f"ConstantDOS(band={self.band!r})"


class LinearDOS(DensityOfStates):
    """Electron-hole asymmetric N(xi) = N0 (1 + a xi/W) on |xi| < W (|a| < 1)."""

    def __init__(self, asymmetry, band):
        self.asymmetry = real(asymmetry, "asymmetry", "|a| < 1 (N > 0 in the band)", lambda a: abs(a) < 1)
        self.band = positive(band, "band")

    def weight(self, xi):
        return 1.0 + self.asymmetry * np.asarray(xi, dtype=float) / self.band

    @property
    def is_symmetric(self):
        return self.asymmetry == 0.0

    def __repr__(self):
        return f"LinearDOS(asymmetry={self.asymmetry!r}, band={self.band!r})"


class CallableDOS(DensityOfStates):
    """User DOS: ``func(xi)`` -> N(xi)/N(0) (vectorised), on |xi| < band (finite)."""

    def __init__(self, func, band):
        if not callable(func):
            raise ValueError("func must be callable")
        self.func = func
        self.band = positive(band, "band")

    def weight(self, xi):
        return np.asarray(self.func(xi), dtype=float)

    def __repr__(self):
        return f"CallableDOS({self.func!r}, band={self.band!r})"
