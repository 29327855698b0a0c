"""Pieces every API module shares: masked fields, region lookup, and helpers for thin views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from yigou.accounts.scope import get_visible
from yigou.core.errors import DomainError, NotFoundError
from yigou.core.masking import mask_id_number, mask_phone, mask_text
from yigou.regions.models import Region


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):
    """Read-only: the attribute in masked form. The plain value never leaves the server through a list or detail."""

    def __init__(self, mask: Callable[[str | None], str] = mask_text, **kwargs: Any) -> None:
        self.mask = mask
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return self.mask(value)


def masked_id(**kwargs: Any) -> MaskedField:
    return MaskedField(mask_id_number, **kwargs)


def masked_phone(**kwargs: Any) -> MaskedField:
    return MaskedField(mask_phone, **kwargs)


def region_by_code(actor: Any, code: str, *, field: str) -> Region:
    """A region named in a request body; an unknown code is a 400 on that field, not a 404 of the resource."""
    try:
        return get_visible(actor, Region.objects.all(), code=(code or "").strip())
    except NotFoundError:
        raise DomainError("region_invalid", detail=f"区划代码“{code}”不存在", field=field) from None


def query(request: Request, name: str) -> str:
    return str(request.query_params.get(name, "") or "").strip()


def query_int(request: Request, name: str) -> int | None:
    value = query(request, name)
    if not value:
        return None
    if not value.isdigit():
        raise DomainError("invalid_input", detail=f"参数 {name} 必须是整数", field=name)
    return int(value)


def query_bool(request: Request, name: str) -> bool | None:
    value = query(request, name).lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return None


def choices_help(choices: Any) -> str:
    """'value=标签；…' for a TextChoices enum, for fields the service (not the serializer) validates."""
    return "；".join(f"{value}={label}" for value, label in choices.choices)


def str_param(name: str, description: str, enum: list[str] | None = None) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description, enum=enum
    )


def int_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.QUERY, description=description)


def bool_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.BOOL, OpenApiParameter.QUERY, description=description)


def int_pk(pk: Any) -> int:
    """A primary key from the path; anything but digits is simply not found."""
    if not str(pk).isdigit():
        raise NotFoundError()
    return int(pk)


def first_or_404(queryset: Any, **lookup: Any) -> Any:
    """One row of an already scoped selector queryset, or the same 404 an out-of-scope row gets."""
    row = queryset.filter(**lookup).first()
    if row is None:
        raise NotFoundError()
    return row


class ErrorSerializer(serializers.Serializer):
    """The shape of every error answer."""

    code = serializers.CharField()
    message = serializers.CharField()


class EndSerializer(serializers.Serializer):
    end = serializers.DateField(label="结束日期")
