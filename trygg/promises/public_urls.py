"""The public pages of citizen promises: /medborgarloften/<kommunkod>/, no login."""

from django.urls import path

from trygg.promises import public_views

app_name = "promises_public"

urlpatterns = [
    path("<str:code>/", public_views.index, name="index"),
    path("<str:code>/<int:promise_id>/", public_views.promise, name="promise"),
    path("<str:code>/<int:promise_id>/pdf/", public_views.promise_document, name="promise_pdf"),
    path("<str:code>/uppfoljning/<int:follow_up_id>/", public_views.follow_up, name="follow_up"),
    path(
        "<str:code>/uppfoljning/<int:follow_up_id>/pdf/",
        public_views.follow_up_document,
        name="follow_up_pdf",
    ),
]
