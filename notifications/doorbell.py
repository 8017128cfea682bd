"""A doorbell rung by many requests, answered by one thread per process.

Publishing a Celery task costs about a millisecond of CPU (the message, its headers, the
broker round trip), and a busy registration form commits rows every few milliseconds in
each process. The bell gathers the ids rung during ``delay`` seconds and hands them to
``answer`` together, from a thread of its own: a request never waits on the broker, and
one task carries the ids of several requests.

Nothing rides on the bell but timeliness: the rows are in the database, and the periodic
dispatcher hands out anything the bell did not (a process that dies with ids not yet
answered, a broker that is down).
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable

from django.db import connections

logger = logging.getLogger(__name__)


class Doorbell:
    def __init__(self, answer: Callable[[list[int]], None], *, delay: Callable[[], float]):
        self._answer = answer
        self._delay = delay
        self._pid = None
        self._starting = threading.Lock()
        atexit.register(self.wait)

    def _start(self) -> None:
        """State of this process (a forked worker starts its own thread)."""
        self._pending: list[int] = []
        self._answering = False
        self._condition = threading.Condition()
        self._hurry = threading.Event()
        self._pid = os.getpid()  # last: another thread sees a started bell or none
        threading.Thread(target=self._run, name="notifications-doorbell", daemon=True).start()

    def ring(self, ids: list[int]) -> None:
        """Hand these ids to ``answer`` soon, with others rung meanwhile."""
        if not ids:
            return
        if self._pid != os.getpid():
            with self._starting:  # two threads of a new process may ring at once
                if self._pid != os.getpid():
                    self._start()
        with self._condition:
            self._pending.extend(ids)
            self._condition.notify_all()

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until every id rung so far was answered; False if ``timeout`` passed."""
        if self._pid != os.getpid():
            return True
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._pending or self._answering:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._hurry.set()  # no need to wait for others to ring
                self._condition.wait(left)
        return True

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._pending:
                    self._condition.wait()
            # Let the ids of the next few requests join these (unless someone waits).
            self._hurry.wait(self._delay())
            with self._condition:
                self._hurry.clear()
                ids, self._pending = self._pending, []
                self._answering = True
            try:
                self._answer(ids)
            except Exception:  # the dispatcher hands the rows out later
                logger.exception("could not hand %d message(s) to the workers", len(ids))
            finally:
                # Any database connection this thread opened (``answer`` writes only when
                # the broker is down) is closed, not left open between rings.
                connections.close_all()
                with self._condition:
                    self._answering = False
                    self._condition.notify_all()
