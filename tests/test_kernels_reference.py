"""Fast kernels against the independent slow reference (nested QUADPACK on Eq. 7/S39, S23)."""

import warnings

import numpy as np
import pytest

from spintunnel.kernels import ac_kernel, dc_kernel
from spintunnel.kernels.reference import ac_kernel_reference, dc_kernel_reference

# (bias, temperature, gap_left, gap_right): T = 0 and T > 0, equal and unequal gaps, normal right
# lead, bias below Delta_L, between Delta_L and Delta_L + Delta_R, above Delta_L + Delta_R,
# negative bias.
POINTS = [
    (0.3, 0.0, 1.0, 1.0),
    (1.5, 0.0, 1.0, 1.0),
    (0.7, 0.0, 1.0, 0.6),
    (2.0, 0.0, 1.0, 0.6),
    (0.5, 0.0, 1.0, 0.0),
    (0.3, 0.2, 1.0, 1.0),
    (1.5, 0.2, 1.0, 1.0),
    (0.7, 0.2, 1.0, 0.6),
    (1.8, 0.25, 1.0, 0.6),
    (0.5, 0.2, 1.0, 0.0),
    (1.5, 0.3, 1.0, 0.0),
    (-0.7, 0.2, 0.6, 1.0),
    (0.3, 5.0, 1.0, 0.0),  # T >> Delta: small kernel from cancelling terms
    # Delta_R - Delta_L > |eV|: the inner argument -eV - E_k lies above -Delta_R near the gap
    # edge (regression: a "z <= -Delta" shortcut was wrong there by a factor 3)
    (0.25, 0.0, 1.0, 1.5),
    (0.25, 0.1, 1.0, 1.5),
    (0.25, 0.0, 0.6, 1.0),
    (0.25, 0.0, 1.0, 3.0),
]


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS, ids=lambda p: "v{}_T{}_gL{}_gR{}".format(*p))
def test_dc_kernel_matches_nested_quadrature(point):
    ref = dc_kernel_reference(*point)
    res = dc_kernel(*point, full_output=True)
    assert abs(res.value - ref) <= 1e-8 * abs(ref)
    # the returned error bound covers the actual error (or the reference's own 1e-10 level)
    assert abs(res.value - ref) <= res.error + 1e-10 * abs(ref)


@pytest.mark.slow
@pytest.mark.parametrize("point", [p for p in POINTS if p[3] > 0], ids=lambda p: "v{}_T{}_gL{}_gR{}".format(*p))
def test_ac_kernel_matches_nested_quadrature(point):
    ref = ac_kernel_reference(*point)
    res = ac_kernel(*point, full_output=True)
    assert abs(res.value - ref) <= 1e-8 * abs(ref)
    assert abs(res.value - ref) <= res.error + 1e-10 * abs(ref)


def test_vectorised_sweep_equals_pointwise_evaluation():
    biases = np.array([-2.3, -0.4, 0.25, 0.9, 1.3, 2.4])
    for T in (0.0, 0.15):
        for fn in (dc_kernel, ac_kernel):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sweep = fn(biases, T, 1.0, 0.7)
                single = [fn(float(b), T, 1.0, 0.7) for b in biases]
            np.testing.assert_allclose(sweep, single, rtol=1e-12)


def test_general_path_with_odd_terms_agrees_with_closed_forms():
    """The general path integrates the printed integrand (odd terms xi_p/E_p, xi_k included)
    numerically in 2D; for a constant DOS it must agree with the closed-form fast path."""
    from spintunnel.kernels import ConstantDOS

    for point in [
        (0.45, 0.0, 1.0, 0.8),
        (2.2, 0.0, 1.0, 0.8),
        (2.5, 0.0, 1.0, 1.0),
        (3.0, 0.0, 1.0, 0.5),
        (1.2, 0.2, 1.0, 0.8),
        (0.7, 0.2, 1.0, 0.6),
        (1.8, 0.25, 1.0, 0.6),
    ]:
        for fn in (dc_kernel, ac_kernel):
            fast = fn(*point)
            general = fn(
                *point, dos_left=ConstantDOS(), dos_right=ConstantDOS(), broadening=None, channel=None, band=None
            )
            slow = fn(*point, dos_right=_NotConstant())
            assert abs(general - fast) <= 1e-12 * abs(fast)
            # exact offsets to the outer breakpoints (kernels/general.py): ~1e-11 (was 3e-8)
            assert abs(slow - fast) <= 1e-10 * abs(fast)


class _NotConstant:
    """A constant DOS in disguise, to force the general (2D) path."""

    band = None

    def weight(self, xi):
        return np.ones_like(np.asarray(xi, dtype=float))


def test_public_api_is_exported_at_top_level():
    import spintunnel

    assert spintunnel.dc_kernel(0.3, 0.0, 1.0, 1.0) == dc_kernel(0.3, 0.0, 1.0, 1.0)
    assert spintunnel.ac_kernel is ac_kernel
