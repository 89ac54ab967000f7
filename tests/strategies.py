"""Shared hypothesis strategies of the tests (spin matrices, SU(2) rotations)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spintunnel.spin import PAULI

# no subnormals: an amplitude of 1e-313 W is not a physical input, and LAPACK's LU (behind
# np.linalg.det) divides by such pivots and returns NaN
finite = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def spin_matrices(draw):
    """A random complex 2x2 matrix with entries of modulus <= ~4."""
    parts = draw(hnp.arrays(np.float64, (2, 2, 2), elements=finite))
    return parts[0] + 1j * parts[1]


@st.composite
def su2_rotations(draw):
    """A random SU(2) matrix exp(-i alpha n.sigma/2), times a random U(1) phase."""
    alpha = draw(st.floats(0, 2 * np.pi))
    theta = draw(st.floats(0, np.pi))
    phi = draw(st.floats(0, 2 * np.pi))
    chi = draw(st.floats(0, 2 * np.pi))
    n = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
    return np.exp(1j * chi) * (np.cos(alpha / 2) * np.eye(2) - 1j * np.sin(alpha / 2) * np.tensordot(n, PAULI, 1))
