"""Maillage's WSGI application with a cProfile of every POST, for bench/registrations.py --profile.

Each request runs in one gunicorn thread, and cProfile watches only the thread that enables it:
one profiler per request, merged per worker process and written to
`$BENCH_PROFILE_DIR/worker-<pid>.prof` every 50 requests and when the worker exits.
`BENCH_PROFILE=cpu` counts each thread's CPU time (`time.thread_time`), `wall` the elapsed time
(the waits on the seat lock and the database included).
"""

import atexit
import cProfile
import os
import pstats
import threading
import time
from pathlib import Path

from maillage.wsgi import application as maillage_application

TIMER = time.thread_time if os.environ.get("BENCH_PROFILE", "cpu") == "cpu" else time.perf_counter
DIRECTORY = Path(os.environ.get("BENCH_PROFILE_DIR", "var/profiles"))
_lock = threading.Lock()
_state = {"stats": None, "count": 0}


def _dump():
    with _lock:
        if _state["stats"] is not None:
            DIRECTORY.mkdir(parents=True, exist_ok=True)
            _state["stats"].dump_stats(DIRECTORY / f"worker-{os.getpid()}.prof")


atexit.register(_dump)


def application(environ, start_response):
    if environ.get("REQUEST_METHOD") != "POST":
        return maillage_application(environ, start_response)
    profile = cProfile.Profile(TIMER)
    profile.enable()
    try:
        # The whole answer is produced under the profile (a lazy body would escape it).
        return [b"".join(maillage_application(environ, start_response))]
    finally:
        profile.disable()
        with _lock:
            if _state["stats"] is None:
                _state["stats"] = pstats.Stats(profile)
            else:
                _state["stats"].add(profile)
            _state["count"] += 1
            due = _state["count"] % 50 == 0
        if due:
            _dump()
