"""The TOML run configuration: the default, and bad configs rejected with the field named."""

import numpy as np
import pytest

from spintunnel.config import DEFAULT_CONFIG_TOML, ConfigError, load_config, parse_config
from spintunnel.leads import bcs_gap_meV
from spintunnel.links import straight_rashba_zeeman


def test_default_is_the_papers_setting():
    c = load_config()
    j = c.junction
    gap = j.left.gap_at(j.temperature_K)
    assert gap == pytest.approx(0.18, rel=1e-8)  # T = 0.1 K << T_c(Al) = 1.18 K
    assert j.bias_mV == pytest.approx(gap / 2, rel=1e-6)  # eV = Delta/2
    from spintunnel.units import rq_over_rn

    assert rq_over_rn(j.normal_resistance_ohm) == pytest.approx(0.1, rel=0.01)
    J, Jbar = c.link.pair("standard")
    np.testing.assert_allclose(J, straight_rashba_zeeman(1.0, 0.003, 3.0))


def test_gap_from_critical_temperature_uses_the_bcs_equation():
    text = DEFAULT_CONFIG_TOML.replace(
        "[junction.left]\ngap_zero_meV = 0.18", "[junction.left]\ncritical_temperature_K = 1.2"
    )
    c = parse_config(text)
    from spintunnel.leads import GAP_RATIO_WEAK_COUPLING
    from spintunnel.units import kelvin_to_meV

    assert c.junction.left.gap_at(0.9) == pytest.approx(bcs_gap_meV(0.9, GAP_RATIO_WEAK_COUPLING * kelvin_to_meV(1.2)))


@pytest.mark.parametrize(
    "edit, field",
    [
        (("temperature_K = 0.1", "temperature_K = -0.1"), "junction.temperature_K"),
        (("bias_mV = 0.09", "bias_mV = nan"), "junction.bias_mV"),
        (("bias_mV = 0.09", "bias_mV = inf"), "junction.bias_mV"),
        (("kso_d = 1.0\n", ""), "link.kso_d"),
        (("[junction.left]\ngap_zero_meV = 0.18", "[junction.left]\ngap_meV = -0.18"), "junction.left.gap_meV"),
        (("pdf = false", "pdf = false\ncolour = 1"), "output.colour"),
        (("normal_resistance_ohm = 41000.0", "normal_resistance_ohm = 0.0"), "junction.normal_resistance_ohm"),
        (("b = 0.003", "b = 2.0"), "link.b"),
        (('time_reversal = "standard"', 'time_reversal = "kramers"'), "methods.time_reversal"),
        (
            ("[junction.right]\ngap_zero_meV = 0.18", "[junction.right]\ngap_zero_meV = 0.18\ngap_meV = 0.1"),
            "junction.right",
        ),
    ],
)
def test_bad_configs_name_the_field(edit, field):
    old, new = edit
    assert old in DEFAULT_CONFIG_TOML
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        parse_config(DEFAULT_CONFIG_TOML.replace(old, new))


def test_broken_toml_is_a_config_error():
    with pytest.raises(ConfigError, match="TOML"):
        parse_config("[junction\n")
