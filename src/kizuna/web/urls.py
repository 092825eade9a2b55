"""Readable, stable addresses: the record's id is in the path, the view's state in the query."""

from django.urls import path

from kizuna.web import views, writes

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dialogues/", views.dialogue_list, name="dialogue-list"),
    path("dialogues/<slug:slug>/", views.dialogue_detail, name="dialogue"),
    path("meetings/<str:meeting_id>/", views.meeting_detail, name="meeting"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments.csv", views.commitment_csv, name="commitment-csv"),
    path("commitments.xlsx", views.commitment_xlsx, name="commitment-xlsx"),
    path("commitments.count", views.commitment_count, name="commitment-count"),
    path("commitments/<str:commitment_id>/", views.commitment_detail, name="commitment"),
    path("commitments/<str:commitment_id>/assess/", writes.assessment_new, name="assessment-new"),
    path(
        "assessments/<str:assessment_id>/review/",
        writes.assessment_review_post,
        name="assessment-review",
    ),
    path("audit/", writes.audit_page, name="audit"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency"),
    path("concerns/", views.concern_list, name="concerns"),
    path("search/", views.search_page, name="search"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar-ics"),
    path("calendar/feed/", views.calendar_feed_manage, name="calendar-feed-manage"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
