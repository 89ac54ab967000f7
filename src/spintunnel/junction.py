"""The Junction: two leads, a weak link, a bias, a temperature; observables in lab units.

Inputs at this boundary are physical: gaps in meV, temperature in K, bias in mV (eV in meV),
R_n in Ohm, phase in rad, volume in nm^3; the link as J/J0 (and the partner block Jbar/J0 of
the paper's recipe). Inside, energies are in meV and hbar = k_B = e = 1, (g/2) mu_B = 1.

Every observable is computed by a named method:

``paper``
    The printed formulas: M_dc = c K_dc Y (Eq. 7, S39), M_ac(t) = c K_ac (X e^{i phase} + c.c.)
    (Eq. 12, S23) for one amplitude pair (J, Jbar), with Jbar from the chosen time-reversal
    relation (:mod:`spintunnel.spin`). Summed over all momenta as Eq. (4) requires, these
    terms cancel pairwise (docs/spin_factors.md); the method shows the paper's numbers.
``second_order``
    Second order derived from the Hamiltonian (:mod:`spintunnel.second_order`,
    docs/second_order.md), with the link's amplitude momentum independent: all four blocks
    (k,p), (k,-p), (-k,p), (-k,-p) equal to J.
``all_orders``
    All orders in J for a point contact with wide-band BCS leads (:mod:`spintunnel.floquet`,
    docs/all_orders.md): the spin-current harmonics, hence the harmonics 2eV, 4eV, 6eV, 8eV
    of M_L(t), and the dc spin current; R_n fixes |J| through the contact's own normal-state transmission.
    The static magnetization where it is finite: superconducting left lead, no real
    quasiparticles injected into it (T = 0, no multiple-Andreev injection above 1e-3);
    elsewhere n/a with the reason, and the dc spin current is what accumulates.
``exact``
    The finite model (:mod:`spintunnel.exact`) evolved exactly: N levels per lead on a midpoint
    grid in [-B, B], all four blocks J, hopping |J0| = sqrt(c) h/2 (h the level spacing, so that
    its sums become rho int dxi with the same c); static part and 2eV harmonic fitted after an
    adiabatic ramp, over two blocks of periods that must agree (else
    :class:`FiniteModelNotPeriodicError`).  At second order it converges to the band-limited
    continuum as h^2.  Beyond second order (all of M_ac; M_dc minus the finite model's own
    second order, given in the notes) it does so only where the model is periodic: a closed
    finite model has no continuum for the multiple-Andreev processes; at weak tunnelling it is,
    at the paper's R_n only some N give a periodic state (N = 16 does, to 4e-3, and then equals
    all orders with the same band to 0.3 %; N = 8, 12, 20, 24 do not: docs/exact_solver.md,
    "Beyond second order").  The 4eV and higher harmonics are not given: below the fit's
    resolution at weak tunnelling, not converged in N at strong.  Seconds per point: not in
    sweeps.

Normalisation c = rho_L rho_R |J0|^2 (rho per spin, sum_k -> rho int dxi): by default from
the golden-rule normal-state conductance of the Hamiltonian,
``1/R_n = (2 pi e^2/hbar) rho_L rho_R |J0|^2 Tr(j j^dag)`` (j = J/J0), i.e.
``c = R_Q / (2 pi R_n Tr(j j^dag))`` with R_Q = hbar/e^2; with ``normalisation="paper"`` the
paper's (S30), ``c = R_Q/R_n``, which is 4 pi times larger for a unitary j.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import second_order as _second_order
from .kernels import SpecialBiasError, ac_kernel, dc_kernel, special_biases
from .spin import as_spin_matrix
from .spin_factors import spin_factor_ac, spin_factor_dc
from .units import (
    BOLTZMANN_MEV_PER_K,
    RESISTANCE_QUANTUM_OHM,
    TIME_UNIT_S,
    field_mT,
    josephson_frequency_GHz,
)

METHODS = ("paper", "second_order", "all_orders", "exact")
NORMALISATIONS = ("golden_rule", "paper")

#: The thermal quasiparticle population exp(-Delta_min/k_B T) is neglected in the static
#: magnetization below this value, the package's accuracy target (the dc spin current these
#: quasiparticles carry is still computed at the true temperature).
_THERMAL_NEGLECT = 1e-8
# exact method: periods per fitted block, and the largest relative difference between the
# fits of the two blocks for which the finite model counts as periodic
_EXACT_PERIODS_PER_BLOCK = 4
_EXACT_SAMPLES_PER_PERIOD = 32
_EXACT_DRIFT_TOL = 0.05
#: Harmonics k = 1..this of omega_J = 2eV/hbar given by the ``all_orders`` method.
ALL_ORDERS_HARMONICS = 4


#: Bits of :meth:`Junction.regime_flags` (stored per point by sweeps).
REGIME_FLAGS = {1: "strong_coupling_RQ_over_Rn_above_0.3", 2: "bias_within_2_percent_of_a_gap_edge"}


class FiniteModelNotPeriodicError(RuntimeError):
    """The exact method's finite model is not in a periodic state after its ramp (transients
    of the discrete levels that the ramp leaves, or energy absorbed at a level resonance or by
    multiple Andreev reflection): no static part or harmonics can be read off."""


class RegimeWarning(UserWarning):
    """The parameters leave the regime where second-order perturbation theory is meant to hold."""


@dataclass(frozen=True)
class MethodResult:
    """Observables of one method, in physical units.

    Attributes
    ----------
    method : str
        One of METHODS: 'paper', 'second_order', 'all_orders', 'exact'.
    moment_dc_muB : ndarray (3,) or None
        Static magnetization M_L,dc of Eq. (4) in Bohr magnetons (g = 2); None where it is not
        finite (a dc spin current flows: see ``spin_current_dc_muB_per_s``).
    moment_ac_muB : ndarray (3,), complex
        Amplitude m of the ac magnetization, M_L,ac(t) = 2 Re[m e^{i(phi0 + 2eVt/hbar)}], in mu_B.
    spin_current_dc_muB_per_s : ndarray (3,)
        Time-averaged spin current dM_L/dt (Eq. 5) in mu_B/s.
    notes : list of str
        What was computed and how (prescription, neglected terms).
    moment_harmonics_muB : ndarray (K, 3), complex
        Amplitudes m_k of the higher harmonics k = 2, ..., K + 1 of the magnetization (row
        k - 2), in mu_B: M_L,ac(t) = Sum_{k >= 1} 2 Re[m_k e^{ik(phi0 + 2eVt/hbar)}] with
        m_1 = ``moment_ac_muB``.  Empty (K = 0) for ``paper`` and ``second_order``, which
        have no higher harmonic at their order.
    """

    method: str
    moment_dc_muB: np.ndarray | None
    moment_ac_muB: np.ndarray
    spin_current_dc_muB_per_s: np.ndarray
    notes: list = field(default_factory=list)
    moment_harmonics_muB: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), complex))

    def harmonics(self) -> np.ndarray:
        """All ac amplitudes m_1, m_2, ... (mu_B) as one (K + 1, 3) complex array."""
        return np.vstack([np.asarray(self.moment_ac_muB, complex)[None, :],
                          np.asarray(self.moment_harmonics_muB, complex).reshape(-1, 3)])


@dataclass(frozen=True)
class Junction:
    """A voltage-biased weak link with spin-dependent tunnelling between two leads.

    Hamiltonian: (S1), (S2) for each lead, (S7) with the bias phase of (S9)-(S10).

    Parameters
    ----------
    gap_left_meV, gap_right_meV : float
        Delta_L, Delta_R in meV (>= 0; 0 is a normal metal).
    temperature_K : float
        T in K (>= 0).
    bias_mV : float
        V in mV; eV = mu_L - mu_R.
    phi0_rad : float
        Phase difference phi0 in rad.
    normal_resistance_ohm : float
        R_n in Ohm (> 0).
    amplitude : array_like (2, 2)
        j = J/J0, the link's tunnelling amplitude (S7), dimensionless.
    amplitude_partner : array_like (2, 2)
        jbar = Jbar/J0 for the ``paper`` method (from a time-reversal relation).
    volume_nm3 : float
        Volume V0 for the field estimate B = mu_0 M/V0, nm^3.
    broadening_meV : float
        Dynes Gamma for the printed kernels (0: principal value, S37).
    normalisation : {'golden_rule', 'paper'}
        How R_n fixes rho_L rho_R |J0|^2 (module docstring).
    """

    gap_left_meV: float
    gap_right_meV: float
    temperature_K: float
    bias_mV: float
    phi0_rad: float
    normal_resistance_ohm: float
    amplitude: np.ndarray
    amplitude_partner: np.ndarray
    volume_nm3: float = 2.0 * math.pi / 3.0
    broadening_meV: float = 0.0
    normalisation: str = "golden_rule"

    def __post_init__(self):
        for name, lo in [("gap_left_meV", 0.0), ("gap_right_meV", 0.0), ("temperature_K", 0.0), ("broadening_meV", 0.0)]:
            v = float(getattr(self, name))
            if not math.isfinite(v) or v < lo:
                raise ValueError(f"{name} must be finite and >= {lo}, got {getattr(self, name)!r}")
        for name in ("bias_mV", "phi0_rad"):
            if not math.isfinite(float(getattr(self, name))):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)!r}")
        for name in ("normal_resistance_ohm", "volume_nm3"):
            v = float(getattr(self, name))
            if not math.isfinite(v) or v <= 0:
                raise ValueError(f"{name} must be positive and finite, got {getattr(self, name)!r}")
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(f"normalisation must be one of {NORMALISATIONS}, got {self.normalisation!r}")
        object.__setattr__(self, "amplitude", as_spin_matrix(self.amplitude, "amplitude"))
        object.__setattr__(self, "amplitude_partner", as_spin_matrix(self.amplitude_partner, "amplitude_partner"))
        if self.gap_left_meV == 0 and self.gap_right_meV == 0:
            raise ValueError("gap_left_meV and gap_right_meV are both zero: at least one lead must be a superconductor")

    # -- derived scales ---------------------------------------------------------------------
    @property
    def bias_meV(self) -> float:
        """eV in meV."""
        return float(self.bias_mV)

    @property
    def kT_meV(self) -> float:
        """k_B T in meV."""
        return self.temperature_K * BOLTZMANN_MEV_PER_K

    @property
    def josephson_frequency_GHz(self) -> float:
        """2eV/h in GHz."""
        return josephson_frequency_GHz(self.bias_mV)

    @property
    def angular_frequency_per_s(self) -> float:
        """omega_J = 2eV/hbar in rad/s."""
        return 2.0 * self.bias_meV / TIME_UNIT_S

    @property
    def period_s(self) -> float:
        """The ac period h/(2eV) in s (inf at zero bias)."""
        return math.inf if self.bias_mV == 0 else 1e-9 / abs(self.josephson_frequency_GHz)

    @property
    def coupling(self) -> float:
        """c = rho_L rho_R |J0|^2 (dimensionless) from R_n (module docstring)."""
        rq_rn = RESISTANCE_QUANTUM_OHM / self.normal_resistance_ohm
        if self.normalisation == "paper":
            return rq_rn
        trace = float(np.trace(self.amplitude @ self.amplitude.conj().T).real)
        return rq_rn / (2.0 * math.pi * trace)

    # -- regime ---------------------------------------------------------------------------
    def _gap_edges(self) -> list[tuple[str, float]]:
        gl, gr = self.gap_left_meV, self.gap_right_meV
        return [(n, e) for n, e in [("Delta_L", gl), ("Delta_R", gr), ("Delta_L + Delta_R", gl + gr),
                                    ("|Delta_L - Delta_R|", abs(gl - gr))] if e > 0]

    def _near_edge(self, v):
        """|eV| within 2% of max(Delta_L, Delta_R) of a gap edge, for |eV| = v (meV, any shape)."""
        return [(n, e, np.abs(v - e) < 0.02 * max(self.gap_left_meV, self.gap_right_meV)) for n, e in self._gap_edges()]

    def regime_warnings(self) -> list[str]:
        """Where the parameters leave the regime of second-order perturbation theory."""
        out = []
        rq_rn = RESISTANCE_QUANTUM_OHM / self.normal_resistance_ohm
        if rq_rn > 0.3:
            out.append(f"R_Q/R_n = {rq_rn:.3g} is not small: second order in tunnelling is not controlled")
        v = abs(self.bias_meV)
        for name, edge, near in self._near_edge(v):
            if near:
                out.append(f"|eV| = {v:.4g} meV is within 2% of {name} = {edge:.4g} meV: resonant denominators, perturbation theory fails")
        return out

    def regime_flags(self, biases_mV=None):
        """The checks of :meth:`regime_warnings` as bits of ``REGIME_FLAGS`` (0: none), at this
        junction's bias (an int) or, vectorised, at ``biases_mV`` (an int8 array)."""
        v = np.abs(np.asarray(self.bias_mV if biases_mV is None else biases_mV, dtype=float))
        flags = np.zeros(v.shape, np.int8)
        if RESISTANCE_QUANTUM_OHM / self.normal_resistance_ohm > 0.3:
            flags |= 1
        for _, _, near in self._near_edge(v):
            flags |= np.where(near, 2, 0).astype(np.int8)
        return int(flags) if biases_mV is None else flags

    # -- methods ---------------------------------------------------------------------------
    def _per_second(self, rate_reduced):
        # a rate in (g/2) mu_B x meV (hbar = 1) -> mu_B / s (g = 2)
        return np.asarray(rate_reduced) / TIME_UNIT_S

    def paper_at_biases(self, biases_mV) -> dict:
        """The printed formulas at many biases (this junction otherwise): one vectorised call of
        each kernel. M_dc = c K_dc Y (Eq. 7, S39), m_ac = c K_ac X (Eq. 12, S23), in mu_B.

        Returns a dict of arrays over the biases: ``M_dc`` (n, 3), ``m_ac`` (n, 3) complex,
        ``K_dc``, ``K_dc_error``, ``K_ac``, ``K_ac_error`` (n,) dimensionless, and ``valid``
        (n,) bool: False on a special bias of the kernels (:func:`spintunnel.special_biases`),
        where the principal value does not exist and the values are NaN.
        """
        v = np.asarray(biases_mV, dtype=float).reshape(-1)
        n = v.size
        gl, gr, kT = self.gap_left_meV, self.gap_right_meV, self.kT_meV
        out = {k: np.full(n, np.nan) for k in ("K_dc", "K_dc_error", "K_ac", "K_ac_error")}
        valid = np.ones(n, bool)
        if gl == 0:  # the printed kernels carry Delta_L^2 and Delta_L Delta_R
            for k in out:
                out[k][:] = 0.0
        else:
            broadening = self.broadening_meV or None
            if broadening is None:
                for kind in ("dc", "ac"):
                    for vs, _ in special_biases(kind, kT, gl, gr):
                        valid &= ~(np.abs(np.abs(v) - vs) <= 1e-12 * (gl + gr))
            for kind, fn in (("dc", dc_kernel), ("ac", ac_kernel)):
                if np.any(valid):
                    r = fn(v[valid], kT, gl, gr, broadening=broadening, full_output=True)
                    out[f"K_{kind}"][valid] = np.real(r.value)
                    out[f"K_{kind}_error"][valid] = r.error
        c = self.coupling
        Y = spin_factor_dc(self.amplitude, self.amplitude_partner).real
        X = spin_factor_ac(self.amplitude, self.amplitude_partner)
        out["M_dc"] = c * out["K_dc"][:, None] * Y[None, :]
        # M_ac(t) = c K_ac (X e^{i phase} + c.c.) = 2 Re[(c K_ac X) e^{i phase}]
        out["m_ac"] = c * out["K_ac"][:, None] * X[None, :]
        out["valid"] = valid
        return out

    def paper(self) -> MethodResult:
        """The printed formulas, Eq. (7)/(S39) and Eq. (12)/(S23), for the pair (J, Jbar)."""
        notes = ["printed kernels for one amplitude pair (J, Jbar); summed over all momenta they cancel (docs/spin_factors.md)"]
        notes.append("prescription: " + (f"Dynes broadening {self.broadening_meV} meV (real part kept)" if self.broadening_meV else "principal value (S37)"))
        if self.gap_left_meV == 0:
            notes.append("Delta_L = 0: the printed kernels vanish (factor Delta_L^2, Delta_L Delta_R)")
        p = self.paper_at_biases([self.bias_mV])
        if not p["valid"][0]:
            raise SpecialBiasError(f"bias_mV = {self.bias_mV} is a special bias of the printed kernels "
                                   "(spintunnel.special_biases): no principal value exists; use broadening_meV > 0 or a nearby bias")
        return MethodResult("paper", p["M_dc"][0], p["m_ac"][0], np.zeros(3), notes)

    def second_order(self) -> MethodResult:
        """Second order derived from the Hamiltonian, all four momentum blocks equal to J."""
        c = self.coupling
        gl, gr, v, kT = self.gap_left_meV, self.gap_right_meV, self.bias_meV, self.kT_meV
        j = self.amplitude
        # second_order works per pair sector: rho_pair = rho/2 in each lead -> factor 1/4
        scale = c / 4.0
        notes = ["derived from the Hamiltonian (docs/second_order.md); momentum-independent link: all four blocks = J"]
        current = _second_order.spin_current_dc(j, j, v, kT, gl, gr, cross="equal")
        static_T = self._static_temperature(notes)
        try:
            m_dc = scale * _second_order.magnetization_dc(j, j, v, static_T, gl, gr, cross="equal")
        except (_second_order.DivergentMagnetizationError, NotImplementedError) as exc:
            m_dc = None
            notes.append(f"static magnetization not finite or not available: {exc}")
        m_ac = scale * _second_order.magnetization_ac(j, j, v, static_T, gl, gr, cross="equal")
        return MethodResult("second_order", m_dc, m_ac, self._per_second(scale * current), notes)

    def _static_temperature(self, notes) -> float:
        """k_BT (meV) for the static part: 0 below the pair-breaking threshold when the thermal
        quasiparticle population exp(-Delta_min/k_BT) is below _THERMAL_NEGLECT (noted)."""
        gl, gr, kT = self.gap_left_meV, self.gap_right_meV, self.kT_meV
        gap_min = min(g for g in (gl, gr) if g > 0) if (gl > 0 or gr > 0) else 0.0
        if 0 < kT and math.exp(-gap_min / kT) < _THERMAL_NEGLECT and abs(self.bias_meV) < gl + gr:
            notes.append(f"static part at T = 0: thermal quasiparticles ~ exp(-Delta/k_BT) = {math.exp(-gap_min / kT):.1e} neglected")
            return 0.0
        return kT

    def all_orders(self, static: bool = True) -> MethodResult:
        """All orders in J (Floquet-Keldysh, :func:`spintunnel.floquet.floquet_currents`).

        M_ac amplitudes m_k = M_k e^{-ik phi0}, M_k = I_k/(ik omega_J) the harmonics of the
        magnetization driven by the spin current: k = 1 (2eV) in ``moment_ac_muB``, k = 2..4
        in ``moment_harmonics_muB``.
        M_dc (``static=True``) from :func:`spintunnel.floquet.static_magnetization` where it
        is finite: superconducting left lead, T = 0 (or thermal quasiparticles negligible,
        as in ``second_order``), no broadening, and real quasiparticle injection (multiple
        Andreev reflection) below 1e-3 of the included weight.  It takes about a second;
        the bias-sweep figure skips it.
        """
        from . import floquet

        v = self.bias_meV
        notes = ["all orders in J, point contact, wide-band BCS leads (docs/all_orders.md)"]
        if v == 0:
            notes.append("zero bias: no spin current, no ac part")
            return MethodResult("all_orders", None, np.zeros(3, complex), np.zeros(3), notes)
        res = floquet.floquet_currents(
            self.amplitude, bias=v, gap_left=self.gap_left_meV, gap_right=self.gap_right_meV,
            temperature=self.kT_meV, phi0=self.phi0_rad, resistance=self.normal_resistance_ohm / RESISTANCE_QUANTUM_OHM,
            dynes=self.broadening_meV, n_harmonics=ALL_ORDERS_HARMONICS, tol=1e-5,
        )
        notes.append(f"sidebands: {res.nmax}, truncation error {res.truncation_error:.1e}, quadrature error {res.quadrature_error:.1e}")
        if not res.converged:
            notes.append("WARNING: the requested tolerance was not reached")
        k = res.harmonics[1:, None]
        m = res.spin[1:] / (1j * k * res.omega_J) * np.exp(-1j * k * self.phi0_rad)
        size = np.linalg.norm(m, axis=1)
        if size[-1] > 1e-3 * size.max():
            notes.append(f"harmonics above {2 * k[-1, 0]}eV left out: the {2 * k[-1, 0]}eV one is still "
                         f"{size[-1] / size.max():.1e} of the largest")
        m_dc = self._all_orders_static(res.params["J"], notes) if static else None
        return MethodResult("all_orders", m_dc, m[0], self._per_second(res.spin[0].real), notes, m[1:])

    def _all_orders_static(self, J, notes):
        """Static moment (mu_B) of the all-orders method, or None with the reason in notes."""
        from .floquet import static_magnetization

        gl, gr = self.gap_left_meV, self.gap_right_meV
        if gl == 0:
            notes.append("M_dc: not given for a normal left lead: beyond second order its static moment depends on how J "
                         "was switched on (docs/all_orders.md Sec. 4); see the second_order method")
            return None
        if self._static_temperature(notes) > 0:
            notes.append("M_dc: not finite at T > 0 (thermal quasiparticles carry a dc spin current)")
            return None
        if self.broadening_meV:
            notes.append("M_dc: not computed with Dynes broadening")
            return None
        r = static_magnetization(J, bias=self.bias_meV, gap_left=gl, gap_right=gr, phi0=self.phi0_rad)
        if r.injection > 1e-3:
            notes.append(f"M_dc: not given: real quasiparticles are injected into the left lead (multiple Andreev reflection, "
                         f"relative weight {r.injection:.1e}); the static moment is then not established (docs/all_orders.md Sec. 4)")
            return None
        notes.append(f"M_dc at T = 0, closed lead (docs/all_orders.md Sec. 4); quasiparticle injection (multiple Andreev "
                     f"reflection) at relative weight {r.injection:.1e} left out; {r.n_sidebands} sidebands")
        return r.moment

    def exact(self, n_levels: int = 16, band_in_gaps: float = 8.0) -> MethodResult:
        """The finite model evolved exactly (module docstring): M_L(t) of (Eq. 4) in mu_B.

        Parameters
        ----------
        n_levels : int
            Levels per lead (Nambu dimension 16 n_levels).
        band_in_gaps : float
            Half-band B in units of max(Delta_L, Delta_R).
        """
        from . import exact as _exact
        from .exact.perturbation import smallest_denominator
        from .exact.symmetry import equilibrium_magnetization

        unit = max(self.gap_left_meV, self.gap_right_meV)  # reduced energy unit of the model
        B = float(band_in_gaps)
        h = 2.0 * B / int(n_levels)
        levels = -B + h * (np.arange(int(n_levels)) + 0.5)
        model = _exact.FiniteJunction(
            levels, levels, self.gap_left_meV / unit, self.gap_right_meV / unit,
            temperature=self.kT_meV / unit, bias=self.bias_meV / unit, phi0=self.phi0_rad,
            blocks=self.amplitude, hopping=math.sqrt(self.coupling) * h / 2.0,
        )
        notes = [f"finite model: {int(n_levels)} levels per lead on [-{B:g}, {B:g}] x {unit:g} meV, spacing {h * unit:.3g} meV, all blocks J; exact evolution"]
        if self.bias_mV == 0:
            static = equilibrium_magnetization(model).sum(axis=0)
            harmonic = np.zeros(3, complex)
        else:
            denominator = smallest_denominator(model)
            ramp = min(400.0, 30.0 / max(denominator, 0.075))
            block, half = _EXACT_PERIODS_PER_BLOCK, _EXACT_PERIODS_PER_BLOCK * _EXACT_SAMPLES_PER_PERIOD
            res = _exact.evolve(model, ramp_time=ramp, n_periods=2 * block,
                                samples_per_period=_EXACT_SAMPLES_PER_PERIOD, max_step=0.2)
            halves = [_exact.fit_harmonics(res.times[sel], res.magnetization[sel], 2.0 * model.bias, 2)
                      for sel in (slice(0, half), slice(half, None))]
            fit = res.harmonics()
            static = np.real(fit.static)
            # the fit's c_1 multiplies e^{2ieVt}; the Junction's m_1 multiplies e^{i(phi0 + 2eVt)}
            harmonic = fit.harmonic(1) * np.exp(-1j * self.phi0_rad)
            # below 1e-8 c mu_B a fit is round-off (M_dc ~ c, M_ac ~ c^2 >> 1e-8 c at any R_n used)
            drift = _exact_drift(halves, atol=1e-8 * self.coupling)
            if max(drift[:2]) > _EXACT_DRIFT_TOL:
                raise FiniteModelNotPeriodicError(
                    f"exact: the finite model ({int(n_levels)} levels) is not periodic after the ramp: the fits over periods "
                    f"1-{block} and {block + 1}-{2 * block} differ by {drift[0]:.0%} in M_dc and {drift[1]:.0%} in M_ac "
                    f"(smallest denominator {denominator:.3g} Delta; docs/exact_solver.md, 'Beyond second order'); "
                    "use all_orders, or another n_levels")
            notes.append(f"ramp {ramp:.0f} hbar/Delta (smallest denominator {denominator:.3g} Delta); periods 1-{block} vs "
                         f"{block + 1}-{2 * block}: M_dc, M_ac agree to {drift[0]:.1e}, {drift[1]:.1e}")
            m2 = np.linalg.norm(fit.harmonic(2))
            notes.append(f"4eV harmonic not given: the finite model's |m_2| = {m2:.2e} mu_B (halves differ "
                         f"by {drift[2]:.0%}) is not converged in N (docs/exact_solver.md, 'Beyond second order')")
            try:
                so = _exact.second_order(model)
                notes.append(f"its own second order: M_dc = {np.array2string(so.static, precision=3)} mu_B, "
                             f"exact - second order = {np.abs(static - so.static).max():.2e} mu_B")
            except ValueError as exc:
                notes.append(f"its own second order: not available ({exc})")
        notes.append("second order converges to the continuum with the same band as h^2, beyond it where the model "
                     "is periodic (docs/exact_solver.md, 'Beyond second order'); the band B itself shifts M from the infinite-band continuum")
        return MethodResult("exact", static, harmonic, np.zeros(3), notes)

    def observables(self, method: str) -> MethodResult:
        """The observables of one method (see module docstring)."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        for w in self.regime_warnings():
            warnings.warn(w, RegimeWarning, stacklevel=2)
        return getattr(self, method)()

    # -- time traces ------------------------------------------------------------------------
    def time_trace(self, result: MethodResult, times_s):
        """M_L(t) in mu_B and I_spin(t) = dM_L/dt in mu_B/s at the times (s), shape (nt, 3).

        M_L(t) = M_dc + Sum_k 2 Re[m_k e^{ik(phi0 + omega_J t)}] (+ I_dc t where a dc spin
        current flows and no static part exists), omega_J = 2eV/hbar, k = 1 and the higher
        harmonics the method gives (``MethodResult.moment_harmonics_muB``).
        """
        t = np.asarray(times_s, dtype=float)[:, None]
        m = result.harmonics()                                  # (K, 3), k = 1..K
        k = np.arange(1, m.shape[0] + 1)
        phase = np.exp(1j * k[None, :] * (self.phi0_rad + self.angular_frequency_per_s * t))  # (nt, K)
        moment = 2.0 * np.real(phase @ m)
        current = 2.0 * np.real((1j * self.angular_frequency_per_s * k * phase) @ m) + result.spin_current_dc_muB_per_s[None, :]
        if result.moment_dc_muB is not None:
            moment = moment + result.moment_dc_muB[None, :]
        else:
            moment = moment + result.spin_current_dc_muB_per_s[None, :] * t
        return moment, current

    def field_mT(self, moment_muB):
        """B = mu_0 M / V0 in mT for a moment in mu_B (elementwise), V0 = ``volume_nm3``."""
        return field_mT(np.asarray(moment_muB), self.volume_nm3)


def _exact_drift(halves, atol: float = 0.0) -> np.ndarray:
    """Relative difference of (static, 2eV, 4eV) between two fits of the exact trace.

    Each relative to its own size, floored at 1e-3 of the largest of all three (a component
    that vanishes by symmetry is then not a drift) and at ``atol`` (mu_B; a signal that is
    round-off, e.g. an SU(2) link, is not a drift); 0 where the signal is zero.
    """
    a, b = ([h.static.real, h.harmonic(1), h.harmonic(2)] for h in halves)
    size = [max(np.linalg.norm(x), np.linalg.norm(y)) for x, y in zip(a, b)]
    floor = max(1e-3 * max(size), atol)
    if floor == 0:
        return np.zeros(3)
    return np.array([np.linalg.norm(x - y) / max(s, floor) for x, y, s in zip(a, b, size)])


def junction_from_config(cfg) -> Junction:
    """Build the :class:`Junction` of a :class:`spintunnel.config.RunConfig`."""
    j = cfg.junction
    J, Jbar = cfg.link.pair(cfg.methods.time_reversal)
    return Junction(
        gap_left_meV=j.left.gap_at(j.temperature_K),
        gap_right_meV=j.right.gap_at(j.temperature_K),
        temperature_K=j.temperature_K,
        bias_mV=j.bias_mV,
        phi0_rad=j.phi0_rad,
        normal_resistance_ohm=j.normal_resistance_ohm,
        amplitude=J,
        amplitude_partner=Jbar,
        volume_nm3=j.volume_nm3,
        broadening_meV=cfg.methods.broadening_meV,
    )
