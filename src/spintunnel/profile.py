"""Where the magnetization sits, in laboratory units: the spin density of the observed lead
around the point contact, and the stray field it makes at a detector (docs/profile.md).

Geometry (docs/profile.md Sec. 3): the observed lead fills the half space z < 0 with a hard
wall (its surface) at z = 0; the contact is the point r = 0 on the surface; a detector
(NV centre, SQUID-on-tip) sits in the vacuum z >= 0.  The spin density is then
``m(r) = 6 cos^2(theta) m_full(r)`` (theta from the inward normal -z), with the Friedel
oscillations shifted by a quarter period (Eq. P16).  The lead is a free-electron metal
(:class:`Material`, aluminium by default); the contact is the model's point contact with J
in units of W = 1/(pi rho) (``floquet_currents(...).params["J"]``).

Units at this boundary: energies in meV (gaps, eV), temperature in K, lengths in nm, the
spin density in mu_B/nm^3 (package convention: moment = (g/2) mu_B x spin density, g = 2),
fields in mT.  Harmonic k is the complex amplitude of e^{i k omega_J t}, omega_J = 2eV/hbar,
and carries e^{i k phi0} (as ``floquet_currents``): ``m(r, t) = m_0 + 2 Re Sum_k m_k e^{i k
omega_J t}``.

The stray field is that of the smooth envelope (the Friedel oscillations average out over
the detector distance >> 1/k_F; their net moment sits within ~1/k_F of the contact and is
not fixed by the model, docs/profile.md Sec. 5); London screening by the superconductor is
left out (Sec. 6: an estimate of its effect).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import constants as C

from .floquet.magnetization import INJECTION_LIMIT, static_magnetization
from .floquet.profile import SpinDensityProfile, radial_moments, spin_density_profile, sum_profiles
from .junction import THERMAL_NEGLECT, thermal_population
from .units import BOLTZMANN_MEV_PER_K

__all__ = [
    "Material",
    "ALUMINIUM",
    "MU0_MUB_OVER_4PI_MT_NM3",
    "SpinDensity",
    "lead_spin_density",
    "junction_spin_density",
    "plot_profile",
    "plot_field",
]

#: mu_0 mu_B / 4 pi in mT nm^3 (CODATA via scipy): the dipolar field scale.
MU0_MUB_OVER_4PI_MT_NM3 = C.mu_0 * C.physical_constants["Bohr magneton"][0] / (4 * math.pi) * 1e3 * 1e27
#: hbar in meV s.
_HBAR_MEV_S = C.hbar / (1e-3 * C.e)


@dataclass(frozen=True)
class Material:
    """A free-electron metal: Fermi wavevector and velocity (the gap is the junction's).

    Parameters
    ----------
    name : str
    fermi_wavevector_per_m : float
        k_F in 1/m.
    fermi_velocity_m_per_s : float
        v_F in m/s.
    citation : str
        Source of the constants.
    """

    name: str
    fermi_wavevector_per_m: float
    fermi_velocity_m_per_s: float
    citation: str

    def __post_init__(self):
        for attr in ("fermi_wavevector_per_m", "fermi_velocity_m_per_s"):
            v = float(getattr(self, attr))
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"{attr} must be positive and finite, got {v!r}")

    @property
    def length_unit_nm(self) -> float:
        """l = hbar v_F / (1 meV) in nm: the unit of the reduced radii (1336 nm for Al)."""
        return _HBAR_MEV_S * self.fermi_velocity_m_per_s * 1e9

    @property
    def fermi_length_nm(self) -> float:
        """1/k_F in nm."""
        return 1e9 / self.fermi_wavevector_per_m

    def coherence_length_nm(self, gap_meV: float) -> float:
        """xi_0 = hbar v_F / Delta in nm (the decay length of the nonlocal Green's function
        at the Fermi level is xi_0; the spin density decays as exp(-2 r/xi(w)))."""
        return self.length_unit_nm / float(gap_meV)


#: Aluminium, free-electron values (valence 3).
ALUMINIUM = Material(
    "Al",
    1.75e10,
    2.03e6,
    "N. W. Ashcroft and N. D. Mermin, Solid State Physics (1976), Table 2.1: k_F = 1.75e8 /cm, v_F = 2.03e8 cm/s",
)


def _static_temperature(temperature_K, gaps_meV, bias_meV):
    """A note where T counts as 0: the thermal population exp(-E_a/k_BT) that would carry a
    dc spin current (:func:`~spintunnel.junction.thermal_population`) is below
    :data:`~spintunnel.junction.THERMAL_NEGLECT` and |eV| is below the pair-breaking
    threshold; None at T = 0; else ValueError (the profile is a T = 0 result)."""
    kT = float(temperature_K) * BOLTZMANN_MEV_PER_K
    if not (math.isfinite(kT) and kT >= 0):
        raise ValueError(f"temperature_K must be finite and >= 0, got {temperature_K!r}")
    if kT == 0:
        return None
    population = thermal_population(*gaps_meV, bias_meV, kT)
    if population < THERMAL_NEGLECT and abs(bias_meV) < sum(gaps_meV):
        return f"T = {temperature_K} K treated as 0: exp(-E_a/k_BT) = {population:.1e}"
    raise ValueError(
        f"temperature_K = {temperature_K}: thermal quasiparticles "
        f"(exp(-E_a/k_BT) = {population:.1e} >= {THERMAL_NEGLECT:g}; docs/junction.md) carry a dc "
        "spin current; the profile is a T = 0 result"
    )


@dataclass
class SpinDensity:
    """The spin density of one lead around the contact, in laboratory units.

    Attributes
    ----------
    reduced : SpinDensityProfile
        The reduced profile (energies in meV, radii in l = hbar v_F / 1 meV).
    material : Material
    notes : list of str
    """

    reduced: SpinDensityProfile
    material: Material
    notes: list

    @property
    def harmonics(self) -> np.ndarray:
        return self.reduced.harmonics

    @property
    def _K(self) -> float:
        return self.material.fermi_wavevector_per_m * self.material.length_unit_nm * 1e-9

    def _attrs(self, **extra):
        r = self.reduced
        return dict(
            material=self.material.name,
            material_citation=self.material.citation,
            bias_meV=r.params["bias"],
            gap_left_meV=r.params["gap_left"],
            gap_right_meV=r.params["gap_right"],
            phi0_rad=r.params["phi0"],
            lead=r.params["lead"],
            injection=r.injection.tolist(),
            finite=int(r.finite),
            quadrature_error=r.quadrature_error,
            truncation_error=r.truncation_error,
            harmonic_convention="m(t) = m_0 + 2 Re sum_k m_k exp(i k 2eV t/hbar), m_k carries exp(i k phi0)",
            notes="; ".join(self.notes),
            **extra,
        )

    def profile(self, radii_nm, geometry: str = "half_space"):
        """Spin density on the axis through the contact (into the lead), mu_B/nm^3 (docs/profile.md
        Eq. P13; ``half_space``: Eq. P16).

        Parameters
        ----------
        radii_nm : array_like (n,)
            Distances from the contact, nm (> 0).
        geometry : {"half_space", "full_space"}

        Returns
        -------
        xarray.DataArray (radius, harmonic, component), complex: the full density with its
        Friedel oscillations; coordinate ``envelope`` (same dims) is its smooth part.
        """
        import xarray as xr

        r = np.atleast_1d(np.asarray(radii_nm, dtype=float))
        if r.ndim != 1 or np.any(r <= 0) or not np.all(np.isfinite(r)):
            raise ValueError("radii_nm must be a 1D array of finite distances > 0 nm")
        ell = self.material.length_unit_nm
        rho = r / ell
        dens = self.reduced.density(rho, self._K, geometry) / ell**3
        env = self.reduced.envelope(rho, geometry) / ell**3
        dims = ("radius", "harmonic", "component")
        return xr.DataArray(
            dens,
            dims=dims,
            coords=dict(radius=r, harmonic=self.harmonics, component=["x", "y", "z"], envelope=(dims, env)),
            name="spin_density",
            attrs=self._attrs(
                units="mu_B/nm^3",
                radius_units="nm",
                geometry=geometry,
                axis="on the axis through the contact, into the lead",
            ),
        )

    def moment_within(self, radii_nm):
        """Moment of the envelope inside the half sphere of radius R around the contact, mu_B:
        ``(2/pi) int_0^{R/l} E d rho`` (docs/profile.md Eq. P15; ``radii_nm`` in nm; numerical
        radial quadrature, :func:`radial_moments`;
        the angular weight integrates to one).  Large R gives the total moment M_k.

        Returns
        -------
        xarray.DataArray (radius, harmonic, component), complex, mu_B.
        """
        import xarray as xr

        r = np.atleast_1d(np.asarray(radii_nm, dtype=float))
        if r.ndim != 1 or np.any(r <= 0) or not np.all(np.isfinite(r)):
            raise ValueError("radii_nm must be a 1D array of finite radii > 0 nm")
        ell = self.material.length_unit_nm
        M = np.stack([radial_moments(self.reduced, R / ell)[0] for R in r])
        return xr.DataArray(
            M,
            dims=("radius", "harmonic", "component"),
            coords=dict(radius=r, harmonic=self.harmonics, component=["x", "y", "z"]),
            name="moment_within",
            attrs=self._attrs(units="mu_B", radius_units="nm"),
        )

    def field(self, points_nm, *, n_radial=8, n_polar=6, n_azimuth=8):
        """Stray field of the envelope at detector points in the vacuum above the lead, mT.

        Half-space geometry (module docstring); B(R) = (mu_0/4 pi) int d^3r' [3 n (n.M) - M]
        / |R - r'|^3 over the lead (docs/profile.md Eq. P21), M = mu_B m_envelope.

        Parameters
        ----------
        points_nm : array_like (n, 3)
            Detector positions (x, y, z) in nm with z >= 0 (the lead is z < 0), not the
            contact itself.
        n_radial, n_polar, n_azimuth : int
            Gauss-Legendre nodes per panel of the radial, polar and azimuthal quadratures
            (graded towards the detector; doubling them changes B by ~1e-9 relative).

        Returns
        -------
        xarray.DataArray (point, harmonic, component), complex, mT.
        """
        import xarray as xr

        P = np.atleast_2d(np.asarray(points_nm, dtype=float))
        if P.ndim != 2 or P.shape[1] != 3 or not np.all(np.isfinite(P)):
            raise ValueError("points_nm must have shape (n, 3) (x, y, z in nm)")
        if np.any(P[:, 2] < 0) or np.any(np.linalg.norm(P, axis=1) == 0):
            raise ValueError("detector points must lie at z >= 0 (the lead fills z < 0) and away from the contact")
        B = np.stack([self._field_one(p, n_radial, n_polar, n_azimuth) for p in P])
        return xr.DataArray(
            B,
            dims=("point", "harmonic", "component"),
            coords=dict(
                point=np.arange(len(P)),
                x_nm=("point", P[:, 0]),
                y_nm=("point", P[:, 1]),
                z_nm=("point", P[:, 2]),
                harmonic=self.harmonics,
                component=["x", "y", "z"],
            ),
            name="stray_field",
            attrs=self._attrs(
                units="mT",
                geometry="half_space (lead z < 0, vacuum z >= 0)",
                source="smooth envelope of the spin density; London screening "
                "and the Friedel oscillations left out (docs/profile.md)",
            ),
        )

    def _envelope_spline(self):
        """E_k(rho) as a cubic spline in log(rho) on 48 points per decade (it is smooth on
        the coherence length; the field needs it at thousands of radii), and rho_max."""
        if getattr(self, "_spline", None) is None:
            from scipy.interpolate import CubicSpline

            red = self.reduced
            slow = min([a.real.min() for a in red.rates if a.size] + [2 * red.gap])
            unit = max(red.gap, abs(red.params["bias"]))
            # e^{-60} of the slowest decay, at most 400 hbar v_F/Delta (nodes next to a gap
            # edge decay slowly but carry a vanishing weight)
            rho_max = min(60.0 / max(slow, 1e-300), 400.0 / unit)
            lg = np.linspace(-9.0, math.log10(rho_max), int(48 * (9 + math.log10(rho_max))))
            E = self.reduced.components(10.0**lg)[:, :, 0, :]
            self._spline = (CubicSpline(lg, E, axis=0), rho_max)
        return self._spline

    def _field_one(self, point, n_radial, n_polar, n_azimuth):
        """B at one detector point, (nh, 3) complex mT."""
        ell = self.material.length_unit_nm
        spline, rho_max = self._envelope_spline()
        rn, wr = _radial_nodes(float(np.linalg.norm(point)), rho_max * ell, n_radial)
        E = spline(np.log10(np.maximum(rn / ell, 1e-9)))  # (nr, nh, 3)
        A = _shell_tensor(point, rn, n_polar, n_azimuth)  # (nr, 3, 3)
        B = np.einsum("r,rai,rhi->ha", wr, A, E)
        return MU0_MUB_OVER_4PI_MT_NM3 * B / (2 * np.pi**2 * ell)


def _graded(a, b, cuts, n):
    """Gauss-Legendre nodes on [a, b] split at a + (b - a) * cuts."""
    x, w = np.polynomial.legendre.leggauss(n)
    e = a + (b - a) * np.concatenate([[0.0], cuts, [1.0]])
    lo, hi = e[:-1, None], e[1:, None]
    return (lo + (hi - lo) * 0.5 * (x + 1)).ravel(), ((hi - lo) * 0.5 * w).ravel()


_POLAR_CUTS = np.array([0.003, 0.01, 0.03, 0.1, 0.3, 0.6])
_AZIMUTH_CUTS = np.array([0.003, 0.01, 0.03, 0.1, 0.3, 1.0]) / np.pi  # 3 mrad ... 1 rad
_COARSE = np.array([0.3])


def _radial_nodes(D, rmax, n):
    """Nodes of int_0^rmax dr', graded around r' = D (distance of the detector)."""
    rel = np.array(
        [
            1e-4,
            1e-3,
            1e-2,
            0.1,
            0.3,
            0.6,
            0.85,
            0.95,
            1.0,
            1.05,
            1.15,
            1.4,
            2.0,
            3.0,
            5.0,
            10.0,
            30.0,
            100.0,
            300.0,
            1e3,
            3e3,
            1e4,
            3e4,
            1e5,
        ]
    )
    edges = np.unique(np.concatenate([[0.0], (D * rel)[D * rel < rmax], np.geomspace(max(D, 1e-3), rmax, 12), [rmax]]))
    x, w = np.polynomial.legendre.leggauss(n)
    lo, hi = edges[:-1, None], edges[1:, None]
    return (lo + (hi - lo) * 0.5 * (x + 1)).ravel(), ((hi - lo) * 0.5 * w).ravel()


def _shell_tensor(point, radii, n_polar, n_azimuth):
    """``A_ai(R, r') = int dOmega' 6 u^2 K_ai(R - r' Omega')`` over the half sphere u =
    cos(theta') > 0 (theta' from the inward normal), ``K = (3 d d^T - d^2)/d^5`` (1/nm^3),
    for every radius r' (nm); shape (n_r, 3, 3).  The detector is rotated to the azimuth 0
    (the integrand is then even in the azimuth) and the tensor rotated back.  Shells within
    a factor 4 of the detector distance use angular panels graded towards the detector's
    direction; the others, where the kernel is smooth, two panels per angle."""
    X, Y, Z = point
    R = np.array([math.hypot(X, Y), 0.0, Z])
    D = float(np.linalg.norm(R))
    radii = np.asarray(radii, dtype=float)
    near = (radii > D / 4) & (radii < 4 * D)
    A = np.empty((len(radii), 3, 3))
    for sel, pc, ac in ((near, _POLAR_CUTS, _AZIMUTH_CUTS), (~near, _COARSE, _COARSE)):
        if not sel.any():
            continue
        u, wu = _graded(0.0, 1.0, pc, n_polar)
        ph, wph = _graded(0.0, math.pi, ac, n_azimuth)
        st = np.sqrt(1 - u**2)
        src = np.stack(
            [
                st[:, None] * np.cos(ph)[None, :],
                st[:, None] * np.sin(ph)[None, :],
                -u[:, None] * np.ones_like(ph)[None, :],
            ],
            axis=-1,
        )  # (nu, nph, 3)
        wang = (6 * u**2 * wu)[:, None] * (2 * wph)[None, :]  # phi and -phi
        d = R - radii[sel, None, None, None] * src[None]
        d2 = np.einsum("rupk,rupk->rup", d, d)
        inv5 = wang[None] / d2**2.5
        a = 3 * np.einsum("rupa,rupb,rup->rab", d, d, inv5, optimize=True)
        A[sel] = a - np.eye(3)[None] * np.einsum("rup,rup->r", d2, inv5)[:, None, None]
    A[:, 0, 1] = A[:, 1, 0] = A[:, 1, 2] = A[:, 2, 1] = 0.0  # odd in the azimuth
    c, s = X / max(R[0], 1e-300), Y / max(R[0], 1e-300)
    if R[0] == 0:
        c, s = 1.0, 0.0
    rot = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    return rot @ A @ rot.T


def lead_spin_density(
    J,
    *,
    bias_meV,
    gap_left_meV,
    gap_right_meV,
    temperature_K=0.0,
    phi0_rad=0.0,
    harmonics=(0, 1, 2),
    lead="left",
    material: Material = ALUMINIUM,
    quad_tol: float = 1e-5,
) -> SpinDensity:
    """Compute the spin density of a lead around the contact (docs/profile.md Sec. 2,
    Eq. P6-P15; the lab layer: Sec. 7).

    Parameters
    ----------
    J : (2, 2) complex
        Amplitude in units of W = 1/(pi rho) (``floquet_currents(...).params["J"]``).
    bias_meV : float
        eV = mu_L - mu_R in meV (non-zero).
    gap_left_meV, gap_right_meV : float
        Gaps in meV.
    temperature_K : float
        Must be 0, or so low that the thermal population exp(-E_a/k_BT) < 1e-8
        (:func:`~spintunnel.junction.thermal_population`; then treated as 0, noted).
    phi0_rad : float
        Initial phase; harmonic k carries e^{i k phi0}.
    harmonics : sequence of int
        k of e^{i k 2eV t/hbar}; 0 is the static part.
    lead : {"left", "right"}
    material : Material
    quad_tol : float
        Target of the real-axis quadrature, relative to the profile's size
        (:func:`.floquet.profile.spin_density_profile`).

    Returns
    -------
    SpinDensity

    Raises
    ------
    ValueError
        The static part is asked for where it is not established: real quasiparticles are
        injected (relative weight above 1e-3, as the ``all_orders`` method); or bad input.
    """
    notes = []
    note = _static_temperature(temperature_K, (gap_left_meV, gap_right_meV), bias_meV)
    if note:
        notes.append(note)
    red = spin_density_profile(
        J,
        bias=bias_meV,
        gap_left=gap_left_meV,
        gap_right=gap_right_meV,
        phi0=phi0_rad,
        harmonics=harmonics,
        lead=lead,
        quad_tol=quad_tol,
    )
    if 0 in red.harmonics and red.injection[list(red.harmonics).index(0)] > INJECTION_LIMIT:
        raise ValueError(
            f"the static spin density is not established: real quasiparticles are injected "
            f"into the {lead} lead (relative weight "
            f"{red.injection[list(red.harmonics).index(0)]:.1e} > {INJECTION_LIMIT:g}, multiple Andreev "
            f"reflection); ask for harmonics >= 1 only (docs/all_orders.md Sec. 4)"
        )
    for k, w in zip(red.harmonics, red.injection, strict=False):
        if k and w > INJECTION_LIMIT:
            notes.append(f"harmonic {k}: the part carried away by quasiparticles (relative weight {w:.1e}) is left out")
    return SpinDensity(red, material, notes)


def junction_spin_density(
    junction, *, harmonics=(0, 1, 2), material: Material = ALUMINIUM, quad_tol: float = 1e-5
) -> SpinDensity:
    """The spin density of a :class:`~spintunnel.junction.Junction`'s left lead (docs/profile.md
    Sec. 7 and "Where users see it"): its channels' amplitudes (``amplitude_W``, the one J of
    every method), bias, gaps, temperature and phase, the channels added
    (:func:`.floquet.profile.sum_profiles`).

    The static part (k = 0) is left out, with a note, where it is not established: where real
    quasiparticles are injected into the lead (the injection weight of
    :func:`spintunnel.floquet.static_magnetization` above ``INJECTION_LIMIT`` = 1e-3, checked first, at a small
    fraction of the profile's cost), or where the left lead is normal; the harmonics >= 1 are
    then given alone.
    """

    ks, notes = tuple(harmonics), []
    channels = junction.channel_junctions()
    if 0 in ks:
        why = None
        if junction.gap_left_meV == 0:
            why = "the left lead is normal (docs/all_orders.md Sec. 4)"
        else:
            for c in channels:
                r = static_magnetization(
                    c.amplitude_W,
                    bias=junction.bias_meV,
                    gap_left=junction.gap_left_meV,
                    gap_right=junction.gap_right_meV,
                    phi0=junction.phi0_rad,
                )
                if r.injection > INJECTION_LIMIT:
                    why = (
                        f"real quasiparticles are injected into the left lead (relative weight {r.injection:.1e} "
                        f"> {INJECTION_LIMIT:g}, multiple Andreev reflection; docs/all_orders.md Sec. 4)"
                    )
                    break
        if why:
            notes.append(f"static part not given: {why}")
            ks = tuple(k for k in ks if k != 0)
    if not ks:
        raise ValueError("no harmonic left to compute (the static part is not established here)")
    parts = []
    for c in channels:
        d = lead_spin_density(
            c.amplitude_W,
            bias_meV=junction.bias_meV,
            gap_left_meV=junction.gap_left_meV,
            gap_right_meV=junction.gap_right_meV,
            temperature_K=junction.temperature_K,
            phi0_rad=junction.phi0_rad,
            harmonics=ks,
            material=material,
            quad_tol=quad_tol,
        )
        parts.append(d.reduced)
        notes += [n for n in d.notes if n not in notes]
    return SpinDensity(sum_profiles(parts), material, notes)


# ----------------------------------------------------------------------------- figures
def plot_profile(density: SpinDensity, path, *, rmin_nm=0.05, rmax_nm=None, n=400):
    """r^2 |m(r)| on the contact axis against r (log axes), with 1/k_F and xi_0 marked:
    the envelope per harmonic and the Friedel amplitude; an inset shows the oscillating
    density near the contact.  Writes ``path`` (PNG); returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mat = density.material
    gap = density.reduced.gap
    xi = mat.coherence_length_nm(gap)
    rmax_nm = rmax_nm or 20 * xi
    r = np.geomspace(rmin_nm, rmax_nm, n)
    ell = mat.length_unit_nm
    comp = density.reduced.components(r / ell)  # (n, nh, 3, 3)
    norm = 6.0 / (2 * np.pi**2 * ell)  # r^2 m = 6 E/(2 pi^2 l) on axis
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"]
    for i, k in enumerate(density.harmonics):
        c = colours[i % len(colours)]
        env = norm * np.linalg.norm(comp[:, i, 0], axis=-1)
        fri = norm * np.sqrt(np.linalg.norm(comp[:, i, 1], axis=-1) ** 2 + np.linalg.norm(comp[:, i, 2], axis=-1) ** 2)
        lab = "static" if k == 0 else f"{2 * k}eV harmonic"
        ax.loglog(r, env, color=c, lw=2, label=f"{lab}: envelope")
        ax.loglog(r, fri, color=c, lw=1, ls="--", label=f"{lab}: Friedel amplitude")
    for x, name in ((mat.fermi_length_nm, "$1/k_F$"), (xi, r"$\xi_0=\hbar v_F/\Delta$")):
        ax.axvline(x, color="grey", lw=0.8, ls=":")
        ax.text(
            x * 1.15, 0.55, name, rotation=90, va="center", ha="left", fontsize=8, transform=ax.get_xaxis_transform()
        )
    ax.set_xlabel("distance r from the contact along its axis [nm]")
    ax.set_ylabel(r"$r^2\,|m(r)|$ [$\mu_B$/nm]")
    ax.set_title(
        f"spin density of the {density.reduced.params['lead']} lead ({mat.name}, "
        f"eV = {density.reduced.params['bias']:.3g} meV, half space)",
        fontsize=9,
    )
    ax.legend(fontsize=7, loc="lower left")
    ins = ax.inset_axes((0.36, 0.1, 0.3, 0.3))
    rz = np.linspace(0.05, 3.0, 600)
    dz = density.reduced.density(rz / ell, density._K, "half_space") / ell**3
    for i in range(len(density.harmonics)):
        ins.plot(rz, (rz**2 * np.linalg.norm(dz[:, i], axis=-1)), color=colours[i % 5], lw=0.8)
    ins.set_xlabel("r [nm] (Friedel oscillations)", fontsize=7)
    ins.set_ylabel(r"$r^2|m|$", fontsize=7)
    ins.tick_params(labelsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return Path(path)


def plot_field(densities, path, *, heights_nm=None, paper_band_mT=(1.0, 10.0), paper_mT=None):
    """|B_k| on the axis above the contact against the detector height (log axes).

    Parameters
    ----------
    densities : dict
        label -> (SpinDensity, moments_muB or None): moments (nh, 3) in mu_B (e.g. from
        ``floquet_currents``) add the field of a point dipole of that moment at the contact.
    path : str or Path
        PNG file written.
    heights_nm : array_like, optional
        Detector heights (default 1 nm ... 30 um).
    paper_band_mT, paper_mT
        The paper's 1-10 mT band and its mu_0 M/V0 value (a horizontal line), if given.

    Returns
    -------
    Path
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    h = np.geomspace(1.0, 3e4, 40) if heights_nm is None else np.asarray(heights_nm, float)
    pts = np.stack([np.zeros_like(h), np.zeros_like(h), h], 1)
    fig, ax = plt.subplots(figsize=(7.2, 4.8))
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown"]
    styles = ["-", "--", "-.", ":"]
    for j, (label, (density, moments)) in enumerate(densities.items()):
        B = density.field(pts).values
        for i, k in enumerate(density.harmonics):
            c = colours[i % len(colours)]
            name = "static" if k == 0 else f"{2 * k}eV"
            ax.loglog(
                h,
                np.linalg.norm(B[:, i], axis=-1),
                color=c,
                lw=2,
                ls=styles[j % len(styles)],
                label=f"{label}: |B| {name}",
            )
            if moments is not None:
                dip = 2 * MU0_MUB_OVER_4PI_MT_NM3 * np.linalg.norm(moments[i]) / h**3
                ax.loglog(
                    h,
                    dip,
                    color=c,
                    lw=0.7,
                    ls=styles[j % len(styles)],
                    alpha=0.6,
                    label=f"{label}: point dipole M at the contact, {name}",
                )
    ax.axhspan(*paper_band_mT, color="grey", alpha=0.25, label="paper: 1-10 mT")
    if paper_mT is not None:
        ax.axhline(paper_mT, color="k", lw=0.8, ls="--", label=r"paper's $\mu_0 M/V_0$")
    ax.set_xlabel("detector height above the contact [nm]")
    ax.set_ylabel("|B| [mT]")
    ax.set_title("stray field on the contact axis (half space, no London screening)", fontsize=9)
    ax.legend(fontsize=6, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return Path(path)
