"""Staff-only admin page: every kind's email (HTML and text) rendered from sample data, and
sample daily and weekly digests."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse

from notifications.digest_samples import DIGEST_SAMPLE_FREQUENCIES, sample_digest_render
from notifications.samples import sample_email_render, sample_kinds
from subscriptions.kinds import KINDS_BY_NAME


def email_preview_view(request, kind: str | None = None, digest: str | None = None):
    kinds = sample_kinds()
    if digest is not None:
        if digest not in DIGEST_SAMPLE_FREQUENCIES:
            raise Http404("unknown digest frequency")
        rendered, shown = sample_digest_render(DIGEST_SAMPLE_FREQUENCIES[digest]), f"{digest} digest"
    else:
        kind = kind or kinds[0]
        if kind not in kinds:
            raise Http404("unknown notification kind")
        rendered, shown = sample_email_render(kind), kind
    context = {
        **admin.site.each_context(request),
        "title": "Email preview",
        "kinds": [(name, KINDS_BY_NAME[name].family.name) for name in kinds],
        "digests": sorted(DIGEST_SAMPLE_FREQUENCIES),
        "kind": kind,
        "digest": digest,
        "shown": shown,
        "email": rendered,
    }
    return TemplateResponse(request, "admin/notifications/email_preview.html", context)
