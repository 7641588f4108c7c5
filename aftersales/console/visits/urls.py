"""The console's visit pages, added to ``console.urls``: the day board, one visit, and its posts."""

from django.urls import path

from aftersales.console.visits import actions, board, page

VISIT = "visits/<uuid:public_id>/"
urls = [
    path("visits/", board.board, name="visits"),
    path(VISIT, page.visit_detail, name="visit"),
    path(VISIT + "reassign/", actions.reassign, name="visit-reassign"),
    path(VISIT + "reschedule/", actions.reschedule, name="visit-reschedule"),
    path(VISIT + "fee/", actions.fee_agree, name="visit-fee"),
    path(VISIT + "check-in/", actions.check_in, name="visit-check-in"),
    path(VISIT + "check-out/", actions.check_out, name="visit-check-out"),
    path(VISIT + "cancel/", actions.cancel, name="visit-cancel"),
]
