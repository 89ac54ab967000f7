"""The paper's junction for the tests: Al leads (0.18 meV), eV = Delta/2, R_n = 41 kOhm and
the straight Rashba + Zeeman link of Eq. (11) in ~1 T, with any field replaced."""

from spintunnel.junction import Junction
from spintunnel.links import model_pair, straight_rashba_zeeman


def paper_junction(**kw) -> Junction:
    J, Jbar = model_pair(straight_rashba_zeeman, convention="standard", kso_d=1.0, b=3e-3, kf_over_kso=3.0)
    base = dict(
        gap_left_meV=0.18,
        gap_right_meV=0.18,
        temperature_K=0.0,
        bias_mV=0.09,
        phi0_rad=0.0,
        normal_resistance_ohm=41000.0,
        amplitude=J,
        amplitude_partner=Jbar,
    )
    base.update(kw)
    return Junction(**base)
