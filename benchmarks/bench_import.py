"""Start-up time (issue 24): `import spintunnel` and `spintunnel --help` in fresh interpreters,
target <= 0.5 s each, side by side with the eager `__init__` of before the lazy import
(commit BASELINE_COMMIT, read by `git show` into a copy of today's package) and with a bare
`python -c pass`.

cold: the first run with an empty bytecode cache (PYTHONPYCACHEPREFIX pointing to a new
folder), so every module the command imports, the standard library's included, is compiled
from source: the worst case after an install or an upgrade.  warm: the median of the next
runs, with that cache filled.  The operating system's file cache is not dropped.
"""

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "5817e13"  # the last commit with the eager __init__
RUNS = 7
TARGET_S = 0.5


def _timed(argv, env) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def cold_warm(argv, src=None) -> tuple[float, float]:
    """(cold, warm median) seconds of ``argv`` with ``src`` first on sys.path (None: installed)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        if src is not None:
            env["PYTHONPATH"] = str(src)
        cold = _timed(argv, env)
        warm = statistics.median(_timed(argv, env) for _ in range(RUNS))
    return cold, warm


def _baseline_package() -> pathlib.Path | None:
    """Today's package with the eager __init__ of BASELINE_COMMIT (None without git)."""
    try:
        text = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:src/spintunnel/__init__.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="spintunnel_eager_"))
    shutil.copytree(ROOT / "src" / "spintunnel", tmp / "spintunnel")
    (tmp / "spintunnel" / "__init__.py").write_text(text)
    return tmp


def main():
    py = sys.executable
    commands = {
        "import spintunnel": [py, "-c", "import spintunnel"],
        "spintunnel --help": [py, "-m", "spintunnel", "--help"],
    }
    bare = cold_warm([py, "-c", "pass"])
    print(f"python -c pass: cold {bare[0]:.3f} s, warm {bare[1]:.3f} s")
    eager = _baseline_package()
    for name, argv in commands.items():
        cold, warm = cold_warm(argv, ROOT / "src")
        line = f"{name}: cold {cold:.3f} s, warm {warm:.3f} s (target <= {TARGET_S} s)"
        if eager is not None:
            e_cold, e_warm = cold_warm(argv, eager)
            line += f"; eager __init__ of {BASELINE_COMMIT}: cold {e_cold:.3f} s, warm {e_warm:.3f} s"
        print(line, "PASS" if warm <= TARGET_S else "MISS", flush=True)
    if eager is not None:
        shutil.rmtree(eager, ignore_errors=True)


if __name__ == "__main__":
    main()
