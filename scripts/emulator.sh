#!/usr/bin/env bash
# The emulator tier: runs wavetop's AWS adapters against a local moto server.
#
#   scripts/emulator.sh                 start moto, run the emulator tests (ignored by default:
#                                       `cargo test --test emulator -- --include-ignored`), stop moto
#   scripts/emulator.sh CMD [ARGS...]   start moto, run CMD with WAVETOP_EMULATOR_URL set, stop moto
#   . scripts/emulator.sh               start moto and export WAVETOP_EMULATOR_URL in this shell
#                                       (stop it later with: kill "$WAVETOP_EMULATOR_PID")
#
# moto and the aws CLI (which the tests use as an independent reader of what
# wavetop reports) are installed once into $HOME/.cache/wavetop/venv (reused
# when present); moto listens on a free loopback port. Exported:
# WAVETOP_EMULATOR_URL, WAVETOP_EMULATOR_PID, WAVETOP_AWS_CLI (the aws
# executable) and dummy AWS credentials: nothing here can reach AWS.

MOTO_VERSION="5.2.5"
AWSCLI_VERSION="1.46.3"
VENV="${WAVETOP_VENV:-$HOME/.cache/wavetop/venv}"

_wavetop_emulator_installed() {
    [ -x "$VENV/bin/moto_server" ] && [ -x "$VENV/bin/aws" ] &&
        "$VENV/bin/python" -c "
import sys
from importlib.metadata import version
sys.exit(version('moto') != '$MOTO_VERSION' or version('awscli') != '$AWSCLI_VERSION')
" 2>/dev/null
}

_wavetop_emulator_start() {
    if ! _wavetop_emulator_installed; then
        echo "emulator: installing moto[server]==$MOTO_VERSION and awscli==$AWSCLI_VERSION into $VENV" >&2
        python3 -m venv "$VENV" || return 1
        "$VENV/bin/pip" install --quiet "moto[server]==$MOTO_VERSION" "awscli==$AWSCLI_VERSION" || return 1
    fi
    local port
    port="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')" || return 1
    local log="${TMPDIR:-/tmp}/wavetop-moto-$port.log"
    "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
    WAVETOP_EMULATOR_PID=$!
    local url="http://127.0.0.1:$port"
    local tries=0
    until "$VENV/bin/python" -c "import urllib.request, sys; urllib.request.urlopen('$url/moto-api/', timeout=1)" 2>/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -ge 60 ] || ! kill -0 "$WAVETOP_EMULATOR_PID" 2>/dev/null; then
            echo "emulator: moto did not answer on $url; its log:" >&2
            cat "$log" >&2
            kill "$WAVETOP_EMULATOR_PID" 2>/dev/null
            return 1
        fi
        sleep 0.5
    done
    export WAVETOP_EMULATOR_URL="$url"
    export WAVETOP_EMULATOR_PID
    export WAVETOP_AWS_CLI="$VENV/bin/aws"
    export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
    export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
    echo "emulator: moto $MOTO_VERSION at $url (pid $WAVETOP_EMULATOR_PID, log $log)" >&2
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    _wavetop_emulator_start
    return $?
fi

set -u
_wavetop_emulator_start || exit 1
trap 'kill "$WAVETOP_EMULATOR_PID" 2>/dev/null' EXIT
if [ "$#" -eq 0 ]; then
    set -- cargo test --test emulator -- --include-ignored
fi
"$@"
