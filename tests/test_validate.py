"""The paper's printed formulas on discrete levels, and `spintunnel validate`."""

import numpy as np
import pytest
from click.testing import CliRunner

from spintunnel import ac_kernel, dc_kernel, spin_factor_ac, spin_factor_dc
from spintunnel.cli import main
from spintunnel.exact import FiniteJunction
from spintunnel.exact.printed import printed_second_order

BAND = 200.0


def quadrature_levels(gap, n=200):
    """Levels xi = gap sinh u at Gauss-Legendre nodes in u on |xi| < BAND, and weights d xi."""
    u_max = np.arcsinh(BAND / gap)
    x, w = np.polynomial.legendre.leggauss(n)
    u, wu = u_max * x, u_max * w
    return gap * np.sinh(u), gap * np.cosh(u) * wu


def _printed_sectors(xl, wl, xr, wr, gl, gr, T, bias, J, Jbar):
    """The printed second order (exact/printed.py) of the levels x with weights w: hopping
    t_nm^2 = w_n w_m, only the (k, p) block J and the (-k, -p) block Jbar."""
    zero = np.zeros((2, 2))
    junction = FiniteJunction(
        xl,
        xr,
        gl,
        gr,
        temperature=T,
        bias=bias,
        phi0=0.0,
        blocks={"pp": J, "pm": zero, "mp": zero, "mm": Jbar},
        hopping=np.sqrt(np.outer(wl, wr)),
    )
    return printed_second_order(junction)


@pytest.mark.parametrize("bias, T, gl, gr", [(0.37, 0.0, 1.0, 0.8), (0.37, 0.0, 1.0, 1.5), (0.5, 0.0, 0.7, 1.0)])
def test_printed_sums_on_quadrature_levels_reproduce_the_kernels(bias, T, gl, gr):
    """Independent implementations: plain sums of the printed brackets (exact/printed.py)
    against the closed-form kernels (kernels/). With t_nm^2 = w_n w_m the sector sum is the
    printed double integral on the band |xi| < BAND, so sector k = K_dc Y(J, Jbar) and
    K_ac X(J, Jbar) with the kernels' own finite band."""
    xl, wl = quadrature_levels(gl)
    xr, wr = quadrature_levels(gr)
    rng = np.random.default_rng(4)
    J = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
    Jbar = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
    pr = _printed_sectors(xl, wl, xr, wr, gl, gr, T, bias, J, Jbar)
    np.testing.assert_allclose(
        pr.static_sector[0], dc_kernel(bias, T, gl, gr, band=BAND) * spin_factor_dc(J, Jbar).real, rtol=1e-9
    )
    np.testing.assert_allclose(
        pr.harmonic_sector[0], ac_kernel(bias, T, gl, gr, band=BAND) * spin_factor_ac(J, Jbar), rtol=1e-9
    )
    # and the -k sector cancels it
    np.testing.assert_allclose(pr.static_sector[1], -pr.static_sector[0], rtol=1e-12)


def test_validate_command_passes_every_check():
    res = CliRunner().invoke(main, ["validate", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "0 failed" in res.output and "FAIL " not in res.output


# T = 0 only: at T > 0 the printed bracket has poles E_p = E_k +- eV inside the domain, and a
# plain discrete sum cannot take their principal value (the general path is checked there
# against the fast path, tests/test_kernels_*.py)
@pytest.mark.parametrize("bias, T", [(0.37, 0.0), (0.0, 0.0), (0.6, 0.0)])
def test_printed_sums_reproduce_the_kernels_with_an_asymmetric_dos(bias, T):
    """N(xi) = N0 (1 + a xi/W) folded into the hopping weights: the odd terms (xi_p/E_p,
    xi_k) survive, e.g. K_dc(V = 0) != 0; the kernels' general path agrees to 1e-9."""
    from spintunnel.kernels import LinearDOS

    a, gl, gr = 0.3, 1.0, 0.8
    xl, wl = quadrature_levels(gl)
    xr, wr = quadrature_levels(gr)
    wl, wr = wl * (1 + a * xl / BAND), wr * (1 + a * xr / BAND)
    J = np.diag([1.3, 0.7]).astype(complex)
    Jbar = np.eye(2, dtype=complex)
    pr = _printed_sectors(xl, wl, xr, wr, gl, gr, T, bias, J, Jbar)
    dos = dict(dos_left=LinearDOS(a, BAND), dos_right=LinearDOS(a, BAND))
    k_dc = dc_kernel(bias, T, gl, gr, **dos)
    assert abs(k_dc) > 1e-4  # non-zero even at V = 0
    np.testing.assert_allclose(pr.static_sector[0], k_dc * spin_factor_dc(J, Jbar).real, rtol=1e-9)
    np.testing.assert_allclose(
        pr.harmonic_sector[0], ac_kernel(bias, T, gl, gr, **dos) * spin_factor_ac(J, Jbar), rtol=1e-9, atol=1e-15
    )
