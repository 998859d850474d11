"""Large generated statements for the concurrency and fault tests (the benchmark's generator)."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


@cache
def _benchmark() -> ModuleType:
    path = ROOT / "benchmarks" / "import_benchmark.py"
    spec = importlib.util.spec_from_file_location("royalty_import_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_distrokid(path: Path, rows: int, seed: int = 20260301) -> Decimal:
    """A DistroKid "Excruciating detail" TSV of ``rows`` lines; returns its exact total.

    Files of different seeds share the catalogue (artists, tracks, stores) but no content.
    """
    return _benchmark().write_statement(path, rows, seed=seed)
