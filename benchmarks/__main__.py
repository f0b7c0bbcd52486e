"""`make bench`: run every benchmark and print one table."""

from __future__ import annotations

import importlib
import sys

# Each module exposes run() -> list of (measure, result) rows. Optional ones are skipped if absent.
MODULES = ("benchmarks.core_bench", "benchmarks.slack_http", "benchmarks.runtime_bench")


def main() -> int:
    rows: list[tuple[str, str]] = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name == name:
                continue
            raise
        if not hasattr(module, "run"):
            print(f"skipping {name}: it has no run()", file=sys.stderr)
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run())
    width = max(len(measure) for measure, _ in rows)
    print(f"{'measure'.ljust(width)} | result")
    print(f"{'-' * width}-|-{'-' * 40}")
    for measure, result in rows:
        print(f"{measure.ljust(width)} | {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
