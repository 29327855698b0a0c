"""The income card, the 入户调查 phone page and the monitoring pages, in the www namespace (included from urls.py)."""

from django.urls import path

from .views import income

urlpatterns = [
    path("income/", income.card_list, name="income_cards"),
    path("households/<int:pk>/income/", income.household_income, name="household_income"),
    path("income/survey/", income.survey, name="income_survey"),
    path("income/survey/check/", income.survey_check, name="income_survey_check"),
    path("income/survey/households/", income.survey_households, name="income_survey_households"),
    path("income/entries/<int:pk>/correct/", income.entry_correct, name="income_entry_correct"),
    path("income/entries/<int:pk>/evidence/", income.entry_evidence, name="income_entry_evidence"),
]
