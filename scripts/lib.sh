# Shared by scripts/run.sh and scripts/test.sh; sourced, not run.
# Installs what the project needs on a Debian 12 machine and prepares the Python environment.

export DEBIAN_FRONTEND=noninteractive
export UV_NO_PROGRESS=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# Install the named Debian packages that are not installed yet; a no-op when all are present.
ensure_debian_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}" </dev/null
}

# Sets the UV array to a working uv command, installing uv with pip when it is missing.
ensure_uv() {
    if command -v uv >/dev/null 2>&1; then
        UV=(uv)
        return 0
    fi
    local python
    python="$(command -v python3 || command -v python || true)"
    [ -n "$python" ] || die "python3 is not installed"
    say "installing uv with pip"
    "$python" -m pip install --quiet --disable-pip-version-check uv </dev/null \
        || "$python" -m pip install --quiet --disable-pip-version-check --break-system-packages uv </dev/null
    hash -r
    if command -v uv >/dev/null 2>&1; then
        UV=(uv)
    elif "$python" -m uv --version >/dev/null 2>&1; then
        UV=("$python" -m uv)
    else
        die "uv was installed but cannot be run"
    fi
}

# uv sync from the committed lock file (the dev group is included by default), with the
# libraries' and the project's bytecode compiled up front: every command then starts in a third of
# the time, even where Python is told not to write bytecode itself (PYTHONDONTWRITEBYTECODE).
sync_environment() {
    say "uv sync --frozen --compile-bytecode"
    "${UV[@]}" sync --frozen --compile-bytecode </dev/null
    "${UV[@]}" run --frozen --no-sync python -m compileall -q aftersales </dev/null >/dev/null
}

# Compile the gettext catalogs (aftersales/locale/<lang>/LC_MESSAGES/django.po) when there are any.
compile_catalogs() {
    if [ -n "$(find aftersales/locale -name django.po -print -quit 2>/dev/null)" ]; then
        say "compiling translation catalogs"
        "${UV[@]}" run --frozen --no-sync pybabel compile -d aftersales/locale -D django </dev/null
    fi
}
