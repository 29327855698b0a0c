"""Certification (扶贫产品认定) staff pages and the public catalog; included into the www namespace."""

from django.urls import path

from .views import catalog_public, cert_admin, certification

urlpatterns = [
    path("certification/", certification.cert_list, name="certifications"),
    path("certification/apply/", certification.cert_apply, name="cert_apply"),
    path("certification/<int:pk>/", certification.cert_detail, name="certification"),
    path("certification/<int:pk>/resubmit/", certification.cert_resubmit, name="cert_resubmit"),
    path("certification/<int:pk>/<slug:action>/", certification.cert_action, name="cert_action"),
    path("certification/files/<int:pk>/", certification.cert_file, name="cert_file"),
    path("certification/prices/", cert_admin.cert_prices, name="cert_prices"),
    path("certification/blacklist/", cert_admin.cert_blacklist, name="cert_blacklist"),
    path(
        "certification/blacklist/<int:pk>/lift/", cert_admin.cert_blacklist_lift, name="cert_blacklist_lift"
    ),
    # Public: no sign-in.
    path("catalog/", catalog_public.catalog_list, name="catalog"),
    path("catalog/<int:pk>/", catalog_public.catalog_detail, name="catalog_product"),
    path("catalog/<int:pk>/qr.svg", catalog_public.catalog_qr, name="catalog_qr"),
]
