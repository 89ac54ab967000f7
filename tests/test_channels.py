"""Multi-channel point contacts (issue 22): R_n from the transmissions, each channel's amplitude
from its tau, every observable of every method the sum of independent single-channel junctions,
a refusal of any channel named in the sum, the dc charge current in nA, and the config forms."""

import math

import numpy as np
import pytest

from spintunnel import contact, methods
from spintunnel.config import ConfigError, parse_config
from spintunnel.junction import Channel, Junction, junction_from_config
from spintunnel.links import model_pair, straight_rashba_zeeman
from spintunnel.units import RESISTANCE_QUANTUM_OHM

J_RZ, JBAR_RZ = model_pair(straight_rashba_zeeman, convention="standard", kso_d=1.0, b=3e-3, kf_over_kso=3.0)
J_FILTER = np.diag([1.0, 0.5]).astype(complex)  # a spin filter: unequal spin eigen-channels
LEADS = dict(gap_left_meV=0.18, gap_right_meV=0.18, temperature_K=0.0, bias_mV=0.09, phi0_rad=0.3)


def two_channel(taus=(0.12, 0.05), **kw):
    chans = (Channel(taus[0], J_RZ, JBAR_RZ), Channel(taus[1], J_FILTER, J_FILTER))
    return Junction(channels=chans, **{**LEADS, **kw})


def single(tau, j, jbar, **kw):
    """A single-channel junction built the old way, from R_n = pi R_Q / tau (independent of
    Junction.channel_junctions)."""
    return Junction(
        normal_resistance_ohm=math.pi * RESISTANCE_QUANTUM_OHM / tau,
        amplitude=j,
        amplitude_partner=jbar,
        **{**LEADS, **kw},
    )


def test_resistance_of_channels_is_the_landauer_sum_of_their_spin_eigen_channels():
    """1/R_n = (e^2/h) Sum over every spin eigen-channel of every channel (each from the
    singular values of its J_i, CMRLY Eq. 2.9) = (2e^2/h) Sum_i tau_i."""
    j = two_channel((0.7, 0.3))
    spin_taus = np.concatenate([contact.transmissions(c.amplitude_W) for c in j.channels])
    h_over_e2 = 2 * math.pi * RESISTANCE_QUANTUM_OHM
    assert 1 / j.normal_resistance_ohm == pytest.approx(spin_taus.sum() / h_over_e2, rel=1e-12)
    assert j.normal_resistance_ohm == pytest.approx(h_over_e2 / (2 * 1.0), rel=1e-12)  # Sum tau_i = 1
    # the spin filter's two eigen-channels are unequal, their mean is the channel's tau
    f = contact.transmissions(j.channels[1].amplitude_W)
    assert f[0] > 1.5 * f[1] and f.mean() == pytest.approx(0.3, rel=1e-12)
    assert sorted(j.transmissions) == pytest.approx(sorted(spin_taus))
    # a multi-channel contact may have R_n below pi R_Q (one channel may not)
    assert two_channel((0.9, 0.8)).normal_resistance_ohm < math.pi * RESISTANCE_QUANTUM_OHM


@pytest.mark.parametrize(
    "name, options, biases",
    [
        ("paper", {}, [0.05, 0.09]),
        ("second_order", {}, [0.05, 0.09]),
        ("all_orders", {"tol": 1e-5, "n_harmonics": 2}, [0.09]),
        ("exact", {"n_levels": 8, "band_in_gaps": 6.0}, [0.09]),
    ],
)
def test_two_channel_junction_is_the_sum_of_two_single_channel_junctions(name, options, biases):
    m = methods.get(name, **options)
    both = m.compute(two_channel(), biases)
    parts = [m.compute(single(0.12, J_RZ, JBAR_RZ), biases), m.compute(single(0.05, J_FILTER, J_FILTER), biases)]
    for b, r in enumerate(both):
        a, c = parts[0][b], parts[1][b]
        for q in methods.QUANTITIES:
            va, vc, vr = a.value(q), c.value(q), r.value(q)
            if va is None or vc is None:
                assert vr is None and q in r.diagnostics.reasons
                continue
            np.testing.assert_allclose(vr, np.asarray(va) + np.asarray(vc), rtol=1e-12, atol=1e-300)
            assert r.error(q) == pytest.approx(a.error(q) + c.error(q), rel=1e-12)
        for key in ("charge_current_dc_nA", "charge_current_dc_error_nA"):
            if key in a.extras:
                assert r.extras[key] == pytest.approx(a.extras[key] + c.extras[key], rel=1e-12)
        assert r.diagnostics.converged == (a.diagnostics.converged and c.diagnostics.converged)
        assert r.diagnostics.regime_flags == a.diagnostics.regime_flags | c.diagnostics.regime_flags
    if name == "paper":  # the printed kernels do not depend on tau: kept once, not added
        assert both[0].extras["K_dc"] == parts[0][0].extras["K_dc"]


def test_a_quantity_one_channel_does_not_give_is_not_given_and_the_channel_is_named(monkeypatch):
    """At eV = Delta/2 the relative injection weight (multiple Andreev reflection) grows with tau:
    6.5e-3 at tau = 0.01, 0.5 at tau = 0.9.  With the limit set between them the weak channel
    gives a static moment and the strong one refuses: the sum has none, and says which channel."""
    monkeypatch.setattr("spintunnel.methods.all_orders.INJECTION_LIMIT", 0.05)
    m = methods.get("all_orders", n_harmonics=1)
    chans = (Channel(0.01, J_RZ, JBAR_RZ), Channel(0.9, J_RZ, JBAR_RZ))
    weak = m.compute(single(0.01, J_RZ, JBAR_RZ))[0]
    assert weak.moment_dc_muB is not None
    r = m.compute(Junction(channels=chans, **LEADS))[0]
    assert r.moment_dc_muB is None and r.diagnostics.reasons["M_dc"] == "quasiparticles_injected"
    assert any("channel 2 (tau = 0.9): quasiparticles_injected" in n for n in r.notes)
    assert r.moment_ac_muB is not None


