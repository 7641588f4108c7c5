"""The conversation section's post: a message to the customer, or an internal note, with files.
``message_post`` checks everything (the role, the centre, the text, each file); a refusal shows
the section again with the text as typed and the reason beside it."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases.forms import CaseForm, MultipleFileField
from aftersales.console.cases.perform import perform
from aftersales.console.cases.scope import case_in_scope
from aftersales.conversation.models import AuthorKind
from aftersales.conversation.services import message_post

KEY = "message"


class MessageForm(CaseForm):
    body = forms.CharField(label=_lazy("Message"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_lazy("Plain words the customer understands; up to 20,000 characters."))
    files = MultipleFileField(label=_lazy("Files"), required=False,
                              help_text=_lazy("Photos, videos or PDF documents, several at once."))
    internal = forms.BooleanField(label=_lazy("Internal note: staff only, the customer neither sees it nor is told"),
                                  required=False)
    error_fields = {"file": "files"}


def message_form(request) -> MessageForm:
    """The form refused in this request, as it was filled in, or a fresh one."""
    return getattr(request, "conversation_form", None) or MessageForm(prefix=KEY, language=get_language())


@require_POST
@action_required("message.write")
def message_new(request, number: str):
    case = case_in_scope(request.user, number)
    form = MessageForm(request.POST, request.FILES, prefix=KEY, language=get_language())
    request.conversation_form = form  # shown again, with the refusal, if the post is refused

    def run(c, now):
        message_post(case=case, author_kind=AuthorKind.STAFF, actor=request.user, body=c["body"],
                     files=c["files"], internal=c["internal"], now=now, language=get_language())

    done = _("Note added.") if request.POST.get(f"{KEY}-internal") else _("Message sent to the customer.")
    return perform(request, case, KEY, form, run, anchor="conversation", done=done)
