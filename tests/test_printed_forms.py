"""The paper's printed closed forms against the definitions, each under the convention
with which it was derived, and what the standard time-reversal relation gives instead.
Every finding here is written down in docs/spin_factors.md."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spintunnel import printed, spin_factor_ac, spin_factor_dc, time_reversed
from spintunnel.links import bent_two_segment, model_pair, straight_rashba_zeeman
from spintunnel.spin import PAULI, SIGMA_0

from strategies import spin_matrices

angles = st.floats(-6.0, 6.0)


def ac_term(X, phase):
    """X e^{i phase} + c.c., the spin part of M_ac(t) (S23)."""
    return 2 * np.real(np.exp(1j * phase) * X)


# ---- bent link, Rashba field along z: Eq. (15) = (S28) -------------------------------------


@settings(max_examples=50, deadline=None)
@given(angles, angles, angles)
def test_eq15_s28_holds_under_the_paper_relation(kso_d, theta, phase):
    J, Jbar = model_pair(bent_two_segment, convention="paper", kso_d=kso_d, theta=theta, field="z")
    np.testing.assert_allclose(
        ac_term(spin_factor_ac(J, Jbar), phase), printed.ac_term_bent_z(kso_d, theta, phase), atol=1e-11
    )


@settings(max_examples=50, deadline=None)
@given(angles, angles)
def test_eq15_s28_vanishes_under_the_standard_relation(kso_d, theta):
    J, Jbar = model_pair(bent_two_segment, convention="standard", kso_d=kso_d, theta=theta, field="z")
    np.testing.assert_allclose(spin_factor_ac(J, Jbar), 0, atol=1e-12)


def test_eq15_is_not_zero_at_a_generic_point():
    # guards the two tests above against a trivially vanishing printed form
    assert np.abs(printed.ac_term_bent_z(1.0, 0.5, 0.7)).max() > 0.5


@settings(max_examples=50, deadline=None)
@given(angles, angles, st.sampled_from(["standard", "paper"]))
def test_s27_field_along_y_gives_no_ac_factor_under_both_relations(kso_d, theta, conv):
    J, Jbar = model_pair(bent_two_segment, convention=conv, kso_d=kso_d, theta=theta, field="y")
    np.testing.assert_allclose(spin_factor_ac(J, Jbar), printed.ac_term_bent_y(kso_d, theta, 0.0), atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(angles, angles, st.sampled_from(["z", "y"]), st.sampled_from(["standard", "paper"]))
def test_bent_links_have_no_dc_factor(kso_d, theta, field, conv):
    # "for the two scenarios described above (S26, S27) the dc magnetization vanishes"
    J, Jbar = model_pair(bent_two_segment, convention=conv, kso_d=kso_d, theta=theta, field=field)
    np.testing.assert_allclose(spin_factor_dc(J, Jbar), 0, atol=1e-12)


# ---- general time-reversal-symmetric links: (S25), Eq. (14), (S41) --------------------------


@settings(max_examples=50, deadline=None)
@given(spin_matrices(), angles)
def test_s25_x_and_z_hold_under_the_paper_relation(J, phase):
    exact = ac_term(spin_factor_ac(J, time_reversed(J, "paper")), phase)
    s25 = printed.ac_term_s25(J, phase)
    np.testing.assert_allclose(s25[[0, 2]], exact[[0, 2]], atol=1e-10)


def corrected_s25_y(J, phase):
    """y component that (S24) gives: 4 sin(phase) Re(J_uu J*_du - J_ud J*_dd)."""
    return 4 * np.sin(phase) * np.real(J[0, 0] * np.conj(J[1, 0]) - J[0, 1] * np.conj(J[1, 1]))


@settings(max_examples=50, deadline=None)
@given(spin_matrices(), angles)
def test_s25_corrected_y_component_holds(J, phase):
    exact = ac_term(spin_factor_ac(J, time_reversed(J, "paper")), phase)
    assert exact[1] == pytest.approx(corrected_s25_y(J, phase), abs=1e-10)


def test_s25_y_component_as_printed_does_not_hold():
    J = np.array([[0.3 + 0.2j, -0.7 + 0.4j], [1.1 - 0.5j, 0.2 + 0.9j]])
    phase = 0.8
    exact = ac_term(spin_factor_ac(J, time_reversed(J, "paper")), phase)
    assert abs(printed.ac_term_s25(J, phase)[1] - exact[1]) > 0.1


def test_eq14_z_holds_but_x_and_y_do_not():
    J = np.array([[0.3 + 0.2j, -0.7 + 0.4j], [1.1 - 0.5j, 0.2 + 0.9j]])
    phase = 0.8
    exact = ac_term(spin_factor_ac(J, time_reversed(J, "paper")), phase)
    eq14 = printed.ac_term_eq14(J, phase)
    assert eq14[2] == pytest.approx(exact[2], abs=1e-12)
    # y is twice the true value; x carries a wrong relative sign between its two terms
    assert eq14[1] == pytest.approx(2 * exact[1], abs=1e-12)
    assert abs(eq14[0] - exact[0]) > 0.1


@settings(max_examples=50, deadline=None)
@given(spin_matrices())
def test_s41_holds_under_the_paper_relation(J):
    np.testing.assert_allclose(spin_factor_dc(J, time_reversed(J, "paper")), printed.dc_factor_s41(J), atol=1e-10)


@settings(max_examples=50, deadline=None)
@given(spin_matrices())
def test_under_the_standard_relation_the_dc_factor_is_twice_tr_sigma_j_jdag(J):
    # Y = Tr(sigma J J^dag) - Tr(sigma Jbar Jbar^dag) with Jbar = sigma_y J^* sigma_y
    # = 2 Tr(sigma J J^dag): all three components, not only z as in (S41).
    expected = 2 * np.array([np.trace(P @ J @ J.conj().T) for P in PAULI])
    np.testing.assert_allclose(spin_factor_dc(J, time_reversed(J, "standard")), expected, atol=1e-10)


# ---- straight link (Eq. 11, S44-S47) --------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(angles, st.floats(-0.5, 0.5), st.floats(0.1, 10.0))
def test_s46_jjdag_of_the_straight_link(kso_d, b, q):
    J = straight_rashba_zeeman(kso_d, b, q)
    w2 = np.cos(kso_d) ** 2 + (1 + q * q) * np.sin(kso_d) ** 2  # |w|^2
    # S46 holds to linear order; the model is linear in b, so the remainder is b^2 |w|^2 * 1
    np.testing.assert_allclose(J @ J.conj().T - printed.jjdag_straight_s46(kso_d, b), b * b * w2 * SIGMA_0, atol=1e-11)


@settings(max_examples=50, deadline=None)
@given(angles, st.floats(-0.5, 0.5), st.floats(0.1, 10.0))
def test_main_text_sign_holds_for_the_s7_index_order_under_the_paper_relation(kso_d, b, q):
    J, Jbar = model_pair(straight_rashba_zeeman, convention="paper", kso_d=kso_d, b=b, kf_over_kso=q)
    np.testing.assert_allclose(spin_factor_dc(J, Jbar), printed.dc_factor_straight_main_text(kso_d, b), atol=1e-11)


@settings(max_examples=50, deadline=None)
@given(angles, st.floats(-0.5, 0.5), st.floats(0.1, 10.0))
def test_s47_sign_holds_for_the_transposed_index_order_of_eq9(kso_d, b, q):
    # Reading the matrix of (S45) as J_{p s, k s'} (the index order of Eq. 9) means J -> J^T.
    Jt = straight_rashba_zeeman(kso_d, b, q).T
    Jbar = time_reversed(straight_rashba_zeeman(kso_d, -b, q).T, "paper")
    np.testing.assert_allclose(spin_factor_dc(Jt, Jbar), printed.dc_factor_straight_s47(kso_d, b), atol=1e-11)


@settings(max_examples=50, deadline=None)
@given(angles, st.floats(-0.5, 0.5), st.floats(0.1, 10.0))
def test_straight_link_under_the_standard_relation(kso_d, b, q):
    J, Jbar = model_pair(straight_rashba_zeeman, convention="standard", kso_d=kso_d, b=b, kf_over_kso=q)
    # dc: Tr(sigma J(B)J(B)^dag) + Tr(sigma J(-B)J(-B)^dag) = 0 since S46 is odd in b
    np.testing.assert_allclose(spin_factor_dc(J, Jbar), 0, atol=1e-11)
    # ac: X = 4 i b sqrt(1 + (k_F/k_so)^2) sin(k_so d) (sin(k_so d), cos(k_so d), 0)
    r = np.sqrt(1 + q * q)
    expected = 4j * b * r * np.sin(kso_d) * np.array([np.sin(kso_d), np.cos(kso_d), 0])
    np.testing.assert_allclose(spin_factor_ac(J, Jbar), expected, atol=1e-11)


@settings(max_examples=50, deadline=None)
@given(angles, st.floats(-0.5, 0.5), st.floats(0.1, 10.0))
def test_straight_link_ac_factor_under_the_paper_relation(kso_d, b, q):
    # X = -4 b cos(k_so d) (sin(k_so d), cos(k_so d), 0), i.e. Y/2 (hand derivation, docs)
    J, Jbar = model_pair(straight_rashba_zeeman, convention="paper", kso_d=kso_d, b=b, kf_over_kso=q)
    expected = -4 * b * np.cos(kso_d) * np.array([np.sin(kso_d), np.cos(kso_d), 0])
    np.testing.assert_allclose(spin_factor_ac(J, Jbar), expected, atol=1e-11)
