"""Events one app announces for apps below it to act on, so imports still run one way.

`evidence_recorded` is sent (with `user` and `request`) after a view saves something that
can count towards certification: a lesson completed, a drill answered, a role-play reply
scored. The quizzes app issues any certificate just earned, in that same request."""

from django.dispatch import Signal

evidence_recorded = Signal()
