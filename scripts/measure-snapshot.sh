#!/usr/bin/env bash
# Measures `wavetop snapshot --json` on a large emulated fleet against a
# naive reader of the same fleet, in the same run, against the same moto:
# 200 pipelines (5 waves over 25 regions) and 50 health checks, created by
# scripts/measure-snapshot.py. Prints both wall times, their ratio,
# wavetop's request count (moto's request log) and its peak memory.
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

# wavetop: its own home, no configuration of the operator's.
mkdir -p "$tmp/home"
before="$(requests)"
start="$(now_ms)"
HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_STATE_HOME="$tmp/home/.state" \
    /usr/bin/time -v -o "$tmp/time" \
    "$bin" snapshot --json --endpoint-url "$WAVETOP_EMULATOR_URL" \
    >"$tmp/snapshot.json" || status=$?
wavetop_ms=$(( $(now_ms) - start ))
wavetop_requests=$(( $(requests) - before ))
peak_kb="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time")"
pipelines="$("$python" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['pipelines']))" "$tmp/snapshot.json")"

before="$(requests)"
start="$(now_ms)"
naive_calls="$("$python" scripts/measure-snapshot.py naive "$WAVETOP_EMULATOR_URL")"
naive_ms=$(( $(now_ms) - start ))
naive_requests=$(( $(requests) - before ))

echo "wavetop snapshot --json: ${wavetop_ms} ms, ${wavetop_requests} requests, peak RSS $((peak_kb / 1024)) MiB (${peak_kb} kB), ${pipelines} pipelines, exit ${status:-0}"
echo "naive sequential reader: ${naive_ms} ms, ${naive_requests} requests (${naive_calls} calls)"
echo "ratio (naive / wavetop): $(echo "scale=2; $naive_ms / $wavetop_ms" | bc)"
