#!/usr/bin/env bash
# Measures how long the console takes from launch to its first full grid:
# the selected pipeline read (the status line says "read Ns ago") and every
# visible cell drawn with its state. Runs the release build in tmux at the
# given size, several times, and prints each time and the median.
#   scripts/measure-startup.sh [RUNS] [COLSxROWS] [extra wavetop flags...]
#   e.g. scripts/measure-startup.sh 5 240x70 --fleet large
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"; shift || true
size="${1:-240x70}"; shift || true
cols="${size%x*}"; rows="${size#*x}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wavetop/target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/wavetop"
tmp="$(mktemp -d)"
socket="wavetop-startup-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

times=()
for run in $(seq 1 "$runs"); do
  session="run$run"
  start="$(date +%s%N)"
  tmux -L "$socket" new-session -d -s "$session" -x "$cols" -y "$rows" \
    "HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state exec $bin --demo $*"
  while :; do
    screen="$(tmux -L "$socket" capture-pane -p -t "$session" 2>/dev/null || true)"
    if grep -qE 'read [0-9]+s ago' <<<"$screen" && grep -qE '(running|done|FAILED|pending|held|waiting)' <<<"$screen"; then
      break
    fi
    if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 30000 ]; then
      echo "run $run: no full grid within 30 s" >&2
      break
    fi
    sleep 0.02
  done
  end="$(date +%s%N)"
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $run: first full grid after ${ms} ms"
  tmux -L "$socket" kill-session -t "$session"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median: ${sorted[$(( ${#sorted[@]} / 2 ))]} ms over $runs runs ($size, wavetop --demo $*)"
