"""Creating organisations and users; the system actor used by command-line tools."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.regions.models import Region

from .enums import OrgKind, Role
from .models import Organisation, User

SYSTEM_USERNAME = "system"


def system_actor() -> User:
    """The account command-line tools act as: a platform administrator that cannot sign in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": Role.ADMIN, "display_name": "系统", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def organisation_create(*, actor: Any, name: str, kind: str, region: Region, **links: Any) -> Organisation:
    if kind not in OrgKind.values:
        raise DomainError("invalid_input", detail=f"组织类型“{kind}”不在可选范围内")
    org = Organisation.objects.create(name=name.strip()[:200], kind=kind, region=region, **links)
    audit.record(actor=actor, action="create", target=org, changes={"name": org.name, "kind": kind})
    return org


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    organisation: Organisation | None,
    display_name: str = "",
    can_reveal_pii: bool = False,
    check_password: bool = True,
) -> User:
    if role not in Role.values:
        raise DomainError("invalid_input", detail=f"角色“{role}”不在可选范围内")
    if role not in (Role.ADMIN, Role.BUYER) and organisation is None:
        raise DomainError("invalid_input", detail="除系统管理员和个人采购人外，用户必须属于一个组织")
    if User.objects.filter(username=username).exists():
        raise DomainError("invalid_input", detail=f"用户名 {username} 已存在")
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        display_name=display_name,
        can_reveal_pii=can_reveal_pii,
        is_staff=True,
        is_superuser=role == Role.ADMIN,
    )
    if check_password:
        from django.core.exceptions import ValidationError

        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError("invalid_input", detail="；".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    audit.record(actor=actor, action="create", target=user, changes={"username": username, "role": role})
    return user
