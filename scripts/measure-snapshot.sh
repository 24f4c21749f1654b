#!/usr/bin/env bash
# Measures `wavetop snapshot --json` on a large emulated fleet against a
# naive reader of the same fleet, in the same run, against the same moto:
# 200 pipelines (5 waves over 25 regions) and 50 health checks, created by
# scripts/measure-snapshot.py.
#
# moto answers on loopback at once, where AWS is a network round trip and a
# service's own time away. So each reader is measured at every round trip
# given (milliseconds; default 0, 20 and 50), through scripts/latency-relay.py
# for a round trip above 0. At each, wavetop runs twice: cold (an empty
# pipeline cache, as on a first start) and warm (the cache the cold run left,
# as on every later start), then the naive reader runs. Prints each wall time,
# the ratios, the requests moto served (its request log), moto's own CPU time
# and wavetop's peak memory.
#   scripts/measure-snapshot.sh [RTT_MS...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || set -- 0 20 50
for rtt in "$@"; do
    [[ "$rtt" =~ ^[0-9]+$ ]] || { echo "measure-snapshot: round trip '$rtt' is not a whole number of milliseconds" >&2; exit 2; }
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wavetop/target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/wavetop"

# shellcheck source=scripts/emulator.sh
. scripts/emulator.sh
tmp="$(mktemp -d)"
relay_pid=""
trap 'kill "$WAVETOP_EMULATOR_PID" $relay_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
python="$(dirname "$WAVETOP_AWS_CLI")/python"
moto_log="${TMPDIR:-/tmp}/wavetop-moto-${WAVETOP_EMULATOR_URL##*:}.log"
requests() { grep -c '" [0-9][0-9][0-9] ' "$moto_log" || true; }
now_ms() { date +%s%3N; }
# moto's CPU time so far, in milliseconds: when it equals a reader's wall
# time, moto's one core was the limit, not the reader.
moto_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$WAVETOP_EMULATOR_PID/stat"; }

echo "seeding the fleet..." >&2
"$python" scripts/measure-snapshot.py seed "$WAVETOP_EMULATOR_URL"
"$python" scripts/measure-snapshot.py warm "$WAVETOP_EMULATOR_URL"

measure() { # command...
    local before cpu start status=0
    before="$(requests)"
    cpu="$(moto_cpu_ms)"
    start="$(now_ms)"
    "$@" || status=$?
    last_ms=$(( $(now_ms) - start ))
    last_line="${last_ms} ms, $(( $(requests) - before )) requests, moto CPU $(( $(moto_cpu_ms) - cpu )) ms, exit ${status}"
}

wavetop_snapshot() { # url
    HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_STATE_HOME="$tmp/home/.state" \
        XDG_CACHE_HOME="$tmp/home/.cache" \
        /usr/bin/time -v -o "$tmp/time" \
        "$bin" snapshot --json --endpoint-url "$1" >"$tmp/snapshot.json"
}

wavetop_line() { # label url
    measure wavetop_snapshot "$2"
    local peak_kb pipelines
    peak_kb="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time")"
    pipelines="$("$python" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['pipelines']))" "$tmp/snapshot.json")"
    echo "  wavetop snapshot --json ($1): ${last_line}, peak RSS ${peak_kb} KiB, ${pipelines} pipelines"
}

for rtt in "$@"; do
    url="$WAVETOP_EMULATOR_URL"
    if [ "$rtt" -gt 0 ]; then
        "$python" scripts/latency-relay.py "$WAVETOP_EMULATOR_URL" "$rtt" >"$tmp/relay" &
        relay_pid=$!
        until [ -s "$tmp/relay" ]; do sleep 0.1; done
        url="$(cat "$tmp/relay")"
    fi
    echo "round trip ${rtt} ms:"
    # Each round trip starts from an empty cache, as a first start would.
    rm -rf "$tmp/home"
    mkdir -p "$tmp/home"
    wavetop_line "cold cache" "$url"
    cold_ms="$last_ms"
    wavetop_line "warm cache" "$url"
    warm_ms="$last_ms"
    measure "$python" scripts/measure-snapshot.py naive "$url"
    echo "  naive sequential reader: ${last_line}"
    echo "  ratio (naive / wavetop): cold $(echo "scale=2; $last_ms / $cold_ms" | bc), warm $(echo "scale=2; $last_ms / $warm_ms" | bc)"
    if [ -n "$relay_pid" ]; then
        kill "$relay_pid" 2>/dev/null || true
        wait "$relay_pid" 2>/dev/null || true
        relay_pid=""
        rm -f "$tmp/relay"
    fi
done
