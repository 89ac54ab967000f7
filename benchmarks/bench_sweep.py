"""Sweep throughput: points per second serial vs a 2-process dask LocalCluster, a 10^5-point
bias x temperature grid (method 'paper': one vectorised kernel call per row), and (issue 19)
the all-orders sweeps against a real `dask scheduler` with two `dask worker` processes: an
80-point bias x link.b sweep with second_order and all_orders (target <= 15 s), and a
100 x 100 all-orders map (target <= 15 min; skipped with SPINTUNNEL_BENCH_QUICK=1).

The clusters' start-up is timed separately from the sweeps.
"""

import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from spintunnel.config import default_config_text  # noqa: E402  (after the thread settings)


def base(methods):
    """The default run config with these methods (a TOML list string) and the printed relation."""
    return default_config_text(methods=json.loads(methods), time_reversal="paper")


def grid(n_bias, n_temp, methods='["paper"]', chunk=None):
    text = base(methods) + "\n[sweep]\n"
    # bias cell centres on (0, 0.34) mV stay clear of the special biases 0.36 mV (2 Delta)
    text += (
        f'"junction.bias_mV" = {{start = {0.34 / (2 * n_bias)}, stop = {0.34 - 0.34 / (2 * n_bias)}, num = {n_bias}}}\n'
    )
    text += f'"junction.temperature_K" = {{start = 0.05, stop = 1.0, num = {n_temp}}}\n'
    if chunk:
        text += f"chunk_points = {chunk}\n"
    return text


def timed(text, out, **kw):
    from spintunnel.sweep import parse_sweep, run_sweep

    spec = parse_sweep(text)
    t0 = time.perf_counter()
    run_sweep(spec, out, restart=True, **kw)
    dt = time.perf_counter() - t0
    return spec.size, dt


def main():
    import distributed

    from spintunnel.sweep import local_cluster

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        cluster = local_cluster(2)  # what `spintunnel sweep --workers 2` starts
        client = distributed.Client(cluster)
        startup = time.perf_counter() - t0
        one = local_cluster(1)  # the same worker environment, one process: the per-core speed
        client1 = distributed.Client(one)
        try:
            cases = [
                ("paper, 500 bias x 40 T (20,000 points)", grid(500, 40)),
                ("second_order, 40 bias x 1 T (40 points)", grid(40, 1, '["second_order"]', chunk=4)),
            ]
            for label, text in cases:
                n, ts = timed(text, tmp / "s.nc", workers=0)
                n, t1 = timed(text, tmp / "one.nc", client=client1)
                n, td = timed(text, tmp / "d.nc", client=client)
                same = (tmp / "s.nc").read_bytes() == (tmp / "d.nc").read_bytes() == (tmp / "one.nc").read_bytes()
                rows.append((label, n / ts, n / t1, n / td, same))
            big = grid(1000, 100)
            n, t_big_d = timed(big, tmp / "big_d.nc", client=client)
            n, t_big_s = timed(big, tmp / "big_s.nc", workers=0)
            size_mb = (tmp / "big_d.nc").stat().st_size / 1e6
            big_same = (tmp / "big_d.nc").read_bytes() == (tmp / "big_s.nc").read_bytes()
        finally:
            client1.close()
            one.close()
            client.close()
            cluster.close()
    print(f"dask LocalCluster start-up (2 processes, 1 thread each): {startup:.2f} s (not in the figures below)")
    print(
        f"{'grid':42s} {'serial pts/s':>13s} {'1 worker':>10s} {'2 workers':>10s} {'2w/serial':>10s} {'2w/1w':>6s}  files identical"
    )
    for label, s, one_, d, same in rows:
        print(f"{label:42s} {s:13.1f} {one_:10.1f} {d:10.1f} {d / s:10.2f} {d / one_:6.2f}  {same}")
    print(
        f"10^5-point bias x temperature grid (1000 x 100, paper method, T = 0.05..1 K): "
        f"2 workers {t_big_d:.2f} s ({n / t_big_d:,.0f} pts/s), serial {t_big_s:.2f} s ({n / t_big_s:,.0f} pts/s); "
        f"NetCDF {size_mb:.1f} MB; files identical: {big_same}"
    )
    all_orders_on_a_real_cluster()


def link_grid(n_bias, n_b, methods):
    text = base(methods) + "\n[sweep]\n"
    text += f'"junction.bias_mV" = {{start = 0.02, stop = 0.34, num = {n_bias}}}\n'
    text += f'"link.b" = {{start = 0.001, stop = 0.01, num = {n_b}}}\n'
    return text


def all_orders_on_a_real_cluster():
    """Issue 19: scheduler and workers as separate processes (`spintunnel sweep --scheduler`)."""
    from spintunnel.sweep import parse_sweep, spawn_cluster

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        with spawn_cluster(2) as address:
            startup = time.perf_counter() - t0
            small = link_grid(16, 5, '["second_order", "all_orders"]')
            spec = parse_sweep(small)
            n, t_small = timed(small, tmp / "small.nc", scheduler=address)
            n_s, t_small_serial = timed(small, tmp / "small_s.nc", workers=0)
            same = (tmp / "small.nc").read_bytes() == (tmp / "small_s.nc").read_bytes()
            print(f"dask scheduler + 2 dask worker processes, start-up {startup:.1f} s (not in the figures)")
            print(
                f"80-point sweep (16 bias x 5 link.b, second_order + all_orders, {len(spec.chunks())} chunks of "
                f"{spec.chunk_points}): 2 workers {t_small:.1f} s (target <= 15 s), serial {t_small_serial:.1f} s, "
                f"ratio {t_small_serial / t_small:.2f}; files identical: {same}"
            )
            if os.environ.get("SPINTUNNEL_BENCH_QUICK"):
                print("100 x 100 all-orders map: skipped (SPINTUNNEL_BENCH_QUICK)")
                return
            big = link_grid(100, 100, '["all_orders"]')
            spec = parse_sweep(big)
            n, t_big = timed(big, tmp / "big.nc", scheduler=address)
            print(
                f"100 x 100 all-orders map ({n} points, {len(spec.chunks())} chunks of {spec.chunk_points}): "
                f"2 workers {t_big / 60:.1f} min (target <= 15 min), {n / t_big:.1f} points/s"
            )


if __name__ == "__main__":
    main()
