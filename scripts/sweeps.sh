#!/usr/bin/env bash
# The two sweeps on their schedule, until stopped, for a machine without cron or systemd timers
# (scripts/run.sh runs it beside the demo; production schedules them as docs/deployment.md says):
#   aftersales notifications-sweep   every ${NOTIFICATIONS_SWEEP_SECONDS:-300} s: sends again each
#                                    message whose sending worker died mid-send;
#   aftersales storage-sweep         at start, then every ${STORAGE_SWEEP_SECONDS:-86400} s: takes each
#                                    storage step (notice, fees, disposal review) a lost timer missed.
# Both are safe to run at any time and do nothing when nothing is due. A sweep that fails is
# reported and tried again at its next turn. Uses `aftersales` from the project's environment
# (uv run) unless AFTERSALES names another command.
set -uo pipefail

cd "$(dirname "$0")/.."

NOTIFICATIONS_EVERY="${NOTIFICATIONS_SWEEP_SECONDS:-300}"
STORAGE_EVERY="${STORAGE_SWEEP_SECONDS:-86400}"
read -r -a AFTERSALES_CMD <<<"${AFTERSALES:-uv run --frozen --no-sync aftersales}"

sweep() {
    "${AFTERSALES_CMD[@]}" "$@" </dev/null || printf 'sweeps: %s failed (exit %s); next turn as usual\n' "$1" "$?" >&2
}

trap 'exit 0' INT TERM
next_storage=$SECONDS
while true; do
    if [ "$SECONDS" -ge "$next_storage" ]; then
        sweep storage-sweep --no-progress
        next_storage=$((SECONDS + STORAGE_EVERY))
    fi
    sweep notifications-sweep
    # In the background and waited for, so that TERM is handled at once, not after the sleep.
    sleep "$NOTIFICATIONS_EVERY" &
    wait $!
done
