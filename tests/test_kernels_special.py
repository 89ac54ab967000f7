"""Special biases (pole lines touching gap edges), input validation, Dynes broadening."""

import warnings

import numpy as np
import pytest

from spintunnel.kernels import KernelResult, SpecialBiasError, ac_kernel, dc_kernel, special_biases

GL, GR = 1.0, 0.6


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize(
    "kind,T,bias",
    [
        ("dc", 0.0, GL + GR),
        ("ac", 0.0, GL + GR),
        ("ac", 0.0, GL),
        ("ac", 0.0, -GL),
        ("dc", 0.2, GL - GR),
        ("ac", 0.2, GR - GL),
    ],
)
def test_special_bias_raises_instead_of_returning_a_one_sided_number(kind, T, bias):
    fn = dc_kernel if kind == "dc" else ac_kernel
    with pytest.raises(SpecialBiasError, match="special bias"):
        fn(np.array([0.1, bias]), T, GL, GR)
    assert any(abs(abs(bias) - s) < 1e-15 for s, _ in special_biases(kind, T, GL, GR))


def test_gap_sum_is_a_logarithmic_divergence_from_both_sides():
    s = GL + GR
    for fn in (dc_kernel, ac_kernel):
        for side in (-1, 1):
            k = [fn(s + side * d, 0.0, GL, GR) for d in (1e-3, 1e-5, 1e-7)]
            # equal increments per factor 100 in distance: K ~ c log|eV - s|
            assert abs(k[1]) > abs(k[0])
            assert (k[2] - k[1]) == pytest.approx(k[1] - k[0], rel=2e-2)


def test_ac_kernel_at_gap_left_diverges_from_below_and_is_finite_from_above():
    below = [ac_kernel(GL - d, 0.0, GL, GR) for d in (1e-4, 1e-6)]
    above = [ac_kernel(GL + d, 0.0, GL, GR) for d in (1e-4, 1e-6)]
    # ~ (Delta_L - eV)^-1/2 from below: factor 10 per factor 100
    assert below[1] / below[0] == pytest.approx(10.0, rel=2e-2)
    assert above[1] == pytest.approx(above[0], rel=1e-3)


@pytest.mark.parametrize("fn", [dc_kernel, ac_kernel])
def test_gap_difference_is_a_jump_at_finite_temperature(fn):
    s, T = GL - GR, 0.2
    lo = [fn(s - d, T, GL, GR) for d in (1e-4, 1e-6)]
    hi = [fn(s + d, T, GL, GR) for d in (1e-4, 1e-6)]
    # both one-sided limits exist (converge) and differ
    assert lo[1] == pytest.approx(lo[0], rel=1e-2)
    assert hi[1] == pytest.approx(hi[0], rel=1e-2)
    assert abs(hi[1] - lo[1]) > 1e-2 * abs(lo[1])


def test_normal_right_lead_dc_kernel_is_continuous_at_gap_left():
    assert special_biases("dc", 0.2, GL, 0.0) == []
    k = dc_kernel(np.array([GL - 1e-6, GL - 1e-8, GL, GL + 1e-8]), 0.0, GL, 0.0)
    assert k[2] == pytest.approx(np.pi / 2, rel=1e-8)  # pi Delta/(2 eV) at eV = Delta
    assert k[3] == pytest.approx(np.pi / (2 * (GL + 1e-8)), rel=1e-8)
    # continuous, with a square-root cusp from below: K(Delta) - K(Delta - d) ~ sqrt(d)
    assert (k[2] - k[0]) / (k[2] - k[1]) == pytest.approx(10.0, rel=5e-2)


@pytest.mark.parametrize(
    "kwargs,name",
    [
        (dict(bias=np.nan), "bias"),
        (dict(bias=[0.1, np.inf]), "bias"),
        (dict(bias="x"), "bias"),
        (dict(temperature=-0.1), "temperature"),
        (dict(temperature=np.nan), "temperature"),
        (dict(gap_left=0.0), "gap_left"),
        (dict(gap_left=-1.0), "gap_left"),
        (dict(gap_right=-0.2), "gap_right"),
        (dict(gap_right=np.inf), "gap_right"),
        (dict(broadening=-1e-3), "broadening"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(kwargs, name):
    args = dict(bias=0.3, temperature=0.0, gap_left=1.0, gap_right=0.5)
    args.update(kwargs)
    for fn in (dc_kernel, ac_kernel):
        with pytest.raises(ValueError, match=name):
            fn(**args)


def test_dynes_broadening_is_complex_and_tends_to_the_principal_value():
    for fn, v in ((dc_kernel, 2.0), (ac_kernel, 1.3), (ac_kernel, 0.5)):
        pv = fn(v, 0.0, GL, GR)
        res = fn(v, 0.0, GL, GR, broadening=1e-4, full_output=True)
        assert isinstance(res.value, complex)
        assert res.prescription == "broadening" and res.broadening == 1e-4
        assert res.value.real == pytest.approx(pv, rel=2e-3)
        coarse = fn(v, 0.0, GL, GR, broadening=1e-2)
        assert abs(res.value.real - pv) < abs(coarse.real - pv)


def test_principal_value_prescription_is_recorded():
    res = dc_kernel(np.array([0.2, 0.45]), 0.1, GL, GR, full_output=True)
    assert isinstance(res, KernelResult)
    assert res.prescription == "principal_value" and res.broadening == 0.0
    assert res.value.shape == (2,) and res.error.shape == (2,)
    assert np.all(res.error < 1e-6 * np.abs(res.value))
    assert float(dc_kernel(0.2, 0.1, GL, GR, full_output=True)) == dc_kernel(0.2, 0.1, GL, GR)
