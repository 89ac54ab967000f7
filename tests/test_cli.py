"""End to end: `spintunnel run` on the default and on a few configs; files reopened."""

import json

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner
from scipy import constants as C

from spintunnel.cli import main
from spintunnel.config import DEFAULT_CONFIG_TOML, parse_config


def run(args, tmp_path):
    return CliRunner().invoke(main, ["run", *args], catch_exceptions=False)


def small(text):
    """The config with a short bias sweep (the sweep's content is tested elsewhere)."""
    return text.replace("sweep_points = 48", "sweep_points = 4")


def test_default_run_writes_every_output(tmp_path):
    out = tmp_path / "out"
    res = run(["--out", str(out), "--quiet"], tmp_path)  # the README's first command, in-process
    assert res.exit_code == 0, res.output
    assert "Josephson frequency" in res.output and "# [junction]" in res.output
    names = {p.name for p in out.iterdir()}
    assert {"results.json", "trace.nc", "trace.png", "bias_sweep.png", "spin_factor_geometry.png"} <= names
    summary = json.loads((out / "results.json").read_text())
    assert set(summary["methods"]) == {"paper", "second_order", "all_orders"}
    assert summary["junction"]["R_Q_ohm"] == pytest.approx(4108.2359, rel=1e-6)
    # NetCDF round trip: the trace equals M_dc + Sum_k 2 Re[m_k e^{ik(phi0 + omega t)}] rebuilt from the JSON
    ds = xr.open_dataset(out / "trace.nc", engine="scipy")
    assert ds["magnetization"].attrs["units"] == "mu_B" and ds["time"].attrs["units"] == "ns"
    assert parse_config(ds.attrs["config_toml"]) == parse_config(DEFAULT_CONFIG_TOML)
    f = summary["junction"]["josephson_frequency_GHz"]
    t_ns = ds["time"].values
    for m in ("paper", "second_order", "all_orders"):
        s = summary["methods"][m]
        amp = np.array(s["M_ac_amplitude_muB"] or [0.0, 0.0, 0.0])  # None: not given (second order)
        ph = np.array(s["M_ac_phase_rad"] or [0.0, 0.0, 0.0])
        dc = np.array(s["M_dc_muB"] or [0.0, 0.0, 0.0])
        dc_current = np.array(s["spin_current_dc_muB_per_s"]) if s["M_dc_muB"] is None else 0.0
        dc = dc[None, :] + dc_current * t_ns[:, None] * 1e-9
        phi0 = summary["junction"]["phi0_rad"]
        rebuilt = dc + sum(
            np.array(a)[None, :] * np.cos(np.array(p)[None, :] + k * (phi0 + 2 * np.pi * f * t_ns[:, None]))
            for k, (a, p) in enumerate(
                zip(s["M_harmonics_amplitude_muB"], s["M_harmonics_phase_rad"], strict=True), start=1
            )
        )
        np.testing.assert_allclose(s["M_harmonics_amplitude_muB"][0], amp)
        np.testing.assert_allclose(s["M_harmonics_phase_rad"][0], ph)
        np.testing.assert_allclose(
            ds["magnetization"].sel(method_name=m).values, rebuilt, atol=1e-12 * max(1, np.abs(rebuilt).max())
        )
    ds.close()


def test_json_output_parses(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(small(DEFAULT_CONFIG_TOML))
    res = run([str(cfg), "--out", str(tmp_path / "o"), "--json", "--quiet"], tmp_path)
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["junction"]["bias_mV"] == pytest.approx(0.09)


def test_print_default_config_round_trips(tmp_path):
    res = run(["--print-default-config"], tmp_path)
    assert res.exit_code == 0
    assert parse_config(res.output) == parse_config(DEFAULT_CONFIG_TOML)


def test_zero_bias_gives_no_magnetization(tmp_path):
    cfg = tmp_path / "v0.toml"
    cfg.write_text(small(DEFAULT_CONFIG_TOML).replace("bias_mV = 0.09", "bias_mV = 0.0"))
    res = run([str(cfg), "--out", str(tmp_path / "o"), "--quiet"], tmp_path)
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "o" / "results.json").read_text())
    for m in summary["methods"].values():
        # round-off only: the signals at eV = Delta/2 are ~1e-5 mu_B
        assert m["M_ac_amplitude_norm_muB"] is None or m["M_ac_amplitude_norm_muB"] < 1e-15
        assert m["M_dc_muB"] is None or np.abs(m["M_dc_muB"]).max() < 1e-15


@pytest.mark.parametrize(
    "edit",
    [
        ("temperature_K = 0.1", "temperature_K = -1.0"),
        ("bias_mV = 0.09", "bias_mV = nan"),
        ("pdf = false", "pdf = false\nunknown_key = 3"),
        ("kso_d = 1.0\n", ""),
    ],
)
def test_bad_config_exits_2_and_writes_nothing(tmp_path, edit):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(DEFAULT_CONFIG_TOML.replace(*edit))
    out = tmp_path / "o"
    res = CliRunner().invoke(main, ["run", str(cfg), "--out", str(out)])
    assert res.exit_code == 2
    assert "error" in res.output
    assert not out.exists()


