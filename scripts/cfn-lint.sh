#!/usr/bin/env bash
# Validates the CloudFormation templates under deploy/ with cfn-lint, pinned
# and installed once into its own venv ($HOME/.cache/wavetop/cfn-lint-venv,
# reused when it holds the pinned version). Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."

CFN_LINT_VERSION="1.58.0"
VENV="${WAVETOP_CFN_LINT_VENV:-$HOME/.cache/wavetop/cfn-lint-venv}"

if ! [ -x "$VENV/bin/cfn-lint" ] ||
    [ "$("$VENV/bin/cfn-lint" --version 2>/dev/null)" != "cfn-lint $CFN_LINT_VERSION" ]; then
    echo "cfn-lint: installing cfn-lint==$CFN_LINT_VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "cfn-lint==$CFN_LINT_VERSION"
fi
"$VENV/bin/cfn-lint" --version
"$VENV/bin/cfn-lint" deploy/*.yaml
echo "cfn-lint: deploy/*.yaml clean"
