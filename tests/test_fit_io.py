"""Reading a measured I-V (issue 22): units from the header, symmetrisation of negative biases
with the asymmetry reported, and a clear DataError for every bad input (NaN, duplicated or
unsorted biases, wrong sign, unknown unit, too few points)."""

import numpy as np
import pytest

from spintunnel.fit.io import DataError, check_enough_points, iv_data, read_iv_csv


def write(tmp_path, text, name="iv.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_units_in_the_header_convert_to_millivolt_and_nanoampere(tmp_path):
    rows = "\n".join(
        f"{v * 1e-3:.9e},{i * 1e-9:.9e}" for v, i in zip([0.1, 0.2, 0.3, 0.4, 0.5], [1, 2, 3.5, 5, 6], strict=False)
    )
    d = read_iv_csv(write(tmp_path, "bias_V,current_A\n" + rows))
    np.testing.assert_allclose(d.bias_mV, [0.1, 0.2, 0.3, 0.4, 0.5], rtol=1e-12)
    np.testing.assert_allclose(d.current_nA, [1, 2, 3.5, 5, 6], rtol=1e-12)
    rows = "\n".join(
        f"{v * 1e3:g},{i * 1e3:g}" for v, i in zip([0.1, 0.2, 0.3, 0.4, 0.5], [1, 2, 3.5, 5, 6], strict=False)
    )
    d = read_iv_csv(
        write(
            tmp_path,
            "# comment line\ncurrent_pA,bias_uV\n" + "\n".join(",".join(r.split(",")[::-1]) for r in rows.splitlines()),
        )
    )
    np.testing.assert_allclose(d.bias_mV, [0.1, 0.2, 0.3, 0.4, 0.5], rtol=1e-12)
    np.testing.assert_allclose(d.current_nA, [1, 2, 3.5, 5, 6], rtol=1e-12)


def test_negative_biases_are_folded_and_the_asymmetry_reported():
    """I(V) = V + 0.1 V^2 (odd part V): the fold (I(V) - I(-V))/2 returns V exactly, and the
    asymmetry rms(I(V) + I(-V))/rms(I(V)) = rms(0.2 V^2)/rms(V + 0.1 V^2)."""
    v = np.linspace(0.1, 1.0, 10)
    V = np.r_[-v[::-1], 0.0, v]
    I = V + 0.1 * V**2
    d = iv_data(V, I)
    np.testing.assert_allclose(d.current_nA, v, rtol=1e-12)
    expect = np.sqrt(np.mean((0.2 * v**2) ** 2)) / np.sqrt(np.mean((v + 0.1 * v**2) ** 2))
    assert d.n_folded == 10 and d.asymmetry == pytest.approx(expect, rel=1e-12) and d.dropped_zero_bias == 1
    only_negative = iv_data(-v[::-1], -v[::-1])
    np.testing.assert_allclose(only_negative.bias_mV, v)
    np.testing.assert_allclose(only_negative.current_nA, v)


GOOD = "bias_mV,current_nA\n" + "\n".join(f"{0.1 * k:.1f},{k}" for k in range(1, 8))


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD.replace("0.3,3", "0.3,nan"), "not finite"),
        (GOOD.replace("0.4,4", "0.3,4"), "duplicated bias"),
        (GOOD.replace("0.4,4", "0.25,4"), "not sorted"),
        (GOOD.replace("0.6,6", "0.6,-6"), "wrong sign"),
        (GOOD.replace("current_nA", "current_kA"), "unknown unit 'kA'"),
        (GOOD.replace("bias_mV", "bias_furlong"), "unknown unit 'furlong'"),
        (GOOD.replace("bias_mV", "voltage_mV"), "unknown column 'voltage_mV'"),
        ("bias_mV,current_nA\n0.1,1\n0.2,2\n0.3,3", "at least 5"),
        (GOOD.replace("0.3,3", "0.3,three"), "not a number"),
        (GOOD.replace("0.3,3", "0.3,3,1"), "3 cells"),
    ],
)
def test_bad_data_is_a_clear_error(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        read_iv_csv(write(tmp_path, text))


def test_too_few_points_for_the_number_of_channels():
    d = iv_data(np.linspace(0.1, 0.9, 9), np.linspace(1, 9, 9))
    check_enough_points(d, 4)
    with pytest.raises(DataError, match="too few for 5 fit parameters"):
        check_enough_points(d, 5)


def test_the_row_of_the_error_is_named(tmp_path):
    with pytest.raises(DataError, match="row 4"):
        read_iv_csv(write(tmp_path, GOOD.replace("0.3,3", "0.3,inf")))
