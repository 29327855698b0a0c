"""Token sign-in for API clients, through the same throttled backend as the login page."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigou.accounts.backends import is_locked, locked_message
from yigou.accounts.models import User
from yigou.accounts.scope import CAPABILITIES, can
from yigou.core.errors import DomainError

from .common import ErrorSerializer

CAPABILITY_NAMES = sorted({c for caps in CAPABILITIES.values() for c in caps} | {"pii.reveal"})


class LoginLockedError(DomainError):
    status_code = 429

    def __init__(self) -> None:
        super().__init__("login_locked", locked_message())


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", max_length=128, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    username = serializers.CharField()
    role = serializers.CharField()


class TokenView(APIView):
    """用户名和密码换取令牌（请求头 Authorization: Token <令牌>）。连续失败将被暂时锁定。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, password = data.validated_data["username"], data.validated_data["password"]
        http_request = request._request
        was_locked = is_locked(username, http_request)
        user = authenticate(request=http_request, username=username, password=password)
        if user is None:
            if was_locked:
                raise LoginLockedError()
            raise DomainError("login_failed", "用户名或密码不正确。")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "username": user.username, "role": user.role})


class TokenRevokeView(APIView):
    """注销当前令牌。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        Token.objects.filter(user=cast(User, request.user)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    capabilities = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """当前用户：角色、所属组织与区划、可执行的操作。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        org = user.organisation
        return Response(
            {
                "username": user.username,
                "display_name": str(user),
                "role": user.role,
                "role_label": user.get_role_display(),
                "organisation": org.name if org else None,
                "region": org.region_id if org else None,
                "capabilities": [c for c in CAPABILITY_NAMES if can(user, c)],
            }
        )