def test_unusable_out_is_refused_before_any_work(tmp_path):
    """A path under a file, or a folder that cannot be written: exit 2 with one line, before
    anything is computed (so it is fast) and without leaving anything behind."""
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    for out in (blocker / "out", blocker, "/proc/spintunnel-out"):
        res = CliRunner().invoke(main, ["run", "--out", str(out), "--quiet"])
        assert res.exit_code == 2, (out, res.output)
        assert res.output.count("\n") == 1 and res.output.startswith("error: --out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


@pytest.mark.parametrize("edit, field", [("bias_mV = 0.09", 'bias_mV = "0.09"'), ("periods = 3.0", 'periods = "3"')])
def test_a_number_given_as_text_is_a_config_error(tmp_path, edit, field):
    cfg = tmp_path / "text.toml"
    cfg.write_text(DEFAULT_CONFIG_TOML.replace(edit, field))
    res = CliRunner().invoke(main, ["run", str(cfg), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and field.split(" = ")[0] in res.output and "valid number" in res.output
    assert not (tmp_path / "o").exists()


def test_negative_bias_prints_magnitudes_and_frequencies_as_positive(tmp_path):
    cfg = tmp_path / "neg.toml"
    cfg.write_text(
        small(DEFAULT_CONFIG_TOML)
        .replace("bias_mV = 0.09", "bias_mV = -0.09")
        .replace('methods = ["paper", "second_order", "all_orders"]', 'methods = ["paper", "second_order"]')
    )
    res = run([str(cfg), "--out", str(tmp_path / "o"), "--quiet"], tmp_path)
    assert res.exit_code == 0, res.output
    assert "-0.00" not in res.output and "= -" not in res.output.split("the supplement's estimates")[1].split("\n")[1]
    s = json.loads((tmp_path / "o" / "results.json").read_text())
    assert s["junction"]["josephson_frequency_GHz"] == pytest.approx(
        2 * C.e * 0.09e-3 / C.h * 1e-9, rel=1e-9
    )  # |2eV|/h
    assert s["estimates"]["S30_ac_moment_with_3_16_muB"] > 0
    for m in s["methods"].values():
        assert m["M_ac_amplitude_norm_muB"] is None or (
            m["M_ac_amplitude_norm_muB"] >= 0 and min(m["M_ac_amplitude_muB"]) >= 0
        )


def test_run_with_the_exact_method(tmp_path):
    cfg = tmp_path / "exact.toml"
    cfg.write_text(
        small(DEFAULT_CONFIG_TOML).replace(
            'methods = ["paper", "second_order", "all_orders"]', 'methods = ["second_order", "exact"]'
        )
    )
    out = tmp_path / "o"
    res = run([str(cfg), "--out", str(out), "--quiet"], tmp_path)
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "results.json").read_text())
    exact, second = summary["methods"]["exact"], summary["methods"]["second_order"]
    # the finite model (band 8 Delta, 16 levels) is within ~25% of the infinite-band continuum
    assert np.array(exact["M_dc_muB"]) == pytest.approx(np.array(second["M_dc_muB"]), rel=0.25, abs=1e-12)
    assert any("finite model" in n for n in exact["notes"])


def test_spin_relaxation_time_gives_the_steady_moment_of_the_relaxation_model(tmp_path):
    """With tau_s the report gives the static part of the periodic steady state of
    dM/dt = I_s(t) - M/tau_s.  Checked against that ODE integrated numerically (scipy) from
    M = 0 over 12 tau_s with the reported spin current (dc + 2eV harmonic), in SI units."""
    from scipy.integrate import solve_ivp

    tau_ns = 0.05
    text = (
        small(DEFAULT_CONFIG_TOML)
        .replace("# spin_relaxation_time_ns = 0.1", f"spin_relaxation_time_ns = {tau_ns}")
        .replace('methods = ["paper", "second_order", "all_orders"]', 'methods = ["all_orders"]')
    )
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    res = run([str(cfg), "--out", str(tmp_path / "o"), "--quiet"], tmp_path)
    assert res.exit_code == 0, res.output
    assert "tau_s I_s,dc, tau_s = 0.05 ns" in res.output
    s = json.loads((tmp_path / "o" / "results.json").read_text())
    f = s["junction"]["josephson_frequency_GHz"] * 1e9
    m = s["methods"]["all_orders"]
    i_dc = np.array(m["spin_current_dc_muB_per_s"])
    amp, ph = np.array(m["M_ac_amplitude_muB"]), np.array(m["M_ac_phase_rad"])
    assert np.abs(i_dc).max() > 0  # the default junction injects: a dc spin current flows
    tau, w = tau_ns * 1e-9, 2 * np.pi * f

    def rhs(t, M):
        return i_dc - amp * w * np.sin(ph + w * t) - M / tau

    period = 1 / f
    t_end = 12 * tau
    t_eval = t_end - period + period * np.arange(64) / 64
    sol = solve_ivp(rhs, (0, t_end), np.zeros(3), t_eval=t_eval, rtol=1e-10, atol=1e-30, max_step=period / 20)
    steady = sol.y.mean(axis=1)
    np.testing.assert_allclose(m["M_relaxed_muB"], steady, rtol=1e-4, atol=1e-4 * np.abs(steady).max())
