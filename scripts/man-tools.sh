#!/usr/bin/env bash
# Makes sure groff is installed, which the manual page test (tests/cli_docs.rs)
# renders `wavetop man` with. Installs the Debian package groff-base when it
# is missing, with sudo when not root; exits non-zero, saying why, when it
# cannot, so a run never passes with the page unchecked.
set -euo pipefail

if command -v groff >/dev/null 2>&1; then
    echo "man-tools: $(groff --version | head -n 1)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "man-tools: groff is missing and there is no apt-get; install groff (package groff-base) and run again" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "man-tools: groff is missing; installing it needs root or sudo: apt-get install groff-base" >&2
        exit 1
    fi
    sudo="sudo"
fi
echo "man-tools: installing groff-base" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq groff-base
echo "man-tools: $(groff --version | head -n 1)"
