"""All-orders charge and spin currents of a biased point contact (Cuevas, Martin-Rodero and
Levy Yeyati, PRB 54, 7366 (1996), extended to a 2x2 spin amplitude J).

Observables (hbar = e = k_B = 1, (g/2) mu_B = 1; Eq. 4-5 of the paper)::

    I_c(t)    = -d<N_L>/dt = Sum_n I_c,n e^{i n w_J t}           (particle current L -> R)
    I_spin(t) = d<M_L>/dt  = Sum_n I_s,n e^{i n w_J t},   M_L = Sum_k <c_k^dag sigma c_k>,

with w_J = 2 eV and I_{-n} = I_n^*.  From the Heisenberg equation with H_T of (S9)-(S10)::

    dM_L/dt = -2 Re Tr[ sigma J e^{i(phi0/2 + eVt)} G^<_{RL,ee}(t,t) ],
    dN_L/dt = -2 Re Tr[       J e^{i(phi0/2 + eVt)} G^<_{RL,ee}(t,t) ],

(``G^<_{ab}(t,t') = i <Psi_b^dag(t') Psi_a(t)>``, electron block ``ee``).  Writing
``G^< = G^R Sigma^< G^A`` with one source lead site at a time (L or R at sideband 0,
energy E), ``Sigma^<_src = (f(E) - 1/2) [(g^R)^{-1} - (g^A)^{-1}]``::

    K_j = int dE/2pi Sum_src Sum_p Tr[ O T_+ G^R_{R(p+2j+1),src} Sigma^<_src G^A_{src,L(p)} ]
    I_s,n = -(K^sigma_{-n} + (K^sigma_n)^*),     I_c,n = K^1_{-n} + (K^1_n)^*.

Two details make the energy integral absolutely convergent and cut-off free:

* ``f -> f - 1/2``: the dropped ``1/2`` part sums over all sources to
  ``-(1/2)(G^R - G^A)_{RL}(t,t) = 0`` (equal-time anticommutator of different sites).  With
  ``f - 1/2`` odd in E, the wide-band tails cancel between +E and -E; the tails |E| > Omega
  are integrated exactly with E = Omega/u.
* Putting every source at sideband 0 shifts the integration variable of the R source by eV
  relative to the fixed-observation form; the integrand tends to a constant c_R at
  |E| -> infinity (normal-state transmission), which adds ``-eV c_R/2pi`` to K_0 (derived in
  docs/all_orders.md; it is the whole of the Ohmic current V/R_n).

Finite band (``band=D``, flat normal DOS on [-D, D], ``g_D = phi(z) g_wide``): the source
``(g^R)^{-1} - (g^A)^{-1}`` vanishes for |E| > sqrt(D^2 + Delta^2), so each source is
integrated over that compact interval (breakpoints also at the band edges of every
sideband), with neither the tail nor the shift term (the integrand's limits are zero).
With Dynes broadening as well (z = E + i Gamma) the source has Lorentzian-like tails
outside the band: the centre [-Omega, Omega] (Omega beyond the band edges) and the tails
|E| > Omega are integrated as in the wide band, still without the shift term, because
g_D ~ D/z makes the integrand vanish at |E| -> infinity.

Solution per energy: any 2x2 J is two spin channels of scalar Nambu sub-sites
(:mod:`.channels`: singular-value decomposition and an SU(2) rotation of each lead), whose
chains are solved by continued fractions in compiled code (:mod:`.kernel`), cost linear in
the number of sidebands; ``charge = K_A + K_B``, ``spin = n (K_A - K_B)``.

Energy integral (:mod:`.quadrature`): Gauss-Kronrod panels between the gap (and band) edges
of every sideband, with the far sidebands' edges also in the tails, and at the resonances of
the chain (:func:`_resonance_points`); one error budget, bisecting the worst panels.  The
reported ``quadrature_error`` bounds the error of every harmonic of every current (twice the
summed |K15 - G7| of the K's).  See docs/all_orders.md Sec. 4.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..contact import amplitude_for_transmission as amplitude_for_transmission_of
from ..contact import transmissions
from ..inputs import non_negative, real
from ..leads import fermi
from ..spin import as_spin_matrix
from .channels import decompose, kernel
from .lead_greens import band_edge, check_band
from .quadrature import integrate_pieces

__all__ = [
    "SidebandCapWarning",
    "QuadratureWarning",
    "FloquetResult",
    "floquet_currents",
    "floquet_iv",
    "amplitude_from_transmission",
    "channel_transmissions",
    "normal_conductance",
]


class SidebandCapWarning(RuntimeWarning):
    """The sideband truncation reached its cap before meeting the tolerance."""


class QuadratureWarning(RuntimeWarning):
    """The adaptive energy integration did not reach the tolerance."""


# ----------------------------------------------------------------------------- normal state
def amplitude_from_transmission(tau: float) -> float:
    """Hopping t/W of a spin-independent contact with normal transmission ``tau``.

    Inverts ``tau = 4 x / (1 + x)^2``, x = (t/W)^2, on the branch x <= 1 (CMRLY Eq. 2.9).
    """
    tau = float(tau)
    if not 0.0 <= tau <= 1.0:
        raise ValueError(f"transmission must lie in [0, 1], got {tau}")
    if tau == 0.0:
        return 0.0
    x = (2.0 - tau - 2.0 * math.sqrt(1.0 - tau)) / tau
    return math.sqrt(x)


def channel_transmissions(J) -> np.ndarray:
    """Normal-state transmission eigenvalues of the spin amplitude J (units of W),
    :func:`spintunnel.contact.transmissions`.

    With singular values s_i of J, ``tau_i = 4 s_i^2 / (1 + s_i^2)^2`` (the singular-value
    decomposition is a spin rotation of each lead separately, which leaves a normal lead's
    Green's function invariant).
    """
    return transmissions(J)


def normal_conductance(J) -> float:
    """Normal-state conductance ``G_N = Sum_i tau_i / 2pi`` in units of e^2/hbar.

    For a spin-degenerate contact G_N = tau/pi, i.e. ``R_n = pi R_Q / tau`` with
    R_Q = hbar/e^2 (the package's resistance quantum) -- equivalently R_n = h/(2 e^2 tau).
    """
    return float(channel_transmissions(J).sum() / (2 * np.pi))


# ----------------------------------------------------------------------------- result
@dataclass
class FloquetResult:
    """Harmonics of the charge and spin currents of the left lead, to all orders in J.

    Attributes
    ----------
    bias : float
        eV.  The Josephson frequency is ``omega_J = 2 eV``.
    charge : ndarray (nh+1,) complex
        I_c,n, n = 0..nh: ``I_c(t) = I_c,0 + 2 Re Sum_{n>0} I_c,n e^{i n omega_J t}``;
        particle current L -> R in units of e/hbar x energy (e = hbar = 1).
    spin : ndarray (nh+1, 3) complex
        I_s,n of ``dM_L/dt`` (Pauli vector x, y, z; (g/2) mu_B = 1), same convention.
    nmax : int
        Largest number of sidebands kept on one side of a source (the chain of a source
        at E < 0 runs over n = -n_small..nmax, mirrored for E > 0).
    n_sites : int
        Lead sites in the sideband chain (n_small + nmax + 1).
    truncation_error : float
        Largest weight |G|^2 on the two outermost sites at either end of the sideband chain,
        relative to the largest site weight (dimensionless; the chain grows until it is
        <= tol/100).  Cutting the chain moves the currents by up to about
        4 truncation_error G_N max(eV, Delta) (measured).
    quadrature_error : float
        Bound on the error of the energy integral in every harmonic of the charge current
        and of each spin component (same unit as the currents, e/hbar x energy): twice the
        summed Gauss-Kronrod estimates |K15 - G7|, which overestimate the true error (checked
        against runs 1e5 times tighter).
    n_energy : int
        Energies at which the sideband chains were solved (each for every channel).
    converged : bool
        ``quadrature_error <= tol G_N max(eV, Delta)`` and ``truncation_error <= tol/100``.
    """

    bias: float
    charge: np.ndarray
    spin: np.ndarray
    nmax: int
    n_sites: int
    truncation_error: float
    quadrature_error: float
    n_energy: int
    converged: bool
    params: dict = field(default_factory=dict)

    @property
    def omega_J(self) -> float:
        return 2.0 * self.bias

    @property
    def harmonics(self) -> np.ndarray:
        return np.arange(self.charge.shape[0])

    def charge_trace(self, t) -> np.ndarray:
        """I_c(t) on the times ``t`` (units 1/energy)."""
        t = np.asarray(t, dtype=float)
        ph = np.exp(1j * np.outer(t, self.harmonics[1:]) * self.omega_J)
        return self.charge[0].real + 2 * np.real(ph @ self.charge[1:])

    def spin_trace(self, t) -> np.ndarray:
        """I_spin(t) (shape t.shape + (3,))."""
        t = np.asarray(t, dtype=float)
        ph = np.exp(1j * np.outer(t, self.harmonics[1:]) * self.omega_J)
        return self.spin[0].real + 2 * np.real(ph @ self.spin[1:])

    def magnetization_harmonics(self, tau_s: float | None = None) -> np.ndarray:
        """Harmonics M_n of the left-lead magnetization driven by the spin current.

        Model: ``dM/dt = I_spin(t) - M/tau_s`` (spin relaxation time tau_s, in 1/energy),
        whose periodic steady state is ``M_n = I_n / (i n omega_J + 1/tau_s)``; in particular
        ``M_0 = tau_s I_0``.  With ``tau_s=None`` (no relaxation) ``M_n = I_n/(i n omega_J)``
        for n >= 1 and M_0 is undetermined (returned as NaN) unless I_0 = 0 -- a dc spin
        current then grows M linearly in time.
        """
        n = self.harmonics[:, None]
        if tau_s is None:
            with np.errstate(divide="ignore", invalid="ignore"):
                M = self.spin / (1j * n * self.omega_J)
            M[0] = np.nan
            return M
        if tau_s <= 0:
            raise ValueError("tau_s must be positive")
        return self.spin / (1j * n * self.omega_J + 1.0 / tau_s)

    def magnetization_trace(self, t, tau_s: float | None = None) -> np.ndarray:
        """Oscillating (and, with tau_s, steady) magnetization M_L(t), shape t.shape+(3,)."""
        M = self.magnetization_harmonics(tau_s)
        t = np.asarray(t, dtype=float)
        ph = np.exp(1j * np.outer(t, self.harmonics[1:]) * self.omega_J)
        base = 0.0 if tau_s is None else M[0].real
        return base + 2 * np.real(ph @ M[1:])


# ----------------------------------------------------------------------------- integrand
def _weights(E, temperature):
    """f(E) - 1/2 (= -tanh(E/2T)/2; -sign(E)/2 at T = 0)."""
    return fermi(E, temperature) - 0.5


@dataclass(frozen=True)
class _Chain:
    """What the per-energy kernel needs: bias, gaps, the channels' bonds (t_e, t_h) and
    their phase e^{i phi0/2} e^{i gamma}, Dynes width, half-band (0: wide), harmonics,
    temperature and the Nambu block used for the bond sums."""

    bias: float
    gaps: tuple
    bonds: list
    ph: complex
    broadening: float
    band: float
    nh: int
    temperature: float
    hole: bool


def _bond_sums(E, source, chain, P, fweight=True):
    """``[K_A + K_B, K_A - K_B]`` per energy (without the 1/2pi), shape (nE, 2, 2 nh + 1),
    and the largest truncation weight (:func:`.kernel.bond_sums`; channels A, B of
    :mod:`.channels`).  The hole-block bond sums of channel A are the electron-block ones of
    channel B (and vice versa), so ``hole`` swaps the two."""
    k = kernel()
    fw = _weights(E, P.temperature) if fweight else np.ones(E.size)
    tr = np.empty(E.size)
    outs, trunc = [], 0.0
    for te, th in P.bonds:
        out = np.empty((E.size, 2 * P.nh + 1), complex)
        k.bond_sums(
            E,
            fw,
            source == "L",
            chain[0],
            chain[1],
            P.bias,
            P.gaps[0],
            P.gaps[1],
            te,
            th,
            P.ph,
            P.broadening,
            P.band,
            P.nh,
            P.hole,
            out,
            tr,
        )
        outs.append(out)
        trunc = max(trunc, float(tr.max(initial=0.0)))
    a, b = (outs[0], outs[0]) if len(outs) == 1 else (outs[::-1] if P.hole else outs)
    return np.stack([a + b, a - b], axis=1), trunc


def _breakpoints(source, nmax, bias, gaps, omega, band=None):
    """Panel edges: 0, +-omega, the gap edges +-Delta_lead(n) - n eV of every sideband and,
    for a finite half-bandwidth, the band edges +-sqrt(D^2 + Delta^2) - n eV (log
    singularities of phi).  Returns the edges on [-omega, omega] and, for the tails
    |E| > omega integrated in u = omega/|E|, the edges u = omega/|e| on [0, 1] (the far
    sidebands' gap edges lie there too)."""
    pts = [0.0]
    n = np.arange(-nmax, nmax + 1)
    is_left = (n % 2 == 0) if source == "L" else (n % 2 != 0)
    for left in (True, False):
        gap = gaps[0] if left else gaps[1]
        nn = n[is_left == left]
        edges = [] if gap == 0 else [gap]
        if band is not None:
            edges.append(math.hypot(band, gap))
        for edge in edges:
            for sgn in (1, -1):
                pts.extend((sgn * edge - nn * bias).tolist())
    pts = np.unique(np.round(np.asarray(pts), 13))
    far = np.abs(pts) >= omega
    centre = np.concatenate([[-omega], pts[~far], [omega]])
    return centre, np.unique(np.concatenate([[0.0, 1.0], omega / np.abs(pts[far])]))


def _resonance_points(edges, source, chain, P):
    """Extra panel edges at the resonances of the chain (narrow MAR resonances).

    On each panel the sites' open/closed status is fixed; where an eigenvalue of the closed
    (Hermitian) part crosses zero (:func:`.kernel.crossings`, Sturm counts) the full chain
    has a resonance z_r = x - i gamma (:func:`.kernel.pole`).  Its Lorentzian is resolved by
    edges at x and x +- 16^k gamma (k >= 1) inside the panel: the cosine-mapped panel next
    to x has nodes down to 4.5e-5 of its length (16 gamma) from the peak, and each further
    panel spans a factor 16 in distance from it, whatever gamma is.  Without a converged
    pole the crossing itself is used."""
    k = kernel()
    open_edge = np.array([band_edge(g, P.band or None) for g in P.gaps])
    pts = []
    for te, th in P.bonds:
        for ec in k.crossings(
            edges,
            source == "L",
            chain[0],
            chain[1],
            P.bias,
            P.gaps[0],
            P.gaps[1],
            te,
            th,
            P.ph,
            P.band,
            open_edge,
            1e-14,
        ):
            x, gam, ok = k.pole(
                ec, source == "L", chain[0], chain[1], P.bias, P.gaps[0], P.gaps[1], te, th, P.ph, P.broadening, P.band
            )
            i = np.searchsorted(edges, ec)
            a, b = edges[max(i - 1, 0)], edges[min(i, edges.size - 1)]
            if not (ok and a < x < b):
                pts.append(ec)
                continue
            pts.append(x)
            d = 16.0 * gam
            while d < b - a:
                pts.extend(p for p in (x - d, x + d) if a < p < b)
                d *= 16.0
    if not pts:
        return edges
    allp = np.sort(np.concatenate([edges, pts]))
    keep = np.diff(allp, prepend=-np.inf) > 4 * np.spacing(np.abs(allp) + 1.0)
    return allp[keep]


def floquet_currents(
    J=None,
    *,
    bias,
    gap_left=1.0,
    gap_right=1.0,
    temperature=0.0,
    phi0=0.0,
    transmission=None,
    resistance=None,
    broadening=0.0,
    band=None,
    n_harmonics=4,
    tol=1e-4,
    nmax=None,
    nmax_cap=300,
    warn=True,
    lead="left",
    _nambu_block="e",
) -> FloquetResult:
    """Charge and spin current harmonics of a biased point contact, to all orders in J.

    Hamiltonian (S1, S2, S7, S9-S10) with momentum-independent amplitude (point contact)::

        H_T = Sum_{s,s'} c^dag_{L s} J[s,s'] c_{R s'} e^{i(phi0/2 + eV t)} + h.c.

    and wide-band BCS leads (Dynes broadened); see :mod:`spintunnel.floquet.solver`.

    Parameters
    ----------
    J : (2, 2) complex, optional
        Amplitude in units of W = 1/(pi rho) (rho: normal DOS per spin of a lead site);
        J[s, s'] moves right spin s' to left spin s; index 0 = up.  Default: identity.
    bias : float
        eV = mu_L - mu_R (either sign, not 0), energy unit of the gaps.  A negative bias
        is solved as the mirror junction (L <-> R, J -> J^dag, phi0 -> -phi0, eV -> -eV,
        which is the same Hamiltonian); the harmonics keep the convention
        ``I(t) = Sum_n I_n e^{i n 2eV t}`` with the signed eV, so harmonic n still carries
        e^{i n phi0}.
    gap_left, gap_right : float
        BCS gaps (>= 0; 0 = normal lead).
    temperature : float
        k_B T >= 0.
    phi0 : float
        Initial phase difference; harmonic n carries e^{i n phi0}.
    transmission : float, optional
        Rescale J so that the mean normal-state channel transmission Sum tau_i / 2 equals
        this value (for J = t * 1: tau = 4 t^2/(1+t^2)^2).
    resistance : float, optional
        Normal-state resistance R_n in units of R_Q = hbar/e^2 (R_n = 2 pi / Sum tau_i
        = pi / mean tau; pi/tau spin-degenerate, i.e. h/(2 e^2 tau)); alternative to
        ``transmission``.
    broadening : float
        Dynes broadening Gamma >= 0 of both leads.
    n_harmonics : int
        Highest harmonic n of omega_J = 2 eV returned.
    tol : float
        Accuracy goal, relative to the current scale ``G_N max(eV, Delta_max)`` (G_N of
        :func:`normal_conductance`): the energy integral is refined until the error bound
        ``quadrature_error`` of every harmonic of the charge and of each spin component is
        <= tol G_N max(eV, Delta_max) (an absolute error: currents much smaller than the
        scale, e.g. deep sub-gap at low transparency, get a correspondingly larger relative
        error), and the chain until ``truncation_error`` <= tol/100.
    nmax : int or (int, int), optional
        Fix the sideband chain instead of choosing it adaptively: an int keeps nmax on
        each side of a source; a pair (n_small, n_big) keeps n_small towards the nearer
        and n_big towards the farther gap edge.
    nmax_cap : int
        Cap of the adaptive sideband number; reaching it issues
        :class:`SidebandCapWarning` (deep subgap, eV << Delta).
    band : float, optional
        Half-bandwidth D of both leads (unit of the gaps; finite, > max gap): flat normal
        DOS rho per spin on [-D, D], ``g_D = phi(z) g_wide`` with
        ``phi = (i/pi)[ln(q + D) - ln(q - D)]``, ``q = sqrt(z^2 - Delta^2)`` (retarded
        branch, :func:`.lead_greens.band_factor`).  ``None`` (default): wide band.  J stays in
        units of W = 1/(pi rho); ``transmission``/``resistance`` then refer to the
        Fermi-level transmission (phi(0) = 1 for a normal lead).  The source energies have
        compact support |E| <= sqrt(D^2 + Delta^2), so there is neither an |E| -> infinity
        tail nor the shift-anomaly term of the wide band.  With ``broadening > 0`` as well the
        sources have tails beyond the band, integrated to infinity (still no shift term).
    lead : {"left", "right"}
        Whose spin current is returned: ``dM_L/dt = -i e^{i theta} c_L^dag sigma J c_R
        + h.c.`` (Eq. 5, default) or ``dM_R/dt = i e^{i theta} c_L^dag J sigma c_R + h.c.``
        (theta = phi0/2 + eVt).  They differ when J does not conserve spin (the
        difference is the spin torque of the contact).  The charge current is the same.

    Returns
    -------
    FloquetResult
    """
    if J is None:
        J = np.eye(2)
    J = as_spin_matrix(J, "J", single=True)
    real(bias, "bias")
    for name, val in (
        ("gap_left", gap_left),
        ("gap_right", gap_right),
        ("temperature", temperature),
        ("broadening", broadening),
    ):
        non_negative(val, name)
    real(phi0, "phi0")
    if lead not in ("left", "right"):
        raise ValueError(f"lead must be 'left' or 'right', got {lead!r}")
    if bias == 0:
        raise ValueError("bias must be non-zero (eV = mu_L - mu_R; the solver needs a Josephson frequency 2eV)")
    if bias < 0:
        # mirror junction: H_T = e^{i theta} c_L^dag J c_R + h.c. = e^{i theta'} c_R^dag J^dag
        # c_L + h.c. with theta' = -theta = -phi0/2 + (-eV) t.  The charge current L -> R is
        # minus the mirror's; dM_L/dt is the mirror's right-lead spin current.  With
        # omega_J' = -omega_J:  I_n = -conj(I'_n),  S_n = conj(S'_n).
        m = floquet_currents(
            J.conj().T,
            bias=-bias,
            gap_left=gap_right,
            gap_right=gap_left,
            temperature=temperature,
            phi0=-phi0,
            transmission=transmission,
            resistance=resistance,
            broadening=broadening,
            band=band,
            n_harmonics=n_harmonics,
            tol=tol,
            nmax=nmax,
            nmax_cap=nmax_cap,
            warn=warn,
            lead="right" if lead == "left" else "left",
            _nambu_block=_nambu_block,
        )
        params = dict(
            m.params,
            J=m.params["J"].conj().T,
            gap_left=gap_left,
            gap_right=gap_right,
            phi0=phi0,
            lead=lead,
            mirrored=True,
        )
        return FloquetResult(
            bias=float(bias),
            charge=-np.conj(m.charge),
            spin=np.conj(m.spin),
            nmax=m.nmax,
            n_sites=m.n_sites,
            truncation_error=m.truncation_error,
            quadrature_error=m.quadrature_error,
            n_energy=m.n_energy,
            converged=m.converged,
            params=params,
        )
    if not (isinstance(n_harmonics, (int, np.integer)) and n_harmonics >= 0):
        raise ValueError(f"n_harmonics must be a non-negative integer, got {n_harmonics}")
    if not (0 < tol < 1):
        raise ValueError(f"tol must lie in (0, 1), got {tol}")
    if transmission is not None and resistance is not None:
        raise ValueError("give either transmission or resistance, not both")
    if resistance is not None:
        # R_n = 2 pi / sum tau_i = pi / mean tau  (units of R_Q = hbar/e^2)
        if not (np.isfinite(resistance) and resistance >= np.pi):
            raise ValueError(f"resistance must be >= pi R_Q (mean channel transmission <= 1), got {resistance}")
        transmission = np.pi / resistance
    if transmission is not None:
        if not 0 <= transmission <= 1:
            raise ValueError(f"transmission must lie in [0, 1], got {transmission}")
        if not np.any(J):
            raise ValueError(
                "J = 0 cannot be rescaled to a transmission (it has no "
                "tunnelling to scale; pass J = 0 without transmission/"
                "resistance for zero currents)"
            )
        # the scale c with mean tau(c s_i) = transmission (weak-coupling branch, c s_i <= 1)
        J = J * 0.0 if transmission == 0 else amplitude_for_transmission_of(J, transmission)

    V = float(bias)
    gaps = (float(gap_left), float(gap_right))
    dmax = max(gaps)
    T = float(temperature)
    nh = int(n_harmonics)
    band = check_band(band, gaps)
    GN = normal_conductance(J)
    scale = GN * max(V, dmax)
    tol_abs = tol * scale
    # chain end weight goal: the currents move by up to ~4 truncation_error x scale when the
    # chain is cut (measured, docs/all_orders.md Sec. 4), so 1 % of tol keeps that small
    # against the quadrature bound
    tol_trunc = 0.01 * tol
    params = dict(
        J=J,
        gap_left=gaps[0],
        gap_right=gaps[1],
        temperature=T,
        phi0=phi0,
        broadening=broadening,
        tol=tol,
        band=band,
        normal_conductance=GN,
        lead=lead,
        mirrored=False,
    )
    ch = decompose(J)
    if ch.s[0] == 0.0:  # J = 0: nothing tunnels
        return FloquetResult(
            bias=V,
            charge=np.zeros(nh + 1, complex),
            spin=np.zeros((nh + 1, 3), complex),
            nmax=0,
            n_sites=0,
            truncation_error=0.0,
            quadrature_error=0.0,
            n_energy=0,
            converged=True,
            params=params,
        )
    P = _Chain(
        bias=V,
        gaps=gaps,
        bonds=ch.bonds,
        ph=np.exp(0.5j * phi0) * ch.phase,
        broadening=float(broadening),
        band=0.0 if band is None else band,
        nh=nh,
        temperature=T,
        hole=_nambu_block == "h",
    )

    # energy window [-omega, omega] with breakpoints; beyond it the tails E = +-omega/u
    omega = dmax + 2 * V + math.sqrt(V * dmax) + 10 * (T + broadening) + 1e-3 * max(V, dmax)
    if dmax == 0:
        omega = 2 * V + 10 * (T + broadening) + 1e-3 * V
    # finite band: the source Gamma vanishes for |E| > E_b = sqrt(D^2 + Delta_src^2)
    # (broadening = 0), so each source is integrated over [-E_b, E_b] only: no tail, and the
    # integrand's limits h(+-inf) are 0, so no shift anomaly either (docs/all_orders.md)
    e_band = {"L": band_edge(gaps[0], band), "R": band_edge(gaps[1], band)}
    compact = band is not None and broadening == 0  # sources vanish outside the band
    if band is not None and not compact:  # the centre reaches beyond the band edges
        omega = max(omega, max(e_band.values()) + 2 * V + 10 * broadening)
    omega_sizes = min(omega, max(e_band.values()))
    # sideband chain of a source at E < 0: n_small below, n_big above (mirrored for E > 0)
    margin = 2 * V + 1.5 * math.sqrt(V * dmax)

    def sizes(m):
        if dmax == 0:
            return 3, 3
        return (int(math.ceil((omega_sizes + dmax + m) / V)) + 1, int(math.ceil((dmax + m) / V)) + 2)

    if nmax is None:
        n_big, n_small = sizes(margin)
        adaptive = True
    else:
        if isinstance(nmax, (int, np.integer)):
            n_big = n_small = int(nmax)
        else:
            n_small, n_big = (int(x) for x in nmax)
        adaptive = False
        if min(n_big, n_small) < 1:
            raise ValueError(f"nmax must be >= 1, got {nmax}")

    def integrand(E, source, n_big, n_small, box):
        out = np.empty((E.size, 2, 2 * nh + 1), dtype=complex)
        for sel, chain in ((E < 0, (n_small, n_big)), (E >= 0, (n_big, n_small))):
            if sel.any():
                out[sel], tr = _bond_sums(E[sel], source, chain, P)
                box[0] = max(box[0], tr)
        box[1] += E.size
        return out

    capped = False
    if adaptive and n_big >= nmax_cap:
        n_big, n_small, capped = nmax_cap, min(n_small, nmax_cap), True
    while True:
        box = [0.0, 0]  # largest truncation weight, energies solved
        pieces = []
        for source in ("L", "R"):

            def f_center(E, source=source, nb=n_big, ns=n_small):
                return integrand(E, source, nb, ns, box)

            def f_tail(u, source=source, nb=n_big, ns=n_small):
                E = omega / u
                v = integrand(np.concatenate([E, -E]), source, nb, ns, box)
                m = u.size
                return (v[:m] + v[m:]) * (omega / u**2)[:, None, None]

            reach = e_band[source] if compact else omega
            edges, u_edges = _breakpoints(source, max(n_big, n_small), V, gaps, reach, band)
            edges = np.concatenate(
                [
                    _resonance_points(edges[edges <= 0], source, (n_small, n_big), P),
                    _resonance_points(edges[edges >= 0], source, (n_big, n_small), P)[1:],
                ]
            )
            pieces.append((f_center, edges, True))
            if not compact:
                # tails |E| > omega in u = omega/|E|, +E and -E together; the tail is analytic
                # at u = 0, where f(E) + f(-E) cancels to O(u^2): a linear map there keeps
                # the nodes away from that round-off
                pieces.append((f_tail, u_edges[:2], False))
                pieces.append((f_tail, u_edges[1:], True))
        # I_n = K_{-n} + conj(K_n): twice the error of the K's (2 pi K = the integrals)
        values, err, _ = integrate_pieces(pieces, np.pi * tol_abs)
        total = sum(values)
        n_eval = int(box[1])
        qerr = err / np.pi
        trunc = box[0]
        if not adaptive or trunc <= tol_trunc or capped:
            break
        margin = 1.5 * margin + 2 * V
        n_big, n_small = sizes(margin)
        if n_big >= nmax_cap:
            n_big = nmax_cap
            n_small = min(n_small, nmax_cap)
            capped = True
    n_cur = n_big

    Kj = total / (2 * np.pi)
    if band is None:
        # anomaly of the shifted R-source variable (wide band): -eV c_R / 2pi added to K_0,
        # c_R the normal-state (f = 1) j = 0 bond sum of the R source; the R source sits at
        # R(1) (electron block) or R(-1) (hole block) of the observation
        P0 = _Chain(
            bias=V, gaps=(0.0, 0.0), bonds=P.bonds, ph=P.ph, broadening=0.0, band=0.0, nh=0, temperature=T, hole=P.hole
        )
        cR, _ = _bond_sums(np.zeros(1), "R", (1, 1), P0, fweight=False)
        Kj[:, nh] += -(-V if P.hole else V) * cR[0, :, 0] / (2 * np.pi)

    idx = np.arange(nh + 1)
    Kp = Kj[:, nh + idx]  # K_n
    Km = Kj[:, nh - idx]  # K_{-n}
    charge = Km[0] + np.conj(Kp[0])
    axis = ch.axis_left if lead == "left" else -ch.axis_right
    spin = -np.outer(Km[1] + np.conj(Kp[1]), axis)
    converged = (qerr <= tol_abs) and (trunc <= tol_trunc)
    if warn and capped and trunc > tol_trunc:
        warnings.warn(
            f"sideband cap nmax={n_cur} reached with truncation weight {trunc:.2e} > tol/100 "
            f"(eV/Delta = {V / max(dmax, 1e-300):.3g}); results are not converged",
            SidebandCapWarning,
            stacklevel=2,
        )
    if warn and qerr > tol_abs:
        warnings.warn(
            f"energy integral not converged (error bound {qerr:.2e} > {tol_abs:.2e}): a "
            "resonance narrower than the energy resolution, or tol near round-off; a small "
            "Dynes broadening (e.g. broadening=1e-4 Delta) regularises resonances",
            QuadratureWarning,
            stacklevel=2,
        )
    return FloquetResult(
        bias=V,
        charge=charge,
        spin=spin,
        nmax=n_cur,
        n_sites=n_big + n_small + 1,
        truncation_error=trunc,
        quadrature_error=qerr,
        n_energy=n_eval,
        converged=converged,
        params=params,
    )


def floquet_iv(biases, J=None, **kwargs) -> dict:
    """Sweep :func:`floquet_currents` over ``biases`` (each non-zero, either sign).

    Returns
    -------
    dict of arrays: ``bias`` (nV,), ``charge`` (nV, nh+1), ``spin`` (nV, nh+1, 3),
    ``nmax`` (nV,), ``converged`` (nV,), and ``results`` (the FloquetResult list).
    """
    biases = np.atleast_1d(np.asarray(biases, dtype=float))
    res = [floquet_currents(J, bias=float(v), **kwargs) for v in biases]
    return dict(
        bias=biases,
        charge=np.array([r.charge for r in res]),
        spin=np.array([r.spin for r in res]),
        nmax=np.array([r.nmax for r in res]),
        converged=np.array([r.converged for r in res]),
        results=res,
    )
