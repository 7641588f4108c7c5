"""Page guards: a view names the action it performs, and ``roles.ACTIONS`` says who may.

Anonymous visitors who may not take the action are sent to sign in; signed-in people who may
not are answered 403. The role × action tests read the same table.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from aftersales.accounts.roles import user_can


def action_required(action: str):
    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not user_can(request.user, action):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        guarded.required_action = action
        return guarded

    return decorator
