"""Work done in a background thread while the caller goes on, in order, errors kept.

A million-line import is a pipeline: reading and normalizing the next chunk, storing this one,
summing it, writing it to a scratch file. Much of each step runs in pyarrow, numpy or SQLite,
which release the GIL, so on two cores the steps overlap when each has a thread of its own.
Both helpers keep the order of the work and raise an error where the caller can handle it, and
bound how far the background may run ahead (memory stays a few chunks, not a file).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
_END = object()


def read_ahead(items: Iterator[T], name: str = "read-ahead") -> Iterator[T]:
    """``items``, each produced in a background thread while the caller works on the one before.

    The items are still produced one at a time and in order, and an error raised producing one
    is raised here, when the caller reaches it. Stopping early closes ``items``.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) as pool:
        future = pool.submit(next, items, _END)
        try:
            while (item := future.result()) is not _END:
                future = pool.submit(next, items, _END)
                yield item
        finally:
            future.cancel()
            wait([future])
            close = getattr(items, "close", None)
            if close is not None:
                close()


class Worker:
    """Calls run one after another in one background thread, at most ``backlog`` waiting.

    ``submit`` returns at once unless the backlog is full; ``join`` waits for every call and
    raises the first error one of them met (a later ``submit`` raises it too). ``stop`` drops
    calls not started yet and never raises: for clean-up after an error elsewhere.
    """

    def __init__(self, name: str, backlog: int = 2, *, inline: bool = False) -> None:
        self.inline = inline
        """Run each call at once in the caller's thread (for work that cannot move threads)."""
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.backlog = backlog
        self.pending: deque[Future[None]] = deque()
        self.failed = False
        """Once a call failed, the calls after it are skipped: they would build on it."""

    def submit(self, fn: Callable[..., None], *args: object) -> None:
        if self.inline:
            fn(*args)
            return
        while len(self.pending) >= self.backlog:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(self._call, fn, args))

    def _call(self, fn: Callable[..., None], args: tuple[object, ...]) -> None:
        if self.failed:
            return
        try:
            fn(*args)
        except BaseException:
            self.failed = True
            raise

    def idle(self) -> bool:
        """Whether every call so far has finished (or failed: ``join`` says)."""
        return all(future.done() for future in self.pending)

    def join(self) -> None:
        while self.pending:
            self.pending.popleft().result()

    def stop(self) -> None:
        for future in self.pending:
            future.cancel()
        self.pending.clear()
        self.pool.shutdown(wait=True)
