from django.urls import include, path

app_name = "www"
urlpatterns = [
    # Import and export pages (io_urls.py) share the www namespace.
    path("io/", include("yigou.www.io_urls")),
]
