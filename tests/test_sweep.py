"""Sweeps (issue 7): values against direct Junction calls, serial == dask LocalCluster,
kill + resume == uninterrupted (byte-identical file), clear config errors before any work."""

import filecmp
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner

from spintunnel.cli import main
from spintunnel.config import default_config_text, parse_config
from spintunnel.junction import RegimeWarning, junction_from_config
from spintunnel.sweep import (
    METHOD_DIM,
    SweepConfigError,
    SweepWarning,
    _with_values,
    local_cluster,
    parse_sweep,
    run_sweep,
)


def base(methods):
    """The default run config with these methods (a TOML list string) and the printed relation."""
    return default_config_text(methods=json.loads(methods), time_reversal="paper")


def config(sweep, methods='["paper", "second_order"]'):
    return base(methods) + "\n[sweep]\n" + sweep


def direct(text, values, method):
    """The method called directly at one grid point (its configured instance)."""
    cfg = _with_values(parse_sweep(text).config, values)
    return cfg.methods.method(method).compute(junction_from_config(cfg))[0]


def point(ds, method, values):
    out = {
        k: ds[k].sel({METHOD_DIM: method, **values}).values
        for k in ("M_dc", "M_ac_amplitude", "M_ac_phase", "spin_current_dc", "converged", "invalid_reason", "error")
    }
    out["given"] = dict(zip(ds["quantity"].values, out["invalid_reason"] == "", strict=True))
    return out


# ----------------------------------------------------------------------------- values
def test_sweep_equals_direct_junction_calls():
    text = config(
        '"junction.bias_mV" = {start = 0.03, stop = 0.33, num = 6}\n'
        '"junction.temperature_K" = [0.1, 0.9]\nchunk_points = 4\n'
    )
    ds = run_sweep(text, workers=0)
    assert ds["M_dc"].dims == (METHOD_DIM, "bias_mV", "temperature_K", "component")
    assert ds.bias_mV.attrs["units"] == "mV" and ds.bias_mV.attrs["config_path"] == "junction.bias_mV"
    assert ds["M_dc"].attrs["units"] == "mu_B"
    assert ds["spin_current_dc"].attrs["units"] == "mu_B/s"
    checked = 0
    for bias in (0.03, 0.21, 0.33):
        for T in (0.1, 0.9):
            sel = {"bias_mV": ds.bias_mV.values[np.argmin(abs(ds.bias_mV.values - bias))], "temperature_K": T}
            for method in ("paper", "second_order"):
                r = direct(text, {"junction.bias_mV": float(sel["bias_mV"]), "junction.temperature_K": T}, method)
                got = point(ds, method, sel)
                assert got["converged"] == r.converged
                if r.moment_ac_muB is None:
                    assert np.all(np.isnan(got["M_ac_amplitude"])) and not got["given"]["M_ac"]
                else:
                    np.testing.assert_allclose(
                        got["M_ac_amplitude"], 2 * np.abs(r.moment_ac_muB), rtol=1e-12, atol=1e-300
                    )
                np.testing.assert_allclose(got["spin_current_dc"], r.spin_current_dc_muB_per_s, rtol=1e-12, atol=1e-300)
                np.testing.assert_allclose(got["error"], [r.error(q) for q in ds["quantity"].values], rtol=1e-12)
                if r.moment_dc_muB is None:
                    assert np.all(np.isnan(got["M_dc"]))
                    assert not got["given"]["M_dc"] and got["invalid_reason"][0] == r.diagnostics.reasons["M_dc"]
                else:
                    np.testing.assert_allclose(got["M_dc"], r.moment_dc_muB, rtol=1e-12, atol=1e-300)
                checked += 1
    assert checked == 12
    # the paper method's ac part is non-zero under the printed relation: a real comparison
    assert np.nanmax(ds["M_ac_amplitude"].sel({METHOD_DIM: "paper"})) > 1e-5
    # the BCS gap follows the temperature axis
    g = ds["gap_left_meV"].isel(bias_mV=0).values
    assert g[1] < g[0] == pytest.approx(0.18, rel=1e-6)


