"""The one error a bad statement raises: a sentence a person can act on."""

from __future__ import annotations


class StatementError(Exception):
    """A statement that cannot be imported; nothing of it is stored.

    The message names the file and, where there is one, the row and column.
    """

    def __init__(
        self, file: str, problem: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.problem, self.row, self.column = file, problem, row, column
        where = ""
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{file}{where}: {problem}")


class UnknownLayout(StatementError):
    """A file in no layout this app knows (built in or saved): the browser offers to map its
    columns instead of only refusing it."""
