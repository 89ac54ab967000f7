"""Spin density of the observed lead around the contact and its stray field
(spintunnel.floquet.profile, spintunnel.profile) against independent results: the total
moments of ``static_magnetization`` and ``floquet_currents`` (the radial integral done
numerically, Friedel oscillations included), the second-order closed form and
``second_order.magnetization_dc`` (its own derivation), the normal-contact Friedel
polarization from the channel decomposition, SU(2) symmetry, the decay rate, the normal-lead
limit, the point-dipole limit and an independent quadrature of the field."""

import math

import numpy as np
import pytest
from scipy import constants as C
from scipy import integrate

from spintunnel import second_order as so
from spintunnel.floquet import floquet_currents, static_magnetization
from spintunnel.floquet.profile import contact_trace, radial_moments, second_order_components, spin_density_profile
from spintunnel.profile import ALUMINIUM, MU0_MUB_OVER_4PI_MT_NM3, Material, lead_spin_density

J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])


def _moments(J, V, gl, gr, phi0=0.3, lead="left", harmonics=2):
    """Reference totals: static_magnetization (k = 0) and I_s,k/(i k omega_J) (k >= 1)."""
    s = static_magnetization(J, bias=V, gap_left=gl, gap_right=gr, phi0=phi0, lead=lead)
    r = floquet_currents(J, bias=V, gap_left=gl, gap_right=gr, phi0=phi0, lead=lead, n_harmonics=harmonics, tol=1e-9)
    k = np.arange(1, harmonics + 1)[:, None]
    return np.vstack([s.moment, r.spin[1:] / (1j * k * r.omega_J)])


@pytest.fixture(scope="module")
def ss():
    """S-S, spin-active J (mean transmission 0.2), eV = 0.45 Delta, static and 2eV, 4eV."""
    J, V = 0.3 * J0, 0.45
    prof = spin_density_profile(J, bias=V, harmonics=(0, 1, 2), phi0=0.3)
    return prof, _moments(J, V, 1.0, 1.0)


@pytest.fixture(scope="module")
def sn():
    """S-N (normal right lead), eV = 0.5 Delta_L: nothing injected at any order."""
    J, V = 0.3 * J0, 0.5
    prof = spin_density_profile(J, bias=V, gap_left=1.0, gap_right=0.0, harmonics=(0, 1))
    return prof, _moments(J, V, 1.0, 0.0, harmonics=1)


def test_radial_integral_of_the_density_is_the_total_moment_s_s(ss):
    """int m(r) d^3r = M_L, integrated numerically over ~3e4 Friedel oscillations (k_F xi_0
    = 2000): static part against static_magnetization, 2eV and 4eV against the spin
    current harmonics; measured total 7.0e-4, 7.5e-4, 3.4e-4, of which the envelope alone
    1.9e-7, 1.2e-4 (the part carried off by quasiparticles, injection 2.5e-5), 2.6e-6."""
    prof, ref = ss
    env, fr = radial_moments(prof, 50.0, K=2000.0)
    for k in range(3):
        size = np.abs(ref[k]).max()
        assert np.abs(env[k] + fr[k] - ref[k]).max() < 1e-3 * size
        assert np.abs(env[k] - ref[k]).max() < 3e-4 * size
    assert prof.quadrature_error < 1e-4 and prof.truncation_error < 1e-4


def test_friedel_part_of_the_moment_falls_like_one_over_kF_xi(ss):
    """The oscillating parts integrate to ~S(0)/(2K): O(1/(k_F xi)), 1e-5 for aluminium."""
    prof, ref = ss
    f1 = radial_moments(prof, 50.0, K=2000.0)[1]
    f2 = radial_moments(prof, 50.0, K=4000.0)[1]
    ratio = np.abs(f1[0]).max() / np.abs(f2[0]).max()
    assert 1.9 < ratio < 2.1
    assert np.abs(f1[0]).max() < 1e-3 * np.abs(ref[0]).max()


def test_radial_integral_of_the_density_is_the_total_moment_s_n(sn):
    """S-N: the static moment (exact here, nothing injected), to 1e-3 with the Friedel parts
    (measured 1e-8 for the envelope alone); the 2eV harmonic vanishes at every radius."""
    prof, ref = sn
    env, fr = radial_moments(prof, 50.0, K=2000.0)
    assert np.abs(env[0] + fr[0] - ref[0]).max() < 1e-3 * np.abs(ref[0]).max()
    assert np.abs(env[0] - ref[0]).max() < 1e-6 * np.abs(ref[0]).max()
    assert prof.injection[0] == 0.0
    rho = np.geomspace(1e-4, 30.0, 50)
    assert np.abs(prof.components(rho)[:, 1]).max() == 0.0 and np.abs(ref[1]).max() == 0.0


