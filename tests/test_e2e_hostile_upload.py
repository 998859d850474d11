"""Every hostile file of the "never wrong, never down" review uploaded at once in a real
browser: the Import page previews them (the step that once took the server down), imports
them, names each refused file with its reason, imports the good one, and the server is still
up afterwards."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator

import hostile_files
import pytest
from test_e2e import _serve, _settle, _shot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("e2e-hostile")
    yield from _serve(f"sqlite:///{tmp / 'app.db'}", tmp / "streamlit.log", ROYALTY_NO_SAMPLE="1")


def healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
        return r.read().strip() == b"ok"


def test_the_import_page_survives_every_hostile_file(app: str, browser) -> None:
    files = [
        {"name": name, "mimeType": "application/octet-stream", "buffer": make()}
        for name, make in hostile_files.ALL.items()
    ]
    files.append(
        {
            "name": "windows-names.zip",
            "mimeType": "application/zip",
            "buffer": hostile_files.backslash_member(),
        }
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{app}/import", timeout=120_000)
        _settle(page)
        started = time.monotonic()
        page.locator(".st-key-uploads").get_by_test_id(
            "stFileUploaderDropzoneInput"
        ).set_input_files(files)
        page.get_by_text("Preview", exact=True).wait_for(timeout=120_000)
        _settle(page, timeout=300_000)
        assert healthy(app), "the server went down during the preview"
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_role("button", name=f"Import {len(files)} files").click()
        page.get_by_text("Result", exact=True).wait_for(timeout=300_000)
        _settle(page, timeout=300_000)
        elapsed = time.monotonic() - started
        assert healthy(app), "the server went down during the import"
        assert page.locator('[data-testid="stException"]').count() == 0
        errors = [e.inner_text() for e in page.locator('[data-testid="stAlertContentError"]').all()]
        for name in hostile_files.ALL:
            assert any(name in text for text in errors), (name, errors)
        assert len(errors) == len(hostile_files.ALL), errors
        page.get_by_text("Imported 1 file").wait_for(timeout=30_000)
        assert elapsed < 240, f"previewing and importing took {elapsed:.0f} s"
        _shot(page, "import-hostile-1366")
    finally:
        page.close()
    assert healthy(app)
