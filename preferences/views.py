"""The preferences page, `/preferences/<token>`, and the request for a link, `/preferences/`.

Plain HTML forms with Django's CSRF protection; no script. The token is the credential: it
grants these pages only. Saving goes through preferences.services (the GraphQL mutations'
services) and answers with a redirect to the page, which then says "Saved".
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from notifications.presentation import settings_link
from pioneer.errors import DomainError
from preferences.form import preferences_form_parse
from preferences.link_requests import preferences_link_request
from preferences.security import page_headers
from preferences.selectors import preferences_page
from preferences.services import preferences_save
from preferences.tokens import PreferencesTokenError, preferences_member

REQUEST_FIELD = "member"


def _request_form(request, *, status: int = 200, error: str = "", prefill: str = "", reason: str = ""):
    return render(
        request,
        "preferences/request.html",
        {"error": error, "prefill": prefill, "reason": reason, "field": REQUEST_FIELD},
        status=status,
    )


def _invalid_link(request, error: PreferencesTokenError):
    reason = "expired" if error.reason == "expired" else ("revoked" if error.member_id else "invalid")
    prefill = str(error.member_id) if error.member_id is not None else ""
    return _request_form(request, status=400, prefill=prefill, reason=reason)


@page_headers
@require_http_methods(["GET", "POST"])
def preferences_view(request, token: str):
    try:
        member = preferences_member(token)
    except PreferencesTokenError as error:
        return _invalid_link(request, error)
    if request.method == "POST":
        try:
            form = preferences_form_parse(member=member, data=dict(request.POST.lists()))
            preferences_save(member=member, form=form)
        except DomainError as error:
            page_url = reverse("preferences", kwargs={"token": token})
            return render(
                request,
                "preferences/refused.html",
                {"message": error.message, "page_url": page_url},
                status=400,
            )
        return HttpResponseRedirect(reverse("preferences", kwargs={"token": token}) + "?saved=1", status=303)
    context = {
        "page": preferences_page(member=member),
        "saved": request.GET.get("saved") == "1",
        "pioneer_url": settings.PIONEER_URL,
        "pioneer_settings_url": settings_link(),
        "link_days": settings.PREFERENCES_LINK_DAYS,
    }
    return render(request, "preferences/page.html", context)


@page_headers
@require_http_methods(["GET", "POST"])
def preferences_request_view(request):
    if request.method == "GET":
        return _request_form(request)
    try:
        preferences_link_request(identifier=request.POST.get(REQUEST_FIELD, ""))
    except DomainError as error:
        return _request_form(request, status=400, error=error.message)
    return render(request, "preferences/requested.html", {"link_days": settings.PREFERENCES_LINK_DAYS})
