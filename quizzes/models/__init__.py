from .assessment import *  # noqa: F401,F403
from .practice import DrillAnswer, Scenario  # noqa: F401
