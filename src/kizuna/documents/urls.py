"""Ingestion pages. Included before the web app's URLs, so its paths win where they overlap."""

from django.urls import path

from kizuna.documents import views

app_name = "documents"

urlpatterns = [
    path("documents/upload/", views.upload, name="upload"),
    path("documents/jobs/<str:job_id>/", views.job_page, name="job"),
    path("documents/jobs/<str:job_id>/status/", views.job_status, name="job-status"),
    path("documents/compare/", views.compare, name="compare"),
    path("documents/<str:document_id>/review/", views.review, name="review"),
    path("review/", views.review_queue, name="queue"),
    path("candidates/<int:pk>/decide/", views.decide, name="decide"),
    path("meetings/<str:meeting_id>/readouts/", views.meeting_readouts, name="readouts"),
]
