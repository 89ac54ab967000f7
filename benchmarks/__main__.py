"""Run every benchmarks/bench_*.py module's ``main()`` in turn: ``python -m benchmarks``."""

import importlib.util
import pathlib
import sys


def run_all():
    here = pathlib.Path(__file__).resolve().parent
    root = here.parent
    if str(root / "src") not in sys.path:
        sys.path.insert(0, str(root / "src"))
    for path in sorted(here.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(f"benchmarks.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"=== {path.stem} ===", flush=True)
        module.main()


if __name__ == "__main__":
    run_all()
