from django.urls import path

from kizuna.briefings import views

app_name = "briefings"

urlpatterns = [
    path("coordination/", views.coordination, name="coordination"),
    path("coordination/brief.pdf", views.brief_pdf, name="brief-pdf"),
    path("coordination/brief.html", views.brief_html, name="brief-html"),
]
