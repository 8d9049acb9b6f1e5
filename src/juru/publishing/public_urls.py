"""Public addresses outside the organisation's pages: attachments for the networks that fetch them."""

from django.urls import path

from juru.publishing import views

urlpatterns = [
    path("<str:token>/", views.public_media, name="public-media"),
]
