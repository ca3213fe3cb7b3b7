"""Forms of the practice app."""

from __future__ import annotations

from django import forms

from .models import CheckKind, Rubric, RubricCheck
from .scorer import IDEAS


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["pass_mark"]

    def clean_pass_mark(self) -> int:
        value = self.cleaned_data["pass_mark"]
        if not 1 <= value <= 100:
            raise forms.ValidationError("The pass mark is a percent, 1 to 100.")
        return value


class RubricCheckForm(forms.ModelForm):
    idea = forms.ChoiceField(choices=[("", "-")] + list(IDEAS.items()), required=False)

    class Meta:
        model = RubricCheck
        fields = ["label", "kind", "idea", "dont_say_row", "phrases", "weight"]
        widgets = {"phrases": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == CheckKind.IDEA and not data.get("idea"):
            self.add_error("idea", "Choose the idea this check looks for.")
        if kind == CheckKind.AVOID and not 1 <= (data.get("dont_say_row") or 0) <= 10:
            self.add_error("dont_say_row", "Give the field guide row to avoid, 1 to 10.")
        if kind == CheckKind.PHRASES and not (data.get("phrases") or "").strip():
            self.add_error("phrases", "List at least one phrase, one per line.")
        if data.get("weight") is not None and not 1 <= data["weight"] <= 10:
            self.add_error("weight", "A weight is 1 to 10.")
        return data


RubricCheckFormSet = forms.inlineformset_factory(
    Rubric,
    RubricCheck,
    form=RubricCheckForm,
    extra=2,
    max_num=Rubric.MAX_CHECKS,
    validate_max=True,
    can_delete=True,
)
