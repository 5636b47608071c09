"""Staff-only admin page: every kind's email (HTML and text) rendered from sample data."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse

from notifications.samples import sample_email_render, sample_kinds
from subscriptions.kinds import KINDS_BY_NAME


def email_preview_view(request, kind: str | None = None):
    kinds = sample_kinds()
    kind = kind or kinds[0]
    if kind not in kinds:
        raise Http404("unknown notification kind")
    rendered = sample_email_render(kind)
    context = {
        **admin.site.each_context(request),
        "title": "Email preview",
        "kinds": [(name, KINDS_BY_NAME[name].family.name) for name in kinds],
        "kind": kind,
        "email": rendered,
    }
    return TemplateResponse(request, "admin/notifications/email_preview.html", context)
