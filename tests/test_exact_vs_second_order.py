"""The exact finite-level solver against exact discrete second order (the referee).

|M_exact - M_2nd| must shrink as t0^4 while the signal scales as t0^2, for the static
part and for the 2eV harmonic, at T = 0 and T > 0, equal and unequal gaps, a normal
lead on either side, random amplitude blocks and spin-filtering blocks.
"""

import numpy as np
import pytest

from spintunnel.exact import FiniteJunction, default_levels, discrete_second_order, evolve, fit_harmonics
from spintunnel.exact.perturbation import smallest_denominator
from spintunnel.links import straight_rashba_zeeman
from spintunnel.spin import PAULI


def _random_blocks(seed):
    rng = np.random.default_rng(seed)
    out = {}
    for key in ("pp", "pm", "mp", "mm"):
        J = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
        out[key] = J / np.linalg.norm(J, 2)
    return out


def _spin_filter(z=0.3):
    return np.diag([1 + z, 1 - z]).astype(complex)


def _a_plus_b_sigma(seed=3):
    rng = np.random.default_rng(seed)
    a = complex(*rng.normal(size=2))
    b = rng.normal(size=3) + 1j * rng.normal(size=3)
    J = a * np.eye(2) + np.einsum("i,ijk->jk", b, PAULI)
    return J / np.linalg.norm(J, 2)


# name: (gap_left, gap_right, temperature, blocks, hopping scales, ramp_time)
CASES = {
    "T0_equal_gaps_random": (1.0, 1.0, 0.0, _random_blocks(1), (0.01, 0.02, 0.04), 40.0),
    "T0_unequal_gaps_spin_filter": (1.0, 0.7, 0.0, _spin_filter(), (0.01, 0.02, 0.04), 40.0),
    "T_pos_unequal_random": (1.0, 0.8, 0.3, _random_blocks(2), (0.008, 0.012, 0.018), 200.0),
    "normal_right_a_plus_b_sigma": (1.0, 0.0, 0.1, _a_plus_b_sigma(), (0.01, 0.02, 0.04), 60.0),
    "normal_left_random": (0.0, 1.0, 0.0, _random_blocks(4), (0.01, 0.02, 0.04), 60.0),
    # the paper's straight Rashba + Zeeman link (Eq. 11), momentum independent: all blocks equal
    "paper_straight_link_T0": (1.0, 0.8, 0.0, straight_rashba_zeeman(1.0, 0.3, 3.0), (0.01, 0.02, 0.04), 40.0),
}

LEVEL_SEEDS = (2, 55)


def _junction(gl, gr, T, blocks):
    return FiniteJunction(
        default_levels(3, seed=LEVEL_SEEDS[0]),
        default_levels(3, seed=LEVEL_SEEDS[1]),
        gl,
        gr,
        temperature=T,
        bias=0.37,
        phi0=0.3,
        blocks=blocks,
        hopping=1.0,
    )


def _exact_and_second(junction, ramp_time):
    """Sector-resolved (static, harmonic) from both methods, shapes (2, 3)."""
    res = evolve(junction, ramp_time=ramp_time, n_periods=6, samples_per_period=32, max_step=0.05)
    fit = fit_harmonics(res.times, res.magnetization_sector.reshape(len(res.times), -1), 2 * junction.bias, 2)
    so = discrete_second_order(junction)
    exact = (fit.static.reshape(2, 3), fit.harmonic(1).reshape(2, 3))
    # fit_harmonics' c_1 multiplies e^{2ieVt}; second order's multiplies e^{i(phi0+2eVt)}
    pert = (so.static_sector, so.harmonic_sector * np.exp(1j * junction.phi0))
    return exact, pert


def _slope(x, y):
    return np.polyfit(np.log(x), np.log(y), 1)[0]


@pytest.mark.parametrize("name", list(CASES))
def test_exact_minus_second_order_scales_as_t0_to_the_fourth(name):
    gl, gr, T, blocks, scales, ramp = CASES[name]
    base = _junction(gl, gr, T, blocks)
    assert smallest_denominator(base) > 0.25  # generic levels: no near resonance
    diff_static, diff_harm, sig_static, sig_harm, pert_harm = [], [], [], [], []
    for t0 in scales:
        (es, eh), (ps, ph) = _exact_and_second(base.scaled(t0), ramp)
        diff_static.append(np.abs(es - ps).max())
        diff_harm.append(np.abs(eh - ph).max())
        sig_static.append(np.abs(es).max())
        sig_harm.append(np.abs(eh).max())
        pert_harm.append(np.abs(ph).max() / np.abs(ps).max())
    assert abs(_slope(scales, sig_static) - 2) < 0.1
    assert abs(_slope(scales, diff_static) - 4) < 0.2
    if gl > 0 and gr > 0:
        # pair transfer: harmonic is second order (or, for equal blocks, fourth order)
        assert abs(_slope(scales, diff_harm) - 4) < 0.2
        if pert_harm[0] > 1e-6:
            assert abs(_slope(scales, sig_harm) - 2) < 0.1
    else:
        # a normal lead: the bias phase can be gauged into that lead's chemical
        # potential, H is static, no harmonic at any order (only ramp remnants)
        assert max(pert_harm) == 0
        assert max(h / s for h, s in zip(sig_harm, sig_static, strict=True)) < 1e-4


