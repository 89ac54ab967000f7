"""Weak-link models (Eq. 11, S26, S27, S45) and the two time-reversal relations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spintunnel import time_reversed
from spintunnel.links import (
    bent_two_segment,
    link_pair,
    model_pair,
    spin_active,
    straight_rashba_zeeman,
    user_matrix,
)
from spintunnel.spin import SIGMA_X, SIGMA_Y

from strategies import spin_matrices

angles = st.floats(-6.0, 6.0)


@settings(max_examples=40, deadline=None)
@given(spin_matrices())
def test_standard_relation_carries_the_sign_factor_s_s_prime(J):
    # Jbar[-s, -s'] = s s' conj(J[s, s'])  (derived from Theta = i sigma_y K)
    Jbar = time_reversed(J, "standard")
    sign = {0: 1, 1: -1}
    for s in (0, 1):
        for t in (0, 1):
            assert Jbar[1 - s, 1 - t] == pytest.approx(sign[s] * sign[t] * np.conj(J[s, t]))


@settings(max_examples=40, deadline=None)
@given(spin_matrices())
def test_paper_relation_is_the_printed_one_without_sign_factor(J):
    # Eq. (9), (S24), (S42): Jbar[-s, -s'] = conj(J[s, s'])
    Jbar = time_reversed(J, "paper")
    for s in (0, 1):
        for t in (0, 1):
            assert Jbar[1 - s, 1 - t] == pytest.approx(np.conj(J[s, t]))


@settings(max_examples=40, deadline=None)
@given(spin_matrices())
def test_both_relations_are_involutions_but_only_standard_squares_to_minus_one(J):
    for conv in ("standard", "paper"):
        np.testing.assert_allclose(time_reversed(time_reversed(J, conv), conv), J, atol=1e-12)
    # On states: Theta = i sigma_y K gives Theta^2 = (i sigma_y)(i sigma_y)^* = -1 (Kramers);
    # the paper's map sigma_x K gives (sigma_x)(sigma_x)^* = +1.
    theta = 1j * SIGMA_Y
    np.testing.assert_allclose(theta @ theta.conj(), -np.eye(2))
    np.testing.assert_allclose(SIGMA_X @ SIGMA_X.conj(), np.eye(2))


def test_unknown_convention_is_a_clear_error():
    with pytest.raises(ValueError, match="convention"):
        time_reversed(np.eye(2), "kramers")
    with pytest.raises(ValueError, match="convention"):
        link_pair(np.eye(2), convention="Standard")


@settings(max_examples=40, deadline=None)
@given(angles, angles, st.sampled_from(["z", "y"]))
def test_bent_links_are_unitary_and_time_reversal_invariant(kso_d, theta, field):
    J = bent_two_segment(kso_d, theta, field)
    np.testing.assert_allclose(J @ J.conj().T, np.eye(2), atol=1e-12)
    # a spin-orbit link without field is its own standard time-reversed partner
    np.testing.assert_allclose(time_reversed(J, "standard"), J, atol=1e-12)


def test_bent_link_with_z_field_is_not_its_own_partner_under_the_paper_relation():
    J = bent_two_segment(1.1, 0.4, "z")
    assert np.abs(time_reversed(J, "paper") - J).max() > 0.1


@settings(max_examples=40, deadline=None)
@given(angles, st.floats(-0.5, 0.5), st.floats(0.1, 10.0))
def test_straight_link_at_zero_field_is_a_rashba_rotation(kso_d, b, q):
    J0 = straight_rashba_zeeman(kso_d, 0.0, q)
    # -exp(i k_so d sigma_z), as in Eq. (11)
    np.testing.assert_allclose(J0, -np.diag([np.exp(1j * kso_d), np.exp(-1j * kso_d)]), atol=1e-12)
    # linear in b
    Jb = straight_rashba_zeeman(kso_d, b, q)
    J2b = straight_rashba_zeeman(kso_d, 2 * b, q) if abs(2 * b) < 1 else None
    if J2b is not None:
        np.testing.assert_allclose(J2b - J0, 2 * (Jb - J0), atol=1e-12)


def test_straight_link_printed_amplitude_is_not_time_reversal_consistent():
    """S45 as a momentum-independent amplitude: its standard partner at -B differs from
    J(B) by w -> conj(w) in the sigma_y term (w = cos - i sqrt(k_F^2+k_so^2)/k_so sin)."""
    kso_d, b, q = 0.8, 1e-2, 2.0
    J, Jbar = model_pair(straight_rashba_zeeman, convention="standard", kso_d=kso_d, b=b, kf_over_kso=q)
    r = np.sqrt(1 + q * q)
    expected = J - b * SIGMA_Y * (-2j * r * np.sin(kso_d))  # J with w replaced by conj(w)
    np.testing.assert_allclose(Jbar, expected, atol=1e-12)


def test_model_pair_reverses_only_the_field():
    J, Jbar = model_pair(straight_rashba_zeeman, convention="paper", kso_d=0.3, b=0.01, kf_over_kso=2.0)
    np.testing.assert_allclose(Jbar, time_reversed(straight_rashba_zeeman(0.3, -0.01, 2.0), "paper"))
    J, Jbar = model_pair(bent_two_segment, convention="paper", kso_d=0.3, theta=0.2)
    np.testing.assert_allclose(Jbar, time_reversed(J, "paper"))


def test_spin_active_link_is_a_plus_b_dot_sigma():
    J = spin_active(0.5 + 0.1j, [0.2, -0.3j, 0.4])
    expected = np.array([[0.5 + 0.1j + 0.4, 0.2 - 0.3], [0.2 + 0.3, 0.5 + 0.1j - 0.4]])
    np.testing.assert_allclose(J, expected, atol=1e-15)


def test_user_matrix_and_link_pair_without_field():
    J = user_matrix([[1, 2j], [0.5, -1]])
    J_, Jbar = link_pair(J, convention="standard")
    np.testing.assert_allclose(Jbar, SIGMA_Y @ J.conj() @ SIGMA_Y)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: straight_rashba_zeeman(np.nan, 0.0, 1.0), "kso_d"),
        (lambda: straight_rashba_zeeman(1.0, 1.5, 1.0), "b"),
        (lambda: straight_rashba_zeeman(1.0, 0.0, -1.0), "kf_over_kso"),
        (lambda: straight_rashba_zeeman(1.0, 0.0, np.inf), "kf_over_kso"),
        (lambda: bent_two_segment(1.0, np.inf), "theta"),
        (lambda: bent_two_segment(1.0, 0.1, field="x"), "field"),
        (lambda: spin_active(np.nan, [0, 0, 0]), "a"),
        (lambda: spin_active(1.0, [0, 0]), "b"),
        (lambda: user_matrix(np.ones((3, 3))), "J"),
        (lambda: user_matrix([[1, 0], [0, np.nan]]), "J"),
        (lambda: link_pair(np.eye(2), np.ones((2, 3))), "J_reversed_field"),
    ],
)
def test_bad_link_parameters_name_the_parameter_and_range(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_model_pair_rejects_a_non_model():
    with pytest.raises(ValueError, match="link model"):
        model_pair(np.eye, convention="standard", N=2)
