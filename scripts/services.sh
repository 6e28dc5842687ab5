#!/usr/bin/env bash
# Throwaway PostgreSQL+PostGIS and Redis on 127.0.0.1 for the test suite.
#
#   scripts/services.sh start   # start both (reuses them if already running), write and print the env file
#   scripts/services.sh stop    # stop both and delete their data; safe to repeat
#   scripts/services.sh env     # print the env file (source it: `. .services/env`)
#   scripts/services.sh restart-postgres | restart-redis   # fault drills: every connection drops
#
# Environment:
#   SERVICES_DIR  state directory (default: .services in the project)
#   PG_PORT       PostgreSQL port (default 55432; if the default is taken, the next free one)
#   REDIS_PORT    Redis port      (default 56379; likewise)
#   PG_BIN        PostgreSQL binaries (default: newest /usr/lib/postgresql/*/bin)
#   SERVICES_TIMEOUT  seconds to wait for the services to answer (default 60)
#   PG_DB         database name (default community_test)
#   PG_DURABLE    set to keep fsync and synchronous commits on (a deployment, not tests)
#
# The env file exports TEST_POSTGRES_URL and TEST_REDIS_URL.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICES_DIR=${SERVICES_DIR:-$PROJECT_DIR/.services}
case "$SERVICES_DIR" in /*) ;; *) SERVICES_DIR=$PWD/$SERVICES_DIR ;; esac
STATE_FILE=$SERVICES_DIR/state
ENV_FILE=$SERVICES_DIR/env
TIMEOUT=${SERVICES_TIMEOUT:-60}

PG_DB=${PG_DB:-community_test}
PG_ROLE=community

log() { echo "services: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Is something listening on 127.0.0.1:$1 ?
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port DEFAULT EXPLICIT NAME: the explicit port must be free; the default
# moves up to the next free port.
pick_port() {
    local default=$1 explicit=$2 name=$3 port
    if [ -n "$explicit" ]; then
        port_in_use "$explicit" && die "$name port $explicit (set by environment) is already in use"
        echo "$explicit"
        return
    fi
    for port in $(seq "$default" $((default + 100))); do
        if ! port_in_use "$port"; then
            echo "$port"
            return
        fi
    done
    die "no free $name port in $default..$((default + 100))"
}

find_pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then
        [ -x "$PG_BIN/postgres" ] || die "PG_BIN=$PG_BIN has no postgres binary"
        echo "$PG_BIN"
        return
    fi
    local dir
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] || [ ! -x "$dir/postgres" ]; then
        die "no PostgreSQL server found under /usr/lib/postgresql (run scripts/install-system-deps.sh --test)"
    fi
    echo "$dir"
}

# Run a PostgreSQL server-side command as the postgres user when we are root
# (initdb refuses to run as root).
as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- env LC_ALL=C "$@")
    else
        env LC_ALL=C "$@"
    fi
}

psql_super() {
    # $1 = database, rest = psql args
    local db=$1; shift
    PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}

pg_running() {
    [ -n "${PG_DATA:-}" ] && [ -d "$PG_DATA" ] \
        && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -U postgres 2>/dev/null
}

redis_running() {
    [ -n "${REDIS_PORT:-}" ] \
        && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" = "PONG" ]
}

load_state() {
    PG_DATA='' PG_PORT='' PG_BIN_USED='' REDIS_PORT=''
    if [ -f "$STATE_FILE" ]; then
        # shellcheck disable=SC1090
        . "$STATE_FILE"
    fi
}

write_env() {
    local tmp=$ENV_FILE.tmp
    {
        echo "# Written by scripts/services.sh start; removed by stop."
        echo "export TEST_POSTGRES_URL=postgresql+psycopg://$PG_ROLE@127.0.0.1:$PG_PORT/$PG_DB"
        echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
    } >"$tmp"
    mv "$tmp" "$ENV_FILE"
}

start_postgres() {
    PG_BIN=$(find_pg_bin)
    local sharedir version
    sharedir=$("$PG_BIN/pg_config" --sharedir 2>/dev/null || true)
    version=$(basename "$(dirname "$PG_BIN")")
    if [ -z "$sharedir" ] || [ ! -f "$sharedir/extension/postgis.control" ]; then
        die "PostGIS is not installed for PostgreSQL $version (Debian package postgresql-$version-postgis-3)"
    fi
    if is_root && ! id postgres >/dev/null 2>&1; then
        die "running as root but there is no 'postgres' user to run the server as"
    fi

    PG_DATA=$(mktemp -d /tmp/community-pg.XXXXXX)
    if is_root; then
        chown postgres:postgres "$PG_DATA"
    fi
    chmod 700 "$PG_DATA"
    save_state

    log "PostgreSQL $version: initdb in $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    # postgresql.conf is owned by postgres; append through the same user.
    # shellcheck disable=SC2016  # $1 is expanded by the inner sh
    as_pg sh -c 'cat >> "$1/postgresql.conf"' sh "$PG_DATA" <<EOF

# scripts/services.sh: throwaway local test server
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 200
EOF
    if [ -z "${PG_DURABLE:-}" ]; then  # tests: speed over crash safety
        as_pg sh -c 'printf "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n" >> "$1/postgresql.conf"' sh "$PG_DATA"
    fi
    log "PostgreSQL: starting on 127.0.0.1:$PG_PORT"
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t "$TIMEOUT" start >/dev/null; then
        cat "$PG_DATA/server.log" >&2 || true
        die "PostgreSQL did not start"
    fi
    wait_for "PostgreSQL" "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -U postgres

    psql_super postgres -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB"
    # New databases created by the tests (CREATE DATABASE ...) inherit PostGIS from template1.
    psql_super template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" \
        || die "CREATE EXTENSION postgis failed (is postgresql-$version-postgis-3 installed?)"
    psql_super postgres -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE"
    psql_super "$PG_DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" \
        || die "CREATE EXTENSION postgis failed in $PG_DB"
    psql_super "$PG_DB" -tA -c "SELECT postgis_version()" >/dev/null \
        || die "PostGIS does not answer in $PG_DB"
}

start_redis() {
    command -v redis-server >/dev/null || die "redis-server not installed (run scripts/install-system-deps.sh --test)"
    log "Redis: starting on 127.0.0.1:$REDIS_PORT"
    rm -f "$SERVICES_DIR/redis.pid"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --dir "$SERVICES_DIR" --pidfile "$SERVICES_DIR/redis.pid" \
        --logfile "$SERVICES_DIR/redis.log" >/dev/null
    wait_for "Redis" redis_running
}

save_state() {
    cat >"$STATE_FILE" <<EOF
PG_DATA='${PG_DATA:-}'
PG_PORT='${PG_PORT:-}'
PG_BIN_USED='${PG_BIN:-}'
REDIS_PORT='${REDIS_PORT:-}'
EOF
}

# wait_for NAME COMMAND...: poll until COMMAND succeeds or TIMEOUT seconds pass.
wait_for() {
    local name=$1 deadline=$((SECONDS + TIMEOUT)); shift
    until "$@"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            die "$name did not answer within $TIMEOUT s"
        fi
        sleep 0.2
    done
}

cmd_start() {
    mkdir -p "$SERVICES_DIR"
    load_state
    PG_BIN=${PG_BIN_USED:-$(find_pg_bin)}
    if [ -f "$ENV_FILE" ] && pg_running && redis_running; then
        log "already running (reusing; 'stop' first for fresh databases)"
        cat "$ENV_FILE"
        return 0
    fi
    # Leftovers of an earlier run (half started, or a reboot wiped /tmp).
    if [ -f "$STATE_FILE" ]; then
        cmd_stop
    fi
    PG_DATA=''
    # Choose both ports before starting anything.
    PG_PORT=$(pick_port 55432 "${PG_PORT_ENV:-}" PostgreSQL)
    REDIS_PORT=$(pick_port 56379 "${REDIS_PORT_ENV:-}" Redis)

    # Stop whatever we started if anything below fails.
    # shellcheck disable=SC2154  # rc is assigned inside the trap
    trap 'rc=$?; if [ $rc -ne 0 ]; then log "start failed; cleaning up"; cmd_stop || true; fi' EXIT
    start_postgres
    start_redis
    write_env
    trap - EXIT
    log "ready"
    cat "$ENV_FILE"
}

cmd_stop() {
    load_state
    PG_BIN=${PG_BIN_USED:-}
    if [ -n "$PG_DATA" ] && [ -d "$PG_DATA" ]; then
        if [ -n "$PG_BIN" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
            log "PostgreSQL: stopping"
            as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$TIMEOUT" stop >/dev/null 2>&1 \
                || log "pg_ctl stop failed (server already gone?)"
        fi
        # Keep the server log for debugging; the data goes.
        cp "$PG_DATA/server.log" "$SERVICES_DIR/postgres.log" 2>/dev/null || true
        case "$PG_DATA" in
            */community-pg.*) rm -rf "$PG_DATA" ;;
            *) log "not removing unexpected data dir $PG_DATA" ;;
        esac
    fi
    if [ -n "$REDIS_PORT" ]; then
        if redis_running; then
            log "Redis: stopping"
            redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        fi
        # Make sure our own redis (by pid file) is gone.
        if [ -f "$SERVICES_DIR/redis.pid" ]; then
            local pid
            pid=$(cat "$SERVICES_DIR/redis.pid" 2>/dev/null || true)
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                kill "$pid" 2>/dev/null || true
            fi
            rm -f "$SERVICES_DIR/redis.pid"
        fi
    fi
    rm -f "$ENV_FILE" "$STATE_FILE"
    return 0
}