def test_link_and_gap_axes_and_special_bias():
    # a fixed right gap replaces gap_zero_meV; bias 0.36 = Delta_L + Delta_R is a special bias
    text = config(
        '"junction.bias_mV" = [0.05, 0.36]\n"junction.right.gap_meV" = [0.18, 0.09]\n'
        '"link.kso_d" = [0.5, 1.5]\n"junction.left.gap_meV" = [0.18]\n',
        methods='["paper"]',
    )
    with (
        pytest.warns(RegimeWarning, match="2 of 8 points"),  # eV = Delta_L + Delta_R, both kso
        pytest.warns(SweepWarning, match="paper: 2 not converged"),  # and the sweep counts them
    ):
        ds = run_sweep(text, workers=0)
    sp = {"bias_mV": 0.36, "right_gap_meV": 0.18, "kso_d": 0.5, "left_gap_meV": 0.18}
    got = point(ds, "paper", sp)
    assert got["converged"] == 0 and np.all(np.isnan(got["M_ac_amplitude"])) and np.isnan(ds["paper_K_dc"].sel(sp))
    assert set(got["invalid_reason"]) == {"special_bias"}
    assert "invalid_reason" in ds["M_ac_amplitude"].attrs["note"]
    for bias, gr, kso in ((0.05, 0.09, 1.5), (0.36, 0.09, 0.5), (0.05, 0.18, 0.5)):
        v = {"junction.bias_mV": bias, "junction.right.gap_meV": gr, "link.kso_d": kso, "junction.left.gap_meV": 0.18}
        d = {"bias_mV": bias, "right_gap_meV": gr, "kso_d": kso, "left_gap_meV": 0.18}
        r = direct(text, v, "paper")
        got = point(ds, "paper", d)
        assert got["given"]["M_ac"] and got["given"]["M_dc"]
        np.testing.assert_allclose(got["M_ac_amplitude"], 2 * np.abs(r.moment_ac_muB), rtol=1e-12)
        np.testing.assert_allclose(got["M_dc"], r.moment_dc_muB, rtol=1e-12, atol=1e-300)
        assert float(ds["gap_right_meV"].sel(d)) == gr


def test_regime_flags_mark_strong_coupling_and_gap_edges():
    """Bits by hand: Delta = 0.18 meV (T = 0.1 K << T_c), so biases within 0.0036 mV of 0.18 or
    0.36 mV are at a gap edge (2); R_n = 20000 Ohm is a mean transmission 0.645 > 0.5 (1)."""
    text = config(
        '"junction.bias_mV" = [0.05, 0.179, 0.20, 0.358]\n"junction.normal_resistance_ohm" = [41000.0, 20000.0]\n',
        methods='["second_order"]',
    )
    with pytest.warns(RegimeWarning, match="6 of 8 points"):
        ds = run_sweep(text, workers=0)
    np.testing.assert_array_equal(ds["regime_flags"].values, [[0, 1], [2, 3], [0, 1], [2, 3]])
    assert list(ds["regime_flags"].attrs["flag_masks"]) == [1, 2]


