"""``column IN (subquery)``, written so that PostgreSQL reads the column's index.

A filter by platform or track names rows of a small table (``platform.name IN (...)``) whose
ids select the rows of a large summary. Written as ``IN (SELECT ...)``, PostgreSQL plans it as
a join, does not know which ids the subquery gives, and reads every summary row of the months
asked for (at 10^8 lines, three times the blocks one platform's rows fill). Written as
``= ANY(ARRAY(SELECT ...))``, the subquery runs first, once, and its ids are a parameter of
the index scan, as if they had been written out. Other databases get the plain ``IN``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class InSubquery(ColumnElement[bool]):
    """``column`` is one of the values ``query`` (one column) selects."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True
    _traverse_internals = (
        ("column", InternalTraversal.dp_clauseelement),
        ("query", InternalTraversal.dp_clauseelement),
    )

    def __init__(self, column: ColumnElement[Any], query: Select[Any]) -> None:
        self.column, self.query = column, query


def in_subquery(column: ColumnElement[Any], query: Select[Any]) -> ColumnElement[bool]:
    return InSubquery(column, query)


@compiles(InSubquery)
def _plain(element: InSubquery, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.query), **kw)


@compiles(InSubquery, "postgresql")
def _postgresql(element: InSubquery, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    query = compiler.process(element.query, **{**kw, "asfrom": False})
    return f"{column} = ANY(ARRAY({query}))"
