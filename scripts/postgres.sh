#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (scripts/test.sh) and the benchmarks
# (bench/case_lookup.py): unix socket only, no durability, removed afterwards.
#
#   scripts/postgres.sh start DIR [NAME=VALUE ...]
#       DIR is an empty directory the caller made, named by its absolute path (keep it short:
#       the socket lives in it).
#       Creates a cluster in DIR/data, listening on a unix socket in DIR and on no TCP port,
#       with fsync off, then the given postgresql.conf settings (later ones win); starts it,
#       creates the database "aftersales" and prints its DATABASE_URL, nothing else, on stdout.
#       Run as root, the server runs as the postgres system user (made when missing):
#       PostgreSQL refuses to run as root.
#   scripts/postgres.sh stop DIR
#       Stops the server at once (nothing in it is kept) and removes DIR. Safe to run after a
#       start that failed half-way; refuses a directory that start was not given.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

MARK=".aftersales-throwaway-postgres"  # written first by start, looked for by stop
AS_SERVER=()
if [ "$(id -u)" -eq 0 ]; then
    AS_SERVER=(runuser -u postgres --)
fi

# The newest server installed (Debian keeps each major version under /usr/lib/postgresql/N).
server_bin() {
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

# Runs a server program as the server's user, from / (the caller's directory may be closed to it).
as_server() {
    (cd / && "${AS_SERVER[@]}" "$@")
}

start() {
    local dir=$1
    shift
    [[ $dir = /* ]] && [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ] \
        || die "start needs an empty directory, named by its absolute path, not '$dir'"
    local setting
    for setting in "$@"; do
        [[ $setting =~ ^[a-z_.]+=.+$ ]] || die "not a NAME=VALUE setting: '$setting'"
    done
    : >"$dir/$MARK"
    local bin
    bin="$(server_bin)"
    [ -n "$bin" ] && [ -x "$bin/initdb" ] || die "no PostgreSQL server under /usr/lib/postgresql"
    if [ "${#AS_SERVER[@]}" -gt 0 ]; then
        if ! id -u postgres >/dev/null 2>&1; then
            useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin --user-group postgres
        fi
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    say "starting PostgreSQL ($bin) in $dir" >&2
    as_server "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    {
        printf "listen_addresses = ''\nunix_socket_directories = '%s'\n" "$dir"
        printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
        for setting in "$@"; do
            printf '%s = %s\n' "${setting%%=*}" "${setting#*=}"
        done
    } >>"$dir/data/postgresql.conf"
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    as_server "$bin/createdb" -h "$dir" -U postgres aftersales
    # The socket directory goes in the host part, percent-encoded, so that Django's HOST setting
    # names it (a "?host=" query would only reach the driver's OPTIONS).
    printf 'postgres://postgres@%s/aftersales\n' "${dir//\//%2F}"
}

stop() {
    local dir=$1
    [ -d "$dir" ] || return 0
    [ -e "$dir/$MARK" ] || [ -z "$(ls -A "$dir")" ] \
        || die "'$dir' does not hold a server started by scripts/postgres.sh; left alone"
    local bin
    bin="$(server_bin)"
    if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bin" ]; then
        as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) [ "$#" -ge 2 ] || die "usage: $0 start DIR [NAME=VALUE ...]"; shift; start "$@" ;;
    stop) [ "$#" -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
    *) die "usage: $0 start DIR [NAME=VALUE ...] | stop DIR" ;;
esac
