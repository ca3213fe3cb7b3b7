"""Forms of the lessons app."""

from django import forms

from .models import RESERVED_LESSON_SLUGS, Lesson, TierProfile
from .rendering import unknown_tokens


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "slug",
            "title",
            "order",
            "summary",
            "minutes",
            "tier",
            "visual",
            "body",
            "takeaways",
            "is_published",
        ]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_LESSON_SLUGS:
            raise forms.ValidationError(f"“{slug}” is a page of its own; choose another slug.")
        return slug

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        bad = unknown_tokens(body, TierProfile.objects.values_list("slug", flat=True))
        if bad:
            raise forms.ValidationError(
                "Unknown figure tokens: %(tokens)s. Use [[tier.field]], e.g. [[mid.latency]].",
                params={"tokens": ", ".join(bad)},
            )
        return body
