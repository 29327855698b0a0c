"""Version 1 of the REST API: every list paginated, every error {code, message}."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .anomalies import FindingViewSet, InvestigationViewSet
from .approval import BulletinView, CompletenessView, SubmissionViewSet
from .assist import CadreViewSet, UnitViewSet
from .audit import AuditViewSet
from .auth import MeView, TokenRevokeView, TokenView
from .benefits import DistributionViewSet, StationViewSet
from .buybacks import BuyBackViewSet
from .contracts import ContractViewSet
from .households import HouseholdViewSet, MemberViewSet
from .ledger import PurchaseViewSet, StatsColumnsView, StatsTableView
from .market import ActivityViewSet, OutletViewSet
from .market_orders import OrderViewSet, PresaleListViewSet
from .market_products import BlacklistViewSet, CatalogViewSet, ProductViewSet, ReferencePriceViewSet
from .monitoring import MeasureViewSet, MonitoringCaseViewSet
from .notices import NoticeViewSet
from .pairings import HouseholdPairingViewSet, VillagePairingViewSet
from .plans import (
    NetworkSiteViewSet,
    PlanFindingViewSet,
    PlanViewSet,
    SchemeViewSet,
    TargetViewSet,
    TaskViewSet,
    TrusteeshipViewSet,
)
from .preorders import PreOrderViewSet
from .producers import ProducerViewSet
from .regions import RegionViewSet
from .reporting import (
    FormView,
    ImportView,
    OutlierViewSet,
    ReconciliationView,
    ResultViewSet,
    ValidateView,
    ValuesView,
)
from .shares import ShareFilingViewSet, ShareFloorViewSet, SharesDashboardView
from .supply import SupplyViewSet, WarningViewSet
from .supply_cases import CaseViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("producers", ProducerViewSet, basename="producer")
router.register("units", UnitViewSet, basename="unit")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("unit-village-pairings", VillagePairingViewSet, basename="unit-village-pairing")
router.register("cadre-household-pairings", HouseholdPairingViewSet, basename="cadre-household-pairing")
router.register("audit", AuditViewSet, basename="audit")
router.register("benefits/distributions", DistributionViewSet, basename="benefit-distribution")
router.register("benefits/stations", StationViewSet, basename="benefit-station")
router.register("purchases", PurchaseViewSet, basename="purchase")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("activities", ActivityViewSet, basename="activity")
router.register("contracts", ContractViewSet, basename="contract")
router.register("preorders", PreOrderViewSet, basename="preorder")
router.register("buybacks", BuyBackViewSet, basename="buyback")
router.register("presale-lists", PresaleListViewSet, basename="presale-list")
router.register("orders", OrderViewSet, basename="order")
router.register("monitoring/cases", MonitoringCaseViewSet, basename="monitoring-case")
router.register("monitoring/measures", MeasureViewSet, basename="monitoring-measure")
router.register("catalog", CatalogViewSet, basename="catalog")
router.register("products", ProductViewSet, basename="product")
router.register("reference-prices", ReferencePriceViewSet, basename="reference-price")
router.register("blacklist", BlacklistViewSet, basename="blacklisting")
router.register("share-filings", ShareFilingViewSet, basename="share-filing")
router.register("reporting/results", ResultViewSet, basename="reporting-result")
router.register("reporting/outliers", OutlierViewSet, basename="reporting-outlier")
router.register("share-floors", ShareFloorViewSet, basename="share-floor")
router.register("supply", SupplyViewSet, basename="supply")
router.register("warnings", WarningViewSet, basename="warning")
router.register("notices", NoticeViewSet, basename="notice")
router.register("supply-cases", CaseViewSet, basename="supply-case")
router.register("anomalies/findings", FindingViewSet, basename="anomaly-finding")
router.register("anomalies/cases", InvestigationViewSet, basename="anomaly-case")
router.register("approval/submissions", SubmissionViewSet, basename="approval-submission")
router.register("plans/plans", PlanViewSet, basename="plan")
router.register("plans/tasks", TaskViewSet, basename="plan-task")
router.register("plans/targets", TargetViewSet, basename="plan-target")
router.register("plans/findings", PlanFindingViewSet, basename="plan-finding")
router.register("plans/schemes", SchemeViewSet, basename="plan-scheme")
router.register("plans/network-sites", NetworkSiteViewSet, basename="plan-network-site")
router.register("plans/trusteeship", TrusteeshipViewSet, basename="plan-trusteeship")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("auth/me/", MeView.as_view(), name="auth-me"),
    path("stats/table/", StatsTableView.as_view(), name="stats-table"),
    path("stats/columns/", StatsColumnsView.as_view(), name="stats-columns"),
    path("approval/completeness/", CompletenessView.as_view(), name="approval-completeness"),
    path("approval/bulletin/", BulletinView.as_view(), name="approval-bulletin"),
    path("reporting/form/", FormView.as_view(), name="reporting-form"),
    path("reporting/values/", ValuesView.as_view(), name="reporting-values"),
    path("reporting/validate/", ValidateView.as_view(), name="reporting-validate"),
    path("reporting/reconciliation/", ReconciliationView.as_view(), name="reporting-reconciliation"),
    path("reporting/import/", ImportView.as_view(), name="reporting-import"),
    path("shares/dashboard/", SharesDashboardView.as_view(), name="shares-dashboard"),
    *router.urls,
]
