"""Benefit distribution pages (收益分配), included from urls.py in the www namespace."""

from django.urls import path

from .views import benefits, benefits_coop, benefits_pv

urlpatterns = [
    path("benefits/", benefits.distribution_list, name="benefits"),
    path("benefits/new/surplus/", benefits.surplus_new, name="benefit_surplus_new"),
    path("benefits/new/piecework/", benefits.batch_new, name="benefit_batch_new"),
    path("benefits/<int:pk>/", benefits.distribution_detail, name="benefit"),
    path("benefits/<int:pk>/step/<str:step>/", benefits.distribution_step, name="benefit_step"),
    path("benefits/<int:pk>/objections/", benefits.objection_add, name="benefit_object"),
    path(
        "benefits/<int:pk>/objections/<int:objection_pk>/answer/",
        benefits.objection_answer,
        name="benefit_answer",
    ),
    path("benefits/<int:pk>/correct/", benefits.distribution_correct, name="benefit_correct"),
    path("benefits/<int:pk>/piecework/import/", benefits.piecework_import, name="benefit_piece_import"),
    path(
        "benefits/<int:pk>/piecework/<int:piece_pk>/remove/",
        benefits.piece_remove,
        name="benefit_piece_remove",
    ),
    path("benefits/households/<int:pk>/", benefits.statement, name="benefit_statement"),
    path("benefits/coops/", benefits_coop.coop_list, name="benefit_coops"),
    path("benefits/coops/<int:pk>/", benefits_coop.coop_book, name="benefit_book"),
    path("benefits/coops/<int:pk>/book/", benefits_coop.book_add, name="benefit_book_add"),
    path("benefits/coops/<int:pk>/accounts/", benefits_coop.account_set, name="benefit_account"),
    path("benefits/coops/<int:pk>/import/", benefits_coop.book_import, name="benefit_book_import"),
    path("benefits/pv/", benefits_pv.station_list, name="benefit_stations"),
    path("benefits/pv/new/", benefits_pv.station_new, name="benefit_station_new"),
    path("benefits/pv/<int:pk>/", benefits_pv.station_detail, name="benefit_station"),
    path("benefits/pv/<int:pk>/import/", benefits_pv.months_import, name="benefit_months_import"),
    path(
        "benefits/pv/<int:pk>/months/<int:month_pk>/correct/",
        benefits_pv.month_correct,
        name="benefit_month_correct",
    ),
    path("benefits/pv/<int:pk>/posts/", benefits_pv.post_new, name="benefit_post_new"),
    path("benefits/pv/<int:pk>/posts/<int:post_pk>/end/", benefits_pv.post_end, name="benefit_post_end"),
    path("benefits/pv/<int:pk>/attendance/", benefits_pv.attendance_new, name="benefit_attendance"),
    path("benefits/pv/<int:pk>/plan/", benefits_pv.plan_new, name="benefit_pv_plan"),
    path("benefits/funds/", benefits_pv.fund_list, name="benefit_funds"),
    path("benefits/funds/new/", benefits_pv.fund_new, name="benefit_fund_new"),
    path("benefits/funds/<int:pk>/plan/", benefits_pv.fund_plan, name="benefit_fund_plan"),
]