def test_right_lead_at_negative_bias_integrates_to_its_moment():
    """The mirror junction and the right lead's chain: S'-S, eV = -0.55, observed right lead;
    envelope integral against static_magnetization and floquet_currents(lead="right")."""
    J, V = 0.15 * J0, -0.55
    prof = spin_density_profile(J, bias=V, gap_left=0.8, gap_right=1.0, harmonics=(0, 1), phi0=0.4, lead="right")
    ref = _moments(J, V, 0.8, 1.0, phi0=0.4, lead="right", harmonics=1)
    env, _ = radial_moments(prof, 50.0)
    for k in range(2):
        assert np.abs(env[k] - ref[k]).max() < 3e-4 * np.abs(ref[k]).max()


def test_su2_link_gives_no_spin_density_at_any_radius():
    """J = a U (U in SU(2)) is undone by a spin rotation of the right lead: zero to all
    orders, at every r, including the Friedel parts."""
    U = np.array([[np.cos(0.4), -np.exp(-0.3j) * np.sin(0.4)], [np.exp(0.3j) * np.sin(0.4), np.cos(0.4)]])
    rho = np.array([1e-3, 0.1, 1.0, 5.0])
    filt = spin_density_profile(
        0.4 * np.diag([1.0, 0.5]), bias=0.6, gap_left=1.0, gap_right=0.8, harmonics=(0, 1)
    ).components(rho)
    su2 = spin_density_profile(0.4 * U, bias=0.6, gap_left=1.0, gap_right=0.8, harmonics=(0, 1)).components(rho)
    assert np.abs(filt).max() > 1e-2
    assert np.abs(su2).max() < 1e-12 * np.abs(filt).max()


def test_static_density_decays_at_twice_the_inverse_coherence_length_at_eV(sn):
    """S-N: the slowest part comes from the sources at w -> eV, where the spin density
    decays as e^{-2 r/xi(eV)}/r^3, xi(eV) = hbar v_F/sqrt(Delta^2 - (eV)^2): the local rate
    d ln(rho^2 m)/d rho + 1/rho -> -2 sqrt(1 - 0.25) (measured -1.7333 at rho = 40)."""
    prof = sn[0]
    rho, d = np.array([30.0, 40.0]), 1e-3
    E = [prof.components(rho + s)[:, 0, 0, 2].real for s in (d, -d)]
    rate = (np.log(np.abs(E[0])) - np.log(np.abs(E[1]))) / (2 * d) + 1 / rho
    assert np.allclose(rate, -2 * math.sqrt(0.75), rtol=2e-3)


def test_second_order_closed_form_is_the_weak_tunnelling_limit():
    """All-orders (E, C, S) against the second-order closed form (Eq. P17-P19) at
    rho = 0.05 ... 3: the difference is relative J^2 (S-S 0.6: 5.2e-4 -> 1.3e-4; S-N 0.5
    likewise); the 2eV harmonic is fourth order at every radius (|m_1|/t^4 constant)."""
    rho = np.array([0.05, 0.3, 1.0, 3.0])
    for gr, V in ((1.0, 0.6), (0.0, 0.5)):
        dev, ac = [], []
        for t in (0.02, 0.01):
            prof = spin_density_profile(t * J0, bias=V, gap_right=gr, harmonics=(0, 1))
            c = prof.components(rho)
            c2 = second_order_components(t * J0, bias=V, gap_left=1.0, gap_right=gr, rho=rho)
            dev.append(np.abs(c[:, 0].real - c2).max() / np.abs(c2).max())
            ac.append(np.abs(c[:, 1]).max() / t**4)
        assert dev[1] < 2e-4 and 3.6 < dev[0] / dev[1] < 4.4
        if gr > 0:
            assert abs(ac[0] / ac[1] - 1) < 2e-3 and ac[1] > 0.1


def test_second_order_closed_form_integrates_to_the_closed_system_second_order():
    """(2/pi) int E^(2) d rho = second_order.magnetization_dc / (2 pi)^2 (pair-sector
    densities), the closed-system second order derived independently
    (docs/second_order.md); S-S below threshold and S-N (right-lead quasiparticle part)."""
    for gr, V in ((1.0, 0.6), (0.0, 0.5)):
        ref = np.asarray(so.magnetization_dc(J0, J0, V, 0.0, 1.0, gr, cross="equal"))
        ref = ref / (4 * np.pi**2)
        x, w = np.polynomial.legendre.leggauss(12)
        edges = np.concatenate([[0.0], np.logspace(-8, 0, 5), [2.0, 5.0, 10.0, 20.0, 40.0]])
        rho = ((edges[:-1, None] + edges[1:, None]) / 2 + (edges[1:, None] - edges[:-1, None]) / 2 * x).ravel()
        wt = ((edges[1:, None] - edges[:-1, None]) / 2 * w).ravel()
        E = second_order_components(J0, bias=V, gap_left=1.0, gap_right=gr, rho=rho, parts=(0,), epsabs=1e-10)[:, 0]
        assert np.abs(2 / np.pi * wt @ E - ref).max() < 1e-6 * np.abs(ref).max()


