"""All orders in the tunnelling: the Floquet-Keldysh solver of :mod:`spintunnel.floquet`.

A point contact between wide-band BCS leads, Hamiltonian (S1, S2, S7, S9-S10), at the
junction's common amplitude J (:attr:`Junction.amplitude_W`, fixed by R_n through the
all-orders normal conductance).  The spin-current harmonics I_s,k give the harmonics of
M_L(t), ``M_k = I_s,k / (i k omega_J)`` (omega_J = 2eV/hbar; Eq. 5), k = 1..``n_harmonics``;
the dc spin current is I_s,0.  The static magnetization comes from
:func:`spintunnel.floquet.static_magnetization` where it is finite: a superconducting left
lead, T = 0 (or a negligible thermal population), no Dynes broadening, and real
quasiparticle injection below 1e-3 of the included weight (docs/all_orders.md Sec. 4).

Error estimate: the solver's quadrature error plus its sideband truncation weight times the
largest current, converted to each quantity (divided by k omega_J for m_k); for M_dc the
static solver's quadrature and truncation errors plus the injection weight times |M|.

Extras: the dc charge current ``charge_current_dc_nA`` (nA, positive L -> R for eV > 0, the
sign of the measured I at V > 0) and its error ``charge_current_dc_error_nA`` (same form).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..floquet.magnetization import INJECTION_LIMIT
from ..units import NANOAMPERE_PER_REDUCED_CURRENT, rate_per_second
from . import register
from ._common import Recorder, static_temperature
from .base import Diagnostics, Method, MethodResult


@register
@dataclass(frozen=True)
class AllOrders(Method):
    """All orders in J (Floquet-Keldysh), point contact with wide-band BCS leads: the
    Hamiltonian (S1, S2, S7, S9-S10) solved in docs/all_orders.md Secs. 2-4.

    Parameters
    ----------
    tol : float
        Tolerance of the solver (:func:`spintunnel.floquet.floquet_currents`): relative to
        the charge-current scale G_N max(eV, Delta); the default 1e-7 resolves dc spin
        currents of multiple-Andreev order (1e-3 of that scale at the default junction).
    n_harmonics : int
        Harmonics k = 1..n_harmonics of 2eV of M_L(t).
    static : bool
        Compute the static magnetization (about 0.1-1 s per point).
    """

    tol: float = 1e-7
    n_harmonics: int = 4
    static: bool = True

    name = "all_orders"
    label = "all-orders"
    summary = "all orders in J, Floquet-Keldysh point contact (any coupling)"
    vectorised = False
    needs_partner = False
    regime = "any coupling"
    rank = 30
    cost_hint_s = 0.08  # measured (make bench, 2026-12-05): 0.075 s per point with the static part
    line_style = "-."

    def __post_init__(self):
        if not (0 < self.tol < 1):
            raise ValueError(f"all_orders: tol must lie in (0, 1), got {self.tol!r}")
        if not (isinstance(self.n_harmonics, int) and 1 <= self.n_harmonics <= 16):
            raise ValueError(f"all_orders: n_harmonics must be an integer in 1..16, got {self.n_harmonics!r}")

    def harmonics_count(self) -> int:
        return self.n_harmonics

    def quick(self):
        """Without the static part and at tol 1e-6: for the bias-sweep figure of a run."""
        return dataclasses.replace(self, static=False, tol=max(self.tol, 1e-6))

    def compute_channel(self, junction, biases_mV=None, progress=None):
        return self.per_bias(junction, biases_mV, self._one, progress)

    def _one(self, junction, v):
        from .. import floquet

        flags = int(junction.regime_flags(v))
        notes = ["all orders in J, point contact, wide-band BCS leads (docs/all_orders.md)"]
        if v == 0:
            zero = np.zeros(3)
            return MethodResult(
                self.name,
                v,
                None,
                np.zeros(3, complex),
                zero,
                np.zeros((self.n_harmonics - 1, 3), complex),
                Diagnostics(
                    True,
                    {"M_ac": 0.0, "M_harmonics": 0.0, "spin_current_dc": 0.0},
                    {"M_dc": "zero_bias"},
                    (),
                    tuple(
                        notes
                        + [
                            "zero bias: no spin current and no ac part; the "
                            "equilibrium moment is not computed by this method"
                        ]
                    ),
                    flags,
                ),
            )
        J = junction.amplitude_W
        reasons, errors = {}, {}
        with Recorder() as rec:
            res = floquet.floquet_currents(
                J,
                bias=v,
                gap_left=junction.gap_left_meV,
                gap_right=junction.gap_right_meV,
                temperature=junction.kT_meV,
                phi0=junction.phi0_rad,
                broadening=junction.broadening_meV,
                n_harmonics=self.n_harmonics,
                tol=self.tol,
            )
            static = self._static(junction, v, J, notes, reasons) if self.static else None
        if not self.static:
            reasons["M_dc"] = "not_computed"
            notes.append("M_dc: not computed (option static = false)")
        notes.append(
            f"sidebands: {res.nmax}, truncation error {res.truncation_error:.1e}, "
            f"quadrature error {res.quadrature_error:.1e}"
        )
        k = res.harmonics[1:, None]
        omega = abs(res.omega_J)
        m = res.spin[1:] / (1j * k * res.omega_J) * np.exp(-1j * k * junction.phi0_rad)
        size = np.linalg.norm(m, axis=1)
        if size[-1] > 1e-3 * size.max():
            notes.append(
                f"harmonics above {2 * k[-1, 0]}eV left out: the {2 * k[-1, 0]}eV one is still "
                f"{size[-1] / size.max():.1e} of the largest"
            )
        current_error = res.quadrature_error + res.truncation_error * float(np.abs(res.spin).max())
        charge_error = res.quadrature_error + res.truncation_error * abs(res.charge[0])
        errors["M_ac"] = current_error / omega
        errors["M_harmonics"] = current_error / (2 * omega)
        errors["spin_current_dc"] = float(rate_per_second(current_error))
        converged = bool(res.converged)
        m_dc = None
        if static is not None:
            m_dc, static_error, static_ok = static
            errors["M_dc"] = static_error
            converged &= static_ok
        return MethodResult(
            self.name,
            v,
            m_dc,
            m[0],
            rate_per_second(res.spin[0].real),
            m[1:],
            Diagnostics(converged, errors, reasons, tuple(rec.lines), tuple(notes), flags),
            extras={
                "charge_current_dc_nA": float(res.charge[0].real * NANOAMPERE_PER_REDUCED_CURRENT),
                "charge_current_dc_error_nA": float(charge_error * NANOAMPERE_PER_REDUCED_CURRENT),
            },
        )

    def _static(self, junction, v, J, notes, reasons):
        """(M_dc in mu_B, its error, converged) or None with the reason set."""
        from ..floquet import static_magnetization

        if junction.gap_left_meV == 0:
            reasons["M_dc"] = "normal_lead_beyond_second_order"
            return None
        static_T, note = static_temperature(junction, v)
        if note:
            notes.append(note)
        if static_T > 0:
            reasons["M_dc"] = "thermal_quasiparticles"
            return None
        if junction.broadening_meV:
            reasons["M_dc"] = "dynes_broadening"
            return None
        r = static_magnetization(
            J, bias=v, gap_left=junction.gap_left_meV, gap_right=junction.gap_right_meV, phi0=junction.phi0_rad
        )
        if r.injection > INJECTION_LIMIT:
            reasons["M_dc"] = "quasiparticles_injected"
            notes.append(
                f"M_dc: real quasiparticles are injected into the left lead (multiple Andreev reflection, "
                f"relative weight {r.injection:.1e}): the static moment is not established, M grows as "
                "I_s,dc t (docs/all_orders.md Sec. 4)"
            )
            return None
        size = float(np.abs(r.moment).max())
        error = r.quadrature_error + r.truncation_error + r.injection * size
        notes.append(
            f"M_dc at T = 0, closed lead (docs/all_orders.md Sec. 4); quasiparticle injection at relative "
            f"weight {r.injection:.1e} left out (in the error); {r.n_sidebands} sidebands"
        )
        # the injection part is an ambiguity of the quantity, in the error; the numerics
        # (quadrature, sideband truncation) must be well below the moment itself
        numerics_ok = r.quadrature_error + r.truncation_error <= max(1e-3 * size, 1e-14)
        return r.moment, error, bool(numerics_ok)
