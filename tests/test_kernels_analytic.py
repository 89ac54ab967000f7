"""Analytic limits, closed forms and symmetries of the energy kernels."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import dblquad, quad

from spintunnel.kernels import ac_kernel, dc_kernel, special_biases
from spintunnel.kernels import closed_forms as cf


# ---------------------------------------------------------------- closed-form building blocks
@pytest.mark.parametrize("z", [-3.0, -0.4, 0.5, 1.05, 1.7, 4.0])
def test_F_is_the_principal_value_of_the_u_integral(z):
    gap = 1.3
    if z < gap:
        ref = 2 * quad(lambda u: 1 / (gap * math.cosh(u) - z), 0, 60, epsabs=1e-14, limit=200)[0]
    else:  # PV by folding around u0
        u0 = math.acosh(z / gap)
        f = lambda u: 1 / (gap * math.cosh(u) - z)
        ref = 2 * (
            quad(lambda s: f(u0 + s) + f(u0 - s), 0, u0, epsabs=1e-14, limit=200)[0]
            + quad(f, 2 * u0, 60, epsabs=1e-14, limit=200)[0]
        )
    assert cf.F(np.array(z), gap) == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("a,b", [(0.2, 0.5), (0.3, 0.3000001), (2.0, 0.5), (3.0, 1.7), (1e-9, 0.4)])
def test_second_divided_difference_of_P_is_the_xi_integral(a, b):
    gap = 1.0
    W = lambda x: x * x + gap * gap
    f = lambda x: 1 / (W(x) * (W(x) - a) * (W(x) - b))
    poles = sorted(math.sqrt(r - gap * gap) for r in (a, b) if r > gap * gap)
    if not poles:
        ref = 2 * quad(f, 0, np.inf, epsabs=1e-14, epsrel=1e-12)[0]
    else:
        ref, left = 0.0, 0.0
        for p in poles:
            d = 0.45 * min(p - left, 1.0)
            ref += quad(f, left, p - d, epsabs=1e-14)[0]
            ref += quad(lambda s: f(p + s) + f(p - s), 0, d, epsabs=1e-14)[0]
            left = p + d
        ref = 2 * (ref + quad(f, left, np.inf, epsabs=1e-14)[0])
    assert cf.dd2_P(np.array(a), np.array(b), gap) == pytest.approx(ref, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------- symmetries and limits
@pytest.mark.parametrize("T", [0.0, 0.2])
def test_kernels_are_odd_in_bias_and_vanish_at_zero_bias(T):
    v = np.array([0.37, 1.21, 2.2])
    for fn in (dc_kernel, ac_kernel):
        np.testing.assert_allclose(fn(-v, T, 1.0, 0.7), -fn(v, T, 1.0, 0.7), rtol=1e-13)
        assert fn(0.0, T, 1.0, 0.7) == 0.0


def test_ac_magnetization_vanishes_for_normal_right_lead():
    assert np.all(ac_kernel(np.array([0.2, 1.4, 3.0]), 0.0, 1.0, 0.0) == 0.0)
    assert np.all(ac_kernel(np.array([0.2, 1.4, 3.0]), 0.3, 1.0, 0.0) == 0.0)


def _dc_slope_equal_gaps():
    """dK_dc/d(eV) at eV = 0, T = 0, gaps 1: (1/4) int int dxi_k dxi_p E_k^-3 (E_k + E_p)^-2,
    in xi = sinh u (dxi = E du), where the integrand decays as e^-u (in xi QUADPACK reports
    slow convergence of the 1/xi^2 tail); cut at u = 40 (tail < 1e-17)."""

    def f(up, uk):
        Ek, Ep = math.cosh(uk), math.cosh(up)
        return Ep / (Ek**2 * (Ek + Ep) ** 2)

    return 4 * 0.25 * dblquad(f, 0, 40, 0, 40, epsabs=1e-13, epsrel=1e-11)[0]


def _ac_slope_equal_gaps():
    """dK_ac/d(eV) at eV = 0, T = 0, gaps 1: -int_0^inf int_0^inf (2E_k + E_p)/(E_k^3 E_p (E_k+E_p)^2)
    (whole plane = 4 quadrants, times 1/4): the S29 double integral, with a minus sign."""

    def f(xp, xk):
        Ek, Ep = math.hypot(xk, 1), math.hypot(xp, 1)
        return (2 * Ek + Ep) / (Ek**3 * Ep * (Ek + Ep) ** 2)

    return -dblquad(f, 0, np.inf, 0, np.inf, epsabs=1e-13, epsrel=1e-11)[0]


def test_kernels_are_linear_in_small_bias_at_zero_temperature():
    v = np.array([1e-4, 2e-4, 1e-3])
    for fn, slope in ((dc_kernel, _dc_slope_equal_gaps()), (ac_kernel, _ac_slope_equal_gaps())):
        k = fn(v, 0.0, 1.0, 1.0)
        # K = slope v + O(v^3)
        np.testing.assert_allclose(k / v, slope, rtol=3e-6)


def test_dc_kernel_normal_right_lead_closed_forms():
    """Delta_R = 0, T = 0: K_dc = (Delta^2/4) int dxi E^-3 log((v + E)/|v - E|), whence
    K_dc = pi Delta/(2|v|) for |v| > Delta, and slope pi/4 at small bias (docs/kernels.md)."""
    v = np.array([1.2, 1.5, 2.5, 7.0])
    np.testing.assert_allclose(dc_kernel(v, 0.0, 1.0, 0.0), np.pi / (2 * v), rtol=1e-10)
    assert dc_kernel(1e-4, 0.0, 1.0, 0.0) / 1e-4 == pytest.approx(np.pi / 4, rel=1e-7)


def test_scale_invariance_energies_in_any_unit():
    for fn in (dc_kernel, ac_kernel):
        a = fn(0.8, 0.1, 1.0, 0.6)
        b = fn(0.8 * 3.7, 0.1 * 3.7, 3.7, 0.6 * 3.7)
        assert b == pytest.approx(a, rel=1e-12)


def test_temperature_reduces_to_zero_temperature_limit():
    for fn in (dc_kernel, ac_kernel):
        a = fn(0.6, 0.0, 1.0, 0.7)
        b = fn(0.6, 0.01, 1.0, 0.7)  # corrections ~ exp(-Delta/T) = e^-70
        assert b == pytest.approx(a, rel=1e-12)


# ---------------------------------------------------------------- property-based symmetries


@settings(max_examples=25, deadline=None)
@given(v=st.floats(0.02, 3.5), T=st.sampled_from([0.0, 0.05, 0.3]), gR=st.floats(0.1, 1.5), scale=st.floats(0.1, 10.0))
def test_oddness_and_scale_invariance_for_random_junctions(v, T, gR, scale):
    for kind, fn in (("dc", dc_kernel), ("ac", ac_kernel)):
        if any(abs(v - s) < 1e-3 for s, _ in special_biases(kind, T, 1.0, gR)):
            continue
        k = fn(v, T, 1.0, gR)
        assert fn(-v, T, 1.0, gR) == -k
        # each value is accurate to the kernels' rtol = 1e-8 (their default); the scaled one
        # runs on other quadrature nodes, so the two agree to 2 rtol (hypothesis found 3.8e-9
        # at v = 1.5948, T = 0, Delta_R = 0.484, scale 0.375)
        assert fn(v * scale, T * scale, scale, gR * scale) == pytest.approx(k, rel=2e-8, abs=1e-12)


def test_s29_integral_is_pi_squared_over_8_and_sets_the_ac_slope():
    """(S29): int_0^inf int_0^inf Delta^2/(E_k^3 E_p) (2E_k + E_p)/(E_k + E_p)^2 = pi^2/8 (by an
    independent dblquad in u = asinh(xi/Delta)); the whole-line T = 0 slope of K_ac is
    -(1/4) * 4 * pi^2/8 = -pi^2/8, so "3/16" (S30) is not this integral's coefficient."""
    import math

    from scipy import integrate

    def f(v, u):  # xi = sinh u (Delta = 1): dxi/E = du
        Ek, Ep = math.cosh(u), math.cosh(v)
        return (2 * Ek + Ep) / (Ek**2 * (Ek + Ep) ** 2)

    s29, _ = integrate.dblquad(f, 0, 40, 0, 40, epsabs=1e-13, epsrel=1e-11)
    assert s29 == pytest.approx(math.pi**2 / 8, rel=1e-9)
    eps = 1e-5
    assert ac_kernel(eps, 0.0, 1.0, 1.0) / eps == pytest.approx(-(math.pi**2) / 8, rel=1e-6)
