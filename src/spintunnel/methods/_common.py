"""Small helpers shared by the methods (no physics beyond unit conversion)."""

from __future__ import annotations

import warnings

import numpy as np

from ..junction import THERMAL_NEGLECT


def bias_list(junction, biases_mV) -> np.ndarray:
    """The biases (mV) as a 1D float array; the junction's own bias when None.  Raises
    ValueError for a non-finite bias before any work."""
    v = np.atleast_1d(np.asarray(junction.bias_mV if biases_mV is None else biases_mV, dtype=float)).reshape(-1)
    if not np.all(np.isfinite(v)):
        raise ValueError(f"biases must be finite (mV), got {v[~np.isfinite(v)][:3].tolist()}")
    return v


def warning_lines(caught) -> list[str]:
    """One line per caught warning, ``Category: message``, duplicates removed in order."""
    lines = []
    for w in caught:
        line = f"{w.category.__name__}: {w.message}"
        if line not in lines:
            lines.append(line)
    return lines


class Recorder:
    """``with Recorder() as rec:`` records every warning raised inside (none silenced, none
    shown) into ``rec.lines``."""

    def __enter__(self):
        self._cm = warnings.catch_warnings(record=True)
        self._caught = self._cm.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)
        self.lines = warning_lines(self._caught)
        return False


def static_temperature(junction, bias_mV) -> tuple[float, str | None]:
    """k_BT (meV) at which a static part is computed, and a note: 0 when the thermal
    population :meth:`Junction.thermal_population` is below
    :data:`~spintunnel.junction.THERMAL_NEGLECT`, else the junction's k_BT (the dc spin
    current is still computed at the true temperature)."""
    kT = junction.kT_meV
    if kT == 0:
        return 0.0, None
    p = junction.thermal_population(bias_mV)
    if p < THERMAL_NEGLECT:
        return 0.0, (
            f"static part at T = 0: the thermal quasiparticle population "
            f"exp(-E_a/k_BT) = {p:.1e} ({junction.thermal_activation_label(bias_mV)}) is neglected"
        )
    return kT, None
