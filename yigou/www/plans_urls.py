"""Plans, task ledgers, dispatch, supervision and assessment (views/plans.py, views/plans_assess.py)."""

from django.urls import path

from .views import plans, plans_assess

urlpatterns = [
    path("plans/", plans.plan_list, name="plans"),
    path("plans/overdue/", plans.overdue_list, name="plans_overdue"),
    path("plans/network/", plans_assess.network, name="plans_network"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/tasks/new/", plans.task_create, name="plan_task_create"),
    path("plans/<int:pk>/targets/new/", plans.target_create, name="plan_target_create"),
    path("plans/<int:pk>/import/", plans.plan_import, name="plan_import"),
    path("plans/<int:pk>/findings/", plans_assess.finding_list, name="plan_findings"),
    path("plans/<int:pk>/schemes/new/", plans_assess.scheme_create, name="plan_scheme_create"),
    path("plans/tasks/<int:pk>/", plans.task_detail, name="plan_task"),
    path("plans/targets/<int:pk>/", plans.target_detail, name="plan_target"),
    path("plans/findings/<int:pk>/", plans_assess.finding_detail, name="plan_finding"),
    path("plans/schemes/<int:pk>/", plans_assess.ranking, name="plan_ranking"),
]
