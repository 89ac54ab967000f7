"""The method protocol: what every method declares, and the result it returns.

A method turns a :class:`~spintunnel.junction.Junction` and a list of biases into one
:class:`MethodResult` per bias.  Each result carries its values *and* its diagnostics:
whether the method's own numerics converged, an error estimate per quantity (the method's
own bound, in the quantity's unit), the warnings raised while computing, the junction's
regime flags, and for every quantity that is not given a reason code (:data:`REASONS`).

Quantities (the observables of the paper, Eq. 4 and Eq. 5, in physical units):

========================  ========  ================================================
``M_dc``                  mu_B      static magnetization M_L,dc of the left lead
``M_ac``                  mu_B      2eV harmonic m_1, M_ac(t) = 2 Re[m_1 e^{i(phi0 + 2eVt)}]
``M_harmonics``           mu_B      harmonics m_k, k = 2..K+1 of 2eV
``spin_current_dc``       mu_B/s    time-averaged spin current dM_L/dt
========================  ========  ================================================
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

__all__ = [
    "QUANTITIES",
    "UNITS",
    "REASONS",
    "Diagnostics",
    "MethodResult",
    "Method",
    "unavailable",
]

#: The reported quantities and their units (module docstring).
QUANTITIES = ("M_dc", "M_ac", "M_harmonics", "spin_current_dc")
UNITS = {"M_dc": "mu_B", "M_ac": "mu_B", "M_harmonics": "mu_B", "spin_current_dc": "mu_B/s"}

#: Why a quantity is not given: code -> explanation.  Sweeps store the codes per point.
REASONS = {
    "special_bias": "a special bias of the printed kernels, where no principal value exists",
    "not_converged": "the method's numerics did not reach their tolerance",
    "quasiparticles_injected": "real quasiparticles are injected into the left lead (quasiparticle "
    "tunnelling or multiple Andreev reflection): M grows as I_s,dc t, no "
    "static moment is established",
    "thermal_quasiparticles": "T > 0: thermally excited quasiparticles carry a dc spin current, so M "
    "grows in time and no static moment is established",
    "normal_lead_beyond_second_order": "the left lead is normal: beyond second order its static moment "
    "depends on how the coupling was switched on (docs/all_orders.md "
    "Sec. 4); only the second order is given",
    "dynes_broadening": "not defined with a Dynes broadening of the leads (a relaxation of the "
    "leads' states changes the quantity)",
    "above_threshold": "at or above the pair-breaking threshold |eV| >= Delta_L + Delta_R the "
    "second-order static moment is not finite",
    "not_at_this_order": "zero at this order in the tunnelling; the first non-zero term is of higher order",
    "finite_model_not_periodic": "the finite model is not periodic after its ramp, so no static "
    "part or harmonic can be read off (docs/exact_solver.md)",
    "not_converged_in_model_size": "not converged in the number of levels of the finite model",
    "not_computed": "not computed: switched off by an option of the method",
    "zero_bias": "at zero bias this method does not give it (it needs the Josephson frequency 2eV)",
    "outside_regime": "given only by weak-tunnelling methods, which do not apply here (strong coupling, "
    "or a bias at a gap edge: see regime_flags)",
    "failed": "the method raised an error (see the warnings)",
}


@dataclass(frozen=True)
class Diagnostics:
    """How far to trust a :class:`MethodResult`.

    Attributes
    ----------
    converged : bool
        The method's own numerics (quadrature, truncation, fit, periodicity) reached their
        tolerance for every quantity it gives.
    errors : dict
        Quantity -> absolute error estimate in the quantity's unit (:data:`UNITS`), the
        method's own bound: quadrature and truncation for ``all_orders``, the next order
        for ``second_order``, fit drift and band offset for ``exact``, the kernels' error
        bound for ``paper``.  For a vector the estimate bounds every component.
    reasons : dict
        Quantity -> reason code (:data:`REASONS`) for every quantity not given.
    warnings : tuple of str
        Warnings raised while computing (numerical and regime warnings), one line each.
    notes : tuple of str
        What was computed and how (prescription, truncation, neglected terms).
    regime_flags : int
        Bits of :data:`spintunnel.junction.REGIME_FLAGS` at this bias.
    """

    converged: bool = True
    errors: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    warnings: tuple = ()
    notes: tuple = ()
    regime_flags: int = 0

    def to_dict(self) -> dict:
        """Plain JSON-able form: ``converged``, ``error_estimate``, ``warnings``, ``reason``."""
        return {
            "converged": bool(self.converged),
            "error_estimate": {q: float(e) for q, e in self.errors.items()},
            "warnings": list(self.warnings),
            "reason": dict(self.reasons),
            "regime_flags": int(self.regime_flags),
        }


@dataclass(frozen=True)
class MethodResult:
    """Observables of one method at one bias, in physical units, with diagnostics.

    Attributes
    ----------
    method : str
        The registered method name.
    bias_mV : float
        The bias V (eV = mu_L - mu_R) in mV.
    moment_dc_muB : ndarray (3,) or None
        Static magnetization M_L,dc of Eq. (4) in Bohr magnetons (g = 2); None where not
        given (reason in ``diagnostics.reasons["M_dc"]``).
    moment_ac_muB : ndarray (3,) complex or None
        m_1: M_L,ac(t) of Eq. (6) = 2 Re[m_1 e^{i(phi0 + 2eVt/hbar)}] + higher harmonics, mu_B.
    moment_harmonics_muB : ndarray (K, 3) complex
        m_k, k = 2..K+1 (row k - 2), mu_B; K = 0 where not given.
    spin_current_dc_muB_per_s : ndarray (3,) or None
        Time-averaged spin current dM_L/dt (Eq. 5), mu_B/s.
    diagnostics : Diagnostics
    extras : dict
        Method-specific numbers (name -> float), e.g. the printed kernels; sweeps store them.
    """

    method: str
    bias_mV: float
    moment_dc_muB: np.ndarray | None
    moment_ac_muB: np.ndarray | None
    spin_current_dc_muB_per_s: np.ndarray | None
    moment_harmonics_muB: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), complex))
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    extras: dict = field(default_factory=dict)

    @property
    def notes(self) -> tuple:
        return self.diagnostics.notes

    @property
    def converged(self) -> bool:
        return self.diagnostics.converged

    def harmonics(self) -> np.ndarray:
        """All ac amplitudes m_1, m_2, ... (mu_B) as one (K + 1, 3) complex array (zero rows
        where the 2eV harmonic is not given)."""
        m1 = np.zeros(3, complex) if self.moment_ac_muB is None else np.asarray(self.moment_ac_muB, complex)
        return np.vstack([m1[None, :], np.asarray(self.moment_harmonics_muB, complex).reshape(-1, 3)])

    def value(self, quantity: str):
        """The value of one quantity of :data:`QUANTITIES` (None where not given)."""
        return {
            "M_dc": self.moment_dc_muB,
            "M_ac": self.moment_ac_muB,
            "M_harmonics": (self.moment_harmonics_muB if len(self.moment_harmonics_muB) else None),
            "spin_current_dc": self.spin_current_dc_muB_per_s,
        }[quantity]

    def error(self, quantity: str) -> float:
        """The error estimate of one quantity (unit of the quantity); NaN where none."""
        return float(self.diagnostics.errors.get(quantity, np.nan))

    @property
    def angular_frequency_per_s(self) -> float:
        """omega_J = 2eV/hbar (rad/s, signed) of this bias."""
        from ..units import TIME_UNIT_S

        return 2.0 * self.bias_mV / TIME_UNIT_S

    def time_trace(self, times_s, phi0_rad: float = 0.0):
        """M_L(t) (mu_B) and dM_L/dt (mu_B/s) at the times (s), each shape (nt, 3).

        ``M_L(t) = M_dc + Sum_k 2 Re[m_k e^{ik(phi0 + omega_J t)}]`` (Eq. 4, 6) with every
        harmonic the method gives; where no static part is given and a dc spin current flows,
        ``I_dc t`` instead of M_dc (the moment grows).  ``dM_L/dt`` is the exact derivative.
        """
        t = np.asarray(times_s, dtype=float)[:, None]
        m = self.harmonics()  # (K, 3), k = 1..K
        k = np.arange(1, m.shape[0] + 1)
        w = self.angular_frequency_per_s
        phase = np.exp(1j * k[None, :] * (phi0_rad + w * t))  # (nt, K)
        moment = 2.0 * np.real(phase @ m)
        dc = np.zeros(3) if self.spin_current_dc_muB_per_s is None else np.asarray(self.spin_current_dc_muB_per_s)
        current = 2.0 * np.real((1j * w * k * phase) @ m) + dc[None, :]
        if self.moment_dc_muB is not None:
            moment = moment + np.asarray(self.moment_dc_muB)[None, :]
        else:
            moment = moment + dc[None, :] * t
        return moment, current

    def to_xarray(self):
        """The result as an :class:`xarray.Dataset` (values, error estimates, reasons; units in
        the attributes), for notebooks: no file round trip."""
        import xarray as xr

        harm = self.harmonics()
        k = np.arange(1, harm.shape[0] + 1)
        nan3 = np.full(3, np.nan)
        data = {
            "M_dc": (
                "component",
                nan3 if self.moment_dc_muB is None else np.asarray(self.moment_dc_muB, float),
                {"units": "mu_B", "long_name": "static magnetization M_L,dc (Eq. 4)"},
            ),
            "M_harmonics_amplitude": (
                ("harmonic", "component"),
                2 * np.abs(harm),
                {"units": "mu_B", "long_name": "2|m_k|, M_ac(t) = Sum_k 2 Re[m_k e^{ik(phi0 + 2eVt/hbar)}]"},
            ),
            "M_harmonics_phase": (("harmonic", "component"), np.angle(harm), {"units": "rad", "long_name": "arg m_k"}),
            "spin_current_dc": (
                "component",
                nan3 if self.spin_current_dc_muB_per_s is None else np.asarray(self.spin_current_dc_muB_per_s, float),
                {"units": "mu_B/s", "long_name": "time-averaged dM_L/dt (Eq. 5)"},
            ),
            "error": (
                "quantity",
                np.array([self.error(q) for q in QUANTITIES]),
                {
                    "long_name": "the method's error estimate (M_ac, M_harmonics: of m_k)",
                    "units_by_quantity": ", ".join(f"{q}: {UNITS[q]}" for q in QUANTITIES),
                },
            ),
            "reason": (
                "quantity",
                np.array([self.diagnostics.reasons.get(q, "") for q in QUANTITIES]),
                {"long_name": "why a quantity is not given ('' where it is)"},
            ),
        }
        coords = {"component": ["x", "y", "z"], "harmonic": k, "quantity": list(QUANTITIES)}
        attrs = {
            "method": self.method,
            "bias_mV": self.bias_mV,
            "converged": int(self.converged),
            "notes": "\n".join(self.notes),
            "warnings": "\n".join(self.diagnostics.warnings),
        }
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def plot(self, periods: float = 3.0, phi0_rad: float = 0.0, ax=None):
        """Draw M_L(t) over a few Josephson periods (components that vanish are left out);
        returns the matplotlib axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 3.6))
        w = self.angular_frequency_per_s
        span = periods * (2 * np.pi / abs(w) if w else 1e-9)
        t = np.linspace(0.0, span, 400)
        moment, _ = self.time_trace(t, phi0_rad)
        top = max(np.abs(moment).max(), 1e-300)
        for i, c in enumerate("xyz"):
            if np.abs(moment[:, i]).max() > 1e-9 * top:
                ax.plot(t * 1e9, moment[:, i], label=f"M_{c}")
        ax.set_xlabel("time (ns)")
        ax.set_ylabel("M_L(t) (mu_B)")
        ax.set_title(
            f"{self.method} at V = {self.bias_mV:g} mV" + ("" if self.converged else " (not converged)"), fontsize=9
        )
        ax.legend(fontsize=8)
        return ax


