# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
#
# pg_dump and pg_restore must match the server's major version: PG_BIN if set, else the
# binaries scripts/services.sh started the server with (its state file), else the installed
# version matching the server's own, else the newest installed (as services.sh picks).

log() { echo "$SCRIPT_NAME: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# postgresql+psycopg://... (SQLAlchemy) -> postgresql://... (libpq)
libpq_url() {
    local url=$1
    case "$url" in
        postgresql+*://*) echo "postgresql://${url#*://}" ;;
        postgresql://* | postgres://*) echo "$url" ;;
        *) die "DATABASE_URL must be a PostgreSQL URL (postgresql+psycopg://...), got ${url%%://*}://..." ;;
    esac
}

newest_pg_bin() {
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

find_pg_bin() {
    local url=$1 state major dir
    if [ -n "${PG_BIN:-}" ]; then
        [ -x "$PG_BIN/pg_dump" ] || die "PG_BIN=$PG_BIN has no pg_dump"
        echo "$PG_BIN"
        return
    fi
    state=${SERVICES_DIR:-$PROJECT_DIR/.services}/state
    if [ -f "$state" ]; then
        dir=$(sed -n "s/^PG_BIN_USED='\(.*\)'$/\1/p" "$state")
        if [ -n "$dir" ] && [ -x "$dir/pg_dump" ]; then
            echo "$dir"
            return
        fi
    fi
    dir=$(newest_pg_bin)
    [ -n "$dir" ] && [ -x "$dir/psql" ] || die "no PostgreSQL client under /usr/lib/postgresql; set PG_BIN"
    major=$("$dir/psql" -X -A -t -d "$url" -c "SELECT current_setting('server_version_num')::int / 10000" 2>/dev/null || true)
    if [ -n "$major" ] && [ -x "/usr/lib/postgresql/$major/bin/pg_dump" ]; then
        echo "/usr/lib/postgresql/$major/bin"
    else
        echo "$dir"
    fi
}

media_folder() {
    echo "${MEDIA_FOLDER:-$PROJECT_DIR/instance/media}"
}
