"""Channel-resolved parts (destructive interference) and non-constant densities of states."""

import math
import warnings

import numpy as np
import pytest
from scipy.integrate import dblquad

from spintunnel.kernels import CallableDOS, ConstantDOS, LinearDOS, ac_kernel, channel_kernels, dc_kernel


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_ac_channels_cancel_pairwise_at_zero_bias_and_not_at_finite_bias():
    ch0 = channel_kernels("ac", 0.0, 0.0, 1.0, 1.0)
    for name, value in ch0.items():
        assert abs(value) > 0.1, name  # every channel is non-zero ...
    assert abs(ch0["ee"] + ch0["hh"]) < 1e-12  # ... but they cancel pairwise (Discussion)
    assert abs(ch0["eh"] + ch0["he"]) < 1e-12
    ch = channel_kernels("ac", 0.3, 0.0, 1.0, 1.0)
    assert abs(ch["ee"] + ch["hh"]) > 0.1  # the bias lifts the cancellation
    assert abs(ch["eh"] + ch["he"]) > 0.1
    assert sum(ch.values()) == pytest.approx(ac_kernel(0.3, 0.0, 1.0, 1.0), rel=1e-9)


def test_ac_channel_at_zero_bias_against_independent_quadrature():
    """ee part at V = 0, T = 0: int_0^inf int_0^inf Delta^2/(4 E_k E_p) xi_k/E_k^2 (2E_k+E_p)/(E_k+E_p)^2."""

    def f(xp, xk):
        Ek, Ep = math.hypot(xk, 1), math.hypot(xp, 1)
        return xk * (2 * Ek + Ep) / (4 * Ek**3 * Ep * (Ek + Ep) ** 2)

    ref = dblquad(f, 0, np.inf, 0, np.inf, epsabs=1e-13, epsrel=1e-11)[0]
    assert channel_kernels("ac", 0.0, 0.0, 1.0, 1.0)["ee"] == pytest.approx(ref, rel=1e-8)


@pytest.mark.parametrize("T", [0.0, 0.2])
def test_dc_channels_cancel_pairwise_at_zero_bias_with_finite_band(T):
    ch0 = channel_kernels("dc", 0.0, T, 1.0, 0.7, band=40.0)
    for name, value in ch0.items():
        assert abs(value) > 0.1, name
    assert abs(ch0["ee"] + ch0["hh"]) < 1e-10
    assert abs(ch0["eh"] + ch0["he"]) < 1e-10
    ch = channel_kernels("dc", 0.4, T, 1.0, 0.7, band=40.0)
    assert abs(ch["ee"] + ch["hh"]) > 0.05
    full = dc_kernel(0.4, T, 1.0, 0.7, band=40.0)
    assert sum(ch.values()) == pytest.approx(full, rel=1e-9)


def test_dc_channel_parts_need_a_band_limit():
    with pytest.raises(ValueError, match="band"):
        dc_kernel(0.2, 0.0, 1.0, 1.0, channel="ee")


@pytest.mark.parametrize("fn", [dc_kernel, ac_kernel])
def test_finite_band_converges_to_infinite_band_as_one_over_band(fn):
    inf = fn(0.5, 0.0, 1.0, 0.7)
    d1 = fn(0.5, 0.0, 1.0, 0.7, band=1e3) - inf
    d4 = fn(0.5, 0.0, 1.0, 0.7, band=4e3) - inf
    assert abs(d1) < 1e-2 * abs(inf)
    assert d1 / d4 == pytest.approx(4.0, rel=0.05)


def test_electron_hole_asymmetry_gives_static_magnetization_at_zero_bias():
    """N(xi) = N0 (1 + a xi/W): the odd terms survive, K_dc(V = 0) != 0, linear in a; the
    symmetric band (a = 0) gives zero."""
    W = 20.0
    k = {
        a: dc_kernel(0.0, 0.0, 1.0, 1.0, dos_left=LinearDOS(a, W), dos_right=LinearDOS(a, W))
        for a in (-0.2, -0.1, 0.0, 0.1, 0.2)
    }
    assert abs(k[0.0]) < 1e-12
    assert abs(k[0.1]) > 1e-3
    # N_L N_R = 1 + a (xi_k + xi_p)/W + a^2 xi_k xi_p/W^2: the part odd in a is exactly linear
    assert k[0.2] - k[-0.2] == pytest.approx(2 * (k[0.1] - k[-0.1]), rel=1e-9)
    # asymmetry of the right lead alone drives the dc term (odd xi_p/E_p term)
    kr = dc_kernel(0.0, 0.0, 1.0, 1.0, dos_left=ConstantDOS(W), dos_right=LinearDOS(0.1, W))
    assert abs(kr) > 1e-3
    # and of the left lead alone the ac term (odd xi_k term)
    kl = ac_kernel(0.0, 0.0, 1.0, 1.0, dos_left=LinearDOS(0.1, W), dos_right=ConstantDOS(W))
    assert abs(kl) > 1e-3


def test_callable_dos_reproduces_linear_dos():
    W, a = 15.0, 0.25
    lin = dc_kernel(0.3, 0.1, 1.0, 0.8, dos_left=LinearDOS(a, W), dos_right=LinearDOS(a, W))
    f = lambda xi: 1 + a * np.asarray(xi) / W
    call = dc_kernel(0.3, 0.1, 1.0, 0.8, dos_left=CallableDOS(f, W), dos_right=CallableDOS(f, W))
    assert call == pytest.approx(lin, rel=1e-13)
