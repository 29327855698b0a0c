"""A notice to one user, shown in the app and, when the user left a phone number, sent out as a text message."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigou.core.fields import EncryptedTextField
from yigou.core.models import TimeStamped


class Notice(TimeStamped):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类别", max_length=32)  # a short code chosen by the caller, e.g. "supply_case"
    title = models.CharField("标题", max_length=200)
    body = models.CharField("内容", max_length=1000, blank=True)
    # A path inside the site, e.g. /supply/cases/3/ (the list page redirects there when a notice is opened).
    link = models.CharField("链接", max_length=300, blank=True)
    region_code = models.CharField("所属区划", max_length=12, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    sent_via = models.CharField("外发渠道", max_length=32, blank=True)  # backend name; "" = in the app only

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_read")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def audit_region_code(self) -> str:
        return self.region_code


class Contact(TimeStamped):
    """Where a user's notices are also sent: the mobile number a text message goes to (encrypted at rest).

    Users have no phone of their own in `accounts`; a user who wants text messages leaves one here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="notice_contact"
    )
    phone = EncryptedTextField("接收短信的手机号", blank=True)

    class Meta:
        verbose_name = "消息接收号码"
        verbose_name_plural = "消息接收号码"

    def __str__(self) -> str:
        return str(self.user)
