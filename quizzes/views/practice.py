from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def placeholder(request: HttpRequest, title: str = "", slug: str = "") -> HttpResponse:
    """Stands in for an area until it is built (foundation only)."""
    return render(request, "enablement/placeholder.html", {"title": title})
