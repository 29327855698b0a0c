"""The audit log, read-only, for holders of audit.view, inside their own region."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import ensure_can, restrict
from yigou.core.models import AuditEntry

from .base import ApiViewSet
from .common import first_or_404, int_pk, query, str_param


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "region_code",
            "changes",
            "note",
            "ip",
        ]
        read_only_fields = fields


AUDIT_PARAMS = [
    str_param("action", "操作，如 create、update、reveal、event:exited"),
    str_param("target_type", "对象类型，如 registry.household"),
    str_param("target_id", "对象编号"),
    str_param("actor", "操作人账号"),
]


class AuditViewSet(ApiViewSet):
    """审计日志（只读）：仅限有审计查看权限的用户，且只含本辖区的记录。"""

    queryset = AuditEntry.objects.none()
    serializer_class = AuditEntrySerializer

    def _entries(self) -> QuerySet[AuditEntry]:
        ensure_can(self.request.user, "audit.view")
        return restrict(self.request.user, AuditEntry.objects.all())

    @extend_schema(parameters=AUDIT_PARAMS)
    def list(self, request: Request) -> Response:
        rows = self._entries()
        for name, lookup in (
            ("action", "action"),
            ("target_type", "target_type"),
            ("target_id", "target_id"),
            ("actor", "actor_name"),
        ):
            if value := query(request, name):
                rows = rows.filter(**{lookup: value})
        return self.paginated(rows.order_by("-at", "-id"))

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(first_or_404(self._entries(), pk=int_pk(pk)))
