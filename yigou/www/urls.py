from django.urls import path

app_name = "www"
urlpatterns: list = []