def test_pair_transfer_harmonic_cancels_between_k_and_minus_k():
    """Second order: each sector has a 2eV harmonic, the two sectors cancel exactly.

    The triplet pair amplitude is odd under (k, -k) while the left condensate it
    interferes with is even, so sum_k of Eq. (13)-type spin factors vanishes; the
    total harmonic of M_L starts at t0^4.
    """
    gl, gr, T, blocks, scales, ramp = CASES["T0_equal_gaps_random"]
    so = discrete_second_order(_junction(gl, gr, T, blocks).scaled(0.02))
    per_sector = np.abs(so.harmonic_sector).max()
    assert per_sector > 1e-5
    assert np.abs(so.harmonic).max() < 1e-12 * per_sector
    assert np.allclose(so.harmonic_sector[0], -so.harmonic_sector[1], atol=1e-14)
    # the exact solver agrees: the total harmonic is fourth order, the sectors second
    total, sector = [], []
    for t0 in (0.02, 0.04):
        res = evolve(
            _junction(gl, gr, T, blocks).scaled(t0), ramp_time=ramp, n_periods=6, samples_per_period=32, max_step=0.05
        )
        total.append(np.abs(res.harmonics().harmonic(1)).max())
        sector.append(
            np.abs(fit_harmonics(res.times, res.magnetization_sector[:, 0], 2 * res.bias, 2).harmonic(1)).max()
        )
    assert abs(np.log2(total[1] / total[0]) - 4) < 0.2
    assert abs(np.log2(sector[1] / sector[0]) - 2) < 0.1
    assert total[0] < 0.01 * sector[0]


def test_second_order_time_trace_follows_exact_trace():
    """M_L(t) sample by sample (static + harmonic), weak tunnelling, T > 0."""
    gl, gr, T, blocks, scales, ramp = CASES["T_pos_unequal_random"]
    j = _junction(gl, gr, T, blocks).scaled(scales[0])
    res = evolve(j, ramp_time=ramp, n_periods=2, samples_per_period=32, max_step=0.05)
    so = discrete_second_order(j)
    pert = so.magnetization(res.times)
    assert pert.shape == res.magnetization.shape
    scale = np.abs(res.magnetization).max()
    assert np.abs(pert - res.magnetization).max() < 5e-3 * scale


def _mirror_levels(n=24, stretch=1.0, asymmetry=0.0):
    """Levels symmetric about the Fermi level, then distorted by an even term a xi^2
    (electron-hole asymmetric level density for a != 0)."""
    half = np.geomspace(0.05, 4, n // 2) * stretch
    xi = np.concatenate([-half[::-1], half])
    return xi + asymmetry * xi**2


def test_electron_hole_asymmetric_levels_give_static_magnetization_at_zero_bias():
    """The paper's claim (Discussion): an intrinsic e-h imbalance magnetizes the lead without
    bias. In the Hamiltonian it holds for a spin-filtering link: second order ~ t0^2, zero for
    mirror-symmetric levels, and the exact equilibrium state tends to it as t0 -> 0."""
    F = np.diag([1.3, 0.7]).astype(complex)

    def junction(a, t0):
        return FiniteJunction(
            _mirror_levels(asymmetry=a),
            _mirror_levels(stretch=1.07, asymmetry=a),
            1.0,
            0.8,
            temperature=0.0,
            bias=0.0,
            phi0=0.0,
            blocks=F,
            hopping=t0,
        )

    assert abs(discrete_second_order(junction(0.0, 0.01)).static[2]) < 1e-15
    m = [discrete_second_order(junction(0.1, t0)).static[2] for t0 in (0.005, 0.01)]
    assert abs(m[0]) > 1e-6
    assert m[1] / m[0] == pytest.approx(4.0, rel=1e-9)
    from spintunnel.exact.symmetry import equilibrium_magnetization

    ratios = [
        equilibrium_magnetization(junction(0.1, t0)).sum(0)[2] / discrete_second_order(junction(0.1, t0)).static[2]
        for t0 in (0.0025, 0.005)
    ]
    assert abs(1 - ratios[0]) < abs(1 - ratios[1]) < 0.1
