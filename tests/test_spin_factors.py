"""Spin factors X (Eq. 13, S23) and Y (Eq. 7-8, S39): definitions, closed forms, identities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spintunnel import spin_factor_ac, spin_factor_dc
from spintunnel.spin import EPSILON, PAULI, rotation_so3

from strategies import spin_matrices, su2_rotations

SIGNS = {0: 1, 1: -1}
FLIP = {0: 1, 1: 0}


def x_by_loops(J, Jbar):
    """Eq. (13) written out literally, as an independent check of the einsum code."""
    out = np.zeros(3, complex)
    for i in range(3):
        for s in (0, 1):
            for t in (0, 1):
                for u in (0, 1):
                    out[i] += SIGNS[s] * PAULI[i, s, t] * SIGNS[u] * J[t, u] * Jbar[FLIP[s], FLIP[u]]
    return out


def y_by_loops(J, Jbar):
    """Eq. (S39) written out literally (second term relabelled p -> -p, s'' -> -s'')."""
    out = np.zeros(3, complex)
    for i in range(3):
        for s in (0, 1):
            for t in (0, 1):
                for u in (0, 1):
                    direct = np.conj(J[s, u]) * J[t, u]
                    partner = SIGNS[s] * SIGNS[t] * np.conj(Jbar[FLIP[t], FLIP[u]]) * Jbar[FLIP[s], FLIP[u]]
                    out[i] += PAULI[i, s, t] * (direct + partner)
    return out


def x_closed_form(J, Jbar):
    """X = -Tr(sigma J eps Jbar^T eps) (docs/spin_factors.md)."""
    return np.array([-np.trace(P @ J @ EPSILON @ Jbar.T @ EPSILON) for P in PAULI])


def y_closed_form(J, Jbar):
    """Y = Tr(sigma J J^dag) - Tr(sigma Jbar Jbar^dag) (docs/spin_factors.md)."""
    return np.array([np.trace(P @ J @ J.conj().T) - np.trace(P @ Jbar @ Jbar.conj().T) for P in PAULI])


@settings(max_examples=60, deadline=None)
@given(spin_matrices(), spin_matrices())
def test_spin_factors_equal_their_index_sum_definitions(J, Jbar):
    np.testing.assert_allclose(spin_factor_ac(J, Jbar), x_by_loops(J, Jbar), atol=1e-12)
    np.testing.assert_allclose(spin_factor_dc(J, Jbar), y_by_loops(J, Jbar), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(spin_matrices(), spin_matrices())
def test_closed_matrix_forms_equal_the_index_sums(J, Jbar):
    np.testing.assert_allclose(x_by_loops(J, Jbar), x_closed_form(J, Jbar), atol=1e-11)
    np.testing.assert_allclose(y_by_loops(J, Jbar), y_closed_form(J, Jbar), atol=1e-11)


@settings(max_examples=60, deadline=None)
@given(spin_matrices())
def test_any_2x2_matrix_maps_the_singlet_to_det_times_singlet(A):
    # A (i sigma_y) A^T = det(A) (i sigma_y): two electrons tunnelling with the same
    # amplitude A keep a singlet a singlet (pair amplitude multiplied by det A).
    np.testing.assert_allclose(A @ EPSILON @ A.T, np.linalg.det(A) * EPSILON, atol=1e-11)


@settings(max_examples=40, deadline=None)
@given(spin_matrices())
def test_momentum_independent_amplitude_has_no_triplet_pair_and_no_dc_factor(J):
    # Jbar = J (one amplitude for all momenta): the pair amplitude J eps J^T is a singlet,
    # so the ac spin factor vanishes, and the two dc terms cancel.
    np.testing.assert_allclose(spin_factor_ac(J, J), 0, atol=1e-11)
    np.testing.assert_allclose(spin_factor_dc(J, J), 0, atol=1e-11)


@settings(max_examples=60, deadline=None)
@given(spin_matrices(), spin_matrices())
def test_spin_factors_are_odd_under_exchange_of_k_p_and_minus_k_minus_p(J, Jbar):
    np.testing.assert_allclose(spin_factor_ac(Jbar, J), -spin_factor_ac(J, Jbar), atol=1e-11)
    np.testing.assert_allclose(spin_factor_dc(Jbar, J), -spin_factor_dc(J, Jbar), atol=1e-11)


def test_printed_formulas_summed_over_all_momenta_cancel_pairwise():
    """Eq. (4) sums over every k and p. The printed kernels depend on xi_k, xi_p only, the
    same for (k, p) and (-k, -p), while X and Y change sign: the sums vanish for any
    momentum-dependent amplitude J_{k,p}."""
    rng = np.random.default_rng(7)
    n_left, n_right = 5, 4
    # amplitude blocks J[a, n, b, m] for momenta a*k_n, b*p_m (a, b = 0: +, 1: -)
    J = rng.normal(size=(2, n_left, 2, n_right, 2, 2)) + 1j * rng.normal(size=(2, n_left, 2, n_right, 2, 2))
    kernel = rng.normal(size=(n_left, n_right))  # any function of (xi_k, xi_p)
    total_ac = np.zeros(3, complex)
    total_dc = np.zeros(3, complex)
    one_term = 0.0
    for a in (0, 1):
        for b in (0, 1):
            for n in range(n_left):
                for m in range(n_right):
                    X = spin_factor_ac(J[a, n, b, m], J[1 - a, n, 1 - b, m])
                    Y = spin_factor_dc(J[a, n, b, m], J[1 - a, n, 1 - b, m])
                    total_ac += kernel[n, m] * X
                    total_dc += kernel[n, m] * Y
                    one_term = max(one_term, np.abs(kernel[n, m] * X).max())
    assert one_term > 0.1  # the single terms are not small
    np.testing.assert_allclose(total_ac, 0, atol=1e-12 * one_term * 100)
    np.testing.assert_allclose(total_dc, 0, atol=1e-12 * one_term * 100)


@settings(max_examples=60, deadline=None)
@given(spin_matrices(), spin_matrices(), su2_rotations())
def test_spin_factors_rotate_as_vectors_under_a_global_spin_rotation(J, Jbar, R):
    O = rotation_so3(R)
    np.testing.assert_allclose(O @ O.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(O) == pytest.approx(1.0)
    Jr, Jbar_r = R @ J @ R.conj().T, R @ Jbar @ R.conj().T
    np.testing.assert_allclose(spin_factor_ac(Jr, Jbar_r), O @ spin_factor_ac(J, Jbar), atol=1e-10)
    np.testing.assert_allclose(spin_factor_dc(Jr, Jbar_r), O @ spin_factor_dc(J, Jbar), atol=1e-10)


def test_rotation_about_z_by_quarter_turn_maps_x_to_y():
    # Independent hand value: R = exp(-i pi/4 sigma_z) rotates a spin vector by +90 deg about z.
    R = np.diag([np.exp(-1j * np.pi / 4), np.exp(1j * np.pi / 4)])
    np.testing.assert_allclose(rotation_so3(R) @ [1, 0, 0], [0, 1, 0], atol=1e-12)


def test_dc_factor_is_real_and_batches():
    rng = np.random.default_rng(3)
    J = rng.normal(size=(6, 2, 2)) + 1j * rng.normal(size=(6, 2, 2))
    Jbar = rng.normal(size=(6, 2, 2)) + 1j * rng.normal(size=(6, 2, 2))
    Y = spin_factor_dc(J, Jbar)
    assert Y.shape == (6, 3)
    np.testing.assert_allclose(Y.imag, 0, atol=1e-12)
    for i in range(6):
        np.testing.assert_allclose(Y[i], y_closed_form(J[i], Jbar[i]), atol=1e-11)


@pytest.mark.parametrize("bad", [np.eye(3), [[1, 0], [0, np.nan]], [[1, 0], [0, np.inf]], "spin", [1, 2]])
def test_bad_amplitudes_are_rejected_with_a_clear_error(bad):
    with pytest.raises(ValueError, match="J"):
        spin_factor_ac(bad, np.eye(2))
    with pytest.raises(ValueError, match="Jbar"):
        spin_factor_dc(np.eye(2), bad)


def test_rotation_must_be_unitary():
    with pytest.raises(ValueError, match="unitary"):
        rotation_so3([[1, 1], [0, 1]])


@given(st.floats(0.01, 3.0))
def test_spin_filter_gives_dc_factor_along_its_axis(z):
    # J = diag(1+z, 1-z) (|amplitude| depends on spin), Jbar = 1: Y = Tr(sigma J J^dag) - 0
    # = 2 [(1+z)^2 - (1-z)^2]/2 z_hat = 4 z z_hat (hand value).
    J = np.diag([1 + z, 1 - z])
    np.testing.assert_allclose(spin_factor_dc(J, np.eye(2)), [0, 0, 4 * z], atol=1e-12)
