"""The fit of channel transmissions (issue 22): synthetic I-V curves from the all-orders solver
(called directly, not through the fit's table) for known transmissions, with 0.3 % noise, are
recovered within the reported uncertainties; nearly equal channels are flagged as
ill-conditioned; the table interpolates the solver; the gap estimate and the covariance are
right.  Small on purpose: 22 biases (tests/fitdata.py), the coarse table (one table for the
whole file)."""

import math

import numpy as np
import pytest
from fitdata import GAP, NOISE, T_K, V, synthetic
from scipy.stats import chi2

from spintunnel import fit_channels
from spintunnel.fit import fit as fitmod
from spintunnel.fit.forward import COARSE, TableSpec, barycentric_matrix, lobatto
from spintunnel.floquet import floquet_currents
from spintunnel.units import BOLTZMANN_MEV_PER_K, NANOAMPERE_PER_REDUCED_CURRENT, RESISTANCE_QUANTUM_OHM


def fit(taus, **kw):
    return fit_channels(V, synthetic(taus), temperature_K=T_K, gap_meV=GAP, table_options=COARSE, **kw)


def test_nanoampere_unit_is_e_squared_over_hbar_times_one_millivolt():
    assert NANOAMPERE_PER_REDUCED_CURRENT == pytest.approx(1e-3 * 1.602176634e-19**2 / 1.054571817e-34 * 1e9, rel=1e-9)


@pytest.mark.parametrize(
    "taus", [(0.7,), (0.9, 0.35, 0.1), (0.95, 0.6, 0.3, 0.1)], ids=["one", "dominant_channel", "four"]
)
def test_round_trip_recovers_transmissions_within_their_errors(taus):
    r = fit(taus, channels=len(taus))
    assert r.transmissions.tolist() == sorted(r.transmissions.tolist(), reverse=True)
    z = np.abs(r.transmissions - np.array(taus)) / r.transmission_errors
    assert np.all(z < 3.0), (r.transmissions, r.transmission_errors)
    # jointly, with the correlations: (x - x0)^T C^-1 (x - x0) below the 99.7 % point of chi^2_N
    d = r.transmissions - np.array(taus)
    assert d @ np.linalg.solve(r.transmission_covariance, d) < chi2.ppf(0.9973, len(taus))
    # R_n = pi R_Q / Sum tau within its error
    rn_true = math.pi * RESISTANCE_QUANTUM_OHM / sum(taus)
    assert abs(r.normal_resistance_ohm - rn_true) < 3 * r.normal_resistance_error_ohm
    # the noise: the residual RMS is the added 0.3 % (chi^2 per dof ~ 1 within its spread)
    noise = NOISE * np.abs(r.current_nA).max()
    assert 0.6 * noise < r.residual_rms_nA < 1.4 * noise
    assert np.allclose(r.channel_currents_nA.sum(axis=0), r.model_nA)


def test_the_information_criterion_finds_three_channels():
    r = fit((0.9, 0.35, 0.1), max_channels=4)
    values = r.criterion["values"]
    assert r.n_channels == 3 and r.criterion["channels_chosen_by"] == "criterion"
    assert values["3"] < values["2"] < values["1"] and values["3"] < values["4"]


def test_nearly_equal_channels_are_recovered_and_flagged_ill_conditioned():
    r = fit((0.5, 0.45), channels=2)
    z = np.abs(r.transmissions - np.array([0.5, 0.45])) / r.transmission_errors
    assert np.all(z < 3.0)
    assert r.ill_conditioned and any("correlated" in w for w in r.warnings)
    d = r.to_dict()
    assert d["ill_conditioned"] is True
    # their sum is determined far better than the split
    cov = r.transmission_covariance
    assert math.sqrt(cov.sum()) < 0.2 * r.transmission_errors.min()


