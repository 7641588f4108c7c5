#!/usr/bin/env bash
# The test command. Installs everything it needs (Debian packages, uv, the locked Python
# environment), then runs the suite in three phases and stops at the first that fails:
#   1. everything but browser tests, on SQLite;
#   2. the same again on a throwaway PostgreSQL server (scripts/postgres.sh; postgres_only tests run too);
#   3. browser tests, in Debian's Chromium through Playwright, on SQLite.
# The last line printed is the total: "N passed, M failed[, K skipped]".
# Extra arguments are passed to every pytest run, e.g. ./scripts/test.sh -x -k money
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

START=$SECONDS
DEADLINE=$((START + ${AFTERSALES_TEST_BUDGET_SECONDS:-3000}))  # 50 minutes for the whole run (CI allows 90)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/aftersales-test.XXXXXX")"
PG_DIR=""
PHASES_RUN=0
PHASE_PID=""
PHASE_NAME=""
SUMMARY_PRINTED=0

summary() {
    [ "$SUMMARY_PRINTED" -eq 1 ] && return 0
    SUMMARY_PRINTED=1
    [ "$PHASES_RUN" -gt 0 ] || return 0
    "${UV[@]}" run --frozen --no-sync python - "$WORK" <<'PY' || true
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

passed = failed = skipped = 0
for report in sorted(Path(sys.argv[1]).glob("phase-*.xml")):
    root = ET.parse(report).getroot()
    for suite in [root] if root.tag == "testsuite" else root.iter("testsuite"):
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        passed += tests - bad - skip
        failed += bad
        skipped += skip
# A phase that crashed before writing its report still counts as a failure.
failed += len(list(Path(sys.argv[1]).glob("phase-*.crashed")))
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
PY
}

stop_postgres() {
    if [ -n "$PG_DIR" ]; then
        scripts/postgres.sh stop "$PG_DIR" || true
    fi
    PG_DIR=""
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$PHASE_PID" ]; then
        echo "interrupted during phase $PHASE_NAME" >&2
        kill -TERM "$PHASE_PID" 2>/dev/null || true
        wait "$PHASE_PID" 2>/dev/null || true
        touch "$WORK/phase-$PHASE_NAME.crashed"
    fi
    stop_postgres
    summary
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Set-up

ensure_debian_packages chromium fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 \
    libpangoft2-1.0-0 postgresql poppler-utils
ensure_uv
sync_environment
compile_catalogs

export AFTERSALES_VAR_DIR="$WORK/var"
mkdir -p "$AFTERSALES_VAR_DIR/static" "$AFTERSALES_VAR_DIR/media"

# run_phase NAME DESCRIPTION [ENV=VALUE ...] -- PYTEST-ARGS...
run_phase() {
    local name=$1 description=$2
    shift 2
    local envs=()
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    local remaining=$((DEADLINE - SECONDS))
    [ "$remaining" -gt 0 ] || die "time budget used up before phase $name"
    say "phase $name: $description"
    PHASES_RUN=$((PHASES_RUN + 1))
    local began=$SECONDS rc=0
    # In the background and waited for, so that a signal to this script is handled at once.
    env -u DATABASE_URL "${envs[@]}" timeout --kill-after=30 "$remaining" \
        "${UV[@]}" run --frozen --no-sync pytest -p no:cacheprovider \
        --junitxml="$WORK/phase-$name.xml" "$@" "${EXTRA_ARGS[@]}" </dev/null &
    PHASE_PID=$! PHASE_NAME=$name
    wait "$PHASE_PID" || rc=$?
    PHASE_PID=""
    say "phase $name took $((SECONDS - began))s (pytest exit code $rc)"
    case $rc in
        0 | 5) return 0 ;;  # 5: no tests collected in this phase
        124 | 137) echo "phase $name ran past the time budget" >&2 ;;
    esac
    [ -f "$WORK/phase-$name.xml" ] || touch "$WORK/phase-$name.crashed"
    exit "$rc"
}

EXTRA_ARGS=("$@")
# Phases 1 and 2 run in as many pytest-xdist processes as the machine has CPUs (each with its own
# test database); AFTERSALES_TEST_WORKERS=0 runs them in one process.
WORKERS=("-n" "${AFTERSALES_TEST_WORKERS:-auto}")

# ---------------------------------------------------------------------------------------------
# Phase 1: SQLite

run_phase 1-sqlite "suite without browser tests, on SQLite" -- -m "not browser" "${WORKERS[@]}"

# ---------------------------------------------------------------------------------------------
# Phase 2: a throwaway PostgreSQL (scripts/postgres.sh: unix socket only, removed on exit)

PG_DIR="$(mktemp -d /tmp/aftersales-pg.XXXXXX)"  # under /tmp: a socket's path has a length limit
PG_URL="$(scripts/postgres.sh start "$PG_DIR")"
run_phase 2-postgresql "suite without browser tests, on PostgreSQL" \
    "DATABASE_URL=$PG_URL" -- -m "not browser" "${WORKERS[@]}"
stop_postgres

# ---------------------------------------------------------------------------------------------
# Phase 3: browser tests in Debian's Chromium

run_phase 3-browser "browser tests in Chromium, on SQLite" -- -m browser

say "all phases passed in $((SECONDS - START))s"
