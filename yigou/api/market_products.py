"""Certified products over the API: the public catalog (read-only, no sign-in), applications in the user's scope,
and each workflow step as a POST action that calls the certification service."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import get_visible, named_required, named_rows
from yigou.core.errors import NotFoundError
from yigou.market import catalog
from yigou.market import certification as cert
from yigou.market.enums import CapacityPeriod, FileKind, ProductAction, ProductCategory, ProductStatus
from yigou.market.models import Blacklisting, Objection, Product, ProductStep, ReferencePrice
from yigou.market.pricing import ReferencePriceInput, reference_price_add
from yigou.registry.models import Household, Producer

from .base import ApiViewSet
from .common import ErrorSerializer, choices_help, int_pk, query, query_bool, region_by_code, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class CatalogSerializer(serializers.ModelSerializer):
    """What the public may know: no household, no contact, no personal data — only the count of linked households."""

    category = serializers.CharField(read_only=True, help_text=choices_help(ProductCategory))
    capacity_period = serializers.CharField(read_only=True, help_text=choices_help(CapacityPeriod))

    category_label = serializers.CharField(source="get_category_display", read_only=True)
    producer_name = serializers.CharField(source="producer.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    households = serializers.IntegerField(read_only=True, label="联结农户数")
    mechanism_label = serializers.CharField(read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "category",
            "category_label",
            "specification",
            "unit",
            "price",
            "capacity",
            "capacity_period",
            "base",
            "producer_name",
            "region",
            "region_name",
            "mechanism",
            "mechanism_label",
            "certificate_no",
            "listed_on",
            "valid_until",
            "households",
        ]
        read_only_fields = fields


class ProductStepSerializer(serializers.ModelSerializer):
    action = serializers.CharField(read_only=True, help_text=choices_help(ProductAction))
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.CharField(source="actor.username", read_only=True, default="")

    class Meta:
        model = ProductStep
        fields = [
            "id",
            "action",
            "action_label",
            "from_status",
            "to_status",
            "actor_name",
            "actor_org",
            "at",
            "reason",
        ]
        read_only_fields = fields


class ProductObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id",
            "raised_by",
            "contact",
            "content",
            "created_at",
            "resolved_at",
            "resolution",
            "upheld",
        ]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=choices_help(ProductStatus))
    category = serializers.CharField(read_only=True, help_text=choices_help(ProductCategory))
    capacity_period = serializers.CharField(read_only=True, help_text=choices_help(CapacityPeriod))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    producer_name = serializers.CharField(source="producer.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    households = serializers.IntegerField(read_only=True, label="联结农户数")

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "category",
            "category_label",
            "specification",
            "unit",
            "capacity",
            "capacity_period",
            "base",
            "price",
            "price_links",
            "reference_price",
            "price_flagged",
            "price_explanation",
            "mechanism",
            "mechanism_note",
            "producer",
            "producer_name",
            "region",
            "region_name",
            "county_code",
            "status",
            "status_label",
            "certificate_no",
            "notice_start",
            "notice_end",
            "listed_on",
            "valid_until",
            "rechecked_on",
            "households",
            "created_at",
        ]
        read_only_fields = fields


class ProductDetailSerializer(ProductSerializer):
    steps = ProductStepSerializer(many=True, read_only=True)
    objections = serializers.SerializerMethodField()
    linked_households = serializers.SerializerMethodField(label="联结农户户编号")

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "steps", "objections", "linked_households"]
        read_only_fields = fields

    def get_objections(self, obj: Product) -> list[dict[str, Any]]:
        rows = catalog.objections(self.context["request"].user, obj.pk)
        return list(ProductObjectionSerializer(rows, many=True).data)

    def get_linked_households(self, obj: Product) -> list[str]:
        return list(obj.linked.order_by("household__number").values_list("household__number", flat=True))


class ProductApplySerializer(serializers.Serializer):
    producer = serializers.IntegerField(label="申报主体")
    name = serializers.CharField(label="产品名称", max_length=100)
    category = serializers.CharField(label="品类", max_length=16, help_text=choices_help(ProductCategory))
    specification = serializers.CharField(label="规格", max_length=100)
    unit = serializers.CharField(label="计量单位", max_length=16)
    capacity = serializers.CharField(label="供应能力", max_length=20)
    capacity_period = serializers.CharField(
        label="供应周期", max_length=8, help_text="season=每季；year=每年"
    )
    base = serializers.CharField(label="生产基地", max_length=200)
    price = serializers.CharField(label="销售价格（元）", max_length=20)
    price_links = serializers.CharField(
        label="比价链接（每行一个）", required=False, allow_blank=True, default=""
    )
    price_explanation = serializers.CharField(label="价格说明", required=False, allow_blank=True, default="")
    mechanism = serializers.CharField(label="带贫机制", max_length=16)
    mechanism_note = serializers.CharField(label="带贫机制说明", required=False, allow_blank=True, default="")
    households = serializers.ListField(child=serializers.IntegerField(), label="联结农户 id")
    commitment = serializers.ListField(
        child=serializers.FileField(), label="承诺函", required=False, default=list
    )
    price_evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    inspection = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    certificate = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    other = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ProductReviewSerializer(serializers.Serializer):
    passed = serializers.BooleanField(label="审核通过（false 为退回补正）")
    reason = serializers.CharField(label="意见/理由", required=False, allow_blank=True, default="")


class ProductDecideSerializer(serializers.Serializer):
    certify = serializers.BooleanField(label="予以认定（false 为不予认定）")
    reason = serializers.CharField(label="意见/理由", required=False, allow_blank=True, default="")


class ProductObjectionInSerializer(serializers.Serializer):
    raised_by = serializers.CharField(label="异议人", max_length=100)
    contact = serializers.CharField(
        label="联系方式", max_length=60, required=False, allow_blank=True, default=""
    )
    content = serializers.CharField(label="异议内容", max_length=1000)


class ProductResolveSerializer(serializers.Serializer):
    objection = serializers.IntegerField(label="异议 id")
    upheld = serializers.BooleanField(label="异议成立")
    resolution = serializers.CharField(label="处理结果", max_length=1000)


class CertReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label="理由", max_length=500)


class RecheckNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        label="复核意见", max_length=500, required=False, allow_blank=True, default=""
    )


class CatalogViewSet(ApiViewSet):
    """扶贫产品目录（公开，无需登录）：已列入目录且在有效期内、主体不在黑名单中的产品。"""

    queryset = Product.objects.none()
    serializer_class = CatalogSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        parameters=[
            str_param("q", "名称、拼音首字母或全拼"),
            str_param("category", "品类", enum=list(ProductCategory.values)),
            str_param("region", "区划代码：含其全部下级"),
            str_param("sort", "排序", enum=list(catalog.CATALOG_SORTS)),
        ]
    )
    def list(self, request: Request) -> Response:
        f = catalog.CatalogFilter(
            q=query(request, "q"),
            category=query(request, "category"),
            region=query(request, "region"),
            sort=query(request, "sort") or "name",
        )
        return self.paginated(catalog.catalog(f))

    @extend_schema(responses={200: CatalogSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        product = catalog.catalog_product(int_pk(pk))
        if product is None:
            raise NotFoundError()
        return self.output(product)


def _households(actor: Any, ids: list[int]) -> list[Household]:
    return named_rows(actor, Household.objects.all(), ids, field="households", label="农户")


class ProductViewSet(ApiViewSet):
    """扶贫产品认定：申报、乡镇（行业部门）审核、县级认定、公示异议、列入目录、年度复核、撤销。"""

    queryset = Product.objects.none()
    serializer_class = ProductSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _product(self, pk: str) -> Product:
        return catalog.product(self.request.user, int_pk(pk))

    def _fresh(self, product: Product) -> Response:
        return self.output(catalog.products(self.request.user).get(pk=product.pk))

    @extend_schema(
        parameters=[
            str_param("queue", "工作列表", enum=list(catalog.QUEUES)),
            str_param("q", "名称或拼音"),
            str_param("status", "状态", enum=list(ProductStatus.values)),
            str_param("category", "品类"),
            str_param("region", "区划代码"),
            str_param("flagged", "仅价格预警：1"),
        ]
    )
    def list(self, request: Request) -> Response:
        f = catalog.ProductFilter(
            queue=query(request, "queue") or "all",
            q=query(request, "q"),
            status=query(request, "status"),
            category=query(request, "category"),
            region=query(request, "region"),
            flagged=bool(query_bool(request, "flagged")),
            sort=query(request, "sort") or "-created",
        )
        return self.paginated(catalog.products(request.user, f))

    @extend_schema(responses={200: ProductDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        product = catalog.products(request.user).get(pk=self._product(pk).pk)
        return self.output(product, ProductDetailSerializer)

    @extend_schema(request=ProductApplySerializer, responses={201: ProductSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """申报扶贫产品（multipart 可同时上传材料：commitment 必须）。"""
        d = self.valid_input(ProductApplySerializer)
        producer = named_required(
            request.user, Producer.objects.all(), d["producer"], field="producer", label="经营主体"
        )
        files = [(kind, f) for kind in FileKind.values for f in d.get(kind) or []]
        data = cert.ApplyInput(
            name=d["name"],
            category=d["category"],
            specification=d["specification"],
            unit=d["unit"],
            capacity=d["capacity"],
            capacity_period=d["capacity_period"],
            base=d["base"],
            price=d["price"],
            mechanism=d["mechanism"],
            households=_households(request.user, d["households"]),
            files=files,
            price_links=d["price_links"],
            price_explanation=d["price_explanation"],
            mechanism_note=d["mechanism_note"],
        )
        product = cert.product_apply(actor=request.user, producer=producer, data=data)
        response = self._fresh(product)
        response.status_code = 201
        return response

    @extend_schema(request=ProductReviewSerializer, responses={200: ProductSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """乡镇或县级行业部门审核：通过，或退回补正（须填理由）。"""
        d = self.valid_input(ProductReviewSerializer)
        return self._fresh(cert.product_review(actor=request.user, product=self._product(pk), **d))

    @extend_schema(request=ProductDecideSerializer, responses={200: ProductSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """县级认定：予以认定（生成认定编号并进入公示）或不予认定（须填理由）。"""
        d = self.valid_input(ProductDecideSerializer)
        return self._fresh(cert.product_decide(actor=request.user, product=self._product(pk), **d))

    @extend_schema(request=ProductObjectionInSerializer, responses={200: ProductSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def objections(self, request: Request, pk: str) -> Response:
        """登记公示期内收到的异议。"""
        d = self.valid_input(ProductObjectionInSerializer)
        product = self._product(pk)
        cert.objection_record(actor=request.user, product=product, **d)
        return self._fresh(product)

    @extend_schema(request=ProductResolveSerializer, responses={200: ProductSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        """处理异议；异议成立则不予认定。"""
        d = self.valid_input(ProductResolveSerializer)
        product = self._product(pk)
        objection = named_required(
            request.user,
            Objection.objects.filter(product=product),
            d["objection"],
            field="objection",
            label="异议",
        )
        cert.objection_resolve(
            actor=request.user, objection=objection, upheld=d["upheld"], resolution=d["resolution"]
        )
        return self._fresh(product)

    @extend_schema(request=None, responses={200: ProductSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="list")
    def list_in_catalog(self, request: Request, pk: str) -> Response:
        """公示期满且无未处理异议，列入目录。"""
        return self._fresh(cert.product_list(actor=request.user, product=self._product(pk)))

    @extend_schema(request=RecheckNoteSerializer, responses={200: ProductSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def recheck(self, request: Request, pk: str) -> Response:
        """年度复核通过，有效期延长一年。"""
        d = self.valid_input(RecheckNoteSerializer)
        return self._fresh(
            cert.product_recheck(actor=request.user, product=self._product(pk), note=d["note"])
        )

    @extend_schema(request=CertReasonSerializer, responses={200: ProductSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        """撤销认定（须填理由）。"""
        d = self.valid_input(CertReasonSerializer)
        return self._fresh(
            cert.product_revoke(actor=request.user, product=self._product(pk), reason=d["reason"])
        )


class ReferencePriceSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = ReferencePrice
        fields = [
            "id",
            "name",
            "specification",
            "unit",
            "price",
            "region",
            "region_name",
            "observed_on",
            "source",
        ]
        read_only_fields = fields


class ReferencePriceInSerializer(serializers.Serializer):
    name = serializers.CharField(label="产品名称", max_length=100)
    specification = serializers.CharField(label="规格", max_length=100)
    unit = serializers.CharField(label="计量单位", max_length=16)
    price = serializers.CharField(label="市场价（元）", max_length=20)
    region = serializers.CharField(label="采价区划代码", max_length=12)
    observed_on = serializers.DateField(label="采价日期")
    source = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.source
        label="来源", max_length=200, required=False, allow_blank=True, default=""
    )


class ReferencePriceViewSet(ApiViewSet):
    """市场参考价：扶贫部门登记，申报价格据此比较。"""

    queryset = ReferencePrice.objects.none()
    serializer_class = ReferencePriceSerializer

    @extend_schema(parameters=[str_param("q", "名称或规格"), str_param("region", "区划代码")])
    def list(self, request: Request) -> Response:
        return self.paginated(
            catalog.reference_prices(request.user, query(request, "q"), query(request, "region"))
        )

    @extend_schema(request=ReferencePriceInSerializer, responses={201: ReferencePriceSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(ReferencePriceInSerializer)
        region = region_by_code(request.user, d.pop("region"), field="region")
        row = reference_price_add(actor=request.user, region=region, data=ReferencePriceInput(**d))
        return self.output(row, created=True)


class BlacklistingSerializer(serializers.ModelSerializer):
    producer_name = serializers.CharField(source="producer.name", read_only=True)

    class Meta:
        model = Blacklisting
        fields = ["id", "producer", "producer_name", "reason", "since", "lifted_on"]
        read_only_fields = fields


class BlacklistCreateSerializer(serializers.Serializer):
    producer = serializers.IntegerField(label="经营主体 id")
    reason = serializers.CharField(label="原因", max_length=500)


class BlacklistViewSet(ApiViewSet):
    """经营主体黑名单：列入即撤销其公示中和目录内的全部产品。"""

    queryset = Blacklisting.objects.none()
    serializer_class = BlacklistingSerializer

    def _rows(self) -> QuerySet[Blacklisting]:
        return catalog.blacklist(self.request.user)

    def list(self, request: Request) -> Response:
        return self.paginated(self._rows())

    @extend_schema(request=BlacklistCreateSerializer, responses={201: BlacklistingSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(BlacklistCreateSerializer)
        producer = named_required(
            request.user, Producer.objects.all(), d["producer"], field="producer", label="经营主体"
        )
        return self.output(
            cert.producer_blacklist(actor=request.user, producer=producer, reason=d["reason"]), created=True
        )

    @extend_schema(request=CertReasonSerializer, responses={200: BlacklistingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str) -> Response:
        """移出黑名单（已撤销的产品须重新申报）。"""
        row = get_visible(request.user, self._rows(), pk=int_pk(pk))
        d = self.valid_input(CertReasonSerializer)
        return self.output(cert.blacklist_lift(actor=request.user, blacklisting=row, reason=d["reason"]))
