"""The layers keep to their jobs: Streamlit only in the UI, no SQL or parsing in the pages."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "royalty"
UI = PACKAGE / "ui"
PAGES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]


def imported(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, at any depth of the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_only_the_ui_package_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted(PACKAGE.rglob("*.py"))
        if UI not in path.parents
        and any(n == "streamlit" or n.startswith("streamlit.") for n in imported(path))
    ]
    assert offenders == [], f"streamlit imported outside royalty/ui: {offenders}"


def test_pages_call_the_package_and_hold_no_sql_or_parsing():
    low_level = ("sqlalchemy", "sqlmodel", "pyarrow", "csv", "openpyxl", "python_calamine")
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imported(path) if n.split(".")[0] in low_level
        )
        for path in PAGES
    }
    assert {page: names for page, names in offenders.items() if names} == {}


def test_the_checks_see_imports_inside_functions_too(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    import streamlit as st\n    from sqlalchemy import select\n")
    assert imported(module) == {"streamlit", "sqlalchemy"}


def imported_modules(path: Path) -> set[str]:
    """Like ``imported``, and ``from a import b`` also as ``a.b`` (``b`` may be a module)."""
    names = imported(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offenders_in(folder: Path, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    """Modules under ``folder`` (as ``folder/name.py``) -> the forbidden modules they import."""
    found = {
        str(path.relative_to(folder.parent)): sorted(
            n
            for n in imported_modules(path)
            if any(n == f or n.startswith(f + ".") for f in forbidden)
        )
        for path in sorted(folder.rglob("*.py"))
    }
    return {module: names for module, names in found.items() if names}


def test_charts_draw_the_frames_they_are_given_and_query_nothing():
    """The app and the reports hand the charts the same analytics frames: a chart that read
    the database itself could show another figure than the table beside it."""
    forbidden = ("royalty.analytics", "royalty.store", "royalty.ingest", "sqlalchemy", "sqlmodel")
    assert offenders_in(PACKAGE / "charts", forbidden) == {}


def test_analytics_only_reads():
    """Every write goes through the store's writers; the figures only read the summaries."""
    forbidden = (
        "royalty.ingest",
        "royalty.store.bulk",
        "royalty.store.scratch",
        "royalty.store.diskfull",
        "royalty.store.statements",
    )
    assert offenders_in(PACKAGE / "analytics", forbidden) == {}


def test_the_module_check_sees_modules_imported_from_a_package(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from royalty.store import bulk\n")
    assert offenders_in(tmp_path, ("royalty.store.bulk",)) == {
        f"{tmp_path.name}/m.py": ["royalty.store.bulk"]
    }
