#!/usr/bin/env bash
# PNG screenshots of the real wavetop binary in a real terminal, for the README.
#
# Builds wavetop, runs `wavetop --demo --at 10m` in a detached tmux session of
# a fixed size, drives it with keys from view to view, captures each screen
# with its colours (`tmux capture-pane -e`) and renders the captures to PNGs
# with scripts/ansi_to_png.py. wavetop runs with a throwaway HOME and XDG
# directories, so no config, keymap, theme or audit log of yours is read or
# written, and on a tmux server of its own, so your tmux is left alone.
#
# Usage: scripts/screenshots.sh [--no-build] [OUTPUT_DIR]   (default: screenshots/)
#
# Environment:
#   CARGO_TARGET_DIR   build directory (default: $HOME/.cache/wavetop/target)
#   WAVETOP_BIN        use this binary instead of building one
#   SHOTS_KEEP_ANSI=1  keep the raw captures (NAME.ansi) beside the PNGs
#
# Needs tmux, python3 (with venv) and cargo; fetches Pillow and fontTools into
# a venv at $HOME/.cache/wavetop/shots-venv the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

BUILD=1
OUT="$ROOT/screenshots"
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        -*) echo "screenshots: unknown option $arg" >&2; exit 2 ;;
        *) OUT="$arg" ;;
    esac
done

COLS=160
ROWS=48
CACHE="$HOME/.cache/wavetop"
VENV="$CACHE/shots-venv"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"

step() { printf '==> %s\n' "$*"; }
die() { printf 'screenshots: %s\n' "$*" >&2; exit 1; }

for tool in tmux python3; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done

step "python venv with pillow and fonttools ($VENV)"
if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$CACHE"
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import PIL, fontTools' 2>/dev/null; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet pillow fonttools
fi

if [ -n "${WAVETOP_BIN:-}" ]; then
    BIN="$WAVETOP_BIN"
else
    BIN="$CARGO_TARGET_DIR/release/wavetop"
    if [ "$BUILD" = 1 ]; then
        step "cargo build --release (target: $CARGO_TARGET_DIR)"
        mkdir -p "$CARGO_TARGET_DIR"
        cargo build --release
    fi
fi
[ -x "$BIN" ] || die "no wavetop binary at $BIN"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

# A scratch area for wavetop's HOME and XDG directories, tmux's socket and
# config, and the raw captures.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wavetop-shots.XXXXXX")"
SOCK="$WORK/tmux.sock"
SESSION=shots
mkdir -p "$WORK/home" "$WORK/config" "$WORK/state" "$WORK/data" "$WORK/cache" "$WORK/captures"

tmx() { TERM=xterm-256color LANG=C.UTF-8 tmux -u -S "$SOCK" "$@"; }

