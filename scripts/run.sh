#!/usr/bin/env bash
# Run the app locally with its embedded defaults (SQLite in instance/, jobs
# inline, SMS logged): installs what is missing, migrates, loads the city,
# adds demo data once, and serves http://127.0.0.1:5000
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$PROJECT_DIR"

bash scripts/install-system-deps.sh

# --- virtualenv -------------------------------------------------------------
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
    echo "run: creating $VENV"
    python3 -m venv "$VENV"
fi
# requirements-dev.txt includes requirements.txt, so either stamp will do.
up_to_date=0
for stamp in "$VENV/.installed-dev" "$VENV/.installed-run"; do
    if [ -f "$stamp" ] && [ "$stamp" -nt requirements.txt ]; then
        up_to_date=1
    fi
done
if [ "$up_to_date" = 1 ]; then
    echo "run: $VENV is up to date with requirements.txt"
else
    echo "run: installing requirements.txt into $VENV"
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
        "$VENV/bin/python" -m pip install -r requirements.txt
    touch "$VENV/.installed-run"
fi

# --- database and demo data -------------------------------------------------
export FLASK_APP=wsgi.py
FLASK=$VENV/bin/flask

"$FLASK" db upgrade
"$FLASK" load-city
"$FLASK" demo --if-empty

cat <<'EOF'

==============================================================
  Community prosecution issue tracker
  Open  http://127.0.0.1:5000   (Ctrl-C to stop)

  Demo logins:
EOF
"$FLASK" demo-logins | sed 's/^/    /'
echo "=============================================================="
echo

exec "$FLASK" run --host 127.0.0.1 --port 5000
