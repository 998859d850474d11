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
import signal
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
TIMEOUT_SECONDS = 60
ATTEMPTS = 2


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


def _run(args: list[str], workdir: Path, output: Path) -> None:
    """Run Chromium until it has written ``output``; one retry, as a loaded machine can stall it."""
    problem = ""
    for attempt in range(ATTEMPTS):
        profile = workdir / f"profile-{attempt}"
        command = [chromium(), *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args]
        process = subprocess.Popen(
            command,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a stalled browser is ended whole
        )
        try:
            _, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            problem = f"Chromium did not finish within {TIMEOUT_SECONDS} s"
            continue
        if process.returncode == 0 and output.is_file() and output.stat().st_size > 0:
            return
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        problem = f"Chromium failed (exit {process.returncode}): " + " / ".join(tail)
    raise BrowserError(problem)


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
            out,
        )
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
            out,
        )
        return out.read_bytes()
