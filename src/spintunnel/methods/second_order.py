"""Second order in the tunnelling, derived from the Hamiltonian (docs/second_order.md).

:mod:`spintunnel.second_order` with a momentum-independent link: all four momentum blocks
(k,p), (k,-p), (-k,p), (-k,-p) equal to J, evaluated at the junction's common amplitude
(``J = J0 j`` of :attr:`Junction.amplitude_W`, ``rho_L rho_R |J0|^2 = Junction.coupling``).
The module works per pair sector (density rho/2 per lead), hence the factor c/4.

The 2eV harmonic of the total magnetization vanishes identically at second order (the two
momentum sectors cancel, docs/second_order.md Sec. 4; its first term is of order J^4,
docs/all_orders.md Sec. 6), and so do the higher harmonics: M_ac and M_harmonics are not
given at this order (reason ``not_at_this_order``), rather than given as zero.

Error estimate (the next order, O(J^4)): ``Sum_i tau_i x S``, with tau_i the channel
transmissions and S the size of the second-order term: |M_dc| for the static part, |I_s,dc|
for the dc spin current.  It is an estimate, not a bound: checked against the all-orders
solver where both apply (tests/test_methods.py); near a gap edge (regime flag) second order
fails outright, and the recommended answer does not use it there.
"""

from __future__ import annotations

import math

import numpy as np

from .. import second_order as _so
from ..units import rate_per_second
from . import register
from ._common import Recorder, static_temperature
from .base import Diagnostics, Method, MethodResult

#: Relative round-off of the continuum quadratures: components below it are zero.
_ROUND_OFF = 1e-12


def _floor(err: float, vec) -> float:
    return max(err, _ROUND_OFF * float(np.abs(vec).max()) if vec is not None else 0.0)


@register
class SecondOrder(Method):
    """Second order derived from the Hamiltonian (momentum-independent link):
    docs/second_order.md Secs. 3-5 (M_dc, M_ac, the dc spin current)."""

    name = "second_order"
    label = "2nd-order"
    summary = "second order in J derived from the Hamiltonian (weak tunnelling)"
    vectorised = False
    needs_partner = False
    regime = "weak tunnelling"
    rank = 20
    cost_hint_s = 0.03  # measured: 0.025 s per point
    line_style = "-"

    def compute_channel(self, junction, biases_mV=None, progress=None):
        return self.per_bias(junction, biases_mV, self._one, progress)

    def _one(self, junction, v):
        j = junction.amplitude
        gl, gr, kT = junction.gap_left_meV, junction.gap_right_meV, junction.kT_meV
        scale = junction.coupling / 4.0
        tau_sum = float(junction.transmissions.sum())
        notes = [
            "derived from the Hamiltonian (docs/second_order.md); momentum-independent link: all four blocks = J",
            f"at the common amplitude J (rho_L rho_R |J0|^2 = {junction.coupling:.4g}); its golden-rule R_n = "
            f"{junction.golden_rule_resistance_ohm:.6g} Ohm is the second-order approximation of R_n = "
            f"{junction.normal_resistance_ohm:.6g} Ohm",
        ]
        reasons, errors = {"M_ac": "not_at_this_order", "M_harmonics": "not_at_this_order"}, {}
        with Recorder() as rec:
            current = scale * _so.spin_current_dc(j, j, v, kT, gl, gr, cross="equal")
            static_T, note = static_temperature(junction, v)
            if note:
                notes.append(note)
            try:
                m_dc = scale * _so.magnetization_dc(j, j, v, static_T, gl, gr, cross="equal")
            except _so.DivergentMagnetizationError as exc:
                m_dc = None
                reasons["M_dc"] = "above_threshold" if abs(v) >= gl + gr else "thermal_quasiparticles"
                notes.append(f"M_dc not finite: {exc}")
            except NotImplementedError as exc:
                m_dc = None
                reasons["M_dc"] = "above_threshold" if abs(v) >= gl + gr else "thermal_quasiparticles"
                notes.append(f"M_dc not available: {exc}")
        current = rate_per_second(current)
        if m_dc is not None:
            errors["M_dc"] = _floor(tau_sum * float(np.abs(m_dc).max()), m_dc)
        errors["spin_current_dc"] = _floor(tau_sum * float(np.abs(current).max()), current)
        warnings = list(rec.lines)
        if gl > 0 and gr > 0 and 0 < abs(v) < gl + gr:
            n = math.ceil((gl + gr) / abs(v))
            warnings.append(
                f"multiple Andreev reflection is beyond second order: its dc currents start at order "
                f"J^{2 * n} here (n = {n} quanta eV for Delta_L + Delta_R)"
            )
        return MethodResult(
            self.name,
            v,
            m_dc,
            None,
            current,
            diagnostics=Diagnostics(
                True, errors, reasons, tuple(warnings), tuple(notes), int(junction.regime_flags(v))
            ),
        )
