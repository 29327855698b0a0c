"""The base of every v1 view set: lists are paginated, rows come from selectors, writes from services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import serializers, status, viewsets
from rest_framework.response import Response


class ApiViewSet(viewsets.GenericViewSet):
    """Thin views: each action reads through a selector (already scoped) and writes through a service.

    `queryset` on subclasses is `.none()` and only tells the schema generator the model behind the path;
    no action reads it.
    """

    def paginated(
        self, rows: Iterable[Any], serializer_class: type[serializers.BaseSerializer] | None = None
    ) -> Response:
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        serializer = (serializer_class or self.get_serializer_class())(
            page, many=True, context=self.get_serializer_context()
        )
        return self.get_paginated_response(serializer.data)

    def valid_input(
        self, serializer_class: type[serializers.Serializer], *, partial: bool = False
    ) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(
        self,
        instance: Any,
        serializer_class: type[serializers.BaseSerializer] | None = None,
        *,
        created: bool = False,
    ) -> Response:
        serializer = (serializer_class or self.get_serializer_class())(
            instance, context=self.get_serializer_context()
        )
        return Response(serializer.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def shared_valid_input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """`valid_input` for the hot writes, validated by one serializer per process; a body it refuses is
        validated again the usual way, so the refusal is exactly `valid_input`'s."""
        try:
            return dict(_shared_serializer(serializer_class).run_validation(self.request.data))
        except serializers.ValidationError:
            return self.valid_input(serializer_class)

    def shared_output(
        self, instance: Any, serializer_class: type[serializers.BaseSerializer], *, created: bool = False
    ) -> Response:
        """`output` for the hot answers (a placed order, a recorded purchase), from fields built once."""
        data = shared_representation(instance, serializer_class)
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


_SHARED: dict[type[serializers.BaseSerializer], serializers.BaseSerializer] = {}


def _shared_serializer(serializer_class: type[serializers.BaseSerializer]) -> serializers.BaseSerializer:
    found = _SHARED.get(serializer_class)
    if found is None:
        found = _SHARED[serializer_class] = serializer_class()
    return found


def shared_representation(instance: Any, serializer_class: type[serializers.BaseSerializer]) -> Any:
    """What `serializer_class(instance).data` gives, from one serializer per process.

    DRF builds and deep-copies every field of a serializer and of its nested ones each time one is made, which
    cost more than writing the answer. `to_representation` keeps no state, so one set of fields serves every
    answer — only for serializers that read nothing from their context (no request, no user).
    """
    return _shared_serializer(serializer_class).to_representation(instance)
