"""The income card, the 入户调查 phone page and the monitoring pages, in the www namespace (included from urls.py)."""

from django.urls import path

from .views import income, monitoring, monitoring_public

urlpatterns = [
    path("income/", income.card_list, name="income_cards"),
    path("households/<int:pk>/income/", income.household_income, name="household_income"),
    path("households/<int:pk>/income/flag/", income.flag_from_scan, name="household_flag"),
    path("income/survey/", income.survey, name="income_survey"),
    path("income/survey/check/", income.survey_check, name="income_survey_check"),
    path("income/survey/households/", income.survey_households, name="income_survey_households"),
    path("income/entries/<int:pk>/correct/", income.entry_correct, name="income_entry_correct"),
    path("income/entries/<int:pk>/evidence/", income.entry_evidence, name="income_entry_evidence"),
    # 防止返贫动态监测: the public self-declaration needs no sign-in.
    path("public/monitoring/declare/", monitoring_public.declare, name="monitoring_declare"),
    path("monitoring/", monitoring.dashboard, name="monitoring"),
    path("monitoring/declarations/", monitoring_public.declaration_list, name="monitoring_declarations"),
    path(
        "monitoring/declarations/<int:pk>/case/",
        monitoring_public.declaration_case,
        name="monitoring_declaration_case",
    ),
    path(
        "monitoring/declarations/<int:pk>/dismiss/",
        monitoring_public.declaration_dismiss,
        name="monitoring_declaration_dismiss",
    ),
    path("monitoring/cases/", monitoring.case_list, name="monitoring_cases"),
    path("monitoring/cases/new/", monitoring.case_open, name="monitoring_case_open"),
    path("monitoring/cases/<int:pk>/", monitoring.case_detail, name="monitoring_case"),
    path("monitoring/cases/<int:pk>/step/", monitoring.case_step, name="monitoring_case_step"),
    path("monitoring/cases/<int:pk>/clearance/", monitoring.case_clearance, name="monitoring_case_clearance"),
    path("monitoring/cases/<int:pk>/measures/", monitoring.measure_add, name="monitoring_measure_add"),
    path("monitoring/measures/<int:pk>/follow-up/", monitoring.follow_up, name="monitoring_follow_up"),
    path("monitoring/measures/<int:pk>/close/", monitoring.measure_close, name="monitoring_measure_close"),
    path("monitoring/files/<int:pk>/", monitoring.step_file, name="monitoring_file"),
    path("monitoring/cadres/", monitoring.cadre_list, name="monitoring_cadres"),
    path("monitoring/cadres/<int:pk>/", monitoring.cadre_list, name="monitoring_cadre"),
]