def test_sweep_stores_the_higher_harmonics():
    """all_orders at R_n = 30 R_Q: harmonics k = 1..4 as the method gives them (k = 1 is
    M_ac); second_order gives none (NaN, not_at_this_order); the 'recommended' entry takes
    all_orders' harmonics and second_order's static moment where all_orders gives none."""
    text = config(
        '"junction.bias_mV" = [0.07, 0.13]\n"junction.normal_resistance_ohm" = [123000.0]\n',
        methods='["second_order", "all_orders"]',
    )
    ds = run_sweep(text, workers=0)
    assert ds["M_harmonics_amplitude"].dims == (METHOD_DIM, "bias_mV", "normal_resistance_ohm", "harmonic", "component")
    for bias in (0.07, 0.13):
        sel = {"bias_mV": bias, "normal_resistance_ohm": 123000.0}
        r = direct(text, {"junction.bias_mV": bias, "junction.normal_resistance_ohm": 123000.0}, "all_orders")
        got = ds["M_harmonics_amplitude"].sel({METHOD_DIM: "all_orders", **sel}).values
        np.testing.assert_allclose(got, 2 * np.abs(r.harmonics()), rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(
            got[0], ds["M_ac_amplitude"].sel({METHOD_DIM: "all_orders", **sel}).values, rtol=1e-12
        )
        assert got[1].max() > 1e-3 * got[0].max()
        second = ds["M_harmonics_amplitude"].sel({METHOD_DIM: "second_order", **sel}).values
        assert np.all(np.isnan(second))  # zero at second order: not given (not_at_this_order)
        rec = ds["M_harmonics_amplitude"].sel({METHOD_DIM: "recommended", **sel}).values
        np.testing.assert_array_equal(rec, got)
        chosen = dict(zip(ds["quantity"].values, ds["recommended_method"].sel(sel).values, strict=True))
        assert chosen["M_ac"] == "all_orders" and chosen["M_harmonics"] == "all_orders"
        if r.moment_dc_muB is None:
            assert chosen["M_dc"] == "second_order"
            np.testing.assert_array_equal(
                ds["M_dc"].sel({METHOD_DIM: "recommended", **sel}).values,
                ds["M_dc"].sel({METHOD_DIM: "second_order", **sel}).values,
            )


def test_second_sweep_on_the_same_output_is_refused(tmp_path):
    """A sweep holds output.parts/LOCK (flock) while it runs; another one on the same output
    stops with a clear error and touches nothing; once released, the sweep runs and cleans up."""
    import fcntl

    text = config('"junction.bias_mV" = [0.05, 0.1]\n')
    out, parts = tmp_path / "r.nc", tmp_path / "r.nc.parts"
    parts.mkdir()
    with open(parts / "LOCK", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running sweep does
        with pytest.raises(SweepConfigError, match="another sweep is writing"):
            run_sweep(text, out, workers=0)
        assert not out.exists() and [p.name for p in parts.iterdir()] == ["LOCK"]
    run_sweep(text, out, workers=0)
    assert out.exists() and not parts.exists()


# ----------------------------------------------------------------------------- errors first
@pytest.mark.parametrize(
    "axis, message",
    [
        ('"junction.bias_volts" = [0.1]', "no field 'bias_volts'"),
        ('"link.theta_rad" = [0.1]', "no field 'theta_rad'"),  # not a field of the straight link
        ('"methods.time_reversal" = [1.0]', "not a junction, link"),
        ('"junction.left" = [1.0]', "not a numeric field"),
        ('"junction.bias_mV" = {start = 0.1, stop = 0.2, num = 0}', "empty range"),
        ('"junction.bias_mV" = []', "empty list"),
        ('"junction.temperature_K" = [0.1, -1.0]', "value -1.0 is invalid"),
        ('"junction.bias_mV" = {start = 0.1, stop = 0.2}', "missing: ['num']"),
        ("chunksize = 3", "unknown option"),
        ('"junction.bias_mV" = [0.1]\n[junction.extra]\nx = 1', "junction.extra: Extra inputs"),
    ],
)
def test_bad_axis_is_a_clear_error_before_any_work(tmp_path, axis, message):
    text = config(axis + "\n")
    with pytest.raises(SweepConfigError, match="(?s)" + message.replace("[", r"\[").replace("(", r"\(")):
        parse_sweep(text)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    res = CliRunner().invoke(main, ["sweep", str(path), "--workers", "0", "--out", str(tmp_path / "r.nc")])
    assert res.exit_code == 2 and "error" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]  # nothing written, nothing started


# ----------------------------------------------------------------------------- dask
@pytest.mark.filterwarnings("ignore::spintunnel.junction.RegimeWarning")  # one bias near Delta, by design
def test_local_cluster_two_processes_equals_serial(tmp_path):
    import distributed

    text = config(
        '"junction.bias_mV" = {start = 0.02, stop = 0.4, num = 9}\n'
        '"junction.temperature_K" = [0.1, 0.7]\nchunk_points = 4\n'
    )
    serial = tmp_path / "serial.nc"
    run_sweep(text, serial, workers=0)
    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        ds = run_sweep(text, tmp_path / "dask.nc", client=client)
    assert ds.identical(xr.open_dataset(serial, engine="scipy"))
    assert filecmp.cmp(serial, tmp_path / "dask.nc", shallow=False)


# ----------------------------------------------------------------------------- resume
def test_killed_sweep_resumes_to_the_identical_file(tmp_path):
    text = config(
        '"junction.bias_mV" = {start = 0.02, stop = 0.34, num = 40}\n'
        '"junction.temperature_K" = [0.1]\nchunk_points = 3\n',
        methods='["second_order"]',
    )
    ref = tmp_path / "ref.nc"
    run_sweep(text, ref, workers=0)
    cfg = tmp_path / "s.toml"
    cfg.write_text(text)
    out = tmp_path / "out.nc"
    parts = tmp_path / "out.nc.parts"
    cmd = [sys.executable, "-m", "spintunnel", "sweep", str(cfg), "--workers", "0", "--out", str(out), "--quiet"]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and len(list(parts.glob("chunk-*.npz"))) < 3:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("chunk-*.npz")))
    assert 3 <= done < 14 and not out.exists()  # killed midway (14 chunks in all)
    ticks = []
    ds = run_sweep(text, out, workers=0, progress=ticks.append)
    assert ticks[0] >= done and sum(ticks) == 14  # resumed from the finished chunks
    assert filecmp.cmp(ref, out, shallow=False) and not parts.exists()
    assert ds.identical(xr.open_dataset(ref, engine="scipy"))


