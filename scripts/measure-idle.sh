#!/usr/bin/env bash
# Measures the console at rest on the simulated fleet: CPU used, memory held,
# and how much it draws, over a fixed interval.
#   scripts/measure-idle.sh [SECONDS] [extra wavetop flags...]
# The terminal is 160x48 unless WAVETOP_MEASURE_SIZE says otherwise (e.g. 240x70).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"; shift || true
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wavetop/target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/wavetop"
tmp="$(mktemp -d)"
session="wavetop-measure-$$"
trap 'tmux -L wavetop-measure kill-session -t "$session" 2>/dev/null || true; rm -rf "$tmp"' EXIT

size="${WAVETOP_MEASURE_SIZE:-160x48}"
tmux -L wavetop-measure new-session -d -s "$session" -x "${size%x*}" -y "${size#*x}" \
  "HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state exec $bin --demo $*"
tmux -L wavetop-measure pipe-pane -t "$session" -o "cat > $tmp/output"
sleep 3
pid="$(tmux -L wavetop-measure list-panes -t "$session" -F '#{pane_pid}')"
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz="$(getconf CLK_TCK)"
start_ticks="$(ticks)"; start_bytes="$(stat -c %s "$tmp/output")"
sleep "$secs"
end_ticks="$(ticks)"; end_bytes="$(stat -c %s "$tmp/output")"
rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
hwm_kb="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
cpu_s="$(echo "scale=3; ($end_ticks - $start_ticks) / $hz" | bc)"
echo "interval:        ${secs}s (wavetop --demo $* at $size)"
echo "cpu time:        ${cpu_s}s ($(echo "scale=2; 100 * $cpu_s / $secs" | bc)% of one core)"
echo "resident memory: ${rss_kb} KiB, $((rss_kb / 1024)) MiB (peak ${hwm_kb} KiB)"
echo "terminal output: $((end_bytes - start_bytes)) bytes ($(( (end_bytes - start_bytes) / secs )) bytes/s)"
