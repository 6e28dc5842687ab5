#!/usr/bin/env bash
# Run the linter and the test suite against real services.
#
#   scripts/test.sh [pytest args]     e.g. scripts/test.sh -x tests/geo
#
# Installs the Debian packages the tests need, creates .venv with
# requirements-dev.txt, starts throwaway PostgreSQL+PostGIS and Redis
# (scripts/services.sh), always stops them again on exit, and exits with
# pytest's status ("no tests collected" counts as a failure).
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$PROJECT_DIR"
start_time=$SECONDS

bash scripts/install-system-deps.sh --test

# --- virtualenv -------------------------------------------------------------
VENV=.venv
STAMP=$VENV/.installed-dev
if [ ! -x "$VENV/bin/python" ]; then
    echo "test: creating $VENV"
    python3 -m venv "$VENV"
fi
if [ -f "$STAMP" ] && [ "$STAMP" -nt requirements.txt ] && [ "$STAMP" -nt requirements-dev.txt ]; then
    echo "test: $VENV is up to date with requirements-dev.txt"
else
    echo "test: installing requirements-dev.txt into $VENV"
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
        "$VENV/bin/python" -m pip install -r requirements-dev.txt
    touch "$STAMP"
fi

# --- services ---------------------------------------------------------------
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    bash scripts/services.sh stop || true
    echo "test: finished in $((SECONDS - start_time)) s (exit $rc)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/services.sh start
SERVICES_DIR=${SERVICES_DIR:-$PROJECT_DIR/.services}
# shellcheck disable=SC1091
. "$SERVICES_DIR/env"
export TEST_POSTGRES_URL TEST_REDIS_URL

if [ -x /usr/bin/chromium ]; then
    export CHROMIUM_PATH=/usr/bin/chromium
fi

# --- lint + tests -----------------------------------------------------------
lint_rc=0
echo "test: ruff check ."
"$VENV/bin/ruff" check . || lint_rc=$?

test_rc=0
echo "test: python -m pytest $*"
"$VENV/bin/python" -m pytest "$@" || test_rc=$?

if [ "$test_rc" -eq 5 ]; then
    echo "test: FAILED: pytest collected no tests" >&2
fi
if [ "$lint_rc" -ne 0 ]; then
    echo "test: FAILED: ruff check reported problems (exit $lint_rc)" >&2
fi
if [ "$test_rc" -ne 0 ]; then
    exit "$test_rc"
fi
if [ "$lint_rc" -ne 0 ]; then
    exit 1
fi
exit 0