def test_normal_observed_lead_has_only_friedel_oscillations_and_is_the_small_gap_limit():
    """N-S below Delta_R: the envelope vanishes identically (no smooth spin density, so no
    total moment the model can fix) and so do the harmonics; a superconducting observed lead
    with Delta_L -> 0 tends to it linearly (E and the change of C, S halve with Delta_L)."""
    rho = np.array([0.1, 0.5, 2.0])
    normal = spin_density_profile(0.3 * J0, bias=0.5, gap_left=0.0, gap_right=1.0, harmonics=(0, 1)).components(rho)
    assert np.abs(normal[:, 0, 0]).max() == 0.0 and np.abs(normal[:, 1]).max() == 0.0
    assert np.abs(normal[:, 0, 1:]).max() > 0.1
    dev = []
    for dl in (0.02, 0.01):
        c = spin_density_profile(0.3 * J0, bias=0.5, gap_left=dl, gap_right=1.0, harmonics=(0,)).components(rho)[:, 0]
        dev.append((np.abs(c[:, 0]).max(), np.abs(c[:, 1:] - normal[:, 0, 1:]).max()))
    assert dev[1][0] < 1e-3 and dev[1][1] < 1e-3
    assert 1.8 < dev[0][0] / dev[1][0] < 2.2 and 1.8 < dev[0][1] / dev[1][1] < 2.2


def test_friedel_polarization_at_the_contact_is_that_of_the_normal_contact(ss):
    """rho S(rho) -> Tr[sigma H]/2 for 1/K << rho << 1 (the RKKY-like 1/r^3 polarization of
    the spin-active contact, Eq. P14), with H = Sum_i h_i u_i u_i^dag from the channel
    decomposition J = U diag(s) V^dag, h_i = s_i^2/(1 + s_i^2) = (1 - sqrt(1 - tau_i))/2;
    the part left after taking X_inf out stays finite (rho S_reg -> 0)."""
    prof = ss[0]
    U, s, _ = np.linalg.svd(0.3 * J0)
    tau = 4 * s**2 / (1 + s**2) ** 2
    h = (1 - np.sqrt(1 - tau)) / 2
    trace = np.array(
        [
            sum(h[i] * (U[:, i].conj() @ P @ U[:, i]).real for i in range(2))
            for P in (np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1.0, -1.0]))
        ]
    )
    assert np.allclose(contact_trace(0.3 * J0), trace, atol=1e-14)
    rho = np.array([1e-6, 1e-5])
    S = prof.components(rho)[:, 0, 2].real
    assert np.allclose(2 * rho[:, None] * S, trace[None, :], atol=2e-5 * np.abs(trace).max())
    reg = S - trace[None, :] * (np.exp(-2 * rho) / (2 * rho))[:, None]
    assert np.abs(rho[:, None] * reg).max() < 1e-4 * np.abs(trace).max()


def test_half_space_density_on_the_axis_is_six_times_the_full_space_envelope(ss):
    """Hard wall through the contact (image orbital ~ d/dz): 6 cos^2(theta) times the
    full-space density, Friedel phase shifted by pi/2 (C, S -> -C, -S); the angular weight
    integrates to one over the half sphere."""
    prof = ss[0]
    rho, K = np.array([0.01, 0.2, 1.5]), 2000.0
    full = prof.density(rho, K, "full_space")
    half = prof.density(rho, K, "half_space")
    env = prof.envelope(rho)
    assert np.allclose(half + 6 * full, 12 * env, rtol=1e-12, atol=0)
    u, w = np.polynomial.legendre.leggauss(8)
    assert abs(2 * np.pi * np.sum(w * 6 * ((u + 1) / 2) ** 2) / 2 / (4 * np.pi) - 1) < 1e-14


