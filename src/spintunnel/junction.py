"""The Junction: two leads, a weak link, a bias, a temperature, in lab units.

The physical model and its unit conversions, nothing else; the methods that compute its
observables live in :mod:`spintunnel.methods` (:meth:`Junction.observables`).

Inputs at this boundary are physical: gaps in meV, temperature in K, bias in mV (eV in meV),
R_n in Ohm, phase in rad, volume in nm^3; the link as j = J/J0 (and the partner block
Jbar/J0 of the paper's recipe).  Inside, energies are in meV and hbar = k_B = e = 1,
(g/2) mu_B = 1.

One coupling for every method (docs/junction.md).  The microscopic amplitude J = J0 j is
fixed once, from R_n, by the all-orders normal-state conductance of the point contact
(:mod:`spintunnel.contact`): ``R_n = 2 pi R_Q / Sum_i tau_i``, ``tau_i = 4 s_i^2/(1 + s_i^2)^2``
for the singular values s_i of J in units of W = 1/(pi rho).  Hence
``rho_L rho_R |J0|^2 = (J0/W)^2 / pi^2`` (:attr:`Junction.coupling`).  Every method uses this
J: second order and the printed route evaluate their formulas at it (the golden-rule R_n,
``1/R_n = (2 pi e^2/hbar) rho_L rho_R |J0|^2 Tr(j j^dag)``, is then the second-order
approximation of the given R_n: :attr:`Junction.golden_rule_resistance_ohm`), the exact
method maps it onto its finite band.  ``normalisation="paper"`` gives the printed route the
paper's (S30) ``rho_L rho_R |J0|^2 = R_Q/R_n`` instead, for comparison (labelled in its notes).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import warnings
from dataclasses import dataclass

import numpy as np

from . import contact
from .inputs import non_negative, positive, real
from .spin import as_spin_matrix
from .units import (
    BOLTZMANN_MEV_PER_K,
    RESISTANCE_QUANTUM_OHM,
    TIME_UNIT_S,
    field_mT,
    josephson_frequency_GHz,
)

__all__ = [
    "Junction",
    "Channel",
    "RegimeWarning",
    "REGIME_FLAGS",
    "NORMALISATIONS",
    "THERMAL_NEGLECT",
    "thermal_activation_meV",
    "thermal_population",
    "junction_from_config",
]

NORMALISATIONS = ("conductance", "paper")

#: Bits of :meth:`Junction.regime_flags` (stored per point by sweeps).
REGIME_FLAGS = {1: "strong_coupling_mean_transmission_above_0.5", 2: "bias_within_2_percent_of_a_gap_edge"}
#: Channel transmission (the largest tau_i) above which second order is not controlled (flag 1).
STRONG_COUPLING = 0.5


#: A thermal population exp(-E_a/k_BT) (:func:`thermal_population`) below this counts as
#: zero: static parts are then computed at T = 0 (the package's accuracy target).
THERMAL_NEGLECT = 1e-8


def thermal_activation_meV(gap_left_meV: float, gap_right_meV: float, bias_meV: float) -> float:
    """Energy E_a (meV) whose Boltzmann factor is the thermal population that carries
    quasiparticle transfer at bias eV (meV), gaps in meV (docs/junction.md, "Methods ...":
    the static part at T > 0).

    Both leads superconducting: ``min(Delta_L, Delta_R)`` (quasiparticles must be excited
    in one lead).  One lead normal: ``Delta_S - |eV|``, because an electron (hole) of the
    normal lead at energy E above (below) its own chemical potential enters the
    superconductor at E + |eV|, which needs E >= Delta_S - |eV| (0 once |eV| >= Delta_S:
    the transfer then needs no activation).
    """
    if gap_left_meV > 0 and gap_right_meV > 0:
        return min(gap_left_meV, gap_right_meV)
    return max(max(gap_left_meV, gap_right_meV) - abs(bias_meV), 0.0)


def thermal_population(gap_left_meV: float, gap_right_meV: float, bias_meV: float, kT_meV: float) -> float:
    """exp(-E_a/k_BT) of :func:`thermal_activation_meV` (energies in meV; 0 at T = 0, 1 where
    E_a = 0)."""
    ea = thermal_activation_meV(gap_left_meV, gap_right_meV, bias_meV)
    if kT_meV == 0:
        return 0.0 if ea > 0 else 1.0
    return math.exp(-ea / kT_meV)


@dataclass(frozen=True)
class Channel:
    """One conduction channel of a point contact (docs/junction.md, "Channels").

    Parameters
    ----------
    transmission : float
        tau_i in (0, 1]: the mean of the normal-state transmissions of the channel's two spin
        eigen-channels, ``tau_i = (tau_i,+ + tau_i,-)/2`` with ``tau_i,+- = 4 s^2/(1 + s^2)^2``
        for the singular values s of J_i (CMRLY Eq. 2.9).  A spin-degenerate channel has
        ``tau_i,+ = tau_i,- = tau_i`` and conductance 2e^2/h tau_i.
    amplitude : array_like (2, 2)
        j_i = J_i/J0_i, the channel's spin structure (dimensionless; its scale is fixed by
        ``transmission``).
    amplitude_partner : array_like (2, 2)
        jbar_i for the printed route (from a time-reversal relation).

    Notes
    -----
    The channel's amplitude in units of W = 1/(pi rho) is ``J_i = s_i j_i`` with s_i fixed by
    :func:`spintunnel.contact.amplitude_for_transmission` (:attr:`amplitude_W`).
    """

    transmission: float
    amplitude: np.ndarray
    amplitude_partner: np.ndarray

    def __post_init__(self):
        tau = float(self.transmission)
        if not (math.isfinite(tau) and 0 < tau <= 1):
            raise ValueError(f"a channel transmission must lie in (0, 1], got {self.transmission!r}")
        object.__setattr__(self, "transmission", tau)
        object.__setattr__(self, "amplitude", as_spin_matrix(self.amplitude, "channel amplitude"))
        object.__setattr__(
            self, "amplitude_partner", as_spin_matrix(self.amplitude_partner, "channel amplitude_partner")
        )
        _ = self.amplitude_W  # fails now if this spin structure cannot reach the transmission

    @functools.cached_property
    def amplitude_W(self) -> np.ndarray:
        """J_i in units of W: ``s_i j_i`` with mean spin transmission ``transmission``."""
        return contact.amplitude_for_transmission(self.amplitude, self.transmission)


class RegimeWarning(UserWarning):
    """The parameters leave the regime where second-order perturbation theory is meant to hold."""


@dataclass(frozen=True)
class Junction:
    """A voltage-biased weak link with spin-dependent tunnelling between two leads.

    Hamiltonian: (S1), (S2) for each lead, (S7) with the bias phase of (S9)-(S10).

    Parameters
    ----------
    gap_left_meV, gap_right_meV : float
        Delta_L, Delta_R in meV (>= 0; 0 is a normal metal; not both 0).
    temperature_K : float
        T in K (>= 0).
    bias_mV : float
        V in mV; eV = mu_L - mu_R.
    phi0_rad : float
        Phase difference phi0 in rad.
    normal_resistance_ohm : float
        R_n in Ohm of a single-channel junction.  The mean channel transmission pi R_Q/R_n of
        the contact's two spin channels must not exceed 1, i.e. R_n >= pi R_Q = 12.9 kOhm.
        Not given with ``channels`` (R_n then follows from them).
    amplitude : array_like (2, 2)
        j = J/J0, the link's tunnelling amplitude (S7), dimensionless; its overall scale is
        fixed by R_n (module docstring).  Not given with ``channels``.
    amplitude_partner : array_like (2, 2)
        jbar = Jbar/J0 for the printed route (from a time-reversal relation).  Not given with
        ``channels``.
    volume_nm3 : float
        Volume V0 for the paper's field estimate B = mu_0 M/V0, nm^3.
    broadening_meV : float
        Dynes Gamma of the leads, meV (0: none; the printed kernels then take the principal
        value, S37).
    normalisation : {'conductance', 'paper'}
        rho_L rho_R |J0|^2 of the printed route: the common coupling, or (S30) ``R_Q/R_n``.
    channels : sequence of Channel
        A multi-channel point contact (docs/junction.md, "Channels"): independent channels,
        no inter-channel mixing; every observable is the channel sum (taken by the methods,
        :meth:`channel_junctions`).  R_n follows, ``R_n = pi R_Q / Sum_i tau_i``
        (1/R_n = (2e^2/h) Sum_i tau_i).  Empty (default): one channel, from R_n and j.
    """

    gap_left_meV: float
    gap_right_meV: float
    temperature_K: float
    bias_mV: float
    phi0_rad: float
    normal_resistance_ohm: float | None = None
    amplitude: np.ndarray | None = None
    amplitude_partner: np.ndarray | None = None
    volume_nm3: float = 2.0 * math.pi / 3.0
    broadening_meV: float = 0.0
    normalisation: str = "conductance"
    channels: tuple = ()

    def __post_init__(self):
        self._set_channels()
        for name in ("gap_left_meV", "gap_right_meV", "temperature_K", "broadening_meV"):
            non_negative(getattr(self, name), name)
        for name in ("bias_mV", "phi0_rad"):
            real(getattr(self, name), name)
        for name in ("normal_resistance_ohm", "volume_nm3"):  # R_n of the channels is set above
            positive(getattr(self, name), name)
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(f"normalisation must be one of {NORMALISATIONS}, got {self.normalisation!r}")
        if self.gap_left_meV == 0 and self.gap_right_meV == 0:
            raise ValueError("gap_left_meV and gap_right_meV are both zero: at least one lead must be a superconductor")
        if self.channels:
            return
        object.__setattr__(self, "amplitude", as_spin_matrix(self.amplitude, "amplitude"))
        object.__setattr__(self, "amplitude_partner", as_spin_matrix(self.amplitude_partner, "amplitude_partner"))
        if not np.any(self.amplitude):
            raise ValueError("amplitude j = J/J0 is zero: a link with no tunnelling has no normal-state resistance")
        rq_rn = RESISTANCE_QUANTUM_OHM / float(self.normal_resistance_ohm)
        mean_tau = math.pi * rq_rn
        if mean_tau > 1:
            raise ValueError(
                f"normal_resistance_ohm = {self.normal_resistance_ohm:g} Ohm is below pi R_Q = h/2e^2 = "
                f"{math.pi * RESISTANCE_QUANTUM_OHM:.6g} Ohm: one channel (two spin eigen-channels) cannot "
                f"reach it (mean transmission {mean_tau:.3g} > 1); a multi-channel contact is given by its "
                "channels"
            )
        _ = self.amplitude_W  # fails now, with a clear message, if this spin structure cannot reach R_n

    @classmethod
    def from_config(cls, path=None) -> Junction:
        """The junction of a run config (TOML file at ``path``), or of the built-in default
        (the paper's setting) when ``path`` is None."""
        from .config import load_config

        return junction_from_config(load_config(path))

    def _set_channels(self):
        """Check the channel form against the single-channel form, and set R_n of the channels."""
        if not self.channels:
            missing = [
                n for n in ("normal_resistance_ohm", "amplitude", "amplitude_partner") if getattr(self, n) is None
            ]
            if missing:
                raise ValueError(f"a single-channel junction needs {', '.join(missing)} (or give channels)")
            return
        chans = tuple(self.channels)
        if not all(isinstance(c, Channel) for c in chans):
            raise ValueError("channels must be spintunnel.junction.Channel objects")
        given = [n for n in ("normal_resistance_ohm", "amplitude", "amplitude_partner") if getattr(self, n) is not None]
        if given:
            raise ValueError(
                f"a junction with channels takes its R_n and spin structure from them: do not also give "
                f"{', '.join(given)}"
            )
        object.__setattr__(self, "channels", chans)
        object.__setattr__(
            self,
            "normal_resistance_ohm",
            contact.resistance_for_transmissions([c.transmission for c in chans]) * RESISTANCE_QUANTUM_OHM,
        )

    # -- channels ---------------------------------------------------------------------------
    @property
    def multichannel(self) -> bool:
        """Built from ``channels`` (the observables are channel sums)."""
        return bool(self.channels)

    @property
    def channel_transmissions(self) -> np.ndarray:
        """tau_i of each channel (mean of its two spin eigen-channels), in the given order; a
        single-channel junction has the one value pi R_Q/R_n."""
        if self.channels:
            return np.array([c.transmission for c in self.channels])
        return np.array([math.pi * RESISTANCE_QUANTUM_OHM / self.normal_resistance_ohm])

    def channel_junctions(self) -> tuple[Junction, ...]:
        """One single-channel junction per channel (same leads, bias, temperature; R_n_i =
        pi R_Q/tau_i and the channel's j_i, jbar_i); ``(self,)`` for a single channel.  The
        methods compute each and add them (independent channels, docs/junction.md)."""
        if not self.channels:
            return (self,)
        return tuple(
            dataclasses.replace(
                self,
                channels=(),
                amplitude=c.amplitude,
                amplitude_partner=c.amplitude_partner,
                normal_resistance_ohm=math.pi * RESISTANCE_QUANTUM_OHM / c.transmission,
            )
            for c in self.channels
        )

    def _single(self, what: str):
        if self.channels:
            raise ValueError(f"{what} is one per channel for a multi-channel junction: use channel_junctions()")

    @property
    def resistance_ohm(self) -> float:
        """R_n in Ohm: the given one, or the channels' ``pi R_Q / Sum tau_i``."""
        assert self.normal_resistance_ohm is not None  # set for channels by __post_init__
        return float(self.normal_resistance_ohm)

    def _j(self) -> np.ndarray:
        """j = J/J0 of a single-channel junction."""
        self._single("amplitude")
        assert self.amplitude is not None  # checked by __post_init__ without channels
        return self.amplitude

    # -- the coupling (one J for every method) -------------------------------------------
    @functools.cached_property
    def amplitude_W(self) -> np.ndarray:
        """The microscopic amplitude J in units of W = 1/(pi rho): ``s j`` with s fixed by R_n
        through the all-orders normal conductance (docs/junction.md, "One coupling for every
        method").  Single channel only."""
        self._single("amplitude_W")
        return contact.amplitude_for_resistance(self.amplitude, self.normal_resistance_ohm / RESISTANCE_QUANTUM_OHM)

    @property
    def coupling(self) -> float:
        """c = rho_L rho_R |J0|^2 of the common amplitude (dimensionless): ``(J0/W)^2/pi^2``,
        the prefactor of the second-order formulas (S29-S30; docs/junction.md, "One coupling
        for every method").  Single channel only."""
        scale = np.linalg.norm(self.amplitude_W) / np.linalg.norm(self._j())
        return float(scale**2 / math.pi**2)

    @property
    def coupling_printed(self) -> float:
        """c used by the printed route: :attr:`coupling`, or R_Q/R_n (S30) with
        ``normalisation="paper"``."""
        if self.normalisation == "paper":
            return RESISTANCE_QUANTUM_OHM / self.normal_resistance_ohm
        return self.coupling

    @property
    def transmissions(self) -> np.ndarray:
        """Normal-state transmissions of every spin eigen-channel (of every channel),
        descending: ``Sum = 2 Sum_i tau_i = 2 pi R_Q/R_n``."""
        return np.sort(np.concatenate([contact.transmissions(j.amplitude_W) for j in self.channel_junctions()]))[::-1]

    @property
    def golden_rule_resistance_ohm(self) -> float:
        """R_n of the golden rule at the common amplitude, ``R_Q/(2 pi c Tr(j j^dag))`` (Ohm):
        the second-order approximation of :attr:`normal_resistance_ohm` (channels: conductances
        added)."""
        if self.channels:
            return 1.0 / sum(1.0 / j.golden_rule_resistance_ohm for j in self.channel_junctions())
        j = self._j()
        trace = float(np.trace(j @ j.conj().T).real)
        return RESISTANCE_QUANTUM_OHM / (2.0 * math.pi * self.coupling * trace)

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
    def superconducting_both(self) -> bool:
        """Both leads superconducting (a Josephson junction)."""
        return self.gap_left_meV > 0 and self.gap_right_meV > 0

    @property
    def josephson_frequency_GHz(self) -> float:
        """|2eV|/h in GHz (a frequency is positive)."""
        return abs(josephson_frequency_GHz(self.bias_mV))

    @property
    def angular_frequency_per_s(self) -> float:
        """omega_J = 2eV/hbar in rad/s (signed, as the phase 2eVt/hbar it multiplies)."""
        return 2.0 * self.bias_meV / TIME_UNIT_S

    @property
    def period_s(self) -> float:
        """The ac period h/|2eV| in s (inf at zero bias)."""
        return math.inf if self.bias_mV == 0 else 1e-9 / self.josephson_frequency_GHz

    def thermal_activation_meV(self, bias_mV=None) -> float:
        """E_a (meV) of :func:`thermal_activation_meV` at this bias (default: the junction's)."""
        v = self.bias_meV if bias_mV is None else float(bias_mV)
        return thermal_activation_meV(self.gap_left_meV, self.gap_right_meV, v)

    def thermal_activation_label(self, bias_mV=None) -> str:
        """The formula of :meth:`thermal_activation_meV`, for notes."""
        if self.superconducting_both:
            return "E_a = min(Delta_L, Delta_R)"
        return "E_a = Delta_S - |eV| for a normal lead"

    def thermal_population(self, bias_mV=None) -> float:
        """exp(-E_a/k_BT) of :func:`thermal_population` at this bias (default: the junction's)."""
        v = self.bias_meV if bias_mV is None else float(bias_mV)
        return thermal_population(self.gap_left_meV, self.gap_right_meV, v, self.kT_meV)

    # -- regime ---------------------------------------------------------------------------
    def _gap_edges(self) -> list[tuple[str, float]]:
        gl, gr = self.gap_left_meV, self.gap_right_meV
        return [
            (n, e)
            for n, e in [
                ("Delta_L", gl),
                ("Delta_R", gr),
                ("Delta_L + Delta_R", gl + gr),
                ("|Delta_L - Delta_R|", abs(gl - gr)),
            ]
            if e > 0
        ]

    def _near_edge(self, v):
        """|eV| within 2% of max(Delta_L, Delta_R) of a gap edge, for |eV| = v (meV, any shape)."""
        return [(n, e, np.abs(v - e) < 0.02 * max(self.gap_left_meV, self.gap_right_meV)) for n, e in self._gap_edges()]

    def regime_warnings(self) -> list[str]:
        """Where the parameters leave the regime of second-order perturbation theory."""
        out = []
        tau = float(self.channel_transmissions.max())
        if tau > STRONG_COUPLING:
            what = "largest channel transmission" if self.channels else "mean channel transmission pi R_Q/R_n"
            out.append(f"{what} = {tau:.3g} is not small: second order in tunnelling is not controlled")
        v = abs(self.bias_meV)
        for name, edge, near in self._near_edge(v):
            if near:
                out.append(
                    f"|eV| = {v:.4g} meV is within 2% of {name} = {edge:.4g} meV: resonant denominators, perturbation theory fails"
                )
        return out

    def regime_flags(self, biases_mV=None):
        """The checks of :meth:`regime_warnings` as bits of ``REGIME_FLAGS`` (0: none), at this
        junction's bias (an int) or, vectorised, at ``biases_mV`` (an int8 array; a scalar
        bias gives an int)."""
        v = np.abs(np.asarray(self.bias_mV if biases_mV is None else biases_mV, dtype=float))
        flags = np.zeros(v.shape, np.int8)
        if self.channel_transmissions.max() > STRONG_COUPLING:
            flags |= 1
        for _, _, near in self._near_edge(v):
            flags |= np.where(near, 2, 0).astype(np.int8)
        return int(flags) if flags.ndim == 0 else flags

    # -- observables (computed by the methods) ---------------------------------------------
    def observables(self, method: str, **options):
        """The observables of one registered method at this junction's bias
        (:class:`spintunnel.methods.MethodResult`), with its options (e.g. ``n_levels`` of
        the exact method).  Issues one :class:`RegimeWarning` per regime warning for a
        weak-tunnelling method (the others hold at any coupling)."""
        from . import methods

        m = methods.get(method, **options)
        if m.regime in ("weak tunnelling", "printed formula"):  # the others hold at any coupling
            for w in self.regime_warnings():
                warnings.warn(w, RegimeWarning, stacklevel=2)
        return m.compute(self)[0]

    # -- time traces ------------------------------------------------------------------------
    def time_trace(self, result, times_s):
        """M_L(t) in mu_B and I_spin(t) = dM_L/dt in mu_B/s at the times (s), shape (nt, 3),
        of a method's result at this junction's phase phi0 (:meth:`MethodResult.time_trace`)."""
        return result.time_trace(times_s, self.phi0_rad)

    def field_mT(self, moment_muB):
        """B = mu_0 M / V0 in mT for a moment in mu_B (elementwise), V0 = ``volume_nm3``
        (the paper's estimate after S30)."""
        return field_mT(np.asarray(moment_muB), self.volume_nm3)


def junction_from_config(cfg) -> Junction:
    """Build the :class:`Junction` of a :class:`spintunnel.config.RunConfig`."""
    j = cfg.junction
    common = dict(
        gap_left_meV=j.left.gap_at(j.temperature_K),
        gap_right_meV=j.right.gap_at(j.temperature_K),
        temperature_K=j.temperature_K,
        bias_mV=j.bias_mV,
        phi0_rad=j.phi0_rad,
        volume_nm3=j.volume_nm3,
        broadening_meV=cfg.methods.broadening_meV,
    )
    channels = cfg.link.channel_list(cfg.methods.time_reversal)
    if channels is not None:
        return Junction(channels=tuple(Channel(t, J, Jbar) for t, J, Jbar in channels), **common)
    J, Jbar = cfg.link.pair(cfg.methods.time_reversal)
    return Junction(normal_resistance_ohm=j.normal_resistance_ohm, amplitude=J, amplitude_partner=Jbar, **common)
