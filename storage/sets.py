"""Storing a document set all or nothing, in the background: the documents are made durable on
the process's storing threads while the caller writes its rows, and the caller waits for them
only just before the commit that issues the receipt."""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO

from storage.base import Storage, StorageError, Writer

log = logging.getLogger(__name__)

# Threads of a process for storing documents, shared by its requests: starting threads for
# each request would cost more than a small document's upload. (A big document uploads its
# parts on threads of its own as well.)
THREADS = 8
_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():  # threads do not survive a fork
            _pool = (os.getpid(), ThreadPoolExecutor(THREADS, thread_name_prefix="store"))
        return _pool[1]


@dataclass
class Item:
    """One document to store: ``source`` at position 0, already hashed as ``sha256``."""

    key: str
    source: IO[bytes]
    sha256: str
    writer: Writer | None = None  # already on its way to the store: only commit it


class SetUpload:
    """Stores every item at once; ``wait`` before committing, ``discard`` if not committing."""

    def __init__(self, storage: Storage, items: list[Item]) -> None:
        self.storage, self.items = storage, items
        pool = _executor()
        self._futures: list[Future[None]] = [pool.submit(self._store, i) for i in items]
        self._closed = self._removed = False

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.items]

    def _store(self, item: Item) -> None:
        if item.writer is not None:
            item.writer.commit(item.sha256)
        else:
            self.storage.put(item.key, item.source, item.sha256)

    def wait(self) -> None:
        """Return once every document is durable; else remove what was stored and raise the
        first error (StorageError when the store failed)."""
        errors = [future.exception() for future in self._futures]
        self._close()
        failed = next((exc for exc in errors if exc is not None), None)
        if failed is not None:
            self._remove()
            raise failed

    def discard(self) -> None:
        """The set will not be committed: let the uploads end, then remove what was stored."""
        for future in self._futures:
            future.exception()
        self._close()
        self._remove()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for item in self.items:
            if item.writer is not None:
                item.writer.abort()  # does nothing to a committed writer
            item.source.close()

    def _remove(self) -> None:
        if self._removed:
            return
        self._removed = True
        for item, future in zip(self.items, self._futures, strict=True):
            if future.exception() is not None:
                continue  # a failed writer or put keeps nothing
            try:
                self.storage.delete(item.key)
            except StorageError:
                log.exception("could not remove stored document %s; the sweep will", item.key)
