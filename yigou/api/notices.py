"""The signed-in user's own notices over the API: the list, the unread count, marking read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.notices import selectors, services
from yigou.notices.models import Notice

from .base import ApiViewSet
from .common import ErrorSerializer, bool_param, query_bool


class NoticeSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "kind", "title", "body", "link", "region_code", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField(label="未读条数")


class ReadInSerializer(serializers.Serializer):
    ids = serializers.ListField(
        label="要标为已读的消息编号（不填为全部未读）",
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=1000,
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(label="标为已读的条数")


class NoticeViewSet(ApiViewSet):
    """本人的消息：只列出发给当前用户的（管理员亦然），最新的在前。"""

    queryset = Notice.objects.none()
    serializer_class = NoticeSerializer

    @extend_schema(parameters=[bool_param("unread", "只看未读（1）")])
    def list(self, request: Request) -> Response:
        rows = selectors.notices(request.user, unread_only=bool(query_bool(request, "unread")))
        return self.paginated(rows)

    @extend_schema(responses={200: UnreadSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        """未读消息条数。"""
        return Response({"unread": selectors.unread_count(request.user)})

    @extend_schema(request=ReadInSerializer, responses={200: MarkedSerializer, 400: ErrorSerializer})
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        """把本人的消息标为已读：{"ids": [...]} 为指定各条，{} 为全部未读；别人的消息编号不起作用。"""
        data = self.valid_input(ReadInSerializer)
        return Response({"marked": services.mark_read(request.user, data.get("ids"))})
