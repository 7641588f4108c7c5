"""The status line of a registry import, as the administration pages show it: one sentence for
where the import is, and once it has ended with wrong rows, each row with what to correct, in
the reader's language. Nothing of the stored state's names or codes reaches the page."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftersales.warranty.models import ImportState, RegistryImport
from aftersales.warranty.presentation import is_zh


def import_shown(run: RegistryImport | None, language: str) -> dict | None:
    if run is None:
        return None
    zh = is_zh(language)
    return {
        "pk": run.pk, "running": not run.finished, "line": _line(run), "ok": run.state == ImportState.DONE,
        "done": run.rows_done, "total": run.rows_total,
        "refusal": (run.refusal_zh if zh else run.refusal_en) if run.finished else "",
        "errors": [{"row": e["row"], "message": e["zh"] if zh else e["en"]} for e in run.errors],
        "unlisted": run.error_rows - len({e["row"] for e in run.errors}),
    }


def _line(run: RegistryImport) -> str:
    words = {"file": run.file_name, "done": number_format(run.rows_done, force_grouping=True),
             "total": number_format(run.rows_total, force_grouping=True)}
    if run.state == ImportState.QUEUED:
        return _("%(file)s: waiting for the import to start.") % words
    if run.state == ImportState.RUNNING and not run.rows_total:
        return _("%(file)s: reading the rows.") % words
    if run.state == ImportState.RUNNING and run.rows_done < run.rows_total:
        return _("%(file)s: %(done)s of %(total)s rows checked.") % words
    if run.state == ImportState.RUNNING:
        return _("%(file)s: all %(total)s rows are right; saving the devices.") % words
    if run.state == ImportState.DONE:
        return _("%(file)s: imported %(total)s rows, %(created)s new devices and %(updated)s updated.") % {
            **words, "created": number_format(run.created, force_grouping=True),
            "updated": number_format(run.updated, force_grouping=True)}
    if run.error_rows:
        return ngettext("%(file)s: nothing was imported; %(n)s row needs correcting.",
                        "%(file)s: nothing was imported; %(n)s rows need correcting.",
                        run.error_rows) % {**words, "n": number_format(run.error_rows, force_grouping=True)}
    return _("%(file)s: nothing was imported.") % words
