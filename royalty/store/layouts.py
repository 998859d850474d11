"""Saved column mappings: save, list, find, remove (the layouts people define for files in
no built-in layout; ``importers.mapped`` turns one into a ``Layout``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from royalty.importers.base import Layout
from royalty.importers.mapped import FIELDS, mapped_layout
from royalty.store.db import writing
from royalty.store.models import SavedLayout

NAME = re.compile(r"[^\x00-\x1f\x7f]{1,80}")


@dataclass(frozen=True)
class Saved:
    name: str
    header: list[str]
    fields: dict[str, str]
    currency: str | None

    def layout(self) -> Layout:
        return mapped_layout(self.name, self.header, self.fields, self.currency)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name, "fields": self.fields, "currency": self.currency,
            "header": self.header,
        }  # fmt: skip


class LayoutError(ValueError):
    """A layout that cannot be saved, or a name that names none."""


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.fullmatch(name):
        raise LayoutError(
            f"{name!r} cannot name a layout: give 1 to 80 characters, no control characters"
        )
    return name


def save(
    engine: Engine, name: str, header: list[str], fields: dict[str, str], currency: str | None
) -> Saved:
    """Save (or replace) a mapping under ``name``."""
    name = check_name(name)
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise LayoutError(f"not fields: {', '.join(unknown)} (fields: {', '.join(FIELDS)})")
    with writing(engine) as conn:
        conn.execute(delete(SavedLayout).where(SavedLayout.name == name))
        conn.execute(
            SavedLayout.__table__.insert().values(
                name=name,
                header=json.dumps(list(header), ensure_ascii=False),
                fields=json.dumps(dict(fields), ensure_ascii=False),
                currency=currency.upper() if currency else None,
            )
        )
    return Saved(name, list(header), dict(fields), currency.upper() if currency else None)


def saved(engine: Engine) -> list[Saved]:
    """Every saved layout, by name."""
    t = SavedLayout.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.name, t.c.header, t.c.fields, t.c.currency).order_by(t.c.name)
        )
        return [Saved(n, json.loads(h), json.loads(f), c) for n, h, f, c in rows]


def find(engine: Engine, name: str) -> Saved:
    for layout in saved(engine):
        if layout.name == name:
            return layout
    raise LayoutError(f"no saved layout is called {name!r} (`royalty layouts list` names them)")


def remove(engine: Engine, name: str) -> None:
    find(engine, name)
    with writing(engine) as conn:
        conn.execute(delete(SavedLayout).where(SavedLayout.name == name))


# --- a saved layout as a small text file (TOML), for handing it to someone else ---------------

TOML_HEADER = "# A royalty column mapping: `royalty layouts import FILE` adds it.\n"


def _toml_string(text: str) -> str:
    """A TOML basic string; JSON's escapes are TOML's for everything it writes unescaped."""
    return json.dumps(text, ensure_ascii=False)


def to_toml(layout: Saved) -> str:
    lines = [TOML_HEADER, f"name = {_toml_string(layout.name)}"]
    if layout.currency:
        lines.append(f"currency = {_toml_string(layout.currency)}")
    lines.append("header = [" + ", ".join(_toml_string(h) for h in layout.header) + "]")
    lines.append("")
    lines.append("[fields]")
    lines += [f"{f} = {_toml_string(c)}" for f, c in layout.fields.items()]
    return "\n".join(lines) + "\n"


def from_toml(text: str) -> Saved:
    """A layout file read and checked (a field that is no field, a header without the mapped
    columns, a missing name: each a ``LayoutError`` saying so)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"is not a layout file (TOML): {exc}") from exc
    name, header, fields = data.get("name"), data.get("header"), data.get("fields")
    currency = data.get("currency")
    if not isinstance(name, str):
        raise LayoutError('has no `name = "..."`')
    if not (isinstance(header, list) and all(isinstance(h, str) for h in header)):
        raise LayoutError("has no `header = [...]` listing the file's header cells")
    if not (isinstance(fields, dict) and all(isinstance(v, str) for v in fields.values())):
        raise LayoutError('has no `[fields]` table (field = "header cell")')
    if currency is not None and not (
        isinstance(currency, str) and re.fullmatch(r"[A-Za-z]{3}", currency)
    ):
        raise LayoutError(f"currency {currency!r} is not a currency code such as EUR")
    from royalty.importers.mapped import mapping_problems

    problems = mapping_problems(header, fields)
    if problems:
        raise LayoutError("; ".join(problems))
    return Saved(check_name(name), header, fields, currency.upper() if currency else None)