# ----------------------------------------------------------------------------- stray field
def test_shrunk_distribution_gives_the_field_of_a_point_dipole():
    """With l = hbar v_F/(1 meV) = 1e-3 nm the distribution is a point: B -> (mu_0/4 pi)
    (3 n (n.M) - M)/R^3 of the total moment M (from static_magnetization, in mu_B) at
    detectors on the axis, oblique and on the surface (measured 3e-5)."""
    tiny = Material("shrunk", 1.75e10, 2.03e6 * 1e-3 / ALUMINIUM.length_unit_nm, "test")
    J = 0.3 * J0
    d = lead_spin_density(J, bias_meV=0.5, gap_left_meV=1.0, gap_right_meV=0.0, harmonics=(0,), material=tiny)
    M = static_magnetization(J, bias=0.5, gap_left=1.0, gap_right=0.0).moment
    pts = np.array([[0, 0, 50.0], [30, 0, 40], [100, 20, 1.0], [-60, 80, 0.0]])
    B = d.field(pts).values[:, 0, :]
    for P, b in zip(pts, B, strict=False):
        n = P / np.linalg.norm(P)
        dip = MU0_MUB_OVER_4PI_MT_NM3 * (3 * n * (n @ M) - M) / np.linalg.norm(P) ** 3
        assert np.abs(b - dip).max() < 2e-4 * np.abs(dip).max()


def test_field_on_the_axis_against_an_independent_quadrature():
    """B_z above the contact from m_z: the azimuth integral is 2 pi on the axis, the rest a
    nested scipy quad over (r', cos theta'), independent of the field's graded grids; the
    field's own node doubling changes it by < 1e-8 (surface points included)."""
    d = lead_spin_density(0.3 * J0, bias_meV=0.09, gap_left_meV=0.18, gap_right_meV=0.0, harmonics=(0,))
    ell = ALUMINIUM.length_unit_nm
    h = 20.0

    def inner(r):
        def f(u):
            d2 = r * r * (1 - u * u) + (h + r * u) ** 2
            return 6 * u * u * (3 * (h + r * u) ** 2 - d2) / d2**2.5

        Ez = d.reduced.components(np.atleast_1d(r / ell))[0, 0, 0, 2].real
        return integrate.quad(f, 0, 1, epsrel=1e-10)[0] * Ez

    edges = np.concatenate(
        [[0], h * np.array([0.01, 0.1, 0.5, 1, 2, 10, 100]), np.geomspace(100 * h, 400 * ell / 0.18, 8)[1:]]
    )
    val = sum(
        integrate.quad(inner, a, b, epsrel=1e-9, limit=200)[0] for a, b in zip(edges[:-1], edges[1:], strict=False)
    )
    Bz = MU0_MUB_OVER_4PI_MT_NM3 * 2 * np.pi * val / (2 * np.pi**2 * ell)
    pts = np.array([[0, 0, h], [20.0, 0, 0], [50, 50, 0.0], [1e4, 0, 0]])
    b1 = d.field(pts).values[:, 0]
    b2 = d.field(pts, n_radial=16, n_polar=12, n_azimuth=16).values[:, 0]
    assert abs(b1[0, 2].real / Bz - 1) < 1e-8
    assert np.abs(b1 - b2).max() < 1e-8 * np.abs(b2).max()


# ----------------------------------------------------------------------------- lab units
def test_aluminium_scales_and_lab_units():
    """l = hbar v_F/(1 meV) = 1336 nm, 1/k_F = 0.057 nm, xi_0 = 7.4 um at Delta = 0.18 meV
    (CODATA); the lab density is the reduced one over l^3, on the half-space axis."""
    ell = C.hbar * 2.03e6 / (1e-3 * C.e) * 1e9
    assert abs(ALUMINIUM.length_unit_nm / ell - 1) < 1e-12 and abs(ell - 1336.2) < 0.1
    assert abs(ALUMINIUM.fermi_length_nm - 1 / 17.5) < 1e-12
    assert abs(ALUMINIUM.coherence_length_nm(0.18) - ell / 0.18) < 1e-9
    assert abs(MU0_MUB_OVER_4PI_MT_NM3 - 0.9274010) < 1e-6  # 1e-7 T m/A x mu_B
    J = 0.3 * J0
    da = lead_spin_density(J, bias_meV=0.09, gap_left_meV=0.18, gap_right_meV=0.0, harmonics=(0, 1)).profile(
        [1.0, 100.0, 5000.0]
    )
    assert da.dims == ("radius", "harmonic", "component") and da.attrs["units"] == "mu_B/nm^3"
    red = spin_density_profile(J, bias=0.09, gap_left=0.18, gap_right=0.0, harmonics=(0, 1))
    r = np.array([1.0, 100.0, 5000.0]) / ell
    K = 1.75e10 * ell * 1e-9
    assert np.allclose(da.values, red.density(r, K, "half_space") / ell**3, rtol=1e-9)
    assert np.allclose(da.envelope.values, red.envelope(r, "half_space") / ell**3, rtol=1e-9)


