"""gunicorn's configuration for Maillage (`maillage serve`, `maillage demo`), sized for 2 cores.

Threads rather than many processes: a request mostly waits on the database (SQLite's write lock,
PostgreSQL round trips), and every thread keeps at most one persistent database connection, so
the connections stay bounded by workers x threads (16 by default) whatever the load.
Environment overrides: MAILLAGE_WEB_BIND, MAILLAGE_WEB_WORKERS, MAILLAGE_WEB_THREADS,
MAILLAGE_WEB_TIMEOUT; the command line (`maillage serve --workers N`) wins over both.

Reload without dropping a request: `kill -HUP <master pid>` starts new workers on the new code
(the app is not preloaded in the master for that reason), then stops the old ones gracefully.
"""

import os
import resource

wsgi_app = "maillage.wsgi:application"
bind = [os.environ.get("MAILLAGE_WEB_BIND", "127.0.0.1:8000")]
worker_class = "gthread"
workers = int(os.environ.get("MAILLAGE_WEB_WORKERS", "2"))  # one per core
threads = int(os.environ.get("MAILLAGE_WEB_THREADS", "8"))
# Connections a worker holds open at once (being served, queued for a thread, kept alive).
worker_connections = 1000
# Kernel queue of connections not yet accepted: a burst of 1,000 simultaneous clients waits
# there instead of being reset. Linux caps it at net.core.somaxconn (4096 on this machine).
backlog = 2048
# The longest request line gunicorn accepts (its maximum): a long search (`q`, at most 500
# characters, up to 12 bytes each once percent-encoded) still reaches Maillage, which answers
# a French 422 for what is too long, instead of gunicorn's bare HTML 414.
limit_request_line = 8190
# A request that takes longer than this is a bug: the worker is restarted.
timeout = int(os.environ.get("MAILLAGE_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
preload_app = False  # so that HUP reloads the code (see above)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Maillage writes its own line per request (core/middleware.py): no access log here.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("MAILLAGE_WEB_LOG_LEVEL", "info")
proc_name = "maillage-web"
# Structured logs (LOG_FORMAT=json, the default in production): gunicorn's own lines too, in the
# same JSON shape as Maillage's; its access log stays off.
_production = os.environ.get("MAILLAGE_ENV") == "production"
if os.environ.get("LOG_FORMAT", "json" if _production else "text") == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {
                "level": "INFO",
                "handlers": ["error_console"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
            "gunicorn.access": {
                "level": "CRITICAL",
                "handlers": [],
                "propagate": False,
                "qualname": "gunicorn.access",
            },
        },
        "formatters": {"generic": {"()": "maillage.core.logging.JsonFormatter"}},
    }
# gunicorn >= 25 opens a control socket in $HOME by default: several instances on one machine
# (demo, tests, benchmarks) would share its path.
control_socket_disable = True

# Each client connection is a file descriptor: raise the soft limit to the hard one (bounded).
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
_wanted = 65536 if _hard == resource.RLIM_INFINITY else min(_hard, 65536)
if _soft < _wanted:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_wanted, _hard))
