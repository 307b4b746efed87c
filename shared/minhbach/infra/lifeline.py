"""Child processes that end when the process that started them ends, however it ends.

`minhbach run` and the test suite start servers as children. Stopped cleanly, they stop their
children themselves; killed (SIGKILL, a crash), they cannot, so two mechanisms bound the time a
child outlives its parent:
- `die_with_parent(signal)`: the kernel sends the child `signal` when its parent dies (Linux
  PR_SET_PDEATHSIG; it fires when the *thread* that started the child ends, so start children
  from a thread that lives as long as they should, as the main thread does);
- `hold_lifeline()`: in a Python child, a watchdog thread that, once the parent is gone, stops
  writing to the parent's (now closed) output pipe, asks the process to stop (SIGTERM) and ends it
  after a grace period whatever it is doing.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

SUPERVISOR_ENV = "MINHBACH_SUPERVISOR_PID"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 0.25
GRACE_SECONDS = 8.0


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A `preexec_fn`: the child gets `sig` when the parent (thread) that started it dies."""

    def arm() -> None:
        if sys.platform == "linux":
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig)

    return arm


def supervised_env() -> dict[str, str]:
    """Environment for a Python child that should hold a lifeline to this process."""
    return {SUPERVISOR_ENV: str(os.getpid())}


def hold_lifeline(grace_seconds: float = GRACE_SECONDS) -> None:
    """In a child started with `supervised_env()`: end with the supervisor (a daemon thread)."""
    supervisor = os.environ.pop(SUPERVISOR_ENV, "")
    if not supervisor.isdigit():
        return
    threading.Thread(
        target=_watch, args=(int(supervisor), grace_seconds), name="lifeline", daemon=True
    ).start()


def _watch(supervisor: int, grace_seconds: float) -> None:
    while os.getppid() == supervisor:
        time.sleep(POLL_SECONDS)
    _silence_output()
    os.kill(os.getpid(), signal.SIGTERM)  # a clean stop first (PR_SET_PDEATHSIG may have sent it)
    time.sleep(grace_seconds)
    os._exit(1)  # still here: a shutdown that hangs must not keep a port


def _silence_output() -> None:
    """The supervisor read our stdout/stderr through a pipe that is now closed: writes would
    fail in every log call of the shutdown; send them nowhere instead."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