cleanup() {
    tmx kill-server 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No status line (every row is wavetop's), 256 colours and truecolour kept,
# and a pane that stays on screen if wavetop exits, so an error can be shown.
cat >"$WORK/tmux.conf" <<'EOF'
set -g status off
set -g default-terminal xterm-256color
set -g remain-on-exit on
set -sg escape-time 0
set -g history-limit 0
EOF

# Starts wavetop in a new tmux session of its own size, with the given flags.
start_session() {
    tmx -f "$WORK/tmux.conf" new-session -d -s "$SESSION" -x "$COLS" -y "$ROWS" \
    env -i \
    PATH="/usr/local/bin:/usr/bin:/bin" \
    HOME="$WORK/home" \
    XDG_CONFIG_HOME="$WORK/config" \
    XDG_STATE_HOME="$WORK/state" \
    XDG_DATA_HOME="$WORK/data" \
    XDG_CACHE_HOME="$WORK/cache" \
    TERM=xterm-256color \
    COLORTERM=truecolor \
    LANG=C.UTF-8 \
    "$BIN" "$@"
    size="$(tmx display-message -p -t "$SESSION" '#{pane_width}x#{pane_height}')"
    [ "$size" = "${COLS}x${ROWS}" ] || die "tmux pane is $size, wanted ${COLS}x${ROWS}"
}

step "starting wavetop --demo --at 10m in tmux (${COLS}x${ROWS})"
start_session --demo --at 10m

pane_dead() { [ "$(tmx display-message -p -t "$SESSION" '#{pane_dead}')" = 1 ]; }

show_pane_and_die() {
    echo "---- screen ----" >&2
    tmx capture-pane -p -t "$SESSION" >&2 || true
    echo "----------------" >&2
    die "$1"
}

# Wait for the fleet to be on screen.
for _ in $(seq 1 150); do
    if tmx capture-pane -p -t "$SESSION" | grep -q 'global-api'; then
        break
    fi
    pane_dead && show_pane_and_die "wavetop exited before showing the fleet"
    sleep 0.2
done
tmx capture-pane -p -t "$SESSION" | grep -q 'global-api' \
    || show_pane_and_die "the fleet (global-api) did not appear within 30 s"
# The first polls are spread over five seconds: let every source answer.
sleep 6

mkdir -p "$OUT"

keys() {
    local key
    for key in "$@"; do
        tmx send-keys -t "$SESSION" "$key"
        sleep 0.15
    done
}

shot() {
    local name="$1"
    sleep 1
    pane_dead && show_pane_and_die "wavetop exited before $name"
    local capture="$WORK/captures/$name.ansi"
    tmx capture-pane -e -p -N -t "$SESSION" >"$capture"
    "$VENV/bin/python" "$ROOT/scripts/ansi_to_png.py" "$capture" "$OUT/$name.png" \
        --cols "$COLS" --rows "$ROWS"
    if [ "${SHOTS_KEEP_ANSI:-0}" = 1 ]; then
        cp "$capture" "$OUT/$name.ansi"
    fi
    step "$OUT/$name.png"
}

# global-api ten minutes in: the Europe gates wait for approval. Put the
# cursor on Europe / eu-west-1 (waves: Source, Build, UpdatePipeline, Assets,
# SouthAmerica, NorthAmerica, Europe; columns sa-east-1 .. eu-west-1).
keys Down Down Down Down Down Down Right Right Right
shot grid
keys Enter
shot cell-detail
keys Escape 3 Down
shot health
keys 4
shot replication
keys 2
shot pipelines
keys '?'
shot help
# Back to the grid (the cursor is where it was) and ask to drain eu-west-1.
keys Escape 1 d
shot confirm
keys Escape
# Characters typed just after a dialog closes are kept off the grid.
sleep 1
# Approve the same gate: NO-GO (two us-west-2 alarms flapped during the
# NorthAmerica bake), so the dialog asks for a reason and the region.
keys a
shot approve-no-go
keys Escape
sleep 1

keys q
for _ in $(seq 1 25); do
    pane_dead && break
    sleep 0.2
done
pane_dead || echo "screenshots: wavetop did not quit on q; the session is killed" >&2

# The large simulated fleet (200 pipelines over 25 regions) at 80x24: the
# grid at its last region and last wave, and the pipelines list at its last
# row, each drawn on screen with what is hidden counted.
COLS=80
ROWS=24
SESSION=large
step "starting wavetop --demo --fleet large --at 10m in tmux (${COLS}x${ROWS})"
start_session --demo --fleet large --at 10m
for _ in $(seq 1 300); do
    if tmx capture-pane -p -t "$SESSION" | grep -qE 'read [0-9]+s ago'; then
        break
    fi
    pane_dead && show_pane_and_die "wavetop exited before showing the large fleet"
    sleep 0.2
done
sleep 6
keys End
for _ in $(seq 1 24); do keys Right; done
shot large-grid-80x24
keys 2 End
shot large-pipelines-80x24
keys q
for _ in $(seq 1 25); do
    pane_dead && break
    sleep 0.2
done
step "done: $(cd "$OUT" && ls ./*.png | tr '\n' ' ')"
