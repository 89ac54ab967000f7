"""`spintunnel fit` end to end on small synthetic data (tests/fitdata.py): exit 0, the JSON keys,
the files written, a run config that `spintunnel run` loads and that reproduces the prediction,
the predicted charge current against the measured one; exit 2 and nothing written for bad data."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from fitdata import GAP, T_K, V, synthetic

from spintunnel import methods
from spintunnel.cli import main
from spintunnel.config import load_config
from spintunnel.junction import junction_from_config

TAUS = (0.8, 0.25)
LINK = """[link]
model = "straight_rashba_zeeman"
kso_d = 1.0
b = 0.003
kf_over_kso = 3.0
"""
ARGS = ["--temperature-K", str(T_K), "--gap-meV", str(GAP), "--channels", "2", "--coarse-table"]


@pytest.fixture
def data_csv(tmp_path):
    p = tmp_path / "iv.csv"
    p.write_text(
        "bias_mV,current_nA\n"
        + "\n".join(f"{float(v)!r},{float(i)!r}" for v, i in zip(V, synthetic(TAUS), strict=False))
    )
    return p


def test_fit_json_files_and_prediction(tmp_path, data_csv):
    (tmp_path / "link.toml").write_text(LINK)
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main,
        [
            "fit",
            str(data_csv),
            *ARGS,
            "--json",
            "--out",
            str(out),
            "--link",
            str(tmp_path / "link.toml"),
            "--predict-bias-mV",
            repr(float(V[9])),
        ],
    )
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    for key in (
        "transmissions",
        "transmission_errors",
        "gap_meV",
        "normal_resistance_ohm",
        "chi2",
        "residual_rms_nA",
        "ill_conditioned",
        "criterion",
        "prediction",
    ):
        assert key in s
    assert np.all(np.abs(np.array(s["transmissions"]) - TAUS) < 3 * np.array(s["transmission_errors"]))
    assert sorted(p.name for p in out.iterdir()) == ["fit.json", "fit.png", "run_config.toml"]
    assert json.loads((out / "fit.json").read_text())["transmissions"] == s["transmissions"]
    # the run config is the fitted junction: spintunnel run's junction has the fitted channels, and
    # its all-orders observables are the prediction's
    cfg = load_config(out / "run_config.toml")
    j = junction_from_config(cfg)
    assert j.channel_transmissions.tolist() == pytest.approx(s["transmissions"], rel=1e-12)
    assert j.normal_resistance_ohm == pytest.approx(s["normal_resistance_ohm"], rel=1e-12)
    p = s["prediction"][0]
    assert p["bias_mV"] == V[9] and p["M_ac_amplitude_muB"]["method"] == "all_orders"
    direct = methods.get("all_orders").compute(j, [V[9]])[0]
    np.testing.assert_allclose(p["M_ac_amplitude_muB"]["value"], 2 * np.abs(direct.moment_ac_muB), rtol=1e-9)
    assert all(x > 0 for x in p["M_ac_amplitude_muB"]["fit_sigma"][2:])
    # the predicted dc charge current (the spin-active link is spin-degenerate to O(b^2) here) is the
    # measured one, within the fit's uncertainty and the data's noise (0.3 % of the largest current),
    # and the fit's own (tabulated, coarse) model within 2e-3 of it
    c = p["charge_current_dc_nA"]
    noise = 0.003 * max(abs(x) for x in synthetic(TAUS))
    assert p["measured_current_nA"] == synthetic(TAUS)[9]
    assert abs(c["value"][0] - p["measured_current_nA"]) < 3 * (c["fit_sigma"][0] + noise)
    assert p["fit_model_current_nA"] == pytest.approx(c["value"][0], rel=2e-3)


def test_fit_table_and_figure_without_json(tmp_path, data_csv, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["fit", str(data_csv), *ARGS])
    assert r.exit_code == 0, r.output
    assert "tau_1 = " in r.stdout and "R_n = pi R_Q / Sum tau" in r.stdout
    assert (tmp_path / "iv_fit.png").exists()


def _nan_in_row_3(text):
    lines = text.splitlines()
    lines[3] = lines[3].split(",")[0] + ",nan"
    return "\n".join(lines)


@pytest.mark.parametrize(
    "edit, message",
    [
        (_nan_in_row_3, "not finite"),
        (lambda t: t.replace("current_nA", "current_kA"), "unknown unit"),
    ],
)
def test_bad_data_exits_2_and_writes_nothing(tmp_path, data_csv, edit, message):
    data_csv.write_text(edit(data_csv.read_text()))
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["fit", str(data_csv), *ARGS, "--out", str(out)])
    assert r.exit_code == 2 and message in r.output
    assert not out.exists()


def test_bad_link_and_options_exit_2_before_any_work(tmp_path, data_csv):
    (tmp_path / "bad.toml").write_text(LINK + "transmissions = [0.5]\n")
    r = CliRunner().invoke(main, ["fit", str(data_csv), *ARGS, "--link", str(tmp_path / "bad.toml")])
    assert r.exit_code == 2 and "what the fit gives" in r.output
    r = CliRunner().invoke(main, ["fit", str(data_csv), "--temperature-K", "0.1", "--gap-meV", "0.18", "--tc-K", "1.2"])
    assert r.exit_code == 2 and "not both" in r.output
    few = tmp_path / "few.csv"
    few.write_text(
        "bias_mV,current_nA\n"
        + "\n".join(f"{float(v)!r},{float(i)!r}" for v, i in zip(V[:7], synthetic(TAUS)[:7], strict=False))
    )
    r = CliRunner().invoke(main, ["fit", str(few), *ARGS[:-3], "--channels", "4"])
    assert r.exit_code == 2 and "too few" in r.output
