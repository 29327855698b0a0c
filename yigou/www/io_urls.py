"""Import and export pages, in the www namespace (included from urls.py under io/)."""

from django.urls import path

from . import io_views

urlpatterns = [
    path("import/", io_views.import_page, name="import"),
    path("import/template/<str:kind>/", io_views.import_template, name="import_template"),
    path("import/jobs/", io_views.import_jobs, name="import_jobs"),
    path("import/jobs/<int:pk>/", io_views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/status/", io_views.import_job_status, name="import_job_status"),
    path("export/", io_views.export, name="export"),
]
