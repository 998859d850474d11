"""The background helpers behind the import pipeline: order kept, errors raised where the
caller can handle them, nothing left running."""

from __future__ import annotations

import threading
import time

import pytest

from royalty.background import Worker, read_ahead


def test_worker_runs_calls_in_order_in_one_other_thread():
    done, threads = [], set()
    worker = Worker("test", backlog=2)

    def record(i):
        time.sleep(0.001 * (5 - i))  # later calls are quicker: order must not depend on that
        done.append(i)
        threads.add(threading.current_thread().name)

    for i in range(5):
        worker.submit(record, i)
    worker.join()
    worker.stop()
    assert done == [0, 1, 2, 3, 4]
    assert len(threads) == 1 and threading.current_thread().name not in threads


def test_worker_raises_the_first_error_and_skips_what_came_after():
    done = []
    worker = Worker("test", backlog=10)

    def fail():
        raise ValueError("scratch file full")

    worker.submit(done.append, 1)
    worker.submit(fail)
    worker.submit(done.append, 3)
    with pytest.raises(ValueError, match="scratch file full"):
        worker.join()
    worker.stop()
    assert done == [1]


def test_read_ahead_keeps_order_raises_in_place_and_closes_what_it_reads():
    closed = []

    def produce():
        try:
            yield 1
            yield 2
            raise ValueError("row 3 is bad")
        finally:
            closed.append(True)

    got = []
    with pytest.raises(ValueError, match="row 3"):
        for item in read_ahead(produce()):
            got.append(item)
    assert got == [1, 2]
    assert closed == [True]

    closed.clear()
    items = read_ahead(produce())
    assert next(items) == 1
    items.close()  # the caller stops early (its own error): the producer is closed, not left open
    assert closed == [True]
