#!/usr/bin/env bash
# The production shape on one machine, every piece on 127.0.0.1, as it runs on several:
# PostgreSQL+PostGIS and Redis (scripts/services.sh), gunicorn --preload serving wsgi:app,
# RQ workers (`flask worker`) and the periodic jobs (`flask scheduler`), each kept running by a
# small supervisor loop (on several machines: systemd units with Restart=always).
#
#   scripts/stack.sh start        # migrate, load the city, start everything; prints .stack/env
#   scripts/stack.sh stop         # stop everything and delete the data
#   scripts/stack.sh status       # which pieces run
#   scripts/stack.sh kill-worker  # fault drill: SIGKILL one RQ worker (its supervisor restarts it)
#   scripts/stack.sh restart-postgres | restart-redis   # fault drills
#
# Environment (optional): STACK_DIR (default .stack), WEB_PORT (default 8000 or the next free),
# WEB_WORKERS (3), WEB_THREADS (4), RQ_WORKERS (2), and any app setting (TWILIO_*, ...), which
# every process inherits.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$PROJECT_DIR/.stack}
case "$STACK_DIR" in /*) ;; *) STACK_DIR=$PWD/$STACK_DIR ;; esac
VENV=$PROJECT_DIR/.venv
ENV_FILE=$STACK_DIR/env
export SERVICES_DIR=$STACK_DIR/services

log() { echo "stack: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local port
    for port in $(seq "$1" $(($1 + 100))); do
        port_in_use "$port" || { echo "$port"; return; }
    done
    die "no free port from $1"
}

# supervise NAME COMMAND...: run COMMAND in a loop (started again a second after it exits);
# the loop's pid goes to NAME.pid, the running command's to NAME.child.
supervise() {
    local name=$1; shift
    (
        child=''
        trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
        while true; do
            "$@" >>"$STACK_DIR/$name.log" 2>&1 &
            child=$!
            echo "$child" >"$STACK_DIR/$name.child"
            wait "$child" || true
            [ -f "$STACK_DIR/stopping" ] && exit 0
            echo "stack: $name exited; starting it again in 1 s" >>"$STACK_DIR/$name.log"
            sleep 1
        done
    ) </dev/null >/dev/null 2>&1 &  # detached from the caller's terminal and pipes
    echo $! >"$STACK_DIR/$name.pid"
}

random_secret() { "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))'; }

write_env() {
    # shellcheck disable=SC1091
    . "$SERVICES_DIR/env"
    local phone_key
    phone_key=$("$VENV/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
    {
        echo "# Written by scripts/stack.sh start; secrets generated for this stack only."
        echo "export APP_ENV=production"
        echo "export FLASK_APP=wsgi"
        echo "export DATABASE_URL=$TEST_POSTGRES_URL"
        echo "export REDIS_URL=$TEST_REDIS_URL"
        echo "export SECRET_KEY=$(random_secret)"
        echo "export PHONE_ENCRYPTION_KEY=$phone_key"
        echo "export PHONE_HASH_KEY=$(random_secret)"
        echo "export WEB_URL=http://127.0.0.1:$WEB_PORT"
        echo "export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$WEB_PORT}"
        echo "export TRUSTED_PROXIES=${TRUSTED_PROXIES:-1}"
        echo "export REPORTS_FOLDER=$STACK_DIR/reports"
        echo "export MEDIA_FOLDER=$STACK_DIR/media"
        # gunicorn's workers count requests into files here; a scrape adds them all up.
        echo "export PROMETHEUS_MULTIPROC_DIR=$STACK_DIR/prometheus"
        # The app settings given to `start`, so that sourcing this file gives the same app.
        env | grep -E '^(TWILIO|SMS|OPEN311|CLUSTER|SCHEDULE|SWEEP|WORKER|JOB|LOG|RATELIMIT|OPS|RETENTION)_[A-Z_]*=' \
            | sed -e "s/'/'\\\\''/g" -e "s/=/='/" -e "s/$/'/" -e 's/^/export /' || true
    } >"$ENV_FILE"
}

cmd_start() {
    [ -x "$VENV/bin/gunicorn" ] || die "no $VENV: run 'make run' or 'make test' once first"
    [ -f "$STACK_DIR/web.pid" ] && die "already started (scripts/stack.sh stop first)"
    mkdir -p "$STACK_DIR"
    rm -f "$STACK_DIR/stopping"
    WEB_PORT=${WEB_PORT:-$(free_port 8000)}
    PG_DB=community PG_DURABLE=1 bash "$PROJECT_DIR/scripts/services.sh" start >/dev/null
    write_env
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    cd "$PROJECT_DIR"
    # Metrics of an earlier run would be added to this one's: start from an empty folder.
    rm -rf "$PROMETHEUS_MULTIPROC_DIR"
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    log "migrating and loading the city"
    "$VENV/bin/flask" db upgrade >>"$STACK_DIR/setup.log" 2>&1 || die "migration failed (see $STACK_DIR/setup.log)"
    "$VENV/bin/flask" load-city >>"$STACK_DIR/setup.log" 2>&1 || die "load-city failed (see $STACK_DIR/setup.log)"
    log "gunicorn on $WEB_URL (${WEB_WORKERS:-3} workers x ${WEB_THREADS:-4} threads), ${RQ_WORKERS:-2} RQ workers, scheduler"
    supervise web "$VENV/bin/gunicorn" --preload --workers "${WEB_WORKERS:-3}" \
        --threads "${WEB_THREADS:-4}" --bind "127.0.0.1:$WEB_PORT" --no-control-socket \
        --graceful-timeout 10 wsgi:app
    local i
    for i in $(seq 1 "${RQ_WORKERS:-2}"); do
        supervise "worker$i" "$VENV/bin/flask" worker
    done
    supervise scheduler "$VENV/bin/flask" scheduler
    local deadline=$((SECONDS + 90))
    until "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "$WEB_URL/healthz" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || die "gunicorn did not answer on $WEB_URL (see $STACK_DIR/web.log)"
        sleep 0.3
    done
    log "ready: . $ENV_FILE"
    cat "$ENV_FILE"
}

cmd_stop() {
    mkdir -p "$STACK_DIR"
    touch "$STACK_DIR/stopping"
    local pidfile
    for pidfile in "$STACK_DIR"/*.pid; do
        [ -e "$pidfile" ] || continue
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    done
    sleep 2
    for pidfile in "$STACK_DIR"/*.child; do
        [ -e "$pidfile" ] || continue
        pkill -KILL -P "$(cat "$pidfile")" 2>/dev/null || true
        kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
    done
    rm -f "$STACK_DIR"/*.pid "$STACK_DIR"/*.child
    bash "$PROJECT_DIR/scripts/services.sh" stop >/dev/null 2>&1 || true
    rm -f "$ENV_FILE"
    log "stopped"
}

cmd_status() {
    local pidfile name found=0
    for pidfile in "$STACK_DIR"/*.child; do
        [ -e "$pidfile" ] || continue
        found=1
        name=$(basename "$pidfile" .child)
        if kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "$name: running"; else echo "$name: down"; fi
    done
    [ "$found" = 1 ] || log "not started"
}

cmd_kill_worker() {
    local name=${1:-worker1} pid
    pid=$(cat "$STACK_DIR/$name.child")
    # The worker and the work-horse it forked for the current job at once, like a lost machine.
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid"
    log "killed $name (pid $pid); its supervisor starts a new one"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    kill-worker) cmd_kill_worker "${2:-worker1}" ;;
    restart-postgres | restart-redis) bash "$PROJECT_DIR/scripts/services.sh" "$1" ;;
    *) echo "usage: $0 start|stop|status|kill-worker [workerN]|restart-postgres|restart-redis" >&2; exit 2 ;;
esac
