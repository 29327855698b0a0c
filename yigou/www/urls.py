from django.urls import include, path

from .views import audit, auth, home, household_actions, households, pairings, producers, stats, units
from .views.approval import urlpatterns as approval_urls
from .views.ledger import entry, market, purchases
from .views.reporting import urlpatterns as reporting_urls
from .views.shares import urlpatterns as share_urls

app_name = "www"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.SignInView.as_view(), name="login"),
    path("logout/", auth.SignOutView.as_view(), name="logout"),
    path("households/", households.household_list, name="households"),
    path("households/new/", household_actions.household_create, name="household_create"),
    path("households/<int:pk>/", households.household_detail, name="household"),
    path("households/<int:pk>/events/", household_actions.record_event, name="household_event"),
    path("households/<int:pk>/edit/", household_actions.household_edit, name="household_edit"),
    path("households/<int:pk>/members/add/", household_actions.member_add, name="member_add"),
    path("households/<int:pk>/members/remove/", household_actions.member_remove, name="member_remove"),
    path("households/<int:pk>/steps/", household_actions.record_step, name="household_step"),
    path(
        "households/<int:pk>/members/<int:member_pk>/reveal/",
        household_actions.reveal_member,
        name="member_reveal",
    ),
    path("evidence/<int:pk>/", household_actions.evidence_download, name="evidence"),
    path("producers/", producers.producer_list, name="producers"),
    path("producers/new/", producers.producer_create, name="producer_create"),
    path("producers/<int:pk>/", producers.producer_detail, name="producer"),
    path("units/", units.unit_list, name="units"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/<int:pk>/", units.unit_detail, name="unit"),
    path("cadres/", units.cadre_list, name="cadres"),
    path("cadres/new/", units.cadre_create, name="cadre_create"),
    path("cadres/<int:pk>/", units.cadre_detail, name="cadre"),
    path("pairings/", pairings.pairing_list, name="pairings"),
    path("pairings/new/", pairings.pairing_create, name="pairing_create"),
    path("audit/", audit.audit_log, name="audit"),
    path("purchases/", purchases.purchase_list, name="purchases"),
    path("purchases/new/", entry.purchase_create, name="purchase_create"),
    path("purchases/households/", entry.household_search, name="purchase_household_search"),
    path("purchases/producer-households/", entry.producer_households, name="purchase_producer_households"),
    path("purchases/<int:pk>/", purchases.purchase_detail, name="purchase"),
    path("purchases/<int:pk>/reverse/", purchases.purchase_reverse_view, name="purchase_reverse"),
    path("outlets/", market.outlet_list, name="outlets"),
    path("outlets/new/", market.outlet_create, name="outlet_create"),
    path("outlets/<int:pk>/close/", market.outlet_close, name="outlet_close"),
    path("activities/", market.activity_list, name="activities"),
    path("activities/new/", market.activity_create, name="activity_create"),
    path("stats/", stats.stats_page, name="stats"),
    path("stats/export/<str:fmt>/", stats.stats_export, name="stats_export"),
    path("stats/chart/", stats.stats_chart, name="stats_chart"),
    # Import and export pages (io_urls.py) share the www namespace.
    path("io/", include("yigou.www.io_urls")),
    # Purchase contracts, pre-orders and buy-back (views/contracts/).
    path("", include("yigou.www.views.contracts")),
    # Reserved shares (预留份额): dashboard, a unit's own filing, review and floors (views/shares.py).
    path("shares/", include(share_urls)),
    # Statistical forms: entry, rule results, reconciliation, outliers, import (views/reporting.py).
    path("reporting/", include(reporting_urls)),
    # Approval up the region tree, completeness and the bulletin (views/approval.py).
    path("approval/", include(approval_urls)),
    # Certification of products and the public catalog (cert_urls.py).
    path("", include("yigou.www.cert_urls")),
    # Pre-sale lists and orders (market_urls.py).
    path("", include("yigou.www.market_urls")),
    # The supply book and unsold-produce warnings (views/supply.py).
    path("", include("yigou.www.views.supply")),
    # Quick-response cases and the unsold-produce dashboard (views/supply_cases.py).
    path("", include("yigou.www.views.supply_cases")),
    # Fake-figure findings and investigation cases (views/anomalies.py).
    path("", include("yigou.www.views.anomalies")),
    # Benefit distribution: cooperative surplus, asset income, PV stations, piece work (benefits_urls.py).
    path("", include("yigou.www.benefits_urls")),
    # Household income cards, 入户调查 and return-to-poverty monitoring (income_urls.py).
    path("", include("yigou.www.income_urls")),
    # Plans, task ledgers, dispatch, supervision and assessment (plans_urls.py).
    path("", include("yigou.www.plans_urls")),
    # The user's own notices (views/notices.py).
    path("", include("yigou.www.views.notices")),
]
