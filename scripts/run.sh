#!/usr/bin/env bash
# The run command. Installs what is missing, migrates, collects static files, loads the demo data
# (policy packs, service centres, a serial registry, one demo user per role), starts the background
# worker and serves the site on ${HOST:-127.0.0.1}:${PORT:-8000} until interrupted.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WORKER_PID=""

stop_worker() {
    trap - EXIT INT TERM
    if [ -n "$WORKER_PID" ] && kill -0 "$WORKER_PID" 2>/dev/null; then
        # The worker leads its own process group: stop uv and the Python process under it.
        kill -TERM -- "-$WORKER_PID" 2>/dev/null || true
        wait "$WORKER_PID" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# WeasyPrint (PDF documents) needs Pango; Chinese text needs the Noto CJK fonts.
ensure_debian_packages libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
ensure_uv
sync_environment
compile_catalogs

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

URL="http://$HOST:$PORT/"
case $HOST in *:*) URL="http://[$HOST]:$PORT/" ;; esac
printf '\n    Aftersales is serving at %s   (Ctrl-C stops it)\n\n' "$URL"
aftersales runserver --noreload "$HOST:$PORT"