def test_changed_config_does_not_mix_with_old_chunks(tmp_path):
    text = config('"junction.bias_mV" = [0.05, 0.1, 0.15]\nchunk_points = 1\n', methods='["paper"]')
    out = tmp_path / "r.nc"
    run_sweep(text, out, workers=0, keep_parts=True)
    other = text.replace("kso_d = 1.0", "kso_d = 1.2")
    with pytest.raises(SweepConfigError, match="different sweep"):
        run_sweep(other, out, workers=0)
    ds = run_sweep(other, out, workers=0, restart=True)
    assert ds.attrs["config_toml"] == other


# ----------------------------------------------------------------------------- CLI, figures
def test_cli_sweep_and_plot(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(config('"junction.bias_mV" = {start = 0.02, stop = 0.3, num = 5}\n', methods='["paper"]'))
    res = CliRunner().invoke(main, ["sweep", str(path), "--workers", "0"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "points/s" in res.output and (tmp_path / "s.nc").exists()
    ds = xr.open_dataset(tmp_path / "s.nc", engine="scipy")
    assert ds.attrs["config_toml"] == path.read_text()
    assert parse_sweep(ds.attrs["config_toml"]).config == parse_config(base('["paper"]'))
    assert ds.attrs["spintunnel_version"]
    res = CliRunner().invoke(main, ["plot", str(tmp_path / "s.nc")], catch_exceptions=False)
    assert res.exit_code == 0 and (tmp_path / "s.png").stat().st_size > 1000
    path.write_text(config('"junction.bias_mV" = [0.05, 0.1]\n"link.b" = [0.001, 0.003, 0.005]\n', methods='["paper"]'))
    CliRunner().invoke(main, ["sweep", str(path), "--workers", "0", "--quiet"], catch_exceptions=False)
    res = CliRunner().invoke(
        main, ["plot", str(tmp_path / "s.nc"), "--variable", "M_dc", "--out", str(tmp_path / "map.png")]
    )
    assert res.exit_code == 0 and (tmp_path / "map.png").stat().st_size > 1000
    res = CliRunner().invoke(main, ["plot", str(tmp_path / "s.nc"), "--variable", "nope"])
    assert res.exit_code == 2 and "nope" in res.output


def test_worker_killed_mid_sweep_loses_no_finished_chunk(tmp_path):
    import distributed

    text = config(
        '"junction.bias_mV" = {start = 0.02, stop = 0.34, num = 16}\nchunk_points = 2\n', methods='["second_order"]'
    )
    serial = run_sweep(text, workers=0)
    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        killed = []

        def progress(n):  # after the second finished chunk, SIGKILL one worker process
            if n and not killed and len(list((tmp_path / "r.nc.parts").glob("chunk-*.npz"))) >= 2:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        ds = run_sweep(text, tmp_path / "r.nc", client=client, progress=progress)
    assert killed
    assert ds.identical(serial)


def test_oversized_sweep_is_refused_before_any_work(tmp_path):
    """10^5 x 10^4 points: refused at once (no allocation, no computation), exit 2, one line
    naming --max-points; nothing written."""
    path = tmp_path / "huge.toml"
    path.write_text(
        config(
            '"junction.bias_mV" = {start = 0.01, stop = 0.3, num = 100000}\n'
            '"junction.temperature_K" = {start = 0.05, stop = 0.6, num = 10000}\n',
            methods='["paper"]',
        )
    )
    t0 = time.perf_counter()
    res = CliRunner().invoke(main, ["sweep", str(path), "--workers", "0"])
    assert res.exit_code == 2 and "--max-points" in res.output and "1,000,000,000 points" in res.output
    assert time.perf_counter() - t0 < 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.toml"]


def test_sweep_prints_the_measured_time_before_it_starts(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(config('"junction.bias_mV" = [0.05, 0.1, 0.15]\n', methods='["paper"]'))
    res = CliRunner().invoke(main, ["sweep", str(path), "--workers", "0", "--max-points", "3"], catch_exceptions=False)
    assert res.exit_code == 0
    first = [line for line in res.output.splitlines() if line.startswith("sweep:")][0]
    assert "3 points" in first and "s per point" in first and "about" in first


def test_terminated_sweep_stops_cleanly_and_resumes(tmp_path):
    """SIGTERM (as Ctrl-C) during a sweep on a 2-process local cluster: one line
    'interrupted; ...', exit 130, no worker tracebacks, no process left; the same command
    then finishes to the file of an uninterrupted serial run."""
    text = config(
        '"junction.bias_mV" = {start = 0.02, stop = 0.34, num = 40}\nchunk_points = 2\n', methods='["second_order"]'
    )
    path = tmp_path / "t.toml"
    path.write_text(text)
    cmd = [sys.executable, "-m", "spintunnel", "sweep", str(path), "--workers", "2", "--out", str(tmp_path / "t.nc")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    parts = tmp_path / "t.nc.parts"
    for _ in range(600):  # wait for the first finished chunk
        if list(parts.glob("chunk-*.npz")) or proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    err = err.decode()
    assert proc.returncode != 0, "the sweep finished before SIGTERM: make it longer"
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "error: interrupted; run the same command again to resume"
    assert "Traceback" not in err and "leaked" not in err
    res = subprocess.run(cmd, capture_output=True, timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    assert filecmp.cmp(tmp_path / "t.nc", _serial_file(text, tmp_path), shallow=False)


def _serial_file(text, tmp_path):
    ref = tmp_path / "ref.nc"
    run_sweep(text, ref, workers=0)
    return ref


def test_scheduler_path_with_separate_worker_processes(tmp_path):
    """`spintunnel sweep --scheduler ADDRESS` against a `dask scheduler` and two `dask worker`
    processes started on their own (not a LocalCluster): the file equals the serial one, and
    the default chunking gives every worker work (at least 2 chunks per worker)."""
    from spintunnel.sweep import spawn_cluster

    text = config(
        '"junction.bias_mV" = {start = 0.02, stop = 0.34, num = 8}\n"link.b" = [0.001, 0.003]\n',
        methods='["second_order", "all_orders"]',
    )
    path = tmp_path / "c.toml"
    path.write_text(text)
    assert len(parse_sweep(text).chunks()) >= 4
    with spawn_cluster(2) as address:
        res = CliRunner().invoke(
            main,
            ["sweep", str(path), "--scheduler", address, "--out", str(tmp_path / "c.nc"), "--quiet"],
            catch_exceptions=False,
        )
    assert res.exit_code == 0, res.output
    assert filecmp.cmp(tmp_path / "c.nc", _serial_file(text, tmp_path), shallow=False)
