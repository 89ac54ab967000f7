"""Accuracy bookkeeping of the all-orders solver: the two spin channels reproduce the
Nambu-spin chain, and the reported error bound covers the true error at hard points (narrow
sub-gap resonances at low transparency, coinciding gap edges at eV = 2 Delta/n)."""

import numpy as np
import pytest

from spintunnel.floquet import floquet_currents
from spintunnel.floquet.channels import decompose
from spintunnel.floquet.sidebands import hopping_blocks, source_column
from spintunnel.spin import PAULI

J_SPIN = np.array([[1.0, 0.15 + 0.1j], [-0.1j, 0.85]])


def _nambu_spin_bond_sums(E, source, chain, V, gaps, J, phi0, broadening, band, nh):
    """Bond sums ``Sum_p Tr[O T_+ G^R_{R(p+2m+1),src} Gamma G^A_{src,L(p)}]`` (O = 1,
    sigma_x, sigma_y, sigma_z; f - 1/2 = -sign(E)/2) from the 4x4 Nambu-spin chain
    (sidebands.source_column, checked against a dense inverse), without channels."""
    Xe, Gam, is_left, _ = source_column(E, source, chain, V, gaps, J, phi0, broadening, band=band)
    Gam = Gam * (-0.5 * np.sign(E))
    Tp = hopping_blocks(J, phi0)[0][:2, :2]
    ops = [Tp] + [P @ Tp for P in PAULI]
    Y = np.einsum("kacn,cdn->kadn", Xe, Gam)
    kL = np.nonzero(is_left)[0]
    out = np.zeros((E.size, 4, 2 * nh + 1), complex)
    for i, m in enumerate(range(-nh, nh + 1)):
        for k in kL:
            kr = k + 2 * m + 1
            if 0 <= kr < is_left.size:
                G = np.einsum("adn,bdn->abn", Y[kr], np.conj(Xe[k]))  # G^<_{R e, L e}
                for o, Q in enumerate(ops):
                    out[:, o, i] += np.einsum("ab,ban->n", Q, G)
    return out


@pytest.mark.parametrize("source", ["L", "R"])
@pytest.mark.parametrize("broadening, band", [(0.0, None), (0.02, None), (0.0, 2.5)])
def test_spin_channels_reproduce_the_nambu_spin_chain(source, broadening, band):
    """Any 2x2 J = e^{i gamma} U' diag(s) V'^dag: the 4x4 chain is two scalar chains
    (channels.py); charge = K_A + K_B, left spin = n^L (K_A - K_B), energy by energy."""
    from spintunnel.floquet.solver import _bond_sums, _Chain

    J = np.array([[0.5, 0.3 - 0.25j], [0.1j, -0.2 + 0.3j]])
    phi0, V, gaps, nh, chain = 0.4, 0.45, (1.0, 0.8), 2, (6, 9)
    E = np.array([-2.7, -1.3, -0.61, -0.2, 0.35, 0.9, 1.73])  # off the gap edges
    ref = _nambu_spin_bond_sums(E, source, chain, V, gaps, J, phi0, broadening, band, nh)
    ch = decompose(J)
    P = _Chain(
        bias=V,
        gaps=gaps,
        bonds=ch.bonds,
        ph=np.exp(0.5j * phi0) * ch.phase,
        broadening=broadening,
        band=0.0 if band is None else band,
        nh=nh,
        temperature=0.0,
        hole=False,
    )
    got, _ = _bond_sums(E, source, chain, P)
    scale = np.abs(ref).max()
    np.testing.assert_allclose(got[:, 0], ref[:, 0], atol=1e-12 * scale)
    spin = got[:, 1][:, None, :] * ch.axis_left[None, :, None]
    np.testing.assert_allclose(spin, ref[:, 1:], atol=1e-12 * scale)


@pytest.mark.parametrize(
    "J, tau, V",
    [
        (np.eye(2), 0.05, 0.13),  # narrow MAR resonances, 16 sidebands
        (J_SPIN, 0.1, 0.2),  # coinciding gap edges (eV = 2 Delta/10), two channels
        (J_SPIN, 0.3, 0.25),  # the case of issue 19 (eV = 2 Delta/8)
        (np.eye(2), 0.6, 0.5),  # far sidebands' gap edges in the |E| > omega tails
    ],
)
def test_reported_error_bound_covers_the_true_error(J, tau, V):
    """|I(tol = 1e-5) - I(tol = 1e-10)| <= quadrature_error for every harmonic of the charge
    and spin currents; the reference is meshed independently (its own chain length, its own
    refinement) and its own bound is 1e5 times smaller."""
    kw = dict(bias=V, transmission=tau, n_harmonics=4)
    r = floquet_currents(J, tol=1e-5, **kw)
    ref = floquet_currents(J, tol=1e-10, **kw)
    err = max(np.abs(r.charge - ref.charge).max(), np.abs(r.spin - ref.spin).max())
    scale = r.params["normal_conductance"] * max(V, 1.0)
    assert r.converged and ref.converged
    assert r.quadrature_error <= 1e-5 * scale and ref.quadrature_error <= 1e-10 * scale
    assert err <= r.quadrature_error
