"""Sessions in the database, as Django keeps them, with a new key made in one step.

Django's database sessions make a new key from 32 separate random draws and then ask the
database whether it is taken before inserting the session; the insert itself is refused for a
key already taken (``save(must_create=True)``), and ``create()`` then tries another. The
question is therefore a query that can never change the outcome, paid by every visitor's first
request that stores something (the portal's case look-up remembers the case it opened). Here a
key is 160 random bits from one call, written in the 32 lower-case letters and digits Django's
keys use, and the insert alone decides.

``SESSION_ENGINE = "aftersales.core.sessions"``.
"""

from __future__ import annotations

import base64
import secrets

from django.contrib.sessions.backends import db


def new_session_key() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()


class SessionStore(db.SessionStore):
    def _get_new_session_key(self) -> str:
        return new_session_key()

    async def _aget_new_session_key(self) -> str:
        return new_session_key()
