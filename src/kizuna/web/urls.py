from django.urls import path

from kizuna.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dialogues/", views.dialogue_list, name="dialogue-list"),
    path("dialogues/<slug:slug>/", views.dialogue_detail, name="dialogue"),
    path("meetings/<str:meeting_id>/", views.meeting_detail, name="meeting"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/<str:commitment_id>/", views.commitment_detail, name="commitment"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency"),
    path("concerns/", views.concern_list, name="concerns"),
]
