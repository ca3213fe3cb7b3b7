"""gunicorn settings, read from the working directory by `make serve` and `make loadtest`.

The app is loaded once in the master (preload_app), which also loads the router and trains
the role-play scorer before any worker forks: every worker, and every replacement for one
that dies, starts with both in memory (shared, copy-on-write) and serves at once, instead of
spending seconds of CPU first while its share of traffic waits. Numerical libraries are kept
to one thread so no thread pool exists at fork time.
"""

import logging
import os
import time

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

preload_app = True
# The worker's pid on every access line (the load benchmark times a replacement worker).
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s'

logger = logging.getLogger("gunicorn.error")


def when_ready(server) -> None:
    """In the master, after the app is loaded and before the first worker forks."""
    from django.db import DatabaseError, connections

    from routing.classifier import route

    route("warm up the router")
    try:
        from practice.scorer import get_scorer

        get_scorer()
    except DatabaseError:
        logger.warning("scorer not trained in the master (database unavailable); workers will")
    connections.close_all()  # no database connection may cross a fork
    logger.info("master warm: router and role-play scorer loaded")


def post_worker_init(worker) -> None:
    logger.info("worker %s ready at %.3f", worker.pid, time.time())
