from .assessment import *  # noqa: F401,F403
from .practice import (  # noqa: F401
    Confidence,
    DrillAnswer,
    DrillSession,
    Persona,
    PromptKind,
    RoleplayAttempt,
    RoleplayPrompt,
    Scenario,
    ScenarioReview,
)
