"""gunicorn settings, read from the working directory by `make serve` and `make loadtest`.

Each worker loads the router and trains the role-play scorer (about a second of CPU) before
it takes its first request, so no AE pays for that on their first reply and the latency
percentiles carry no cold start. (Warming in the master with preload_app would share the
memory, but BLAS thread pools are not safe across fork.)
"""

import logging

logger = logging.getLogger("gunicorn.error")


def post_worker_init(worker) -> None:
    from practice.scorer import get_scorer
    from routing.classifier import route

    route("warm up the router")
    get_scorer()
    logger.info("worker %s warm: router and role-play scorer loaded", worker.pid)