def unavailable(
    method: str, bias_mV: float, reason: str, message: str, regime_flags: int = 0, notes=()
) -> MethodResult:
    """A result that gives nothing, every quantity carrying ``reason`` (with ``message``)."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason code {reason!r}")
    return MethodResult(
        method,
        float(bias_mV),
        None,
        None,
        None,
        diagnostics=Diagnostics(
            converged=False,
            reasons={q: reason for q in QUANTITIES},
            warnings=(message,),
            notes=tuple(notes),
            regime_flags=regime_flags,
        ),
    )


class Method:
    """Base of every method; a subclass is one module of :mod:`spintunnel.methods`.

    Class attributes (capabilities, declared by each method):

    ``name``
        Registered name (the config and CLI use it).
    ``label``
        One word for tables.
    ``vectorised``
        One call handles many biases at the cost of about one.
    ``needs_partner``
        Uses the partner amplitude Jbar (the printed route).
    ``regime``
        Where it is valid: ``"weak tunnelling"``, ``"any coupling"``, ``"finite model"`` or
        ``"printed formula"``.
    ``rank``
        Completeness for the recommended answer: the highest-ranked method that gives a
        quantity is recommended; 0 is never recommended (the printed route).
    ``cost_hint_s``
        Rough seconds per bias point (chunk sizing before anything is measured).
    ``line_style``
        Matplotlib line style of its curves.

    Subclasses implement :meth:`compute_channel` (one channel); :meth:`compute` adds the
    channels of a multi-channel junction (:mod:`._channels`).  Options are dataclass fields.
    Per-bias methods can use :meth:`per_bias`.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    summary: ClassVar[str]
    vectorised: ClassVar[bool] = False
    needs_partner: ClassVar[bool] = False
    regime: ClassVar[str]
    rank: ClassVar[int]
    cost_hint_s: ClassVar[float] = 0.1
    line_style: ClassVar[str] = "-"

    def compute(self, junction, biases_mV=None, progress=None) -> list[MethodResult]:
        """Observables of ``junction`` at each bias (mV; default: the junction's own): the sum
        of :meth:`compute_channel` over its channels (independent channels, docs/junction.md).
        ``progress``, if given, is called as ``progress(fraction)`` (0 to 1)."""
        from ._channels import channel_sum

        return channel_sum(self, junction, biases_mV, progress)

    def compute_channel(self, junction, biases_mV=None, progress=None) -> list[MethodResult]:  # pragma: no cover
        """Observables of a single-channel ``junction`` at each bias (mV; default: its own)."""
        raise NotImplementedError

    def per_bias(self, junction, biases_mV, one, progress=None) -> list[MethodResult]:
        """``[one(junction, v) for v in biases]`` with the progress after each bias."""
        from ._common import bias_list

        v = bias_list(junction, biases_mV)
        out = []
        for i, b in enumerate(v):
            out.append(one(junction, float(b)))
            if progress is not None:
                progress((i + 1) / len(v))
        return out

    def harmonics_count(self) -> int:
        """How many harmonics k = 1, 2, ... of 2eV this method gives (at most)."""
        return 1

    def quick(self) -> Method:
        """The variant used where many points are computed for a figure (default: itself)."""
        return self

    def options(self) -> dict:
        """The method's options (dataclass fields) as a dict."""
        return dataclasses.asdict(self) if dataclasses.is_dataclass(self) else {}