cmd_restart_postgres() {
    load_state
    PG_BIN=$PG_BIN_USED
    [ -n "$PG_DATA" ] || die "services are not started"
    log "PostgreSQL: restarting (every connection drops)"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -m fast -w -t "$TIMEOUT" restart >/dev/null
    wait_for "PostgreSQL" "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -U postgres
}

cmd_restart_redis() {
    load_state
    [ -n "$REDIS_PORT" ] || die "services are not started"
    log "Redis: restarting (queued jobs are lost: the database says what is owed)"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    local deadline=$((SECONDS + TIMEOUT))
    while redis_running; do
        [ "$SECONDS" -lt "$deadline" ] || die "Redis did not stop"
        sleep 0.1
    done
    start_redis
}

cmd_env() {
    [ -f "$ENV_FILE" ] || die "services are not started (no $ENV_FILE); run: scripts/services.sh start"
    cat "$ENV_FILE"
}

# Ports requested through the environment (remembered before load_state overwrites the names).
PG_PORT_ENV=${PG_PORT:-}
REDIS_PORT_ENV=${REDIS_PORT:-}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop; log "stopped" ;;
    env) cmd_env ;;
    restart-postgres) cmd_restart_postgres ;;
    restart-redis) cmd_restart_redis ;;
    *) echo "usage: $0 start|stop|env|restart-postgres|restart-redis" >&2; exit 2 ;;
esac
