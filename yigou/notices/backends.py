"""Outbound message backends: how a notice leaves the site as a text message.

`YIGOU_MESSAGE_BACKEND` names the class (dotted path). A gateway (SMS provider, WeChat template messages) plugs in
as a subclass of `MessageBackend` that implements `send`; nothing else in the project changes.
"""

from __future__ import annotations

import functools
import sys
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string

from yigou.core.masking import mask_phone


class MessageBackend:
    """One delivery channel. `send` returns True when the gateway accepted the message, False when it refused;
    an exception counts as a refusal (the notice stays in the app, `sent_via` empty)."""

    name = ""

    def send(self, phone: str, text: str) -> bool:
        raise NotImplementedError


class ConsoleBackend(MessageBackend):
    """Development and single-box installs: one line per message on standard output, the phone masked."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, phone: str, text: str) -> bool:
        out = self.stream or sys.stdout
        out.write(f"[短信] {mask_phone(phone)} {text}\n")
        out.flush()
        return True


class LocmemBackend(MessageBackend):
    """Tests: keeps every message, phone in full, as (phone, text) in `outbox`."""

    name = "locmem"

    def __init__(self) -> None:
        self.outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> bool:
        self.outbox.append((phone, text))
        return True


@functools.cache
def _load(path: str) -> MessageBackend:
    backend_class = import_string(path)
    return backend_class()


def get_backend() -> MessageBackend:
    """The configured backend: one instance per setting value (a LocmemBackend keeps its outbox between calls)."""
    return _load(settings.YIGOU_MESSAGE_BACKEND)