def test_bad_inputs_raise_before_any_work():
    with pytest.raises(ValueError, match="temperature"):
        spin_density_profile(J0, bias=0.5, temperature=0.1)
    with pytest.raises(ValueError, match="broadening"):
        spin_density_profile(J0, bias=0.5, broadening=0.01)
    with pytest.raises(ValueError, match="band"):
        spin_density_profile(J0, bias=0.5, band=10.0)
    with pytest.raises(ValueError, match="harmonics"):
        spin_density_profile(J0, bias=0.5, harmonics=(-1,))
    with pytest.raises(ValueError, match="normal observed lead"):
        spin_density_profile(J0, bias=1.5, gap_left=0.0, gap_right=1.0)
    with pytest.raises(ValueError, match="radii"):
        spin_density_profile(0.1 * J0, bias=0.5, gap_right=0.0, harmonics=(0,)).components([0.0])
    with pytest.raises(ValueError, match="thermal"):
        lead_spin_density(J0, bias_meV=0.09, gap_left_meV=0.18, gap_right_meV=0.0, temperature_K=0.1)
    with pytest.raises(ValueError, match="not established"):
        lead_spin_density(0.3 * J0, bias_meV=0.5, gap_left_meV=1.0, gap_right_meV=1.0)
    d = lead_spin_density(0.1 * J0, bias_meV=0.5, gap_left_meV=1.0, gap_right_meV=0.0, harmonics=(0,))
    with pytest.raises(ValueError, match="z >= 0"):
        d.field([[0.0, 0.0, -5.0]])


def test_s_n_contact_at_low_temperature_counts_as_zero_temperature():
    """S-N: the quasiparticle transfer is activated by Delta - |eV| (junction.thermal_activation_meV):
    at 0.02 K, eV = Delta/2 = 0.09 meV, exp(-0.09 meV/k_BT) = exp(-52) << 1e-8, so T counts as 0
    (noted) and the density is the T = 0 one; at 0.1 K (3e-5) it is refused."""
    kw = dict(bias_meV=0.09, gap_left_meV=0.18, gap_right_meV=0.0, harmonics=(0,))
    cold = lead_spin_density(0.1 * J0, temperature_K=0.02, **kw)
    zero = lead_spin_density(0.1 * J0, **kw)
    assert any("treated as 0" in n and "exp(-E_a/k_BT) = 2" in n for n in cold.notes)
    r = [1.0, 100.0]
    np.testing.assert_array_equal(cold.profile(r).values, zero.profile(r).values)
    with pytest.raises(ValueError, match="thermal quasiparticles"):
        lead_spin_density(0.1 * J0, temperature_K=0.1, **kw)


def test_a_junctions_channels_add_their_spin_densities():
    """junction_spin_density of a two-channel junction is the sum of the two channels' own
    profiles (independent channels), at every radius, and so is the field."""
    from spintunnel.junction import Channel, Junction
    from spintunnel.profile import junction_spin_density

    J = np.diag([1.0, 0.5]).astype(complex)
    kw = dict(gap_left_meV=0.18, gap_right_meV=0.18, temperature_K=0.0, bias_mV=0.09, phi0_rad=0.3)
    both = Junction(channels=(Channel(0.2, J, J), Channel(0.05, J, J)), **kw)
    one, two = both.channel_junctions()
    radii = np.geomspace(0.1, 5e3, 9)
    d = junction_spin_density(both, harmonics=(1,), quad_tol=1e-4)
    parts = [junction_spin_density(j, harmonics=(1,), quad_tol=1e-4) for j in (one, two)]
    total = sum(p.profile(radii).values for p in parts)
    assert np.abs(total).max() > 0
    np.testing.assert_allclose(d.profile(radii).values, total, rtol=1e-12, atol=1e-14 * np.abs(total).max())
    point = [[0.0, 0.0, 20.0]]
    np.testing.assert_allclose(d.field(point).values, sum(p.field(point).values for p in parts), rtol=1e-9)


def test_the_static_part_is_left_out_where_quasiparticles_are_injected():
    """At the paper's setting multiple Andreev reflection injects quasiparticles (weight 0.23):
    the junction-level density gives the harmonics only, and says why."""
    from spintunnel.junction import Junction
    from spintunnel.profile import junction_spin_density

    d = junction_spin_density(Junction.from_config(), harmonics=(0, 1), quad_tol=1e-3)
    assert list(d.harmonics) == [1]
    assert any("static part not given" in n and "injected" in n for n in d.notes)