def test_a_dominant_channel_is_well_conditioned_and_a_small_one_is_flagged():
    r = fit((0.9, 0.35, 0.1), channels=3)
    assert not any("correlated" in w and "channels 1 and" in w for w in r.warnings)
    small = fit((0.8, 0.03), channels=2)
    assert any("tau = 0.0" in w and "< 0.05" in w for w in small.warnings) and small.ill_conditioned


def test_covariance_is_the_inverse_curvature_of_chi2():
    """sigma^2 = 2 / (d^2 chi^2/dtau^2) of a 1-channel fit with known errors, by finite differences
    of chi^2 against the model (independent of the Jacobian the fit used)."""
    I = synthetic((0.7,))
    err = np.full(V.size, NOISE * np.abs(I).max())
    r = fit_channels(V, I, current_error_nA=err, temperature_K=T_K, gap_meV=GAP, table_options=COARSE, channels=1)

    def chi2(t):
        return float(np.sum(((r._model.total(V, I, [t], GAP, 0.0) - I) / err) ** 2))

    t, h = r.transmissions[0], 1e-4
    curv = (chi2(t + h) - 2 * chi2(t) + chi2(t - h)) / h**2
    assert r.transmission_errors[0] == pytest.approx(math.sqrt(2 / curv), rel=1e-3)
    assert r.noise == "given" and r.chi2 == pytest.approx(chi2(t), rel=1e-9)


def test_bootstrap_errors_agree_with_the_jacobian():
    r = fit((0.7,), channels=1, bootstrap=40)
    assert 0.5 < r.bootstrap_errors[0] / r.transmission_errors[0] < 2.0


def test_table_interpolates_the_solver():
    """The coarse table against the solver at biases and transmissions off its nodes: within
    1e-2 of the channel's conductance scale tau/pi max(eV, Delta) (2e-3 below the gap; the
    largest errors are just above the 2 Delta onset at small tau, where y has a square-root
    edge).  The default table is measured in benchmarks/bench_fit.py."""
    kT = BOLTZMANN_MEV_PER_K * T_K / GAP
    r = fit((0.7,), channels=1)
    table = r._model.table
    rng = np.random.default_rng(3)
    v = rng.uniform(table.spec.v_min, table.spec.v_max, 6)
    tau = rng.uniform(0.05, 1.0, 6)
    direct = np.array(
        [
            floquet_currents(np.eye(2), bias=a, temperature=kT, transmission=b, n_harmonics=0, tol=1e-6).charge[0].real
            for a, b in zip(v, tau, strict=False)
        ]
    )
    interp = np.array([table.current([a], [b])[0, 0] for a, b in zip(v, tau, strict=False)])
    scale = tau / math.pi * np.maximum(v, 1.0)
    assert np.all(np.abs(interp - direct) < 1e-2 * scale)


def test_barycentric_interpolation_is_exact_for_polynomials():
    x = lobatto(-0.3, 2.0, 7)
    p = np.polynomial.Polynomial([0.3, -1.0, 0.5, 2.0, 0.1, -0.2, 0.05])
    t = np.linspace(-0.3, 2.0, 31)
    np.testing.assert_allclose(barycentric_matrix(t, x) @ p(x), p(t), rtol=1e-12, atol=1e-12)


def test_gap_estimate_is_half_the_quasiparticle_onset():
    """A tunnel contact's dI/dV peaks at eV = 2 Delta: the estimate is within one bias step."""
    Vd = np.linspace(0.17, 0.45, 15)
    kT = BOLTZMANN_MEV_PER_K * T_K
    I = np.array(
        [
            floquet_currents(
                np.eye(2),
                bias=v,
                gap_left=GAP,
                gap_right=GAP,
                temperature=kT,
                transmission=0.05,
                n_harmonics=0,
                tol=1e-3,
            )
            .charge[0]
            .real
            for v in Vd
        ]
    )
    assert abs(fitmod._gap_estimate(Vd, I) - GAP) <= 0.5 * (Vd[1] - Vd[0]) + 1e-12


