"""Exact referee for the junction: finite discrete leads, same Hamiltonian (S1-S10).

- :class:`FiniteJunction` -- the finite model and its BdG matrices (``model``)
- :func:`evolve` -- exact Nambu time evolution with Floquet reuse (``evolve``)
- :func:`discrete_second_order` -- exact discrete second-order theory (``perturbation``)
- :func:`fit_harmonics` -- static part and 2eV harmonics with errors (``analysis``)
- time reversal and the equilibrium state (``symmetry``)
- :func:`uniform_band_junction` -- the finite model as a discretised flat band, mapped
  onto the Floquet solver's ``band=D`` continuum (``continuum``)
- :func:`relaxed_steady_state` -- periodic steady state with every lead state relaxed
  towards equilibrium at a rate gamma (Lindblad; ``reservoir``)
"""

from .analysis import Harmonics, fit_harmonics
from .continuum import recurrence_time, uniform_band_junction, window_harmonics
from .evolve import EvolutionResult, evolve, ramp_envelope
from .model import FiniteJunction, default_levels
from .perturbation import SecondOrder, discrete_second_order, smallest_denominator
from .reservoir import relaxed_steady_state
from .symmetry import (
    equilibrium_magnetization,
    time_reversal_blocks,
    time_reversal_defect,
)

__all__ = [
    "FiniteJunction",
    "default_levels",
    "evolve",
    "EvolutionResult",
    "ramp_envelope",
    "discrete_second_order",
    "SecondOrder",
    "smallest_denominator",
    "fit_harmonics",
    "Harmonics",
    "time_reversal_blocks",
    "time_reversal_defect",
    "equilibrium_magnetization",
    "uniform_band_junction",
    "recurrence_time",
    "window_harmonics",
    "relaxed_steady_state",
]
