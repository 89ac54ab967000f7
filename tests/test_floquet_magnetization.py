"""Static magnetization to all orders (spintunnel.floquet.magnetization) against independent
results: the closed-system second order (spintunnel.second_order, its own derivation),
symmetries (SU(2), time shift), the wide-band limit of the finite band."""

import numpy as np
import pytest
from scipy.integrate import quad

from spintunnel import second_order as so
from spintunnel.floquet.magnetization import lead_sum_factors, static_magnetization

J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])


@pytest.mark.parametrize(
    "gl, gr, V", [(1.0, 1.0, 0.6), (1.0, 1.0, 1.4), (1.0, 0.0, 0.5), (1.0, 0.6, -0.9), (0.7, 1.0, 1.2)]
)
def test_weak_tunnelling_is_the_closed_system_second_order(gl, gr, V):
    """M(t J0) / t^2 -> second_order.magnetization_dc (rho_L rho_R = 1/(2 pi)^2 per pair
    sector); the difference is relative J^2 (measured: 8e-4 -> 2e-4 at S-S 0.6; 2.4e-3 ->
    6e-4 at 1.4; 1.2e-3 -> 3e-4 at S-S' -0.9; S-N: 2.3e-6 -> 1.5e-7)."""
    ref = np.asarray(so.magnetization_dc(J0, J0, V, 0.0, gl, gr, cross="equal")) / (4 * np.pi**2)
    dev = []
    for t in (0.04, 0.02):
        r = static_magnetization(t * J0, bias=V, gap_left=gl, gap_right=gr)
        dev.append(np.linalg.norm(r.moment / t**2 - ref) / np.linalg.norm(ref))
    assert dev[1] < 1e-3
    assert dev[0] / dev[1] > 3.5  # J^2 relative (J^4 relative for S-N)


def test_normal_right_lead_injects_nothing_below_the_gap():
    """S-N below Delta_L at T = 0: Andreev processes only, no quasiparticle enters L at any
    order, so the static moment is finite; above the gap it is not."""
    below = static_magnetization(0.5 * J0, bias=0.8, gap_left=1.0, gap_right=0.0)
    above = static_magnetization(0.5 * J0, bias=1.2, gap_left=1.0, gap_right=0.0)
    assert below.finite and below.injection == 0.0
    assert not above.finite


def test_su2_amplitude_gives_no_moment_at_strong_coupling():
    U = np.array([[np.cos(0.4), -np.exp(-0.3j) * np.sin(0.4)], [np.exp(0.3j) * np.sin(0.4), np.cos(0.4)]])
    filt = static_magnetization(0.6 * np.diag([1.0, 0.5]), bias=0.7, gap_left=1, gap_right=0.8)
    r = static_magnetization(0.6 * U, bias=0.7, gap_left=1, gap_right=0.8)
    assert np.abs(filt.moment).max() > 1e-2
    assert np.abs(r.moment).max() < 1e-14


def test_static_part_does_not_depend_on_the_initial_phase():
    """A time shift maps phi0 onto phi0 + 2eV dt: the time average cannot depend on it."""
    a = static_magnetization(0.5 * J0, bias=0.7, gap_left=1, gap_right=0.8, phi0=0.0)
    b = static_magnetization(0.5 * J0, bias=0.7, gap_left=1, gap_right=0.8, phi0=1.1)
    assert np.abs(a.moment).max() > 1e-3
    assert np.abs(a.moment - b.moment).max() < 1e-12


def test_finite_band_tends_to_the_wide_band_like_one_over_D():
    wide = static_magnetization(0.3 * J0, bias=0.7, gap_left=1, gap_right=0.8).moment
    dev = [
        np.linalg.norm(static_magnetization(0.3 * J0, bias=0.7, gap_left=1, gap_right=0.8, band=D).moment - wide)
        for D in (20.0, 40.0)
    ]
    assert dev[1] < 0.04 * np.linalg.norm(wide)  # measured 3.0 % at D = 40
    assert dev[0] / dev[1] == pytest.approx(2.0, rel=0.1)


