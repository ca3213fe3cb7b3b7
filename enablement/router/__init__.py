"""The router: a small, fast, offline classifier that picks the tier for a task.

    from enablement.router import route, RoutingDecision
    decision = route("Tag every inbound ticket with its product area")

The parameters live in enablement/router/model/ (JSON + .npz, written by
`python manage.py train_router`); see enablement/router/model.py for why nothing is pickled.
"""

from .decision import DIMENSIONS, TIERS, DimensionReading, RoutingDecision
from .routing import route

__all__ = ["DIMENSIONS", "TIERS", "DimensionReading", "RoutingDecision", "route"]