def test_table_spec_pieces_break_at_the_onsets():
    spec = TableSpec(0.05, 0.0, 0.3, 2.5, **COARSE)
    edges = [p[0] for p in spec.pieces()] + [spec.pieces()[-1][1]]
    assert edges == pytest.approx([0.3, 0.5, 2 / 3, 1.0, 2.0, 2.5])


def test_dynes_error_is_the_width_of_the_chi2_parabola():
    """RSS(Gamma) = s^2 dof + a s^2 (Gamma - 0.002)^2 with the noise from the residual: the error
    is 1/sqrt(a) exactly; a best value at an end of the scan gives no error and a note."""
    a, s2, n, k = 4e6, 0.01, 40, 3
    scan = {g: (0.0, s2 * (n - k) + a * s2 * (g - 0.002) ** 2, k) for g in (0.0, 0.002, 0.004)}
    scan[0.002] = (0.0, s2 * (n - k), k)
    err, note = fitmod.broadening_error(scan, 0.002, n, known_noise=False)
    assert err == pytest.approx(1 / math.sqrt(a), rel=1e-9) and note is None
    err, note = fitmod.broadening_error(scan, 0.0, n, known_noise=False)
    assert math.isnan(err) and "end of the scanned values" in note


def test_prediction_uncertainty_is_the_spread_over_the_fits_error():
    """The propagated 1-sigma of the 2eV amplitude and of the dc charge current of a 1-channel
    fit against the all-orders method at tau +- sigma_tau, computed independently:
    (Q(tau + sigma) - Q(tau - sigma))/2 (linear within 2 % at this small sigma)."""
    from spintunnel import methods
    from spintunnel.config import StraightLinkConfig
    from spintunnel.fit.predict import predict
    from spintunnel.junction import Channel, Junction

    r = fit((0.7,), channels=1)
    link = StraightLinkConfig(model="straight_rashba_zeeman", kso_d=1.0, b=3e-3, kf_over_kso=3.0)
    bias = float(V[9])
    p = predict(r, link, biases_mV=[bias], method_names=["all_orders"])[0]
    J, Jbar = link.pair("standard")
    tau, sigma = r.transmissions[0], r.transmission_errors[0]
    q = {}
    for s in (+1, -1):
        j = Junction(
            gap_left_meV=GAP,
            gap_right_meV=GAP,
            temperature_K=T_K,
            bias_mV=bias,
            phi0_rad=0.0,
            channels=(Channel(tau + s * sigma, J, Jbar),),
        )
        q[s] = methods.get("all_orders").compute(j)[0]
    amp = (2 * np.abs(q[1].moment_ac_muB) - 2 * np.abs(q[-1].moment_ac_muB)) / 2
    np.testing.assert_allclose(p["M_ac_amplitude_muB"]["fit_sigma"][:2], np.abs(amp[:2]), rtol=0.02)
    charge = (q[1].extras["charge_current_dc_nA"] - q[-1].extras["charge_current_dc_nA"]) / 2
    assert p["charge_current_dc_nA"]["fit_sigma"][0] == pytest.approx(abs(charge), rel=0.02)


def test_table_built_in_two_processes_is_the_same():
    """``workers=2`` (a process pool) gives the serial table bit for bit."""
    from spintunnel.fit.forward import ChannelTable

    spec = TableSpec(0.05, 0.0, 1.2, 2.4, n_tau=3, n_tau_high=3, v_nodes=2, n_onsets=1, tol=1e-3)
    serial, pool = ChannelTable(spec, workers=1), ChannelTable(spec, workers=2)
    # by hand: the onset 2 splits [1.2, 2.4] into 2 pieces of max(7, ceil(2 w^0.35)) = 7 bias
    # nodes each, times the 3 - 1 non-zero tau nodes (y = 0 at tau = 0 needs no solve): 28
    assert serial.solves == pool.solves == 2 * 7 * (3 - 1)
    for a, b in zip(serial.values, pool.values, strict=False):
        np.testing.assert_array_equal(a, b)