@pytest.mark.parametrize("band", [None, 5.0])
@pytest.mark.parametrize("z", [0.4 + 0.0j, -0.7 + 0.0j, 0.3j, 1.5 + 0.8j])
def test_lead_sum_factors_against_quadrature(z, band):
    """F0 = rho int dxi (q^2 - xi^2)^-2, F2 = rho int dxi xi^2 (q^2 - xi^2)^-2 (rho = 1/pi,
    Delta = 1) by scipy quad over xi (in the gap or off the real axis: no poles)."""
    q2 = z * z - 1.0
    lim = band if band is not None else np.inf

    def integral(p):
        re = quad(lambda x: (x**p / (q2 - x * x) ** 2).real, -lim, lim, limit=400)[0]
        im = quad(lambda x: (x**p / (q2 - x * x) ** 2).imag, -lim, lim, limit=400)[0]
        return (re + 1j * im) / np.pi

    f0, f2 = lead_sum_factors(np.array([z]), 1.0, band)
    assert f0[0] == pytest.approx(integral(0), rel=1e-7)
    assert f2[0] == pytest.approx(integral(2), rel=1e-7)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(bias=0.0), "bias"),
        (dict(bias=0.5, gap_left=0.0), "normal"),
        (dict(bias=-0.5, gap_left=0.0), "normal"),
        (dict(bias=0.5, temperature=0.1), "temperature"),
        (dict(bias=0.5, broadening=0.01), "broadening"),
        (dict(bias=0.5, lead="up"), "lead"),
        (dict(bias=0.5, band=0.5), "band"),
    ],
)
def test_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        static_magnetization(0.1 * J0, **kwargs)


@pytest.mark.parametrize("band", [None, 2.0])
@pytest.mark.parametrize("gaps", [(0.0, 1.0), (1.0, 0.8)])
def test_source_terms_sum_to_the_width_of_the_t_matrix(gaps, band):
    """Optical theorem of the sideband chain: the sources' V Gamma V^dag sum to
    -(X^R - X^A), X = g_0^-1 G_00 g_0^-1 - g_0^-1 the T-matrix at the observed site; the
    two sides are assembled independently (one row vs one column of G^R)."""
    from spintunnel.floquet import magnetization as m
    from spintunnel.floquet.sidebands import chain_column

    n, V, J = 16, 0.8, 0.4 * J0
    E = np.array([0.13, -0.37, 0.55, -1.3])
    D, U, _ = m._chain(E, 0.0, "L", n, V, gaps, J, 0.0, band)
    X = D[:, n] @ chain_column(D, U, n)[:, n] @ D[:, n] - D[:, n]
    width = X - np.conj(np.swapaxes(X, -1, -2))
    total = m.source_terms(E, "L", n, V, gaps, J, 0.0, band).sum(axis=1)
    assert np.abs(width).max() > 1e-2
    np.testing.assert_allclose(total, -width, atol=1e-12)


@pytest.mark.parametrize("band", [None, 3.0])
@pytest.mark.parametrize("source, gaps", [("L", (1.0, 0.8)), ("R", (0.0, 1.0))])
def test_spin_channels_reproduce_the_nambu_spin_lead_sum(source, gaps, band):
    """Tr[sigma_e P(Y)(w)] of the non-equilibrium part: the two scalar channels (kernel,
    channel axis n, channel A minus B) against the 4x4 Nambu-spin sources (source_terms)
    and the dense lead sum P(X) = (z + Dt) X (z + Dt) F0 + tau_z X tau_z F2 (lead_sum)."""
    from spintunnel.floquet import magnetization as m
    from spintunnel.floquet.channels import decompose
    from spintunnel.leads import fermi
    from spintunnel.spin import PAULI

    n, V, J, phi0 = 6, 0.45, 0.4 * J0, 0.3
    gap = gaps[0] if source == "L" else gaps[1]
    E = np.array([-0.83, -0.31, 0.12, 0.57]) * gap
    inject = np.zeros(2 * n + 1, bool)
    inject[[n - 3, n + 2]] = True
    k = np.arange(-n, n + 1)
    f = fermi(E[:, None] + k * V, 0.0)
    w = f - f[:, n][:, None]
    terms = m.source_terms(E, source, n, V, gaps, J, phi0, band) * w[:, :, None, None]
    ch = decompose(J)
    ph = np.exp(0.5j * phi0) * ch.phase
    axis = ch.axis_left if source == "L" else ch.axis_right
    size = 0.0
    for part, sel in ((0, ~inject), (1, inject)):
        Y = terms[:, sel].sum(axis=1)
        P = m.lead_sum(Y, E + 0j, gap, band)
        ref = np.einsum("kab,nba->nk", np.asarray(PAULI), P[:, :2, :2])
        Yc = [m._y_channel(E, source, n, V, gaps, te, th, ph, band, inject)[part] for te, th in ch.bonds]
        e = 1 if source == "L" else 0
        got = (m._lead_sum_channel(Yc[0], E + 0j, gap, band, e) - m._lead_sum_channel(Yc[1], E + 0j, gap, band, e))[
            :, None
        ] * axis
        size = max(size, np.abs(ref).max())
        np.testing.assert_allclose(got, ref, atol=1e-12 * max(np.abs(ref).max(), 1e-3))
        # the injection weight uses the Frobenius norm of Y: the same in both pictures
        np.testing.assert_allclose(
            np.sqrt(sum((np.abs(y) ** 2).sum(axis=(1, 2)) for y in Yc)), np.linalg.norm(Y, axis=(1, 2)), rtol=1e-12
        )
    assert size > 1e-4
