"""A refusal in plain words, inside the page's own frame."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    """Answer a page the reader may not use with the reason, in the normal page: the
    header and navigation stay, so the reader can go on from there."""
    return render(request, "web/refused.html", {"message": message}, status=status)
