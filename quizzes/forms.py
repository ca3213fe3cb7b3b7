"""Forms of the quizzes app."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from enablement.models import Team, User

from .models import DRILL_SET_MAX, NOTE_MAX_LENGTH, Quiz


class AssignmentForm(forms.Form):
    KIND_CHOICES = [("quiz", "A quiz"), ("drills", "A drill set")]
    AUDIENCE_CHOICES = [("team", "The whole team"), ("chosen", "Chosen AEs")]

    kind = forms.ChoiceField(choices=KIND_CHOICES, widget=forms.RadioSelect, initial="quiz")
    quiz = forms.ModelChoiceField(queryset=Quiz.objects.none(), required=False)
    drill_count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=DRILL_SET_MAX,
        label="Number of drill scenarios",
        help_text=f"For a drill set: 1 to {DRILL_SET_MAX} scenarios.",
    )
    audience = forms.ChoiceField(
        choices=AUDIENCE_CHOICES, widget=forms.RadioSelect, initial="team", label="Assign to"
    )
    users = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Chosen AEs",
    )
    due_at = forms.DateTimeField(
        label="Due",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone.",
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Optional, up to {NOTE_MAX_LENGTH} characters.",
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quiz"].queryset = Quiz.objects.filter(is_active=True)
        self.fields["users"].queryset = team.aes.order_by("first_name", "username")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == "quiz" and not data.get("quiz"):
            self.add_error("quiz", "Choose the quiz to assign.")
        if data.get("kind") == "drills" and not data.get("drill_count"):
            self.add_error("drill_count", "Say how many drill scenarios.")
        if data.get("audience") == "chosen" and not data.get("users"):
            self.add_error("users", "Choose at least one AE, or assign to the whole team.")
        due_at = data.get("due_at")
        if due_at and due_at <= timezone.now():
            self.add_error("due_at", "The due date must be in the future.")
        return data