def test_dc_charge_current_in_nanoampere_is_ohmic_far_above_the_gap():
    """At eV = 40 Delta a tau = 0.05 channel carries I = V/R_n to O(Delta/eV): the nA extra
    against V/R_n with R_n = pi R_Q/tau (V in mV, R_n in Ohm: I = V/R_n x 1e6 nA)."""
    bias = 40 * 0.18
    r = methods.get("all_orders", n_harmonics=1, static=False).compute(single(0.05, np.eye(2), np.eye(2)), [bias])[0]
    ohm = bias / (math.pi * RESISTANCE_QUANTUM_OHM / 0.05) * 1e6
    assert r.extras["charge_current_dc_nA"] == pytest.approx(ohm, rel=0.03)
    assert r.extras["charge_current_dc_nA"] > ohm  # the excess current of an S-S contact is positive


def test_junction_refuses_bad_channels_before_any_work():
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        Channel(1.2, J_RZ, JBAR_RZ)
    with pytest.raises(ValueError, match="out of reach"):
        Channel(0.99, J_FILTER, J_FILTER)  # the weaker spin channel cannot follow
    with pytest.raises(ValueError, match="do not also give normal_resistance_ohm"):
        Junction(channels=(Channel(0.3, J_RZ, JBAR_RZ),), normal_resistance_ohm=4e4, **LEADS)
    with pytest.raises(ValueError, match="needs normal_resistance_ohm"):
        Junction(amplitude=J_RZ, amplitude_partner=JBAR_RZ, **LEADS)
    with pytest.raises(ValueError, match="one per channel"):
        _ = two_channel().amplitude_W


def test_regime_flag_follows_the_largest_channel():
    assert two_channel((0.3, 0.3)).regime_flags() & 1 == 0  # Sum tau = 0.6, each channel weak
    assert two_channel((0.6, 0.05)).regime_flags() & 1 == 1


CONFIG = """
[junction]
temperature_K = 0.1
bias_mV = 0.09
{rn}
[junction.left]
gap_zero_meV = 0.18
[junction.right]
gap_zero_meV = 0.18
{link}
"""
SHARED = """[link]
model = "straight_rashba_zeeman"
kso_d = 1.0
b = 0.003
kf_over_kso = 3.0
transmissions = [0.92, 0.45, 0.12]
"""
PER_CHANNEL = """[link]
model = "channels"
[[link.channels]]
model = "straight_rashba_zeeman"
kso_d = 1.0
b = 0.003
kf_over_kso = 3.0
transmission = 0.45
[[link.channels]]
model = "matrix"
J_real = [[1.0, 0.0], [0.0, 0.5]]
transmission = 0.12
"""


def test_config_transmissions_and_per_channel_tables_build_multi_channel_junctions():
    j = junction_from_config(parse_config(CONFIG.format(rn="", link=SHARED)))
    assert j.channel_transmissions.tolist() == [0.92, 0.45, 0.12]
    assert j.normal_resistance_ohm == pytest.approx(math.pi * RESISTANCE_QUANTUM_OHM / 1.49, rel=1e-12)
    np.testing.assert_allclose(j.channels[0].amplitude, J_RZ)
    k = junction_from_config(parse_config(CONFIG.format(rn="", link=PER_CHANNEL)))
    assert k.channel_transmissions.tolist() == [0.45, 0.12]
    np.testing.assert_allclose(k.channels[1].amplitude, J_FILTER)


def test_config_refuses_resistance_with_transmissions_and_neither():
    with pytest.raises(ConfigError, match="both given"):
        parse_config(CONFIG.format(rn="normal_resistance_ohm = 41000.0", link=SHARED))
    single_link = SHARED.replace("transmissions = [0.92, 0.45, 0.12]\n", "")
    with pytest.raises(ConfigError, match="normal_resistance_ohm is missing"):
        parse_config(CONFIG.format(rn="", link=single_link))
    with pytest.raises(ConfigError, match="less than or equal to 1"):
        parse_config(CONFIG.format(rn="", link=SHARED.replace("0.92", "1.5")))


def test_the_run_report_shows_the_channels():
    """report.compute and its table on a multi-channel config: the channels, one coupling per
    channel, and the methods' sums (the printed route and second order, for speed)."""
    from spintunnel import report
    from spintunnel.config import with_methods

    cfg = with_methods(parse_config(CONFIG.format(rn="", link=PER_CHANNEL)), ["paper", "second_order"])
    out = report.compute(cfg)
    j = out["summary"]["junction"]
    assert j["channels"] == [0.45, 0.12] and len(j["rho_L_rho_R_J0_squared"]) == 2
    assert j["normal_resistance_ohm"] == pytest.approx(math.pi * RESISTANCE_QUANTUM_OHM / 0.57, rel=1e-12)
    assert "2 independent channels, tau_i = 0.45, 0.12" in report.format_table(out["summary"])
    so = out["results"]["second_order"]
    parts = [methods.get("second_order").compute(p)[0] for p in out["junction"].channel_junctions()]
    np.testing.assert_allclose(
        so.spin_current_dc_muB_per_s, sum(p.spin_current_dc_muB_per_s for p in parts), rtol=1e-12
    )
