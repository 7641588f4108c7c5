#!/usr/bin/env bash
# The sweeps on their schedule, until stopped, for a machine without cron or systemd timers
# (scripts/run.sh runs it beside the demo; production schedules them as docs/deployment.md says):
#   aftersales sla-sweep             every ${SLA_SWEEP_SECONDS:-60} s: raises each service-level
#                                    escalation and breach whose queued check was lost;
#   aftersales notifications-sweep   every ${NOTIFICATIONS_SWEEP_SECONDS:-300} s: sends again each
#                                    message whose sending worker died mid-send;
#   aftersales storage-sweep         at start, then every ${STORAGE_SWEEP_SECONDS:-86400} s: takes each
#                                    storage step (notice, fees, disposal review) a lost timer missed;
#   aftersales csr-sweep             at start, then every ${CSR_SWEEP_SECONDS:-86400} s: takes each
#                                    self-repair step (reminder, purchase, refund) a lost task missed.
# All are safe to run at any time and do nothing when nothing is due. A sweep that fails is
# reported and tried again at its next turn. Uses `aftersales` from the project's environment
# (uv run) unless AFTERSALES names another command.
set -uo pipefail

cd "$(dirname "$0")/.."

SLA_EVERY="${SLA_SWEEP_SECONDS:-60}"
NOTIFICATIONS_EVERY="${NOTIFICATIONS_SWEEP_SECONDS:-300}"
STORAGE_EVERY="${STORAGE_SWEEP_SECONDS:-86400}"
CSR_EVERY="${CSR_SWEEP_SECONDS:-86400}"
read -r -a AFTERSALES_CMD <<<"${AFTERSALES:-uv run --frozen --no-sync aftersales}"

sweep() {
    "${AFTERSALES_CMD[@]}" "$@" </dev/null || printf 'sweeps: %s failed (exit %s); next turn as usual\n' "$1" "$?" >&2
}

# due NAME EVERY: true (and the next turn set) when NAME's turn has come.
declare -A NEXT=()
due() {
    local next=${NEXT[$1]:-0}
    [ "$SECONDS" -ge "$next" ] || return 1
    NEXT[$1]=$((SECONDS + $2))
}

# The shortest interval is the tick: every sweep runs at the first tick after its turn comes.
TICK=$SLA_EVERY
for every in "$NOTIFICATIONS_EVERY" "$STORAGE_EVERY" "$CSR_EVERY"; do
    [ "$every" -lt "$TICK" ] && TICK=$every
done

trap 'exit 0' INT TERM
while true; do
    due storage "$STORAGE_EVERY" && sweep storage-sweep --no-progress
    due csr "$CSR_EVERY" && sweep csr-sweep
    due notifications "$NOTIFICATIONS_EVERY" && sweep notifications-sweep
    due sla "$SLA_EVERY" && sweep sla-sweep
    # In the background and waited for, so that TERM is handled at once, not after the sleep.
    sleep "$TICK" &
    wait $!
done
