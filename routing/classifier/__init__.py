"""The router: a small, fast, offline classifier that picks the tier for a task.

    from routing.classifier import route, RoutingDecision
    decision = route("Tag every inbound ticket with its product area")

The parameters live in routing/classifier/model/ (JSON + .npz, written by
`python manage.py train_router`); see routing/classifier/model.py for why nothing is pickled.
"""

from .decision import DimensionReading, RoutingDecision
from .routing import route

__all__ = ["DimensionReading", "RoutingDecision", "route"]
