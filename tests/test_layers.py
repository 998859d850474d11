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
