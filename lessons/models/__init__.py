from .course import (  # noqa: F401
    CatalogueModel,
    CheckAnswer,
    CheckChoice,
    CheckQuestion,
    ContentVersion,
    CourseProgress,
    FieldGuideEntry,
    Lab,
    Lesson,
    LessonProgress,
    NamingSignal,
    Tier,
    TierProfile,
)
from .simulator import *  # noqa: F401,F403
