from django.urls import path

from preferences.views import preferences_request_view, preferences_view

urlpatterns = [
    path("preferences/", preferences_request_view, name="preferences-request"),
    path("preferences/<str:token>", preferences_view, name="preferences"),
]
