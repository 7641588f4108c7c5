"""Sending text messages.

``SmsSender`` is the one interface: ``send(to, text)`` delivers one message or raises. The class
in use is named by the setting ``SMS_BACKEND`` (a dotted path, read when a message is sent). The
default, ``LogSmsSender``, delivers nothing: it writes the message to the ``aftersales.sms``
log at INFO level and keeps no other record.

A real SMS gateway plugs in here: write a subclass of ``SmsSender`` whose ``send`` calls the
gateway and raises on any refusal or network error (the notification is then marked failed and
tried again later), and set ``SMS_BACKEND`` to its dotted path.
"""

from __future__ import annotations

import abc
import logging

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SMS_BACKEND = "aftersales.notifications.sms.LogSmsSender"

logger = logging.getLogger("aftersales.sms")


class SmsSender(abc.ABC):
    @abc.abstractmethod
    def send(self, to: str, text: str) -> None:
        """Deliver ``text`` to the phone number ``to``; raise if it was not accepted."""


class LogSmsSender(SmsSender):
    """Development stand-in: the message goes to the log, nowhere else."""

    def send(self, to: str, text: str) -> None:
        logger.info("SMS to %s:\n%s", to, text)


def sms_sender() -> SmsSender:
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_SMS_BACKEND))()
