"""The system Chromium, run headless and offline, for report screenshots and PDFs.

Reports are rendered by the browser the machine already has (Debian's ``chromium``): nothing is
downloaded at run time, and the flags below keep Chromium from calling home (no background
networking, component updates, sync or first-run work) and make every host name unresolvable,
so a report can never fetch anything while it is rendered. Each run gets a fresh profile
directory, which is deleted afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--hide-scrollbars",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
TIMEOUT_SECONDS = 120


class BrowserError(RuntimeError):
    """Chromium is missing or failed; the message says what to install or what went wrong."""


def chromium() -> str:
    """Path of the browser: ``$BROWSER_PATH`` if set (the variable kaleido also reads), else PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        if Path(explicit).is_file():
            return explicit
        raise BrowserError(f"BROWSER_PATH={explicit!r} is not a file; point it at chromium")
    for name in BROWSER_NAMES:
        if found := shutil.which(name):
            return found
    raise BrowserError(
        "PNG and PDF reports need Chromium: install it (Debian/Ubuntu: apt-get install chromium) "
        "or set BROWSER_PATH to a Chrome or Chromium executable. HTML, XLSX and CSV work without it."
    )


def _run(args: list[str], workdir: Path) -> None:
    profile = workdir / "profile"
    command = [chromium(), *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args]
    try:
        done = subprocess.run(
            command,
            cwd=workdir,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise BrowserError(f"Chromium did not finish within {TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise BrowserError(f"Chromium failed (exit {done.returncode}): " + " / ".join(tail))


def screenshot(html: str, width: int, height: int) -> bytes:
    """PNG of an HTML page at exactly ``width`` x ``height`` CSS pixels (scale factor 1)."""
    with tempfile.TemporaryDirectory(prefix="royalty-shot-") as tmp:
        workdir = Path(tmp)
        page = workdir / "page.html"
        page.write_text(html, encoding="utf-8")
        out = workdir / "shot.png"
        _run(
            [
                f"--window-size={width},{height}",
                "--force-device-scale-factor=1",
                "--run-all-compositor-stages-before-draw",
                "--virtual-time-budget=5000",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            workdir,
        )
        if not out.is_file():
            raise BrowserError("Chromium wrote no screenshot")
        return out.read_bytes()


def print_pdf(html: str, *, width: int = 720) -> bytes:
    """PDF of an HTML page as Chromium prints it, after its scripts (plotly) have run.

    ``width`` is the window the page is laid out in before printing: charts size themselves
    to it, so it should be close to the printed page's width.
    """
    with tempfile.TemporaryDirectory(prefix="royalty-pdf-") as tmp:
        workdir = Path(tmp)
        page = workdir / "report.html"
        page.write_text(html, encoding="utf-8")
        out = workdir / "report.pdf"
        _run(
            [
                "--run-all-compositor-stages-before-draw",
                "--virtual-time-budget=15000",
                "--no-pdf-header-footer",
                f"--window-size={width},1000",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            workdir,
        )
        if not out.is_file():
            raise BrowserError("Chromium wrote no PDF")
        return out.read_bytes()
