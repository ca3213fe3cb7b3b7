from .course import TierProfile  # noqa: F401
from .simulator import *  # noqa: F401,F403
