#!/usr/bin/env bash
# The run command. Installs what is missing, makes a secret key (once, in var/secret_key), migrates,
# collects static files, loads the demo data (policy packs, service centres, a serial registry, one
# demo user per role), starts the background worker and the sweeps (scripts/sweeps.sh), and serves
# the site with the production server (aftersales serve: granian) on ${HOST:-127.0.0.1}:${PORT:-8000}
# until interrupted.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# Links in e-mails (quotations, case pages) point at this address unless SITE_URL says otherwise.
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
WORKER_PID=""
SWEEPS_PID=""
SERVER_PID=""

# Each background process leads its own process group: stopping the group stops uv and the
# Python process under it.
stop_group() {
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill -TERM -- "-$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}
stop_all() {
    trap - EXIT INT TERM
    stop_group "$SERVER_PID"
    stop_group "$SWEEPS_PID"
    stop_group "$WORKER_PID"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# WeasyPrint (PDF documents) needs Pango; Chinese text needs the Noto CJK fonts.
ensure_debian_packages libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
ensure_uv
sync_environment
compile_catalogs

# The SQLite database, static files and media live here unless the environment says otherwise.
VAR="${AFTERSALES_VAR_DIR:-var}"
mkdir -p "$VAR"
# With DEBUG off the settings need a secret key: one made here once and kept, so that sessions
# survive a restart (SECRET_KEY or SECRET_KEY_FILE in the environment win over it).
if [ -z "${SECRET_KEY:-}${SECRET_KEY_FILE:-}" ] && [ ! -s "$VAR/secret_key" ]; then
    say "making a secret key in $VAR/secret_key"
    (umask 077 && "${UV[@]}" run --frozen --no-sync python -c \
        'import secrets; print(secrets.token_urlsafe(50))' >"$VAR/secret_key" </dev/null)
fi

aftersales() { "${UV[@]}" run --frozen --no-sync aftersales "$@" </dev/null; }

say "migrating the database"
aftersales migrate --noinput
say "collecting static files"
aftersales collectstatic --noinput >/dev/null
say "loading demo data"
aftersales demo-data

say "starting the background worker"
setsid "${UV[@]}" run --frozen --no-sync aftersales db_worker </dev/null &
WORKER_PID=$!
say "starting the sweeps (service levels every minute, notifications every 5 minutes, storage and self-repair daily)"
AFTERSALES="${UV[*]} run --frozen --no-sync aftersales" setsid scripts/sweeps.sh </dev/null &
SWEEPS_PID=$!

URL="http://$HOST:$PORT/" BIND="$HOST:$PORT"
case $HOST in *:*) URL="http://[$HOST]:$PORT/" BIND="[$HOST]:$PORT" ;; esac
printf '\n    Aftersales is serving at %s   (Ctrl-C stops it)\n\n' "$URL"
setsid "${UV[@]}" run --frozen --no-sync aftersales serve --bind "$BIND" </dev/null &
SERVER_PID=$!
# Waiting (rather than running the server in the foreground) lets Ctrl-C or a TERM sent to this
# script stop the server and the worker at once.
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=""
exit "$rc"
