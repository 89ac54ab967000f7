"""Sweep throughput: points per second serial vs a 2-process dask LocalCluster, and a
10^5-point bias x temperature grid (method 'paper': one vectorised kernel call per row).

The cluster's start-up is timed separately from the sweeps (a client is passed in).
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
    text += f'"junction.bias_mV" = {{start = {0.34 / (2 * n_bias)}, stop = {0.34 - 0.34 / (2 * n_bias)}, num = {n_bias}}}\n'
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
    print(f"{'grid':42s} {'serial pts/s':>13s} {'1 worker':>10s} {'2 workers':>10s} {'2w/serial':>10s} {'2w/1w':>6s}  files identical")
    for label, s, one_, d, same in rows:
        print(f"{label:42s} {s:13.1f} {one_:10.1f} {d:10.1f} {d / s:10.2f} {d / one_:6.2f}  {same}")
    print(f"10^5-point bias x temperature grid (1000 x 100, paper method, T = 0.05..1 K): "
          f"2 workers {t_big_d:.2f} s ({n / t_big_d:,.0f} pts/s), serial {t_big_s:.2f} s ({n / t_big_s:,.0f} pts/s); "
          f"NetCDF {size_mb:.1f} MB; files identical: {big_same}")


if __name__ == "__main__":
    main()
