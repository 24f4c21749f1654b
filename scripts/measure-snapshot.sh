#!/usr/bin/env bash
# Measures `wavetop snapshot --json` on a large emulated fleet against a
# naive reader of the same fleet, in the same run, against the same moto:
# 200 pipelines (5 waves over 25 regions) and 50 health checks, created by
# scripts/measure-snapshot.py. wavetop runs twice: cold (an empty pipeline
# cache, as on a first start) and warm (the cache the cold run left, as on
# every later start). Prints each wall time, the ratios, wavetop's request
# counts (moto's request log) and its peak memory.
#   scripts/measure-snapshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wavetop/target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/wavetop"

# shellcheck source=scripts/emulator.sh
. scripts/emulator.sh
tmp="$(mktemp -d)"
trap 'kill "$WAVETOP_EMULATOR_PID" 2>/dev/null || true; rm -rf "$tmp"' EXIT
python="$(dirname "$WAVETOP_AWS_CLI")/python"
moto_log="${TMPDIR:-/tmp}/wavetop-moto-${WAVETOP_EMULATOR_URL##*:}.log"
requests() { grep -c '" [0-9][0-9][0-9] ' "$moto_log" || true; }
now_ms() { date +%s%3N; }

echo "seeding the fleet..." >&2
"$python" scripts/measure-snapshot.py seed "$WAVETOP_EMULATOR_URL"
"$python" scripts/measure-snapshot.py warm "$WAVETOP_EMULATOR_URL"

# wavetop: its own home, no configuration of the operator's; the cache
# starts empty and is kept from the first run to the second.
mkdir -p "$tmp/home"
wavetop() { # label
    local before start status=0 ms n peak_kb pipelines
    before="$(requests)"
    start="$(now_ms)"
    HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_STATE_HOME="$tmp/home/.state" \
        XDG_CACHE_HOME="$tmp/home/.cache" \
        /usr/bin/time -v -o "$tmp/time" \
        "$bin" snapshot --json --endpoint-url "$WAVETOP_EMULATOR_URL" \
        >"$tmp/snapshot.json" || status=$?
    ms=$(( $(now_ms) - start ))
    n=$(( $(requests) - before ))
    peak_kb="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time")"
    pipelines="$("$python" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['pipelines']))" "$tmp/snapshot.json")"
    echo "wavetop snapshot --json ($1): ${ms} ms, ${n} requests, peak RSS $((peak_kb / 1024)) MiB (${peak_kb} kB), ${pipelines} pipelines, exit ${status}"
    last_ms="$ms"
}
wavetop "cold cache"
cold_ms="$last_ms"
wavetop "warm cache"
warm_ms="$last_ms"

before="$(requests)"
start="$(now_ms)"
naive_calls="$("$python" scripts/measure-snapshot.py naive "$WAVETOP_EMULATOR_URL")"
naive_ms=$(( $(now_ms) - start ))
naive_requests=$(( $(requests) - before ))

echo "naive sequential reader: ${naive_ms} ms, ${naive_requests} requests (${naive_calls} calls)"
echo "ratio (naive / wavetop): cold $(echo "scale=2; $naive_ms / $cold_ms" | bc), warm $(echo "scale=2; $naive_ms / $warm_ms" | bc)"
