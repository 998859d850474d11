"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

Storage and import tests take the ``engine`` fixture and so run once per backend. PostgreSQL
runs when ``ROYALTY_TEST_POSTGRES_URL`` names a server (``.ci/run`` starts a throwaway one);
in CI (``CI=true``) a missing server is an error, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from royalty.store.db import make_engine

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("ROYALTY_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and not PG_URL:
        raise pytest.UsageError(
            "CI=true but ROYALTY_TEST_POSTGRES_URL is not set: PostgreSQL tests must run in CI"
        )


def chromium_path() -> str | None:
    """Debian's chromium; browser tests skip without it locally, and fail in CI."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and IN_CI:
        raise RuntimeError(
            "CI=true but no chromium on PATH: .ci/run must install Debian's chromium"
        )
    return path


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium on PATH")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty database with the schema, on each configured backend."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        yield eng
        eng.dispose()
        return
    eng = make_engine(PG_URL)
    SQLModel.metadata.drop_all(eng)  # a clean slate even after an interrupted run
    SQLModel.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path):
    """SQLite only, for tests that are about the app rather than the storage backend."""
    eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    yield eng
    eng.dispose()
